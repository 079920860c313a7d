// Per-tier counters of a gather run: lookups served, rows moved, bytes, and the row latency distribution
// (issue at the gather engine to data in GPU memory) as percentiles and a power-of-two histogram.
import { LatencyHistogram, type Percentiles } from '../histogram.ts';

/** Histogram bins are [2^k, 2^(k+1)) ns; latencies below 1 ns land in bin 0. */
const LOG2_BINS = 48;

export interface LatencyBins {
  /** Lower edge of each non-empty bin, in ns (powers of two). */
  readonly lowNs: readonly number[];
  readonly counts: readonly number[];
}

export class TierStats {
  lookups = 0;
  fetches = 0;
  delivered = 0;
  bytes = 0;
  private readonly latencyPs = new LatencyHistogram();
  private readonly bins = new Float64Array(LOG2_BINS);

  constructor(
    readonly kind: string,
    readonly name: string,
  ) {}

  record(latencyPs: number, bytes: number): void {
    this.delivered++;
    this.bytes += bytes;
    this.latencyPs.add(latencyPs);
    const ns = latencyPs / 1000;
    const bin = ns < 1 ? 0 : Math.min(LOG2_BINS - 1, Math.floor(Math.log2(ns)));
    this.bins[bin]!++;
  }

  latencyNs(): Percentiles {
    return this.latencyPs.summary(1 / 1000);
  }

  histogram(): LatencyBins {
    const lowNs: number[] = [];
    const counts: number[] = [];
    for (let k = 0; k < LOG2_BINS; k++) {
      if (this.bins[k]! > 0) {
        lowNs.push(2 ** k);
        counts.push(this.bins[k]!);
      }
    }
    return { lowNs, counts };
  }
}
