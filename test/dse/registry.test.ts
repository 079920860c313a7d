// Conformance of every registered evaluator (style.md convention 8): declared fields, determinism, defaults in
// their domains; plus the numbers of the shipped evaluators against the models they wrap.
import test from 'ava';
import { loadConfig } from '../../src/cli/configs.ts';
import { loadTarget } from '../../src/cli/targets.ts';
import { evaluatorRegistry, type ParameterDomain, type SweepPoint } from '../../src/dse/index.ts';
import { engramProjectionCost, gemmCost } from '../../src/gemm/index.ts';
import { shippedContext } from './helpers.ts';

/** A point of the domain: the default, else the first choice, else the smallest value above 1. */
function samplePoint(domains: Readonly<Record<string, ParameterDomain>>): SweepPoint {
  return Object.fromEntries(
    Object.entries(domains).map(([name, d]) => [name, d.default ?? (d.kind === 'choice' ? d.values[0]! : Math.min(d.max, Math.max(d.min, 64)))]),
  );
}

for (const definition of evaluatorRegistry.values()) {
  test(`evaluator ${definition.name}: returns exactly its declared fields with their types for a point of its domain`, (t) => {
    const context = shippedContext();
    const result = definition.create(context)(samplePoint(definition.parameters(context)), 1n);
    t.deepEqual(Object.keys(result).sort(), Object.keys(definition.fields).sort());
    for (const [name, field] of Object.entries(definition.fields)) {
      t.is(typeof result[name], field.type, name);
      if (field.type === 'number') t.true(Number.isFinite(result[name]), name);
    }
  });

  test(`evaluator ${definition.name}: gives the same result for the same point whatever the seed or the call order`, (t) => {
    const context = shippedContext();
    const point = samplePoint(definition.parameters(context));
    const evaluate = definition.create(context);
    const first = evaluate(point, 1n);
    evaluate({ ...point }, 2n);
    t.deepEqual(definition.create(context)(point, 99n), first);
  });

  test(`evaluator ${definition.name}: declares defaults inside their domains and a version and description`, (t) => {
    const context = shippedContext();
    for (const [name, d] of Object.entries(definition.parameters(context))) {
      if (d.default === undefined) continue;
      if (d.kind === 'choice') t.true(d.values.includes(d.default as string), name);
      else t.true((d.default as number) >= d.min && (d.default as number) <= d.max, name);
    }
    t.regex(definition.version, /^\S+$/);
    t.true(definition.description.length > 0);
  });
}

test('evaluator gemm: reports the GEMM cost model\'s time and the device price of the costs file', (t) => {
  const context = shippedContext();
  const result = evaluatorRegistry.get('gemm')!.create(context)({ target: 'tpu-v5e', m: 512, n: 12800, k: 1280, dtype: 'fp8', dataflow: 'os' }, 0n);
  const cost = gemmCost({ m: 512, n: 12800, k: 1280, dtype: 'fp8' }, loadTarget('tpu-v5e'), { dataflow: 'os' });
  t.is(result.timeNs, cost.timeNs);
  t.is(result.bound, cost.bound);
  t.is(result.costUsd, context.costs.devices['tpu-v5e']!.priceUsd);
});

test('evaluator engram-projection: the paper-27b table holds 5.79B values (facts.md §A5) priced at host-DRAM cost', (t) => {
  const context = shippedContext();
  const result = evaluatorRegistry.get('engram-projection')!.create(context)({ config: 'paper-27b', target: 'h800-sxm', tokens: 4096, dtype: 'fp8', dataflow: 'auto' }, 0n);
  t.is(result.tableParams, 2 * 2 * 8 * 2_262_400 * 80);
  t.is(result.tableBytes, (result.tableParams as number) * 2);
  t.is(result.gatherBytesPerToken, 2 * 16 * 80 * 2);
  t.is(result.tableDramCostUsd, ((result.tableBytes as number) / 1e9) * context.costs.memory.dram.usdPerGB);
  const p = engramProjectionCost(loadConfig('paper-27b'), loadTarget('h800-sxm'), 4096, 'fp8');
  t.is(result.fusedTimeNs, p.fused.timeNs);
  t.is(result.projectionTokPerS, (4096 * 1e9) / p.fused.timeNs);
});
