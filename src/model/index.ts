// Public surface of model/: the functional Engram model (tokenizer compression, n-gram hash, traces).
export { buildHashMapping, hashBatch, hashMappingParams } from './hash/ngramHash.ts';
export { hashBatchReference, mixValues } from './hash/hashReference.ts';
export { isPrime, searchLayerPrimes, type PrimeSearchParams } from './hash/primes.ts';
export { layerMultipliers, multiplierHalfBound } from './hash/multipliers.ts';
export { Pcg64, PCG64_MULTIPLIER } from './hash/pcg64.ts';
export { entropyWords, seedSequencePool, generateState64 } from './hash/seedSequence.ts';
export type { HashMapping, HashMappingParams, LayerHashMapping, HashBatchResult } from './hash/types.ts';
export type { VocabEntry, CompressedTable } from './tokenizer/types.ts';
export { decodeSingleTokens, bytesToUnicode } from './tokenizer/byteLevel.ts';
export { decodeUtf8Lossy } from './tokenizer/utf8Lossy.ts';
export { normalizeToken, isUnicodeWhiteSpace, stripMarks, lowercasePerCodePoint, stripUnicodeWhiteSpace, SPACE_SENTINEL } from './tokenizer/normalize.ts';
export {
  buildCompressedTable, compressionKey, identityTable, compressIds, reductionPct, mergeGroupSizes, topMergeGroups, type MergeGroup,
} from './tokenizer/compressedTokenizer.ts';
export { tableFromVocabJson, parseVocabJson } from './tokenizer/vocabFile.ts';
export { encodeCompressedTable, decodeCompressedTable, compressedTableCacheKey } from './tokenizer/tableCodec.ts';
export { selectBackend, activeBackendName, TF_BACKEND_ORDER, type ForwardBackend, type TfBackendName } from './forward/backend.ts';
export { VirtualTable, MaterializedTable, MAX_MATERIALIZED_VALUES, type EmbeddingTable, type TableSeed } from './forward/embeddingTable.ts';
export { initEngramLayerParams, GATE_NORM_EPS_FP32, GATE_NORM_EPS_FP64, CONV_NORM_EPS, SIGNED_SQRT_FLOOR, type EngramLayerParams } from './forward/params.ts';
export { engramForward, type EngramForwardResult } from './forward/engramForward.ts';
export { engramForwardReference64, type EngramReferenceResult } from './forward/reference64.ts';
export { TOL_FP32_FORWARD } from './forward/tolerances.ts';
export { runEngramLayer, VIRTUAL_TABLE_THRESHOLD_VALUES, type EngramLayerRunInput, type EngramLayerRun, type EngramSequenceRun } from './forward/runEngramLayer.ts';
export { fitZipfMle, type ZipfFit } from './trace/zipf.ts';
export { layerAccessStats, batchDuplicateRate, HOT_ROW_FRACTIONS, DEFAULT_BATCH_TOKENS, type LayerAccessStats, type HeadAccessStats, type AccessStatsOptions } from './trace/accessStats.ts';
export { brownTaggedToText } from './trace/brown.ts';
export { concatSequences, absoluteRowIds } from './trace/rowTrace.ts';
