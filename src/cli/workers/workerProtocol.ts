// Messages between the sweep's main thread and its worker threads, and how errors cross the thread boundary
// (structured clone drops class identity, so typed errors are rebuilt on the main side).
import { EngramError, ModelError, SimError, SpecError } from '../../core/index.ts';
import type { EvaluatorContext } from '../../dse/index.ts';
import type { SweepSpec } from '../../spec/index.ts';
import type { BatchTally } from './pointWriter.ts';

/**
 * workerData: the parsed spec, its file name for messages, the resolved documents evaluators read, and the
 * sweep database every thread commits its own points to.
 */
export interface WorkerInit {
  readonly spec: SweepSpec;
  readonly file: string;
  readonly context: EvaluatorContext;
  /** Absolute path of the sweep database (schema and metadata already written by the main thread). */
  readonly dbPath: string;
  /** How errors name the database (the --db argument as given). */
  readonly dbShownAs: string;
  /**
   * Whether the thread's connection checkpoints the write-ahead log itself (SQLite's automatic checkpoints):
   * true in the main thread with --workers 0; worker threads leave it to the pool's checkpointer thread.
   */
  readonly autoCheckpoint: boolean;
}

/**
 * Enumeration indices to evaluate (each thread enumerates, keys and encodes its points itself), or the
 * request to commit every pending point, after which the thread takes no more work.
 */
export type WorkerRequest =
  | { readonly type: 'evaluate'; readonly id: number; readonly indices: readonly number[] }
  | { readonly type: 'flush' };

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly id: number; readonly tally: BatchTally; readonly busyMs: number }
  | { readonly type: 'flushed' }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly spec?: { readonly file: string; readonly path: string; readonly detail: string };
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof SpecError) return { name: error.name, message: error.message, spec: { file: error.file, path: error.path, detail: error.detail } };
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) };
  return { name: 'Error', message: String(error) };
}

/** The error as the main thread reports it: typed errors keep their class (and so their exit code). */
export function deserializeError(error: SerializedError): Error {
  if (error.spec !== undefined) return new SpecError(error.spec.file, error.spec.path, error.spec.detail);
  if (error.name === 'ModelError') return new ModelError(error.message);
  if (error.name === 'SimError') return new SimError(error.message);
  if (error.name === 'EngramError' || error.name === 'UsageError') return new EngramError(error.message);
  const rebuilt = new Error(`in a sweep worker: ${error.message}`);
  if (error.stack !== undefined) rebuilt.stack = error.stack;
  return rebuilt;
}
