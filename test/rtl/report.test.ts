// `engram-dse rtl report` end to end (yosys UltraScale+ and generic synthesis, nextpnr-ice40) on a
// two-head unit, so it takes under a minute rather than the default unit's ten; cached in sim/build.
// Skipped, with the reason in the title, when yosys or nextpnr-ice40 is not installed.
import { spawnSync } from 'node:child_process';
import { runCaptured } from '../helpers/fakeIo.ts';
import { gatedTest } from '../helpers/toolGate.ts';

const missing = ['yosys', 'nextpnr-ice40'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
const reason = missing.length === 0 ? null : `${missing.join(' and ')} not installed (scripts/install-tools.sh)`;
const synthTest = gatedTest(reason);

interface RtlJson {
  params: { maxN: number; heads: number; ports: number };
  command: string;
  ultrascalePlus: { luts: number; flipFlops: number; dsps: number; bram36: number };
  generic: { cells: number };
  ice40: { luts: number; fmaxMHz: number | null; logicCells: { used: number; available: number } | null };
  peak: { clockMHz: number; lookupsPerSecond: number; tokensPerCycle: number };
}

synthTest(`rtl report: a two-head unit maps its multipliers to DSP48E2s and its issue stage meets 12 MHz on iCE40 HX8K${reason === null ? '' : ` (skipped: ${reason})`}`, async (t) => {
  const r = await runCaptured(['rtl', 'report', '--max-n', '2', '--heads', '2', '--ports', '1', '--depth', '2', '--data-w', '32', '--clock-mhz', '300', '--json']);
  t.is(r.code, 0, r.err);
  const report = JSON.parse(r.out) as RtlJson;
  t.is(report.command, 'bash sim/synth.sh MAX_N=2 HEADS=2 ID_BITS=17 ROW_BYTES=1024 DATA_W=32 PORTS=1 DEPTH=2');
  // Per head four 32x32 Barrett partial products and a 33x31 remainder product, plus the id x 64 products.
  t.true(report.ultrascalePlus.dsps >= 10, `DSPs ${report.ultrascalePlus.dsps}`);
  t.true(report.ultrascalePlus.luts > 0 && report.ultrascalePlus.flipFlops > 0 && report.generic.cells > report.ultrascalePlus.luts);
  t.true(report.ice40.fmaxMHz !== null && report.ice40.fmaxMHz > 12, `Fmax ${report.ice40.fmaxMHz}`);
  t.true(report.ice40.logicCells !== null && report.ice40.logicCells.used < report.ice40.logicCells.available);
  // One port, two heads: half a token per cycle, one lookup per cycle.
  t.like(report.peak, { clockMHz: 300, tokensPerCycle: 0.5, lookupsPerSecond: 300e6 });
});
