import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCaptured } from '../../helpers/fakeIo.ts';
import { countRows, pointIndexes, rowsOf, SMALL_GEMM_SPEC, tempSweepDir } from './sweepHelpers.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

async function sweep(dir: string, args: readonly string[], overrides: { isTty?: boolean } = {}) {
  return runCaptured(['sweep', 'spec.json', ...args], { cwd: dir, ...overrides });
}

test('sweep: stores every point once with key, seed, result and objectives when run in the main thread', async (t) => {
  const dir = tempSweepDir(t);
  const r = await sweep(dir, ['--db', 'out.db', '--workers', '0', '--json']);
  t.is(r.code, 0, r.err);
  const summary = JSON.parse(r.out);
  t.like(summary, { samplerPoints: 24, shardPoints: 24, evaluated: 24, alreadyStored: 0, stored: 24, modelErrors: 0, interrupted: false });
  const rows = rowsOf(path.join(dir, 'out.db'));
  t.is(new Set(rows.map((row) => row.key)).size, 24);
  t.deepEqual(rows.map((row) => row.idx).sort((a, b) => a - b), Array.from({ length: 24 }, (_, i) => i));
  const row = rows[0]!;
  t.is(row.seed, row.key.slice(0, 16));
  t.is(row.evaluatorVersion, '1');
  t.deepEqual(Object.keys(JSON.parse(row.objectives)), ['tflopsPerKUsd', 'timeUs']);
  t.is(summary.feasible, rows.filter((x) => x.feasible === 1).length);
});

test('sweep: worker threads load the TypeScript sources and store the same rows as the main thread', async (t) => {
  const dir = tempSweepDir(t);
  const inThread = await sweep(dir, ['--db', 'main.db', '--workers', '0']);
  const threaded = await sweep(dir, ['--db', 'threads.db', '--workers', '2', '--json']);
  t.is(inThread.code, 0, inThread.err);
  t.is(threaded.code, 0, threaded.err);
  t.is(JSON.parse(threaded.out).workers, 1, 'small sweeps use one thread per 32 points');
  t.deepEqual(rowsOf(path.join(dir, 'threads.db')), rowsOf(path.join(dir, 'main.db')));
});

test('sweep: two worker threads, each committing its own points, store the same rows as the main thread', async (t) => {
  // 4 x 6 x 2 x 2 = 96 points: enough for two workers (32 points each at least).
  const dir = tempSweepDir(t, { ...SMALL_GEMM_SPEC, parameters: { ...SMALL_GEMM_SPEC.parameters, target: ['h800-sxm', 'h100-sxm', 'tpu-v5e', 'alveo-u55c'], m: [1, 16, 64, 512, 4096, 8192] } });
  const inThread = await sweep(dir, ['--db', 'main.db', '--workers', '0']);
  const threaded = await sweep(dir, ['--db', 'threads.db', '--workers', '2', '--json']);
  t.is(inThread.code, 0, inThread.err);
  t.is(threaded.code, 0, threaded.err);
  const summary = JSON.parse(threaded.out) as { poolCpuS: number; elapsedS: number; steadyPointsPerS: number | null; mainThreadBusyPct: number };
  t.like(summary, { workers: 2, evaluated: 96, stored: 96 });
  // The timing fields: CPU of every thread while the pool ran, the second half's rate, this thread's busy share.
  t.true(summary.poolCpuS > 0 && Number.isFinite(summary.poolCpuS), `poolCpuS ${summary.poolCpuS}`);
  t.true(summary.steadyPointsPerS === null || summary.steadyPointsPerS > 0, `steadyPointsPerS ${summary.steadyPointsPerS}`);
  t.true(summary.mainThreadBusyPct >= 0 && summary.mainThreadBusyPct <= 100, `mainThreadBusyPct ${summary.mainThreadBusyPct}`);
  t.deepEqual(rowsOf(path.join(dir, 'threads.db')), rowsOf(path.join(dir, 'main.db')));
});

test('sweep: prints the summary and the pareto command for the spec\'s objectives', async (t) => {
  const dir = tempSweepDir(t);
  const r = await sweep(dir, ['--db', 'out.db', '--workers', '0']);
  t.is(r.code, 0, r.err);
  t.snapshot(r.out.replace(/evaluated in [^\n]*/, 'evaluated in (time)'));
});

test('sweep: --resume evaluates nothing when every point is stored already', async (t) => {
  const dir = tempSweepDir(t);
  await sweep(dir, ['--db', 'out.db', '--workers', '0']);
  const before = rowsOf(path.join(dir, 'out.db'));
  const r = await sweep(dir, ['--db', 'out.db', '--workers', '0', '--resume', '--json']);
  t.is(r.code, 0, r.err);
  t.like(JSON.parse(r.out), { alreadyStored: 24, evaluated: 0, stored: 24 });
  t.deepEqual(rowsOf(path.join(dir, 'out.db')), before);
});

test('sweep: writes plain progress lines to stderr when stdout is not a terminal', async (t) => {
  const dir = tempSweepDir(t, { ...SMALL_GEMM_SPEC, parameters: { ...SMALL_GEMM_SPEC.parameters, m: { from: 1, to: 4096, count: 40, scale: 'log', integer: true } } });
  const r = await sweep(dir, ['--db', 'out.db', '--workers', '0']);
  t.is(r.code, 0, r.err);
  const lines = r.err.trim().split('\n');
  t.true(lines.length >= 5 && lines.length <= 10, r.err);
  t.regex(lines[0]!, /^sweep small-gemm: \d+\/\d+ points \(\d+%\), \d+ points\/s, ETA /);
});

test('sweep: draws a progress bar with rate and ETA on stderr when stdout is a terminal', async (t) => {
  const dir = tempSweepDir(t);
  const r = await sweep(dir, ['--db', 'out.db', '--workers', '0'], { isTty: true });
  t.is(r.code, 0, r.err);
  t.regex(r.err, /sweep small-gemm \|[█░]+\| \d+% \| \d+\/24 points \| \d+ points\/s \| ETA /);
});

test('sweep: --costs replaces the cost figures, and resuming with other figures is refused', async (t) => {
  const dir = tempSweepDir(t);
  const costs = JSON.parse(readFileSync(path.join(repoRoot, 'targets/costs/default.json'), 'utf8'));
  costs.devices['tpu-v5e'].priceUsd = 1234;
  writeFileSync(path.join(dir, 'costs.json'), JSON.stringify(costs));
  t.is((await sweep(dir, ['--db', 'out.db', '--workers', '0', '--costs', 'costs.json'])).code, 0);
  const tpu = rowsOf(path.join(dir, 'out.db')).map((row) => JSON.parse(row.result)).filter((res) => res.kind === 'systolic');
  t.true(tpu.length > 0 && tpu.every((res) => res.costUsd === 1234));
  const r = await sweep(dir, ['--db', 'out.db', '--workers', '0', '--resume']);
  t.is(r.code, 2);
  t.regex(r.err, /^engram-dse: --resume: out\.db was stored with other targets, configurations or costs \(contextSha256 "[0-9a-f]{64}", now "[0-9a-f]{64}"\); expected the same inputs to resume, or another --db\n$/);
});

test('sweep: --emit-slurm writes a job-array script with one task per shard and a dependent merge', async (t) => {
  const dir = tempSweepDir(t);
  const r = await sweep(dir, ['--db', 'out.db', '--emit-slurm', 'submit.sh', '--shards', '4', '--workers', '2']);
  t.is(r.code, 0, r.err);
  t.false(existsSync(path.join(dir, 'out.db')));
  const script = readFileSync(path.join(dir, 'submit.sh'), 'utf8').replaceAll(dir, '$DIR').replaceAll(repoRoot, '$REPO').replaceAll(process.execPath, '$NODE');
  t.snapshot(script);
  t.snapshot(r.out);
});

const usageErrors: readonly [string, string[], Record<string, unknown>?][] = [
  ['a second run into a database that holds a sweep, without --resume', ['--db', 'out.db', '--workers', '0']],
  ['a bad --shard', ['--db', 'x.db', '--shard', '3/2']],
  ['--shards without --emit-slurm', ['--db', 'x.db', '--shards', '4']],
  ['--emit-slurm without --shards', ['--db', 'x.db', '--emit-slurm', 's.sh']],
  ['--emit-slurm with --shard', ['--db', 'x.db', '--emit-slurm', 's.sh', '--shards', '2', '--shard', '1/2']],
  ['an unknown evaluator, naming the known ones', ['--db', 'x.db'], { ...SMALL_GEMM_SPEC, evaluator: 'roofline' }],
  ['an objective over an unknown field, naming the fields', ['--db', 'x.db'], { ...SMALL_GEMM_SPEC, objectives: { a: { expression: 'engramTokPerS / costUsd', goal: 'max' } } }],
  ['a target without a price', ['--db', 'x.db'], { ...SMALL_GEMM_SPEC, parameters: { ...SMALL_GEMM_SPEC.parameters, target: ['b200'] } }],
];

for (const [what, args, spec] of usageErrors) {
  test(`sweep: exits 2 with one line naming the problem when given ${what}`, async (t) => {
    const dir = tempSweepDir(t, spec);
    await sweep(dir, ['--db', 'out.db', '--workers', '0']);
    const r = await sweep(dir, args);
    t.is(r.code, 2);
    t.snapshot(r.err);
  });
}

test('sweep: an objective that fails at a point stops a two-worker sweep with one line, keeping the points both workers committed', async (t) => {
  // Text for m >= 4096 (target is a parameter): a spec error found only when those points are evaluated.
  const parameters = { ...SMALL_GEMM_SPEC.parameters, target: ['h800-sxm', 'h100-sxm', 'tpu-v5e', 'alveo-u55c'], m: [1, 16, 64, 512, 4096, 8192] };
  const dir = tempSweepDir(t, { ...SMALL_GEMM_SPEC, parameters, objectives: { bad: { expression: 'm >= 4096 ? target : 1', goal: 'max' } } });
  const r = await sweep(dir, ['--db', 'out.db', '--workers', '2']);
  t.is(r.code, 2, r.err);
  // Progress lines come first on stderr (not a terminal); the error is the one line after them.
  const lines = r.err.trim().split('\n');
  t.regex(lines.at(-1)!, /^engram-dse: spec\.json: objectives\.bad\.expression: .*expected a number, got "(h800-sxm|h100-sxm|tpu-v5e|alveo-u55c)"/);
  t.true(lines.slice(0, -1).every((line) => line.startsWith('sweep small-gemm: ')));
  const rows = rowsOf(path.join(dir, 'out.db'));
  t.true(rows.length > 0, 'points evaluated before the failure are kept');
  for (const row of rows) t.true(JSON.parse(row.point).m < 4096);
});

test('sweep: a YAML syntax error names the file when the spec is YAML', async (t) => {
  const dir = tempSweepDir(t);
  writeFileSync(path.join(dir, 'bad.yaml'), 'schemaVersion: 1\nname: [unclosed\n');
  const r = await runCaptured(['sweep', 'bad.yaml', '--db', 'x.db'], { cwd: dir });
  t.is(r.code, 2);
  t.regex(r.err, /^engram-dse: bad\.yaml: \(root\): not valid YAML \(/);
});

/** A sweep long enough to kill in the middle (a commit holds at most 1,024 points): 4 targets x 25 m x 25 n x 2 k = 5,000 points. */
const LONG_SPEC = {
  ...SMALL_GEMM_SPEC,
  name: 'long-gemm',
  parameters: {
    target: ['h800-sxm', 'h100-sxm', 'tpu-v5e', 'alveo-u55c'],
    m: { from: 32, to: 8192, count: 25, scale: 'log', integer: true },
    n: { from: 128, to: 16384, count: 25, scale: 'log', integer: true },
    k: { from: 128, to: 16384, count: 2, scale: 'log', integer: true },
  },
};
const LONG_POINTS = 5_000;

/** Rows stored so far; 0 while the child has not created the file or its tables yet. */
function storedSoFar(db: string): number {
  try {
    return countRows(db);
  } catch {
    return 0;
  }
}

/** Starts the CLI as a child process and resolves once the database holds at least `rows` points. */
async function startAndWaitForRows(dir: string, rows: number) {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/engram-dse.mjs'), 'sweep', 'spec.json', '--db', 'out.db', '--workers', '2'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const db = path.join(dir, 'out.db');
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the sweep ended before ${rows} points were stored: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`no ${rows} points stored within 60 s: ${stderr}`);
    if (storedSoFar(db) >= rows) return { child, exited, stderr: () => stderr };
    await sleep(20);
  }
}

test('sweep: a sweep killed with SIGKILL resumes with no point lost or stored twice, equal to an uninterrupted run', async (t) => {
  const dir = tempSweepDir(t, LONG_SPEC);
  const { child, exited } = await startAndWaitForRows(dir, 1);
  child.kill('SIGKILL');
  t.is((await exited).signal, 'SIGKILL');
  const storedAtKill = countRows(path.join(dir, 'out.db'));
  t.true(storedAtKill > 0 && storedAtKill < LONG_POINTS, `${storedAtKill} points stored when killed`);
  t.deepEqual(pointIndexes(path.join(dir, 'out.db')), [], 'killed while inserting: the key index is not built yet');

  const resumed = await runCaptured(['sweep', 'spec.json', '--db', 'out.db', '--workers', '2', '--resume', '--json'], { cwd: dir });
  t.is(resumed.code, 0, resumed.err);
  t.like(JSON.parse(resumed.out), { alreadyStored: storedAtKill, evaluated: LONG_POINTS - storedAtKill, stored: LONG_POINTS });
  t.deepEqual(pointIndexes(path.join(dir, 'out.db')), ['points_key'], 'the resumed sweep builds the key index when it ends');

  const whole = await runCaptured(['sweep', 'spec.json', '--db', 'whole.db', '--workers', '0'], { cwd: dir });
  t.is(whole.code, 0, whole.err);
  const rows = rowsOf(path.join(dir, 'out.db'));
  t.is(new Set(rows.map((r) => r.key)).size, LONG_POINTS);
  t.deepEqual(rows, rowsOf(path.join(dir, 'whole.db')));
});

test('sweep: Ctrl-C stops a sweep with exit code 130, keeps what it evaluated and tells how to resume', async (t) => {
  const dir = tempSweepDir(t, LONG_SPEC);
  const { child, exited, stderr } = await startAndWaitForRows(dir, 1);
  child.kill('SIGINT');
  const { code } = await exited;
  t.is(code, 130, stderr());
  const stored = countRows(path.join(dir, 'out.db'));
  t.true(stored < LONG_POINTS, `${stored} points stored when interrupted`);
  t.regex(stderr(), new RegExp(`engram-dse: sweep interrupted by SIGINT; ${stored} of ${LONG_POINTS} points are stored in out\\.db; continue with --resume\\n$`));
  const resumed = await runCaptured(['sweep', 'spec.json', '--db', 'out.db', '--workers', '2', '--resume', '--json'], { cwd: dir });
  t.like(JSON.parse(resumed.out), { alreadyStored: stored, stored: LONG_POINTS });
});
