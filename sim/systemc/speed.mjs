// Simulation speed of the smoke model, native and WebAssembly side by side (the figures in sim/systemc/README.md):
//   node sim/systemc/speed.mjs [CYCLES] [REPEATS]
// Builds (or reuses) smoke-native and smoke-wasm, runs each variant REPEATS times for CYCLES cycles in 4 sc_start
// calls, and prints ns per simulated cycle: the first call (wasm includes the engine's tier-up) and the best
// later call, the steady state. Each wasm run is a fresh Node process, as in a test or CLI run (several instances
// in one process ran up to 2x slower).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(import.meta.dirname, '..', '..');
const chunks = 4;

// Child mode: one wasm instance in this process; prints its result as JSON.
async function wasmChild(wasmDir, variant, cycles) {
  const factory = createRequire(import.meta.url)(path.join(wasmDir, 'sc_smoke.js'));
  const wasmBinary = new Uint8Array(readFileSync(path.join(wasmDir, 'sc_smoke.wasm')));
  const m = await factory({ wasmBinary, print: () => {}, printErr: () => {} });
  m._smoke_init(variant === 'threads' ? 0 : 1);
  const perChunk = [];
  for (let i = 0; i < chunks; i++) {
    const before = m._smoke_wall_ns();
    m._smoke_run(cycles / chunks);
    perChunk.push((m._smoke_wall_ns() - before) / (cycles / chunks));
  }
  console.log(JSON.stringify({ perChunk, checksum: m._smoke_checksum() >>> 0 }));
}

if (process.argv[2] === '--wasm-child') {
  await wasmChild(process.argv[3], process.argv[4], Number(process.argv[5]));
  process.exit(0);
}

const cycles = Number(process.argv[2] ?? 400_000);
const repeats = Number(process.argv[3] ?? 3);
const build = (target) => execFileSync('bash', [path.join(root, 'sim/systemc/build.sh'), target], { encoding: 'utf8' }).trim().split('\n').pop();
const nativeDir = build('smoke-native');
const wasmDir = build('smoke-wasm');

function wasmRun(variant) {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--wasm-child', wasmDir, variant, String(cycles)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}

function nativeRun(variant) {
  // One sc_start per chunk; the native binary reports the total, so each chunk is a separate short run.
  const out = execFileSync(path.join(nativeDir, 'sc_smoke'), [variant, String(cycles), String(cycles / chunks)], {
    encoding: 'utf8', env: { ...process.env, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE: '1' },
  });
  const r = JSON.parse(out.trim().split('\n').pop());
  return { nsPerCycle: r.wallNs / r.cycles, checksum: r.checksum };
}

for (const variant of ['threads', 'methods']) {
  const wasmFirst = [];
  const wasmSteady = [];
  const native = [];
  let checksums = new Set();
  for (let i = 0; i < repeats; i++) {
    const w = wasmRun(variant);
    wasmFirst.push(w.perChunk[0]);
    wasmSteady.push(Math.min(...w.perChunk.slice(1)));
    const n = nativeRun(variant);
    native.push(n.nsPerCycle);
    checksums = new Set([...checksums, w.checksum, n.checksum]);
  }
  const best = (xs) => Math.min(...xs).toFixed(0);
  console.log(
    `${variant}: ns/cycle native ${best(native)}, wasm ${best(wasmSteady)} (first call ${best(wasmFirst)}), ` +
      `wasm/native ${(Math.min(...wasmSteady) / Math.min(...native)).toFixed(1)}x; ${cycles} cycles, best of ${repeats}; ` +
      `checksums ${[...checksums].join(',')}`,
  );
}
