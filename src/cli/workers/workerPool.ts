// Runs a sweep's pending points on worker threads (or in this thread with 0 workers): batches handed out on
// demand, two in flight per worker so none waits for its next indices, stop on abort. Each thread commits its
// own points to the sweep database (pointWriter.ts); this thread hands out indices and counts what comes back.
// Before the threads end, each commits what it holds: at the end, on abort and after an error. Beside the
// worker threads one more thread checkpoints the database (checkpointer.ts), so no worker waits for the disk.
import { Worker } from 'node:worker_threads';
import { bundledEntry } from '../bundle.ts';
import { openBatchEvaluator } from './batchEvaluator.ts';
import type { CheckpointerInit, CheckpointerReply } from './checkpointer.ts';
import type { BatchTally } from './pointWriter.ts';
import { deserializeError, type WorkerInit, type WorkerReply, type WorkerRequest } from './workerProtocol.ts';

export interface PoolRun {
  /** Worker threads; 0 evaluates in this thread (no start-up cost, no parallelism). */
  readonly workers: number;
  /** What every evaluating thread is started with; the pool decides who checkpoints. */
  readonly init: Omit<WorkerInit, 'autoCheckpoint'>;
  /** Most points in one batch (worker threads start with one and grow their batches to about BATCH_MS of work). */
  readonly batchSize: number;
  /** Enumeration indices of the next `size` pending points, or fewer (none when all are handed out). */
  next(size: number): number[];
  /** Called with the tally of each finished batch, in completion order (its points are stored by then or soon after). */
  onBatch(tally: BatchTally): void;
  readonly signal?: AbortSignal;
}
export interface PoolResult {
  /** From the start until every worker had planned its evaluation and could take points. */
  readonly startupS: number;
  /** From the start until the last batch was stored. */
  readonly totalS: number;
  readonly interrupted: boolean;
}

/** Batches in flight per worker: one being evaluated, one queued behind it. */
const IN_FLIGHT_PER_WORKER = 2;
/**
 * Work per batch handed to a worker thread: long enough that messages cost nothing, short enough that the
 * workers finish together (a sweep of 50 ms points handed out 15 at a time left one worker idle for up to
 * 0.75 s at the end). Points per batch follow the measured time per point.
 */
const BATCH_MS = 50;
/** Weight of the newest batch in the running time-per-point estimate. */
const BATCH_RATE_WEIGHT = 0.25;

export async function runPool(run: PoolRun): Promise<PoolResult> {
  return run.workers === 0 ? runInThread(run) : runOnWorkers(run);
}

async function runInThread(run: PoolRun): Promise<PoolResult> {
  const start = performance.now();
  const evaluator = openBatchEvaluator({ ...run.init, autoCheckpoint: true });
  const startupS = (performance.now() - start) / 1e3;
  let interrupted = false;
  try {
    for (;;) {
      if (run.signal?.aborted === true) {
        interrupted = true;
        break;
      }
      const indices = run.next(run.batchSize);
      if (indices.length === 0) break;
      run.onBatch(evaluator.evaluate(indices));
      // Let signals, timers and I/O run between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    evaluator.close();
  }
  return { startupS, totalS: (performance.now() - start) / 1e3, interrupted };
}

interface ThreadEntry {
  /** The entry file's TypeScript. */
  readonly source: URL;
  /** Its bundle, where one could be had. */
  readonly bundle: URL | undefined;
}

async function threadEntry(file: string, name: string): Promise<ThreadEntry> {
  const source = new URL(file, import.meta.url);
  return { source, bundle: await bundledEntry(source, name) };
}

/**
 * A thread starts from the bundle of its entry file (../bundle.ts). Without one it must load the
 * TypeScript itself: the tsx hooks of this thread are not inherited, and a plain `--import tsx` in execArgv
 * resolves too late on Node 20, so the worker evaluates a two-line bootstrap that registers tsx and then
 * imports the entry file.
 */
function startThread(entry: ThreadEntry, workerData: WorkerInit | CheckpointerInit): Worker {
  if (entry.bundle !== undefined) return new Worker(entry.bundle, { workerData, execArgv: [] });
  const api = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.source.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, execArgv: [] });
}

interface Checkpointer {
  /** Asks the thread to stop after its current checkpoint; resolves when it has ended. */
  stop(): Promise<void>;
}

/**
 * Starts the checkpointer thread; `onError` gets its failure (a failed checkpoint loses nothing: the log
 * keeps the points, and the main thread's connection copies them back when it closes the file).
 */
function startCheckpointer(entry: ThreadEntry, init: Omit<WorkerInit, 'autoCheckpoint'>, onError: (error: unknown) => void): Checkpointer {
  const stopFlag = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const thread = startThread(entry, { dbPath: init.dbPath, dbShownAs: init.dbShownAs, stop: stopFlag } satisfies CheckpointerInit);
  let stopping = false;
  let reported = false;
  thread.on('message', (reply: CheckpointerReply) => {
    reported = true;
    if (reply.type === 'error') onError(deserializeError(reply.error));
  });
  thread.on('error', (error) => {
    reported = true;
    onError(error);
  });
  const exited = new Promise<void>((resolve) =>
    thread.once('exit', (code) => {
      if (!stopping && !reported) onError(new Error(`the sweep's checkpointer thread exited with code ${code} before the sweep finished`));
      resolve();
    }),
  );
  return {
    stop() {
      stopping = true;
      const flag = new Int32Array(stopFlag);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      return exited;
    },
  };
}

async function runOnWorkers(run: PoolRun): Promise<PoolResult> {
  const start = performance.now();
  const [workerEntry, checkpointerEntry] = await Promise.all([threadEntry('./sweepWorker.ts', 'sweep-worker'), threadEntry('./checkpointer.ts', 'sweep-checkpointer')]);
  const workers = Array.from({ length: run.workers }, () => startThread(workerEntry, { ...run.init, autoCheckpoint: false }));
  const inFlight = new Map<Worker, number>(workers.map((w) => [w, 0]));
  /** Workers whose thread still runs (an 'error' event or an exit removes one). */
  const alive = new Set(workers);
  let ready = 0;
  let startupS = 0;
  let nextId = 0;
  let exhausted = false;
  /** Points per batch: one until a batch has been timed (an evaluator may take seconds a point). */
  let batchSize = 1;
  let msPerPoint: number | undefined;
  const timeBatch = (busyMs: number, points: number): void => {
    if (points === 0) return;
    const latest = busyMs / points;
    msPerPoint = msPerPoint === undefined ? latest : msPerPoint + BATCH_RATE_WEIGHT * (latest - msPerPoint);
    batchSize = Math.max(1, Math.min(run.batchSize, Math.round(BATCH_MS / Math.max(msPerPoint, 1e-3))));
  };
  /** Set once the pool is ending: every live worker was asked to commit what it holds. */
  let ending: { error?: unknown; interrupted: boolean } | undefined;
  /** Workers asked to commit that have not answered yet. */
  const flushing = new Set<Worker>();
  let settled = false;

  return new Promise<PoolResult>((resolve, reject) => {
    const settle = (): void => {
      if (settled) return;
      settled = true;
      run.signal?.removeEventListener('abort', onAbort);
      const outcome = ending ?? { interrupted: false };
      void Promise.all([...workers.map((w) => w.terminate()), checkpointer.stop()]).then(() => {
        if (outcome.error !== undefined) reject(outcome.error);
        else resolve({ startupS, totalS: (performance.now() - start) / 1e3, interrupted: outcome.interrupted });
      });
    };
    /** Asks every live worker to commit its points (queued behind its batches in flight); settles when all have. */
    const end = (outcome: { error?: unknown; interrupted: boolean }): void => {
      if (ending !== undefined) return;
      ending = outcome;
      exhausted = true;
      for (const worker of alive) {
        flushing.add(worker);
        worker.postMessage({ type: 'flush' } satisfies WorkerRequest);
      }
      if (flushing.size === 0) settle();
    };
    /** A worker that answered its flush, failed, or died: the pool settles once none is left to wait for. */
    const doneFlushing = (worker: Worker): void => {
      flushing.delete(worker);
      if (ending !== undefined && flushing.size === 0) settle();
    };
    /** The first error ends the pool (every live worker still commits); later ones are dropped. */
    const recordError = (error: unknown): void => {
      if (ending === undefined) end({ error, interrupted: false });
      else ending.error ??= error;
    };
    /** A worker that died: it will not answer a flush. */
    const fail = (worker: Worker, error: unknown): void => {
      recordError(error);
      doneFlushing(worker);
    };
    const checkpointer = startCheckpointer(checkpointerEntry, run.init, recordError);
    const onAbort = (): void => end({ interrupted: true });
    if (run.signal?.aborted === true) {
      ending = { interrupted: true };
      settle();
      return;
    }
    run.signal?.addEventListener('abort', onAbort);

    const feed = (worker: Worker): void => {
      while (!exhausted && inFlight.get(worker)! < IN_FLIGHT_PER_WORKER) {
        const indices = run.next(batchSize);
        if (indices.length === 0) {
          exhausted = true;
          break;
        }
        inFlight.set(worker, inFlight.get(worker)! + 1);
        worker.postMessage({ type: 'evaluate', id: nextId++, indices } satisfies WorkerRequest);
      }
      if (exhausted && [...inFlight.values()].every((n) => n === 0) && ready === workers.length) end({ interrupted: false });
    };

    for (const worker of workers) {
      worker.on('message', (reply: WorkerReply) => {
        if (settled) return;
        if (reply.type === 'ready') {
          ready++;
          if (ready === workers.length) startupS = (performance.now() - start) / 1e3;
          feed(worker);
        } else if (reply.type === 'done') {
          inFlight.set(worker, inFlight.get(worker)! - 1);
          timeBatch(reply.busyMs, reply.tally.evaluated);
          try {
            run.onBatch(reply.tally);
          } catch (error) {
            // This thread's error, not the worker's: the worker still commits what it holds.
            recordError(error);
            return;
          }
          feed(worker);
        } else if (reply.type === 'flushed') {
          doneFlushing(worker);
        } else {
          // A worker that failed evaluating still commits when asked; one that failed committing answers no more.
          const answeredFlush = ending !== undefined && reply.id === -1;
          recordError(deserializeError(reply.error));
          if (answeredFlush) doneFlushing(worker);
        }
      });
      worker.on('error', (error) => {
        alive.delete(worker);
        fail(worker, error);
      });
      worker.on('exit', (code) => {
        alive.delete(worker);
        if (!settled) fail(worker, new Error(`a sweep worker thread exited with code ${code} before the sweep finished`));
      });
    }
  });
}
