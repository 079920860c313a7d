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
export { fusedProjectionWeights, projectionRows, weightBlockAlignment, type FusedProjectionWeights, type WeightBlockAlignment } from './fp8Projection/projectionWeights.ts';
export { gemmFp8TiledTfjs, TILED_GEMM_ROW_BLOCK } from './fp8Projection/tiledExactGemm.ts';
export { gateFromProjection, type GateFromProjection } from './fp8Projection/gate.ts';
export { matrixError, absChange, DEEPGEMM_DIFF_LIMIT, type MatrixError, type AbsChange } from './fp8Projection/errorMetrics.ts';
export { referenceProjectionTfjs, quantisedProductFloat64, dequantizeFloat64 } from './fp8Projection/referenceProjection.ts';
export { fp8ProjectionInput, type Fp8ProjectionInput, type Fp8ProjectionInputOptions, type MemorySource } from './fp8Projection/projectionInputs.ts';
export {
  fp8ProjectionError, DEEPSEEK_V3_SCALE_BLOCK, type Fp8ProjectionOptions, type Fp8ProjectionErrorReport, type FusionCheck,
} from './fp8Projection/projectionError.ts';
