import test from 'ava';
import { traceBatches, traceLayerBases, zipfBatches } from '../../../src/memory/index.ts';
import type { Trace } from '../../../src/spec/index.ts';

const trace: Trace = {
  header: {
    formatVersion: 1, config: 'demo', source: 'test', tokenizer: 'test', tokens: 3, sequenceLengths: [3], rowBytes: 160,
    layers: [{ layerId: 1, primes: [5, 7], rowOffsets: [0, 5] }, { layerId: 15, primes: [11, 13], rowOffsets: [0, 11] }],
  },
  rows: [Uint32Array.of(0, 5, 1, 6, 2, 7), Uint32Array.of(0, 11, 3, 14, 4, 15)],
};

test('workload: trace batches go chunk by chunk, layer by layer, with row ids made absolute over all layers', (t) => {
  t.deepEqual(traceLayerBases(trace), { bases: [0, 12], tableRows: 36 });
  const batches = [...traceBatches(trace, { batchTokens: 2 })].map((b) => [...b]);
  t.deepEqual(batches, [[0, 5, 1, 6], [12, 23, 15, 26], [2, 7], [16, 27]]);
  t.deepEqual([...traceBatches(trace, { batchTokens: 2, fromToken: 2 })].map((b) => [...b]), [[2, 7], [16, 27]]);
});

test('workload: zipf batches are deterministic per seed, cycle over layers and stay inside each head\'s table', (t) => {
  const tables = [[101, 103], [107]];
  const options = { tables, exponent: 1, batchTokens: 50, batches: 3, seed: 4 };
  const a = [...zipfBatches(options)];
  const b = [...zipfBatches(options)];
  t.deepEqual(a, b);
  t.deepEqual(a.map((x) => x.length), [100, 50, 100]);
  for (const [i, row] of a[0]!.entries()) t.true(i % 2 === 0 ? row < 101 : row >= 101 && row < 204);
  t.true(a[1]!.every((row) => row >= 204 && row < 311));
  t.notDeepEqual([...zipfBatches({ ...options, seed: 5 })], a);
});

test('workload: the table seed, not the lookup seed, decides which rows are hot', (t) => {
  const hottest = (seed: number): number => {
    const counts = new Map<number, number>();
    for (const batch of zipfBatches({ tables: [[100_003]], exponent: 1.2, batchTokens: 2000, batches: 5, seed })) for (const r of batch) counts.set(r, (counts.get(r) ?? 0) + 1);
    return [...counts.entries()].sort((x, y) => y[1] - x[1])[0]![0];
  };
  t.is(hottest(1), hottest(2));
});
