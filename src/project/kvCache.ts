// KV-cache size as nano-vLLM's model runner computes it (allocate_kv_cache; facts.md §C):
//   blocks = (total x gpu_memory_utilization - used - peak + current) // block_bytes,
// with used - current = runtime reservation and peak - current = the warm-up forward's activation peak.
import { ModelError, showValue } from '../core/index.ts';
import type { Backbone, ServingCalibration } from '../spec/index.ts';

export interface KvCacheOptions {
  readonly blockSize: number;
  readonly gpuMemoryUtilization: number;
  readonly maxNumBatchedTokens: number;
  readonly maxNumSeqs: number;
  /** bench.py passes max_model_len = 4096; warm-up runs min(batched // len, seqs) sequences of this length. */
  readonly maxModelLen: number;
  /** Device bytes besides the backbone held before the KV cache is sized (e.g. an Engram layer's weights and buffers). */
  readonly extraDeviceBytes: number;
  /** Live bytes per warm-up token while the extra module runs; the peak is the larger of it and the backbone's. */
  readonly extraActivationBytesPerToken: number;
}

export interface KvCacheSizing {
  readonly visibleBytes: number;
  readonly budgetBytes: number;
  readonly runtimeReservedBytes: number;
  readonly weightBytes: number;
  readonly extraDeviceBytes: number;
  readonly warmupTokens: number;
  readonly activationPeakBytes: number;
  readonly blockBytes: number;
  readonly numBlocks: number;
  readonly capacityTokens: number;
}

/**
 * Warm-up activation peak: during the MLP of one block the residual stream and its normed copy (2 x hidden),
 * the gate-up output (2 x intermediate) and the SiLU product (intermediate) are live at once (qwen3.py).
 */
export function activationBytesPerToken(backbone: Backbone): number {
  const a = backbone.architecture;
  return backbone.derived.weightBytesPerValue * (2 * a.hiddenSize + 3 * a.intermediateSize);
}

/** Device bytes left for the KV cache (negative when weights and warm-up activations alone exceed the budget). */
export function kvCacheFreeBytes(backbone: Backbone, serving: ServingCalibration, options: KvCacheOptions): { freeBytes: number; budgetBytes: number; warmupTokens: number; activationPeakBytes: number } {
  if (!(options.gpuMemoryUtilization > 0 && options.gpuMemoryUtilization <= 1)) {
    throw new ModelError(`kvCacheSizing: gpuMemoryUtilization: expected a fraction in (0, 1], got ${showValue(options.gpuMemoryUtilization)}`);
  }
  const budgetBytes = Math.floor(serving.memory.visibleBytes * options.gpuMemoryUtilization);
  const warmupSeqs = Math.max(1, Math.min(Math.floor(options.maxNumBatchedTokens / options.maxModelLen), options.maxNumSeqs));
  const warmupTokens = warmupSeqs * options.maxModelLen;
  const activationPeakBytes = warmupTokens * Math.max(activationBytesPerToken(backbone), options.extraActivationBytesPerToken);
  const freeBytes = budgetBytes - serving.memory.runtimeReservedBytes - backbone.derived.weightBytes - options.extraDeviceBytes - activationPeakBytes;
  return { freeBytes, budgetBytes, warmupTokens, activationPeakBytes };
}

export function kvCacheSizing(backbone: Backbone, serving: ServingCalibration, options: KvCacheOptions): KvCacheSizing {
  const { freeBytes: free, budgetBytes, warmupTokens, activationPeakBytes } = kvCacheFreeBytes(backbone, serving, options);
  const visibleBytes = serving.memory.visibleBytes;
  const blockBytes = options.blockSize * backbone.derived.kvBytesPerToken;
  const numBlocks = Math.floor(free / blockBytes);
  if (numBlocks < 1) {
    throw new ModelError(
      `kvCacheSizing: ${backbone.name}: weights ${backbone.derived.weightBytes} B and warm-up activations ${activationPeakBytes} B leave ${free} B of ${budgetBytes} B; expected room for at least one KV block of ${blockBytes} B`,
    );
  }
  return {
    visibleBytes,
    budgetBytes,
    runtimeReservedBytes: serving.memory.runtimeReservedBytes,
    weightBytes: backbone.derived.weightBytes,
    extraDeviceBytes: options.extraDeviceBytes,
    warmupTokens,
    activationPeakBytes,
    blockBytes,
    numBlocks,
    capacityTokens: numBlocks * options.blockSize,
  };
}
