// DRAM traffic of a GEMM staged through a software-managed on-chip buffer (TPU VMEM, FPGA BRAM + URAM):
// the least-traffic blocking among three classic schedules that fit the buffer (cf. LLMCompass's tile
// search and Timeloop's buffer-capacity constraint; peers.md).
//
//   resident-b: a B panel [K x bn] stays on chip while all of A streams past it in blocks of bm0 rows
//               (double-buffered), outputs leave in double-buffered [bm0 x bn] BF16 blocks.
//               A is read ceil(N / bn) times, B once.
//   resident-a: the mirror image: A read once, B ceil(M / bm) times.
//   blocked:    a [bm x bn] float32 accumulator block stays on chip while K streams in double-buffered
//               chunks of kc; A is read ceil(N / bn) times, B ceil(M / bm) times.
// bm0 (bn0) is the smallest block the array consumes, min(M, granularityM); kc = min(K, granularityK).
// Block sizes are multiples of the granularity (or the whole dimension). When A and B fit, traffic is
// compulsory. Ties go to the earlier strategy above, then to the smaller buffer footprint.
import { ModelError } from '../core/index.ts';
import { ACCUMULATOR_BYTES, OUTPUT_BYTES, aPanelBytes, bPanelBytes, totalBytesWithReads, trafficWithReads } from './operandBytes.ts';
import type { DramBlocking, DramTraffic, GemmShape } from './types.ts';

export interface BufferSpec {
  readonly bufferBytes: number;
  /** Smallest useful block along M, N and K (the array's rows, columns, reduction depth). */
  readonly granularityM: number;
  readonly granularityN: number;
  readonly granularityK: number;
}

/** Above this many multiples the candidates thin out to powers of two times the granularity. */
const MAX_LINEAR_BLOCK_SIZES = 1024;

/**
 * The candidate block sizes along one dimension, by position: multiples of the granularity below `dim` (power-of-
 * two multiples when there are very many), then `dim`. Read by position rather than listed: this runs for every
 * point of a sweep, and these lists with a record per candidate (below) were a quarter of the bytes a gemm sweep
 * point allocated (7.0 -> 5.3 kB, sampled).
 */
interface Sizes {
  readonly dim: number;
  readonly granularity: number;
  readonly linear: boolean;
  readonly count: number;
}

function sizesOf(dim: number, granularity: number): Sizes {
  const multiples = Math.ceil(dim / granularity);
  const linear = multiples <= MAX_LINEAR_BLOCK_SIZES;
  let count = multiples;
  if (!linear) {
    count = 1;
    for (let size = granularity; size < dim; size *= 2) count++;
  }
  return { dim, granularity, linear, count };
}

/** Size i of `sizes` (0 <= i < count), ascending. */
function sizeAt(sizes: Sizes, i: number): number {
  if (i === sizes.count - 1) return sizes.dim;
  return sizes.linear ? sizes.granularity * (i + 1) : sizes.granularity * 2 ** i;
}

/** Multiples of `granularity` below `dim` (power-of-two multiples when there are very many), then `dim`. */
export function blockSizes(dim: number, granularity: number): number[] {
  const sizes = sizesOf(dim, granularity);
  return Array.from({ length: sizes.count }, (_, i) => sizeAt(sizes, i));
}

type Footprint = (size: number, other: number, k: number, dtype: GemmShape['dtype']) => number;

/**
 * Largest size of `sizes` whose footprint (given the other block dimension) fits, or undefined; footprints
 * grow with size. The footprints are top-level functions, not closures: this runs for every point of a sweep,
 * and a closure made per call costs an allocation (and tsx's name-keeping helper) each time.
 */
function largestFitting(sizes: Sizes, footprint: Footprint, other: number, k: number, dtype: GemmShape['dtype'], capacity: number): number | undefined {
  for (let i = sizes.count - 1; i >= 0; i--) {
    const size = sizeAt(sizes, i);
    if (footprint(size, other, k, dtype) <= capacity) return size;
  }
  return undefined;
}

/** resident-b: a [K x bn] B panel, double-buffered A blocks of bm0 rows and [bm0 x bn] outputs. */
const residentBBytes: Footprint = (bn, bm0, k, dtype) => bPanelBytes(bn, k, dtype) + 2 * aPanelBytes(bm0, k, dtype) + 2 * bm0 * bn * OUTPUT_BYTES;
/** resident-a: a [bm x K] A panel, double-buffered B blocks of bn0 columns and [bm x bn0] outputs. */
const residentABytes: Footprint = (bm, bn0, k, dtype) => aPanelBytes(bm, k, dtype) + 2 * bPanelBytes(bn0, k, dtype) + 2 * bm * bn0 * OUTPUT_BYTES;
/** blocked: a [blockM x blockN] float32 accumulator and double-buffered K chunks of kc (passed as k). */
const blockedBytes: Footprint = (blockN, blockM, kc, dtype) => blockM * blockN * ACCUMULATOR_BYTES + 2 * (aPanelBytes(blockM, kc, dtype) + bPanelBytes(blockN, kc, dtype));

export function blockedDramTraffic(shape: GemmShape, buffer: BufferSpec): { traffic: DramTraffic; blocking: DramBlocking } {
  const { m, n, k, dtype } = shape;
  const capacity = buffer.bufferBytes;
  const sizesM = sizesOf(m, buffer.granularityM);
  const sizesN = sizesOf(n, buffer.granularityN);
  const bm0 = Math.min(m, buffer.granularityM);
  const bn0 = Math.min(n, buffer.granularityN);
  const kc = Math.min(k, buffer.granularityK);
  // The best candidate so far as plain numbers, its records built once at the end: a candidate wins if it moves
  // fewer bytes, or as many with the same strategy in less buffer.
  let bestStrategy: DramBlocking['strategy'] | undefined;
  let bestM = 0, bestN = 0, bestAReads = 0, bestBReads = 0, bestUsed = 0, bestTotal = 0;
  const consider = (strategy: DramBlocking['strategy'], blockM: number, blockN: number, aReads: number, bReads: number, used: number): void => {
    const total = totalBytesWithReads(shape, aReads, bReads);
    if (bestStrategy === undefined || total < bestTotal || (total === bestTotal && strategy === bestStrategy && used < bestUsed)) {
      bestStrategy = strategy;
      bestM = blockM;
      bestN = blockN;
      bestAReads = aReads;
      bestBReads = bReads;
      bestUsed = used;
      bestTotal = total;
    }
  };

  const bn = largestFitting(sizesN, residentBBytes, bm0, k, dtype, capacity);
  if (bn !== undefined) consider('resident-b', bm0, bn, Math.ceil(n / bn), 1, residentBBytes(bn, bm0, k, dtype));

  const bm = largestFitting(sizesM, residentABytes, bn0, k, dtype, capacity);
  if (bm !== undefined) consider('resident-a', bm, bn0, 1, Math.ceil(m / bm), residentABytes(bm, bn0, k, dtype));

  for (let i = 0; i < sizesM.count; i++) {
    const blockM = sizeAt(sizesM, i);
    const blockN = largestFitting(sizesN, blockedBytes, blockM, kc, dtype, capacity);
    if (blockN === undefined) break;
    consider('blocked', blockM, blockN, Math.ceil(n / blockN), Math.ceil(m / blockM), blockedBytes(blockN, blockM, kc, dtype));
  }

  if (bestStrategy === undefined) {
    throw new ModelError(
      `blockedDramTraffic: bufferBytes: ${capacity} B cannot hold the smallest block (${bm0} x ${bn0} outputs with K chunks of ${kc}) of a ${m} x ${n} x ${k} ${dtype} GEMM; expected at least ${
        bm0 * bn0 * ACCUMULATOR_BYTES + 2 * (aPanelBytes(bm0, kc, dtype) + bPanelBytes(bn0, kc, dtype))
      } B`,
    );
  }
  return {
    blocking: { strategy: bestStrategy, blockM: bestM, blockN: bestN, aReads: bestAReads, bReads: bestBReads, bufferBytes: capacity, bufferUsedBytes: bestUsed },
    traffic: trafficWithReads(shape, bestAReads, bestBReads),
  };
}
