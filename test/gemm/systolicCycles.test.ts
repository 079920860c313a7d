import test from 'ava';
import { ModelError } from '../../src/core/index.ts';
import { foldCycles, foldSequenceCycles, spatialMapping, sramTraffic, systolicMapping, type ArrayGeometry } from '../../src/gemm/index.ts';

// Hand counts on a 4 x 4 array (R = C = 4); each comment gives the arithmetic of the file-header formulas.
const serial4: ArrayGeometry = { rows: 4, cols: 4, arrays: 1, foldOverlap: 'serial' };
const pipelined4: ArrayGeometry = { ...serial4, foldOverlap: 'pipelined' };

test('systolicCycles: one fold costs 2R + C + T - 2 when a 4x4 GEMM fills a 4x4 array exactly', (t) => {
  const shape = { m: 4, n: 4, k: 4 };
  for (const geometry of [serial4, pipelined4]) {
    // 2*4 + 4 + 4 - 2 = 14, for either dataflow (T = K = 4 for OS, T = M = 4 for WS).
    t.is(systolicMapping(geometry, 'os', shape).computeCycles, 14);
    t.is(systolicMapping(geometry, 'ws', shape).computeCycles, 14);
  }
  t.is(systolicMapping(serial4, 'os', shape).folds, 1);
});

test('systolicCycles: an 8x8x8 GEMM folds four times and pipelining saves the stationary load of three folds', (t) => {
  const shape = { m: 8, n: 8, k: 8 };
  for (const dataflow of ['os', 'ws'] as const) {
    const serial = systolicMapping(serial4, dataflow, shape);
    t.is(serial.folds, 4); // ceil(8/4) * ceil(8/4)
    t.is(serial.computeCycles, 72); // 4 * (8 + 4 + 8 - 2)
    t.is(systolicMapping(pipelined4, dataflow, shape).computeCycles, 42); // 3 * max(8, 4) + 18
  }
});

test('systolicCycles: a 5x3 by 3x3 GEMM takes two OS folds but one WS fold on a 4x4 array', (t) => {
  const shape = { m: 5, n: 3, k: 3 };
  const os = systolicMapping(serial4, 'os', shape);
  t.deepEqual([os.spatialRows, os.spatialCols, os.temporal, os.folds], [5, 3, 3, 2]);
  t.is(os.computeCycles, 26); // 2 * (8 + 4 + 3 - 2): partial folds are padded to the full array
  t.is(systolicMapping(pipelined4, 'os', shape).computeCycles, 17); // max(3, 4) + 13: the drain (R = 4) paces folds
  const ws = systolicMapping(serial4, 'ws', shape);
  t.deepEqual([ws.spatialRows, ws.spatialCols, ws.temporal, ws.folds], [3, 3, 5, 1]);
  t.is(ws.computeCycles, 15); // 8 + 4 + 5 - 2
  t.is(systolicMapping(pipelined4, 'ws', shape).computeCycles, 15);
});

test('systolicCycles: folds are dealt round-robin so the busiest of U arrays sets the cycles', (t) => {
  const shape = { m: 8, n: 8, k: 8 };
  const two = systolicMapping({ ...serial4, arrays: 2 }, 'os', shape);
  t.deepEqual([two.folds, two.foldsPerArray, two.computeCycles], [4, 2, 36]);
  const three = systolicMapping({ ...pipelined4, arrays: 3 }, 'os', shape);
  t.deepEqual([three.foldsPerArray, three.computeCycles], [2, 26]); // 1 * 8 + 18
  const eight = systolicMapping({ ...serial4, arrays: 8 }, 'os', shape);
  t.deepEqual([eight.foldsPerArray, eight.computeCycles], [1, 18]);
});

test('systolicCycles: pipelined folds are paced by R when the stream T is shorter than the array', (t) => {
  // OS, M = 8, N = 4, K = 2: two folds of T = 2 on R = 4 rows.
  t.is(systolicMapping(pipelined4, 'os', { m: 8, n: 4, k: 2 }).computeCycles, 4 + 12); // max(2, 4) + (8 + 4 + 2 - 2)
  t.is(systolicMapping(serial4, 'os', { m: 8, n: 4, k: 2 }).computeCycles, 24);
});

test('systolicCycles: pipelined never costs more than serial, and both agree for a single fold', (t) => {
  for (let folds = 1; folds <= 6; folds++) {
    for (const temporal of [1, 3, 4, 9]) {
      const serial = foldSequenceCycles(folds, 4, 5, temporal, 'serial');
      const pipelined = foldSequenceCycles(folds, 4, 5, temporal, 'pipelined');
      t.true(pipelined <= serial);
      if (folds === 1) t.is(pipelined, serial);
    }
  }
  t.is(foldSequenceCycles(0, 4, 4, 4, 'pipelined'), 0);
  t.is(foldCycles(128, 128, 1), 383);
});

test('systolicCycles: OS puts M on rows and streams K; WS puts K on rows and streams M', (t) => {
  t.deepEqual(spatialMapping('os', 10, 20, 30), { spatialRows: 10, spatialCols: 20, temporal: 30 });
  t.deepEqual(spatialMapping('ws', 10, 20, 30), { spatialRows: 30, spatialCols: 20, temporal: 10 });
});

test('systolicCycles: SRAM traffic counts real elements per fold as SCALE-Sim does when folds are partial', (t) => {
  const small = { m: 5, n: 3, k: 3, dtype: 'fp8' as const };
  // OS: A once per column fold (1), B once per row fold (2), outputs as float32.
  t.deepEqual(sramTraffic(serial4, 'os', small), { aReadBytes: 15, bReadBytes: 18, psumReadBytes: 0, outputWriteBytes: 60 });
  t.deepEqual(sramTraffic(serial4, 'ws', small), { aReadBytes: 15, bReadBytes: 9, psumReadBytes: 0, outputWriteBytes: 60 });
  // WS, 8x8x8 bf16: 2 column folds, 2 K folds: one partial-sum read-back per output.
  t.deepEqual(sramTraffic(serial4, 'ws', { m: 8, n: 8, k: 8, dtype: 'bf16' }), {
    aReadBytes: 64 * 2 * 2,
    bReadBytes: 64 * 2,
    psumReadBytes: 64 * 4,
    outputWriteBytes: 64 * 2 * 4,
  });
});

test('systolicCycles: a zero-row array is a model error naming the field', (t) => {
  const error = t.throws(() => systolicMapping({ ...serial4, rows: 0 }, 'os', { m: 1, n: 1, k: 1 }), { instanceOf: ModelError });
  t.snapshot(error?.message);
});
