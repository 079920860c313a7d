// Builds (once, cached under sim/build/ by sim/dramcore/build.sh) the compiled memsim core for `engram-dse
// memsim`: dram_core.wasm, loaded and compiled here (library side: src/memory/compiledCore.ts), and the native
// dram_core_native, whose path goes to src/memory/nativeCore.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { compileCore, type CompiledCore } from '../memory/index.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD_SCRIPT = path.join(REPO_ROOT, 'sim', 'dramcore', 'build.sh');

/** The core, or why it cannot be had here (no em++, a failed build); the outcome is kept for the process. */
export type CoreLoad = { readonly core: CompiledCore } | { readonly unavailable: string };
/** The native core's binary, or why it cannot be had here (no C++ compiler, a failed build). */
export type NativeCoreLoad = { readonly binary: string } | { readonly unavailable: string };

let loaded: CoreLoad | null = null;
let loadedNative: NativeCoreLoad | null = null;

/** Builds the core when its cached build is missing (em++ -O3, a few seconds) and compiles it. */
export function loadCompiledCore(): CoreLoad {
  if (loaded !== null) return loaded;
  const built = build('wasm', 'em++', 'dram_core.wasm', 'em++ (emscripten)');
  loaded = 'file' in built ? { core: optimisedUpFront(() => compileCore(new Uint8Array(readFileSync(built.file)), built.file)) } : built;
  return loaded;
}

/** Builds the native core when its cached build is missing (g++ -O2, or $CXX; a few seconds); returns its path. */
export function loadNativeCore(): NativeCoreLoad {
  if (loadedNative !== null) return loadedNative;
  const built = build('native', process.env['CXX'] ?? 'g++', 'dram_core_native', 'a C++ compiler');
  loadedNative = 'file' in built ? { binary: built.file } : built;
  return loadedNative;
}

/** Runs sim/dramcore/build.sh for `target` (a cache check when nothing changed) and returns the built file. */
function build(target: 'wasm' | 'native', compiler: string, output: string, what: string): { file: string } | { unavailable: string } {
  if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', compiler], { stdio: 'ignore' }).status !== 0) {
    return { unavailable: `${what} (${compiler}) is not installed, so the ${target} core cannot be built (scripts/install-tools.sh installs it)` };
  }
  const run = spawnSync('bash', [BUILD_SCRIPT, target], { cwd: REPO_ROOT, encoding: 'utf8' });
  const dir = (run.stdout ?? '').trim().split('\n').pop() ?? '';
  const file = path.join(dir, output);
  if (run.status !== 0 || dir === '' || !existsSync(file)) {
    const why = run.error?.message ?? (run.stderr ?? '').trim().split('\n').slice(-4).join(' / ');
    return { unavailable: `sim/dramcore/build.sh ${target} failed (exit ${run.status}): ${why}` };
  }
  return { file };
}

const TIERING_FLAGS = /^--(no-)?(liftoff|wasm-lazy-compilation)(=|$)/;

/**
 * Runs `compile` with V8 compiling WebAssembly eagerly and straight to optimised code, then restores V8's
 * defaults. By default V8 runs each wasm function in its baseline compiler first and swaps in optimised code
 * later; the core's step loop then spent a long first stretch in baseline code: a first 1 M-request replay took
 * 0.9-1.0 s against 0.5 s (measured), and memsim runs each trace once. The flags are read when a module
 * compiles, so only this module is affected; a user who set either flag keeps their choice.
 */
function optimisedUpFront<T>(compile: () => T): T {
  const given = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];
  if (given.some((flag) => TIERING_FLAGS.test(flag))) return compile();
  v8.setFlagsFromString('--no-liftoff');
  v8.setFlagsFromString('--no-wasm-lazy-compilation');
  try {
    return compile();
  } finally {
    v8.setFlagsFromString('--liftoff');
    v8.setFlagsFromString('--wasm-lazy-compilation');
  }
}
