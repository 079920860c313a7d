// numpy's default_rng bit generator, PCG64 (128-bit LCG, XSL-RR output), and its 64-bit Lemire bounded
// draw `integers(0, H)`, ported for the multiplier draw of engram-spec.md §3.1. BigInt: it runs a few times per layer.
import { ModelError, showValue } from '../../core/index.ts';
import { generateState64 } from './seedSequence.ts';

const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;
/** PCG's default 128-bit LCG multiplier. */
export const PCG64_MULTIPLIER = 0x2360ed051fc65da44385df649fccf645n;
const TWO_POW_32 = 1n << 32n;
const TWO_POW_64 = 1n << 64n;

/** PCG64 with the state layout of numpy's `PCG64` (state and odd increment, both mod 2^128). */
export class Pcg64 {
  private state: bigint;
  private readonly inc: bigint;

  /** Seeds as `pcg_setseq_128_srandom_r(initstate, initseq)` does. */
  constructor(initState: bigint, initSeq: bigint) {
    this.inc = ((initSeq << 1n) | 1n) & MASK128;
    this.state = 0n;
    this.step();
    this.state = (this.state + (initState & MASK128)) & MASK128;
    this.step();
  }

  /** `numpy.random.default_rng(seed).bit_generator`: PCG64 seeded through SeedSequence(seed). */
  static fromSeed(seed: bigint | number): Pcg64 {
    const [v0, v1, v2, v3] = generateState64(seed, 4) as [bigint, bigint, bigint, bigint];
    return new Pcg64((v0 << 64n) | v1, (v2 << 64n) | v3);
  }

  /** The current 128-bit state (for tests that cross-check another formulation). */
  get stateValue(): bigint {
    return this.state;
  }

  get increment(): bigint {
    return this.inc;
  }

  private step(): void {
    this.state = (this.state * PCG64_MULTIPLIER + this.inc) & MASK128;
  }

  /** Next raw 64-bit output: step, then rotate hi XOR lo right by the top 6 state bits. */
  next64(): bigint {
    this.step();
    const xored = ((this.state >> 64n) ^ this.state) & MASK64;
    const rot = this.state >> 122n;
    return ((xored >> rot) | (xored << ((64n - rot) & 63n))) & MASK64;
  }

  /**
   * `integers(0, high)` for 2^32 < high <= 2^64, as numpy's uint64/int64 path draws it (Lemire's
   * multiply-and-reject). Smaller bounds use numpy's buffered 32-bit path, which is not ported.
   */
  integers(high: bigint): bigint {
    if (high <= TWO_POW_32 || high > TWO_POW_64) {
      throw new ModelError(`Pcg64.integers: high: expected 2^32 < high <= 2^64 (the 32-bit path is not ported), got ${showValue(high)}`);
    }
    // numpy returns the raw draw when the inclusive range is the full 64 bits.
    if (high === TWO_POW_64) return this.next64();
    let m = this.next64() * high;
    let left = m & MASK64;
    if (left < high) {
      const threshold = (TWO_POW_64 - high) % high;
      while (left < threshold) {
        m = this.next64() * high;
        left = m & MASK64;
      }
    }
    return m >> 64n;
  }
}
