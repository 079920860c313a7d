// `engram-dse pareto DB --objectives name:max,name:min`: the feasible points of a stored sweep that no other
// point beats on every objective (src/dse/pareto.ts). Names are the spec's objectives, result fields or parameters.
import type { Command } from 'commander';
import path from 'node:path';
import { showValue } from '../../core/index.ts';
import { paretoFront } from '../../dse/index.ts';
import { OBJECTIVE_GOALS, type ObjectiveGoal, type SweepSpec } from '../../spec/index.ts';
import type { CliIo } from '../context.ts';
import { UsageError } from '../parse.ts';
import { SweepStore } from '../workers/resultStore.ts';

interface ParetoOptions {
  objectives?: ObjectiveChoice[];
  json?: boolean;
}

interface ObjectiveChoice {
  readonly name: string;
  readonly goal: ObjectiveGoal;
}

type Source = 'objective' | 'result' | 'parameter';

interface Candidate {
  readonly key: string;
  readonly idx: number;
  readonly point: Record<string, number | string>;
  readonly result: Record<string, number | string>;
  readonly values: number[];
}

export function parseObjectives(text: string): ObjectiveChoice[] {
  const parts = text.split(',').map((s) => s.trim());
  return parts.map((part, i) => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*):(max|min)$/.exec(part);
    if (match === null) throw new UsageError(`--objectives[${i}]: expected NAME:max or NAME:min, got ${showValue(part)}`);
    return { name: match[1]!, goal: match[2] as ObjectiveGoal };
  });
}

export function register(program: Command, io: CliIo): void {
  program
    .command('pareto')
    .description('the non-dominated (Pareto-optimal) feasible points of a sweep database')
    .argument('<db>', 'database written by engram-dse sweep or merge')
    .option('--objectives <list>', `comma-separated NAME:${OBJECTIVE_GOALS.join('|')}; NAME is a spec objective, a result field or a parameter (default: the spec's objectives)`, parseObjectives)
    .option('--json', 'machine-readable output')
    .action((db: string, opts: ParetoOptions) => run(db, opts, io));
}

function run(db: string, opts: ParetoOptions, io: CliIo): void {
  const store = SweepStore.openReadOnly(path.resolve(io.cwd, db), db);
  try {
    const meta = store.meta()!;
    const spec = JSON.parse(meta.spec) as SweepSpec;
    const chosen = opts.objectives ?? Object.entries(spec.objectives).map(([name, o]) => ({ name, goal: o.goal }));
    if (chosen.length === 0) throw new UsageError(`--objectives: missing; the spec of ${db} names no objectives, so give NAME:max or NAME:min pairs`);
    const duplicate = chosen.find((c, i) => chosen.findIndex((d) => d.name === c.name) !== i);
    if (duplicate !== undefined) throw new UsageError(`--objectives: ${duplicate.name} is given twice; expected each name once`);

    const counts = { stored: 0, modelErrors: 0, infeasible: 0, nonFinite: 0 };
    const candidates: Candidate[] = [];
    let sources: Source[] | undefined;
    for (const row of store.rows()) {
      counts.stored++;
      if (row.error !== null) {
        counts.modelErrors++;
        continue;
      }
      if (row.feasible !== 1) {
        counts.infeasible++;
        continue;
      }
      const point = JSON.parse(row.point) as Record<string, number | string>;
      const result = JSON.parse(row.result) as Record<string, number | string>;
      const objectives = JSON.parse(row.objectives) as Record<string, number | null>;
      sources ??= chosen.map((c) => sourceOf(c.name, spec, point, result, db));
      const values = chosen.map((c, j) => valueOf(c.name, sources![j]!, objectives, result, point, row.key));
      if (values.some((v) => v === null)) {
        counts.nonFinite++;
        continue;
      }
      candidates.push({ key: row.key, idx: row.idx, point, result, values: values as number[] });
    }
    const goals = chosen.map((c) => c.goal);
    const front = paretoFront(candidates.map((c) => c.values), goals)
      .map((i) => candidates[i]!)
      .sort((a, b) => compareBest(a.values, b.values, goals) || a.idx - b.idx);
    const summary = { db, spec: meta.specName, objectives: chosen.map((c, j) => ({ ...c, source: sources?.[j] ?? null })), ...counts, considered: candidates.length, front };
    io.out(opts.json === true ? `${JSON.stringify(jsonOf(summary), null, 2)}\n` : describe(summary, chosen));
  } finally {
    store.close();
  }
}

/** Where a name's values come from; resolved on the first feasible row (all rows share the same fields). */
function sourceOf(name: string, spec: SweepSpec, point: Record<string, unknown>, result: Record<string, unknown>, db: string): Source {
  if (spec.objectives[name] !== undefined) return 'objective';
  if (result[name] !== undefined) return 'result';
  if (point[name] !== undefined) return 'parameter';
  const known = [...Object.keys(spec.objectives).map((n) => `${n} (objective)`), ...Object.keys(result), ...Object.keys(point)];
  throw new UsageError(`--objectives: unknown name ${showValue(name)} in ${db}; expected one of ${known.join(', ')}`);
}

function valueOf(name: string, source: Source, objectives: Record<string, number | null>, result: Record<string, unknown>, point: Record<string, unknown>, key: string): number | null {
  const value = source === 'objective' ? objectives[name] : source === 'result' ? result[name] : point[name];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number') throw new UsageError(`--objectives: ${name} is not a number (${showValue(value)} at point ${key.slice(0, 12)}); expected a numeric objective, field or parameter`);
  return Number.isFinite(value) ? value : null;
}

/** Best first on the first objective, then the next... */
function compareBest(a: readonly number[], b: readonly number[], goals: readonly ObjectiveGoal[]): number {
  for (let j = 0; j < goals.length; j++) {
    if (a[j] !== b[j]) return goals[j] === 'max' ? b[j]! - a[j]! : a[j]! - b[j]!;
  }
  return 0;
}

type Summary = {
  db: string;
  spec: string;
  objectives: { name: string; goal: ObjectiveGoal; source: Source | null }[];
  stored: number;
  modelErrors: number;
  infeasible: number;
  nonFinite: number;
  considered: number;
  front: Candidate[];
};

function jsonOf(s: Summary) {
  return {
    ...s,
    front: s.front.map((c) => ({ key: c.key, point: c.point, objectives: Object.fromEntries(s.objectives.map((o, j) => [o.name, c.values[j]])), result: c.result })),
  };
}

/** Integers as they are; others with 4 significant digits, in exponent form when very large or small. */
export function formatNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs >= 1e9 || abs < 1e-3)) return x.toExponential(3);
  return String(Number(x.toPrecision(4)));
}

function describe(s: Summary, chosen: readonly ObjectiveChoice[]): string {
  const parameters = s.front.length > 0 ? Object.keys(s.front[0]!.point).sort() : [];
  const header = [...chosen.map((c) => `${c.name} (${c.goal})`), ...parameters, 'key'];
  const rows = s.front.map((c) => [...c.values.map(formatNumber), ...parameters.map((p) => { const v = c.point[p]!; return typeof v === 'number' ? formatNumber(v) : v; }), c.key.slice(0, 12)]);
  const numeric = header.map((_, col) => rows.length > 0 && rows.every((r) => /^-?[\d.]+(e[+-]\d+)?$/.test(r[col]!)));
  const excluded = [
    s.infeasible > 0 ? `${s.infeasible} infeasible` : '',
    s.modelErrors > 0 ? `${s.modelErrors} rejected by the model` : '',
    s.nonFinite > 0 ? `${s.nonFinite} with a non-finite objective` : '',
  ].filter((t) => t !== '');
  const title =
    `Pareto front of ${s.spec} (${s.db}): ${s.front.length} of ${s.considered} feasible points` +
    (excluded.length > 0 ? ` (${s.stored} stored; left out: ${excluded.join(', ')})` : '');
  if (rows.length === 0) return `${title}\n`;
  return `${title}\n${align([header, ...rows], numeric)}\n`;
}

function align(table: readonly (readonly string[])[], rightAligned: readonly boolean[]): string {
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  return table.map((row) => `  ${row.map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd()}`).join('\n');
}
