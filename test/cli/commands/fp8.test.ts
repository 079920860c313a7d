import test from 'ava';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../src/cli/configs.ts';
import { accumulationFidelity, decodeFp8, EXACT_ACCUMULATION, encodeFromFloat64 } from '../../../src/fp8/index.ts';
import { fp8ProjectionError, fp8ProjectionInput, selectBackend } from '../../../src/model/index.ts';
import { runCaptured } from '../../helpers/fakeIo.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

interface EntryJson {
  value?: number | string;
  code: string;
  bits: string;
  class: string;
  decoded: number | string;
}

test('fp8 encode: --json gives the library code, bit fields and decoded value for each value when saturating', async (t) => {
  const values = [1, -1.0625, 464, 465, 1e-9, 3.3];
  const r = await runCaptured(['fp8', 'encode', '--format', 'e4m3', '--values', values.join(','), '--json']);
  t.is(r.code, 0, r.err);
  const report = JSON.parse(r.out) as { format: string; overflowMode: string; entries: EntryJson[] };
  t.is(report.format, 'e4m3');
  t.is(report.overflowMode, 'saturate');
  t.deepEqual(report.entries.map((e) => e.code), values.map((v) => `0x${encodeFromFloat64('e4m3', v, 'saturate').toString(16).padStart(2, '0')}`));
  t.deepEqual(report.entries.map((e) => e.decoded), values.map((v) => decodeFp8('e4m3', encodeFromFloat64('e4m3', v, 'saturate'))));
  t.deepEqual(report.entries[2], { value: 464, code: '0x7e', bits: '0.1111.110', class: 'normal', decoded: 448 });
});

test('fp8 encode: --no-saturate sends overflow and infinity to e5m2 infinity and NaN to 0x7f', async (t) => {
  const r = await runCaptured(['fp8', 'encode', '--format', 'e5m2', '--no-saturate', '--values', '-70000,inf,nan,-0', '--json']);
  t.is(r.code, 0, r.err);
  const report = JSON.parse(r.out) as { overflowMode: string; entries: EntryJson[] };
  t.is(report.overflowMode, 'overflow');
  t.deepEqual(report.entries.map((e) => [e.value, e.code, e.decoded]), [
    [-70000, '0xfc', '-Infinity'],
    ['Infinity', '0x7c', 'Infinity'],
    ['NaN', '0x7f', 'NaN'],
    ['-0', '0x80', '-0'],
  ]);
});

test('fp8 encode: the human table lists value, code, bits, class and decoded value per line', async (t) => {
  const r = await runCaptured(['fp8', 'encode', '--format', 'e4m3', '--values', '500,-inf']);
  t.is(r.code, 0, r.err);
  t.snapshot(r.out);
});

test('fp8 decode: codes in hex or decimal give the OFP8 values, classes and bit fields', async (t) => {
  const r = await runCaptured(['fp8', 'decode', '--format', 'e4m3', '--codes', '0x7e,0x7F,128,0x01', '--json']);
  t.is(r.code, 0, r.err);
  const report = JSON.parse(r.out) as { entries: EntryJson[] };
  t.deepEqual(report.entries, [
    { code: '0x7e', bits: '0.1111.110', class: 'normal', decoded: 448 },
    { code: '0x7f', bits: '0.1111.111', class: 'nan', decoded: 'NaN' },
    { code: '0x80', bits: '1.0000.000', class: 'zero', decoded: '-0' },
    { code: '0x01', bits: '0.0000.001', class: 'subnormal', decoded: 2 ** -9 },
  ]);
  const human = await runCaptured(['fp8', 'decode', '--format', 'e5m2', '--codes', '0x7b,0x7c,0xfd']);
  t.is(human.code, 0, human.err);
  t.snapshot(human.out);
});

test('fp8 accum-table: --json equals the library table for the same K, shape and seed', async (t) => {
  const r = await runCaptured(['fp8', 'accum-table', '--ks', '256,512', '--m', '2', '--n', '3', '--seed', '5', '--distribution', 'normal01', '--json']);
  t.is(r.code, 0, r.err);
  const expected = accumulationFidelity({ ks: [256, 512], m: 2, n: 3, seed: 5, distribution: 'normal01' });
  t.deepEqual(JSON.parse(r.out), JSON.parse(JSON.stringify(expected)));
});

test('fp8 accum-table: the human table has a row per K and a column per accumulation model', async (t) => {
  const r = await runCaptured(['fp8', 'accum-table', '--ks', '128,256', '--m', '2', '--n', '2']);
  t.is(r.code, 0, r.err);
  const lines = r.out.split('\n');
  t.regex(lines[2]!, /^\s*K\s+hopper-no-promotion\s+hopper-promote-128\s+exact-fp32\s+deepseek-v3$/);
  t.regex(lines[3]!, /^\s*128(\s+[\d.e+-]+%){4}$/);
  t.regex(lines[4]!, /^\s*256(\s+[\d.e+-]+%){4}$/);
});

test('fp8: --help of each subcommand exits 0 and names its options', async (t) => {
  for (const [sub, option] of [['encode', '--no-saturate'], ['decode', '--codes'], ['accum-table', '--distribution'], ['error', '--accum']] as const) {
    const r = await runCaptured(['fp8', sub, '--help']);
    t.is(r.code, 0);
    t.true(r.out.includes(option), sub);
  }
});

test('fp8: bad formats, codes and values give one line naming the option and exit 2', async (t) => {
  const cases = [
    ['fp8', 'encode', '--format', 'e3m4', '--values', '1'],
    ['fp8', 'decode', '--format', 'e4m3', '--codes', '0x7e,0x1ff'],
    ['fp8', 'decode', '--format', 'e4m3', '--codes', 'zz'],
    ['fp8', 'decode', '--format', 'e5m2', '--codes', '256'],
    ['fp8', 'encode', '--format', 'e4m3', '--values', '1,abc'],
    ['fp8', 'encode', '--format', 'e4m3', '--values', '1,,2'],
    ['fp8', 'accum-table', '--ks', '512,0'],
    ['fp8', 'accum-table', '--distribution', 'cauchy'],
  ];
  const errors: string[] = [];
  for (const argv of cases) {
    const r = await runCaptured(argv);
    t.is(r.code, 2, argv.join(' '));
    t.is(r.out, '');
    t.is(r.err.trim().split('\n').length, 1, r.err);
    errors.push(r.err);
  }
  t.snapshot(errors);
});

/** A configuration whose hidden size (192) is not a multiple of the 128-row weight block; d_mem 64. */
function misalignedConfigFile(): string {
  const provenance = { source: 'test fixture' };
  const doc = {
    schemaVersion: 1, name: 'misaligned', description: 'hidden not a multiple of 128', tokenizer: 'deepseek-v3',
    engram: { engramVocabSize: [11, 11], maxNgramSize: 3, nEmbedPerNgram: 32, nHeadPerNgram: 2, layerIds: [1], padId: 2, seed: 0, kernelSize: 4, tableBytesPerValue: 4, provenance },
    backbone: { hiddenSize: 192, hcMult: 2, vocabSize: 100, numLayers: 2, provenance },
  };
  const file = path.join(makeTempDir('fp8-error-'), 'misaligned.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

// fp8 error selects a tfjs backend, which is global to the process: these tests run serially.
test.serial('fp8 error: --json equals the library report for paper-27b at a synthetic d_mem of 64', async (t) => {
  const r = await runCaptured(['fp8', 'error', '--k', '64', '--tokens', '3', '--accum', 'exact', '--backend', 'cpu', '--json']);
  t.is(r.code, 0, r.err);
  const report = JSON.parse(r.out) as Record<string, unknown>;
  const input = fp8ProjectionInput(loadConfig('paper-27b'), { tokens: 3, dMem: 64 });
  const expected = fp8ProjectionError(await selectBackend('cpu'), input, { accumulation: EXACT_ACCUMULATION });
  t.deepEqual(report, JSON.parse(JSON.stringify({ config: 'paper-27b', layerId: 2, seed: 0, memorySource: 'normal', backend: 'cpu', ...expected })));
  t.is(expected.fusedN, 12800);
  t.true(expected.fusion.bitIdentical);
});

test.serial('fp8 error: the human table shows fusion, errors against float32 and the gate change for hopper accumulation', async (t) => {
  const r = await runCaptured(['fp8', 'error', '--k', '64', '--tokens', '3', '--backend', 'cpu']);
  t.is(r.code, 0, r.err);
  t.snapshot(r.out);
});

test.serial('fp8 error: reports NO with the straddled rows and the differing outputs when hidden is not a multiple of 128', async (t) => {
  const file = misalignedConfigFile();
  const human = await runCaptured(['fp8', 'error', '--config', file, '--tokens', '3', '--backend', 'cpu']);
  t.is(human.code, 0, human.err);
  t.regex(human.out, /weight blocks start on every projection boundary\s+NO: hidden 192 is not a multiple of 128; fused blocks straddle rows 192 and each separate W ends in a 64-row block/);
  // Row 384 = 3 x 128 lies on a block edge, yet W_K^(1)'s separate quantisation still ends in a 64-row block.
  const json = await runCaptured(['fp8', 'error', '--config', file, '--tokens', '3', '--backend', 'cpu', '--json']);
  const report = JSON.parse(json.out) as { fusion: { bitIdentical: boolean; differingOutputs: number; differingWeightElements: number } };
  t.false(report.fusion.bitIdentical);
  t.true(report.fusion.differingOutputs > 0);
  t.true(report.fusion.differingWeightElements > 0);
});

test.serial('fp8 error: bad options give one line naming the option and exit 2', async (t) => {
  const cases = [
    ['fp8', 'error', '--accum', 'fast'],
    ['fp8', 'error', '--nc', '96'],
    ['fp8', 'error', '--nc', '256'],
    ['fp8', 'error', '--accum', 'exact', '--nc', '64'],
    ['fp8', 'error', '--tokens', '0'],
    ['fp8', 'error', '--k', '0'],
    ['fp8', 'error', '--format', 'e3m4'],
    ['fp8', 'error', '--scales', 'int8'],
    ['fp8', 'error', '--backend', 'gpu'],
    ['fp8', 'error', '--layer', '7'],
    ['fp8', 'error', '--config', 'no-such-config'],
  ];
  const errors: string[] = [];
  for (const argv of cases) {
    const r = await runCaptured(argv);
    t.is(r.code, 2, argv.join(' '));
    t.is(r.out, '');
    t.is(r.err.trim().split('\n').length, 1, r.err);
    errors.push(r.err);
  }
  t.snapshot(errors);
});
