// The n-gram hash mapping of engram-spec.md §3: per-layer multipliers and prime table sizes, and the
// batched head indices [B][T][(N-1)·H] computed exactly (fast limb path, BigInt oracle in hashReference.ts).
import { ModelError, showValue } from '../../core/index.ts';
import type { EngramConfig } from '../../spec/index.ts';
import { buildLayerKernel, hashSequenceInto } from './hashKernel.ts';
import { layerMultipliers } from './multipliers.ts';
import { searchLayerPrimes } from './primes.ts';
import { checkCompressedIds, type HashBatchResult, type HashMapping, type HashMappingParams, type LayerHashMapping } from './types.ts';

/** Head indices are stored as int32, so a table may hold at most 2^31 - 1 rows. */
const MAX_PRIME = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);

/** The hash parameters of a resolved configuration plus the tokenizer-derived V' and pad'. */
export function hashMappingParams(config: EngramConfig, compressedVocabSize: number, padCompressed: number): HashMappingParams {
  const { layerIds, maxNgramSize, nHeadPerNgram, engramVocabSize, seed } = config.engram;
  return { layerIds, maxNgramSize, nHeadPerNgram, engramVocabSize, seed, compressedVocabSize, padCompressed };
}

/** Builds every layer's multipliers, primes and row offsets; the whole ordered layerIds list matters. */
export function buildHashMapping(params: HashMappingParams): HashMapping {
  const { layerIds, maxNgramSize, nHeadPerNgram, engramVocabSize, seed, compressedVocabSize, padCompressed } = params;
  if (!Number.isSafeInteger(compressedVocabSize) || compressedVocabSize < 1) {
    throw new ModelError(`buildHashMapping: compressedVocabSize: expected a positive integer, got ${showValue(compressedVocabSize)}`);
  }
  if (!Number.isInteger(padCompressed) || padCompressed < INT32_MIN || padCompressed >= compressedVocabSize) {
    throw new ModelError(`buildHashMapping: padCompressed: expected an integer in [-2^31, ${compressedVocabSize - 1}], got ${showValue(padCompressed)}`);
  }
  if (layerIds.length === 0) throw new ModelError('buildHashMapping: layerIds: expected at least one layer id, got []');
  for (const [i, layerId] of layerIds.entries()) {
    if (!Number.isSafeInteger(layerId) || layerId < 0) {
      throw new ModelError(`buildHashMapping: layerIds[${i}]: expected a non-negative integer, got ${showValue(layerId)}`);
    }
  }
  if (!Number.isSafeInteger(seed) || seed < 0) throw new ModelError(`buildHashMapping: seed: expected a non-negative integer, got ${showValue(seed)}`);
  const primesByLayer = searchLayerPrimes({ layerIds, maxNgramSize, nHeadPerNgram, engramVocabSize });
  const layers: LayerHashMapping[] = layerIds.map((layerId) => {
    const primes = primesByLayer.get(layerId)!;
    const largest = Math.max(...primes);
    if (largest > MAX_PRIME) {
      throw new ModelError(`buildHashMapping: engramVocabSize: expected table sizes below 2^31, got prime ${largest} for layer ${layerId}`);
    }
    const rowOffsets: number[] = [];
    let totalRows = 0;
    for (const p of primes) {
      rowOffsets.push(totalRows);
      totalRows += p;
    }
    return Object.freeze({
      layerId,
      multipliers: Object.freeze(layerMultipliers(compressedVocabSize, seed, layerId, maxNgramSize)),
      primes: Object.freeze(primes),
      rowOffsets: Object.freeze(rowOffsets),
      totalRows,
    });
  });
  return Object.freeze({ maxNgramSize, nHeadPerNgram, compressedVocabSize, padCompressed, layers: Object.freeze(layers) });
}

/**
 * Head indices for a batch of compressed sequences (lengths may differ), per layer id.
 * Each sequence is padded with pad' at its own start; 0 <= index < prime of that head.
 */
export function hashBatch(mapping: HashMapping, compressedIds: readonly Int32Array[]): HashBatchResult {
  checkCompressedIds('hashBatch', mapping, compressedIds);
  const headsPerLayer = (mapping.maxNgramSize - 1) * mapping.nHeadPerNgram;
  const result: HashBatchResult = new Map();
  for (const layer of mapping.layers) {
    const kernel = buildLayerKernel(layer, mapping.nHeadPerNgram);
    const perSequence = compressedIds.map((ids) => {
      const out = new Int32Array(ids.length * headsPerLayer);
      hashSequenceInto(kernel, ids, mapping.padCompressed, out);
      return out;
    });
    result.set(layer.layerId, perSequence);
  }
  return result;
}
