// An Engram configuration placed in a serving backbone (arXiv 2601.07372 §2, §6.4): which blocks it sits in,
// how many rows of how many bytes each token fetches per layer (config), and what the layer costs on the device:
// its fused value/key projection (one GEMM of N = (1 + keys) x hidden, §2.4) and its element-wise gate and conv.
import { ModelError, showValue } from '../core/index.ts';
import { searchLayerPrimes } from '../model/index.ts';
import type { Backbone, EngramConfig } from '../spec/index.ts';
import { sustainedGemmNs, type GpuCostContext } from './stepCost.ts';

/**
 * Key projections per layer. The paper's M = 4 keys belong to mHC's four residual branches (§2.4, facts.md §A7);
 * the serving backbones here have one residual stream, so one key and one value.
 */
export const ENGRAM_KEYS_SINGLE_STREAM = 1;

export interface EngramPlacement {
  readonly config: EngramConfig;
  /** 0-based block indices, ascending. */
  readonly layerIds: readonly number[];
  /** Rows each token fetches per layer: orders x heads. */
  readonly rowsPerToken: number;
  readonly rowBytes: number;
  readonly bytesPerTokenPerLayer: number;
  /** Table size of each head of each layer (primes), in layerIds order. */
  readonly headRows: readonly (readonly number[])[];
  readonly tableBytes: number;
  readonly dMem: number;
  readonly keys: number;
  /** HBM given to a hot-row cache (it comes out of the KV cache). */
  readonly hbmCacheBytes: number;
  /** Projection weights, a staging buffer for one full prefill step's rows, and the hot-row cache. */
  readonly deviceBytes: number;
  /** Live bytes per warm-up token inside an Engram layer: residual stream and its normed copy, gathered rows, memory vector, projection output. */
  readonly activationBytesPerToken: number;
}

export function placeEngram(config: EngramConfig, backbone: Backbone, maxNumBatchedTokens: number, hbmCacheBytes = 0): EngramPlacement {
  if (!Number.isSafeInteger(hbmCacheBytes) || hbmCacheBytes < 0) throw new ModelError(`placeEngram: hbmCacheBytes: expected a non-negative integer, got ${showValue(hbmCacheBytes)}`);
  const layerIds = [...config.engram.layerIds].sort((x, y) => x - y);
  for (const id of layerIds) {
    if (id >= backbone.architecture.numLayers) {
      throw new ModelError(`placeEngram: ${config.name}: engram.layerIds: block ${showValue(id)} is not below ${backbone.name}'s ${backbone.architecture.numLayers} blocks`);
    }
  }
  const primes = searchLayerPrimes({
    layerIds: config.engram.layerIds,
    maxNgramSize: config.engram.maxNgramSize,
    nHeadPerNgram: config.engram.nHeadPerNgram,
    engramVocabSize: config.engram.engramVocabSize,
  });
  const headRows = layerIds.map((id) => Object.freeze([...primes.get(id)!]));
  const rowsPerToken = config.derived.headsPerLayer;
  const rowBytes = config.derived.headDim * config.engram.tableBytesPerValue;
  const tableRows = headRows.flat().reduce((a, b) => a + b, 0);
  const dMem = config.derived.engramHiddenSize;
  const hidden = backbone.architecture.hiddenSize;
  const keys = ENGRAM_KEYS_SINGLE_STREAM;
  const valueBytes = backbone.derived.weightBytesPerValue;
  const projectionBytes = layerIds.length * (1 + keys) * hidden * dMem * valueBytes;
  const stagingBytes = maxNumBatchedTokens * rowsPerToken * rowBytes;
  return Object.freeze({
    config,
    layerIds: Object.freeze(layerIds),
    rowsPerToken,
    rowBytes,
    bytesPerTokenPerLayer: rowsPerToken * rowBytes,
    headRows: Object.freeze(headRows),
    tableBytes: tableRows * rowBytes,
    dMem,
    keys,
    hbmCacheBytes,
    deviceBytes: projectionBytes + stagingBytes + hbmCacheBytes,
    activationBytesPerToken: rowsPerToken * rowBytes + valueBytes * (2 * hidden + dMem + (1 + keys) * hidden),
  });
}

/**
 * Device time of one Engram layer for `rows` tokens: the fused projection GEMM, then element-wise work of
 * about 8 hidden-wide passes (RMSNorm of h and of the key, gate, value scaling, depthwise conv, residual add)
 * plus reading the gathered rows.
 */
export function engramComputeNs(ctx: GpuCostContext, placement: EngramPlacement, rows: number): number {
  const hidden = ctx.backbone.architecture.hiddenSize;
  const gemmNs = sustainedGemmNs(ctx, rows, (1 + placement.keys) * hidden, placement.dMem);
  const bytes = rows * (placement.bytesPerTokenPerLayer + 8 * hidden * ctx.backbone.derived.weightBytesPerValue);
  const streamBytesPerNs = ctx.target.memory.hbmBandwidthGBps * ctx.serving.efficiency.hbmStreamFractionOfPeak;
  return gemmNs + bytes / streamBytesPerNs;
}

/** Expected distinct rows when `tokens` uniform lookups hit each head's table once: sum of p (1 - e^(-tokens / p)). */
export function expectedUniqueRows(tokens: number, headRows: readonly number[]): number {
  let unique = 0;
  for (const p of headRows) unique += p * -Math.expm1(-tokens / p);
  return unique;
}
