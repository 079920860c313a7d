// Vega-lite specifications of the report's figures, one per series, with the data inlined so a page needs
// nothing at view time. Each title's subtitle names the project version, the inputs and the seed.
import { provenanceLine, type Series } from './series.ts';

export type VegaLiteSpec = Record<string, unknown>;

const WIDTH = 560;

function records(series: Series): Record<string, string | number>[] {
  return series.rows.map((row) => Object.fromEntries(series.columns.map((c, i) => [c, row[i]!])));
}

function header(series: Series, version: string) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: series.title, subtitle: provenanceLine(series.source, version), anchor: 'start', subtitleFontSize: 10 },
    width: WIDTH,
    data: { values: records(series) },
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

function sweepSpec(series: Series, version: string): VegaLiteSpec {
  const x = series.columns[0]!;
  const sweep = series.source.sweep!;
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

/** The vega-lite spec plotting `series`. */
export function vegaLiteSpec(series: Series, version: string): VegaLiteSpec {
  switch (series.kind) {
    case 'table4':
      return table4Spec(series, version);
    case 'breakdown':
      return breakdownSpec(series, version);
    case 'sweep':
      return sweepSpec(series, version);
  }
}
