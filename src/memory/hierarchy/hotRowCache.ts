// The GPU HBM cache of hot rows (the paper's multi-level cache, facts.md A8): 'static' holds the top-K rows
// of a profile, 'lru' and 'lfu' (O(1) LFU, Shah et al. 2010) admit every miss. Capacity in rows.
import { SimError, showValue } from '../../core/index.ts';

export type HotRowPolicy = 'static' | 'lru' | 'lfu';
export const HOT_ROW_POLICIES: readonly HotRowPolicy[] = ['static', 'lru', 'lfu'];

/**
 * Contract: lookups within a batch see the contents as they were when the batch started (the gather
 * kernel probes a snapshot); `endBatch` then applies the batch's touches and admissions in lookup order.
 */
export class HotRowCache {
  private readonly staticRows: Set<number> | null;
  private readonly lru = new Map<number, true>();
  /** LFU: row -> frequency, and per frequency the rows in least-recent-first order. */
  private readonly freq = new Map<number, number>();
  private readonly byFreq = new Map<number, Set<number>>();
  private minFreq = 0;
  private readonly touched: number[] = [];

  private constructor(
    readonly policy: HotRowPolicy,
    readonly capacityRows: number,
    staticRows: Set<number> | null,
  ) {
    if (!Number.isInteger(capacityRows) || capacityRows < 0) throw new SimError(`HotRowCache: capacityRows: expected a non-negative integer, got ${showValue(capacityRows)}`);
    this.staticRows = staticRows;
  }

  /** A dynamic cache that admits misses ('lru' or 'lfu'). */
  static dynamic(policy: 'lru' | 'lfu', capacityRows: number): HotRowCache {
    return new HotRowCache(policy, capacityRows, null);
  }

  /**
   * A static cache of the capacityRows most frequent rows of `profile` (ties broken by lower row id,
   * so the choice is deterministic). Rows the profile never saw are never cached.
   */
  static fromProfile(capacityRows: number, profile: Iterable<Uint32Array>): HotRowCache {
    const counts = new Map<number, number>();
    for (const batch of profile) for (const row of batch) counts.set(row, (counts.get(row) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    const rows = new Set<number>();
    for (let i = 0; i < ranked.length && i < capacityRows; i++) rows.add(ranked[i]![0]);
    return new HotRowCache('static', capacityRows, rows);
  }

  /** Whether `row` is cached (snapshot semantics: does not change the cache). */
  contains(row: number): boolean {
    if (this.staticRows !== null) return this.staticRows.has(row);
    return this.policy === 'lru' ? this.lru.has(row) : this.freq.has(row);
  }

  /** Records one lookup of `row` in the current batch; applied at endBatch. */
  touch(row: number): void {
    if (this.staticRows === null) this.touched.push(row);
  }

  /** Applies the batch's lookups in order: hits refresh (LRU) or count (LFU), misses are admitted. */
  endBatch(): void {
    if (this.staticRows !== null || this.capacityRows === 0) {
      this.touched.length = 0;
      return;
    }
    for (const row of this.touched) {
      if (this.policy === 'lru') this.touchLru(row);
      else this.touchLfu(row);
    }
    this.touched.length = 0;
  }

  get size(): number {
    return this.staticRows?.size ?? (this.policy === 'lru' ? this.lru.size : this.freq.size);
  }

  private touchLru(row: number): void {
    if (this.lru.delete(row)) {
      this.lru.set(row, true);
      return;
    }
    if (this.lru.size >= this.capacityRows) this.lru.delete(this.lru.keys().next().value as number);
    this.lru.set(row, true);
  }

  private touchLfu(row: number): void {
    const f = this.freq.get(row);
    if (f !== undefined) {
      const bucket = this.byFreq.get(f)!;
      bucket.delete(row);
      if (bucket.size === 0) {
        this.byFreq.delete(f);
        if (this.minFreq === f) this.minFreq = f + 1;
      }
      this.freq.set(row, f + 1);
      this.bucket(f + 1).add(row);
      return;
    }
    if (this.freq.size >= this.capacityRows) {
      // Evict the least recently used row among the least frequently used.
      const bucket = this.byFreq.get(this.minFreq)!;
      const victim = bucket.values().next().value as number;
      bucket.delete(victim);
      if (bucket.size === 0) this.byFreq.delete(this.minFreq);
      this.freq.delete(victim);
    }
    this.freq.set(row, 1);
    this.bucket(1).add(row);
    this.minFreq = 1;
  }

  private bucket(f: number): Set<number> {
    let b = this.byFreq.get(f);
    if (b === undefined) this.byFreq.set(f, (b = new Set()));
    return b;
  }
}
