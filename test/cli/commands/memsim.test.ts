import test from 'ava';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeTrace, type Trace } from '../../../src/spec/index.ts';
import { spawnSync } from 'node:child_process';
import { runCaptured } from '../../helpers/fakeIo.ts';
import { gatedTest } from '../../helpers/toolGate.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const tempDir = (): string => makeTempDir('engram-memsim-');

function dramsim3File(lines: string[]): { dir: string; file: string } {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'mem.trace'), `${lines.join('\n')}\n`);
  return { dir, file: 'mem.trace' };
}

/** JSON output without the wall-clock fields, which differ run to run, and the engine, which depends on the tools. */
function stable(out: string): Record<string, unknown> {
  const { wallSeconds, requestsPerWallSecond, engine: _engine, ...rest } = JSON.parse(out) as Record<string, unknown>;
  return { ...rest, wallSecondsIsNumber: typeof wallSeconds === 'number', requestsPerWallSecondIsNumber: typeof requestsPerWallSecond === 'number' };
}

const JSON_KEYS = ['requests', 'bytes', 'simulatedNs', 'bandwidthGBps', 'busBandwidthGBps', 'latencyNs', 'simulatedCycles', 'wallSeconds', 'requestsPerWallSecond', 'engine'];

test('memsim: prints exactly the documented JSON keys when replaying a DRAMsim3 trace with --json', async (t) => {
  const { dir, file } = dramsim3File(Array.from({ length: 64 }, (_, i) => `0x${(i * 64).toString(16)} ${i % 4 === 3 ? 'WRITE' : 'READ'} ${i * 2}`));
  const r = await runCaptured(['memsim', '--device', 'hbm2-2000', '--trace', file, '--json'], { cwd: dir });
  t.is(r.code, 0, r.err);
  t.deepEqual(Object.keys(JSON.parse(r.out) as object), JSON_KEYS);
  const result = stable(r.out);
  t.is(result['requests'], 64);
  t.is(result['bytes'], 64 * 64);
  t.snapshot(result);
});

test('memsim: nanosecond time stamps and a window change when requests may start', async (t) => {
  const { dir, file } = dramsim3File(['0x0 READ 0', '0x40 READ 10', '0x80 READ 10.5']);
  const cycles = stable((await runCaptured(['memsim', '--device', 'ddr4-3200', '--trace', file, '--json', '--ts-unit', 'ns'], { cwd: dir })).out);
  const windowed = stable((await runCaptured(['memsim', '--device', 'ddr4-3200', '--trace', file, '--json', '--ts-unit', 'ns', '--window', '1'], { cwd: dir })).out);
  t.true((windowed['simulatedNs'] as number) > (cycles['simulatedNs'] as number));
});

test('memsim: merging duplicate reads moves fewer bytes over the bus when --merge-duplicates is on', async (t) => {
  const { dir, file } = dramsim3File(Array.from({ length: 40 }, () => '0x1000 READ 0'));
  const off = stable((await runCaptured(['memsim', '--device', 'hbm3-6400', '--trace', file, '--json'], { cwd: dir })).out);
  const on = stable((await runCaptured(['memsim', '--device', 'hbm3-6400', '--trace', file, '--json', '--merge-duplicates', 'on'], { cwd: dir })).out);
  t.is(off['bytes'], on['bytes']);
  t.true((on['busBandwidthGBps'] as number) * (on['simulatedNs'] as number) < (off['busBandwidthGBps'] as number) * (off['simulatedNs'] as number));
});

test('memsim: reports batch gather times when an Engram trace runs in batches with a barrier', async (t) => {
  const tokens = 600;
  const layers = [{ layerId: 1, primes: [1009, 1013], rowOffsets: [0, 1009] }, { layerId: 14, primes: [1019, 1021], rowOffsets: [0, 1019] }];
  const trace: Trace = {
    header: { formatVersion: 1, config: 'demo', source: 'unit', tokenizer: 'identity', tokens, sequenceLengths: [tokens], rowBytes: 256, layers },
    rows: layers.map((l) => Uint32Array.from({ length: tokens * 2 }, (_, i) => (i * 7919) % (l.primes[0]! + l.primes[1]!))),
  };
  const dir = tempDir();
  writeFileSync(path.join(dir, 'gather.trace'), encodeTrace(trace));
  const r = await runCaptured(['memsim', '--device', 'ddr5-4800-8ch', '--trace', 'gather.trace', '--trace-format', 'engram', '--json'], { cwd: dir });
  t.is(r.code, 0, r.err);
  const result = JSON.parse(r.out) as { requests: number; batchNs: { mean: number; p50: number; p99: number }; latencyNs: { p50: number } };
  t.is(result.requests, tokens * 2 * 2);
  t.true(result.batchNs.p50 > result.latencyNs.p50);
  const small = JSON.parse((await runCaptured(['memsim', '--device', 'ddr5-4800-8ch', '--trace', 'gather.trace', '--trace-format', 'engram', '--json', '--batch-requests', '64'], { cwd: dir })).out) as typeof result;
  t.true(small.batchNs.mean < result.batchNs.mean);
  const human = await runCaptured(['memsim', '--device', 'ddr5-4800-8ch', '--trace', 'gather.trace', '--trace-format', 'engram'], { cwd: dir });
  t.regex(human.out, /batches: +4, gather time mean/);
});

test('memsim: prints a readable summary with peak, bandwidth, latency and speed when --json is absent', async (t) => {
  const { dir, file } = dramsim3File(['0x0 READ 0', '0x40 READ 1']);
  const r = await runCaptured(['memsim', '--device', 'ddr5-4800', '--trace', file], { cwd: dir });
  t.is(r.code, 0, r.err);
  for (const word of ['peak 38.40 GB/s', 'requests:  2', 'latency:', 'rows:', 'requests per wall second']) t.true(r.out.includes(word), word);
});

const missing = (tool: string, what: string): string | null => (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' }).status === 0 ? null : `${what} not installed`);
const ENGINES = [
  { name: 'native', test: gatedTest(missing(process.env['CXX'] ?? 'g++', 'a C++ compiler')) },
  { name: 'wasm', test: gatedTest(missing('em++', 'em++ (emscripten)')) },
] as const;

for (const engine of ENGINES) {
  engine.test(`memsim: --engine ${engine.name} and --engine typescript print the same results for timed and batched replays`, async (t) => {
    const lines = Array.from({ length: 3000 }, (_, i) => `0x${(((i * 7919) % 4096) * 64 + (i % 3) * 2 ** 31).toString(16)} ${i % 5 === 0 ? 'WRITE' : 'READ'} ${i >> 2}`);
    const { dir, file } = dramsim3File(lines);
    for (const extra of [[], ['--merge-duplicates', 'on', '--window', '16']]) {
      const args = ['memsim', '--device', 'ddr5-4800-8ch', '--trace', file, '--json', ...extra];
      const compiled = await runCaptured([...args, '--engine', engine.name], { cwd: dir });
      const typescript = await runCaptured([...args, '--engine', 'typescript'], { cwd: dir });
      t.is(compiled.code, 0, compiled.err);
      t.is((JSON.parse(compiled.out) as { engine: string }).engine, engine.name);
      t.is((JSON.parse(typescript.out) as { engine: string }).engine, 'typescript');
      t.deepEqual(stable(compiled.out), stable(typescript.out), extra.join(' '));
    }
    const human = await runCaptured(['memsim', '--device', 'hbm2-2000', '--trace', file, '--engine', engine.name], { cwd: dir });
    t.regex(human.out, engine.name === 'native' ? /engine: +native \(sim\/dramcore built with g\+\+, a child process fed while the trace is read\)\n/ : /engine: +wasm \(sim\/dramcore as WebAssembly\)\n/);
  });
}

ENGINES[1].test('memsim: --engine auto runs the WebAssembly core where no C++ compiler is found, and says why', (t) => {
  const { dir, file } = dramsim3File(['0x0 READ 0', '0x40 READ 1']);
  const cli = path.resolve('bin/engram-dse.mjs');
  const r = spawnSync(process.execPath, [cli, 'memsim', '--device', 'hbm2-2000', '--trace', file], { cwd: dir, encoding: 'utf8', env: { ...process.env, CXX: 'engram-no-such-compiler' } });
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /engine: +wasm \(sim\/dramcore as WebAssembly\): a C\+\+ compiler \(engram-no-such-compiler\) is not installed, so the native core cannot be built \(scripts\/install-tools.sh installs it\)\n/);
});

test('memsim: the TypeScript model replays presets the compiled core does not model, and says why', async (t) => {
  const { dir, file } = dramsim3File(['0x0 READ 0', '0x40 READ 1']);
  const auto = await runCaptured(['memsim', '--device', 'cxl2-x8-asic', '--trace', file], { cwd: dir });
  t.is(auto.code, 0, auto.err);
  t.regex(auto.out, /engine: +typescript \(src\/memory\): the compiled core models DRAM presets only, and cxl2-x8-asic is cxl\n/);
  t.notRegex(auto.out, /undefined/);
  for (const engine of ['native', 'wasm']) {
    const forced = await runCaptured(['memsim', '--device', 'cxl2-x8-asic', '--trace', file, '--engine', engine], { cwd: dir });
    t.is(forced.code, 2);
    t.is(forced.err.trim(), `engram-dse: --engine: ${engine} cannot run here: the compiled core models DRAM presets only, and cxl2-x8-asic is cxl; expected --engine auto or typescript`);
  }
});

test('memsim: one line naming the option, the value and what was expected when the input is bad', async (t) => {
  const { dir, file } = dramsim3File(['0x0 READ 0', '0x40 RAED 1']);
  const cases: [string, string[]][] = [
    ['unknown preset', ['--device', 'hbm9', '--trace', file]],
    ['malformed line', ['--device', 'hbm2-2000', '--trace', file]],
    ['batch size with a dramsim3 trace', ['--device', 'hbm2-2000', '--trace', file, '--batch-requests', '4']],
    ['window not a positive integer', ['--device', 'hbm2-2000', '--trace', file, '--window', '0']],
    ['missing trace file', ['--device', 'hbm2-2000', '--trace', 'nope.trace']],
    ['time unit with an engram trace', ['--device', 'hbm2-2000', '--trace', file, '--trace-format', 'engram', '--ts-unit', 'ns']],
    ['unknown trace format', ['--device', 'hbm2-2000', '--trace', file, '--trace-format', 'ramulator']],
  ];
  for (const [what, args] of cases) {
    const r = await runCaptured(['memsim', ...args], { cwd: dir });
    t.is(r.code, 2, what);
    t.is(r.err.trim().split('\n').length, 1, what);
    t.notRegex(r.err, /\n\s+at /);
    t.snapshot(r.err, what);
  }
});
