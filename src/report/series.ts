// The data behind every figure of the project report, as named tables of plain rows: one series per figure,
// shared by the vega-lite specs, the CSV files and the Markdown summary so all three show the same numbers.
import type { ProjectPhase, ProjectResult, ProjectRow, ProjectRun, ProjectSweep } from './projectResult.ts';

export type Cell = string | number;

export interface Series {
  /** File-name-safe identifier: `table4`, `breakdown`, `sweep-table-size`, ... (unique within a report). */
  readonly name: string;
  readonly title: string;
  readonly kind: 'table4' | 'breakdown' | 'sweep';
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** The result the series came from (its inputs and seed label the figure). */
  readonly source: ProjectResult;
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

function sweepRows(sweep: ProjectSweep): Cell[][] {
  return sweep.points.map((p) => [p.value, p.baselineTokPerS, p.engramTokPerS, p.penaltyPct]);
}

/** Every plotted series of the results, in order: per Table 4 run its comparison and breakdown, per sweep its line. */
export function reportSeries(results: readonly ProjectResult[]): Series[] {
  const out: Series[] = [];
  const used = new Map<string, number>();
  const unique = (base: string) => {
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  };
  for (const source of results) {
    if (source.rows !== undefined) {
      out.push({
        name: unique('table4'),
        title: 'Serving throughput, paper (Table 4) against this projection',
        kind: 'table4',
        columns: ['backbone', 'run', 'source', 'tokPerS'],
        rows: table4Rows(source.rows),
        source,
      });
      out.push({
        name: unique('breakdown'),
        title: 'Where the wall time goes, per configuration',
        kind: 'breakdown',
        columns: ['configuration', 'component', 'order', 'seconds'],
        rows: breakdownRows(source.rows),
        source,
      });
    }
    if (source.sweep !== undefined) {
      out.push({
        name: unique(`sweep-${slug(source.sweep.parameter)}`),
        title: `Engram penalty against ${source.sweep.parameter}`,
        kind: 'sweep',
        columns: [`value (${source.sweep.unit})`, 'baselineTokPerS', 'engramTokPerS', 'penaltyPct'],
        rows: sweepRows(source.sweep),
        source,
      });
    }
  }
  return out;
}

/** One line naming what produced a figure: project version, target, config, tier, workload, mode and seed. */
export function provenanceLine(result: ProjectResult, version: string): string {
  const i = result.inputs;
  const backbones = result.sweep !== undefined && result.rows === undefined ? i.backbones[0]!.name : i.backbones.map((b) => b.name).join(', ');
  return (
    `engram-codesign ${version}; ${backbones} on ${i.target.name}; ${i.config.name} in ${i.tier}` +
    `${i.hbmCacheBytes > 0 ? ` with ${(i.hbmCacheBytes / 1e9).toFixed(1)} GB HBM cache` : ''}; ${i.workload.numSeqs} sequences; ${i.mode}; seed ${i.seed}`
  );
}
