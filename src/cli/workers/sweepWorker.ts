// Entry point of a sweep worker thread: plans the sweep once from workerData, then answers each batch of
// point indices with the points' stored form. Errors go back as data so the main thread can report them like its own.
import { parentPort, workerData } from 'node:worker_threads';
import { createIndexEvaluator, findEvaluator, planSweep, type StoredPoint } from '../../dse/index.ts';
import { serializeError, type WorkerInit, type WorkerReply, type WorkerRequest } from './workerProtocol.ts';

const port = parentPort;
if (port === null) throw new Error('sweepWorker.ts runs as a worker thread only');

let evaluate: ((index: number) => StoredPoint) | undefined;
try {
  const init = workerData as WorkerInit;
  evaluate = createIndexEvaluator(planSweep(init.spec, init.file, findEvaluator(init.spec.evaluator, init.file), init.context), init.context);
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ type: 'error', id: -1, error: serializeError(error) } satisfies WorkerReply);
}

port.on('message', (request: WorkerRequest) => {
  if (evaluate === undefined) return;
  try {
    const points = request.indices.map(evaluate);
    port.postMessage({ type: 'done', id: request.id, points } satisfies WorkerReply);
  } catch (error) {
    port.postMessage({ type: 'error', id: request.id, error: serializeError(error) } satisfies WorkerReply);
  }
});
