// Fidelity: every target's quantised estimate against its own roofline (style.md convention 14: the tiled
// estimate may never beat it), and the H800 estimate against DeepGEMM's published FP8 throughput, which
// a model of the attainable peak must not fall below.
import test from 'ava';
import fc from 'fast-check';
import { gemmCost, type GemmCost } from '../../src/gemm/index.ts';
import { listTargetNames, loadTarget } from '../../src/cli/targets.ts';
import { resolveTarget, type ResolvedTarget } from '../../src/spec/index.ts';

/** Estimate and roofline divide different integer FLOP or byte counts by one peak; only rounding may tie them. */
const TOL_FLOAT_REL = 1e-12;

interface Fidelity {
  expected: number;
  measured: number;
  deviationPct: number;
}

function fidelity(expected: number, measured: number): Fidelity {
  return { expected, measured, deviationPct: (100 * (measured - expected)) / expected };
}

const shipped = listTargetNames().map((name) => loadTarget(name));
/** The H800 with DeepGEMM's full block_n range (16..128 step 8), the most optimistic tiling offered. */
const h800Wide: ResolvedTarget = (() => {
  const h800 = loadTarget('h800-sxm');
  const doc = JSON.parse(JSON.stringify(h800)) as Record<string, Record<string, unknown>>;
  delete doc.derived;
  doc.tiling!.blockNCandidates = Array.from({ length: 15 }, (_, i) => 16 + 8 * i);
  return resolveTarget(doc, 'h800-wide');
})();
const targets = [...shipped, h800Wide];

function neverBeatsRoofline(cost: GemmCost): boolean {
  const time = fidelity(cost.roofline.timeNs, cost.timeNs);
  const compute = fidelity(cost.roofline.computeNs, cost.computeNs);
  const memory = fidelity(cost.roofline.memoryNs, cost.memoryNs);
  return [time, compute, memory].every((f) => f.deviationPct >= -100 * TOL_FLOAT_REL) && cost.utilisationPct <= 100 * (1 + TOL_FLOAT_REL);
}

test('fidelity gemmRoofline: no target estimate beats its roofline in time, compute or memory for random shapes', (t) => {
  const property = fc.property(
    fc.integer({ min: 1, max: 20000 }),
    fc.integer({ min: 1, max: 20000 }),
    fc.integer({ min: 1, max: 20000 }),
    fc.constantFrom('fp8' as const, 'bf16' as const),
    fc.constantFrom(...targets),
    (m, n, k, dtype, target) => neverBeatsRoofline(gemmCost({ m, n, k, dtype }, target)),
  );
  t.notThrows(() => fc.assert(property, { seed: 14, numRuns: 400 }));
});

test('fidelity gemmRoofline: estimates equal the roofline when tiles and waves divide exactly on the GPU', (t) => {
  // 128 x 132 rows by 128 columns: 132 tiles of 128 x 128, one full wave; K a multiple of blockK.
  const cost = gemmCost({ m: 128 * 132, n: 128, k: 8192, dtype: 'fp8' }, loadTarget('h800-sxm'));
  t.deepEqual(fidelity(cost.roofline.computeNs, cost.computeNs).deviationPct, 0);
});

// DeepGEMM README, Feb 2025, H800, NVCC 12.8 (facts.md §B, HIGH): dense FP8 GEMMs with fine-grained scaling.
const DEEPGEMM_H800: readonly { m: number; n: number; k: number; tflops: number }[] = [
  { m: 4096, n: 7168, k: 16384, tflops: 1358 },
  { m: 4096, n: 4096, k: 7168, tflops: 1304 },
];

test('fidelity gemmRoofline: the H800 estimate is never slower than DeepGEMM measured on an H800', (t) => {
  const h800 = loadTarget('h800-sxm');
  for (const c of DEEPGEMM_H800) {
    const cost = gemmCost({ m: c.m, n: c.n, k: c.k, dtype: 'fp8' }, h800);
    const modelTflops = cost.flops / cost.timeNs / 1e3;
    const check = fidelity(c.tflops, modelTflops);
    // The model is an attainable-peak bound: at or above the measurement (DeepGEMM reaches 66-78% of the
    // 1,979 TFLOPS peak, facts.md §D1), and never above the peak itself.
    t.true(check.deviationPct >= 0, `${c.m}x${c.n}x${c.k}: ${JSON.stringify(check)}`);
    t.true(modelTflops <= h800.derived.peakTflops.fp8, `${modelTflops}`);
  }
});
