import test from 'ava';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildHashMapping, hashBatch } from '../../../src/model/index.ts';
import { runCaptured } from '../../helpers/fakeIo.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

// engram-spec §3.7 compressed ids; with an identity table over V' = 98,627 they hash as in the worked example.
const DEMO_IDS = '0,1134,15695,237,2049,1260,85761,237,12071,36,9745,20232,290,16';

interface HashJson {
  compressedIds: number[][];
  padCompressed: number;
  layers: Record<string, { multipliers: string[]; primes: number[]; rowOffsets: number[]; hashes: number[][][] }>;
}

function tempDir(): string {
  return makeTempDir('engram-hash-cli-');
}

test('hash: --json reproduces the worked example of engram-spec §3.7 when V\' is 98,627', async (t) => {
  const r = await runCaptured(['hash', '--identity', '98627', '--ids', DEMO_IDS, '--json']);
  t.is(r.code, 0, r.err);
  const report = JSON.parse(r.out) as HashJson;
  t.deepEqual(Object.keys(report), ['compressedIds', 'padCompressed', 'layers']);
  t.deepEqual(Object.keys(report.layers), ['1', '15']);
  t.deepEqual(report.compressedIds, [DEMO_IDS.split(',').map(Number)]);
  t.is(report.padCompressed, 2);
  const layer1 = report.layers['1']!;
  t.deepEqual(Object.keys(layer1), ['multipliers', 'primes', 'rowOffsets', 'hashes']);
  t.deepEqual(layer1.multipliers, ['76993395940407', '4862694818241', '36129212583461']);
  t.deepEqual(layer1.primes.slice(0, 2), [646403, 646411]);
  t.deepEqual(layer1.rowOffsets.slice(0, 2), [0, 646403]);
  t.is(layer1.hashes.length, 1);
  t.is(layer1.hashes[0]!.length, 14);
  t.true(layer1.hashes[0]!.every((row) => row.length === 16));
  t.deepEqual([0, 1, 2].map((pos) => [layer1.hashes[0]![pos]![0], layer1.hashes[0]![pos]![8]]), [
    [525894, 167317],
    [590896, 28226],
    [72209, 215899],
  ]);
  t.deepEqual(report.layers['15']!.multipliers, ['29055444938695', '56284491166079', '54183298291715']);
});

test('hash: --ids-file hashes a batch of different lengths exactly as the library does', async (t) => {
  const dir = tempDir();
  const batch = [[5, 6, 7], [], [-3, 99, 0, 1]];
  writeFileSync(path.join(dir, 'batch.json'), JSON.stringify(batch));
  const r = await runCaptured(['hash', '--identity', '100', '--ids-file', 'batch.json', '--layers', '4,2', '--max-ngram', '4', '--heads', '2', '--vocab-sizes', '50,60,70', '--seed', '9', '--pad-id', '1', '--json'], { cwd: dir });
  t.is(r.code, 0, r.err);
  const report = JSON.parse(r.out) as HashJson;
  const mapping = buildHashMapping({ layerIds: [4, 2], maxNgramSize: 4, nHeadPerNgram: 2, engramVocabSize: [50, 60, 70], seed: 9, compressedVocabSize: 100, padCompressed: 1 });
  const expected = hashBatch(mapping, batch.map((s) => Int32Array.from(s)));
  t.deepEqual(report.compressedIds, batch);
  for (const layer of mapping.layers) {
    const shown = report.layers[String(layer.layerId)]!;
    t.deepEqual(shown.primes, [...layer.primes]);
    t.deepEqual(shown.multipliers, layer.multipliers.map(String));
    t.deepEqual(shown.hashes.map((seq) => seq.flat()), expected.get(layer.layerId)!.map((seq) => Array.from(seq)));
    t.deepEqual(shown.hashes.map((seq) => seq.length), [3, 0, 4]);
  }
});

test('hash: negative ids pass through the tokenizer unchanged', async (t) => {
  const r = await runCaptured(['hash', '--identity', '10', '--ids', '-5,3', '--json']);
  t.is(r.code, 0, r.err);
  t.deepEqual((JSON.parse(r.out) as HashJson).compressedIds, [[-5, 3]]);
});

test('hash: the default output is a readable table per layer', async (t) => {
  const r = await runCaptured(['hash', '--identity', '98627', '--ids', '0,1134,15695', '--heads', '2']);
  t.is(r.code, 0, r.err);
  t.is(r.err, '');
  t.regex(r.out, /^layer 1$/m);
  t.regex(r.out, /^layer 15$/m);
  t.snapshot(r.out);
});

test('hash: --help describes the options and exits 0', async (t) => {
  const r = await runCaptured(['hash', '--help']);
  t.is(r.code, 0);
  for (const option of ['--ids', '--ids-file', '--identity', '--layers', '--max-ngram', '--heads', '--vocab-sizes', '--seed', '--pad-id', '--json']) t.true(r.out.includes(option), option);
});

/** Each bad input must give exit code 2 and exactly one line on stderr, with no stack trace. */
async function usageError(t: import('ava').ExecutionContext, argv: string[], cwd?: string): Promise<void> {
  const r = await runCaptured(argv, cwd === undefined ? {} : { cwd });
  t.is(r.code, 2, `${argv.join(' ')}: ${r.err}`);
  t.is(r.out, '');
  t.is(r.err.trim().split('\n').length, 1, r.err);
  t.snapshot(r.err, argv.join(' '));
}

test('hash: bad ids and options give one line naming the field, the value and what was expected', async (t) => {
  await usageError(t, ['hash', '--identity', '100', '--ids', '1,100']);
  await usageError(t, ['hash', '--identity', '100', '--ids', '1,x']);
  await usageError(t, ['hash', '--identity', '100', '--tokenizer', 'deepseek-v3', '--ids', '1']);
  await usageError(t, ['hash', '--identity', '100', '--text', 'hello']);
  await usageError(t, ['hash', '--tokenizer', 'gpt-2', '--ids', '1']);
  await usageError(t, ['hash', '--identity', '100']);
  await usageError(t, ['hash', '--identity', '100', '--ids', '1', '--ids-file', 'a.json']);
  await usageError(t, ['hash', '--identity', '100', '--ids', '1', '--layers', '1,1']);
  await usageError(t, ['hash', '--identity', '100', '--ids', '1', '--max-ngram', '4']);
  await usageError(t, ['hash', '--identity', '100', '--ids', '1', '--pad-id', '100']);
  await usageError(t, ['hash', '--identity', '100', '--ids', '1', '--heads', '0']);
  await usageError(t, ['hash', '--identity', '0', '--ids', '1']);
  await usageError(t, ['hash', '--identity', '100', '--ids', '1', '--vocab-sizes', '3000000000,5']);
  // 2^31 - 1 is prime, so the second head's table would need 2^31 rows or more.
  await usageError(t, ['hash', '--identity', '100', '--ids', '1', '--vocab-sizes', '2147483647,5']);
});

test('hash: a malformed --ids-file names the file and the index of the bad entry', async (t) => {
  const dir = tempDir();
  const files: Record<string, string> = {
    'out-of-vocab.json': '[[1, 2], [3, 100]]',
    'not-array.json': '{"ids": [1]}',
    'empty.json': '[]',
    'bad-seq.json': '[[1], 7]',
    'bad-id.json': '[[1], [2, 2.5]]',
    'bad-json.json': '[[1,',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  for (const name of [...Object.keys(files), 'missing.json']) await usageError(t, ['hash', '--identity', '100', '--ids-file', name], dir);
});

test('hash: --text with the DeepSeek-V3 tokenizer reproduces the worked example of spec §3.7', async (t) => {
  const r = await runCaptured(['hash', '--text', 'Only Alexander the Great could tame the horse Bucephalus.', '--layers', '1', '--json']);
  t.is(r.code, 0, r.err);
  const out = JSON.parse(r.out) as { compressedIds: number[][]; padCompressed: number; layers: Record<string, { hashes: number[][][] }> };
  t.deepEqual(out.compressedIds, [[0, 1134, 15695, 237, 2049, 1260, 85761, 237, 12071, 36, 9745, 20232, 290, 16]]);
  t.is(out.padCompressed, 2);
  const h = out.layers['1']!.hashes[0]!;
  t.deepEqual([h[0]![0], h[0]![8], h[1]![0], h[1]![8], h[2]![0], h[2]![8]], [525894, 167317, 590896, 28226, 72209, 215899]);
});
