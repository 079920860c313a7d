// Vega-lite specifications of the report's charts, one per chart series, with the data inlined so a page needs
// nothing at view time. Each title's subtitle names the project version, the inputs and the seed.
import { ModelError } from '../core/index.ts';
import { figureProvenance, type Axis, type Row, type Series } from './series.ts';

export type VegaLiteSpec = Record<string, unknown>;

const WIDTH = 560;
const HALF_WIDTH = 250;
/** Vega-lite splits subtitles given as arrays into lines; long provenance lines are wrapped at about this many characters. */
const SUBTITLE_CHARS = 110;

function records(series: Series, rows: readonly Row[] = series.rows): Record<string, string | number>[] {
  return rows.map((row) => Object.fromEntries(series.columns.map((c, i) => [c, row[i]!])));
}

/** Splits text into lines of at most about `width` characters at spaces. */
export function wrapText(text: string, width = SUBTITLE_CHARS): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function header(series: Series, version: string, width: number | undefined = WIDTH) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: series.title, subtitle: wrapText(figureProvenance(series, version)), anchor: 'start', subtitleFontSize: 10 },
    ...(width === undefined ? {} : { width }),
    data: { values: records(series, series.plotRows ?? series.rows) },
  };
}

function table4Spec(series: Series, version: string): VegaLiteSpec {
  return {
    ...header(series, version),
    transform: [{ calculate: "datum.run + ' (' + datum.source + ')'", as: 'bar' }],
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'backbone', type: 'nominal', title: 'backbone', axis: { labelAngle: 0 } },
      xOffset: { field: 'bar', type: 'nominal', sort: ['baseline (paper)', 'baseline (ours)', '+Engram (paper)', '+Engram (ours)'] },
      y: { field: 'tokPerS', type: 'quantitative', title: 'output tokens per second' },
      color: { field: 'bar', type: 'nominal', title: 'run (source)', sort: ['baseline (paper)', 'baseline (ours)', '+Engram (paper)', '+Engram (ours)'] },
    },
  };
}

function breakdownSpec(series: Series, version: string): VegaLiteSpec {
  const components = [...new Set(series.rows.map((r) => r[1] as string))];
  return {
    ...header(series, version),
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'configuration', type: 'nominal', title: 'configuration', sort: null, axis: { labelAngle: 0 } },
      y: { field: 'seconds', type: 'quantitative', title: 'wall time (s)', stack: 'zero' },
      color: { field: 'component', type: 'nominal', title: 'component', sort: components, legend: { labelLimit: 320 } },
      order: { field: 'order', type: 'quantitative' },
    },
  };
}

/** Per backbone: fetch beside window, one panel per phase with its own scale (prefill steps are ~50x longer). */
function fetchSpec(series: Series, version: string): VegaLiteSpec {
  return {
    ...header(series, version, HALF_WIDTH),
    transform: [{ fold: ['fetchUs', 'windowUs'], as: ['measure', 'us'] }],
    mark: { type: 'bar', tooltip: true },
    encoding: {
      column: { field: 'phase', type: 'nominal', title: 'phase', sort: ['prefill', 'decode'] },
      x: { field: 'backbone', type: 'nominal', title: 'backbone', axis: { labelAngle: 0 } },
      xOffset: { field: 'measure', type: 'nominal', sort: ['fetchUs', 'windowUs'] },
      y: { field: 'us', type: 'quantitative', title: 'mean per step (µs)' },
      color: { field: 'measure', type: 'nominal', title: 'per step', sort: ['fetchUs', 'windowUs'] },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

function sweepSpec(series: Series, version: string): VegaLiteSpec {
  const x = series.columns[0]!;
  const sweep = series.source!.sweep!;
  const values = series.rows.map((r) => r[0] as number);
  const log = values.every((v) => v > 0) && Math.max(...values) / Math.min(...values) >= 100;
  return {
    ...header(series, version),
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: x, type: 'quantitative', title: `${sweep.parameter} (${sweep.unit})`, scale: log ? { type: 'log' } : { zero: false }, ...(log ? { axis: { format: '~s' } } : {}) },
      y: { field: 'penaltyPct', type: 'quantitative', title: 'throughput penalty (%)' },
    },
  };
}

/**
 * A quantitative channel. Log scales end at the data (no padding to whole decades); their labels are SI-prefixed
 * (10k, 1G) when every value is at least 1, exponents (1e-3) when every value is below 1 (SI's m and µ read
 * badly there), and plain numbers (0.01, 100) across 1.
 */
function quantitative(axis: Axis, values: readonly number[] = []) {
  if (axis.log !== true) {
    const large = values.length > 0 && Math.max(...values.map(Math.abs)) >= 1e5;
    return { field: axis.field, type: 'quantitative', title: axis.title, scale: { zero: false }, ...(large ? { axis: { format: '~s' } } : {}) };
  }
  const format = values.length === 0 || Math.min(...values) >= 1 ? '~s' : Math.max(...values) < 1 ? '.0e' : '~g';
  return { field: axis.field, type: 'quantitative', title: axis.title, scale: { type: 'log', nice: false }, axis: { format } };
}

function columnValues(series: Series, field: string): number[] {
  const c = series.columns.indexOf(field);
  return series.rows.map((r) => r[c]).filter((v): v is number => typeof v === 'number');
}

function tooltip(series: Series) {
  return series.columns.map((c) => ({ field: c, type: typeof series.rows[0]?.[series.columns.indexOf(c)] === 'number' ? 'quantitative' : 'nominal' }));
}

/** x against y, coloured by group, as lines through each group's points or as a scatter. */
function xySpec(series: Series, version: string): VegaLiteSpec {
  const x = series.x!;
  const y = series.y!;
  const groups = series.color === undefined ? [] : [...new Set(series.rows.map((r) => r[series.columns.indexOf(series.color!.field)] as string))];
  const colour = series.color === undefined ? {} : { color: { field: series.color.field, type: 'nominal', title: series.color.title, sort: groups, legend: { labelLimit: 360 } } };
  const many = (series.plotRows ?? series.rows).length > 500;
  return {
    ...header(series, version),
    mark: series.lines === true ? { type: 'line', point: true, tooltip: { content: 'data' } } : { type: 'point', filled: true, opacity: many ? 0.5 : 0.8, size: many ? 12 : 40 },
    encoding: { x: quantitative(x, columnValues(series, x.field)), y: quantitative(y, columnValues(series, y.field)), ...colour, ...(series.lines === true ? {} : { tooltip: tooltip(series) }) },
  };
}

/** All points, the front highlighted; with two objectives the front is joined as a staircase. */
function paretoSpec(series: Series, version: string): VegaLiteSpec {
  const x = quantitative(series.x!, columnValues(series, series.x!.field));
  const y = quantitative(series.y!, columnValues(series, series.y!.field));
  const color = { field: 'set', type: 'nominal', title: 'point', scale: { domain: ['dominated', 'Pareto front'], range: ['#b0b0b0', '#d62728'] } };
  const points = { mark: { type: 'point', filled: true, size: 36 }, encoding: { x, y, color, tooltip: tooltip(series), order: { field: 'set', type: 'ordinal', sort: 'descending' } } };
  // The boundary of the dominated region: after a front point its value holds until the next point when x is
  // minimised, and the next point's value holds from the previous point on when x is maximised.
  const interpolate = series.x!.goal === 'max' ? 'step-before' : 'step-after';
  const line = { transform: [{ filter: "datum.set === 'Pareto front'" }], mark: { type: 'line', interpolate, color: '#d62728' }, encoding: { x, y, order: { field: series.x!.field, type: 'quantitative' } } };
  return { ...header(series, version), layer: series.lines === true ? [line, points] : [points] };
}

/** Per tier: share of lookups served beside payload and media bandwidth. */
function tiersSpec(series: Series, version: string): VegaLiteSpec {
  const tiers = series.rows.map((r) => r[0] as string);
  const tier = { field: 'tier', type: 'nominal', title: 'tier', sort: tiers, axis: { labelAngle: -20, labelLimit: 160 } };
  return {
    ...header(series, version, undefined),
    hconcat: [
      { width: HALF_WIDTH, mark: { type: 'bar', tooltip: true }, encoding: { x: tier, y: { field: 'lookupShare', type: 'quantitative', title: 'share of lookups served (hit rate)', axis: { format: '%' } } } },
      {
        width: HALF_WIDTH,
        transform: [{ fold: ['payloadGBps', 'mediaGBps'], as: ['measure', 'GBps'] }],
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: tier,
          xOffset: { field: 'measure', type: 'nominal' },
          y: { field: 'GBps', type: 'quantitative', title: 'bandwidth (GB/s)' },
          color: { field: 'measure', type: 'nominal', title: 'bandwidth' },
        },
      },
    ],
  };
}

function linksSpec(series: Series, version: string): VegaLiteSpec {
  return {
    ...header(series, version),
    transform: [{ fold: ['payloadGBps', 'wireGBps'], as: ['measure', 'GBps'] }],
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'link', type: 'nominal', title: 'link', sort: series.rows.map((r) => r[0] as string), axis: { labelLimit: 240 } },
      yOffset: { field: 'measure', type: 'nominal' },
      x: { field: 'GBps', type: 'quantitative', title: 'bandwidth (GB/s)' },
      color: { field: 'measure', type: 'nominal', title: 'bandwidth' },
    },
  };
}

/** The vega-lite spec plotting `series` (a chart series; tables have none). */
export function vegaLiteSpec(series: Series, version: string): VegaLiteSpec {
  switch (series.kind) {
    case 'table4':
      return table4Spec(series, version);
    case 'breakdown':
      return breakdownSpec(series, version);
    case 'fetch':
      return fetchSpec(series, version);
    case 'sweep':
      return sweepSpec(series, version);
    case 'pareto':
      return paretoSpec(series, version);
    case 'objective':
    case 'fp8':
      return xySpec(series, version);
    case 'tiers':
      return tiersSpec(series, version);
    case 'links':
      return linksSpec(series, version);
    case 'sweep-best':
    case 'rtl':
      throw new ModelError(`vegaLiteSpec: series ${series.name} is a table (kind ${series.kind}); expected a chart series`);
  }
}
