// The SystemC build (sim/systemc/build.sh): the smoke model of sim/systemc/smoke built natively against Debian's
// libsystemc-dev and in WebAssembly on the emscripten-fiber SystemC gives the same results, and both equal the
// cycle behaviour derived by hand below. Without the tools the tests skip with the reason in the title; with CI set
// they fail instead, so CI cannot pass without running them.
import type { ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildSystemcTarget } from '../../src/cosim/index.ts';
import { toolTest as bothBackends } from './tools.ts';

const CYCLES = 40_000;

/** A test that needs both smoke builds. */
const toolTest = (title: string, body: (t: ExecutionContext) => Promise<void>): void => bothBackends(['native', 'wasm'], title, body);

/** The build script's folder for a smoke target (a no-op when cached). */
const build = (target: 'smoke-wasm' | 'smoke-native'): Promise<string> => buildSystemcTarget(target);

type Variant = 'threads' | 'methods' | 'exceptions';
const VARIANT_IDS: Record<Variant, number> = { threads: 0, methods: 1, exceptions: 2 };

interface SmokeResult {
  checksum: number;
  reads: number;
  starts: number;
  iters: number;
  caught: number;
  resets: number;
  kills: number;
  wallNs: number;
  cycles: number;
}

function runNative(dir: string, variant: Variant, cycles: number): SmokeResult {
  const r = spawnSync(path.join(dir, 'sc_smoke'), [variant, String(cycles)], {
    encoding: 'utf8',
    env: { ...process.env, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE: '1' },
  });
  if (r.status !== 0) throw new Error(`sc_smoke ${variant}: exit ${r.status}: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop() ?? '';
  return JSON.parse(line) as SmokeResult;
}

interface SmokeModule {
  _smoke_init(variant: number): number;
  _smoke_run(cycles: number): void;
  _smoke_checksum(): number;
  _smoke_reads(): number;
  _smoke_probe(which: number): number;
  _smoke_wall_ns(): number;
  _smoke_cycles(): number;
}
type SmokeFactory = (options: { wasmBinary: Uint8Array; print: (s: string) => void; printErr: (s: string) => void }) => Promise<SmokeModule>;

/** One fresh module instance per variant: SystemC elaborates once per instance. */
async function runWasm(dir: string, variant: Variant, cycles: number): Promise<SmokeResult> {
  const factory = createRequire(import.meta.url)(path.join(dir, 'sc_smoke.js')) as SmokeFactory;
  // emscripten 3.1.6 fetch()es the .wasm when fetch exists (Node >= 18), so the bytes are passed in.
  const m = await factory({ wasmBinary: new Uint8Array(readFileSync(path.join(dir, 'sc_smoke.wasm'))), print: () => {}, printErr: () => {} });
  if (m._smoke_init(VARIANT_IDS[variant]) !== 0) throw new Error(`smoke_init(${variant}) failed`);
  // smoke_run switches fibers, so its results come back through the getters.
  m._smoke_run(cycles);
  const u32 = (x: number): number => x >>> 0;
  return {
    checksum: u32(m._smoke_checksum()), reads: u32(m._smoke_reads()),
    starts: u32(m._smoke_probe(0)), iters: u32(m._smoke_probe(1)), caught: u32(m._smoke_probe(2)),
    resets: u32(m._smoke_probe(3)), kills: u32(m._smoke_probe(4)),
    wallNs: m._smoke_wall_ns(), cycles: m._smoke_cycles(),
  };
}

/**
 * The smoke system's checksum derived from its protocol rather than simulated: the counter holds n - 1 during
 * rising edge n (it counts edges from the first, at t = 0). Read k is issued at edge e = 6k + 1; the target
 * samples it at e + 1, waits 3 edges and answers at e + 4 with memory_word(addr, count = e + 3); the initiator
 * sees the answer at e + 5 (count = e + 4) and issues the next read at e + 6.
 */
function expectedChecksum(cycles: number): { checksum: number; reads: number } {
  let addr = 1;
  let checksum = 0;
  let reads = 0;
  for (let e = 1; e + 5 <= cycles; e += 6) {
    addr = (Math.imul(addr, 1103515245) + 12345) >>> 0;
    const word = (Math.imul(addr & 0xffff, 2654435761 | 0) ^ (e + 3)) >>> 0;
    checksum = (Math.imul(checksum, 31) + word + e + 4) >>> 0;
    reads++;
  }
  return { checksum, reads };
}

let builds: Promise<{ wasm: string; native: string }> | undefined;
/** Both builds, once per test process (the wasm one builds SystemC itself the first time, a few minutes). */
function smokeBuilds(): Promise<{ wasm: string; native: string }> {
  builds ??= (async () => ({ native: await build('smoke-native'), wasm: await build('smoke-wasm') }))();
  return builds;
}

function nsPerCycle(r: SmokeResult): string {
  return (r.wallNs / r.cycles).toFixed(0);
}

toolTest(`systemc: the smoke model gives the same checksum in WebAssembly and natively, for threads and methods, over ${CYCLES} cycles`, async (t) => {
  t.timeout(20 * 60_000);
  const dirs = await smokeBuilds();
  const expected = expectedChecksum(CYCLES);
  for (const variant of ['threads', 'methods'] as const) {
    const native = runNative(dirs.native, variant, CYCLES);
    const wasm = await runWasm(dirs.wasm, variant, CYCLES);
    t.is(wasm.cycles, CYCLES, `${variant}: wasm cycles`);
    t.is(native.cycles, CYCLES, `${variant}: native cycles`);
    t.deepEqual({ checksum: wasm.checksum, reads: wasm.reads }, { checksum: native.checksum, reads: native.reads }, `${variant}: wasm equals native`);
    t.deepEqual({ checksum: native.checksum, reads: native.reads }, expected, `${variant}: native equals the protocol`);
    t.log(`${variant}: checksum ${native.checksum}, ${native.reads} reads; ns/cycle native ${nsPerCycle(native)}, wasm ${nsPerCycle(wasm)}`);
  }
});

toolTest('systemc: exceptions thrown across wait() and process reset/kill behave the same in WebAssembly and natively', async (t) => {
  t.timeout(20 * 60_000);
  const dirs = await smokeBuilds();
  const native = runNative(dirs.native, 'exceptions', CYCLES);
  const wasm = await runWasm(dirs.wasm, 'exceptions', CYCLES);
  const counters = (r: SmokeResult) => ({ starts: r.starts, iters: r.iters, caught: r.caught, resets: r.resets, kills: r.kills });
  t.deepEqual(counters(wasm), counters(native));
  // Two resets restart the worker (3 starts) and one kill ends it; every third iteration throws and is caught.
  t.like(counters(native), { starts: 3, resets: 2, kills: 1, caught: Math.floor(native.iters / 3) });
  // The controller kills the worker 22 edges in; an edge may be lost at each of the 3 calls, so 19..22 iterations,
  // and none after the kill although the run goes on for 40,000 cycles.
  t.true(native.iters >= 19 && native.iters <= 22, `iters ${native.iters}`);
  t.log(`exceptions: ${JSON.stringify(counters(native))}`);
});
