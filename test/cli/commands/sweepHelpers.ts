// Shared by the sweep, merge and pareto command tests: a temporary folder with a spec in it, and the rows of
// a sweep database in a form two databases can be compared by.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A gemm sweep small enough for in-process tests: 2 targets x 3 m x 2 n x 2 k = 24 points. */
export const SMALL_GEMM_SPEC = {
  schemaVersion: 1,
  name: 'small-gemm',
  description: 'GEMM shapes on two targets (test)',
  evaluator: 'gemm',
  parameters: { target: ['h800-sxm', 'tpu-v5e'], m: [1, 64, 4096], n: [1024, 8192], k: { from: 512, to: 2048, count: 2, scale: 'log', integer: true } },
  objectives: { tflopsPerKUsd: { expression: 'achievedTflops / (costUsd / 1000)', goal: 'max' }, timeUs: { expression: 'timeNs / 1e3', goal: 'min' } },
  constraints: ['utilisationPct >= 1'],
};

/** A folder under the OS temp dir holding `spec.json` (and whatever the test writes next to it), removed after the test. */
export function tempSweepDir(t: { teardown(fn: () => void): void }, spec: Record<string, unknown> = SMALL_GEMM_SPEC): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'engram-sweep-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
  return dir;
}

export interface Row {
  key: string;
  idx: number;
  point: string;
  seed: string;
  result: string;
  error: string | null;
  objectives: string;
  feasible: number;
  evaluatorVersion: string;
}

/** Every row, ordered by key: equal for two databases holding the same results however they were produced. */
export function rowsOf(file: string): Row[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT key, idx, point, seed, result, error, objectives, feasible, evaluatorVersion FROM points ORDER BY key').all() as Row[];
  } finally {
    db.close();
  }
}

export function countRows(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM points').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The names of the points table's indexes (the unique key index is points_key; older files have a primary key). */
export function pointIndexes(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT name FROM pragma_index_list('points') ORDER BY name").pluck().all() as string[];
  } finally {
    db.close();
  }
}
