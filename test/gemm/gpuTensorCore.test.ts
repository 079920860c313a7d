import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ModelError } from '../../src/core/index.ts';
import { gpuGemmCost, roofline } from '../../src/gemm/index.ts';
import { resolveTarget, type ResolvedGpuTarget } from '../../src/spec/index.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

/** The shipped H800 document, optionally with other block candidates. */
function h800(blockM: number[] = [64, 128], blockN: number[] = [128]): ResolvedGpuTarget {
  const doc = JSON.parse(readFileSync(path.join(repoRoot, 'targets/h800-sxm.json'), 'utf8'));
  doc.tiling = { ...doc.tiling, blockMCandidates: blockM, blockNCandidates: blockN };
  return resolveTarget(doc, 'h800-sxm.json') as ResolvedGpuTarget;
}

const square = h800([128], [128]);
const SMS = 132;
/** Long K keeps these shapes compute-bound, so the wave step shows in the time, not only in computeNs. */
const K = 16384;

test('gpuTensorCore: one extra tile beyond the SM count doubles the compute time when tiles are 128x128', (t) => {
  const full = gpuGemmCost({ m: 128 * 12, n: 128 * 11, k: K, dtype: 'fp8' }, square); // 132 tiles
  const over = gpuGemmCost({ m: 128 * 7, n: 128 * 19, k: K, dtype: 'fp8' }, square); // 133 tiles
  t.deepEqual([full.detail.kind === 'gpu' && full.detail.tiles, full.detail.kind === 'gpu' && full.detail.waves], [SMS, 1]);
  t.deepEqual([over.detail.kind === 'gpu' && over.detail.tiles, over.detail.kind === 'gpu' && over.detail.waves], [SMS + 1, 2]);
  t.is(over.computeNs, 2 * full.computeNs);
  t.is(over.timeNs, over.computeNs);
  t.true(over.detail.kind === 'gpu' && over.detail.lastWaveTiles === 1);
  // 133 useful tiles in 264 slots: useful work still outweighs idle slots.
  t.is(over.bound, 'compute');
  t.is(full.utilisationPct, 100);
});

test('gpuTensorCore: 132 full tiles run exactly at the roofline when the shape divides into tiles and waves', (t) => {
  const shape = { m: 128 * 12, n: 128 * 11, k: K, dtype: 'fp8' as const };
  const cost = gpuGemmCost(shape, square);
  t.is(cost.computeNs, roofline(shape, 1979, 3350).computeNs);
  t.is(cost.timeNs, cost.roofline.timeNs);
});

test('gpuTensorCore: a row past a tile boundary costs a whole extra row of tiles (tile quantisation)', (t) => {
  const m129 = gpuGemmCost({ m: 129, n: 128 * 66, k: K, dtype: 'fp8' }, square);
  const m256 = gpuGemmCost({ m: 256, n: 128 * 66, k: K, dtype: 'fp8' }, square);
  t.is(m129.computeNs, m256.computeNs);
  t.true(m129.detail.kind === 'gpu' && m129.detail.tiles === SMS);
  // 129 of 256 padded rows do useful work.
  t.true(Math.abs(m129.roofline.computeNs / m129.computeNs - 129 / 256) < 1e-12);
});

test('gpuTensorCore: a single tile on a 132-SM GPU is wave-quantised when K is long', (t) => {
  const cost = gpuGemmCost({ m: 128, n: 128, k: K, dtype: 'fp8' }, square);
  t.is(cost.bound, 'wave-quantised');
  t.true(Math.abs(cost.utilisationPct - 100 / SMS) < 1e-9);
});

test('gpuTensorCore: a decode-sized GEMM is memory-bound and K is padded to blockK', (t) => {
  const cost = gpuGemmCost({ m: 1, n: 12800, k: 1280, dtype: 'fp8' }, h800());
  t.is(cost.bound, 'memory');
  t.is(cost.memoryNs, cost.roofline.memoryNs);
  t.true(cost.detail.kind === 'gpu' && cost.detail.blockM === 64 && cost.detail.tiles === 100 && cost.detail.waves === 1);
  const padded = gpuGemmCost({ m: 128 * 12, n: 128 * 11, k: 129, dtype: 'fp8' }, square);
  const twoBlocks = gpuGemmCost({ m: 128 * 12, n: 128 * 11, k: 256, dtype: 'fp8' }, square);
  t.is(padded.computeNs, twoBlocks.computeNs);
});

test('gpuTensorCore: the block with the least compute time wins, larger blocks on ties', (t) => {
  // m = 64: a 64-row block halves the padding of a 128-row one.
  const small = gpuGemmCost({ m: 64, n: 128 * 132, k: K, dtype: 'fp8' }, h800());
  t.true(small.detail.kind === 'gpu' && small.detail.blockM === 64);
  // m = 128 * 132 with n = 128: 132 tiles of 128 rows fill one wave; 264 tiles of 64 rows take two.
  const tall = gpuGemmCost({ m: 128 * 132, n: 128, k: K, dtype: 'fp8' }, h800());
  t.true(tall.detail.kind === 'gpu' && tall.detail.blockM === 128 && tall.detail.waves === 1);
});

test('gpuTensorCore: BF16 has half the FP8 peak and twice the operand bytes', (t) => {
  const shape = { m: 4096, n: 4096, k: 4096 };
  const fp8 = gpuGemmCost({ ...shape, dtype: 'fp8' }, square);
  const bf16 = gpuGemmCost({ ...shape, dtype: 'bf16' }, square);
  t.is(bf16.peakTflops, 989.5);
  t.is(bf16.computeNs, 2 * fp8.computeNs);
  t.is(bf16.dram.aBytes, 2 * fp8.dram.aBytes);
  t.is(bf16.dram.scaleBytes, 0);
});

test('gpuTensorCore: cycles are the time at the target clock, rounded up', (t) => {
  const cost = gpuGemmCost({ m: 4096, n: 7168, k: 16384, dtype: 'fp8' }, h800());
  t.is(cost.cycles, Math.ceil((cost.timeNs * 1980) / 1e3));
  t.true(cost.detail.kind === 'gpu' && cost.detail.operandsFitL2 === false);
  const fits = gpuGemmCost({ m: 4096, n: 12800, k: 1280, dtype: 'fp8' }, h800());
  t.true(fits.detail.kind === 'gpu' && fits.detail.operandsFitL2);
});

test('gpuTensorCore: a non-integer dimension is a model error naming the field and value', (t) => {
  const error = t.throws(() => gpuGemmCost({ m: 2.5, n: 1, k: 1, dtype: 'fp8' }, square), { instanceOf: ModelError });
  t.snapshot(error?.message);
});
