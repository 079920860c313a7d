import test from 'ava';
import { MaterializedTable, VirtualTable } from '../../../src/model/index.ts';

const seed = { seed: 0, layerId: 1 };

function gather(table: { dim: number; gatherInto(rows: ArrayLike<number>, out: Float32Array): void }, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * table.dim);
  table.gatherInto(rows, out);
  return out;
}

test('embeddingTable: a materialized table gives exactly the rows of the virtual table with the same seed', (t) => {
  const virtual = new VirtualTable(257, 7, seed);
  const materialized = MaterializedTable.normal(257, 7, seed);
  const rows = [0, 1, 128, 255, 256, 3, 3];
  t.deepEqual(gather(materialized, rows), gather(virtual, rows));
  t.deepEqual(MaterializedTable.fromVirtual(virtual).values, materialized.values);
});

test('embeddingTable: rows depend on seed, layer and row but not on the table object', (t) => {
  const a = gather(new VirtualTable(1000, 8, seed), [5]);
  t.deepEqual(gather(new VirtualTable(1000, 8, seed), [5]), a);
  // A table's row does not depend on its row count, so a row is the same in a larger table.
  t.deepEqual(gather(new VirtualTable(5000, 8, seed), [5]), a);
  t.notDeepEqual(gather(new VirtualTable(1000, 8, { seed: 1, layerId: 1 }), [5]), a);
  t.notDeepEqual(gather(new VirtualTable(1000, 8, { seed: 0, layerId: 15 }), [5]), a);
  t.notDeepEqual(gather(new VirtualTable(1000, 8, seed), [6]), a);
});

test('embeddingTable: virtual values are N(0,1) in mean, variance, tails and pairwise correlation', (t) => {
  const table = new VirtualTable(20000, 8, seed);
  const rows = Array.from({ length: 20000 }, (_, i) => i);
  const values = gather(table, rows);
  const n = values.length;
  let sum = 0;
  let sumSquares = 0;
  let beyond2 = 0;
  let crossEvenOdd = 0;
  for (let i = 0; i < n; i++) {
    sum += values[i]!;
    sumSquares += values[i]! * values[i]!;
    if (Math.abs(values[i]!) > 1.959964) beyond2++;
    if (i % 2 === 0) crossEvenOdd += values[i]! * values[i + 1]!;
  }
  const mean = sum / n;
  const variance = sumSquares / n - mean * mean;
  // n = 160,000: standard errors are 0.0025 (mean), 0.0035 (variance), 0.0005 (tail share), 0.0035 (correlation).
  t.true(Math.abs(mean) < 0.0125, `mean ${mean}`);
  t.true(Math.abs(variance - 1) < 0.0175, `variance ${variance}`);
  t.true(Math.abs(beyond2 / n - 0.05) < 0.0025, `P(|z| > 1.96) = ${beyond2 / n}`);
  t.true(Math.abs(crossEvenOdd / (n / 2)) < 0.0175, `E[z0 z1] = ${crossEvenOdd / (n / 2)}`);
});

test('embeddingTable: a virtual table of 1.25e9 rows gathers rows near its end without memory', (t) => {
  const rows = 1_250_000_000;
  const table = new VirtualTable(rows, 80, seed);
  const out = gather(table, [rows - 1, rows - 2, 0]);
  t.true(out.every((v) => Number.isFinite(v)));
  t.notDeepEqual(out.subarray(0, 80), out.subarray(80, 160));
});

test('embeddingTable: a row id above 2^32 gives a different row than its low 32 bits alone', (t) => {
  const table = new VirtualTable(2 ** 40, 4, seed);
  t.notDeepEqual(gather(table, [2 ** 32 + 7]), gather(table, [7]));
});

test('embeddingTable: gather rejects a row id outside the table and an output of the wrong length', (t) => {
  const virtual = new VirtualTable(10, 4, seed);
  const materialized = MaterializedTable.fromVirtual(virtual);
  t.snapshot(t.throws(() => virtual.gatherInto([0, 10], new Float32Array(8)))?.message);
  t.snapshot(t.throws(() => materialized.gatherInto(new Int32Array([3, -1]), new Float32Array(8)))?.message);
  t.snapshot(t.throws(() => materialized.gatherInto([1.5], new Float32Array(4)))?.message);
  t.snapshot(t.throws(() => materialized.gatherInto([1, 2], new Float32Array(4)))?.message);
});

test('embeddingTable: refuses to materialize more values than one Float32Array holds', (t) => {
  t.snapshot(t.throws(() => MaterializedTable.normal(1_250_000_000, 80, seed))?.message);
});
