import test from 'ava';
import { createIndexEvaluator, createPointRunner, evaluatorRegistry, findEvaluator, pendingPoint, planSweep, scanShard } from '../../src/dse/index.ts';
import { shippedContext, spec } from './helpers.ts';

const gemmSpec = spec({
  parameters: { target: ['h800-sxm', 'tpu-v5e'], m: [1, 512], n: [2048], k: { from: 256, to: 1024, count: 3, scale: 'log', integer: true } },
  objectives: { tflopsPerKUsd: { expression: 'achievedTflops / (costUsd / 1000)', goal: 'max' } },
  constraints: ['utilisationPct >= 1'],
});

test('planSweep: enumerates the grid with the evaluator\'s defaults filled into every point', (t) => {
  const plan = planSweep(gemmSpec, 'test.yaml', findEvaluator('gemm', 'test.yaml'), shippedContext());
  t.is(plan.source.count, 2 * 2 * 3);
  t.deepEqual(plan.source.pointAt(0), { dataflow: 'auto', dtype: 'fp8', k: 256, m: 1, n: 2048, target: 'h800-sxm' });
  t.regex(plan.specSha256, /^[0-9a-f]{64}$/);
});

test('planSweep: rejects an unknown evaluator, naming the known ones', (t) => {
  t.snapshot(t.throws(() => findEvaluator('roofline', 'test.yaml'))?.message);
  t.deepEqual([...evaluatorRegistry.keys()].sort(), ['engram-projection', 'gemm', 'projection']);
});

test('planSweep: rejects an objective over a field the evaluator does not produce before anything runs', (t) => {
  const bad = spec({ parameters: { target: ['h800-sxm'], m: [1], n: [1], k: [1] }, objectives: { x: { expression: 'engramTokPerS / costUsd', goal: 'max' } } });
  t.snapshot(t.throws(() => planSweep(bad, 'test.yaml', findEvaluator('gemm', 'test.yaml'), shippedContext()))?.message);
});

test('createPointRunner: outcomes do not depend on the order points are evaluated in', (t) => {
  const context = shippedContext();
  const plan = planSweep(gemmSpec, 'test.yaml', findEvaluator('gemm', 'test.yaml'), context);
  const indices = Array.from(scanShard(plan.source, { index: 1, count: 1 }, new Set()).pending);
  const forward = indices.map(createIndexEvaluator(plan, context));
  const backward = [...indices].reverse().map(createIndexEvaluator(plan, context)).reverse();
  t.deepEqual(forward, backward);
  t.true(forward.every((p) => p.error === null && p.seed === p.key.slice(0, 16)));
});

test('createPointRunner: evaluates objectives and constraints over the point and its result', (t) => {
  const context = shippedContext();
  const plan = planSweep(gemmSpec, 'test.yaml', findEvaluator('gemm', 'test.yaml'), context);
  const outcome = createPointRunner(plan, context)(pendingPoint(plan.source, 5));
  const result = outcome.result as Record<string, number>;
  t.is(outcome.objectives.tflopsPerKUsd, result.achievedTflops! / (result.costUsd! / 1000));
  t.is(outcome.feasible, result.utilisationPct! >= 1);
});

test('createPointRunner: stores a point the model rejects as that point\'s error, infeasible', (t) => {
  const context = shippedContext();
  const gpuDataflow = spec({ parameters: { target: ['h800-sxm'], m: [64], n: [64], k: [64], dataflow: ['ws'] } });
  const plan = planSweep(gpuDataflow, 'test.yaml', findEvaluator('gemm', 'test.yaml'), context);
  const outcome = createPointRunner(plan, context)(pendingPoint(plan.source, 0));
  t.false(outcome.feasible);
  t.deepEqual(outcome.result, {});
  t.snapshot(outcome.error);
});
