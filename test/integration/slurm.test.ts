// Integration tier: a sweep split by `engram-dse sweep --emit-slurm` into a job array on a real single-node Slurm
// cluster (scripts/slurm-local.sh, shared/slurm.md), merged by the dependent job, equals a local run.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCaptured } from '../helpers/fakeIo.ts';
import { gatedTest } from '../helpers/toolGate.ts';
import { rowsOf } from '../cli/commands/sweepHelpers.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const SCRIPT = path.join(repoRoot, 'scripts', 'slurm-local.sh');
const SHARDS = 4;
/** The array, the merge and node's start-up per task take seconds; a stuck cluster should fail, not hang. */
const JOB_TIMEOUT_MS = 180_000;

/** 4 targets x 6 m x 4 n x 3 k = 288 points. */
const SPEC = {
  schemaVersion: 1,
  name: 'slurm-gemm',
  description: 'GEMM shapes on four targets, sharded over a Slurm job array (integration test)',
  evaluator: 'gemm',
  parameters: {
    target: ['h800-sxm', 'h100-sxm', 'tpu-v5e', 'alveo-u55c'],
    m: { from: 1, to: 8192, count: 6, scale: 'log', integer: true },
    n: [1024, 2048, 4096, 8192],
    k: [512, 1280, 7168],
  },
  objectives: { tflopsPerKUsd: { expression: 'achievedTflops / (costUsd / 1000)', goal: 'max' } },
  constraints: ['utilisationPct >= 1'],
};

/** Why the cluster cannot run here, or undefined when it can (installing the packages with apt if needed). */
function unavailable(): string | undefined {
  if (process.platform !== 'linux') return `Slurm runs on Linux only (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'slurmd must run as root to launch jobs, and this test does not run as root';
  try {
    execFileSync('bash', [SCRIPT, 'install'], { stdio: 'pipe', timeout: 600_000 });
    return undefined;
  } catch (error) {
    const detail = ((error as { stderr?: Buffer }).stderr?.toString() ?? (error as Error).message).trim().split('\n').at(-1);
    return `slurmctld, slurmd and munge are not installed and apt-get could not install them (${detail})`;
  }
}

const reason = unavailable();
// A short folder: munge's socket path must stay under 108 bytes.
const clusterDir = mkdtempSync('/tmp/slurm-');
const env = {
  ...process.env,
  SLURM_LOCAL_DIR: clusterDir,
  SLURM_CONF: path.join(clusterDir, 'etc', 'slurm.conf'),
  // Not Slurm's default ports, so a cluster already running on this machine is left alone.
  SLURM_LOCAL_CTLD_PORT: '16817',
  SLURM_LOCAL_SLURMD_PORT: '16818',
};

function run(cmd: string, args: readonly string[], cwd = repoRoot): string {
  return execFileSync(cmd, args, { env, cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test.after.always(() => {
  if (reason === undefined) {
    try {
      run('bash', [SCRIPT, 'down', '--purge']);
    } finally {
      rmSync(`${clusterDir}.lock`, { force: true });
    }
  }
  rmSync(clusterDir, { recursive: true, force: true });
});

// Skips with the reason locally when Slurm cannot be installed; under CI, which installs it, that fails instead.
const TITLE = 'slurm: a sweep emitted as a job array of 4 shards with a dependent merge equals a local run on a single-node cluster';
gatedTest(reason ?? null)(reason === undefined ? TITLE : `${TITLE} (skipped: ${reason})`, async (t) => {
  t.timeout(JOB_TIMEOUT_MS + 60_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'engram-slurm-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(SPEC));
  run('bash', [SCRIPT, 'up']);

  const emitted = await runCaptured(['sweep', 'spec.json', '--db', 'merged.db', '--emit-slurm', 'submit.sh', '--shards', String(SHARDS), '--workers', '1'], { cwd: dir });
  t.is(emitted.code, 0, emitted.err);
  const submitted = run('bash', ['submit.sh'], dir);
  const ids = /array job (\d+) \(4 shards\), merge job (\d+)/.exec(submitted);
  if (ids === null) return t.fail(`unexpected output of submit.sh: ${submitted}`);
  const [arrayJob, mergeJob] = [ids[1]!, ids[2]!];

  const start = Date.now();
  while (run('squeue', ['-h', '-j', `${arrayJob},${mergeJob}`, '-o', '%i']).trim() !== '') {
    if (Date.now() - start > JOB_TIMEOUT_MS) return t.fail(`jobs still queued after ${JOB_TIMEOUT_MS / 1e3} s:\n${run('squeue', ['-t', 'all'])}\n${logs(dir)}`);
    await sleep(200);
  }
  const states = run('squeue', ['-h', '-t', 'all', '-j', `${arrayJob},${mergeJob}`, '-o', '%i %T']).trim().split('\n').sort();
  t.deepEqual(
    states,
    [...Array.from({ length: SHARDS }, (_, k) => `${arrayJob}_${k} COMPLETED`), `${mergeJob} COMPLETED`].sort(),
    logs(dir),
  );
  t.log(`job array of ${SHARDS} shards and merge finished in ${((Date.now() - start) / 1e3).toFixed(1)} s after submission`);

  for (let k = 1; k <= SHARDS; k++) t.true(existsSync(path.join(dir, `merged.shard-${k}-of-${SHARDS}.db`)), `shard ${k}`);
  const local = await runCaptured(['sweep', 'spec.json', '--db', 'local.db', '--workers', '0'], { cwd: dir });
  t.is(local.code, 0, local.err);
  const merged = rowsOf(path.join(dir, 'merged.db'));
  t.is(merged.length, 288);
  t.deepEqual(merged, rowsOf(path.join(dir, 'local.db')));
});

/** The jobs' output files, for a failure message. */
function logs(dir: string): string {
  const folder = path.join(dir, 'merged.db.logs');
  if (!existsSync(folder)) return '(no job logs)';
  return readdirSync(folder)
    .map((f) => `---- ${f}\n${readFileSync(path.join(folder, f), 'utf8').slice(-2000)}`)
    .join('\n');
}
