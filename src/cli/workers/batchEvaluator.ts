// What every evaluating thread of a sweep runs (a worker thread, or the main thread with --workers 0): plan
// the sweep once, then evaluate batches of enumeration indices and commit their points through its own
// connection to the sweep database.
import { createIndexEvaluator, findEvaluator, planSweep } from '../../dse/index.ts';
import { PointWriter, tallyPoints, type BatchTally } from './pointWriter.ts';
import { SweepStore } from './resultStore.ts';
import type { WorkerInit } from './workerProtocol.ts';

export interface BatchEvaluator {
  /** Evaluates the points, hands them to the writer (committed now or with a later batch) and counts them. */
  evaluate(indices: readonly number[]): BatchTally;
  /** Commits every pending point and closes the connection; the evaluator takes no more batches. */
  close(): void;
}

export function openBatchEvaluator(init: WorkerInit): BatchEvaluator {
  const plan = planSweep(init.spec, init.file, findEvaluator(init.spec.evaluator, init.file), init.context);
  const evaluatePoint = createIndexEvaluator(plan, init.context);
  const store = SweepStore.openForInserts(init.dbPath, init.dbShownAs, init.autoCheckpoint);
  const writer = new PointWriter(store, plan.evaluator.version);
  return {
    evaluate(indices) {
      const points = indices.map(evaluatePoint);
      writer.add(points);
      return tallyPoints(points);
    },
    close() {
      try {
        writer.flush();
      } finally {
        store.close();
      }
    },
  };
}
