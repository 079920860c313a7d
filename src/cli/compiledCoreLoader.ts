// Builds (once, cached under sim/build/ by sim/dramcore/build.sh) and loads the compiled memsim core,
// sim/dramcore/dram_core.wasm, for `engram-dse memsim`; the library side is src/memory/compiledCore.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
  return { core: compileCore(new Uint8Array(readFileSync(file)), file) };
}
