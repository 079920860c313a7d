// The compressed tokenizer's surjection P: raw id -> canonical id, its merge groups and sequence compression
// (engram-spec.md §2.1 and §2.4; upstream CompressedTokenizer._build_lookup_table and _compress).
import { ModelError, showValue } from '../../core/index.ts';
import { normalizeToken } from './normalize.ts';
import type { CompressedTable, VocabEntry } from './types.ts';

const REPLACEMENT_CHAR = '\uFFFD';

/** A set of raw ids sharing one canonical id. */
export interface MergeGroup {
  compressedId: number;
  /** The interned key; null for a table without keys. */
  key: string | null;
  /** Number of raw ids mapped to this canonical id. */
  size: number;
  /** The first raw ids of the group, ascending (at most `sampleSize`). */
  rawIds: number[];
}

/**
 * §2.1 step 2: partial UTF-8 tokens (text with U+FFFD) key by their raw vocabulary string, unnormalised; the rest
 * by their normalised text, or by the raw text when that normalises to "" (so `\x0c` and lone marks stay distinct).
 */
export function compressionKey(entry: VocabEntry): string {
  if (entry.text.includes(REPLACEMENT_CHAR)) return entry.token;
  const norm = normalizeToken(entry.text);
  return norm === '' ? entry.text : norm;
}

/** Builds P by interning keys in first-seen order over raw ids 0..n-1 (§2.1 step 3). */
export function buildCompressedTable(entries: readonly VocabEntry[]): CompressedTable {
  if (entries.length === 0) throw new ModelError('buildCompressedTable: entries: expected at least one vocabulary entry, got an empty list');
  const keyToId = new Map<string, number>();
  const keys: string[] = [];
  const lookup = new Int32Array(entries.length);
  entries.forEach((entry, rawId) => {
    const key = compressionKey(entry);
    let id = keyToId.get(key);
    if (id === undefined) {
      id = keys.length;
      keyToId.set(key, id);
      keys.push(key);
    }
    lookup[rawId] = id;
  });
  return Object.freeze({ rawVocabSize: entries.length, compressedVocabSize: keys.length, lookup, keys: Object.freeze(keys) });
}

/** A table where every raw id is its own canonical id: compression switched off. */
export function identityTable(n: number): CompressedTable {
  if (!Number.isSafeInteger(n) || n < 1 || n > 0x7fffffff) {
    throw new ModelError(`identityTable: n: expected an integer in [1, ${0x7fffffff}], got ${showValue(n)}`);
  }
  const lookup = new Int32Array(n);
  for (let i = 0; i < n; i++) lookup[i] = i;
  return Object.freeze({ rawVocabSize: n, compressedVocabSize: n, lookup, keys: null });
}

/**
 * §2.4: maps raw ids through P. Negative ids (padding markers) pass through unchanged, as upstream masks them out;
 * ids >= rawVocabSize are an error, as upstream's numpy indexing raises IndexError.
 */
export function compressIds(table: CompressedTable, ids: ArrayLike<number>): Int32Array {
  const out = new Int32Array(ids.length);
  const n = table.rawVocabSize;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (!Number.isInteger(id) || id < -0x80000000) {
      throw new ModelError(`compressIds: ids[${i}]: expected an integer id in [-2^31, ${n - 1}], got ${showValue(id)}`);
    }
    if (id < 0) {
      out[i] = id;
    } else if (id >= n) {
      throw new ModelError(`compressIds: ids[${i}]: token id ${id} is outside the vocabulary; expected an id in [0, ${n - 1}] (or negative to pass through)`);
    } else {
      out[i] = table.lookup[id] as number;
    }
  }
  return out;
}

/** Share of raw ids removed by compression, in percent: (1 - V'/V) * 100. */
export function reductionPct(table: CompressedTable): number {
  return (1 - table.compressedVocabSize / table.rawVocabSize) * 100;
}

/** sizes[canonicalId] = number of raw ids mapped to it. */
export function mergeGroupSizes(table: CompressedTable): Int32Array {
  const sizes = new Int32Array(table.compressedVocabSize);
  for (const id of table.lookup) sizes[id] = (sizes[id] as number) + 1;
  return sizes;
}

/** The k largest merge groups, by size descending, ties by canonical id ascending (first-seen order). */
export function topMergeGroups(table: CompressedTable, k: number, sampleSize = 8): MergeGroup[] {
  if (!Number.isSafeInteger(k) || k < 0) throw new ModelError(`topMergeGroups: k: expected a non-negative integer, got ${showValue(k)}`);
  if (!Number.isSafeInteger(sampleSize) || sampleSize < 0) {
    throw new ModelError(`topMergeGroups: sampleSize: expected a non-negative integer, got ${showValue(sampleSize)}`);
  }
  const sizes = mergeGroupSizes(table);
  const order = Array.from(sizes.keys()).sort((a, b) => (sizes[b] as number) - (sizes[a] as number) || a - b).slice(0, k);
  const samples = new Map<number, number[]>(order.map((id) => [id, []]));
  for (let rawId = 0; rawId < table.rawVocabSize; rawId++) {
    const sample = samples.get(table.lookup[rawId] as number);
    if (sample !== undefined && sample.length < sampleSize) sample.push(rawId);
  }
  return order.map((id) => ({
    compressedId: id,
    key: table.keys === null ? null : (table.keys[id] as string),
    size: sizes[id] as number,
    rawIds: samples.get(id) as number[],
  }));
}
