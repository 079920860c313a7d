// The `projection` sweep evaluator (issue 7): a small sweep through the sweep engine, its numbers against
// `engram-dse project --fast`'s path (sweepPenalty over projectServing), determinism, and the points it rejects.
import test from 'ava';
import { loadBackbone } from '../../src/cli/backbones.ts';
import { presetLoader } from '../../src/cli/commands/memsim.ts';
import { loadConfig } from '../../src/cli/configs.ts';
import { loadTarget } from '../../src/cli/targets.ts';
import { ModelError } from '../../src/core/index.ts';
import { createIndexEvaluator, findEvaluator, planSweep, type StoredPoint } from '../../src/dse/index.ts';
import {
  BENCH_ENGINE,
  benchWorkload,
  engramGatherSetup,
  placeEngram,
  projectionEvaluator,
  servingSystem,
  sweepPenalty,
  withTableParams,
  TABLE4_WORKLOAD,
} from '../../src/project/index.ts';
import { shippedContext, spec } from '../dse/helpers.ts';

const SEQS = 32;
/** Every optional parameter at its default. */
const DEFAULTS = { tableParams: 0, layer: -1, hbmCacheBytes: 0, tableDtype: 'config', linkLanes: 0, linkLatencyNs: 0, rowZipf: 0, cachePolicy: 'static', maxNumSeqs: 512 };
const sweepSpec = spec({
  evaluator: 'projection',
  parameters: { target: ['h800-sxm'], backbone: ['dense-4b'], config: ['offload-100b'], tableParams: [1e10, 1e11], tier: ['dram', 'nvme'], seqs: [SEQS] },
  objectives: { engramTokPerS: { expression: 'engramTokPerS', goal: 'max' }, costUsd: { expression: 'costUsd', goal: 'min' } },
  constraints: ['penaltyPct <= 50'],
});

function runSweep(order: readonly number[]): StoredPoint[] {
  const context = shippedContext();
  const plan = planSweep(sweepSpec, 'test.yaml', findEvaluator('projection', 'test.yaml'), context);
  const evaluate = createIndexEvaluator(plan, context);
  const stored = order.map((i) => evaluate(i));
  return stored.sort((a, b) => a.idx - b.idx);
}

test('projection evaluator: a 4-point sweep gives every declared field, one shared baseline and tier-priced costs', (t) => {
  const stored = runSweep([0, 1, 2, 3]);
  t.is(stored.length, 4);
  const context = shippedContext();
  const results = stored.map((s) => {
    t.is(s.error, null);
    const point = JSON.parse(s.point) as Record<string, number | string>;
    const result = JSON.parse(s.result) as Record<string, number>;
    t.deepEqual(Object.keys(result).sort(), Object.keys(projectionEvaluator.fields).sort());
    for (const [name, value] of Object.entries(result)) t.true(Number.isFinite(value), name);
    const tier = point.tier as 'dram' | 'nvme';
    t.is(result.costUsd, context.costs.devices['h800-sxm']!.priceUsd + (result.tableBytes! / 1e9) * context.costs.memory[tier].usdPerGB);
    t.is(result.tableBytes, result.tableValues! * 2);
    t.true(Math.abs(result.tableValues! / (point.tableParams as number) - 1) < 1e-3);
    t.is(result.penaltyPct, 100 * (1 - result.engramTokPerS! / result.baselineTokPerS!));
    return { point, result };
  });
  // The baseline does not depend on the Engram deployment; an SSD behind the same link costs throughput.
  t.true(results.every((r) => r.result.baselineTokPerS === results[0]!.result.baselineTokPerS));
  const at = (params: number, tier: string) => results.find((r) => r.point.tableParams === params && r.point.tier === tier)!.result;
  t.true(at(1e10, 'nvme').engramTokPerS! < at(1e10, 'dram').engramTokPerS!);
  t.true(at(1e11, 'dram').costUsd! > at(1e10, 'dram').costUsd!);
});

test('projection evaluator: the same stored points whatever the evaluation order', (t) => {
  t.deepEqual(runSweep([3, 2, 1, 0]), runSweep([0, 1, 2, 3]));
});

test('projection evaluator: matches engram-dse project --fast (sweepPenalty over the closed-form gather)', (t) => {
  const target = loadTarget('h800-sxm');
  const backbone = loadBackbone('dense-4b');
  const config = withTableParams(loadConfig('offload-100b'), 1e11);
  const workload = benchWorkload({ ...TABLE4_WORKLOAD, numSeqs: SEQS });
  const hbmCacheBytes = 4e9;
  const s = sweepPenalty('table size', 'parameters', [1e11], () => {
    const placement = placeEngram(config, backbone, BENCH_ENGINE.maxNumBatchedTokens, hbmCacheBytes);
    const setup = engramGatherSetup({ target, tier: 'nvme', hbmCacheBytes, placement, presets: presetLoader() });
    return { system: servingSystem(target), backbone, workload, engine: BENCH_ENGINE, engram: { placement, gather: { mode: 'analytic', model: setup.analytic } } };
  }).points[0]!;
  const point = { ...DEFAULTS, target: 'h800-sxm', backbone: 'dense-4b', config: 'offload-100b', tableParams: 1e11, tier: 'nvme', hbmCacheBytes, seqs: SEQS, workloadSeed: TABLE4_WORKLOAD.seed };
  const result = projectionEvaluator.create(shippedContext())(point, 7n);
  t.is(result.baselineTokPerS, s.baselineTokPerS);
  t.is(result.engramTokPerS, s.engramTokPerS);
  t.is(result.penaltyPct, s.penaltyPct);
  t.is(result.exposedNs, s.exposedNs);
  t.is(result.tableBytes, s.tableBytes);
});

test('projection evaluator: offers only calibrated, priced GPU targets and rejects points its models reject', (t) => {
  const context = shippedContext();
  const domains = projectionEvaluator.parameters(context);
  t.deepEqual(domains.target!.kind === 'choice' ? domains.target!.values : [], ['h100-sxm', 'h800-sxm']);
  const evaluate = projectionEvaluator.create(context);
  const point = { ...DEFAULTS, target: 'h800-sxm', backbone: 'dense-4b', config: 'offload-100b', tier: 'dram', seqs: 4, workloadSeed: 0 };
  t.throws(() => evaluate({ ...point, target: 'tpu-v5e' }, 0n), { instanceOf: ModelError });
  t.throws(() => evaluate({ ...point, hbmCacheBytes: 2 ** 40 }, 0n), { instanceOf: ModelError, message: /hbmCacheBytes/ });
  t.throws(() => evaluate({ ...point, tier: 'tape' }, 0n), { instanceOf: ModelError, message: /tier/ });
  t.throws(() => evaluate({ ...point, layer: 1000 }, 0n), { instanceOf: ModelError });
  t.throws(() => evaluate({ ...point, linkLanes: 3 }, 0n), { instanceOf: ModelError, message: /linkLanes: expected one of 0, 1, 2, 4, 8, 16/ });
  t.throws(() => evaluate({ ...point, tableDtype: 'int4' }, 0n), { instanceOf: ModelError, message: /tableDtype/ });
  t.throws(() => evaluate({ ...point, linkLatencyNs: -1 }, 0n), { instanceOf: ModelError, message: /linkLatencyNs/ });
  t.throws(() => evaluate({ ...point, cachePolicy: 'lfu' }, 0n), { instanceOf: ModelError, message: /cachePolicy: expected one of static, lru/ });
  t.throws(() => evaluate({ ...point, rowZipf: 5 }, 0n), { instanceOf: ModelError, message: /rowZipf: expected a number in \[0, 3\]/ });
});

test('projection evaluator: table dtype, host-link lanes and latency, row popularity, cache policy and max_num_seqs act as engram-dse project --sweep does', (t) => {
  const create = projectionEvaluator.create(shippedContext());
  // Every field of this evaluator is a number.
  const evaluate = (p: Record<string, string | number>, seed: bigint) => create(p, seed) as Record<string, number>;
  const point = { ...DEFAULTS, target: 'h800-sxm', backbone: 'dense-4b', config: 'offload-100b', tier: 'dram', seqs: SEQS, workloadSeed: 0 };
  const base = evaluate(point, 0n);
  t.deepEqual(evaluate({ ...point, tableDtype: 'bf16' }, 0n), base, "offload-100b's own table is bf16");
  const fp8 = evaluate({ ...point, tableDtype: 'fp8' }, 0n);
  t.is(fp8.tableBytes, base.tableBytes! / 2);
  t.is(fp8.tableValues, base.tableValues);
  t.true(fp8.meanDecodeFetchNs! < base.meanDecodeFetchNs!, 'half the bytes cross the link');
  t.deepEqual(evaluate({ ...point, linkLanes: 16 }, 0n), base, "h800-sxm's own link is x16");
  const oneLane = evaluate({ ...point, linkLanes: 1 }, 0n);
  t.true(oneLane.meanDecodeFetchNs! > 1.5 * base.meanDecodeFetchNs!, `${oneLane.meanDecodeFetchNs} vs ${base.meanDecodeFetchNs}`);
  const far = evaluate({ ...point, linkLatencyNs: 64_000 }, 0n);
  t.true(far.meanDecodeFetchNs! > base.meanDecodeFetchNs! + 64_000, 'a read waits at least one added flight');
  const cached = { ...point, tier: 'nvme', hbmCacheBytes: 4e9 };
  const uniform = evaluate(cached, 0n);
  const zipf = evaluate({ ...cached, rowZipf: 0.77 }, 0n);
  t.true(Math.abs(uniform.hbmHitRate! - 4e9 / uniform.tableBytes!) < 1e-3);
  t.true(zipf.hbmHitRate! > 10 * uniform.hbmHitRate!, `${zipf.hbmHitRate} vs ${uniform.hbmHitRate}`);
  t.true(zipf.engramTokPerS! > uniform.engramTokPerS!, 'hot rows stay in HBM, fewer SSD reads');
  const lru = evaluate({ ...cached, rowZipf: 0.77, cachePolicy: 'lru' }, 0n);
  t.true(lru.hbmHitRate! > uniform.hbmHitRate! && lru.hbmHitRate! < zipf.hbmHitRate!, `${lru.hbmHitRate}`);
  t.deepEqual(evaluate({ ...cached, cachePolicy: 'lru' }, 0n), uniform, 'with uniform rows the policy does not matter');
  const small = evaluate({ ...point, maxNumSeqs: 8 }, 0n);
  t.true(small.baselineTokPerS! < base.baselineTokPerS!, 'smaller batches, fewer tokens per step');
});
