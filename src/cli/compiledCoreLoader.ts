// Builds (once, cached under sim/build/ by sim/dramcore/build.sh) and loads the compiled memsim core,
// sim/dramcore/dram_core.wasm, for `engram-dse memsim`; the library side is src/memory/compiledCore.ts.
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

let loaded: CoreLoad | null = null;

/** Builds the core when its cached build is missing (em++ -O3, a few seconds) and compiles it. */
export function loadCompiledCore(): CoreLoad {
  if (loaded !== null) return loaded;
  loaded = buildAndCompile();
  return loaded;
}

function buildAndCompile(): CoreLoad {
  if (spawnSync('sh', ['-c', 'command -v em++'], { stdio: 'ignore' }).status !== 0) {
    return { unavailable: 'em++ (emscripten) is not installed, so the compiled core cannot be built (scripts/install-tools.sh installs it)' };
  }
  const build = spawnSync('bash', [BUILD_SCRIPT, 'wasm'], { cwd: REPO_ROOT, encoding: 'utf8' });
  const dir = (build.stdout ?? '').trim().split('\n').pop() ?? '';
  const file = path.join(dir, 'dram_core.wasm');
  if (build.status !== 0 || dir === '' || !existsSync(file)) {
    const why = build.error?.message ?? (build.stderr ?? '').trim().split('\n').slice(-4).join(' / ');
    return { unavailable: `sim/dramcore/build.sh wasm failed (exit ${build.status}): ${why}` };
  }
  const bytes = new Uint8Array(readFileSync(file));
  return { core: optimisedUpFront(() => compileCore(bytes, file)) };
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
