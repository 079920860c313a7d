import test from 'ava';
import { reportSeries, vegaLiteSpec } from '../../src/report/index.ts';
import { loadFixture, loadFixtures } from './fixtures.ts';

type Spec = { title: { text: string; subtitle: string }; data: { values: Record<string, unknown>[] }; mark: { type: string }; encoding: Record<string, { field?: string; scale?: { type?: string } }> };

const specs = () => reportSeries(loadFixtures()).map((s) => [s, vegaLiteSpec(s, '0.1.0') as unknown as Spec] as const);

test('vegaLiteSpec: inlines every point of its series as data when given each figure', (t) => {
  for (const [series, spec] of specs()) {
    t.is(spec.data.values.length, series.rows.length, series.name);
    t.deepEqual(spec.data.values[0], Object.fromEntries(series.columns.map((c, i) => [c, series.rows[0]![i]])), series.name);
  }
});

test('vegaLiteSpec: states version, inputs and seed in every subtitle when given each figure', (t) => {
  for (const [series, spec] of specs()) {
    t.regex(spec.title.subtitle, /^engram-codesign 0\.1\.0; /, series.name);
    t.regex(spec.title.subtitle, /h800-sxm; offload-100b in dram; 512 sequences; fast .*; seed 0$/, series.name);
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
  const [tableSize, lanes] = reportSeries([loadFixture('sweep-table-size.json'), loadFixture('sweep-link-bandwidth.json')]).map((s) => vegaLiteSpec(s, '0.1.0') as unknown as Spec);
  t.is(tableSize!.mark.type, 'line');
  t.is(tableSize!.encoding.y!.field, 'penaltyPct');
  t.is(tableSize!.encoding.x!.scale!.type, 'log');
  t.is(lanes!.encoding.x!.scale!.type, undefined);
});
