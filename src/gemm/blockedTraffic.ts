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

/** Largest size in ascending `sizes` whose footprint fits, or undefined; footprints grow with size. */
function largestFitting(sizes: readonly number[], footprint: (size: number) => number, capacity: number): number | undefined {
  for (let i = sizes.length - 1; i >= 0; i--) if (footprint(sizes[i]!) <= capacity) return sizes[i];
  return undefined;
}

export function blockedDramTraffic(shape: GemmShape, buffer: BufferSpec): { traffic: DramTraffic; blocking: DramBlocking } {
  const { m, n, k, dtype } = shape;
  const capacity = buffer.bufferBytes;
  const sizesM = blockSizes(m, buffer.granularityM);
  const sizesN = blockSizes(n, buffer.granularityN);
  const bm0 = Math.min(m, buffer.granularityM);
  const bn0 = Math.min(n, buffer.granularityN);
  const kc = Math.min(k, buffer.granularityK);
  const candidates: Candidate[] = [];
  const add = (strategy: DramBlocking['strategy'], blockM: number, blockN: number, aReads: number, bReads: number, used: number): void => {
    candidates.push({
      blocking: { strategy, blockM, blockN, aReads, bReads, bufferBytes: capacity, bufferUsedBytes: used },
      traffic: trafficWithReads(shape, aReads, bReads),
    });
  };

  const residentB = (bn: number) => bPanelBytes(bn, k, dtype) + 2 * aPanelBytes(bm0, k, dtype) + 2 * bm0 * bn * OUTPUT_BYTES;
  const bn = largestFitting(sizesN, residentB, capacity);
  if (bn !== undefined) add('resident-b', bm0, bn, Math.ceil(n / bn), 1, residentB(bn));

  const residentA = (bm: number) => aPanelBytes(bm, k, dtype) + 2 * bPanelBytes(bn0, k, dtype) + 2 * bm * bn0 * OUTPUT_BYTES;
  const bm = largestFitting(sizesM, residentA, capacity);
  if (bm !== undefined) add('resident-a', bm, bn0, 1, Math.ceil(m / bm), residentA(bm));

  for (const blockM of sizesM) {
    const blocked = (blockN: number) => blockM * blockN * ACCUMULATOR_BYTES + 2 * (aPanelBytes(blockM, kc, dtype) + bPanelBytes(blockN, kc, dtype));
    const blockN = largestFitting(sizesN, blocked, capacity);
    if (blockN === undefined) break;
    add('blocked', blockM, blockN, Math.ceil(n / blockN), Math.ceil(m / blockM), blocked(blockN));
  }

  let best: Candidate | undefined;
  for (const c of candidates) {
    if (
      best === undefined ||
      c.traffic.totalBytes < best.traffic.totalBytes ||
      (c.traffic.totalBytes === best.traffic.totalBytes && c.blocking.strategy === best.blocking.strategy && c.blocking.bufferUsedBytes < best.blocking.bufferUsedBytes)
    ) {
      best = c;
    }
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
