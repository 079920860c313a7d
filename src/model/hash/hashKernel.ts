// Fast exact path of the n-gram hash (engram-spec.md §3.3-3.4) on 32-bit limbs held in doubles.
// Every intermediate is an integer below 2^53, so results equal the BigInt reference bit for bit.
import type { LayerHashMapping } from './types.ts';

const TWO_POW_16 = 65536;
const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_32 = 1 / TWO_POW_32;
const TWO_POW_MINUS_16 = 1 / TWO_POW_16;

/** Below this every p keeps hi·(2^32 mod p) + lo under 2^53, so one product replaces two. */
const NARROW_PRIME_LIMIT = 2 ** 21;
/** Per-head constants are interleaved as [p, 2^48 mod p, 2^32 mod p, 1/p] for locality. */
const HEAD_STRIDE = 4;

/** A layer's constants unpacked for the inner loop: limbs of each multiplier, residues of each prime. */
export interface LayerKernel {
  readonly maxNgramSize: number;
  readonly nHeadPerNgram: number;
  /** High and low uint32 limbs of m_k, read as uint64. */
  readonly multiplierHi: Float64Array;
  readonly multiplierLo: Float64Array;
  /**
   * Per head, in output order: p, 2^48 mod p, 2^32 mod p and 1/p. A 64-bit value then reduces as
   * h1·2^48 + h0·2^32 + lo, and 1/p gives a quotient estimate that is off by at most one.
   */
  readonly headConstants: Float64Array;
  /** Whether every p is below 2^21, so the reduction may use hi·2^32 + lo directly. */
  readonly narrow: boolean;
}

/** Contract: the moduli must be in [1, 2^31) (they are table sizes written into an Int32Array). */
export function buildLayerKernel(layer: LayerHashMapping, nHeadPerNgram: number): LayerKernel {
  const n = layer.multipliers.length;
  const multiplierHi = new Float64Array(n);
  const multiplierLo = new Float64Array(n);
  for (const [k, m] of layer.multipliers.entries()) {
    const bits = BigInt.asUintN(64, m);
    multiplierHi[k] = Number(bits >> 32n);
    multiplierLo[k] = Number(bits & 0xffffffffn);
  }
  const headConstants = new Float64Array(layer.primes.length * HEAD_STRIDE);
  for (const [h, p] of layer.primes.entries()) {
    headConstants.set([p, (2 ** 48) % p, TWO_POW_32 % p, 1 / p], h * HEAD_STRIDE);
  }
  return { maxNgramSize: n, nHeadPerNgram, multiplierHi, multiplierLo, headConstants, narrow: layer.primes.every((p) => p < NARROW_PRIME_LIMIT) };
}

/**
 * Writes T · (N-1) · H head indices of one sequence into `out` at [t][order][head].
 * Products are taken mod 2^64 with ids sign-extended, which is numpy's int64 behaviour.
 */
export function hashSequenceInto(kernel: LayerKernel, ids: Int32Array, padCompressed: number, out: Int32Array): void {
  const { maxNgramSize, nHeadPerNgram, multiplierHi, multiplierLo, headConstants: hc, narrow } = kernel;
  const length = ids.length;
  let o = 0;
  for (let t = 0; t < length; t++) {
    let accHi = 0;
    let accLo = 0;
    let c = 0;
    for (let k = 0; k < maxNgramSize; k++) {
      const x = t >= k ? ids[t - k]! : padCompressed;
      const xu = x >>> 0;
      const mLo = multiplierLo[k]!;
      // Low word of xu·mLo is exact from Math.imul; the high word comes from 16-bit partial products (< 2^48).
      const lo = Math.imul(xu, mLo);
      const partLow = (xu & 0xffff) * mLo;
      const partHigh = (xu >>> 16) * mLo;
      const partHighTop = Math.floor(partHigh * TWO_POW_MINUS_16);
      const middle = (partHigh - partHighTop * TWO_POW_16) * TWO_POW_16 + partLow;
      let hi = partHighTop + Math.floor(middle * TWO_POW_MINUS_32) + Math.imul(xu, multiplierHi[k]!);
      // A negative id is xu - 2^32 as int64, which subtracts mLo·2^32 from the product.
      if (x < 0) hi -= mLo;
      // ^ applies ToInt32, i.e. reduces the integral double mod 2^32 exactly.
      accHi ^= hi;
      accLo ^= lo;
      if (k === 0) continue;
      const low = accLo >>> 0;
      // The mix is the signed int64 accHi·2^32 + low; s below is congruent to it mod p and |s| < 2^53.
      // Two copies of the head loop: testing `narrow` per head instead measured about 12% slower.
      if (narrow) {
        for (let j = 0; j < nHeadPerNgram; j++, c += HEAD_STRIDE) {
          const p = hc[c]!;
          const s = accHi * hc[c + 2]! + low;
          let r = s - Math.floor(s * hc[c + 3]!) * p;
          if (r < 0) r += p;
          else if (r >= p) r -= p;
          out[o++] = r;
        }
      } else {
        const h1 = accHi >> 16;
        const h0 = accHi & 0xffff;
        for (let j = 0; j < nHeadPerNgram; j++, c += HEAD_STRIDE) {
          const p = hc[c]!;
          const s = h1 * hc[c + 1]! + h0 * hc[c + 2]! + low;
          let r = s - Math.floor(s * hc[c + 3]!) * p;
          if (r < 0) r += p;
          else if (r >= p) r -= p;
          out[o++] = r;
        }
      }
    }
  }
}
