import test from 'ava';
import path from 'node:path';
import { runCaptured } from '../../helpers/fakeIo.ts';
import { tempSweepDir } from './sweepHelpers.ts';

async function sweptDir(t: { teardown(fn: () => void): void }): Promise<string> {
  const dir = tempSweepDir(t);
  const r = await runCaptured(['sweep', 'spec.json', '--db', 'out.db', '--workers', '0'], { cwd: dir });
  if (r.code !== 0) throw new Error(r.err);
  return dir;
}

test('pareto: prints the non-dominated feasible points for the spec\'s objectives when none are given', async (t) => {
  const dir = await sweptDir(t);
  const r = await runCaptured(['pareto', 'out.db'], { cwd: dir });
  t.is(r.code, 0, r.err);
  t.snapshot(r.out);
});

test('pareto: --json gives the front with points, objective values and results, every one non-dominated', async (t) => {
  const dir = await sweptDir(t);
  const r = await runCaptured(['pareto', 'out.db', '--objectives', 'achievedTflops:max,costUsd:min', '--json'], { cwd: dir });
  t.is(r.code, 0, r.err);
  const out = JSON.parse(r.out) as { front: { objectives: { achievedTflops: number; costUsd: number } }[]; objectives: { source: string }[]; considered: number; infeasible: number };
  t.deepEqual(out.objectives.map((o) => o.source), ['result', 'result']);
  t.is(out.considered + out.infeasible, 24);
  const values = out.front.map((f) => f.objectives);
  t.true(values.length > 0);
  for (const a of values) {
    t.false(values.some((b) => b !== a && b.achievedTflops >= a.achievedTflops && b.costUsd <= a.costUsd && (b.achievedTflops > a.achievedTflops || b.costUsd < a.costUsd)));
  }
});

test('pareto: accepts parameters as objectives and mixes them with named objectives', async (t) => {
  const dir = await sweptDir(t);
  const r = await runCaptured(['pareto', path.join(dir, 'out.db'), '--objectives', 'm:max,timeUs:min', '--json'], { cwd: dir });
  t.is(r.code, 0, r.err);
  t.deepEqual(JSON.parse(r.out).objectives.map((o: { source: string }) => o.source), ['parameter', 'objective']);
});

const usageErrors: readonly [string, string[]][] = [
  ['an unknown objective name, listing the known ones', ['--objectives', 'throughput:max']],
  ['a non-numeric field', ['--objectives', 'bound:max']],
  ['a goal other than max or min', ['--objectives', 'timeNs:lowest']],
  ['the same name twice', ['--objectives', 'timeNs:min,timeNs:max']],
];

for (const [what, args] of usageErrors) {
  test(`pareto: exits 2 naming the problem when given ${what}`, async (t) => {
    const dir = await sweptDir(t);
    const r = await runCaptured(['pareto', 'out.db', ...args], { cwd: dir });
    t.is(r.code, 2);
    t.snapshot(r.err);
  });
}

test('pareto: refuses a file that is not a sweep database', async (t) => {
  const dir = tempSweepDir(t);
  const r = await runCaptured(['pareto', 'spec.json'], { cwd: dir });
  t.is(r.code, 2);
  t.snapshot(r.err);
});
