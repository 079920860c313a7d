// Entry point of a sweep's checkpointer thread. Worker threads commit into SQLite's write-ahead log and never
// copy it back themselves (a checkpoint writes the pages back and waits for the disk twice, which stalled the
// evaluating threads 8-18 % of their time on the project machine); this thread does that copy every
// CHECKPOINT_INTERVAL_MS, PASSIVE so it never holds up a writer, and its waits for the disk take no core from
// the workers. A checkpoint that fails is reported and ends the thread; the log keeps every committed point
// and the main thread's last connection copies it back when the sweep closes the file.
import { parentPort, workerData } from 'node:worker_threads';
import { SweepStore } from './resultStore.ts';
import { serializeError, type SerializedError } from './workerProtocol.ts';

export interface CheckpointerInit {
  readonly dbPath: string;
  readonly dbShownAs: string;
  /** Int32Array over it: 0 while the sweep runs; the pool stores 1 and notifies to stop the thread. */
  readonly stop: SharedArrayBuffer;
}

export type CheckpointerReply = { readonly type: 'checkpoints'; readonly count: number } | { readonly type: 'error'; readonly error: SerializedError };

/** Between two checkpoints: long enough that each copies many commits, short enough to bound the log. */
export const CHECKPOINT_INTERVAL_MS = 250;

const port = parentPort;
if (port === null) throw new Error('checkpointer.ts runs as a worker thread only');
const init = workerData as CheckpointerInit;
const stop = new Int32Array(init.stop);
let count = 0;
try {
  const store = SweepStore.openForInserts(init.dbPath, init.dbShownAs, false);
  try {
    while (Atomics.wait(stop, 0, 0, CHECKPOINT_INTERVAL_MS) === 'timed-out') {
      store.checkpoint();
      count++;
    }
  } finally {
    store.close();
  }
  port.postMessage({ type: 'checkpoints', count } satisfies CheckpointerReply);
} catch (error) {
  port.postMessage({ type: 'error', error: serializeError(error) } satisfies CheckpointerReply);
}
