// Entry point of a sweep worker thread: plans the sweep once from workerData, then evaluates each batch of
// point indices, commits the points to the sweep database itself and answers with their tally. Errors go back
// as data so the main thread can report them like its own.
import { parentPort, workerData } from 'node:worker_threads';
import { openBatchEvaluator, type BatchEvaluator } from './batchEvaluator.ts';
import { serializeError, type WorkerReply, type WorkerRequest, type WorkerInit } from './workerProtocol.ts';

const port = parentPort;
if (port === null) throw new Error('sweepWorker.ts runs as a worker thread only');

let evaluator: BatchEvaluator | undefined;
try {
  evaluator = openBatchEvaluator(workerData as WorkerInit);
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ type: 'error', id: -1, error: serializeError(error) } satisfies WorkerReply);
}

// An error while evaluating answers with the batch id (the worker still commits its earlier points when
// asked); an error while committing answers with id -1, like a failed start: that worker has nothing more.
port.on('message', (request: WorkerRequest) => {
  if (request.type === 'flush') {
    const closing = evaluator;
    evaluator = undefined;
    try {
      closing?.close();
      port.postMessage({ type: 'flushed' } satisfies WorkerReply);
    } catch (error) {
      port.postMessage({ type: 'error', id: -1, error: serializeError(error) } satisfies WorkerReply);
    }
    return;
  }
  if (evaluator === undefined) return;
  try {
    const startMs = performance.now();
    const tally = evaluator.evaluate(request.indices);
    port.postMessage({ type: 'done', id: request.id, tally, busyMs: performance.now() - startMs } satisfies WorkerReply);
  } catch (error) {
    port.postMessage({ type: 'error', id: request.id, error: serializeError(error) } satisfies WorkerReply);
  }
});
