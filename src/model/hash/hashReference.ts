// The n-gram hash of engram-spec.md §3.2-3.4 in plain BigInt with numpy int64 semantics: the baseline
// and the test oracle for the fast path in hashKernel.ts. Slow by design; clarity over speed.
import { ModelError, showValue } from '../../core/index.ts';
import { checkCompressedIds, type HashBatchResult, type HashMapping } from './types.ts';

/**
 * mix_n(t) for orders n = 2..N of one sequence, as signed int64 BigInts, indexed [t][n - 2].
 * Products wrap mod 2^64 like numpy int64; they only can for negative pass-through ids.
 */
export function mixValues(multipliers: readonly bigint[], ids: ArrayLike<number>, padCompressed: number): bigint[][] {
  if (multipliers.length < 2) throw new ModelError(`mixValues: multipliers: expected at least 2 entries, got ${showValue(multipliers.map(String))}`);
  if (!Number.isSafeInteger(padCompressed)) throw new ModelError(`mixValues: padCompressed: expected an integer, got ${showValue(padCompressed)}`);
  const mixes: bigint[][] = [];
  for (let t = 0; t < ids.length; t++) {
    const row: bigint[] = [];
    let acc = 0n;
    for (let k = 0; k < multipliers.length; k++) {
      // Each row is padded at its own start; nothing resets inside a row (spec §3.2).
      const x = t - k >= 0 ? ids[t - k]! : padCompressed;
      acc = BigInt.asIntN(64, acc ^ BigInt.asIntN(64, BigInt(x) * multipliers[k]!));
      if (k >= 1) row.push(acc);
    }
    mixes.push(row);
  }
  return mixes;
}

/** Floor-mod: non-negative for negative mixes too (spec §3.4). */
function floorMod(value: bigint, modulus: bigint): bigint {
  const r = value % modulus;
  return r < 0n ? r + modulus : r;
}

/** Same contract and output as `hashBatch`, computed with BigInt throughout. */
export function hashBatchReference(mapping: HashMapping, compressedIds: readonly Int32Array[]): HashBatchResult {
  checkCompressedIds('hashBatchReference', mapping, compressedIds);
  const heads = mapping.nHeadPerNgram;
  const result: HashBatchResult = new Map();
  for (const layer of mapping.layers) {
    const primes = layer.primes.map(BigInt);
    const perSequence = compressedIds.map((ids) => {
      const mixes = mixValues(layer.multipliers, ids, mapping.padCompressed);
      const out = new Int32Array(ids.length * primes.length);
      let o = 0;
      for (const row of mixes) {
        for (const [order, mix] of row.entries()) {
          for (let j = 0; j < heads; j++) out[o++] = Number(floorMod(mix, primes[order * heads + j]!));
        }
      }
      return out;
    });
    result.set(layer.layerId, perSequence);
  }
  return result;
}
