import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { missingTools } from '../../../src/cosim/index.ts';
import { runCaptured } from '../../helpers/fakeIo.ts';
import { gatedTest } from '../../helpers/toolGate.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const missing = missingTools('wasm');
const wasmTest = gatedTest(missing);
const titled = (title: string): string => (missing === null ? title : `${title} (skipped: ${missing})`);

interface CosimJson {
  config: string; layer: number; backend: string; tokens: number; vectors: number; cycles: number; predictedCycles: number;
  tokensPerCycle: number; fullRateTokensPerCycle: number; cyclesPerSecond: number; mismatch: string | null; heads: number; vcd?: string;
}

wasmTest(titled('cosim: --json reports a bit-exact, cycle-exact demo run at the full-rate bound when nothing stalls'), async (t) => {
  const r = await runCaptured(['cosim', '--tokens', '4000', '--mem-latency', '3', '--json']);
  t.is(r.code, 0, r.err);
  const report = JSON.parse(r.out) as CosimJson;
  t.like(report, { config: 'demo', layer: 1, backend: 'wasm', tokens: 4000, vectors: 4000, heads: 16, mismatch: null, fullRateTokensPerCycle: 0.25 });
  t.is(report.cycles, report.predictedCycles);
  // 4 cycles per token plus one token's latency at the end.
  t.true(report.tokensPerCycle > 0.249 && report.tokensPerCycle <= 0.25, String(report.tokensPerCycle));
  t.true(report.cyclesPerSecond > 0);
});

wasmTest(titled('cosim: the text report names the layer, the cycle model agreement and the speed when paper-27b layer 15 runs with back-pressure'), async (t) => {
  const r = await runCaptured(['cosim', '--config', 'paper-27b', '--layer', '15', '--tokens', '3000', '--ports', '3', '--backpressure', '0.2', '--seed', '9']);
  t.is(r.code, 0, r.err);
  t.regex(r.out, /^cosim paper-27b layer 15: 3000 tokens, seed 9, 3 ports, memory latency 20 cycles, back-pressure 0\.2\n/);
  t.regex(r.out, /cycles {10}\d+ \(cycle model \d+, exact\)/);
  t.regex(r.out, /check {11}bit-exact indices, addresses and gathered data/);
  t.regex(r.out, /speed {11}[\d.]+ M cycles\/s \(batched wasm/);
});

wasmTest(titled('cosim: --vcd writes a waveform of the run'), async (t) => {
  const file = path.join(makeTempDir('engram-cosim-cli-'), 'demo.vcd');
  const r = await runCaptured(['cosim', '--tokens', '50', '--vcd', file, '--json']);
  t.is(r.code, 0, r.err);
  t.true(existsSync(file));
  t.regex(readFileSync(file, 'utf8'), /\$var wire +1 \S+ vec_valid_o \$end/);
});

test('cosim: usage errors name the option, the value and what was expected', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['cosim', '--backpressure', '0.99'], /--backpressure: expected a probability in \[0, 0\.95\], got "0\.99"/],
    [['cosim', '--backend', 'fpga'], /--backend: expected wasm, native or auto, got "fpga"/],
    [['cosim', '--layer', '7'], /--layer: expected one of the configuration's layers 1, 15, got 7/],
    [['cosim', '--tokens', '0'], /--tokens: expected an integer in \[1, 100000000\], got "0"/],
  ];
  for (const [argv, message] of cases) {
    const r = await runCaptured(argv);
    t.is(r.code, 2, argv.join(' '));
    t.regex(r.err, message);
  }
});
