// Per-layer odd multipliers of the n-gram hash (engram-spec.md §3.1): m_k = 2·r_k + 1 with
// r ~ default_rng(seed + 10007·L).integers(0, half_bound, N), so every product x'·m_k with 0 <= x' < V' fits int64.
import { ModelError, showValue } from '../../core/index.ts';
import { Pcg64 } from './pcg64.ts';

const INT64_MAX = (1n << 63n) - 1n;
/** The reference's per-layer seed stride. */
const LAYER_SEED_STRIDE = 10007;

/** half_bound = max(1, floor(floor((2^63-1)/V') / 2)) for compressed vocabulary size V'. */
export function multiplierHalfBound(compressedVocabSize: number): bigint {
  if (!Number.isSafeInteger(compressedVocabSize) || compressedVocabSize < 1) {
    throw new ModelError(`multiplierHalfBound: compressedVocabSize: expected a positive integer, got ${showValue(compressedVocabSize)}`);
  }
  const half = INT64_MAX / BigInt(compressedVocabSize) / 2n;
  return half > 1n ? half : 1n;
}

/** The N multipliers of one layer; m_k belongs to the token k positions back. */
export function layerMultipliers(compressedVocabSize: number, seed: number, layerId: number, maxNgramSize: number): bigint[] {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new ModelError(`layerMultipliers: seed: expected a non-negative integer, got ${showValue(seed)}`);
  if (!Number.isSafeInteger(layerId) || layerId < 0) throw new ModelError(`layerMultipliers: layerId: expected a non-negative integer, got ${showValue(layerId)}`);
  if (!Number.isSafeInteger(maxNgramSize) || maxNgramSize < 2) {
    throw new ModelError(`layerMultipliers: maxNgramSize: expected an integer >= 2, got ${showValue(maxNgramSize)}`);
  }
  const halfBound = multiplierHalfBound(compressedVocabSize);
  if (halfBound <= 1n << 32n) {
    // numpy switches to its buffered 32-bit draw here; only V' above ~1.07e9 gets there.
    throw new ModelError(
      `layerMultipliers: compressedVocabSize: expected at most ${showValue(Number(INT64_MAX / ((1n << 33n) + 2n)))} (half_bound must exceed 2^32), got ${showValue(compressedVocabSize)}`,
    );
  }
  const rng = Pcg64.fromSeed(BigInt(seed) + BigInt(LAYER_SEED_STRIDE) * BigInt(layerId));
  const out: bigint[] = [];
  for (let k = 0; k < maxNgramSize; k++) out.push(2n * rng.integers(halfBound) + 1n);
  return out;
}
