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
import { ACCUMULATOR_BYTES, OUTPUT_BYTES, aPanelBytes, bPanelBytes, trafficWithReads } from './operandBytes.ts';
import type { DramBlocking, DramTraffic, GemmShape } from './types.ts';

export interface BufferSpec {
  readonly bufferBytes: number;
  /** Smallest useful block along M, N and K (the array's rows, columns, reduction depth). */
  readonly granularityM: number;
  readonly granularityN: number;
  readonly granularityK: number;
}

interface Candidate {
  readonly blocking: DramBlocking;
  readonly traffic: DramTraffic;
}

/** Above this many multiples the candidates thin out to powers of two times the granularity. */
const MAX_LINEAR_BLOCK_SIZES = 1024;

/** Multiples of `granularity` below `dim` (power-of-two multiples when there are very many), then `dim`. */
export function blockSizes(dim: number, granularity: number): number[] {
  const sizes: number[] = [];
  const linear = Math.ceil(dim / granularity) <= MAX_LINEAR_BLOCK_SIZES;
  for (let size = granularity; size < dim; size = linear ? size + granularity : size * 2) sizes.push(size);
  sizes.push(dim);
  return sizes;
}

type Footprint = (size: number, other: number, k: number, dtype: GemmShape['dtype']) => number;

/**
 * Largest size in ascending `sizes` whose footprint (given the other block dimension) fits, or undefined;
 * footprints grow with size. The footprints are top-level functions, not closures: this runs for every point
 * of a sweep, and a closure made per call costs an allocation (and tsx's name-keeping helper) each time.
 */
function largestFitting(sizes: readonly number[], footprint: Footprint, other: number, k: number, dtype: GemmShape['dtype'], capacity: number): number | undefined {
  for (let i = sizes.length - 1; i >= 0; i--) if (footprint(sizes[i]!, other, k, dtype) <= capacity) return sizes[i];
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
  const sizesM = blockSizes(m, buffer.granularityM);
  const sizesN = blockSizes(n, buffer.granularityN);
  const bm0 = Math.min(m, buffer.granularityM);
  const bn0 = Math.min(n, buffer.granularityN);
  const kc = Math.min(k, buffer.granularityK);
  let best: Candidate | undefined;
  /** Keeps the candidate if it moves fewer bytes, or as many with the same strategy in less buffer. */
  const consider = (strategy: DramBlocking['strategy'], blockM: number, blockN: number, aReads: number, bReads: number, used: number): void => {
    const traffic = trafficWithReads(shape, aReads, bReads);
    if (
      best === undefined ||
      traffic.totalBytes < best.traffic.totalBytes ||
      (traffic.totalBytes === best.traffic.totalBytes && strategy === best.blocking.strategy && used < best.blocking.bufferUsedBytes)
    ) {
      best = { blocking: { strategy, blockM, blockN, aReads, bReads, bufferBytes: capacity, bufferUsedBytes: used }, traffic };
    }
  };

  const bn = largestFitting(sizesN, residentBBytes, bm0, k, dtype, capacity);
  if (bn !== undefined) consider('resident-b', bm0, bn, Math.ceil(n / bn), 1, residentBBytes(bn, bm0, k, dtype));

  const bm = largestFitting(sizesM, residentABytes, bn0, k, dtype, capacity);
  if (bm !== undefined) consider('resident-a', bm, bn0, 1, Math.ceil(m / bm), residentABytes(bm, bn0, k, dtype));

  for (const blockM of sizesM) {
    const blockN = largestFitting(sizesN, blockedBytes, blockM, kc, dtype, capacity);
    if (blockN === undefined) break;
    consider('blocked', blockM, blockN, Math.ceil(n / blockN), Math.ceil(m / blockM), blockedBytes(blockN, blockM, kc, dtype));
  }

  if (best === undefined) {
    throw new ModelError(
      `blockedDramTraffic: bufferBytes: ${capacity} B cannot hold the smallest block (${bm0} x ${bn0} outputs with K chunks of ${kc}) of a ${m} x ${n} x ${k} ${dtype} GEMM; expected at least ${
        bm0 * bn0 * ACCUMULATOR_BYTES + 2 * (aPanelBytes(bm0, kc, dtype) + bPanelBytes(bn0, kc, dtype))
      } B`,
    );
  }
  return best;
}
