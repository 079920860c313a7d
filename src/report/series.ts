// The data behind every figure of the report, as named tables of plain rows: one series per figure, shared by
// the vega-lite specs, the CSV files and the Markdown summary so all three show the same numbers. This file
// holds the series type and the serving-projection figures; sweepSeries.ts, hierarchyResult.ts, fp8Error.ts
// and rtlResult.ts add the others.
import type { ProjectPhase, ProjectResult, ProjectRow, ProjectRun, ProjectSweep } from './projectResult.ts';

export type Cell = string | number;
export type Row = readonly Cell[];

export type SeriesKind = 'table4' | 'breakdown' | 'fetch' | 'sweep' | 'sweep-best' | 'pareto' | 'objective' | 'tiers' | 'links' | 'fp8' | 'rtl';

/** A plotted field: the column, its axis title, and whether its scale is logarithmic. */
export interface Axis {
  readonly field: string;
  readonly title: string;
  readonly log?: boolean;
  /** For an objective: whether larger or smaller is better. */
  readonly goal?: 'max' | 'min';
}

export interface Series {
  /** File-name-safe identifier: `table4`, `breakdown`, `sweep-table-size`, ... (unique within a report). */
  readonly name: string;
  readonly title: string;
  readonly kind: SeriesKind;
  /** A vega-lite chart, or a table (HTML and Markdown only); both get a CSV. */
  readonly display: 'chart' | 'table';
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
  /** What produced the figure, its inputs and seed; `figureProvenance` adds the project version. */
  readonly inputs: string;
  /** The rows drawn when a chart would hold too many points (large sweeps); the CSV always holds `rows`. */
  readonly plotRows?: readonly Row[];
  /** One more sentence for the caption (what a chart leaves out, how points were picked). */
  readonly note?: string;
  /** Axes of the generic charts (pareto, objective, fp8): x, y and the colour grouping. */
  readonly x?: Axis;
  readonly y?: Axis;
  readonly color?: Axis;
  /** Draw lines through each colour group's points (grids) rather than a scatter (random samplers). */
  readonly lines?: boolean;
  /** The serving-projection result behind a table4, breakdown or sweep figure. */
  readonly source?: ProjectResult;
}

/** Components of a run's wall time, in stacking order; they sum to the wall time. */
export const BREAKDOWN_COMPONENTS: readonly (readonly [string, (p: ProjectPhase) => number])[] = [
  ['GEMMs', (p) => p.gemmNs],
  ['attention', (p) => p.attentionNs],
  ['element-wise, head, sampler, launch', (p) => p.elementwiseNs + p.lmHeadNs + p.samplerNs + p.launchBoundNs],
  ['host: scheduler, inputs, launch, sync', (p) => p.hostSchedulerNs + p.hostPrefillPrepNs + p.hostLaunchNs + p.hostSyncNs],
  ['Engram compute', (p) => p.engramComputeNs],
  ['Engram fetch stalls', (p) => p.engramStallNs],
  ['Engram synchronisation', (p) => p.engramSyncNs],
];

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/\(.*?\)/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Hands out series names, numbering repeats (`table4`, `table4-2`, ...). */
export type UniqueName = (base: string) => string;

export function uniqueNames(): UniqueName {
  const used = new Map<string, number>();
  return (base) => {
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  };
}

/** Numbers for captions, tables and group labels: integers as they are, others to 4 significant digits. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return Math.abs(x) >= 1e6 && x % 1e3 === 0 ? x.toExponential().replace('e+', 'e') : String(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs >= 1e9 || abs < 1e-3)) return x.toExponential(3);
  return String(Number(x.toPrecision(4)));
}

/** A logarithmic scale pays off when every value is positive and they span at least `decades` decades. */
export function wantsLogScale(values: readonly number[], decades = 2): boolean {
  if (values.length === 0 || !values.every((v) => v > 0 && Number.isFinite(v))) return false;
  return Math.max(...values) / Math.min(...values) >= 10 ** decades;
}

function table4Rows(rows: readonly ProjectRow[]): Cell[][] {
  return rows.flatMap((r) => {
    const ours: Cell[][] = [
      [r.backbone, 'baseline', 'ours', r.baselineTokPerS],
      [r.backbone, '+Engram', 'ours', r.engramTokPerS],
    ];
    if (r.paper === null) return ours;
    return [[r.backbone, 'baseline', 'paper', r.paper.baselineTokPerS], ours[0]!, [r.backbone, '+Engram', 'paper', r.paper.engramTokPerS], ours[1]!];
  });
}

function breakdownRows(rows: readonly ProjectRow[]): Cell[][] {
  const runs: [string, ProjectRun][] = rows.flatMap((r) => [[r.backbone, r.breakdown.baseline] as [string, ProjectRun], [`${r.backbone} +Engram`, r.breakdown.engram] as [string, ProjectRun]]);
  return runs.flatMap(([configuration, run]) =>
    BREAKDOWN_COMPONENTS.map(([component, pick], order): Cell[] => [configuration, component, order, (pick(run.prefill) + pick(run.decode)) / 1e9]),
  );
}

/** Per backbone and phase: the mean Engram fetch of a step against the window that hides it, and the gather's bandwidth. */
function fetchRows(rows: readonly ProjectRow[]): Cell[][] {
  return rows.flatMap((r) => {
    const e = r.breakdown.engram.engram!;
    const gatherGBps = e.gatherNs > 0 ? e.bytes / e.gatherNs : 0;
    return [
      [r.backbone, 'prefill', e.meanPrefillFetchNs / 1e3, e.meanPrefillWindowNs / 1e3, gatherGBps, e.stalledSteps],
      [r.backbone, 'decode', e.meanDecodeFetchNs / 1e3, e.meanDecodeWindowNs / 1e3, gatherGBps, e.stalledSteps],
    ];
  });
}

function sweepRows(sweep: ProjectSweep): Cell[][] {
  return sweep.points.map((p) => [p.value, p.baselineTokPerS, p.engramTokPerS, p.penaltyPct]);
}

/** The serving-projection figures, in order: per Table 4 run its comparison and breakdown, per sweep its line. */
export function projectSeries(results: readonly ProjectResult[], unique: UniqueName = uniqueNames()): Series[] {
  const out: Series[] = [];
  for (const source of results) {
    const inputs = projectInputs(source);
    if (source.rows !== undefined) {
      out.push({
        name: unique('table4'),
        title: 'Serving throughput, paper (Table 4) against this projection',
        kind: 'table4',
        display: 'chart',
        columns: ['backbone', 'run', 'source', 'tokPerS'],
        rows: table4Rows(source.rows),
        inputs,
        source,
      });
      out.push({
        name: unique('breakdown'),
        title: 'Where the wall time goes, per configuration',
        kind: 'breakdown',
        display: 'chart',
        columns: ['configuration', 'component', 'order', 'seconds'],
        rows: breakdownRows(source.rows),
        inputs,
        source,
      });
    }
    if (source.rows !== undefined && source.rows.every((r) => r.breakdown.engram.engram !== null && r.breakdown.engram.engram !== undefined)) {
      const models = [...new Set(source.rows.map((r) => r.breakdown.engram.engram!.gatherModel))].join('; ');
      out.push({
        name: unique('fetch'),
        title: `Engram fetch per step against the window that hides it, table in ${source.inputs.tier}`,
        kind: 'fetch',
        display: 'chart',
        columns: ['backbone', 'phase', 'fetchUs', 'windowUs', 'gatherGBps', 'stalledSteps'],
        rows: fetchRows(source.rows),
        inputs,
        note:
          'Means over steps; fetch = hash + gather + transfer of a step\'s rows, window = the blocks before the first Engram layer (a fetch longer than its window stalls the step); ' +
          `gatherGBps = row bytes gathered over the run / gather time, from the table's tier through ${models}.`,
      });
    }
    if (source.sweep !== undefined) {
      out.push({
        name: unique(`sweep-${slug(source.sweep.parameter)}`),
        title: `Engram penalty against ${source.sweep.parameter}`,
        kind: 'sweep',
        display: 'chart',
        columns: [`value (${source.sweep.unit})`, 'baselineTokPerS', 'engramTokPerS', 'penaltyPct'],
        rows: sweepRows(source.sweep),
        inputs,
        source,
      });
    }
  }
  return out;
}

/** What produced a projection: backbones, target, config, tier, workload, mode and seed. */
export function projectInputs(result: ProjectResult): string {
  const i = result.inputs;
  const backbones = result.sweep !== undefined && result.rows === undefined ? i.backbones[0]!.name : i.backbones.map((b) => b.name).join(', ');
  return (
    `${backbones} on ${i.target.name}; ${i.config.name} in ${i.tier}` +
    `${i.hbmCacheBytes > 0 ? ` with ${(i.hbmCacheBytes / 1e9).toFixed(1)} GB HBM cache` : ''}; ${i.workload.numSeqs} sequences; ${i.mode}; seed ${i.seed}`
  );
}

/** One line naming what produced a projection figure: project version, then `projectInputs`. */
export function provenanceLine(result: ProjectResult, version: string): string {
  return `engram-codesign ${version}; ${projectInputs(result)}`;
}

/** The line every figure carries: the project version, then the series' inputs and seed. */
export function figureProvenance(series: Series, version: string): string {
  return `engram-codesign ${version}; ${series.inputs}`;
}
