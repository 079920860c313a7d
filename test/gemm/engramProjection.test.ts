import test from 'ava';
import fc from 'fast-check';
import { ModelError } from '../../src/core/index.ts';
import { ENGRAM_SWEEP_TOKENS, engramProjectionCost, engramProjectionShapes, engramProjectionSweep } from '../../src/gemm/index.ts';
import { listConfigNames, loadConfig } from '../../src/cli/configs.ts';
import { listTargetNames, loadTarget } from '../../src/cli/targets.ts';

const paper27b = loadConfig('paper-27b');
const h800 = loadTarget('h800-sxm');
const targets = listTargetNames().map((name) => loadTarget(name));
/**
 * When fused and unfused fill exactly the same SM slots, (5 x) / peak and 5 x (x / peak) may differ in the
 * last bit of a float64; a speed-up within this of 1 is a tie, not a loss.
 */
const TOL_SPEEDUP_TIE = 1e-12;

test('engramProjection: paper-27b fuses W_V and 4 branch keys into one 1280 x 12800 GEMM or five of 1280 x 2560', (t) => {
  const shapes = engramProjectionShapes(paper27b, 4096, 'fp8');
  t.deepEqual(shapes, {
    dMem: 1280,
    hidden: 2560,
    projections: 5,
    fused: { m: 4096, n: 12800, k: 1280, dtype: 'fp8' },
    unfusedEach: { m: 4096, n: 2560, k: 1280, dtype: 'fp8' },
  });
  t.deepEqual(engramProjectionShapes(loadConfig('demo'), 1, 'bf16').fused, { m: 1, n: 5 * 1024, k: 1024, dtype: 'bf16' });
});

test('engramProjection: the sweep covers T = 1, 2, 4, ..., 16384', (t) => {
  t.is(ENGRAM_SWEEP_TOKENS.length, 15);
  t.is(ENGRAM_SWEEP_TOKENS[0], 1);
  t.is(ENGRAM_SWEEP_TOKENS[14], 16384);
});

test('engramProjection: on H800 at T = 1 fusion wins 1.43x because each separate GEMM is one wave of 20 tiles', (t) => {
  const p = engramProjectionCost(paper27b, h800, 1, 'fp8');
  // Fused: memory-bound on 16,384,000 B of W plus e, output and scales: 16,414,920 B / 3350 GB/s.
  t.is(p.fused.bound, 'memory');
  t.is(p.fused.timeNs, 16_414_920 / 3350);
  // Separate: 20 tiles of 64 x 128 x 1280 in one wave, each SM slot at 1979/132 TFLOPS.
  t.is(p.unfused.each.bound, 'wave-quantised');
  t.is(p.unfused.each.timeNs, (132 * 2 * 64 * 128 * 1280) / (1979 * 1e3));
  t.is(p.unfused.timeNs, 5 * p.unfused.each.timeNs);
  t.true(Math.abs(p.speedup - 1.4274) < 1e-4, `${p.speedup}`);
});

test('engramProjection: fused is never slower than unfused on any target, config, format or T of the sweep', (t) => {
  for (const name of listConfigNames()) {
    const config = loadConfig(name);
    for (const target of targets) {
      for (const dtype of ['fp8', 'bf16'] as const) {
        for (const p of engramProjectionSweep(config, target, dtype)) {
          t.true(p.speedup >= 1 - TOL_SPEEDUP_TIE, `${name} on ${target.name}, ${dtype}, T=${p.tokens}: ${p.speedup}`);
        }
      }
    }
  }
});

test('engramProjection: fused is never slower than unfused on the GPUs for any T from 1 to 65536', (t) => {
  const property = fc.property(fc.integer({ min: 1, max: 65536 }), fc.constantFrom(...targets.filter((x) => x.kind === 'gpu')), (tokens, target) => {
    return engramProjectionCost(paper27b, target, tokens, 'fp8').speedup >= 1 - TOL_SPEEDUP_TIE;
  });
  t.notThrows(() => fc.assert(property, { seed: 2601_07372, numRuns: 200 }));
});

test('engramProjection: time never falls as T grows, fused or unfused, on every target', (t) => {
  for (const target of targets) {
    const sweep = engramProjectionSweep(paper27b, target, 'fp8');
    for (let i = 1; i < sweep.length; i++) {
      t.true(sweep[i]!.fused.timeNs >= sweep[i - 1]!.fused.timeNs, `${target.name} fused T=${sweep[i]!.tokens}`);
      t.true(sweep[i]!.unfused.timeNs >= sweep[i - 1]!.unfused.timeNs, `${target.name} unfused T=${sweep[i]!.tokens}`);
    }
  }
});

test('engramProjection: unfused costs add up M + 1 identical GEMMs', (t) => {
  const p = engramProjectionCost(paper27b, loadTarget('tpu-v5e'), 256, 'fp8');
  t.is(p.unfused.gemms, 5);
  t.is(p.unfused.cycles, 5 * p.unfused.each.cycles);
  t.is(p.unfused.dramBytes, 5 * p.unfused.each.dram.totalBytes);
  t.is(p.speedup, p.unfused.timeNs / p.fused.timeNs);
});

test('engramProjection: a token count below 1 is a model error', (t) => {
  const error = t.throws(() => engramProjectionShapes(paper27b, 0, 'fp8'), { instanceOf: ModelError });
  t.snapshot(error?.message);
});
