import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ModelError } from '../../src/core/index.ts';
import { compulsoryTraffic, systolicGemmCost } from '../../src/gemm/index.ts';
import { resolveTarget, type ResolvedSystolicTarget } from '../../src/spec/index.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

function tpu(edit: (doc: Record<string, Record<string, unknown>>) => void = () => {}): ResolvedSystolicTarget {
  const doc = JSON.parse(readFileSync(path.join(repoRoot, 'targets/tpu-v5e.json'), 'utf8'));
  edit(doc);
  return resolveTarget(doc, 'tpu-v5e.json') as ResolvedSystolicTarget;
}

const v5e = tpu();

test('systolicArray: the fused paper-27b projection at T = 512 takes 1000 weight-stationary folds over 4 MXUs', (t) => {
  const cost = systolicGemmCost({ m: 512, n: 12800, k: 1280, dtype: 'fp8' }, v5e);
  if (cost.detail.kind !== 'systolic') return t.fail(cost.detail.kind);
  // folds = ceil(1280/128) * ceil(12800/128) = 1000; 250 per MXU;
  // pipelined: 249 * max(512, 128) + (2*128 + 128 + 512 - 2) = 127,488 + 894.
  t.deepEqual([cost.detail.dataflow, cost.detail.folds, cost.detail.foldsPerArray, cost.detail.computeCycles], ['ws', 1000, 250, 128_382]);
  t.is(cost.computeNs, (128_382 * 1e3) / 1500);
  t.is(cost.cycles, 128_382);
  t.is(cost.bound, 'compute');
  t.deepEqual(cost.dram, compulsoryTraffic(cost.shape));
  t.is(cost.detail.blocking.strategy, 'resident-b');
});

test('systolicArray: output-stationary maps tokens on rows, so T = 1 leaves 127 of 128 rows idle', (t) => {
  const cost = systolicGemmCost({ m: 1, n: 12800, k: 1280, dtype: 'fp8' }, v5e, 'os');
  if (cost.detail.kind !== 'systolic') return t.fail(cost.detail.kind);
  // folds = 1 * 100, 25 per MXU: 24 * max(1280, 128) + (256 + 128 + 1280 - 2).
  t.is(cost.detail.computeCycles, 24 * 1280 + 1662);
  t.is(cost.bound, 'array-quantised');
});

test('systolicArray: FP8 on v5e halves operand bytes but not MXU cycles (no native FP8)', (t) => {
  const shape = { m: 2048, n: 2048, k: 2048 };
  const fp8 = systolicGemmCost({ ...shape, dtype: 'fp8' }, v5e);
  const bf16 = systolicGemmCost({ ...shape, dtype: 'bf16' }, v5e);
  t.is(fp8.computeNs, bf16.computeNs);
  t.is(fp8.dram.aBytes * 2, bf16.dram.aBytes);
  t.is(fp8.peakTflops, bf16.peakTflops);
});

test('systolicArray: serial folds cost SCALE-Sim 2R + C + T - 2 each when the target says so', (t) => {
  const serial = tpu((doc) => {
    doc.dataflow!.foldOverlap = 'serial';
  });
  const cost = systolicGemmCost({ m: 512, n: 12800, k: 1280, dtype: 'fp8' }, serial);
  t.true(cost.detail.kind === 'systolic' && cost.detail.computeCycles === 250 * (256 + 128 + 512 - 2));
});

test('systolicArray: a VMEM too small for the weights re-reads activations from HBM', (t) => {
  const small = tpu((doc) => {
    doc.onChip!.sramBytes = 4 * 2 ** 20;
  });
  const shape = { m: 4096, n: 12800, k: 1280, dtype: 'fp8' as const };
  const cost = systolicGemmCost(shape, small);
  if (cost.detail.kind !== 'systolic') return t.fail(cost.detail.kind);
  t.true(cost.detail.blocking.aReads > 1 || cost.detail.blocking.bReads > 1);
  t.true(cost.dram.totalBytes > compulsoryTraffic(shape).totalBytes);
  t.true(cost.detail.blocking.bufferUsedBytes <= 4 * 2 ** 20);
});

test('systolicArray: a dataflow the target lacks is a model error listing the ones it has', (t) => {
  const wsOnly = tpu((doc) => {
    doc.dataflow!.supported = ['ws'];
  });
  const error = t.throws(() => systolicGemmCost({ m: 8, n: 8, k: 8, dtype: 'fp8' }, wsOnly, 'os'), { instanceOf: ModelError });
  t.snapshot(error?.message);
});
