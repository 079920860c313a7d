import test from 'ava';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveTokenizer } from '../../src/cli/tokenizerSource.ts';
import { EngramError, SpecError } from '../../src/core/index.ts';
import { compressIds } from '../../src/model/index.ts';
import { fakeIo } from '../helpers/fakeIo.ts';

// A cold DeepSeek-V3 build measures about 0.7 s on the 2-core dev machine; the requirement is 5 s.
const COLD_BUILD_LIMIT_MS = 5000;
const SENTENCE = 'Only Alexander the Great could tame the horse Bucephalus.';
const WORKED_RAW = [0, 22898, 19737, 270, 9327, 1494, 112253, 270, 15000, 406, 11999, 25670, 349, 16];
const WORKED_COMPRESSED = [0, 1134, 15695, 237, 2049, 1260, 85761, 237, 12071, 36, 9745, 20232, 290, 16];

const root = mkdtempSync(path.join(os.tmpdir(), 'engram-tokenizer-source-'));
test.after.always(() => rmSync(root, { recursive: true, force: true }));

function freshIo(name: string) {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  return fakeIo({ cwd: dir, cacheDir: path.join(dir, 'cache') });
}

test.serial('resolveTokenizer: builds DeepSeek-V3 within 5 s cold and reads the same table from the cache when warm', async (t) => {
  const io = freshIo('deepseek');
  const started = performance.now();
  const cold = await resolveTokenizer({}, io);
  const coldMs = performance.now() - started;
  t.true(coldMs < COLD_BUILD_LIMIT_MS, `cold build took ${coldMs.toFixed(0)} ms`);
  t.log(`cold build ${coldMs.toFixed(0)} ms`);
  t.is(cold.name, 'deepseek-v3');
  t.is(cold.cache?.hit, false);
  t.is(cold.table.compressedVocabSize, 98627);
  const warm = await resolveTokenizer({ tokenizer: 'deepseek-v3' }, io);
  t.is(warm.cache?.hit, true);
  t.is(warm.cache?.file, cold.cache?.file);
  t.deepEqual(Array.from(warm.table.lookup), Array.from(cold.table.lookup));
  t.deepEqual(warm.table.keys, cold.table.keys);
  t.deepEqual(io.stderr, []);
});

test.serial('resolveTokenizer: rebuilds and rewrites the cache when the cached file is damaged', async (t) => {
  const io = freshIo('damaged');
  const first = await resolveTokenizer({}, io);
  const file = first.cache?.file as string;
  writeFileSync(file, 'not a table');
  const second = await resolveTokenizer({}, io);
  t.is(second.cache?.hit, false);
  t.is(second.table.compressedVocabSize, 98627);
  t.is((await resolveTokenizer({}, io)).cache?.hit, true);
  t.deepEqual(readdirSync(path.dirname(file)), [path.basename(file)], 'no temporary files left behind');
});

test('resolveTokenizer: DeepSeek-V3 encodes the spec worked example with BOS when given the demo sentence', async (t) => {
  const handle = await resolveTokenizer({ tokenizer: 'deepseek-v3' }, freshIo('encode'));
  const encode = handle.encode;
  if (encode === undefined) return t.fail('deepseek-v3 has no encoder');
  const raw = encode(SENTENCE);
  t.deepEqual(raw, WORKED_RAW);
  t.deepEqual(Array.from(compressIds(handle.table, raw)), WORKED_COMPRESSED);
});

test('resolveTokenizer: builds a table from a vocabulary file relative to cwd when given --vocab', async (t) => {
  const io = freshIo('vocab');
  writeFileSync(path.join(io.cwd, 'v.json'), JSON.stringify(['<s>', 'A', ' a', { text: '\uFFFD', token: 'Ã' }]));
  const handle = await resolveTokenizer({ vocab: 'v.json' }, io);
  t.is(handle.name, 'vocab:v.json');
  t.is(handle.encode, undefined);
  t.deepEqual(Array.from(handle.table.lookup), [0, 1, 1, 2]);
  t.is((await resolveTokenizer({ vocab: 'v.json' }, io)).cache?.hit, true);
});

test('resolveTokenizer: gives an identity table without cache when given --identity', async (t) => {
  const handle = await resolveTokenizer({ identity: 3 }, freshIo('identity'));
  t.is(handle.name, 'identity:3');
  t.deepEqual(Array.from(handle.table.lookup), [0, 1, 2]);
  t.is(handle.cache, null);
});

test('resolveTokenizer: throws one-line errors naming the option or file when the source is bad', async (t) => {
  const io = freshIo('errors');
  writeFileSync(path.join(io.cwd, 'bad.json'), '["a", {"text": "\uFFFD"}]');
  writeFileSync(path.join(io.cwd, 'broken.json'), '["a",');
  writeFileSync(path.join(io.cwd, 'latin1.json'), Buffer.from([0x5b, 0x22, 0xe9, 0x22, 0x5d]));
  const cases: [string, Parameters<typeof resolveTokenizer>[0], 'UsageError' | 'SpecError'][] = [
    ['two sources', { vocab: 'bad.json', identity: 4 }, 'UsageError'],
    ['unknown name', { tokenizer: 'gpt2' }, 'UsageError'],
    ['identity zero', { identity: 0 }, 'UsageError'],
    ['missing file', { vocab: 'missing.json' }, 'SpecError'],
    ['U+FFFD without token', { vocab: 'bad.json' }, 'SpecError'],
    ['not UTF-8', { vocab: 'latin1.json' }, 'SpecError'],
  ];
  for (const [label, opts, type] of cases) {
    const error = await t.throwsAsync(resolveTokenizer(opts, io), { instanceOf: EngramError }, label);
    t.is(error?.name, type, label);
    t.snapshot(error?.message, label);
  }
  await t.throwsAsync(resolveTokenizer({ vocab: 'broken.json' }, io), { instanceOf: SpecError, message: /^broken\.json: \(root\): not valid JSON/ });
});
