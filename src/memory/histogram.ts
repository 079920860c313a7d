// Latency histogram in integer cycles, exact below 4096 cycles and within 1/128 relative above
// (log-linear buckets, as HdrHistogram does), so 100 M requests need a fixed 24 KiB.
import { SimError } from '../core/index.ts';

const EXACT = 4096;
const EXACT_BITS = 12;
const SUB_BITS = 7;
const SUB = 1 << SUB_BITS;
const MAX_EXPONENT = 53;

export interface Percentiles {
  readonly mean: number;
  readonly p50: number;
  readonly p99: number;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(EXACT + (MAX_EXPONENT - EXACT_BITS + 1) * SUB);
  count = 0;
  private sum = 0;
  min = Infinity;
  max = -Infinity;

  /**
   * A histogram with the given bucket counts (as `add` fills them) and totals; how the compiled memsim core
   * (src/memory/compiledCore.ts) hands its latency histogram back.
   */
  static fromBuckets(counts: ArrayLike<number>, count: number, sum: number, min: number, max: number): LatencyHistogram {
    const h = new LatencyHistogram();
    if (counts.length !== h.counts.length) throw new SimError(`LatencyHistogram.fromBuckets: counts: expected ${h.counts.length} buckets, got ${counts.length}`);
    h.counts.set(counts);
    h.count = count;
    h.sum = sum;
    h.min = min;
    h.max = max;
    return h;
  }

  /** Adds one sample; `cycles` is a non-negative integer. */
  add(cycles: number): void {
    this.counts[bucketOf(cycles)]!++;
    this.count++;
    this.sum += cycles;
    if (cycles < this.min) this.min = cycles;
    if (cycles > this.max) this.max = cycles;
  }

  mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** Nearest-rank quantile (the smallest sample with at least q of all samples at or below it). */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(Math.max(lowerBound(i), this.min), this.max);
    }
    return this.max;
  }

  /** Mean, p50 and p99 scaled by `scale` (e.g. tCK in ns to report nanoseconds). */
  summary(scale = 1): Percentiles {
    return { mean: this.mean() * scale, p50: this.quantile(0.5) * scale, p99: this.quantile(0.99) * scale };
  }
}

function bucketOf(v: number): number {
  if (v < EXACT) return v;
  const e = Math.floor(Math.log2(v));
  const m = Math.floor(v / 2 ** (e - SUB_BITS)) - SUB;
  return EXACT + (e - EXACT_BITS) * SUB + m;
}

function lowerBound(index: number): number {
  if (index < EXACT) return index;
  const e = Math.floor((index - EXACT) / SUB) + EXACT_BITS;
  const m = (index - EXACT) % SUB;
  return (SUB + m) * 2 ** (e - SUB_BITS);
}

/** Nearest-rank mean/p50/p99 of a small sample (e.g. batch times); the input is not modified. */
export function summarize(values: ArrayLike<number>, scale = 1): Percentiles {
  const n = values.length;
  if (n === 0) return { mean: 0, p50: 0, p99: 0 };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  const at = (q: number): number => sorted[Math.max(1, Math.ceil(q * n)) - 1]!;
  return { mean: (sum / n) * scale, p50: at(0.5) * scale, p99: at(0.99) * scale };
}
