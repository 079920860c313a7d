import test from 'ava';
import { TOL_FP32_FORWARD } from '../../../src/model/index.ts';
import { runCaptured } from '../../helpers/fakeIo.ts';

interface ForwardJson {
  backend: string;
  hcMult: number;
  tokens: { rawId: number; compressedId: number; key: string | null }[];
  layers: { layerId: number; tableKind: string; alpha: number[][] }[];
}

// Serial: tfjs keeps one global backend per process, and one test switches it to cpu.
const TEXT = 'Only Alexander the Great could tame the horse Bucephalus.';

test.serial('forward: prints alpha per token and branch for every layer, deterministically', async (t) => {
  const a = await runCaptured(['forward', '--text', TEXT, '--json']);
  t.is(a.code, 0, a.err);
  const r = JSON.parse(a.out) as ForwardJson;
  t.deepEqual(r.tokens.map((x) => x.compressedId), [0, 1134, 15695, 237, 2049, 1260, 85761, 237, 12071, 36, 9745, 20232, 290, 16]);
  t.is(r.tokens[2]!.key, 'alexander');
  t.deepEqual(r.layers.map((l) => l.layerId), [1, 15]);
  for (const layer of r.layers) {
    t.is(layer.tableKind, 'virtual');
    t.is(layer.alpha.length, 14);
    t.true(layer.alpha.every((row) => row.length === 4 && row.every((x) => x > 0 && x < 1)));
  }
  const b = await runCaptured(['forward', '--text', TEXT, '--json']);
  t.is(b.out, a.out);
});

test.serial('forward: --layer, --seed and --backend cpu select what runs and agree across backends', async (t) => {
  const wasm = JSON.parse((await runCaptured(['forward', '--text', TEXT, '--layer', '15', '--seed', '3', '--backend', 'wasm', '--json'])).out) as ForwardJson;
  const cpu = JSON.parse((await runCaptured(['forward', '--text', TEXT, '--layer', '15', '--seed', '3', '--backend', 'cpu', '--json'])).out) as ForwardJson;
  const other = JSON.parse((await runCaptured(['forward', '--text', TEXT, '--layer', '15', '--seed', '4', '--json'])).out) as ForwardJson;
  t.deepEqual(wasm.layers.map((l) => l.layerId), [15]);
  t.is(cpu.backend, 'cpu');
  const diff = Math.max(...wasm.layers[0]!.alpha.flat().map((x, i) => Math.abs(x - cpu.layers[0]!.alpha.flat()[i]!)));
  t.true(diff <= TOL_FP32_FORWARD, `wasm vs cpu alpha differ by ${diff}`);
  t.notDeepEqual(other.layers[0]!.alpha, wasm.layers[0]!.alpha);
});

test.serial('forward: human output shows the token keys and the backend', async (t) => {
  const r = await runCaptured(['forward', '--text', 'New York', '--config', 'paper-27b', '--layer', '2']);
  t.is(r.code, 0, r.err);
  t.regex(r.out, /tfjs backend (wasm|tensorflow|cpu)/);
  t.regex(r.out, /layer 2: virtual table of \d+ rows/);
  t.regex(r.out, /"york"/);
});

test.serial('forward: bad layers, backends and missing text give one line with exit code 2', async (t) => {
  for (const argv of [
    ['forward', '--text', 'x', '--layer', '3'],
    ['forward', '--text', 'x', '--backend', 'webgpu'],
    ['forward'],
  ]) {
    const r = await runCaptured(argv);
    t.is(r.code, 2, argv.join(' '));
    t.is(r.err.trim().split('\n').length, 1, r.err);
    t.snapshot(r.err, argv.join(' '));
  }
});
