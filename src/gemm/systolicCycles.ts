// Exact cycle counts of a GEMM folded onto R x C systolic arrays, weight- and output-stationary, after
// SCALE-Sim (Samajdar et al., arXiv 1811.02883; scale-sim-v2 compute/systolic_compute_{ws,os}.py).
//
// Mapping of C[M x N] = A[M x K] * B[K x N] (S_R on rows, S_C on columns, T streamed):
//   OS: S_R = M, S_C = N, T = K   (each PE accumulates one output)
//   WS: S_R = K, S_C = N, T = M   (each PE holds one weight; A rows stream through)
// Folds F = ceil(S_R / R) * ceil(S_C / C); a partial fold is zero-padded to the full array, as SCALE-Sim
// pads it, so every fold costs the same. With U arrays the folds are dealt round-robin: F_u = ceil(F / U).
//
// One fold, cycle by cycle: operand (t, i, j) meets PE(i, j) at cycle t + i + j (skewed edges), so the
// wavefront needs T + R + C - 2 cycles; the stationary operand costs R more (WS: shift R weight rows in
// before streaming; OS: shift R output rows out after). Hence SCALE-Sim's 2R + C + T - 2 per fold.
//   serial    (each fold finishes before the next starts):   F_u * (2R + C + T - 2)
//   pipelined (stationary operand double-buffered; the next fold streams right behind the current one,
//              no sooner than T cycles for its stream and R cycles for the weight load or output drain):
//              (F_u - 1) * max(T, R) + (2R + C + T - 2)
// Both agree when F_u = 1. test/gemm/systolicCycles.test.ts checks them against a register-level
// simulation and hand counts on a 4 x 4 array.
import { ModelError, showValue } from '../core/index.ts';
import type { Dataflow, FoldOverlap } from '../spec/index.ts';
import { ACCUMULATOR_BYTES, OPERAND_BYTES } from './operandBytes.ts';
import type { ArrayMapping, GemmShape, SramTraffic } from './types.ts';

export interface ArrayGeometry {
  readonly rows: number;
  readonly cols: number;
  /** Identical arrays sharing the work (TPU MXUs). */
  readonly arrays: number;
  readonly foldOverlap: FoldOverlap;
}

/** What each dataflow puts on rows, on columns and in time. */
export function spatialMapping(dataflow: Dataflow, m: number, n: number, k: number): { spatialRows: number; spatialCols: number; temporal: number } {
  return dataflow === 'os' ? { spatialRows: m, spatialCols: n, temporal: k } : { spatialRows: k, spatialCols: n, temporal: m };
}

/** Cycles of one fold run alone: fill, stream and drain of the wavefront plus the stationary operand's R. */
export function foldCycles(rows: number, cols: number, temporal: number): number {
  return 2 * rows + cols + temporal - 2;
}

/** Cycles of `folds` equal folds run back to back on one array. */
export function foldSequenceCycles(folds: number, rows: number, cols: number, temporal: number, overlap: FoldOverlap): number {
  if (folds === 0) return 0;
  const single = foldCycles(rows, cols, temporal);
  return overlap === 'serial' ? folds * single : (folds - 1) * Math.max(temporal, rows) + single;
}

function checkGeometry(geometry: ArrayGeometry): void {
  for (const key of ['rows', 'cols', 'arrays'] as const) {
    const value = geometry[key];
    if (!Number.isSafeInteger(value) || value < 1) throw new ModelError(`systolicMapping: geometry.${key}: expected a positive integer, got ${showValue(value)}`);
  }
}

/** Folds, their spread over the arrays, and the exact compute cycles of the busiest array. */
export function systolicMapping(geometry: ArrayGeometry, dataflow: Dataflow, shape: Pick<GemmShape, 'm' | 'n' | 'k'>): ArrayMapping {
  checkGeometry(geometry);
  const { rows, cols, arrays, foldOverlap } = geometry;
  const { spatialRows, spatialCols, temporal } = spatialMapping(dataflow, shape.m, shape.n, shape.k);
  const folds = Math.ceil(spatialRows / rows) * Math.ceil(spatialCols / cols);
  const foldsPerArray = Math.ceil(folds / arrays);
  return {
    dataflow,
    foldOverlap,
    rows,
    cols,
    arrays,
    spatialRows,
    spatialCols,
    temporal,
    folds,
    foldsPerArray,
    computeCycles: foldSequenceCycles(foldsPerArray, rows, cols, temporal, foldOverlap),
  };
}

/**
 * Bytes between on-chip SRAM and the arrays, counting real (unpadded) elements as SCALE-Sim's
 * ifmap/filter/ofmap reads and writes do. Outputs leave the array as float32 partial sums; scales are
 * applied outside the array and not counted.
 *   OS: A is streamed once per column fold, B once per row fold, each output written once.
 *   WS: B is loaded once, A streamed once per column fold; each K fold writes partial sums that the
 *       next K fold reads back (ceil(K / R) - 1 read-backs).
 */
export function sramTraffic(geometry: ArrayGeometry, dataflow: Dataflow, shape: GemmShape): SramTraffic {
  const { m, n, k, dtype } = shape;
  const element = OPERAND_BYTES[dtype];
  const colFolds = Math.ceil(n / geometry.cols);
  if (dataflow === 'os') {
    const rowFolds = Math.ceil(m / geometry.rows);
    return {
      aReadBytes: m * k * colFolds * element,
      bReadBytes: k * n * rowFolds * element,
      psumReadBytes: 0,
      outputWriteBytes: m * n * ACCUMULATOR_BYTES,
    };
  }
  const kFolds = Math.ceil(k / geometry.rows);
  return {
    aReadBytes: m * k * colFolds * element,
    bReadBytes: k * n * element,
    psumReadBytes: m * n * (kFolds - 1) * ACCUMULATOR_BYTES,
    outputWriteBytes: m * n * kFolds * ACCUMULATOR_BYTES,
  };
}
