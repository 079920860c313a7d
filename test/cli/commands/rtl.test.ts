import test from 'ava';
import { runCaptured } from '../../helpers/fakeIo.ts';

// The report end to end is test/rtl/report.test.ts; these are the checks made before any synthesis starts.
test('rtl report: usage errors name the option, the value and what was expected', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['rtl', 'report', '--depth', '6'], /--depth: expected a power of two, got 6/],
    [['rtl', 'report', '--data-w', '48'], /--data-w: expected a multiple of 32, got 48/],
    [['rtl', 'report', '--max-n', '2', '--heads', '1'], /--max-n, --heads: expected \(MAX_N-1\)·HEADS >= 2, got 1/],
    [['rtl', 'report', '--clock-mhz', '0'], /--clock-mhz: expected an integer in \[1, 2000\], got "0"/],
  ];
  for (const [argv, message] of cases) {
    const r = await runCaptured(argv);
    t.is(r.code, 2, argv.join(' '));
    t.regex(r.err, message);
  }
});
