import test from 'ava';
import { parseVocabJson, tableFromVocabJson } from '../../../src/model/tokenizer/vocabFile.ts';
import { SpecError } from '../../../src/core/index.ts';

test('parseVocabJson: accepts strings and {text, token} objects when given a mixed vocabulary', (t) => {
  t.deepEqual(parseVocabJson(['<s>', { text: ' a' }, { text: '\uFFFD', token: 'Ã' }], 'v.json'), [
    { text: '<s>', token: '<s>' },
    { text: ' a', token: ' a' },
    { text: '\uFFFD', token: 'Ã' },
  ]);
});

test('tableFromVocabJson: builds the compressed table when given a vocabulary document', (t) => {
  const table = tableFromVocabJson(['<s>', 'A', ' a', { text: '\uFFFD', token: 'Ã' }, 'ã', '\t', ' '], 'v.json');
  t.deepEqual(Array.from(table.lookup), [0, 1, 1, 2, 1, 3, 3]);
  t.deepEqual(table.keys, ['<s>', 'a', 'Ã', ' ']);
});

test('tableFromVocabJson: throws SpecError naming the file and index when the vocabulary is malformed', (t) => {
  const cases: [string, unknown][] = [
    ['not an array', { a: 1 }],
    ['empty', []],
    ['number entry', ['a', 3]],
    ['unknown key', ['a', { text: 'b', id: 1 }]],
    ['U+FFFD text without token', ['a', { text: 'x\uFFFD' }]],
    ['U+FFFD plain string', ['a', 'b', '\uFFFD']],
  ];
  for (const [label, json] of cases) {
    const error = t.throws(() => tableFromVocabJson(json, 'vocab.json'), { instanceOf: SpecError }, label);
    t.snapshot(error?.message, label);
  }
});
