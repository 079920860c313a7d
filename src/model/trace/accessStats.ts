// Row-access statistics of hashed token streams (issue 2 §6): per head accesses, unique rows, Zipf MLE,
// the share of accesses served by the hottest rows, and the duplicate-row rate inside token batches.
import { ModelError } from '../../core/index.ts';
import { fitZipfMle } from './zipf.ts';

export const HOT_ROW_FRACTIONS = [0.001, 0.01, 0.1] as const;
export const DEFAULT_BATCH_TOKENS = [512, 4096] as const;

export interface HeadAccessStats {
  head: number;
  /** Rows in this head's table (its prime). */
  tableRows: number;
  accesses: number;
  uniqueRows: number;
  /** Touched rows / table rows. */
  touchedFraction: number;
  zipfExponent: number;
  /** Share of accesses served by the hottest 0.1 %, 1 %, 10 % of touched rows (ceil, at least one row). */
  hotShare: number[];
  /** Per batch size: (accesses - distinct rows) / accesses, summed over all full and partial batches. */
  duplicateRate: number[];
}

export interface LayerAccessStats {
  layerId: number;
  heads: HeadAccessStats[];
  /** Access-weighted aggregates over the layer's heads. */
  accesses: number;
  uniqueRows: number;
  duplicateRate: number[];
  /** Mean Zipf exponent over heads (unweighted). */
  meanZipfExponent: number;
}

export interface AccessStatsOptions {
  batchTokens?: readonly number[];
  hotFractions?: readonly number[];
}

/**
 * Statistics for one layer from head indices laid out [t][head] (the hash output, concatenated over sequences
 * in stream order); `tableRows[h]` is head h's prime. Batches are consecutive runs of `batchTokens` tokens.
 */
export function layerAccessStats(
  layerId: number,
  headIndices: Int32Array,
  tableRows: readonly number[],
  options: AccessStatsOptions = {},
): LayerAccessStats {
  const heads = tableRows.length;
  if (heads === 0 || headIndices.length % heads !== 0) {
    throw new ModelError(`layerAccessStats: headIndices: expected a length divisible by ${heads} heads, got ${headIndices.length}`);
  }
  const tokens = headIndices.length / heads;
  const batchTokens = options.batchTokens ?? DEFAULT_BATCH_TOKENS;
  const hotFractions = options.hotFractions ?? HOT_ROW_FRACTIONS;
  for (const b of batchTokens) {
    if (!Number.isInteger(b) || b < 1) throw new ModelError(`layerAccessStats: batchTokens: expected positive integers, got ${b}`);
  }
  const out: HeadAccessStats[] = [];
  const column = new Int32Array(tokens);
  for (let h = 0; h < heads; h++) {
    const rows = tableRows[h]!;
    for (let t = 0; t < tokens; t++) {
      const z = headIndices[t * heads + h]!;
      if (z < 0 || z >= rows) throw new ModelError(`layerAccessStats: head ${h} token ${t}: index ${z} is not in [0, ${rows - 1}]`);
      column[t] = z;
    }
    out.push(headStats(h, rows, column, batchTokens, hotFractions));
  }
  const accesses = tokens * heads;
  const uniqueRows = out.reduce((a, s) => a + s.uniqueRows, 0);
  const duplicateRate = batchTokens.map((_, i) => (accesses === 0 ? 0 : out.reduce((a, s) => a + s.duplicateRate[i]! * s.accesses, 0) / accesses));
  const meanZipfExponent = out.reduce((a, s) => a + s.zipfExponent, 0) / heads;
  return { layerId, heads: out, accesses, uniqueRows, duplicateRate, meanZipfExponent };
}

function headStats(head: number, tableRows: number, column: Int32Array, batchTokens: readonly number[], hotFractions: readonly number[]): HeadAccessStats {
  const accesses = column.length;
  // Counting by sort keeps memory proportional to the trace, not to the (possibly 78M-row) table.
  const sorted = Int32Array.from(column).sort();
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    counts.push(j - i);
    i = j;
  }
  counts.sort((a, b) => b - a);
  const uniqueRows = counts.length;
  const hotShare = hotFractions.map((f) => {
    const k = Math.max(1, Math.ceil(f * uniqueRows));
    let s = 0;
    for (let i = 0; i < k; i++) s += counts[i]!;
    return accesses === 0 ? 0 : s / accesses;
  });
  const duplicateRate = batchTokens.map((b) => batchDuplicateRate(column, b));
  const zipfExponent = uniqueRows === 0 ? 0 : fitZipfMle(counts).exponent;
  return { head, tableRows, accesses, uniqueRows, touchedFraction: uniqueRows / tableRows, zipfExponent, hotShare, duplicateRate };
}

/** (accesses - distinct rows per batch) / accesses over consecutive batches of `batch` tokens. */
export function batchDuplicateRate(column: Int32Array, batch: number): number {
  if (column.length === 0) return 0;
  let duplicates = 0;
  const scratch = new Int32Array(Math.min(batch, column.length));
  for (let start = 0; start < column.length; start += batch) {
    const end = Math.min(start + batch, column.length);
    const view = scratch.subarray(0, end - start);
    view.set(column.subarray(start, end));
    view.sort();
    for (let i = 1; i < view.length; i++) if (view[i] === view[i - 1]) duplicates++;
  }
  return duplicates / column.length;
}
