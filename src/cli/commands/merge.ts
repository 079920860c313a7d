// `engram-dse merge OUT.db IN.db...`: combines the databases of one sweep's shards (or of repeated runs) into
// OUT. Points are matched by key; the same key with different content anywhere is an error naming the key.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { showValue } from '../../core/index.ts';
import type { CliIo } from '../context.ts';
import { UsageError } from '../parse.ts';
import { CONTENT_COLUMNS, SweepStore, type SweepMeta } from '../workers/resultStore.ts';

interface MergeOptions {
  json?: boolean;
}

/** Fields every input must share: the same spec, evaluator version and evaluator inputs give the same results. */
const SHARED_FIELDS = ['specSha256', 'evaluator', 'evaluatorVersion', 'contextSha256'] as const satisfies readonly (keyof SweepMeta)[];

export function register(program: Command, io: CliIo): void {
  program
    .command('merge')
    .description('combine sweep databases (e.g. the shards of a Slurm job array) into OUT; conflicting results for a point are an error')
    .argument('<out>', 'database to create or add to')
    .argument('<inputs...>', 'databases written by engram-dse sweep (or by an earlier merge)')
    .option('--json', 'machine-readable summary')
    .action((out: string, inputs: string[], opts: MergeOptions) => run(out, inputs, opts, io));
}

function run(out: string, inputs: readonly string[], opts: MergeOptions, io: CliIo): void {
  const outPath = path.resolve(io.cwd, out);
  const inputPaths = inputs.map((file) => path.resolve(io.cwd, file));
  const self = inputPaths.findIndex((p) => p === outPath);
  if (self >= 0) throw new UsageError(`merge: ${inputs[self]} is both OUT and an input; expected OUT to be another file`);
  for (const [i, p] of inputPaths.entries()) {
    if (!existsSync(p)) throw new UsageError(`merge: ${showValue(inputs[i])}: no such file`);
  }
  const metas = inputs.map((file, i) => {
    const store = SweepStore.openReadOnly(inputPaths[i]!, file);
    try {
      return store.meta()!;
    } finally {
      store.close();
    }
  });
  const reference = { meta: metas[0]!, file: inputs[0]! };
  metas.forEach((meta, i) => checkSameSweep(reference, { meta, file: inputs[i]! }));

  const store = SweepStore.openWritable(outPath, out);
  try {
    // INSERT OR IGNORE below relies on the unique key index (a file left by a killed sweep has none yet).
    store.ensureKeyIndex();
    const existing = store.meta();
    if (existing !== undefined) checkSameSweep(reference, { meta: existing, file: out });
    const shards = [...new Set([...(existing?.shards ?? []), ...metas.flatMap((m) => m.shards)])].sort(compareShards);
    store.writeMeta({ ...(existing ?? reference.meta), shards });
    const before = store.count();
    const perInput = inputs.map((file, i) => ({ file, ...mergeOne(store, inputPaths[i]!, file, out) }));
    const summary = { out, before, after: store.count(), inputs: perInput, shards, everyShard: coversAllShards(shards) };
    io.out(opts.json === true ? `${JSON.stringify(summary, null, 2)}\n` : describe(summary));
  } finally {
    store.close();
  }
}

function checkSameSweep(reference: { meta: SweepMeta; file: string }, other: { meta: SweepMeta; file: string }): void {
  for (const field of SHARED_FIELDS) {
    if (reference.meta[field] !== other.meta[field]) {
      throw new UsageError(
        `merge: ${other.file} is not the same sweep as ${reference.file}: ${field} ${showValue(other.meta[field])} against ${showValue(reference.meta[field])}; expected databases of one spec, evaluator version and inputs`,
      );
    }
  }
}

/** Adds one input's rows in a single transaction; throws (and adds nothing) on the first conflicting key. */
function mergeOne(store: SweepStore, inputPath: string, file: string, out: string): { rows: number; added: number; identical: number } {
  const db = store.db;
  db.prepare('ATTACH DATABASE ? AS input').run(inputPath);
  try {
    return db.transaction(() => {
      const differs = CONTENT_COLUMNS.map((c) => `a.${c} IS NOT b.${c}`).join(' OR ');
      const conflict = db.prepare(`SELECT a.*, ${CONTENT_COLUMNS.map((c) => `b.${c} AS in_${c}`).join(', ')} FROM main.points a JOIN input.points b ON a.key = b.key WHERE ${differs} LIMIT 1`).get() as
        | Record<string, unknown>
        | undefined;
      if (conflict !== undefined) {
        const column = CONTENT_COLUMNS.find((c) => conflict[c] !== conflict[`in_${c}`])!;
        throw new UsageError(
          `merge: conflicting results for point ${conflict.key as string} ${cut(conflict.point)}: ${column} is ${cut(conflict[`in_${column}`])} in ${file} but ${cut(conflict[column])} in ${out}; expected equal results for equal points`,
        );
      }
      const rows = (db.prepare('SELECT COUNT(*) AS n FROM input.points').get() as { n: number }).n;
      const added = db.prepare('INSERT OR IGNORE INTO main.points SELECT key, idx, point, seed, result, error, objectives, feasible, evaluatorVersion FROM input.points').run().changes;
      // A point drawn twice by a random sampler lands in two shards under two indices; keep the first, as one run would.
      db.prepare('UPDATE main.points AS a SET idx = b.idx FROM input.points AS b WHERE a.key = b.key AND b.idx < a.idx').run();
      return { rows, added, identical: rows - added };
    })();
  } finally {
    db.prepare('DETACH DATABASE input').run();
  }
}

/** Stored JSON text as it is (no second quoting), cut to a readable length. */
function cut(value: unknown): string {
  const text = typeof value === 'string' ? value : showValue(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

function compareShards(a: string, b: string): number {
  const [ak, an] = a.split('/').map(Number) as [number, number];
  const [bk, bn] = b.split('/').map(Number) as [number, number];
  return an - bn || ak - bk;
}

/** Whether the shards include every K of some N (or the whole sweep, 1/1). */
function coversAllShards(shards: readonly string[]): boolean {
  const byCount = new Map<number, Set<number>>();
  for (const s of shards) {
    const [k, n] = s.split('/').map(Number) as [number, number];
    byCount.set(n, (byCount.get(n) ?? new Set()).add(k));
  }
  return [...byCount].some(([n, ks]) => ks.size === n);
}

function describe(s: { out: string; before: number; after: number; inputs: { file: string; rows: number; added: number; identical: number }[]; shards: string[]; everyShard: boolean }): string {
  const lines = s.inputs.map((i) => `  ${i.file}: ${i.rows} points, ${i.added} added, ${i.identical} already there with equal results`);
  return (
    `merged ${s.inputs.length} database${s.inputs.length > 1 ? 's' : ''} into ${s.out}: ${s.before} -> ${s.after} points\n${lines.join('\n')}\n` +
    `  shards: ${s.shards.join(', ')}${s.everyShard ? ' (every shard present)' : ' (some shards missing)'}\n`
  );
}
