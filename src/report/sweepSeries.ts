// The figures of a design-space sweep (a database written by `engram-dse sweep`, read by the CLI into a
// SweepReportInput): the sweep's inputs as facts, the best points (the Pareto front, best first), the frontier
// plot of the first two objectives, and each objective against each swept numeric parameter, one line per
// combination of the other swept parameters (throughput against table size per tier, for instance).
import { SpecError, showValue } from '../core/index.ts';
import { paretoFront, type SweepMeta } from '../dse/index.ts';
import type { ObjectiveGoal, SweepSpec } from '../spec/index.ts';
import { formatNumber, slug, wantsLogScale, type Cell, type Row, type Series, type UniqueName } from './series.ts';

/** One stored point with its JSON columns decoded (src/cli/workers/resultStore.ts holds the table layout). */
export interface SweepRow {
  readonly key: string;
  readonly idx: number;
  readonly point: Readonly<Record<string, number | string>>;
  /** 16 hex digits: the point's seed, the first 64 bits of its key. */
  readonly seed: string;
  readonly result: Readonly<Record<string, number | string>>;
  readonly error: string | null;
  readonly objectives: Readonly<Record<string, number | null>>;
  readonly feasible: boolean;
}

/** The database's meta table (what the sweep ran and on which inputs), without the stored spec text. */
export type SweepMetaInfo = Omit<SweepMeta, 'format' | 'spec'>;

export interface ObjectiveChoice {
  readonly name: string;
  readonly goal: ObjectiveGoal;
}

export interface SweepReportInput {
  /** The database as the user named it. */
  readonly file: string;
  readonly meta: SweepMetaInfo;
  readonly spec: SweepSpec;
  /** Every stored row, in enumeration order. */
  readonly rows: readonly SweepRow[];
  /** Objectives to plot; absent: the spec's own. */
  readonly objectives?: readonly ObjectiveChoice[];
  /** Where `objectives` came from, named in errors (`--objectives`). */
  readonly objectivesFrom?: string;
}

export type ObjectiveSource = 'objective' | 'result' | 'parameter';

export interface ResolvedObjective extends ObjectiveChoice {
  readonly source: ObjectiveSource;
}

/** Most points one chart draws; larger sweeps draw an even stride of them (every front point kept). */
export const MAX_PLOTTED_POINTS = 5000;
/** Most objective-against-parameter charts per sweep. */
export const MAX_OBJECTIVE_FIGURES = 12;
/** Most colour groups (lines) in one chart; more combinations draw a scatter coloured by one parameter. */
export const MAX_GROUPS = 12;
/** Rows of the best-points table on the page and in the Markdown (the CSV holds the whole front). */
export const BEST_TABLE_ROWS = 20;

/** Resolves each objective to a spec objective, a result field or a parameter, as `engram-dse pareto` does. */
export function resolveObjectives(sweep: SweepReportInput): ResolvedObjective[] {
  const from = sweep.objectivesFrom ?? '--objectives';
  const chosen = sweep.objectives ?? Object.entries(sweep.spec.objectives).map(([name, o]) => ({ name, goal: o.goal }));
  if (chosen.length === 0) throw new SpecError(sweep.file, from, `missing; the spec ${showValue(sweep.meta.specName)} names no objectives, so give NAME:max or NAME:min pairs`);
  const twice = chosen.find((c, i) => chosen.findIndex((d) => d.name === c.name) !== i);
  if (twice !== undefined) throw new SpecError(sweep.file, from, `${twice.name} is given twice; expected each name once`);
  const sample = sweep.rows.find((r) => r.error === null);
  return chosen.map((c) => {
    let source: ObjectiveSource | undefined;
    if (sweep.spec.objectives[c.name] !== undefined) source = 'objective';
    else if (sample?.result[c.name] !== undefined) source = 'result';
    else if (sweep.spec.parameters[c.name] !== undefined || sample?.point[c.name] !== undefined) source = 'parameter';
    if (source === undefined) {
      const known = [...Object.keys(sweep.spec.objectives).map((n) => `${n} (objective)`), ...Object.keys(sample?.result ?? {}), ...Object.keys(sample?.point ?? sweep.spec.parameters)];
      throw new SpecError(sweep.file, from, `unknown name ${showValue(c.name)}; expected one of ${known.join(', ')}`);
    }
    return { ...c, source };
  });
}

function valueOf(row: SweepRow, o: ResolvedObjective, file: string, from: string): number | null {
  const value = o.source === 'objective' ? row.objectives[o.name] : o.source === 'result' ? row.result[o.name] : row.point[o.name];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number') throw new SpecError(file, from, `${o.name} is not a number (${showValue(value)} at point ${row.key.slice(0, 12)}); expected a numeric objective, field or parameter`);
  return Number.isFinite(value) ? value : null;
}

/** Parameters that take more than one value among the stored points, in the spec's order. */
export function sweptParameters(sweep: SweepReportInput): string[] {
  return Object.keys(sweep.spec.parameters).filter((p) => new Set(sweep.rows.map((r) => r.point[p])).size > 1);
}

function samplerText(spec: SweepSpec): string {
  const s = spec.sampler;
  return s.kind === 'grid' ? 'grid (every combination)' : `${s.kind}, ${s.count} points, seed ${s.seed}`;
}

function parameterText(spec: SweepSpec, name: string): string {
  const p = spec.parameters[name]!;
  if (Array.isArray(p)) return `${name}: ${p.map((v) => (typeof v === 'number' ? formatNumber(v) : v)).join(', ')}`;
  const r = p as { from: number; to: number; step?: number; count?: number; scale: string; integer: boolean };
  const spacing = r.step !== undefined ? `step ${formatNumber(r.step)}` : r.count !== undefined ? `${r.count} values` : 'continuous';
  return `${name}: ${formatNumber(r.from)} to ${formatNumber(r.to)}, ${spacing}, ${r.scale}${r.integer ? ', integer' : ''}`;
}

/** Counts of the stored points by outcome. */
export function sweepCounts(sweep: SweepReportInput) {
  const errors = sweep.rows.filter((r) => r.error !== null).length;
  const feasible = sweep.rows.filter((r) => r.error === null && r.feasible).length;
  return { stored: sweep.rows.length, errors, feasible, infeasible: sweep.rows.length - errors - feasible };
}

/** The sweep's inputs as (label, value) pairs, for the page and the Markdown. */
export function sweepFacts(sweep: SweepReportInput): [string, string][] {
  const m = sweep.meta;
  const spec = sweep.spec;
  const c = sweepCounts(sweep);
  const objectives = Object.entries(spec.objectives).map(([name, o]) => `${name} = ${o.expression} (${o.goal})`);
  return [
    ['database', `${sweep.file} (shards ${m.shards.join(', ')})`],
    ['spec', `${m.specName} from ${m.specFile}, sha256 ${m.specSha256.slice(0, 16)}: ${spec.description}`],
    ['evaluator', `${m.evaluator} version ${m.evaluatorVersion}; inputs (targets, configurations, costs) sha256 ${m.contextSha256.slice(0, 16)}`],
    ['sampler', samplerText(spec)],
    ['parameters', Object.keys(spec.parameters).map((p) => parameterText(spec, p)).join('; ')],
    ['objectives', objectives.length > 0 ? objectives.join('; ') : 'none in the spec'],
    ['constraints', spec.constraints.length > 0 ? spec.constraints.join('; ') : 'none'],
    ['points', `${m.samplerCount} enumerated, ${c.stored} stored: ${c.feasible} feasible, ${c.infeasible} infeasible, ${c.errors} rejected by the model`],
    ['seeds', `each point's seed is the first 64 bits of the sha256 of its canonical JSON (the seed column of the CSVs)${spec.sampler.kind === 'grid' ? '' : `; sampler seed ${spec.sampler.seed}`}`],
  ];
}

/** One line naming what produced a sweep figure: the spec, evaluator and version, sampler, points and seeds. */
export function sweepInputs(sweep: SweepReportInput): string {
  const m = sweep.meta;
  const spec = sweep.spec;
  const seed = spec.sampler.kind === 'grid' ? 'per-point seeds from point content' : `sampler seed ${spec.sampler.seed}, per-point seeds from point content`;
  return `sweep ${m.specName} (${sweep.file}); evaluator ${m.evaluator} version ${m.evaluatorVersion}; ${spec.sampler.kind} sampler, ${sweep.rows.length} of ${m.samplerCount} points stored; ${seed}`;
}

/** Every `step`-th row, keeping the rows `keep` marks: at most about `limit` rows, in their order. */
function thin(rows: readonly Row[], limit: number, keep: (row: Row) => boolean = () => false): readonly Row[] | undefined {
  if (rows.length <= limit) return undefined;
  const step = Math.ceil(rows.length / limit);
  return rows.filter((row, i) => i % step === 0 || keep(row));
}

function goalText(o: ObjectiveChoice): string {
  return `${o.name} (${o.goal})`;
}

function cellOf(value: number | string | undefined): Cell {
  return value === undefined ? '' : value;
}

interface Candidate {
  readonly row: SweepRow;
  readonly values: readonly number[];
}

/** Best first on the first objective, then the next (the order `engram-dse pareto` prints). */
function compareBest(a: readonly number[], b: readonly number[], goals: readonly ObjectiveGoal[]): number {
  for (let j = 0; j < goals.length; j++) if (a[j] !== b[j]) return goals[j] === 'max' ? b[j]! - a[j]! : a[j]! - b[j]!;
  return 0;
}

/** The sweep's figures: best points (a table), the Pareto frontier and each objective against each swept parameter. */
export function sweepSeries(sweep: SweepReportInput, unique: UniqueName): Series[] {
  const objectives = resolveObjectives(sweep);
  const from = sweep.objectivesFrom ?? '--objectives';
  const swept = sweptParameters(sweep);
  const parameters = Object.keys(sweep.spec.parameters);
  const inputs = sweepInputs(sweep);
  const base = slug(sweep.meta.specName);
  const feasible = sweep.rows.filter((r) => r.error === null && r.feasible);
  const candidates: Candidate[] = [];
  let nonFinite = 0;
  for (const row of feasible) {
    const values = objectives.map((o) => valueOf(row, o, sweep.file, from));
    if (values.some((v) => v === null)) nonFinite++;
    else candidates.push({ row, values: values as number[] });
  }
  const goals = objectives.map((o) => o.goal);
  const frontIdx = paretoFront(candidates.map((c) => c.values), goals);
  const onFront = new Set(frontIdx.map((i) => candidates[i]!.row.key));
  const front = frontIdx.map((i) => candidates[i]!).sort((a, b) => compareBest(a.values, b.values, goals) || a.row.idx - b.row.idx);
  const excluded = `${feasible.length} feasible of ${sweep.rows.length} stored points${nonFinite > 0 ? `, ${nonFinite} left out for a non-finite objective` : ''}`;

  const out: Series[] = [
    {
      name: unique(`${base}-best`),
      title: `Best points of sweep ${sweep.meta.specName}: the Pareto front on ${objectives.map(goalText).join(', ')}, best first`,
      kind: 'sweep-best',
      display: 'table',
      columns: ['rank', ...objectives.map((o) => o.name), ...parameters, 'key', 'seed'],
      rows: front.map((c, i): Cell[] => [i + 1, ...c.values, ...parameters.map((p) => cellOf(c.row.point[p])), c.row.key.slice(0, 12), c.row.seed]),
      inputs,
      note: `${front.length} non-dominated of ${candidates.length} points (${excluded}); ${front.length > BEST_TABLE_ROWS ? `the first ${BEST_TABLE_ROWS} shown, ` : ''}all in the CSV.`,
    },
  ];

  if (objectives.length >= 2 && candidates.length > 0) {
    const [ox, oy] = objectives as [ResolvedObjective, ResolvedObjective];
    const extra = swept.filter((p) => !objectives.some((o) => o.name === p));
    const rows = candidates.map((c): Cell[] => [c.row.key.slice(0, 12), ...c.values, onFront.has(c.row.key) ? 'Pareto front' : 'dominated', ...extra.map((p) => cellOf(c.row.point[p]))]);
    const plotRows = thin(rows, MAX_PLOTTED_POINTS, (r) => r[objectives.length + 1] === 'Pareto front');
    out.push({
      name: unique(`${base}-pareto`),
      title: `Pareto frontier of sweep ${sweep.meta.specName}: ${goalText(oy)} against ${goalText(ox)}`,
      kind: 'pareto',
      display: 'chart',
      columns: ['key', ...objectives.map((o) => o.name), 'set', ...extra],
      rows,
      inputs,
      x: { field: ox.name, title: goalText(ox), goal: ox.goal, log: wantsLogScale(candidates.map((c) => c.values[0]!)) },
      y: { field: oy.name, title: goalText(oy), goal: oy.goal, log: wantsLogScale(candidates.map((c) => c.values[1]!)) },
      color: { field: 'set', title: 'point' },
      // The front of two objectives is a staircase worth joining; with more, its projection is not.
      lines: objectives.length === 2,
      note:
        `${front.length} front points of ${candidates.length} (${excluded})` +
        (objectives.length > 2 ? `; front on all ${objectives.length} objectives, drawn on the first two` : '') +
        (plotRows !== undefined ? `; ${plotRows.length} points drawn (every front point and an even stride of the rest), all in the CSV` : '') +
        '.',
      ...(plotRows === undefined ? {} : { plotRows }),
    });
  }

  const numeric = swept.filter((p) => sweep.rows.every((r) => typeof r.point[p] === 'number'));
  const figures: Series[] = [];
  for (const [j, o] of objectives.entries()) {
    // A parameter chosen as an objective is an axis already; plotting it against another parameter shows the grid.
    if (o.source === 'parameter') continue;
    for (const x of numeric) {
      figures.push(objectiveSeries(sweep, candidates, j, o, x, swept, inputs, unique, base));
    }
  }
  if (figures.length > MAX_OBJECTIVE_FIGURES) {
    const kept = figures.slice(0, MAX_OBJECTIVE_FIGURES);
    const last = kept[kept.length - 1]!;
    kept[kept.length - 1] = { ...last, note: `${last.note ?? ''} ${figures.length - MAX_OBJECTIVE_FIGURES} more objective/parameter pairs not drawn (use --objectives to choose).`.trim() };
    out.push(...kept);
  } else out.push(...figures);
  return out;
}

function label(name: string, value: number | string | undefined): string {
  return `${name}=${typeof value === 'number' ? formatNumber(value) : (value ?? '')}`;
}

function objectiveSeries(
  sweep: SweepReportInput,
  candidates: readonly Candidate[],
  j: number,
  o: ResolvedObjective,
  x: string,
  swept: readonly string[],
  inputs: string,
  unique: UniqueName,
  base: string,
): Series {
  const others = swept.filter((p) => p !== x);
  const groupOf = (row: SweepRow) => others.map((p) => label(p, row.point[p])).join(', ');
  const groups = new Set(candidates.map((c) => groupOf(c.row)));
  let colour: string | undefined;
  let lines = false;
  let groupNote: string;
  let group: (row: SweepRow) => string;
  if (others.length === 0) {
    group = () => '';
    lines = sweep.spec.sampler.kind === 'grid';
    groupNote = '';
  } else if (groups.size <= MAX_GROUPS) {
    group = groupOf;
    colour = others.join(', ');
    lines = sweep.spec.sampler.kind === 'grid';
    groupNote = `one ${lines ? 'line' : 'colour'} per combination of ${others.join(', ')}`;
  } else {
    // Too many combinations for a legend: colour by the first named (text-valued) parameter, if any.
    const byName = others.find((p) => candidates.some((c) => typeof c.row.point[p] === 'string'));
    colour = byName;
    group = byName === undefined ? () => '' : (row) => String(row.point[byName]);
    groupNote = `${groups.size} combinations of ${others.join(', ')}${byName === undefined ? '' : `, coloured by ${byName}`}`;
  }
  const sorted = [...candidates].sort((a, b) => (a.row.point[x] as number) - (b.row.point[x] as number) || a.row.idx - b.row.idx);
  const rows = sorted.map((c): Cell[] => [c.row.point[x] as number, c.values[j]!, group(c.row), c.row.key.slice(0, 12)]);
  const plotRows = thin(rows, MAX_PLOTTED_POINTS);
  const notes = [
    `${candidates.length} feasible points`,
    groupNote,
    plotRows !== undefined ? `${plotRows.length} drawn (an even stride), all in the CSV` : '',
  ].filter((t) => t !== '');
  return {
    name: unique(`${base}-${slug(o.name)}-vs-${slug(x)}`),
    title: `${o.name} against ${x}${colour === undefined ? '' : ` per ${colour}`} (sweep ${sweep.meta.specName})`,
    kind: 'objective',
    display: 'chart',
    columns: [x, o.name, 'group', 'key'],
    rows,
    inputs,
    x: { field: x, title: x, log: wantsLogScale(rows.map((r) => r[0] as number)) },
    y: { field: o.name, title: goalText(o), goal: o.goal, log: wantsLogScale(rows.map((r) => r[1] as number), 3) },
    ...(colour === undefined ? {} : { color: { field: 'group', title: colour } }),
    lines,
    note: `${notes.join('; ')}.`,
    ...(plotRows === undefined ? {} : { plotRows }),
  };
}
