// Runs a sweep's pending points on worker threads (or in this thread with 0 workers): batches handed out on
// demand, two in flight per worker so none waits while the main thread stores results, stop on abort.
import { Worker } from 'node:worker_threads';
import { createIndexEvaluator, findEvaluator, planSweep, type StoredPoint } from '../../dse/index.ts';
import { deserializeError, type WorkerInit, type WorkerReply, type WorkerRequest } from './workerProtocol.ts';

export interface PoolRun {
  /** Worker threads; 0 evaluates in this thread (no start-up cost, no parallelism). */
  readonly workers: number;
  readonly init: WorkerInit;
  readonly batchSize: number;
  /** Enumeration indices of the next `size` pending points, or fewer (none when all are handed out). */
  next(size: number): number[];
  /** Called with each finished batch, in completion order; the batch is lost if this throws. */
  onPoints(points: readonly StoredPoint[]): void;
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

export async function runPool(run: PoolRun): Promise<PoolResult> {
  return run.workers === 0 ? runInThread(run) : runOnWorkers(run);
}

async function runInThread(run: PoolRun): Promise<PoolResult> {
  const start = performance.now();
  const { spec, file, context } = run.init;
  const evaluate = createIndexEvaluator(planSweep(spec, file, findEvaluator(spec.evaluator, file), context), context);
  const startupS = (performance.now() - start) / 1e3;
  for (;;) {
    if (run.signal?.aborted === true) return { startupS, totalS: (performance.now() - start) / 1e3, interrupted: true };
    const indices = run.next(run.batchSize);
    if (indices.length === 0) break;
    run.onPoints(indices.map(evaluate));
    // Let signals, timers and I/O run between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { startupS, totalS: (performance.now() - start) / 1e3, interrupted: false };
}

/**
 * Worker threads must load TypeScript themselves: the tsx hooks of this thread are not inherited, and a
 * plain `--import tsx` in execArgv resolves too late on Node 20. So the worker evaluates a two-line
 * bootstrap that registers tsx and then imports the entry file.
 */
function startWorker(init: WorkerInit): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./sweepWorker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: init, execArgv: [] });
}

function runOnWorkers(run: PoolRun): Promise<PoolResult> {
  const start = performance.now();
  const workers = Array.from({ length: run.workers }, () => startWorker(run.init));
  const inFlight = new Map<Worker, number>(workers.map((w) => [w, 0]));
  let ready = 0;
  let startupS = 0;
  let nextId = 0;
  let exhausted = false;
  let settled = false;

  return new Promise<PoolResult>((resolve, reject) => {
    const finish = (outcome: { error?: unknown; interrupted?: boolean }): void => {
      if (settled) return;
      settled = true;
      run.signal?.removeEventListener('abort', onAbort);
      void Promise.all(workers.map((w) => w.terminate())).then(() => {
        if (outcome.error !== undefined) reject(outcome.error);
        else resolve({ startupS, totalS: (performance.now() - start) / 1e3, interrupted: outcome.interrupted === true });
      });
    };
    const onAbort = (): void => finish({ interrupted: true });
    if (run.signal?.aborted === true) {
      finish({ interrupted: true });
      return;
    }
    run.signal?.addEventListener('abort', onAbort);

    const feed = (worker: Worker): void => {
      while (!exhausted && inFlight.get(worker)! < IN_FLIGHT_PER_WORKER) {
        const indices = run.next(run.batchSize);
        if (indices.length === 0) {
          exhausted = true;
          break;
        }
        inFlight.set(worker, inFlight.get(worker)! + 1);
        worker.postMessage({ id: nextId++, indices } satisfies WorkerRequest);
      }
      if (exhausted && [...inFlight.values()].every((n) => n === 0) && ready === workers.length) finish({});
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
          try {
            run.onPoints(reply.points);
          } catch (error) {
            finish({ error });
            return;
          }
          feed(worker);
        } else {
          finish({ error: deserializeError(reply.error) });
        }
      });
      worker.on('error', (error) => finish({ error }));
      worker.on('exit', (code) => {
        if (!settled) finish({ error: new Error(`a sweep worker thread exited with code ${code} before the sweep finished`) });
      });
    }
  });
}
