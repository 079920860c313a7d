// Where a sweep's evaluating thread (a worker, or the main thread with --workers 0) puts its finished points:
// it gathers them and commits them to the sweep database itself, so the main thread only hands out indices
// and the SQLite work runs in parallel with the other workers' evaluation. SQLite admits one writer at a
// time: a commit that finds the lock taken does not wait, the points stay pending and the thread evaluates
// its next batch; only the final flush waits.
import { EngramError } from '../../core/index.ts';
import type { StoredPoint } from '../../dse/index.ts';
import type { SweepStore } from './resultStore.ts';

/**
 * Pending points are committed once this many are waiting or this long after the last commit: random keys
 * make each transaction touch many index pages, so small transactions cost up to 3x more per point, while the
 * interval bounds what a killed sweep loses (each thread's last fifth of a second).
 */
export const COMMIT_POINTS = 1024;
export const COMMIT_INTERVAL_MS = 200;
/** How long the final flush waits for another thread's commit (each takes milliseconds). */
const FLUSH_WAIT_MS = 60_000;

/** What a thread reports about points it evaluated (the points themselves go to the database). */
export interface BatchTally {
  readonly evaluated: number;
  readonly modelErrors: number;
  readonly feasible: number;
  readonly firstModelError: string | null;
}

export function tallyPoints(points: readonly StoredPoint[]): BatchTally {
  let modelErrors = 0;
  let feasible = 0;
  let firstModelError: string | null = null;
  for (const p of points) {
    if (p.error !== null) {
      modelErrors++;
      firstModelError ??= p.error;
    } else if (p.feasible === 1) feasible++;
  }
  return { evaluated: points.length, modelErrors, feasible, firstModelError };
}

export class PointWriter {
  private pending: StoredPoint[] = [];
  private lastCommitMs: number;

  constructor(
    private readonly store: SweepStore,
    private readonly evaluatorVersion: string,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.lastCommitMs = nowMs();
  }

  /** Adds finished points and commits the pending ones if enough are waiting and the lock is free. */
  add(points: readonly StoredPoint[]): void {
    for (const p of points) this.pending.push(p);
    if (this.pending.length >= COMMIT_POINTS || this.nowMs() - this.lastCommitMs >= COMMIT_INTERVAL_MS) this.commit(0);
  }

  /** Commits everything pending, waiting for the lock if another thread holds it. */
  flush(): void {
    if (this.pending.length > 0 && !this.commit(FLUSH_WAIT_MS)) {
      // Only a thread that held the lock for a minute gets here; SQLite's own error says the same in less detail.
      throw new EngramError(`sweep database ${this.store.file}: could not commit ${this.pending.length} points: the write lock stayed taken for ${FLUSH_WAIT_MS / 1e3} s`);
    }
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  private commit(waitMs: number): boolean {
    if (!this.store.tryInsertPoints(this.pending, this.evaluatorVersion, waitMs)) return false;
    this.pending = [];
    this.lastCommitMs = this.nowMs();
    return true;
  }
}
