import test from 'ava';
import { gemmCost } from '../../src/gemm/index.ts';
import { decodeGraphBatch, gpuCostContext, layerGemmNs, stepGpuCost, sustainedGemmNs, type ScheduledStep } from '../../src/project/index.ts';
import type { ResolvedGpuTarget } from '../../src/spec/index.ts';
import { loadBackbone } from '../../src/cli/backbones.ts';
import { loadTarget } from '../../src/cli/targets.ts';

const target = loadTarget('h800-sxm') as ResolvedGpuTarget;
const serving = target.serving!;
const dense4b = loadBackbone('dense-4b');
/** Sums of float terms in different orders. */
const TOL_FLOAT_REL = 1e-9;

function decodeStep(batch: number, context: number): ScheduledStep {
  return {
    isPrefill: false,
    seqs: Int32Array.from({ length: batch }, (_, i) => i),
    firstPos: new Int32Array(batch).fill(context - 1),
    newTokens: new Int32Array(batch).fill(1),
    numTokens: batch,
    contextTokens: batch * context,
    causalPairs: batch * context,
  };
}

test('stepCost: decode runs the next captured CUDA-graph size, nano-vLLM\'s [1, 2, 4, 8] + multiples of 16 up to 512', (t) => {
  t.deepEqual([1, 3, 8, 9, 16, 17, 500, 512].map((b) => decodeGraphBatch(b, 512)), [1, 4, 8, 16, 16, 32, 512, 512]);
  t.is(decodeGraphBatch(513, 1024), undefined);
  t.is(decodeGraphBatch(200, 128), undefined);
});

test('stepCost: a sustained GEMM is the gemm model\'s compute over the tensor-core fraction when compute-bound', (t) => {
  const cost = gemmCost({ m: 8192, n: 8192, k: 8192, dtype: 'bf16' }, target);
  const ctx = gpuCostContext(dense4b, target, serving, 512);
  t.is(sustainedGemmNs(ctx, 8192, 8192, 8192), cost.computeNs / serving.efficiency.tensorCoreFractionOfPeak);
});

test('stepCost: decode attention is the KV bytes over the paged-attention bandwidth, linear in context', (t) => {
  const ctx = gpuCostContext(dense4b, target, serving, 512);
  const a = stepGpuCost(ctx, decodeStep(256, 1000));
  const b = stepGpuCost(ctx, decodeStep(256, 2000));
  const kvPerLayer = 256 * 1000 * dense4b.derived.kvBytesPerTokenPerLayer;
  const qo = 2 * 256 * dense4b.derived.qDim * 2;
  const bw = target.memory.hbmBandwidthGBps * serving.efficiency.decodeAttentionFractionOfHbm;
  t.true(Math.abs(a.attentionNs - (30 * (kvPerLayer + qo)) / bw) <= TOL_FLOAT_REL * a.attentionNs);
  t.true(Math.abs(b.attentionNs - a.attentionNs - (30 * kvPerLayer) / bw) <= TOL_FLOAT_REL * b.attentionNs);
  // GEMMs do not see the context.
  t.is(a.gemmNs, b.gemmNs);
});

test('stepCost: a padded decode batch costs the GEMMs of its graph size and the head of its real size', (t) => {
  const ctx = gpuCostContext(dense4b, target, serving, 512);
  const c = stepGpuCost(ctx, decodeStep(17, 500));
  t.is(c.gemmNs, 30 * layerGemmNs(ctx, 32));
  t.is(c.lmHeadNs, sustainedGemmNs(ctx, 17, dense4b.architecture.vocabSize, dense4b.architecture.hiddenSize));
  t.is(c.launchFloorNs, 0);
});

test('stepCost: blocks before layer k cost k equal blocks, and the named parts sum to the device time', (t) => {
  const ctx = gpuCostContext(dense4b, target, serving, 512);
  const c = stepGpuCost(ctx, decodeStep(512, 800));
  const perBlock = c.blocksBeforeNs(2) - c.blocksBeforeNs(1);
  t.true(Math.abs(c.blocksBeforeNs(1) - c.blocksBeforeNs(0) - perBlock) <= TOL_FLOAT_REL * perBlock);
  const blocks = c.blocksBeforeNs(30) - c.blocksBeforeNs(0);
  t.true(Math.abs(blocks - 30 * perBlock) <= TOL_FLOAT_REL * blocks);
  t.true(blocks > c.gemmNs + c.attentionNs && blocks < c.gemmNs + c.attentionNs + c.elementwiseNs);
  t.true(Math.abs(c.deviceNs - (c.gemmNs + c.attentionNs + c.elementwiseNs + c.lmHeadNs + c.samplerNs)) <= TOL_FLOAT_REL * c.deviceNs);
});

test('stepCost: a prefill step is FLOP-bound attention at the flash-attention fraction of the BF16 peak', (t) => {
  const ctx = gpuCostContext(dense4b, target, serving, 512);
  const step: ScheduledStep = { isPrefill: true, seqs: Int32Array.of(0), firstPos: Int32Array.of(0), newTokens: Int32Array.of(1000), numTokens: 1000, contextTokens: 1000, causalPairs: 500500 };
  const c = stepGpuCost(ctx, step);
  const flops = 30 * 4 * 32 * 128 * 500500;
  t.true(Math.abs(c.attentionNs - flops / (989.5e3 * serving.efficiency.prefillAttentionFractionOfPeak)) <= TOL_FLOAT_REL * c.attentionNs);
  t.true(c.launchFloorNs > 0);
  t.is(c.totalNs, Math.max(c.deviceNs, c.launchFloorNs));
});
