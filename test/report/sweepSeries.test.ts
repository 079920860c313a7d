import test from 'ava';
import { SpecError } from '../../src/core/index.ts';
import {
  MAX_GROUPS, MAX_PLOTTED_POINTS, resolveObjectives, sweepCounts, sweepFacts, sweepInputs, sweepSeries, sweptParameters, uniqueNames,
  type SweepReportInput, type SweepRow,
} from '../../src/report/index.ts';
import { parseSweepSpec } from '../../src/spec/index.ts';
import { syntheticSweep } from './fixtures.ts';

const series = (sweep: SweepReportInput = syntheticSweep()) => sweepSeries(sweep, uniqueNames());

/** Brute force: a dominates b when no worse on every objective and better on one. */
function dominated(v: readonly number[], all: readonly (readonly number[])[], goals: readonly ('max' | 'min')[]): boolean {
  return all.some((w) => w !== v && goals.every((g, j) => (g === 'max' ? w[j]! >= v[j]! : w[j]! <= v[j]!)) && goals.some((g, j) => (g === 'max' ? w[j]! > v[j]! : w[j]! < v[j]!)));
}

test('resolveObjectives: takes the spec\'s objectives, in its order, when none are chosen', (t) => {
  t.deepEqual(resolveObjectives(syntheticSweep()), [
    { name: 'costUsd', goal: 'min', source: 'objective' },
    { name: 'tokPerS', goal: 'max', source: 'objective' },
  ]);
});

test('resolveObjectives: finds result fields and parameters when they are chosen by name', (t) => {
  const sweep = syntheticSweep({ objectives: [{ name: 'tokPerS', goal: 'max' }, { name: 'sizeBytes', goal: 'max' }] });
  t.deepEqual(resolveObjectives(sweep).map((o) => o.source), ['objective', 'parameter']);
  const result = syntheticSweep({ spec: { ...syntheticSweep().spec, objectives: {} }, objectives: [{ name: 'tokPerS', goal: 'max' }] });
  t.deepEqual(resolveObjectives(result).map((o) => o.source), ['result']);
});

test('resolveObjectives: names the database, the option and the known names when a name is unknown', (t) => {
  const sweep = syntheticSweep({ objectives: [{ name: 'throughput', goal: 'max' }], objectivesFrom: '--objectives' });
  const error = t.throws(() => resolveObjectives(sweep), { instanceOf: SpecError });
  t.is(error.message, 'synthetic.db: --objectives: unknown name "throughput"; expected one of costUsd (objective), tokPerS (objective), tokPerS, costUsd, bound, lanes, sizeBytes, target, tier');
});

test('resolveObjectives: refuses a name given twice and a spec without objectives when none are chosen', (t) => {
  t.throws(() => resolveObjectives(syntheticSweep({ objectives: [{ name: 'tokPerS', goal: 'max' }, { name: 'tokPerS', goal: 'min' }] })), {
    instanceOf: SpecError,
    message: 'synthetic.db: --objectives: tokPerS is given twice; expected each name once',
  });
  t.throws(() => resolveObjectives(syntheticSweep({ spec: { ...syntheticSweep().spec, objectives: {} } })), { instanceOf: SpecError, message: /--objectives: missing; the spec "synthetic" names no objectives/ });
});

test('sweepSeries: refuses a text-valued objective when asked to plot it', (t) => {
  const sweep = syntheticSweep({ objectives: [{ name: 'bound', goal: 'max' }] });
  t.throws(() => series(sweep), { instanceOf: SpecError, message: /^synthetic\.db: --objectives: bound is not a number \("compute" at point [0-9a-f]{12}\); expected a numeric objective, field or parameter$/ });
});

test('sweepSeries: gives the best-points table, the frontier and each objective against each swept number', (t) => {
  t.deepEqual(
    series().map((s) => [s.name, s.kind, s.display]),
    [
      ['synthetic-best', 'sweep-best', 'table'],
      ['synthetic-pareto', 'pareto', 'chart'],
      ['synthetic-costusd-vs-lanes', 'objective', 'chart'],
      ['synthetic-costusd-vs-sizebytes', 'objective', 'chart'],
      ['synthetic-tokpers-vs-lanes', 'objective', 'chart'],
      ['synthetic-tokpers-vs-sizebytes', 'objective', 'chart'],
    ],
  );
  t.deepEqual(sweptParameters(syntheticSweep()), ['lanes', 'sizeBytes', 'tier']);
});

test('sweepSeries: the best points are exactly the non-dominated feasible points, best cost first', (t) => {
  const sweep = syntheticSweep();
  const [best] = series(sweep);
  const feasible = sweep.rows.filter((r) => r.error === null && r.feasible);
  const vectors = feasible.map((r) => [r.objectives.costUsd!, r.objectives.tokPerS!]);
  const expected = feasible.filter((_, i) => !dominated(vectors[i]!, vectors, ['min', 'max'])).map((r) => r.key.slice(0, 12));
  const key = best!.columns.indexOf('key');
  t.deepEqual([...best!.rows.map((r) => r[key])].sort(), [...expected].sort());
  const costs = best!.rows.map((r) => r[1] as number);
  t.deepEqual(costs, [...costs].sort((a, b) => a - b));
  t.deepEqual(best!.rows.map((r) => r[0]), best!.rows.map((_, i) => i + 1));
  t.is(best!.columns.at(-1), 'seed');
  t.regex(best!.note!, /^\d+ non-dominated of 13 points \(13 feasible of 16 stored points\)/);
});

test('sweepSeries: the frontier holds every feasible point, marks the front and joins it when there are two objectives', (t) => {
  const [, pareto] = series();
  t.is(pareto!.rows.length, 13);
  t.deepEqual([...new Set(pareto!.rows.map((r) => r[3]))].sort(), ['Pareto front', 'dominated']);
  t.is(pareto!.x!.field, 'costUsd');
  t.is(pareto!.y!.field, 'tokPerS');
  t.true(pareto!.lines);
  const three = sweepSeries(syntheticSweep({ objectives: [{ name: 'tokPerS', goal: 'max' }, { name: 'costUsd', goal: 'min' }, { name: 'lanes', goal: 'min' }] }), uniqueNames());
  t.false(three.find((s) => s.kind === 'pareto')!.lines);
});

test('sweepSeries: draws one line per combination of the other swept parameters, sorted by x, on a log axis across decades', (t) => {
  const s = series().find((x) => x.name === 'synthetic-tokpers-vs-sizebytes')!;
  t.true(s.lines);
  t.deepEqual(s.columns, ['sizeBytes', 'tokPerS', 'group', 'key']);
  t.is(s.color!.title, 'lanes, tier');
  t.deepEqual([...new Set(s.rows.map((r) => r[2]))].sort(), ['lanes=1, tier=fast', 'lanes=1, tier=slow', 'lanes=2, tier=fast', 'lanes=2, tier=slow']);
  const xs = s.rows.map((r) => r[0] as number);
  t.deepEqual(xs, [...xs].sort((a, b) => a - b));
  t.true(s.x!.log);
  t.false(s.y!.log);
  const slow = s.rows.filter((r) => r[2] === 'lanes=2, tier=slow').map((r) => r[1] as number);
  t.deepEqual(slow.map((v) => Math.round(v * 10) / 10), [550, 440, 330, 220]);
});

/** A random sweep of `count` points over three numbers and a name. */
function randomSweep(count: number): SweepReportInput {
  const base = syntheticSweep();
  const spec = parseSweepSpec(
    { ...base.spec, parameters: { a: { from: 1, to: 1000 }, b: { from: 0, to: 1 }, c: { from: 0, to: 1 }, tier: ['fast', 'slow'] }, sampler: { kind: 'random', count, seed: 3 }, constraints: [] },
    'random.json',
  );
  const rows: SweepRow[] = Array.from({ length: count }, (_, i) => {
    const a = 1 + ((i * 7919) % 1000);
    const b = ((i * 104729) % 997) / 997;
    const tier = i % 2 === 0 ? 'fast' : 'slow';
    const tokPerS = a * (1 + b);
    const costUsd = a + 500 * b;
    const key = i.toString(16).padStart(64, '0');
    return { key, idx: i, point: { a, b, c: (i % 13) / 13, tier }, seed: key.slice(0, 16), result: { tokPerS, costUsd }, error: null, objectives: { tokPerS, costUsd }, feasible: true };
  });
  return { ...base, spec, rows, meta: { ...base.meta, samplerCount: count } };
}

test('sweepSeries: draws an even stride of a large sweep, every front point kept, and keeps all points in the rows', (t) => {
  const out = sweepSeries(randomSweep(12_000), uniqueNames());
  const pareto = out.find((s) => s.kind === 'pareto')!;
  t.is(pareto.rows.length, 12_000);
  t.true(pareto.plotRows!.length <= MAX_PLOTTED_POINTS + pareto.rows.filter((r) => r[3] === 'Pareto front').length);
  t.true(pareto.plotRows!.length >= MAX_PLOTTED_POINTS / 2);
  const front = pareto.rows.filter((r) => r[3] === 'Pareto front');
  t.deepEqual(pareto.plotRows!.filter((r) => r[3] === 'Pareto front'), front);
  t.regex(pareto.note!, /points drawn \(every front point and an even stride of the rest\), all in the CSV/);
});

test('sweepSeries: colours a scatter by the named parameter when the other parameters have too many combinations', (t) => {
  const s = sweepSeries(randomSweep(200), uniqueNames()).find((x) => x.name === 'synthetic-tokpers-vs-a')!;
  t.false(s.lines);
  t.is(s.color!.title, 'tier');
  t.deepEqual([...new Set(s.rows.map((r) => r[2]))].sort(), ['fast', 'slow']);
  t.regex(s.note!, new RegExp(`^200 feasible points; \\d+ combinations of b, c, tier, coloured by tier\\.$`));
  t.true(MAX_GROUPS < 200);
});

test('sweepFacts: states the spec, evaluator and version, sampler, point counts and seeds when given a sweep', (t) => {
  const facts = Object.fromEntries(sweepFacts(syntheticSweep()));
  t.is(facts.evaluator, 'projection version 1; inputs (targets, configurations, costs) sha256 1111111111111111');
  t.is(facts.sampler, 'grid (every combination)');
  t.is(facts.points, '16 enumerated, 16 stored: 13 feasible, 2 infeasible, 1 rejected by the model');
  t.is(facts.parameters, 'lanes: 1, 2; sizeBytes: 1000, 10000, 100000, 1e6; target: h800-sxm; tier: fast, slow');
  t.regex(facts.seeds!, /first 64 bits of the sha256 of its canonical JSON/);
  t.deepEqual(sweepCounts(syntheticSweep()), { stored: 16, errors: 1, feasible: 13, infeasible: 2 });
  t.is(Object.fromEntries(sweepFacts(randomSweep(10))).sampler, 'random, 10 points, seed 3');
});

test('sweepInputs: names the sweep, database, evaluator version, sampler and seeds on every figure', (t) => {
  t.is(sweepInputs(syntheticSweep()), 'sweep synthetic (synthetic.db); evaluator projection version 1; grid sampler, 16 of 16 points stored; per-point seeds from point content');
  t.regex(sweepInputs(randomSweep(10)), /random sampler, 10 of 10 points stored; sampler seed 3, per-point seeds from point content$/);
  for (const s of series()) t.is(s.inputs, sweepInputs(syntheticSweep()), s.name);
});
