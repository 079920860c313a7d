import test from 'ava';
import { SpecError } from '../../src/core/index.ts';
import { parseProjectResult, renderReport } from '../../src/report/index.ts';
import { loadFixture } from './fixtures.ts';

const bundles = { vega: '', vegaLite: '', vegaEmbed: '' };

test('parseProjectResult: accepts and freezes what engram-dse project writes when given a Table 4 run', (t) => {
  const r = loadFixture('table4.json');
  t.is(r.rows!.length, 2);
  t.true(Object.isFrozen(r.rows![0]));
});

test('parseProjectResult: names the file and field when a row lacks its Engram throughput', (t) => {
  const raw = JSON.parse(JSON.stringify(loadFixture('table4.json')));
  delete raw.rows[1].engramTokPerS;
  const error = t.throws(() => parseProjectResult(raw, 'bad.json'), { instanceOf: SpecError });
  t.is(error.message, 'bad.json: rows[1].engramTokPerS: Invalid input: expected number, but it is missing');
});

test('parseProjectResult: names the value and what was expected when a field has the wrong type', (t) => {
  const raw = JSON.parse(JSON.stringify(loadFixture('sweep-link-bandwidth.json')));
  raw.inputs.seed = 'zero';
  t.throws(() => parseProjectResult(raw, 'sweep.json'), { instanceOf: SpecError, message: 'sweep.json: inputs.seed: expected number, received string, got "zero"' });
});

test('parseProjectResult: rejects a result with neither rows nor a sweep', (t) => {
  const raw = { inputs: JSON.parse(JSON.stringify(loadFixture('table4.json').inputs)) };
  t.throws(() => parseProjectResult(raw, 'empty.json'), { instanceOf: SpecError, message: /^empty\.json: \(root\): expected "rows" \(a Table 4 run\) or "sweep" \(a --sweep run\), found neither/ });
});

test('renderReport: names report.html, report.md and one CSV per series, in order, when given a Table 4 run and a sweep', (t) => {
  const files = renderReport({ projects: [loadFixture('table4.json'), loadFixture('sweep-table-size.json')] }, { version: '0.1.0', bundles }).files;
  t.deepEqual(files.map((f) => f.name), ['report.html', 'report.md', 'table4.csv', 'breakdown.csv', 'fetch.csv', 'sweep-table-size.csv']);
});
