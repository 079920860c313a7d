// Messages between the sweep's main thread and its worker threads, and how errors cross the thread boundary
// (structured clone drops class identity, so typed errors are rebuilt on the main side).
import { EngramError, ModelError, SimError, SpecError } from '../../core/index.ts';
import type { EvaluatorContext, StoredPoint } from '../../dse/index.ts';
import type { SweepSpec } from '../../spec/index.ts';

/** workerData: the parsed spec, its file name for messages, and the resolved documents evaluators read. */
export interface WorkerInit {
  readonly spec: SweepSpec;
  readonly file: string;
  readonly context: EvaluatorContext;
}

/** Enumeration indices to evaluate: each thread enumerates, keys and encodes its points itself. */
export interface WorkerRequest {
  readonly id: number;
  readonly indices: readonly number[];
}

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly id: number; readonly points: readonly StoredPoint[] }
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
