// Error measures for an approximate matrix against a reference, in float64: relative Frobenius error, maximum
// absolute error, and DeepGEMM's calc_diff (deep_gemm/testing/numeric.py; its tests require diff < 0.001).
import { ModelError } from '../../core/index.ts';

/** DeepGEMM's tests accept a GEMM whose calc_diff against the reference is below this. */
export const DEEPGEMM_DIFF_LIMIT = 0.001;

export interface MatrixError {
  readonly count: number;
  /** ||x - ref||_F / ||ref||_F. */
  readonly relFrobenius: number;
  /** max |x - ref|. */
  readonly maxAbsError: number;
  /** max |ref|, to read maxAbsError against. */
  readonly maxAbsReference: number;
  /** 1 - 2·Σ(x·ref) / Σ(x² + ref²): 0 for equal matrices, scale-free, symmetric. */
  readonly deepGemmDiff: number;
}

export interface AbsChange {
  readonly mean: number;
  readonly max: number;
}

function checkLengths(fn: string, x: ArrayLike<number>, reference: ArrayLike<number>): void {
  if (x.length !== reference.length) throw new ModelError(`${fn}: x: expected the reference's length ${reference.length}, got ${x.length}`);
  if (x.length === 0) throw new ModelError(`${fn}: x: expected at least one value, got an empty array`);
}

/**
 * Elements x[i] for i in the row-major column block [colStart, colEnd) of a `cols`-wide matrix, or all
 * elements when no block is given; sums are float64 in index order.
 */
export function matrixError(x: ArrayLike<number>, reference: ArrayLike<number>, block?: { cols: number; colStart: number; colEnd: number }): MatrixError {
  checkLengths('matrixError', x, reference);
  const cols = block?.cols ?? x.length;
  const c0 = block?.colStart ?? 0;
  const c1 = block?.colEnd ?? cols;
  if (!(Number.isInteger(cols) && cols >= 1 && x.length % cols === 0 && Number.isInteger(c0) && Number.isInteger(c1) && c0 >= 0 && c0 < c1 && c1 <= cols)) {
    throw new ModelError(`matrixError: block: expected 0 <= colStart < colEnd <= cols with cols dividing ${x.length}, got ${JSON.stringify(block)}`);
  }
  let diffSquares = 0;
  let refSquares = 0;
  let xSquares = 0;
  let cross = 0;
  let maxAbsError = 0;
  let maxAbsReference = 0;
  let count = 0;
  for (let row = 0; row < x.length; row += cols) {
    for (let i = row + c0; i < row + c1; i++) {
      const xi = x[i]!;
      const ri = reference[i]!;
      const d = xi - ri;
      diffSquares += d * d;
      refSquares += ri * ri;
      xSquares += xi * xi;
      cross += xi * ri;
      maxAbsError = Math.max(maxAbsError, Math.abs(d));
      maxAbsReference = Math.max(maxAbsReference, Math.abs(ri));
      count++;
    }
  }
  return {
    count,
    relFrobenius: Math.sqrt(diffSquares) / Math.sqrt(refSquares),
    maxAbsError,
    maxAbsReference,
    deepGemmDiff: 1 - (2 * cross) / (xSquares + refSquares),
  };
}

/** Mean and maximum of |x[i] - reference[i]|. */
export function absChange(x: ArrayLike<number>, reference: ArrayLike<number>): AbsChange {
  checkLengths('absChange', x, reference);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i]! - reference[i]!);
    sum += d;
    max = Math.max(max, d);
  }
  return { mean: sum / x.length, max };
}
