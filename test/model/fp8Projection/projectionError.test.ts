import test from 'ava';
import { ModelError } from '../../../src/core/index.ts';
import { EXACT_ACCUMULATION, gemmFp8, hopperAccumulation, quantizeMatrix } from '../../../src/fp8/index.ts';
import {
  absChange, fp8ProjectionError, fp8ProjectionInput, fusedProjectionWeights, gateFromProjection, matrixError, referenceProjectionTfjs, selectBackend,
  type Fp8ProjectionOptions,
} from '../../../src/model/index.ts';
import { tinyConfig } from '../forward/tinyConfig.ts';

// hidden 32, d_mem 32, M = 2: fused N = 96. Blocks of 16 keep DeepSeek-V3's structure (several K tiles,
// several weight blocks per projection) at a size that runs in milliseconds.
const CONFIG = tinyConfig(2, 32);
const TOKENS = 12;
const SMALL_BLOCKS = { activationTileCols: 16, weightBlockRows: 16, weightBlockCols: 16 } as const;
/**
 * Exact FP8 products summed in float32 over K = 256: a random walk of K roundings of 2^-24 gives about
 * sqrt(K)·2^-24 ≈ 1e-6 relative. Measured 3.1e-7 (seed 7); the 14-bit accumulator measured 3.5e-5.
 */
const TOL_EXACT_ACCUMULATION_REL_FROBENIUS = 1e-6;

for (const accumulation of [EXACT_ACCUMULATION, hopperAccumulation(16)]) {
  test.serial(`fp8ProjectionError: fused and separate GEMMs are bit-identical with ${accumulation.kind} accumulation when blocks align with the projections`, async (t) => {
    const backend = await selectBackend('cpu');
    const input = fp8ProjectionInput(CONFIG, { tokens: TOKENS, seed: 5 });
    const r = fp8ProjectionError(backend, input, { accumulation, ...SMALL_BLOCKS });
    t.deepEqual(r.fusion, {
      weightBlocks: { aligned: true, blockRows: 16, straddledBoundaries: [], partialBlockRows: 0 },
      differingWeightElements: 0,
      differingOutputs: 0,
      outputs: TOKENS * 96,
      bitIdentical: true,
    });
    t.is(r.fusedN, 96);
  });
}

test.serial('fp8ProjectionError: reports the misaligned blocks and counts the differing outputs when hidden is not a multiple of the block height', async (t) => {
  const backend = await selectBackend('cpu');
  const input = fp8ProjectionInput(CONFIG, { tokens: TOKENS, seed: 5 });
  const r = fp8ProjectionError(backend, input, { accumulation: EXACT_ACCUMULATION, ...SMALL_BLOCKS, weightBlockRows: 24 });
  t.false(r.fusion.weightBlocks.aligned);
  t.deepEqual(r.fusion.weightBlocks.straddledBoundaries, [32, 64]);
  t.is(r.fusion.weightBlocks.partialBlockRows, 8);
  // Fused rows 24..47 share one scale across W_V and W_K^(0); alone, W_V's rows 24..31 get their own.
  t.true(r.fusion.differingWeightElements > 0);
  t.true(r.fusion.differingOutputs > 0);
  t.false(r.fusion.bitIdentical);
});

test.serial('fp8ProjectionError: the errors and gate changes equal an independent recomputation from gemmFp8 and the tfjs reference', async (t) => {
  const backend = await selectBackend('cpu');
  const input = fp8ProjectionInput(CONFIG, { tokens: TOKENS, seed: 6 });
  const options: Fp8ProjectionOptions = { accumulation: hopperAccumulation(16), format: 'e5m2', scaleEncoding: 'ue8m0', ...SMALL_BLOCKS };
  const r = fp8ProjectionError(backend, input, options);

  const w = fusedProjectionWeights(input.params);
  const block = { kind: 'blocks', blockRows: 16, blockCols: 16 } as const;
  const qa = quantizeMatrix(input.memory, TOKENS, 32, { format: 'e5m2', scaleEncoding: 'ue8m0', layout: { ...block, blockRows: 1 } });
  const qw = quantizeMatrix(w.fused, 96, 32, { format: 'e5m2', scaleEncoding: 'ue8m0', layout: block });
  const fp8 = gemmFp8(qa, qw, { accumulation: options.accumulation });
  const reference = referenceProjectionTfjs(backend, input.params, input.memory, TOKENS);
  t.deepEqual(r.projection.all, matrixError(fp8, reference));
  t.deepEqual(r.projection.keys, matrixError(fp8, reference, { cols: 96, colStart: 32, colEnd: 96 }));
  const g8 = gateFromProjection(input.params, fp8, input.hidden, TOKENS);
  const g32 = gateFromProjection(input.params, reference, input.hidden, TOKENS);
  t.deepEqual(r.gate.alpha, absChange(g8.alpha, g32.alpha));
  t.deepEqual(r.gate.gatedValue, absChange(g8.gatedValue, g32.gatedValue));
  t.is(r.format, 'e5m2');
  t.is(r.scaleEncoding, 'ue8m0');
});

test.serial('fp8ProjectionError: the 14-bit accumulator adds accumulation error that exact float32 accumulation does not', async (t) => {
  const backend = await selectBackend('cpu');
  const input = fp8ProjectionInput(CONFIG, { tokens: TOKENS, seed: 7, dMem: 256 });
  const exact = fp8ProjectionError(backend, input, { accumulation: EXACT_ACCUMULATION, ...SMALL_BLOCKS });
  const hopper = fp8ProjectionError(backend, input, { accumulation: hopperAccumulation(16), ...SMALL_BLOCKS });
  // Same operands, so the same quantisation; truncating below the group's 14th bit costs up to 2^-13 per group.
  t.deepEqual(exact.quantisation, hopper.quantisation);
  t.true(exact.accumulationOnly.relFrobenius < TOL_EXACT_ACCUMULATION_REL_FROBENIUS, `exact ${exact.accumulationOnly.relFrobenius}`);
  t.true(hopper.accumulationOnly.relFrobenius > 10 * exact.accumulationOnly.relFrobenius, `hopper ${hopper.accumulationOnly.relFrobenius}`);
  // Quantising both operands to E4M3 dominates either way: 2.2% for e and 2.5% for W alone (3 mantissa bits).
  for (const r of [exact, hopper]) t.true(r.projection.all.relFrobenius > r.accumulationOnly.relFrobenius);
});

test.serial('fp8ProjectionError: a promotion interval that crosses a K tile and a memory of the wrong length are ModelErrors', async (t) => {
  const backend = await selectBackend('cpu');
  const input = fp8ProjectionInput(CONFIG, { tokens: 2, seed: 5 });
  const messages = [
    t.throws(() => fp8ProjectionError(backend, input, { accumulation: hopperAccumulation(32), ...SMALL_BLOCKS }), { instanceOf: ModelError })?.message,
    t.throws(() => fp8ProjectionError(backend, { ...input, memory: new Float32Array(3) }, { accumulation: EXACT_ACCUMULATION }), { instanceOf: ModelError })?.message,
    t.throws(() => fp8ProjectionError(backend, input, { accumulation: EXACT_ACCUMULATION, weightBlockRows: 0 }), { instanceOf: ModelError })?.message,
  ];
  t.snapshot(messages);
});
