// Bytes and FLOPs of one GEMM: operands, BF16 output and the FP8 scales of DeepSeek-V3's recipe
// (arXiv 2412.19437 §3.3.2: 1x128 activation tiles, 128x128 weight blocks; float32 scales as DeepGEMM on SM90).
import { ModelError, showValue } from '../core/index.ts';
import { ACTIVATION_TILE_LAYOUT, WEIGHT_BLOCK_LAYOUT, type ScaleLayout } from '../fp8/index.ts';
import { COMPUTE_DTYPES, type ComputeDtype } from '../spec/index.ts';
import type { DramTraffic, GemmShape } from './types.ts';

export const OPERAND_BYTES: Readonly<Record<ComputeDtype, number>> = Object.freeze({ fp8: 1, bf16: 2 });
/** FP8 GEMMs write BF16 (DeepSeek-V3 §3.3.1, DeepGEMM); BF16 GEMMs too. */
export const OUTPUT_BYTES = 2;
/** Float32 partial sums. */
export const ACCUMULATOR_BYTES = 4;
/** DeepGEMM on SM90 takes float32 scales (facts.md §B). */
export const SCALE_BYTES = 4;

function blockShape(layout: ScaleLayout): { rows: number; cols: number } {
  if (layout.kind !== 'blocks') throw new ModelError('operandBytes: expected a block scale layout, got per-tensor');
  return { rows: layout.blockRows, cols: layout.blockCols };
}

const ACTIVATION_BLOCK = blockShape(ACTIVATION_TILE_LAYOUT);
const WEIGHT_BLOCK = blockShape(WEIGHT_BLOCK_LAYOUT);

const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

/** Bytes of `rows` rows of A over `k` columns of K, with their 1x128 scales when FP8. */
export function aPanelBytes(rows: number, k: number, dtype: ComputeDtype): number {
  return rows * k * OPERAND_BYTES[dtype] + aScaleBytes(rows, k, dtype);
}

/** Bytes of `cols` columns of B over `k` rows of K, with their 128x128 scales when FP8. */
export function bPanelBytes(cols: number, k: number, dtype: ComputeDtype): number {
  return cols * k * OPERAND_BYTES[dtype] + bScaleBytes(cols, k, dtype);
}

export function aScaleBytes(rows: number, k: number, dtype: ComputeDtype): number {
  return dtype === 'fp8' ? ceilDiv(rows, ACTIVATION_BLOCK.rows) * ceilDiv(k, ACTIVATION_BLOCK.cols) * SCALE_BYTES : 0;
}

export function bScaleBytes(cols: number, k: number, dtype: ComputeDtype): number {
  return dtype === 'fp8' ? ceilDiv(cols, WEIGHT_BLOCK.rows) * ceilDiv(k, WEIGHT_BLOCK.cols) * SCALE_BYTES : 0;
}

/** Multiply-adds count twice. */
export function gemmFlops(shape: GemmShape): number {
  return 2 * shape.m * shape.n * shape.k;
}

/** Every operand read once and the output written once: the least traffic any schedule can have. */
export function compulsoryTraffic(shape: GemmShape): DramTraffic {
  return trafficWithReads(shape, 1, 1);
}

/** Bytes of all of A read `aReads` times, of B `bReads` times, of the output written once, and of the scales read with their operands. */
const aReadBytes = ({ m, k, dtype }: GemmShape, aReads: number): number => m * k * OPERAND_BYTES[dtype] * aReads;
const bReadBytes = ({ n, k, dtype }: GemmShape, bReads: number): number => n * k * OPERAND_BYTES[dtype] * bReads;
const outputBytes = ({ m, n }: GemmShape): number => m * n * OUTPUT_BYTES;
const scaleReadBytes = ({ m, n, k, dtype }: GemmShape, aReads: number, bReads: number): number => aScaleBytes(m, k, dtype) * aReads + bScaleBytes(n, k, dtype) * bReads;

/** Traffic when all of A is read `aReads` times and all of B `bReads` times (scales follow their operand). */
export function trafficWithReads(shape: GemmShape, aReads: number, bReads: number): DramTraffic {
  const aBytes = aReadBytes(shape, aReads);
  const bBytes = bReadBytes(shape, bReads);
  const cBytes = outputBytes(shape);
  const scaleBytes = scaleReadBytes(shape, aReads, bReads);
  return { aBytes, bBytes, cBytes, scaleBytes, totalBytes: aBytes + bBytes + cBytes + scaleBytes };
}

/** trafficWithReads(shape, aReads, bReads).totalBytes, the same sums in the same order, without the record. */
export function totalBytesWithReads(shape: GemmShape, aReads: number, bReads: number): number {
  return aReadBytes(shape, aReads) + bReadBytes(shape, bReads) + outputBytes(shape) + scaleReadBytes(shape, aReads, bReads);
}

/** Throws a ModelError naming `caller` unless m, n, k are positive safe integers and dtype is known. */
export function checkShape(shape: GemmShape, caller: string): void {
  for (const dim of ['m', 'n', 'k'] as const) {
    const value = shape[dim];
    if (!Number.isSafeInteger(value) || value < 1) throw new ModelError(`${caller}: shape.${dim}: expected a positive integer, got ${showValue(value)}`);
  }
  if (!(COMPUTE_DTYPES as readonly string[]).includes(shape.dtype)) {
    throw new ModelError(`${caller}: shape.dtype: expected one of ${COMPUTE_DTYPES.join(', ')}, got ${showValue(shape.dtype)}`);
  }
  // 2mnk must stay exact in a float64 so that FLOP counts and utilisations compare exactly.
  if (!Number.isSafeInteger(2 * shape.m * shape.n * shape.k)) {
    throw new ModelError(`${caller}: shape: expected 2 x m x n x k <= 2^53, got ${shape.m} x ${shape.n} x ${shape.k}`);
  }
}
