import test from 'ava';
import { ModelError } from '../../src/core/index.ts';
import { gemmCost } from '../../src/gemm/index.ts';
import { listTargetNames, loadTarget } from '../../src/cli/targets.ts';

const shape = { m: 256, n: 512, k: 1024, dtype: 'fp8' as const };

test('costModel: each shipped target is costed by the model of its kind', (t) => {
  const kinds = Object.fromEntries(listTargetNames().map((name) => [name, gemmCost(shape, loadTarget(name)).detail.kind]));
  t.deepEqual(kinds, { 'alveo-u55c': 'fpga', 'h100-sxm': 'gpu', 'h800-sxm': 'gpu', 'tpu-v5e': 'systolic' });
});

test('costModel: array targets default to their first dataflow and accept the other', (t) => {
  const tpu = loadTarget('tpu-v5e');
  const fpga = loadTarget('alveo-u55c');
  t.like(gemmCost(shape, tpu).detail, { dataflow: 'ws' });
  t.like(gemmCost(shape, tpu, { dataflow: 'os' }).detail, { dataflow: 'os' });
  t.like(gemmCost(shape, fpga).detail, { dataflow: 'os' });
});

test('costModel: a dataflow asked of a GPU is a model error', (t) => {
  const error = t.throws(() => gemmCost(shape, loadTarget('h800-sxm'), { dataflow: 'ws' }), { instanceOf: ModelError });
  t.snapshot(error?.message);
});

test('costModel: the same inputs give the same result and leave the target untouched', (t) => {
  const target = loadTarget('tpu-v5e');
  const before = JSON.stringify(target);
  t.deepEqual(gemmCost(shape, target), gemmCost(shape, target));
  t.is(JSON.stringify(target), before);
});
