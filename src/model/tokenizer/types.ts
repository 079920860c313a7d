// Shared shapes of the compressed tokenizer (engram-spec.md §2): decoded vocabulary entries and the raw -> canonical table.

/** One raw token id of a vocabulary, as seen by the upstream table builder (engram-spec.md §2.1 step 1-2). */
export interface VocabEntry {
  /** `decode([id], skip_special_tokens=False)`: the token's text, U+FFFD where its bytes are not valid UTF-8. */
  text: string;
  /** `convert_ids_to_tokens(id)`: the raw vocabulary string (byte-level form, e.g. `Ã` or `Ġæ`). */
  token: string;
}

/**
 * The surjection P: raw id -> canonical id.
 * Contract: `lookup.length === rawVocabSize`; every value is in [0, compressedVocabSize);
 * canonical ids are numbered in order of first appearance while scanning raw ids upward, so lookup[0] === 0.
 */
export interface CompressedTable {
  readonly rawVocabSize: number;
  readonly compressedVocabSize: number;
  /** lookup[rawId] = canonical id. */
  readonly lookup: Int32Array;
  /** keys[canonicalId] = the interned key; null for a table without text keys (identityTable). */
  readonly keys: readonly string[] | null;
}
