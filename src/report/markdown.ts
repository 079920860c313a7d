// The Markdown summary of the report: per Table 4 run the throughput table and the time breakdown, per sweep
// its penalty table, each with the line naming its inputs and seed, and the CSV file behind each figure.
import { provenanceLine, reportSeries, type Cell, type Series } from './series.ts';
import type { ProjectResult } from './projectResult.ts';

const fixed = (n: number, digits = 2) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, c) => (c === 0 ? '---' : '---:'));
  return [header, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function table4Section(s: Series): string[] {
  const rows = s.source.rows!;
  return [
    table(
      ['backbone', 'baseline paper', 'baseline ours', '+Engram paper', '+Engram ours', 'penalty paper', 'penalty ours'],
      rows.map((r) => [
        r.backbone,
        r.paper === null ? '-' : fixed(r.paper.baselineTokPerS),
        fixed(r.baselineTokPerS),
        r.paper === null ? '-' : fixed(r.paper.engramTokPerS),
        fixed(r.engramTokPerS),
        r.paper === null ? '-' : `${r.paper.penaltyPct.toFixed(2)}%`,
        `${r.penaltyPct.toFixed(2)}%`,
      ]),
    ),
    '',
    'Output tokens per second.',
  ];
}

function breakdownSection(s: Series): string[] {
  const configurations = [...new Set(s.rows.map((r) => r[0] as string))];
  const components = [...new Set(s.rows.map((r) => r[1] as string))];
  const at = (configuration: string, component: string): Cell => s.rows.find((r) => r[0] === configuration && r[1] === component)![3]!;
  const wall = (configuration: string) => s.rows.filter((r) => r[0] === configuration).reduce((sum, r) => sum + (r[3] as number), 0);
  return [
    table(
      ['component (s)', ...configurations],
      [...components.map((c) => [c, ...configurations.map((k) => (at(k, c) as number).toFixed(3))]), ['wall', ...configurations.map((k) => wall(k).toFixed(3))]],
    ),
  ];
}

function sweepSection(s: Series): string[] {
  const sweep = s.source.sweep!;
  return [
    table(
      [`${sweep.parameter} (${sweep.unit})`, 'baseline tok/s', '+Engram tok/s', 'penalty'],
      sweep.points.map((p) => [p.value.toLocaleString('en-US'), fixed(p.baselineTokPerS), fixed(p.engramTokPerS), `${p.penaltyPct.toFixed(2)}%`]),
    ),
  ];
}

/** Renders the results as Markdown; the figures themselves are in report.html, their data in <series>.csv. */
export function renderReportMarkdown(results: readonly ProjectResult[], options: { readonly version: string }): string {
  const series = reportSeries(results);
  const lines = ['# Engram serving projection report', '', `engram-codesign ${options.version}; figures in report.html, data in one CSV per figure.`];
  for (const source of new Set(results.map((r) => r.paperSource).filter((p): p is string => p !== undefined))) lines.push('', `Paper numbers: ${source}`);
  series.forEach((s, i) => {
    lines.push('', `## Figure ${i + 1}: ${s.title}`, '', `${provenanceLine(s.source, options.version)}. Data: \`${s.name}.csv\`.`, '');
    if (s.kind === 'table4') lines.push(...table4Section(s));
    else if (s.kind === 'breakdown') lines.push(...breakdownSection(s));
    else lines.push(...sweepSection(s));
  });
  return `${lines.join('\n')}\n`;
}
