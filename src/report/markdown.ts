// The Markdown summary of the report: per section its facts, per figure the line naming its inputs and seed, the
// CSV file behind it and its numbers as a table (a summary per group where a sweep plots thousands of points).
import { rtlTransposed } from './rtlResult.ts';
import { reportSections, type ReportInputs, type ReportSection } from './sections.ts';
import { figureProvenance, formatNumber, type Cell, type Row, type Series } from './series.ts';
import { BEST_TABLE_ROWS } from './sweepSeries.ts';

/** A chart with more points than this is summarised per group in the Markdown (its CSV holds every point). */
export const MARKDOWN_MAX_POINTS = 40;

const fixed = (n: number, digits = 2) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const cell = (c: Cell | undefined) => (c === undefined ? '' : typeof c === 'number' ? formatNumber(c) : c.replaceAll('|', '\\|'));

function table(header: readonly string[], rows: readonly (readonly string[])[], numeric: (c: number) => boolean = (c) => c > 0): string {
  const align = header.map((_, c) => (numeric(c) ? '---:' : '---'));
  return [header, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** The series' own columns and rows (at most `limit`), numbers to 4 significant digits. */
function plainTable(s: Series, rows: readonly Row[] = s.rows): string {
  const numeric = s.columns.map((_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number'));
  return table(s.columns, rows.map((r) => r.map(cell)), (c) => numeric[c]!);
}

function table4Section(s: Series): string[] {
  const rows = s.source!.rows!;
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
  const sweep = s.source!.sweep!;
  return [
    table(
      [`${sweep.parameter} (${sweep.unit})`, 'baseline tok/s', '+Engram tok/s', 'penalty'],
      sweep.points.map((p) => [p.value.toLocaleString('en-US'), fixed(p.baselineTokPerS), fixed(p.engramTokPerS), `${p.penaltyPct.toFixed(2)}%`]),
    ),
  ];
}

/** The front points of a Pareto chart (the dominated ones are in the CSV). */
function paretoSection(s: Series): string[] {
  const set = s.columns.indexOf('set');
  const front = s.rows.filter((r) => r[set] === 'Pareto front');
  const shown = front.slice(0, BEST_TABLE_ROWS);
  const columns = s.columns.filter((_, c) => c !== set);
  const rows = shown.map((r) => r.filter((_, c) => c !== set));
  return [`${front.length} front point(s)${front.length > shown.length ? `, the first ${shown.length} by enumeration order` : ''}:`, '', plainTable({ ...s, columns }, rows)];
}

/** Few points: all of them; many: per group the count and where the objective is lowest and highest. */
function xySection(s: Series): string[] {
  const x = s.x!;
  const y = s.y!;
  if (s.rows.length <= MARKDOWN_MAX_POINTS) {
    const colour = s.color === undefined ? [] : [s.color.title];
    return [table([x.field, y.field, ...colour], s.rows.map((r) => [cell(r[0]), cell(r[1]), ...(s.color === undefined ? [] : [cell(r[2])])]), (c) => c < 2)];
  }
  const groups = [...new Set(s.rows.map((r) => r[2] as string))];
  const rows = groups.map((g) => {
    const members = s.rows.filter((r) => r[2] === g);
    const lowest = members.reduce((a, b) => ((b[1] as number) < (a[1] as number) ? b : a));
    const highest = members.reduce((a, b) => ((b[1] as number) > (a[1] as number) ? b : a));
    return [g === '' ? '(all)' : g, String(members.length), `${cell(lowest[1])} at ${x.field}=${cell(lowest[0])}`, `${cell(highest[1])} at ${x.field}=${cell(highest[0])}`];
  });
  return [`${s.rows.length} points, summarised per ${s.color?.title ?? 'group'}:`, '', table([s.color?.title ?? 'group', 'points', `lowest ${y.field}`, `highest ${y.field}`], rows, (c) => c === 1)];
}

/** K down, one column per accumulation model. */
function fp8Section(s: Series): string[] {
  const ks = [...new Set(s.rows.map((r) => r[0] as number))];
  const models = [...new Set(s.rows.map((r) => r[1] as string))];
  const at = (k: number, m: string) => s.rows.find((r) => r[0] === k && r[1] === m)?.[2];
  return [table(['K', ...models], ks.map((k) => [String(k), ...models.map((m) => { const v = at(k, m); return typeof v === 'number' ? v.toExponential(2) : ''; })]))];
}

function seriesBody(s: Series): string[] {
  switch (s.kind) {
    case 'table4':
      return table4Section(s);
    case 'breakdown':
      return breakdownSection(s);
    case 'sweep':
      return sweepSection(s);
    case 'sweep-best':
      return [plainTable(s, s.rows.slice(0, BEST_TABLE_ROWS))];
    case 'pareto':
      return paretoSection(s);
    case 'objective':
      return xySection(s);
    case 'fp8':
      return fp8Section(s);
    case 'fetch':
    case 'tiers':
    case 'links':
      return [plainTable(s)];
    case 'rtl': {
      const { columns, rows } = rtlTransposed(s);
      return [table(['measure', ...columns], rows.map((r) => r.map(cell)))];
    }
  }
}

/** Renders the inputs as Markdown; the charts themselves are in report.html, their data in <series>.csv. */
export function renderReportMarkdown(inputs: ReportInputs, options: { readonly version: string }): string {
  return renderSectionsMarkdown(reportSections(inputs), options);
}

export function renderSectionsMarkdown(sections: readonly ReportSection[], options: { readonly version: string }): string {
  const lines = ['# Engram co-design report', '', `engram-codesign ${options.version}; charts in report.html, data in one CSV per figure.`];
  let n = 0;
  for (const section of sections) {
    lines.push('', `## ${section.title}`);
    if (section.facts.length > 0) lines.push('', ...section.facts.map(([k, v]) => `- ${k}: ${v}`));
    for (const s of section.series) {
      n++;
      lines.push('', `### Figure ${n}: ${s.title}`, '', `${figureProvenance(s, options.version)}. Data: \`${s.name}.csv\`.`);
      if (s.note !== undefined) lines.push('', s.note);
      lines.push('', ...seriesBody(s));
    }
  }
  return `${lines.join('\n')}\n`;
}
