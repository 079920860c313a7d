// The SQLite file of a sweep (better-sqlite3, WAL): one row per point keyed by the sha256 of its canonical JSON,
// written in one transaction per committed batch, so a killed sweep keeps every batch it committed and no half
// row. Several threads of one sweep insert through their own connections (openForInserts); SQLite lets one
// write at a time.
import Database from 'better-sqlite3';
import { SpecError, showValue } from '../../core/index.ts';
import type { StoredPoint, SweepMeta } from '../../dse/index.ts';
import { UsageError } from '../parse.ts';

/** Written to meta.format; a file without it (or with another) is not opened as a sweep. */
export const SWEEP_DB_FORMAT = 'engram-dse-sweep/1';

export type { SweepMeta };

/** One stored point as read back: the point the evaluator built plus the evaluator version it was stored with. */
export interface StoredRow extends StoredPoint {
  readonly evaluatorVersion: string;
}

/**
 * The points table has no primary key: each point's key is unique through the unique index KEY_INDEX, which a
 * sweep drops while its workers insert and builds again when it ends (dropKeyIndex, ensureKeyIndex). A random
 * sha256 key in an index dirties about one index page per inserted row; without it an insert costs about a
 * third (5 against 14 us per row, measured) and sweeps ran 1.2-1.5x faster. Files written before have
 * `key TEXT PRIMARY KEY` and keep it.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS points (
  key TEXT NOT NULL,
  idx INTEGER NOT NULL,
  point TEXT NOT NULL,
  seed TEXT NOT NULL,
  result TEXT NOT NULL,
  error TEXT,
  objectives TEXT NOT NULL,
  feasible INTEGER NOT NULL,
  evaluatorVersion TEXT NOT NULL
);
`;

const KEY_INDEX = 'points_key';

/** Columns compared when the same key comes from two files (everything but the enumeration index). */
export const CONTENT_COLUMNS = ['point', 'seed', 'result', 'error', 'objectives', 'feasible', 'evaluatorVersion'] as const;

export class SweepStore {
  private insert: Database.Statement | undefined;

  private constructor(
    readonly db: Database.Database,
    readonly file: string,
  ) {}

  /** Opens (creating if missing) a sweep file for writing. `shownAs` names it in errors. */
  static openWritable(path: string, shownAs: string): SweepStore {
    const db = openDatabase(path, shownAs, false);
    try {
      db.pragma('journal_mode = WAL');
      setWriterPragmas(db);
      db.exec(SCHEMA);
    } catch (error) {
      db.close();
      throw notADatabase(shownAs, error);
    }
    return new SweepStore(db, shownAs);
  }

  /**
   * Opens a sweep file that another connection created (schema and metadata written) for inserting points from
   * an evaluating thread; how long an insert waits for the write lock is `tryInsertPoints`'s argument. With
   * `autoCheckpoint` false the connection never copies the write-ahead log back (a checkpointer thread does,
   * see checkpointer.ts), so its commits never wait for the disk.
   */
  static openForInserts(path: string, shownAs: string, autoCheckpoint: boolean): SweepStore {
    const db = openDatabase(path, shownAs, false);
    try {
      setWriterPragmas(db);
      if (!autoCheckpoint) db.pragma('wal_autocheckpoint = 0');
    } catch (error) {
      db.close();
      throw notADatabase(shownAs, error);
    }
    return new SweepStore(db, shownAs);
  }

  /** Opens an existing sweep file read-only; it must hold a sweep. */
  static openReadOnly(path: string, shownAs: string): SweepStore {
    const store = new SweepStore(openDatabase(path, shownAs, true), shownAs);
    if (store.meta() === undefined) {
      store.close();
      throw new SpecError(shownAs, 'meta', `not a sweep database (no ${SWEEP_DB_FORMAT} metadata)`);
    }
    return store;
  }

  /** The stored metadata, or undefined for a new (empty) file. */
  meta(): SweepMeta | undefined {
    let rows: { name: string; value: string }[];
    try {
      rows = this.db.prepare('SELECT name, value FROM meta').all() as { name: string; value: string }[];
    } catch (error) {
      throw notADatabase(this.file, error);
    }
    if (rows.length === 0) return undefined;
    const values = new Map(rows.map((r) => [r.name, r.value]));
    const format = values.get('format');
    if (format !== SWEEP_DB_FORMAT) throw new SpecError(this.file, 'meta.format', `expected ${showValue(SWEEP_DB_FORMAT)}, got ${showValue(format)}`);
    const text = (name: string): string => {
      const value = values.get(name);
      if (value === undefined) throw new SpecError(this.file, `meta.${name}`, 'expected a value, but it is missing');
      return value;
    };
    return {
      format,
      specName: text('specName'),
      spec: text('spec'),
      specSha256: text('specSha256'),
      specFile: text('specFile'),
      evaluator: text('evaluator'),
      evaluatorVersion: text('evaluatorVersion'),
      contextSha256: text('contextSha256'),
      samplerCount: Number(text('samplerCount')),
      shards: JSON.parse(text('shards')) as string[],
    };
  }

  writeMeta(meta: SweepMeta): void {
    const put = this.db.prepare('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const [name, value] of Object.entries(meta)) put.run(name, typeof value === 'string' ? value : JSON.stringify(value));
    })();
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM points').get() as { n: number }).n;
  }

  storedKeys(): Set<string> {
    return new Set(this.db.prepare('SELECT key FROM points').pluck().all() as string[]);
  }

  /**
   * Drops the unique key index for a sweep's inserts (each insert then appends rows only); a file with the key
   * as its primary key (written before the index existed) keeps it. ensureKeyIndex builds the index again.
   */
  dropKeyIndex(): void {
    this.db.exec(`DROP INDEX IF EXISTS ${KEY_INDEX}`);
  }

  /**
   * Makes every point's key unique in the file again, building the index a sweep dropped (a sort of the keys:
   * about a second per million points). A key stored twice means two runs wrote the file at once (a sweep
   * never hands out a stored key): a SpecError naming one such key, with the file left as it is.
   */
  ensureKeyIndex(): void {
    const indexes = this.db.prepare('SELECT name, origin FROM pragma_index_list(\'points\')').all() as { name: string; origin: string }[];
    if (indexes.some((i) => i.origin === 'pk' || i.name === KEY_INDEX)) return;
    try {
      this.db.exec(`CREATE UNIQUE INDEX ${KEY_INDEX} ON points (key)`);
    } catch (error) {
      const twice = this.db.prepare('SELECT key, COUNT(*) AS n FROM points GROUP BY key HAVING n > 1 LIMIT 1').get() as { key: string; n: number } | undefined;
      if (twice === undefined) throw error;
      throw new SpecError(
        this.file,
        'points',
        `point ${twice.key} is stored ${twice.n} times; expected each point once (were two sweeps writing this file at the same time?)`,
        { cause: error },
      );
    }
  }

  /**
   * Stores points in one transaction if the write lock comes free within `waitMs` (another thread of the same
   * sweep may hold it); false, with nothing written, if it does not. Where the key index is in place (always but
   * during a sweep's inserts) a key stored twice throws; during a sweep, ensureKeyIndex reports it at the end.
   */
  tryInsertPoints(points: readonly StoredPoint[], evaluatorVersion: string, waitMs = 0): boolean {
    const insert = (this.insert ??= this.db.prepare(
      'INSERT INTO points (key, idx, point, seed, result, error, objectives, feasible, evaluatorVersion) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ));
    this.db.pragma(`busy_timeout = ${waitMs}`);
    try {
      // BEGIN IMMEDIATE takes the lock before any insert, so a busy database leaves no partial batch.
      this.db
        .transaction(() => {
          for (const p of points) insert.run(p.key, p.idx, p.point, p.seed, p.result, p.error, p.objectives, p.feasible, evaluatorVersion);
        })
        .immediate();
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return false;
      throw error;
    }
  }

  /** Every stored row in enumeration order. */
  *rows(): Generator<StoredRow> {
    yield* this.db.prepare('SELECT * FROM points ORDER BY idx, key').iterate() as IterableIterator<StoredRow>;
  }

  /**
   * Copies committed pages from the write-ahead log back into the file without waiting for writers or readers
   * (PASSIVE); returns the log's frames and how many of them are copied.
   */
  checkpoint(): { logFrames: number; checkpointedFrames: number } {
    const [row] = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    return { logFrames: row?.log ?? 0, checkpointedFrames: row?.checkpointed ?? 0 };
  }

  close(): void {
    this.db.close();
  }
}

/** Per-connection settings of every connection that writes points (the journal mode is the file's). */
function setWriterPragmas(db: Database.Database): void {
  // NORMAL in WAL mode: a committed batch survives a killed process; only a power cut may lose the last ones.
  db.pragma('synchronous = NORMAL');
  // Fewer checkpoints (each one syncs): a 40 MB write-ahead log before the pages are copied back.
  db.pragma('wal_autocheckpoint = 10000');
  // Keys are sha256 hex, so inserts land at random places in the key index: keep it in memory (64 MiB
  // of page cache; the default 2 MiB made every insert of a large sweep a page miss).
  db.pragma('cache_size = -65536');
}

function openDatabase(path: string, shownAs: string, readonly: boolean): Database.Database {
  try {
    return new Database(path, { readonly, fileMustExist: readonly });
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).message;
    throw new UsageError(`${shownAs}: cannot open the sweep database (${code})`, { cause: error });
  }
}

function notADatabase(file: string, error: unknown): SpecError {
  return new SpecError(file, '', `not a sweep database (${(error as Error).message})`, { cause: error });
}
