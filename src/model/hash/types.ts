// Shared shapes of the n-gram hash mapping (engram-spec.md §3): what a layer's tables look like and
// how the input batch is checked before either hash path runs.
import { ModelError, showValue } from '../../core/index.ts';

/** The configuration fields the hash mapping depends on (all from a resolved EngramConfig but V' and pad'). */
export interface HashMappingParams {
  /** Order matters: the prime search runs through the layers in this order (spec §3.5). */
  readonly layerIds: readonly number[];
  readonly maxNgramSize: number;
  /** Heads per order, so a layer has (maxNgramSize - 1) · nHeadPerNgram tables. */
  readonly nHeadPerNgram: number;
  /** Prime-search start per order n = 2..N (index n - 2). */
  readonly engramVocabSize: readonly number[];
  readonly seed: number;
  /** V': number of canonical ids of the compressed tokenizer (seeds the multipliers). */
  readonly compressedVocabSize: number;
  /** pad' = P(pad_id): the compressed id that fills windows before each sequence start. */
  readonly padCompressed: number;
}

/** One Engram layer's hash: multipliers, per-head table sizes and where each table starts in a packed table. */
export interface LayerHashMapping {
  readonly layerId: number;
  /** m_0..m_{N-1}; m_k multiplies the token k positions back. */
  readonly multipliers: readonly bigint[];
  /** Table size per head in output order: orders 2..N, heads 0..H-1 within each order. */
  readonly primes: readonly number[];
  /** Exclusive prefix sums of `primes`: first row of each head's table in the layer's packed table. */
  readonly rowOffsets: readonly number[];
  readonly totalRows: number;
}

export interface HashMapping {
  readonly maxNgramSize: number;
  readonly nHeadPerNgram: number;
  readonly compressedVocabSize: number;
  readonly padCompressed: number;
  /** In layerIds order. */
  readonly layers: readonly LayerHashMapping[];
}

/** Per layer id, one Int32Array per sequence laid out [t][order][head] (length T · (N-1) · H). */
export type HashBatchResult = Map<number, Int32Array[]>;

/**
 * Rejects ids at or above V', which cannot come from the compressor (a raw id passed by mistake).
 * Negative ids pass through the compressor unchanged, so they are accepted (spec §2.4).
 */
export function checkCompressedIds(fn: string, mapping: HashMapping, compressedIds: readonly Int32Array[]): void {
  const limit = mapping.compressedVocabSize;
  for (const [b, seq] of compressedIds.entries()) {
    if (!(seq instanceof Int32Array)) throw new ModelError(`${fn}: compressedIds[${b}]: expected an Int32Array, got ${showValue(seq)}`);
    for (let t = 0; t < seq.length; t++) {
      if (seq[t]! >= limit) {
        throw new ModelError(
          `${fn}: compressedIds[${b}][${t}]: expected an id below the compressed vocabulary size ${limit} (negative ids pass through), got ${seq[t]}`,
        );
      }
    }
  }
}
