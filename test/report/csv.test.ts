import test from 'ava';
import { renderSeriesCsv, reportSeries } from '../../src/report/index.ts';
import { loadFixture } from './fixtures.ts';

test('renderSeriesCsv: writes a header and one line per plotted point when given the Table 4 series', (t) => {
  const [table4] = reportSeries({ projects: [loadFixture('table4.json')] });
  const lines = renderSeriesCsv(table4!).split('\n');
  t.is(lines[0], 'backbone,run,source,tokPerS');
  t.is(lines.at(-1), '');
  t.is(lines.length, 1 + 8 + 1);
  t.true(lines.includes('dense-4b,baseline,paper,9031.62'));
  t.true(lines.includes('dense-8b,+Engram,paper,6140.02'));
});

test('renderSeriesCsv: quotes fields that hold commas when a component name has one', (t) => {
  const breakdown = reportSeries({ projects: [loadFixture('table4.json')] }).find((s) => s.kind === 'breakdown')!;
  const csv = renderSeriesCsv(breakdown);
  t.regex(csv, /^configuration,component,order,seconds\n/);
  t.regex(csv, /\ndense-4b,"element-wise, head, sampler, launch",2,\d/);
});

test('renderSeriesCsv: keeps every number at full precision when writing a sweep', (t) => {
  const result = loadFixture('sweep-link-bandwidth.json');
  const [sweep] = reportSeries({ projects: [result] });
  const rows = renderSeriesCsv(sweep!).trimEnd().split('\n').slice(1).map((l) => l.split(',').map(Number));
  t.deepEqual(
    rows,
    result.sweep!.points.map((p) => [p.value, p.baselineTokPerS, p.engramTokPerS, p.penaltyPct]),
  );
});
