import test from 'ava';
import { BREAKDOWN_COMPONENTS, provenanceLine, reportSeries, slug } from '../../src/report/index.ts';
import { loadFixture, loadFixtures } from './fixtures.ts';

test('reportSeries: gives a comparison, a breakdown and one line per sweep when given a Table 4 run and two sweeps', (t) => {
  t.deepEqual(
    reportSeries({ projects: loadFixtures() }).map((s) => [s.name, s.kind]),
    [
      ['table4', 'table4'],
      ['breakdown', 'breakdown'],
      ['fetch', 'fetch'],
      ['sweep-table-size', 'sweep'],
      ['sweep-host-link-lanes', 'sweep'],
    ],
  );
});

test('reportSeries: numbers repeated series names when two results plot the same thing', (t) => {
  const r = loadFixture('table4.json');
  t.deepEqual(reportSeries({ projects: [r, r] }).map((s) => s.name), ['table4', 'breakdown', 'fetch', 'table4-2', 'breakdown-2', 'fetch-2']);
});

test('reportSeries: breakdown components add up to each run\'s wall time when given Table 4', (t) => {
  const result = loadFixture('table4.json');
  const breakdown = reportSeries({ projects: [result] }).find((s) => s.kind === 'breakdown')!;
  t.is(breakdown.rows.length, result.rows!.length * 2 * BREAKDOWN_COMPONENTS.length);
  for (const row of result.rows!) {
    for (const [label, run] of [[row.backbone, row.breakdown.baseline], [`${row.backbone} +Engram`, row.breakdown.engram]] as const) {
      const sum = breakdown.rows.filter((r) => r[0] === label).reduce((acc, r) => acc + (r[3] as number), 0);
      t.true(Math.abs(sum - run.wallNs / 1e9) < 1e-9, `${label}: ${sum} s against ${run.wallNs / 1e9} s`);
    }
  }
});

test('reportSeries: plots only our numbers when a row has no paper numbers', (t) => {
  const base = loadFixture('table4.json');
  const result = { ...base, rows: base.rows!.map((r) => ({ ...r, paper: null })) };
  const table4 = reportSeries({ projects: [result] })[0]!;
  t.deepEqual([...new Set(table4.rows.map((r) => r[2]))], ['ours']);
});

test('provenanceLine: names version, backbones, target, config, tier, workload, mode and seed when given a Table 4 run', (t) => {
  t.is(
    provenanceLine(loadFixture('table4.json'), '9.9.9'),
    'engram-codesign 9.9.9; dense-4b, dense-8b on h800-sxm; offload-100b in dram; 512 sequences; fast (closed-form gather for every step); seed 0',
  );
});

test('slug: drops parenthesised text and joins words with hyphens when naming a sweep', (t) => {
  t.is(slug('host link lanes (3.94 GB/s each at Gen5)'), 'host-link-lanes');
  t.is(slug('Engram layer (0-based block)'), 'engram-layer');
  t.is(slug('max_num_seqs'), 'max-num-seqs');
});

test('reportSeries: gives each backbone\'s mean fetch and window per phase and the gather bandwidth when given Table 4', (t) => {
  const result = loadFixture('table4.json');
  const fetch = reportSeries({ projects: [result] }).find((s) => s.kind === 'fetch')!;
  t.deepEqual(fetch.columns, ['backbone', 'phase', 'fetchUs', 'windowUs', 'gatherGBps', 'stalledSteps']);
  t.is(fetch.rows.length, 4);
  const e = result.rows![0]!.breakdown.engram.engram!;
  t.deepEqual(fetch.rows[1], ['dense-4b', 'decode', e.meanDecodeFetchNs / 1e3, e.meanDecodeWindowNs / 1e3, e.bytes / e.gatherNs, e.stalledSteps]);
  // The paper's deployment hides the decode fetch: about 120 us against an 810 us window.
  t.true((fetch.rows[1]![2] as number) < (fetch.rows[1]![3] as number));
});

test('reportSeries: leaves out the fetch figure when a result has no Engram fetch summary', (t) => {
  const base = loadFixture('table4.json');
  const result = { ...base, rows: base.rows!.map((r) => ({ ...r, breakdown: { ...r.breakdown, engram: { ...r.breakdown.engram, engram: undefined } } })) };
  t.deepEqual(reportSeries({ projects: [result] }).map((s) => s.kind), ['table4', 'breakdown']);
});
