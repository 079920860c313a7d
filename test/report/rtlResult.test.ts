import test from 'ava';
import { SpecError } from '../../src/core/index.ts';
import { parseRtlReport, RTL_COLUMNS, rtlSeries, uniqueNames } from '../../src/report/index.ts';
import { loadRtlFixture } from './fixtures.ts';

test('rtlSeries: one table row per RTL report with the synthesis counts and the peak rate', (t) => {
  const rtl = loadRtlFixture();
  const s = rtlSeries([rtl, rtl], uniqueNames());
  t.is(s.display, 'table');
  t.deepEqual(s.columns, [...RTL_COLUMNS]);
  t.is(s.rows.length, 2);
  const row = Object.fromEntries(s.columns.map((c, i) => [c, s.rows[0]![i]]));
  t.deepEqual(row, {
    configuration: 'MAX_N 3, 8 heads/order, 4 ports, depth 16, DATA_W 64',
    lut: 64096,
    ff: 31625,
    dsp48e2: 332,
    bram36: 0,
    lutRamCells: 37,
    carryCells: 2932,
    genericCells: 647822,
    ice40IssueLut4: 4972,
    ice40IssueDff: 800,
    ice40FmaxMHz: 40.08,
    clockMHz: 250,
    peakLookupsPerS: 1e9,
    peakTokensPerS: 62.5e6,
  });
  t.regex(s.inputs, /^engram-dse rtl report --json \(Yosys 0\.23 [^)]*\)\); test\/report\/fixtures\/rtl-default\.json: bash sim\/synth\.sh MAX_N=3 .*; synthesis has no random inputs \(no seed\); peak rates at an assumed 250 MHz clock$/);
});

test('rtlSeries: leaves the iCE40 Fmax empty when the issue stage did not place and route', (t) => {
  const rtl = loadRtlFixture();
  const failed = { ...rtl, report: { ...rtl.report, ice40: { ...rtl.report.ice40, fmaxMHz: null, logicCells: null, error: 'ERROR: Unable to place cell' } } };
  const s = rtlSeries([failed], uniqueNames());
  t.is(s.rows[0]![s.columns.indexOf('ice40FmaxMHz')], '');
});

test('parseRtlReport: names the file and field when a count is not an integer', (t) => {
  const raw = JSON.parse(JSON.stringify(loadRtlFixture().report));
  raw.ultrascalePlus.luts = 'many';
  t.throws(() => parseRtlReport(raw, 'rtl.json'), { instanceOf: SpecError, message: 'rtl.json: ultrascalePlus.luts: expected number, received string, got "many"' });
});
