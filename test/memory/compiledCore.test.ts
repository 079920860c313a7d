// The compiled memsim core (sim/dramcore), as WebAssembly and built natively, against the TypeScript model it was
// ported from: the same summary, field for field (latency histogram, batch times, engine steps, device statistics included), over every
// DRAM preset and seeded mixes of reads and writes, request sizes, duplicates, wrapping addresses, page policies,
// merging, windows, and timed and batched replays; and the same errors for bad records.
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCompiledCore, loadNativeCore } from '../../src/cli/compiledCoreLoader.ts';
import { Rng, SimError } from '../../src/core/index.ts';
import {
  compiledCoreUnsupported,
  createMemoryDevice,
  simulate,
  simulateCompiled,
  simulateNative,
  type ResolvedDramPreset,
  type DramOptions,
  type RequestStream,
  type SimulationSummary,
  type TraceDriverOptions,
  type TraceRecord,
} from '../../src/memory/index.ts';
import { gatedTest } from '../helpers/toolGate.ts';
import { ListStream, anyPreset, preset, presetNames } from './helpers.ts';

const missing = (tool: string, what: string): string | null => (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' }).status === 0 ? null : `${what} not installed`);

/** A build of the core and how to run a replay on it. */
interface Backend {
  readonly name: 'wasm' | 'native';
  readonly test: ReturnType<typeof gatedTest>;
  run(p: ResolvedDramPreset, dram: DramOptions, stream: RequestStream, options: TraceDriverOptions): Promise<SimulationSummary>;
}

const BACKENDS: Backend[] = [
  {
    name: 'wasm',
    test: gatedTest(missing('em++', 'em++ (emscripten)'), { serial: true }),
    run: async (p, dram, stream, options) => {
      const load = loadCompiledCore();
      if ('unavailable' in load) throw new Error(load.unavailable);
      return simulateCompiled(load.core, p, dram, stream, options);
    },
  },
  {
    name: 'native',
    test: gatedTest(missing(process.env['CXX'] ?? 'g++', 'a C++ compiler'), { serial: true }),
    run: (p, dram, stream, options) => {
      const load = loadNativeCore();
      if ('unavailable' in load) throw new Error(load.unavailable);
      return simulateNative(load.binary, p, dram, stream, options);
    },
  },
];

const DRAM_PRESETS = presetNames().filter((name) => anyPreset(name).kind === 'dram');

interface Mix {
  writes: number;
  hot: number;
  sizes: number[];
  spanBytes: number;
  gapCycles: number;
  batchRequests: number;
  unaligned: boolean;
}

/** A seeded stream: hot rows (duplicates), sizes from one to many bursts, unaligned starts, growing times. */
class MixStream implements RequestStream {
  private i = 0;
  private cycle = 0;
  private readonly rng: Rng;
  constructor(private readonly count: number, private readonly mix: Mix, seed: string) {
    this.rng = new Rng(seed);
  }
  next(into: TraceRecord): boolean {
    if (this.i >= this.count) return false;
    const { mix, rng } = this;
    const hot = rng.nextFloat() < mix.hot;
    let addr = (hot ? rng.nextInt(16) : Math.floor(rng.nextFloat() * (mix.spanBytes / 64))) * 64;
    if (mix.unaligned) addr += rng.nextInt(64);
    this.cycle += rng.nextInt(mix.gapCycles + 1);
    into.addr = addr;
    into.sizeBytes = mix.sizes[rng.nextInt(mix.sizes.length)]!;
    into.isWrite = rng.nextFloat() < mix.writes;
    into.cycle = this.cycle;
    into.batch = Math.floor(this.i / mix.batchRequests);
    this.i++;
    return true;
  }
}

/** A summary as plain data (the histogram's buckets included), so deepEqual compares every number. */
const plain = (s: SimulationSummary): unknown => JSON.parse(JSON.stringify(s));

const pick = <T>(rng: Rng, values: readonly T[]): T => values[rng.nextInt(values.length)]!;

for (const backend of BACKENDS) {
  for (const name of DRAM_PRESETS) {
    backend.test(`compiled core (${backend.name}): ${name}: four seeded replays give the TypeScript model's summary field for field`, async (t) => {
      const p = preset(name);
      for (let run = 0; run < 4; run++) {
        const rng = new Rng(`compiled-core-${name}-${run}`);
        const mix: Mix = {
          writes: pick(rng, [0, 0.3, 1]),
          hot: pick(rng, [0, 0.5]),
          sizes: pick(rng, [[64], [32, 64, 128, 256], [100, 64, 4096]]),
          // 2^40 bytes exceeds every preset's capacity, so some addresses wrap.
          spanBytes: pick(rng, [2 ** 24, 2 ** 34, 2 ** 40]),
          gapCycles: pick(rng, [0, 3, 50]),
          batchRequests: pick(rng, [1, 37, 512]),
          unaligned: rng.nextFloat() < 0.3,
        };
        // Each run flips merging and page policy, so both values of each are covered per preset.
        const dram: DramOptions = { mergeDuplicates: run % 2 === 0 ? 'controller' : 'off', pagePolicy: run < 2 ? 'open' : 'closed' };
        const options: TraceDriverOptions = { mode: run % 3 === 0 ? 'batched' : 'timed', window: pick(rng, [Infinity, 1, 7, 64]) };
        const count = 12000;
        const expected = simulate(createMemoryDevice(p, dram), new MixStream(count, mix, `${name}-${run}`), options);
        const actual = await backend.run(p, dram, new MixStream(count, mix, `${name}-${run}`), options);
        t.deepEqual(plain(actual), plain(expected), `run ${run}: ${JSON.stringify({ mix, dram, options })}`);
        t.is(actual.requests, count);
      }
    });
  }

  backend.test(`compiled core (${backend.name}): more records than one input block (8192) and a non-power-of-two channel count replay alike`, async (t) => {
    const p = preset('ddr5-4800-12ch');
    const mix: Mix = { writes: 0.1, hot: 0.2, sizes: [64, 256], spanBytes: 2 ** 36, gapCycles: 1, batchRequests: 4096, unaligned: false };
    for (const options of [{ mode: 'timed', window: Infinity }, { mode: 'batched', window: 256 }] as const) {
      const dram: DramOptions = { mergeDuplicates: 'controller' };
      const expected = simulate(createMemoryDevice(p, dram), new MixStream(30000, mix, 'blocks'), options);
      const actual = await backend.run(p, dram, new MixStream(30000, mix, 'blocks'), options);
      t.deepEqual(plain(actual), plain(expected), options.mode);
      if (options.mode === 'batched') t.is(actual.batches, Math.ceil(30000 / 4096));
    }
  });

  backend.test(`compiled core (${backend.name}): an empty stream reports zero requests, as the TypeScript model does`, async (t) => {
    const p = preset('hbm2-2000');
    const dram: DramOptions = { mergeDuplicates: 'off' };
    const options: TraceDriverOptions = { mode: 'timed', window: Infinity };
    t.deepEqual(plain(await backend.run(p, dram, new ListStream([]), options)), plain(simulate(createMemoryDevice(p, dram), new ListStream([]), options)));
  });

  backend.test(`compiled core (${backend.name}): bad records and options throw SimErrors naming the record, the field and what was expected`, async (t) => {
    const p = preset('hbm2-2000');
    const dram: DramOptions = { mergeDuplicates: 'off' };
    const timed: TraceDriverOptions = { mode: 'timed', window: Infinity };
    const run = (records: Partial<TraceRecord>[], options = timed): Promise<SimulationSummary> => backend.run(p, dram, new ListStream(records), options);
    const cases: [string, () => Promise<unknown>, string][] = [
      ['negative address', () => run([{ addr: 0 }, { addr: -64 }]), 'DramDevice.issue (hbm2-2000): record 2: addr: expected an integer in [0, 2^53), got -64'],
      ['fractional address', () => run([{ addr: 0.5 }]), 'DramDevice.issue (hbm2-2000): record 1: addr: expected an integer in [0, 2^53), got 0.5'],
      ['zero size', () => run([{ addr: 64, sizeBytes: 0 }]), 'DramDevice.issue (hbm2-2000): record 1: sizeBytes: expected a positive integer with addr + sizeBytes <= 2^53, got 0'],
      ['time going back', () => run([{ cycle: 5 }, { cycle: 3 }]), "TraceDriver: request 2: cycle 3 is before the previous request's cycle 5; expected non-decreasing times"],
      ['window 0', () => run([{}], { mode: 'timed', window: 0 }), 'TraceDriver: window: expected at least 1 or Infinity, got 0'],
    ];
    for (const [what, fn, message] of cases) t.is((await t.throwsAsync(fn, { instanceOf: SimError }, what))?.message, message, what);
    // Batched replays do not require times to grow, as in the TypeScript model.
    t.is((await run([{ cycle: 5 }, { cycle: 3 }], { mode: 'batched', window: Infinity })).requests, 2);
    // The TypeScript model stops on the same time check with the same message.
    t.throws(() => simulate(createMemoryDevice(p, dram), new ListStream([{ cycle: 5 }, { cycle: 3 }]), timed), {
      message: "TraceDriver: request 2: cycle 3 is before the previous request's cycle 5; expected non-decreasing times",
    });
  });
}

test('compiled core: a mapping with more digits than the core holds is refused with the reason, before any build', (t) => {
  const p = preset('hbm2-2000');
  // Rows split into single-bit digits: a legal mapping of 19 entries, more than the core's 16.
  const mapping = ['column', 'channel', 'bankGroup', 'bank', 'rank', ...Array.from({ length: 13 }, () => 'row:1'), 'row'];
  const why = compiledCoreUnsupported(p, { mergeDuplicates: 'off', addressMapping: mapping });
  t.is(why, 'the address mapping has 19 entries; the compiled core takes at most 16');
  t.is(compiledCoreUnsupported(p, { mergeDuplicates: 'off' }), null);
});

/** A stand-in for dram_core_native: a Node script that answers with `body` (JavaScript run after the shebang). */
function fakeNative(t: ExecutionContext, body: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'engram-native-core-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'dram_core_native');
  writeFileSync(file, `#!${process.execPath}\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

test('native core: a missing binary, a build of another layout and a failing binary reject with SimErrors that say so', async (t) => {
  const p = preset('hbm2-2000');
  const dram: DramOptions = { mergeDuplicates: 'off' };
  const timed: TraceDriverOptions = { mode: 'timed', window: Infinity };
  const records = (): RequestStream => new ListStream([{ addr: 0 }, { addr: 64 }]);
  const missingBinary = path.join(tmpdir(), 'engram-no-such-dir', 'dram_core_native');
  await t.throwsAsync(simulateNative(missingBinary, p, dram, records(), timed), { instanceOf: SimError, message: `native memsim core ${missingBinary}: spawn ${missingBinary} ENOENT` });
  // A header announcing a parameter block of 3 doubles and a result block of 4.
  const other = fakeNative(t, 'process.stdout.write(new Uint8Array(new Float64Array([3, 4, 5, 8192, 5]).buffer)); process.stdin.resume();');
  await t.throwsAsync(simulateNative(other, p, dram, records(), timed), {
    instanceOf: SimError,
    message: new RegExp(`^compiled memsim core: parameter block: expected \\d+ entries, got 3 \\(${other.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is a build of another version of sim/dramcore; rebuild with bash sim/dramcore/build.sh native\\)$`),
  });
  const dies = fakeNative(t, 'process.stderr.write("dram_core_native: stdin: a block count outside [0, input capacity]\\n"); process.exit(2);');
  await t.throwsAsync(simulateNative(dies, p, dram, records(), timed), {
    instanceOf: SimError,
    message: `native memsim core ${dies}: exited with code 2 before its header: dram_core_native: stdin: a block count outside [0, input capacity]`,
  });
});
