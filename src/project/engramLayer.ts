// An Engram configuration placed in a serving backbone (arXiv 2601.07372 §2, §6.4): which blocks it sits in,
// how many rows of how many bytes each token fetches per layer (config), what the layer holds in HBM (it comes
// out of the KV cache) and what it costs on the device. The layer's tensors follow the forward pass of
// deepseek-ai/Engram engram_demo_v1.py (Engram.forward, ShortConv.forward) with one residual branch.
import { ModelError, memoBounded, showValue } from '../core/index.ts';
import { searchLayerPrimes } from '../model/index.ts';
import type { Backbone, EngramConfig } from '../spec/index.ts';
import { NANO_VLLM_LIMITS } from './scheduler.ts';
import { sustainedGemmNs, type GpuCostContext } from './stepCost.ts';

/**
 * Key projections per layer. The paper's M = 4 keys belong to mHC's four residual branches (§2.4, facts.md §A7);
 * the serving backbones here have one residual stream, so one key and one value.
 */
export const ENGRAM_KEYS_SINGLE_STREAM = 1;

/**
 * RMSNorms of one Engram layer per residual branch (demo: norm1 of the key, norm2 of the query, ShortConv's norm);
 * each holds `hidden` weights.
 */
export const ENGRAM_NORMS_PER_BRANCH = 3;

/**
 * Hidden-wide tensors live at the peak of one Engram layer's forward, per token, besides the gathered rows
 * (engram_demo_v1.py, eager PyTorch, one branch): the loop's key, normed_key and normed_query (Python keeps the
 * last iteration's locals), value, and inside ShortConv the normed chunk, its cat copy, and two of the conv output,
 * the SiLU output and the transposed contiguous copy (each replaces the one before it). The block's residual pair
 * (2 x hidden) is live as well.
 */
export const ENGRAM_LIVE_HIDDEN_TENSORS = 8;

/**
 * Hidden-wide passes over HBM per token of one Engram layer, read + written (engram_demo_v1.py, one branch): RMSNorm
 * of the key (2) and of the query (2), their product (3) and its sum (1), gate x value (2), ShortConv's RMSNorm (2),
 * cat copy (2), depthwise conv (2), SiLU (2), transpose copy (2), value + conv (3), residual add (3).
 */
export const ENGRAM_HIDDEN_PASSES = 26;

/** Device bytes one Engram placement holds before the KV cache is sized, by purpose. */
export interface EngramDeviceBytes {
  /** Value and key projections of every layer (the fused GEMM's weights, §2.4). */
  readonly projectionBytes: number;
  /** Depthwise conv taps and RMSNorm weights. */
  readonly convNormBytes: number;
  /** One full prefill step's gathered rows, the buffer the prefetch copies into. */
  readonly stagingBytes: number;
  /**
   * The causal conv's state per sequence slot: decode computes one position per sequence, whose conv reads the
   * normed values (kernel - 1) x dilation positions back (dilation = max n-gram order, demo ShortConv), so a
   * serving engine keeps them per slot as vLLM's MambaCacheManager keeps Mamba's conv state (max_num_seqs slots).
   */
  readonly convStateBytes: number;
  readonly hbmCacheBytes: number;
  readonly totalBytes: number;
}

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
  /** Everything below, summed: what the KV cache loses to the Engram layers. */
  readonly deviceBytes: number;
  readonly device: EngramDeviceBytes;
  /** Live bytes per warm-up token inside an Engram layer (ENGRAM_LIVE_HIDDEN_TENSORS plus the residual pair); the rows sit in the staging buffer. */
  readonly activationBytesPerToken: number;
}

/**
 * Prime searches by their inputs: a sweep places the same table under many tiers, caches and links, and the
 * search was a twentieth of a projection point's time. The maps are only read here (each placement copies its rows).
 */
const PRIME_SEARCHES = new Map<string, Map<number, number[]>>();
const PRIME_SEARCH_ENTRIES = 64;

/**
 * Places `config` in `backbone` for an engine of `maxNumBatchedTokens` per step and `maxNumSeqs` sequence slots
 * (nano-vLLM's defaults when not given), with `hbmCacheBytes` of HBM for hot rows.
 */
export function placeEngram(config: EngramConfig, backbone: Backbone, maxNumBatchedTokens: number, hbmCacheBytes = 0, maxNumSeqs: number = NANO_VLLM_LIMITS.maxNumSeqs): EngramPlacement {
  if (!Number.isSafeInteger(hbmCacheBytes) || hbmCacheBytes < 0) throw new ModelError(`placeEngram: hbmCacheBytes: expected a non-negative integer, got ${showValue(hbmCacheBytes)}`);
  if (!Number.isSafeInteger(maxNumSeqs) || maxNumSeqs < 1) throw new ModelError(`placeEngram: maxNumSeqs: expected a positive integer, got ${showValue(maxNumSeqs)}`);
  const layerIds = [...config.engram.layerIds].sort((x, y) => x - y);
  for (const id of layerIds) {
    if (id >= backbone.architecture.numLayers) {
      throw new ModelError(`placeEngram: ${config.name}: engram.layerIds: block ${showValue(id)} is not below ${backbone.name}'s ${backbone.architecture.numLayers} blocks`);
    }
  }
  const search = { layerIds: config.engram.layerIds, maxNgramSize: config.engram.maxNgramSize, nHeadPerNgram: config.engram.nHeadPerNgram, engramVocabSize: config.engram.engramVocabSize };
  const primes = memoBounded(PRIME_SEARCHES, JSON.stringify(search), PRIME_SEARCH_ENTRIES, () => searchLayerPrimes(search));
  const headRows = layerIds.map((id) => Object.freeze([...primes.get(id)!]));
  const rowsPerToken = config.derived.headsPerLayer;
  const rowBytes = config.derived.headDim * config.engram.tableBytesPerValue;
  const tableRows = headRows.flat().reduce((a, b) => a + b, 0);
  const dMem = config.derived.engramHiddenSize;
  const hidden = backbone.architecture.hiddenSize;
  const keys = ENGRAM_KEYS_SINGLE_STREAM;
  const valueBytes = backbone.derived.weightBytesPerValue;
  const layers = layerIds.length;
  const kernel = config.engram.kernelSize;
  const device: EngramDeviceBytes = (() => {
    const projectionBytes = layers * (1 + keys) * hidden * dMem * valueBytes;
    const convNormBytes = layers * (kernel + ENGRAM_NORMS_PER_BRANCH) * hidden * valueBytes;
    const stagingBytes = maxNumBatchedTokens * rowsPerToken * rowBytes;
    const convStateBytes = layers * maxNumSeqs * (kernel - 1) * config.engram.maxNgramSize * hidden * valueBytes;
    return {
      projectionBytes,
      convNormBytes,
      stagingBytes,
      convStateBytes,
      hbmCacheBytes,
      totalBytes: projectionBytes + convNormBytes + stagingBytes + convStateBytes + hbmCacheBytes,
    };
  })();
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
    deviceBytes: device.totalBytes,
    device: Object.freeze(device),
    activationBytesPerToken: valueBytes * (2 + ENGRAM_LIVE_HIDDEN_TENSORS) * hidden,
  });
}

/**
 * Device time of one Engram layer for `rows` tokens: the fused value/key projection GEMM (N = (1 + keys) x
 * hidden, K = d_mem), then ENGRAM_HIDDEN_PASSES hidden-wide passes plus one read of the gathered rows, at the
 * streaming bandwidth.
 */
export function engramComputeNs(ctx: GpuCostContext, placement: EngramPlacement, rows: number): number {
  const hidden = ctx.backbone.architecture.hiddenSize;
  const gemmNs = sustainedGemmNs(ctx, rows, (1 + placement.keys) * hidden, placement.dMem);
  const bytes = rows * (placement.bytesPerTokenPerLayer + ENGRAM_HIDDEN_PASSES * hidden * ctx.backbone.derived.weightBytesPerValue);
  const streamBytesPerNs = ctx.target.memory.hbmBandwidthGBps * ctx.serving.efficiency.hbmStreamFractionOfPeak;
  return gemmNs + bytes / streamBytesPerNs;
}

/** Expected distinct rows when `tokens` uniform lookups hit each head's table once: sum of p (1 - e^(-tokens / p)). */
export function expectedUniqueRows(tokens: number, headRows: readonly number[]): number {
  let unique = 0;
  for (const p of headRows) unique += p * -Math.expm1(-tokens / p);
  return unique;
}
