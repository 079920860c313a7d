// Everything a report can show, grouped into the page's sections in a fixed order: serving projection results,
// sweep databases, memory-hierarchy runs, FP8 error against K and the RTL cost table. Each section has its facts
// (inputs shown as a table) and its series; series names are unique across the whole report.
import type { Fp8ErrorTable } from './fp8Error.ts';
import { fp8Series } from './fp8Error.ts';
import { hierarchySeries, type HierarchyInput } from './hierarchyResult.ts';
import type { ProjectResult } from './projectResult.ts';
import { rtlSeries, type RtlInput } from './rtlResult.ts';
import { projectSeries, uniqueNames, type Series } from './series.ts';
import { sweepFacts, sweepSeries, type SweepReportInput } from './sweepSeries.ts';

export interface ReportInputs {
  /** Results of `engram-dse project` (Table 4 runs and --sweep runs). */
  readonly projects?: readonly ProjectResult[];
  /** Sweep databases (`engram-dse sweep`), read by the CLI. */
  readonly sweeps?: readonly SweepReportInput[];
  /** Runs of `engram-dse hierarchy --json`. */
  readonly hierarchies?: readonly HierarchyInput[];
  /** FP8 error against K, computed by the CLI with src/fp8 (absent: no FP8 figure). */
  readonly fp8?: Fp8ErrorTable;
  /** Outputs of `engram-dse rtl report --json`. */
  readonly rtl?: readonly RtlInput[];
}

export interface ReportSection {
  /** Anchor id on the page. */
  readonly id: string;
  readonly title: string;
  /** Inputs shown as a two-column table before the figures. */
  readonly facts: readonly (readonly [string, string])[];
  /** Longer text shown folded (a sweep's spec). */
  readonly details?: { readonly summary: string; readonly text: string };
  readonly series: readonly Series[];
}

/** The report's sections, in page order; sections without inputs are left out. */
export function reportSections(inputs: ReportInputs): ReportSection[] {
  const unique = uniqueNames();
  const sections: ReportSection[] = [];
  const projects = inputs.projects ?? [];
  if (projects.length > 0) {
    const sources = [...new Set(projects.map((r) => r.paperSource).filter((s): s is string => s !== undefined))];
    sections.push({
      id: 'projection',
      title: 'Serving projection',
      facts: [['model', 'the serving projection of arXiv 2601.07372 (§6.4): nano-vLLM scheduling, per-step device, host and Engram-fetch cost'], ...sources.map((s): [string, string] => ['paper numbers', s])],
      series: projectSeries(projects, unique),
    });
  }
  for (const [i, sweep] of (inputs.sweeps ?? []).entries()) {
    sections.push({
      id: `sweep-${i + 1}`,
      title: `Design-space sweep ${sweep.meta.specName}`,
      facts: sweepFacts(sweep),
      details: { summary: 'sweep spec (as stored, defaults filled in)', text: JSON.stringify(sweep.spec, null, 2) },
      series: sweepSeries(sweep, unique),
    });
  }
  for (const [i, h] of (inputs.hierarchies ?? []).entries()) {
    sections.push({
      id: `hierarchy-${i + 1}`,
      title: `Memory hierarchy: ${h.result.system}`,
      facts: [
        ['run', h.file],
        ['workload', h.result.workload],
        ['transfer', `${h.result.transfer}; prefetch ${h.result.prefetchNs} ns; ${h.result.profile}`],
      ],
      series: hierarchySeries(h, unique),
    });
  }
  if (inputs.fp8 !== undefined) {
    sections.push({ id: 'fp8', title: 'FP8 accumulation error', facts: [], series: [fp8Series(inputs.fp8, unique)] });
  }
  const rtl = inputs.rtl ?? [];
  if (rtl.length > 0) sections.push({ id: 'rtl', title: 'RTL cost', facts: rtl.map((r): [string, string] => [r.file, `${r.report.command} (${r.report.yosys})`]), series: [rtlSeries(rtl, unique)] });
  return sections;
}

/** Every series of the report, in page order. */
export function reportSeries(inputs: ReportInputs): Series[] {
  return reportSections(inputs).flatMap((s) => s.series);
}
