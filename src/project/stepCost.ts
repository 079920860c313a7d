// Device time of one engine step of a GQA transformer (nano-vLLM's qwen3.py layer structure) on a target:
// linear layers through src/gemm (GPU tensor cores, systolic arrays or an FPGA DSP array, whichever the target
// is), attention (prefill: FLOPs at the flash-attention rate; decode: KV bytes at the paged-attention bandwidth),
// element-wise kernels (bytes at the streaming bandwidth), output head and sampler.
import { gemmCost } from '../gemm/index.ts';
import type { Backbone, ResolvedTarget, ServingCalibration } from '../spec/index.ts';
import type { ScheduledStep } from './scheduler.ts';

/** CUDA graphs nano-vLLM captures for decode: [1, 2, 4, 8] + range(16, max_bs + 1, 16) (model_runner.py). */
export function decodeGraphBatch(batch: number, maxNumSeqs: number): number | undefined {
  const maxBs = Math.min(maxNumSeqs, 512);
  if (batch > maxBs) return undefined;
  for (const bs of [1, 2, 4, 8]) if (batch <= bs) return bs;
  return Math.ceil(batch / 16) * 16;
}

/** Kernels one block launches in an eager forward (qwen3.py): norm, qkv, q/k norm, rope, KV store, attention, o, norm, gate-up, act, down. */
export const KERNELS_PER_LAYER = 11;
/** Embedding, final norm, output head and the sampler's kernels. */
export const KERNELS_OUTSIDE_LAYERS = 5;

export interface GpuCostContext {
  readonly backbone: Backbone;
  readonly target: ResolvedTarget;
  readonly serving: ServingCalibration;
  readonly maxNumSeqs: number;
  /** Memo of one block's linear-layer time by row count (kept with the context, serving.ts pricingOf). */
  readonly gemmMemo: Map<number, number>;
  /** Memo of sustainedGemmNs by k, then n, then m (number keys: no key text built per call). */
  readonly shapeMemo: Map<number, Map<number, Map<number, number>>>;
}

export function gpuCostContext(backbone: Backbone, target: ResolvedTarget, serving: ServingCalibration, maxNumSeqs: number): GpuCostContext {
  return { backbone, target, serving, maxNumSeqs, gemmMemo: new Map(), shapeMemo: new Map() };
}

export interface StepGpuCost {
  /** Linear layers of all blocks. */
  readonly gemmNs: number;
  readonly attentionNs: number;
  readonly elementwiseNs: number;
  /** Output-head GEMM. */
  readonly lmHeadNs: number;
  readonly samplerNs: number;
  /** Eager launch time a prefill step cannot finish before (0 for graph-replayed decode). */
  readonly launchFloorNs: number;
  /** Device time of blocks 0..k-1 for k = 0..layers (prefix sums: blocks before an Engram layer at k). */
  readonly blocksBeforeNs: (layer: number) => number;
  /** Sum of the device work above. */
  readonly deviceNs: number;
  /** max(deviceNs, launchFloorNs): a step whose Python launches outlast its kernels is launch-bound. */
  readonly totalNs: number;
}

/** Time of one GEMM with the target's sustained fractions applied to compute and to memory separately. */
export function sustainedGemmNs(ctx: GpuCostContext, m: number, n: number, k: number): number {
  let byN = ctx.shapeMemo.get(k);
  if (byN === undefined) ctx.shapeMemo.set(k, (byN = new Map()));
  let byM = byN.get(n);
  if (byM === undefined) byN.set(n, (byM = new Map()));
  const hit = byM.get(m);
  if (hit !== undefined) return hit;
  const cost = gemmCost({ m, n, k, dtype: 'bf16' }, ctx.target);
  const eff = ctx.serving.efficiency;
  const ns = Math.max(cost.computeNs / eff.tensorCoreFractionOfPeak, cost.memoryNs / eff.hbmStreamFractionOfPeak);
  byM.set(m, ns);
  return ns;
}

/** The four linear layers of one block for m rows: qkv, o, gate-up, down. */
export function layerGemmNs(ctx: GpuCostContext, m: number): number {
  const hit = ctx.gemmMemo.get(m);
  if (hit !== undefined) return hit;
  const a = ctx.backbone.architecture;
  const { qDim, kvDim } = ctx.backbone.derived;
  const ns =
    sustainedGemmNs(ctx, m, qDim + 2 * kvDim, a.hiddenSize) +
    sustainedGemmNs(ctx, m, a.hiddenSize, qDim) +
    sustainedGemmNs(ctx, m, 2 * a.intermediateSize, a.hiddenSize) +
    sustainedGemmNs(ctx, m, a.hiddenSize, a.intermediateSize);
  ctx.gemmMemo.set(m, ns);
  return ns;
}

function lmHeadNs(ctx: GpuCostContext, rows: number): number {
  return sustainedGemmNs(ctx, rows, ctx.backbone.architecture.vocabSize, ctx.backbone.architecture.hiddenSize);
}

/**
 * Bytes the element-wise kernels of one block move per token (qwen3.py): two fused add+RMSNorms (read x and
 * residual, write both: 4 x hidden each), q/k RMSNorm and rotary (read and write q and k twice), KV store
 * (read k, v; write them to the cache) and SiLU-and-mul (read 2 x intermediate, write intermediate).
 */
export function elementwiseBytesPerTokenPerLayer(backbone: Backbone): number {
  const a = backbone.architecture;
  const { qDim, kvDim } = backbone.derived;
  const qkPasses = a.qkNorm ? 4 : 2;
  return backbone.derived.weightBytesPerValue * (8 * a.hiddenSize + qkPasses * (qDim + kvDim) + 4 * kvDim + 3 * a.intermediateSize);
}

export function stepGpuCost(ctx: GpuCostContext, step: ScheduledStep): StepGpuCost {
  const { backbone, target, serving } = ctx;
  const a = backbone.architecture;
  const eff = serving.efficiency;
  const bandwidthGBps = target.memory.hbmBandwidthGBps;
  const streamBytesPerNs = bandwidthGBps * eff.hbmStreamFractionOfPeak;
  const batch = step.seqs.length;
  // Decode runs the captured graph of the next size up; padded rows cost GEMM and element-wise work, no KV.
  const graphBatch = step.isPrefill ? undefined : decodeGraphBatch(batch, ctx.maxNumSeqs);
  const rows = step.isPrefill ? step.numTokens : (graphBatch ?? batch);

  const perLayerGemmNs = layerGemmNs(ctx, rows);
  let perLayerAttentionNs: number;
  if (step.isPrefill) {
    const flops = 4 * a.numAttentionHeads * a.headDim * step.causalPairs;
    perLayerAttentionNs = flops / (target.derived.peakTflops.bf16 * 1e3 * eff.prefillAttentionFractionOfPeak);
  } else {
    const kvBytes = step.contextTokens * backbone.derived.kvBytesPerTokenPerLayer;
    // q read and output written once per sequence.
    const qoBytes = 2 * batch * backbone.derived.qDim * backbone.derived.weightBytesPerValue;
    perLayerAttentionNs = (kvBytes + qoBytes) / (bandwidthGBps * eff.decodeAttentionFractionOfHbm);
  }
  const perLayerElementwiseNs = (rows * elementwiseBytesPerTokenPerLayer(backbone)) / streamBytesPerNs;
  // Embedding gather (read and write hidden) and the final add+norm (4 x hidden) per row.
  const outsideElementwiseNs = (rows * 6 * a.hiddenSize * backbone.derived.weightBytesPerValue) / streamBytesPerNs;
  // The head sees the last position of each sequence (prefill) or the unpadded batch (decode, eager).
  const headRows = batch;
  const head = lmHeadNs(ctx, headRows);
  const samplerNs = (headRows * a.vocabSize * serving.overheads.samplerBytesPerLogit) / streamBytesPerNs;

  const perLayerNs = perLayerGemmNs + perLayerAttentionNs + perLayerElementwiseNs;
  const layers = a.numLayers;
  const deviceNs = layers * perLayerNs + outsideElementwiseNs + head + samplerNs;
  const eager = step.isPrefill || graphBatch === undefined;
  const launchFloorNs = eager ? (layers * KERNELS_PER_LAYER + KERNELS_OUTSIDE_LAYERS) * serving.overheads.eagerLaunchNsPerKernel : 0;
  const embeddingNs = (rows * 2 * a.hiddenSize * backbone.derived.weightBytesPerValue) / streamBytesPerNs;
  return {
    gemmNs: layers * perLayerGemmNs,
    attentionNs: layers * perLayerAttentionNs,
    elementwiseNs: layers * perLayerElementwiseNs + outsideElementwiseNs,
    lmHeadNs: head,
    samplerNs,
    launchFloorNs,
    blocksBeforeNs: (layer: number) => embeddingNs + Math.min(layer, layers) * perLayerNs,
    deviceNs,
    totalNs: Math.max(deviceNs, launchFloorNs),
  };
}
