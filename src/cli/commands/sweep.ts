// `engram-dse sweep SPEC --db FILE`: plans a design-space sweep (src/dse), evaluates its points on worker threads,
// stores each finished batch in SQLite, resumes with --resume, runs one shard with --shard K/N, or writes a
// Slurm job-array script with --emit-slurm.
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalJson, showValue } from '../../core/index.ts';
import { WHOLE_SWEEP, findEvaluator, planSweep, scanShard, type EvaluatorContext, type Shard, type SweepPlan } from '../../dse/index.ts';
import { CliExit, type CliIo } from '../context.ts';
import { parseIntOption, UsageError } from '../parse.ts';
import { createProgress, formatDurationS } from '../workers/progress.ts';
import { SWEEP_DB_FORMAT, SweepStore, type SweepMeta } from '../workers/resultStore.ts';
import { renderSlurmScript, shardDbPath } from '../workers/slurmScript.ts';
import { REPO_ROOT, contextSha256, loadCosts, loadEvaluatorContext, loadSweepSpec } from '../workers/sweepInputs.ts';
import { runPool } from '../workers/workerPool.ts';

interface SweepOptions {
  db: string;
  resume?: boolean;
  workers?: number;
  shard?: Shard;
  emitSlurm?: string;
  shards?: number;
  costs?: string;
  json?: boolean;
}

/**
 * Most points in one batch: each worker's share comes in at least eight batches, so the threads finish
 * together, and in the main thread (--workers 0) signals and progress are handled between batches.
 */
const MAX_BATCH = 64;
/** Fewer points than this per worker do not pay for a thread's start-up (about half a second). */
const MIN_POINTS_PER_WORKER = 32;
/**
 * Signals that stop a sweep after storing what it evaluated: Ctrl-C, and SIGTERM (what Slurm sends a task it
 * cancels or times out). Exit codes are 128 + the signal number, as shells report them.
 */
const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof STOP_SIGNALS;

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match === null ? NaN : Number(match[1]);
  const count = match === null ? NaN : Number(match[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard: expected K/N with 1 <= K <= N (e.g. 2/8), got ${showValue(text)}`);
  }
  return { index, count };
}

export function register(program: Command, io: CliIo): void {
  program
    .command('sweep')
    .description('design-space sweep: evaluate every point of SPEC (YAML or JSON) on worker threads into a SQLite file; resumable, shardable')
    .argument('<spec>', 'sweep spec (.yaml, .yml or .json), e.g. examples/sweeps/engram-projection.yaml')
    .requiredOption('--db <file>', 'SQLite file the results go to (with --emit-slurm: the merged file the jobs produce)')
    .option('--resume', 'continue the sweep stored in --db: evaluate only the points not stored yet')
    .option('--workers <n>', `worker threads (default: ${os.availableParallelism()}, the available cores; 0 = in the main thread)`, parseIntOption('--workers', 0, 1024))
    .option('--shard <K/N>', 'evaluate only shard K of N: the points whose index i has i mod N = K - 1', parseShard)
    .option('--emit-slurm <file>', 'write a Slurm submit script (job array of --shards tasks plus a merge job) instead of running')
    .option('--shards <n>', 'with --emit-slurm: number of array tasks', parseIntOption('--shards', 1, 100_000))
    .option('--costs <file>', 'cost figures (default: targets/costs/default.json)')
    .option('--json', 'machine-readable summary')
    .action((spec: string, opts: SweepOptions) => run(spec, opts, io));
}

async function run(specFile: string, opts: SweepOptions, io: CliIo): Promise<void> {
  checkCombination(opts);
  const spec = loadSweepSpec(specFile, io.cwd);
  const evaluator = findEvaluator(spec.evaluator, specFile);
  const costs = loadCosts(opts.costs, io.cwd);
  const context = loadEvaluatorContext(costs.costs, io.cwd);
  const plan = planSweep(spec, specFile, evaluator, context);
  if (opts.emitSlurm !== undefined) {
    emitSlurm(plan, specFile, opts, io, costs.absolutePath);
    return;
  }
  const shard = opts.shard ?? WHOLE_SWEEP;
  const meta: SweepMeta = {
    format: SWEEP_DB_FORMAT,
    specName: spec.name,
    spec: canonicalJson(spec),
    specSha256: plan.specSha256,
    specFile,
    evaluator: evaluator.name,
    evaluatorVersion: evaluator.version,
    contextSha256: contextSha256(context),
    samplerCount: plan.source.count,
    shards: [`${shard.index}/${shard.count}`],
  };
  const store = SweepStore.openWritable(path.resolve(io.cwd, opts.db), opts.db);
  try {
    await runSweep(plan, meta, shard, store, opts, io, context);
  } finally {
    store.close();
  }
}

function checkCombination(opts: SweepOptions): void {
  if (opts.emitSlurm === undefined) {
    if (opts.shards !== undefined) throw new UsageError('--shards: applies to --emit-slurm only (to run one shard, use --shard K/N)');
    return;
  }
  if (opts.shards === undefined) throw new UsageError('--shards: missing; --emit-slurm needs the number of array tasks');
  if (opts.shard !== undefined) throw new UsageError('--shard: not used with --emit-slurm, whose tasks each get their own');
  if (opts.resume === true) throw new UsageError('--resume: not used with --emit-slurm, whose tasks always resume');
}

/** A stored sweep resumes only with the same spec, evaluator version, inputs and shard. */
function checkResumable(stored: SweepMeta, now: SweepMeta, db: string): void {
  const same: [keyof SweepMeta, string][] = [
    ['specSha256', `another spec (it holds ${stored.specName} from ${stored.specFile})`],
    ['evaluator', 'another evaluator'],
    ['evaluatorVersion', `another version of evaluator ${stored.evaluator}`],
    ['contextSha256', 'other targets, configurations or costs'],
  ];
  for (const [field, what] of same) {
    if (stored[field] !== now[field]) {
      throw new UsageError(`--resume: ${db} was stored with ${what} (${field} ${showValue(stored[field])}, now ${showValue(now[field])}); expected the same inputs to resume, or another --db`);
    }
  }
  if (stored.shards.join(',') !== now.shards.join(',')) {
    throw new UsageError(`--resume: ${db} holds shard ${stored.shards.join(', ')}, not ${now.shards.join(', ')}; expected the same --shard`);
  }
}

async function runSweep(plan: SweepPlan, meta: SweepMeta, shard: Shard, store: SweepStore, opts: SweepOptions, io: CliIo, context: EvaluatorContext): Promise<void> {
  const stored = store.meta();
  if (stored === undefined) store.writeMeta(meta);
  else if (opts.resume !== true) {
    throw new UsageError(`--db: ${opts.db} already holds sweep ${showValue(stored.specName)} (${store.count()} points); pass --resume to continue it, or choose another file`);
  } else checkResumable(stored, meta, opts.db);

  const scan = scanShard(plan.source, shard, store.storedKeys());
  const pending = scan.pending.length;
  const requested = opts.workers ?? os.availableParallelism();
  const workers = requested === 0 ? 0 : Math.max(1, Math.min(requested, Math.ceil(pending / MIN_POINTS_PER_WORKER)));
  const batchSize = Math.max(1, Math.min(MAX_BATCH, Math.ceil(pending / (Math.max(1, workers) * 8))));
  let handedOut = 0;
  let done = 0;
  /** Batches finishing in the second half of the points: the rate once every worker's JIT has warmed up. */
  let halfway: { atMs: number; done: number } | undefined;
  let lastBatchMs = 0;
  let errors = 0;
  let feasible = 0;
  let firstError: string | undefined;
  const progress = createProgress(io, pending, `sweep ${plan.spec.name}`);
  const abort = new AbortController();
  let stoppedBy: StopSignal | undefined;
  const onSignal = (signal: StopSignal): void => {
    stoppedBy ??= signal;
    abort.abort();
  };
  // One listener per signal and running sweep (several run at once in tests); raise the leak-warning limit by that share.
  process.setMaxListeners(process.getMaxListeners() + 1);
  for (const signal of Object.keys(STOP_SIGNALS) as StopSignal[]) process.once(signal, onSignal);
  let result = { startupS: 0, totalS: 0, interrupted: false };
  const loopBefore = performance.eventLoopUtilization();
  const cpuBefore = process.cpuUsage();
  let poolCpuS = 0;
  let poolLoop = performance.eventLoopUtilization(loopBefore);
  try {
    if (pending > 0) {
      // Inserts append rows only; the key index is built again below, when the workers have ended.
      store.dropKeyIndex();
      result = await runPool({
        workers,
        batchSize,
        // Each evaluating thread commits its own points through its own connection to the file.
        init: { spec: plan.spec, file: plan.file, context, dbPath: path.resolve(io.cwd, opts.db), dbShownAs: opts.db },
        signal: abort.signal,
        next: (size) => {
          const end = Math.min(pending, handedOut + size);
          const indices = Array.from(scan.pending.subarray(handedOut, end));
          handedOut = end;
          return indices;
        },
        onBatch: (tally) => {
          errors += tally.modelErrors;
          feasible += tally.feasible;
          firstError ??= tally.firstModelError ?? undefined;
          done += tally.evaluated;
          lastBatchMs = performance.now();
          if (halfway === undefined && done >= pending / 2) halfway = { atMs: lastBatchMs, done };
          progress.update(done);
        },
      });
      poolCpuS = cpuSeconds(process.cpuUsage(cpuBefore));
      poolLoop = performance.eventLoopUtilization(loopBefore);
    }
  } catch (error) {
    // The file still gets its key index where it can; the sweep's own error is the one reported (a second
    // failure here says nothing new, and the next run of the sweep builds the index when it ends).
    try {
      store.ensureKeyIndex();
    } catch {
      // see above
    }
    throw error;
  } finally {
    progress.stop();
    for (const signal of Object.keys(STOP_SIGNALS) as StopSignal[]) process.removeListener(signal, onSignal);
    process.setMaxListeners(Math.max(10, process.getMaxListeners() - 1));
  }
  store.ensureKeyIndex();
  const summary = {
    db: opts.db,
    spec: plan.spec.name,
    evaluator: `${plan.evaluator.name}@${plan.evaluator.version}`,
    sampler: plan.spec.sampler.kind,
    samplerPoints: plan.source.count,
    shard: `${shard.index}/${shard.count}`,
    shardPoints: scan.shardPoints,
    duplicates: scan.duplicates,
    alreadyStored: scan.alreadyStored,
    evaluated: done,
    modelErrors: errors,
    feasible,
    stored: store.count(),
    workers,
    elapsedS: result.totalS,
    startupS: result.startupS,
    /** After start-up: the rate a longer sweep approaches. */
    pointsPerS: result.totalS > result.startupS ? done / (result.totalS - result.startupS) : 0,
    /** Over the second half of the points (null when it took a single batch): the rate without the warm-up. */
    steadyPointsPerS: halfway !== undefined && lastBatchMs > halfway.atMs ? (done - halfway.done) / ((lastBatchMs - halfway.atMs) / 1e3) : null,
    /** Share of the pool's time (worker start-up included) this thread was busy: starting workers, handing out indices, counting tallies, progress. */
    mainThreadBusyPct: 100 * poolLoop.utilization,
    /** CPU seconds of the whole process (every thread: workers, this one, the checkpointer, V8's compiler and GC helpers) while the pool ran. */
    poolCpuS,
    interrupted: result.interrupted,
    firstModelError: firstError ?? null,
  };
  io.out(opts.json === true ? `${JSON.stringify(summary, null, 2)}\n` : describe(summary, plan));
  if (result.interrupted) {
    io.err(`engram-dse: sweep interrupted by ${stoppedBy ?? 'a signal'}; ${summary.stored} of ${scan.shardPoints} points are stored in ${opts.db}; continue with --resume\n`);
    throw new CliExit(STOP_SIGNALS[stoppedBy ?? 'SIGINT']);
  }
}

function describe(s: {
  db: string; spec: string; evaluator: string; sampler: string; samplerPoints: number; shard: string; shardPoints: number; duplicates: number;
  alreadyStored: number; evaluated: number; modelErrors: number; feasible: number; stored: number; workers: number; elapsedS: number; startupS: number; pointsPerS: number;
  firstModelError: string | null;
}, plan: SweepPlan): string {
  const lines = [
    `sweep ${s.spec} (${s.evaluator}): ${s.samplerPoints} points from the ${s.sampler} sampler${s.duplicates > 0 ? ` (${s.duplicates} repeated points skipped)` : ''}`,
    `  shard ${s.shard}: ${s.shardPoints} points; ${s.alreadyStored} already stored, ${s.evaluated} evaluated in ${formatDurationS(s.elapsedS)}` +
      (s.evaluated > 0
        ? ` (${s.workers === 0 ? 'on the main thread' : `${s.workers} worker${s.workers > 1 ? 's' : ''} started in ${formatDurationS(s.startupS)}`}, then ${s.pointsPerS.toFixed(0)} points/s)`
        : ''),
    `  ${s.db}: ${s.stored} points stored; of those evaluated now, ${s.feasible} feasible, ${s.modelErrors} rejected by the model`,
  ];
  if (s.firstModelError !== null) lines.push(`  first rejection: ${s.firstModelError}`);
  const objectives = plan.expressions.objectives;
  if (objectives.length > 0) lines.push(`next: engram-dse pareto ${s.db} --objectives ${objectives.map((o) => `${o.name}:${o.goal}`).join(',')}`);
  return `${lines.join('\n')}\n`;
}

function emitSlurm(plan: SweepPlan, specFile: string, opts: SweepOptions, io: CliIo, costsPath: string): void {
  const shards = opts.shards!;
  const dbPath = path.resolve(io.cwd, opts.db);
  const scriptPath = path.resolve(io.cwd, opts.emitSlurm!);
  const script = renderSlurmScript({
    nodePath: process.execPath,
    cliPath: path.join(REPO_ROOT, 'bin', 'engram-dse.mjs'),
    specPath: path.resolve(io.cwd, specFile),
    dbPath,
    costsPath: opts.costs === undefined ? undefined : costsPath,
    shards,
    workersPerTask: opts.workers === undefined || opts.workers === 0 ? 1 : opts.workers,
    jobName: `engram-dse-${plan.spec.name}`,
    points: plan.source.count,
  });
  try {
    writeFileSync(scriptPath, script, { mode: 0o755 });
  } catch (error) {
    throw new UsageError(`--emit-slurm: cannot write ${showValue(opts.emitSlurm)} (${(error as NodeJS.ErrnoException).code ?? 'write error'})`, { cause: error });
  }
  const summary = { script: opts.emitSlurm, shards, points: plan.source.count, db: opts.db, shardDbs: Array.from({ length: shards }, (_, i) => shardDbPath(opts.db, i + 1, shards)) };
  io.out(
    opts.json === true
      ? `${JSON.stringify(summary, null, 2)}\n`
      : `wrote ${opts.emitSlurm}: ${plan.source.count} points of ${plan.spec.name} in ${shards} array tasks, then a merge into ${opts.db}\nsubmit with: bash ${opts.emitSlurm}\n`,
  );
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}
