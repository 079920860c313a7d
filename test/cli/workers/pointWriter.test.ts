import test from 'ava';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import type { StoredPoint } from '../../../src/dse/index.ts';
import { COMMIT_INTERVAL_MS, COMMIT_POINTS, PointWriter, tallyPoints } from '../../../src/cli/workers/pointWriter.ts';
import { SWEEP_DB_FORMAT, SweepStore } from '../../../src/cli/workers/resultStore.ts';
import { SpecError } from '../../../src/core/index.ts';

function point(i: number, error: string | null = null, feasible: 0 | 1 = 1): StoredPoint {
  const key = i.toString(16).padStart(64, '0');
  return { key, idx: i, point: `{"i":${i}}`, seed: key.slice(0, 16), result: '{}', error, objectives: '{}', feasible };
}

/** A sweep file with its metadata written (as the main thread leaves it) and a second connection for inserts. */
function sweepFile(t: { teardown(fn: () => void): void }, autoCheckpoint = true): { main: SweepStore; inserts: SweepStore; file: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'engram-point-writer-'));
  const file = path.join(dir, 'sweep.db');
  const main = SweepStore.openWritable(file, 'sweep.db');
  main.writeMeta({
    format: SWEEP_DB_FORMAT, specName: 't', spec: '{}', specSha256: 'x', specFile: 'spec.json', evaluator: 'gemm', evaluatorVersion: '1',
    contextSha256: 'y', samplerCount: 0, shards: ['1/1'],
  });
  const inserts = SweepStore.openForInserts(file, 'sweep.db', autoCheckpoint);
  t.teardown(() => {
    inserts.close();
    main.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { main, inserts, file };
}

test('pointWriter: commits once COMMIT_POINTS are pending, and keeps them pending while another connection holds the write lock', (t) => {
  const { main, inserts } = sweepFile(t);
  let nowMs = 0;
  const writer = new PointWriter(inserts, '1', () => nowMs);
  writer.add(Array.from({ length: COMMIT_POINTS - 1 }, (_, i) => point(i)));
  t.is(writer.pendingCount, COMMIT_POINTS - 1, 'below the threshold and before the interval nothing is written');
  t.is(main.count(), 0);
  main.db.exec('BEGIN IMMEDIATE');
  writer.add([point(COMMIT_POINTS - 1)]);
  t.is(writer.pendingCount, COMMIT_POINTS, 'the lock is taken: the points wait, nothing half-written');
  main.db.exec('COMMIT');
  nowMs += 1;
  writer.add([point(COMMIT_POINTS)]);
  t.is(writer.pendingCount, 0);
  t.is(main.count(), COMMIT_POINTS + 1);
});

test('pointWriter: commits a few points once the interval has passed, and flush commits the rest', (t) => {
  const { main, inserts } = sweepFile(t);
  let nowMs = 0;
  const writer = new PointWriter(inserts, '1', () => nowMs);
  writer.add([point(0), point(1)]);
  t.is(main.count(), 0);
  nowMs = COMMIT_INTERVAL_MS;
  writer.add([point(2)]);
  t.is(main.count(), 3);
  writer.add([point(3)]);
  t.is(main.count(), 3);
  writer.flush();
  t.is(main.count(), 4);
  t.is(writer.pendingCount, 0);
});

test('pointWriter: a key stored twice is an error, not a silent overwrite, where the key index is in place', (t) => {
  const { main, inserts } = sweepFile(t);
  main.ensureKeyIndex();
  const writer = new PointWriter(inserts, '1', () => 0);
  writer.add([point(7)]);
  writer.flush();
  writer.add([point(7)]);
  // better-sqlite3's SqliteError inherits from Error without being a native error object, hence `any`.
  t.throws(() => writer.flush(), { any: true, message: /UNIQUE constraint failed/ });
});

test('resultStore: with the key index dropped (a sweep inserting) a key stored twice is reported when the index is built again', (t) => {
  const { main, inserts } = sweepFile(t);
  main.ensureKeyIndex();
  main.dropKeyIndex();
  const writer = new PointWriter(inserts, '1', () => 0);
  writer.add([point(1), point(7), point(2)]);
  writer.flush();
  main.ensureKeyIndex();
  main.dropKeyIndex();
  writer.add([point(7)]);
  writer.flush();
  const error = t.throws(() => main.ensureKeyIndex(), { instanceOf: SpecError });
  t.regex(error.message, new RegExp(`point ${point(7).key} is stored 2 times; expected each point once`));
  t.is(main.count(), 4, 'the file is left as it is');
});

test('resultStore: a connection without automatic checkpoints leaves its commits in the log until a checkpoint copies them back', (t) => {
  const { main, inserts, file } = sweepFile(t, false);
  const pagesInFile = (): number => statSync(file).size / (main.db.pragma('page_size', { simple: true }) as number);
  const before = pagesInFile();
  t.is(inserts.db.pragma('wal_autocheckpoint', { simple: true }), 0, 'this connection never checkpoints by itself');
  t.true((main.db.pragma('wal_autocheckpoint', { simple: true }) as number) > 0, 'the main connection does');
  const writer = new PointWriter(inserts, '1', () => 0);
  for (let i = 0; i < 6; i++) writer.add(Array.from({ length: COMMIT_POINTS }, (_, j) => point(i * COMMIT_POINTS + j)));
  writer.flush();
  t.is(main.count(), 6 * COMMIT_POINTS, 'committed points are visible from the log');
  t.is(pagesInFile(), before, 'the file itself is unchanged');
  const { logFrames, checkpointedFrames } = main.checkpoint();
  t.true(logFrames > 0);
  t.is(checkpointedFrames, logFrames, 'with no reader or writer active, PASSIVE copies the whole log');
  t.true(pagesInFile() > before);
});

test('resultStore: a file written before the key index (key as primary key) keeps its primary key and gets no second index', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'engram-old-sweep-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'old.db');
  const old = new Database(file);
  old.exec(`CREATE TABLE points (key TEXT PRIMARY KEY, idx INTEGER NOT NULL, point TEXT NOT NULL, seed TEXT NOT NULL, result TEXT NOT NULL,
    error TEXT, objectives TEXT NOT NULL, feasible INTEGER NOT NULL, evaluatorVersion TEXT NOT NULL)`);
  old.close();
  const store = SweepStore.openWritable(file, 'old.db');
  t.teardown(() => store.close());
  const indexes = (): string[] => store.db.prepare("SELECT name FROM pragma_index_list('points')").pluck().all() as string[];
  store.dropKeyIndex();
  store.ensureKeyIndex();
  t.deepEqual(indexes(), ['sqlite_autoindex_points_1']);
  const writer = new PointWriter(store, '1', () => 0);
  writer.add([point(3), point(3)]);
  t.throws(() => writer.flush(), { any: true, message: /UNIQUE constraint failed/ });
});

test('tallyPoints: counts evaluated, model errors (first one kept) and feasible points', (t) => {
  t.deepEqual(tallyPoints([point(0), point(1, 'too big'), point(2, null, 0), point(3, 'also bad')]), {
    evaluated: 4, modelErrors: 2, feasible: 1, firstModelError: 'too big',
  });
});
