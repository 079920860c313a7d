// Which points one run evaluates: its shard's indices (index mod N = K - 1), less points already stored and
// later duplicates of a point (random samplers may draw the same discrete point twice).
import type { PointSource } from './samplers.ts';
import { canonicalJson } from '../core/index.ts';
import { pointKey, pointKeyOfJson, seedHexOf } from './pointKey.ts';
import type { PendingPoint } from './types.ts';

/** Shard K of N, 1 <= K <= N: the points whose enumeration index i has i mod N = K - 1. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export const WHOLE_SWEEP: Shard = Object.freeze({ index: 1, count: 1 });

export interface ShardScan {
  /** Distinct points in the shard. */
  readonly shardPoints: number;
  /** Of those, already stored (skipped on resume). */
  readonly alreadyStored: number;
  /** Indices whose point repeats an earlier index of the shard (skipped). */
  readonly duplicates: number;
  /** Indices left to evaluate, ascending. */
  readonly pending: Float64Array;
}

/** Indices of `shard` in ascending order. */
export function* shardIndices(count: number, shard: Shard): Generator<number> {
  for (let i = shard.index - 1; i < count; i += shard.count) yield i;
}

export function scanShard(source: PointSource, shard: Shard, stored: ReadonlySet<string>): ShardScan {
  const total = Math.max(0, Math.ceil((source.count - (shard.index - 1)) / shard.count));
  // A grid has no duplicates, and with nothing stored every index is pending: no key needs computing.
  if (source.unique && stored.size === 0) {
    return { shardPoints: total, alreadyStored: 0, duplicates: 0, pending: Float64Array.from(shardIndices(source.count, shard)) };
  }
  const seen = new Set<string>();
  const pending: number[] = [];
  let alreadyStored = 0;
  let duplicates = 0;
  for (const i of shardIndices(source.count, shard)) {
    const key = pointKey(source.pointAt(i));
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    if (stored.has(key)) alreadyStored++;
    else pending.push(i);
  }
  return { shardPoints: seen.size, alreadyStored, duplicates, pending: Float64Array.from(pending) };
}

export function pendingPoint(source: PointSource, index: number): PendingPoint {
  const point = source.pointAt(index);
  const pointJson = canonicalJson(point);
  const key = pointKeyOfJson(pointJson);
  return { index, key, seedHex: seedHexOf(key), point, pointJson };
}
