import test from 'ava';
import { compulsoryTraffic, fpgaGemmCost } from '../../src/gemm/index.ts';
import { loadTarget } from '../../src/cli/targets.ts';
import type { ResolvedFpgaTarget } from '../../src/spec/index.ts';

const u55c = loadTarget('alveo-u55c') as ResolvedFpgaTarget;

test('fpgaDspArray: three FP8 products per DSP make a 64 x 384 output-stationary array', (t) => {
  const cost = fpgaGemmCost({ m: 64, n: 12800, k: 1280, dtype: 'fp8' }, u55c);
  if (cost.detail.kind !== 'fpga') return t.fail(cost.detail.kind);
  // folds = ceil(64/64) * ceil(12800/384) = 34; pipelined: 33 * 1280 + (2*64 + 384 + 1280 - 2).
  t.deepEqual([cost.detail.dataflow, cost.detail.cols, cost.detail.folds, cost.detail.computeCycles], ['os', 384, 34, 33 * 1280 + 1790]);
  t.deepEqual([cost.detail.dspsUsed, cost.detail.macsPerDsp], [8192, 3]);
  t.is(cost.peakTflops, (64 * 384 * 2 * 300) / 1e6);
  t.is(cost.computeNs, ((33 * 1280 + 1790) * 1e3) / 300);
});

test('fpgaDspArray: BF16 packs two products per DSP, so the same GEMM takes 50 folds of 256 columns', (t) => {
  const cost = fpgaGemmCost({ m: 64, n: 12800, k: 1280, dtype: 'bf16' }, u55c);
  t.true(cost.detail.kind === 'fpga' && cost.detail.folds === 50 && cost.detail.computeCycles === 49 * 1280 + (128 + 256 + 1278));
});

test('fpgaDspArray: operands that both exceed BRAM + URAM are re-read from HBM', (t) => {
  // A and B are 16384 x 4096 FP8 = 67 MB each against a 39.7 MB buffer.
  const shape = { m: 16384, n: 16384, k: 4096, dtype: 'fp8' as const };
  const cost = fpgaGemmCost(shape, u55c);
  if (cost.detail.kind !== 'fpga') return t.fail(cost.detail.kind);
  t.true(cost.dram.totalBytes > compulsoryTraffic(shape).totalBytes);
  t.true(cost.detail.blocking.bufferUsedBytes <= u55c.derived.bufferBytes);
  t.is(cost.detail.blocking.bufferBytes, 2016 * 4096 + 960 * 32768);
});

test('fpgaDspArray: the paper-27b weights fit on chip, so the projection reads HBM once', (t) => {
  const shape = { m: 16384, n: 12800, k: 1280, dtype: 'fp8' as const };
  t.deepEqual(fpgaGemmCost(shape, u55c).dram, compulsoryTraffic(shape));
});
