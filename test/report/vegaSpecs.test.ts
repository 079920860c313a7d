import test from 'ava';
import { ModelError } from '../../src/core/index.ts';
import { reportSeries, vegaLiteSpec, wrapText } from '../../src/report/index.ts';
import { allInputs, loadFixture, loadFixtures, syntheticSweep } from './fixtures.ts';

type Spec = { title: { text: string; subtitle: string[] }; data: { values: Record<string, unknown>[] }; mark: { type: string }; encoding: Record<string, { field?: string; scale?: { type?: string } }> };

const specs = () => reportSeries({ projects: loadFixtures() }).map((s) => [s, vegaLiteSpec(s, '0.1.0') as unknown as Spec] as const);

test('vegaLiteSpec: inlines every point of its series as data when given each figure', (t) => {
  for (const [series, spec] of specs()) {
    t.is(spec.data.values.length, series.rows.length, series.name);
    t.deepEqual(spec.data.values[0], Object.fromEntries(series.columns.map((c, i) => [c, series.rows[0]![i]])), series.name);
  }
});

test('vegaLiteSpec: states version, inputs and seed in every subtitle when given each figure', (t) => {
  for (const [series, spec] of specs()) {
    const subtitle = spec.title.subtitle.join(' ');
    t.regex(subtitle, /^engram-codesign 0\.1\.0; /, series.name);
    t.regex(subtitle, /h800-sxm; offload-100b in dram; 512 sequences; fast .*; seed 0$/, series.name);
  }
});

test('vegaLiteSpec: draws grouped bars of paper and ours when given the Table 4 series', (t) => {
  const [, spec] = specs()[0]!;
  t.is(spec.mark.type, 'bar');
  t.is(spec.encoding.x!.field, 'backbone');
  t.is(spec.encoding.xOffset!.field, 'bar');
  t.is(spec.encoding.y!.field, 'tokPerS');
  t.deepEqual(spec.data.values.filter((v) => v.backbone === 'dense-4b' && v.source === 'paper').map((v) => v.tokPerS), [9031.62, 8858.28]);
});

test('vegaLiteSpec: stacks seconds by component per configuration when given the breakdown series', (t) => {
  const [, spec] = specs()[1]!;
  t.is(spec.mark.type, 'bar');
  t.is(spec.encoding.x!.field, 'configuration');
  t.is(spec.encoding.color!.field, 'component');
  t.deepEqual([...new Set(spec.data.values.map((v) => v.configuration))], ['dense-4b', 'dense-4b +Engram', 'dense-8b', 'dense-8b +Engram']);
});

test('vegaLiteSpec: uses a log x axis only when the swept values span two decades', (t) => {
  const [tableSize, lanes] = reportSeries({ projects: [loadFixture('sweep-table-size.json'), loadFixture('sweep-link-bandwidth.json')] }).map((s) => vegaLiteSpec(s, '0.1.0') as unknown as Spec);
  t.is(tableSize!.mark.type, 'line');
  t.is(tableSize!.encoding.y!.field, 'penaltyPct');
  t.is(tableSize!.encoding.x!.scale!.type, 'log');
  t.is(lanes!.encoding.x!.scale!.type, undefined);
});

const allSpecs = () => reportSeries(allInputs()).filter((s) => s.display === 'chart').map((s) => [s, vegaLiteSpec(s, '0.1.0') as unknown as Spec & Record<string, unknown>] as const);
const specOf = (kind: string) => allSpecs().find(([s]) => s.kind === kind)!;

test('vegaLiteSpec: states the version and a seed in every subtitle when given every kind of input', (t) => {
  for (const [series, spec] of allSpecs()) {
    const subtitle = spec.title.subtitle.join(' ');
    t.regex(subtitle, /^engram-codesign 0\.1\.0; /, series.name);
    t.regex(subtitle, /seed/, series.name);
    t.true(spec.title.subtitle.every((line) => line.length <= 130), series.name);
  }
});

test('vegaLiteSpec: layers the front as a step line over all points when given a two-objective frontier', (t) => {
  const [series, spec] = specOf('pareto');
  const layer = spec.layer as { mark: { type: string; interpolate?: string }; transform?: { filter: string }[]; encoding: Record<string, { field?: string; scale?: { domain?: string[] } }> }[];
  t.deepEqual(layer.map((l) => l.mark.type), ['line', 'point']);
  t.is(layer[0]!.mark.interpolate, 'step-after');
  t.deepEqual(layer[0]!.transform, [{ filter: "datum.set === 'Pareto front'" }]);
  t.deepEqual(layer[1]!.encoding.color!.scale!.domain, ['dominated', 'Pareto front']);
  t.is(layer[1]!.encoding.x!.field, series.x!.field);
  t.is(spec.data.values.length, series.rows.length);
  // Maximising x, the boundary of the dominated region steps before each front point.
  const flipped = reportSeries({ sweeps: [syntheticSweep({ objectives: [{ name: 'tokPerS', goal: 'max' }, { name: 'costUsd', goal: 'min' }] })] }).find((s) => s.kind === 'pareto')!;
  t.is((vegaLiteSpec(flipped, '0.1.0') as unknown as { layer: { mark: { interpolate: string } }[] }).layer[0]!.mark.interpolate, 'step-before');
});

test('vegaLiteSpec: draws lines per group with a log x axis when given an objective against a parameter of a grid', (t) => {
  const [, spec] = allSpecs().find(([s]) => s.name === 'synthetic-tokpers-vs-sizebytes')!;
  t.is(spec.mark.type, 'line');
  t.is(spec.encoding.x!.field, 'sizeBytes');
  t.deepEqual(spec.encoding.x!.scale, { type: 'log', nice: false });
  t.is(spec.encoding.color!.field, 'group');
});

test('vegaLiteSpec: plots only the thinned rows when a series has them', (t) => {
  const pareto = reportSeries({ sweeps: [syntheticSweep()] }).find((x) => x.kind === 'pareto')!;
  const spec = vegaLiteSpec({ ...pareto, plotRows: pareto.rows.slice(0, 2) }, '0.1.0') as unknown as Spec;
  t.is(spec.data.values.length, 2);
  t.deepEqual(spec.data.values[1], Object.fromEntries(pareto.columns.map((c, i) => [c, pareto.rows[1]![i]])));
});

test('vegaLiteSpec: puts hit rates and bandwidth side by side when given the tiers of a hierarchy run', (t) => {
  const [, spec] = specOf('tiers');
  const panels = spec.hconcat as { encoding: Record<string, { field?: string }>; transform?: { fold: string[] }[] }[];
  t.is(panels.length, 2);
  t.is(panels[0]!.encoding.y!.field, 'lookupShare');
  t.deepEqual(panels[1]!.transform![0]!.fold, ['payloadGBps', 'mediaGBps']);
});

test('vegaLiteSpec: uses log axes with exponent labels when given the FP8 error against K', (t) => {
  const [, spec] = specOf('fp8');
  const y = spec.encoding.y as unknown as { scale: { type: string }; axis: { format: string } };
  t.is(y.scale.type, 'log');
  t.is(y.axis.format, '.0e');
  t.is(spec.encoding.color!.field, 'accumulation');
});

test('vegaLiteSpec: refuses a table series', (t) => {
  const best = reportSeries(allInputs()).find((s) => s.kind === 'sweep-best')!;
  t.throws(() => vegaLiteSpec(best, '0.1.0'), { instanceOf: ModelError, message: 'vegaLiteSpec: series synthetic-best is a table (kind sweep-best); expected a chart series' });
});

test('wrapText: breaks at spaces into lines of at most the width unless a word is longer', (t) => {
  t.deepEqual(wrapText('aa bb cc dd', 5), ['aa bb', 'cc dd']);
  t.deepEqual(wrapText('averyverylongword x', 5), ['averyverylongword', 'x']);
});

test('vegaLiteSpec: puts fetch beside window in one panel per phase, each with its own scale', (t) => {
  const [, spec] = specOf('fetch');
  t.is((spec.encoding as unknown as { column: { field: string } }).column.field, 'phase');
  t.deepEqual(spec.resolve, { scale: { y: 'independent' } });
  t.deepEqual((spec.transform as { fold: string[] }[])[0]!.fold, ['fetchUs', 'windowUs']);
});
