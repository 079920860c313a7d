// The one file of src/cosim that touches the file system (an eslint override allows exactly this file):
// it finds the tools, runs sim/build.sh (cached by a hash of its inputs), and loads the built model,
// WebAssembly by default and the spawned native harness as the fallback.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimError, showValue } from '../core/index.ts';
import type { DutBackend, HashGatherDut } from './dut.ts';
import { NativeDut } from './nativeDut.ts';
import { DEFAULT_UNIT_PARAMS, type UnitParams } from './types.ts';
import { WasmDut, type HashGatherFactory } from './wasmDut.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD_SCRIPT = path.join(REPO_ROOT, 'sim', 'build.sh');

export type BuildTarget = 'wasm' | 'wasm-trace' | 'native' | 'native-trace';

/** Whether a command is on PATH. */
function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Why a backend cannot be built here, or null when its tools are present. */
export function missingTools(backend: DutBackend): string | null {
  const needed = backend === 'wasm' ? ['verilator', 'em++'] : ['verilator', 'g++'];
  const missing = needed.filter((tool) => !hasCommand(tool));
  return missing.length === 0 ? null : `${missing.join(' and ')} not installed (scripts/install-tools.sh)`;
}

/** The first backend whose tools are present, preferring wasm; null when neither can be built. */
export function availableBackend(): DutBackend | null {
  if (missingTools('wasm') === null) return 'wasm';
  if (missingTools('native') === null) return 'native';
  return null;
}

function paramArgs(params: UnitParams): string[] {
  return [
    `MAX_N=${params.maxN}`, `HEADS=${params.heads}`, `ID_BITS=${params.idBits}`, `ROW_BYTES=${params.rowBytesMax}`,
    `DATA_W=${params.dataBits}`, `PORTS=${params.ports}`, `DEPTH=${params.depth}`,
  ];
}

/** Runs sim/build.sh (a no-op when the cached build exists) and returns the build folder. */
export function buildModel(target: BuildTarget, params: UnitParams = DEFAULT_UNIT_PARAMS): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [BUILD_SCRIPT, target, ...paramArgs(params)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-4000)));
    child.on('error', (error) => reject(new SimError(`sim/build.sh ${target}: cannot start bash (${error.message})`, { cause: error })));
    child.on('close', (code) => {
      const dir = out.trim().split('\n').pop() ?? '';
      if (code === 0 && dir !== '' && existsSync(path.join(dir, '.complete'))) resolve(dir);
      else reject(new SimError(`sim/build.sh ${target}: build failed (exit ${code}): ${err.trim().split('\n').slice(-12).join('\n')}`));
    });
  });
}

/** Loads the WebAssembly model from a build folder. */
export async function loadWasmDut(dir: string): Promise<WasmDut> {
  const glue = path.join(dir, 'hash_gather.js');
  const wasm = path.join(dir, 'hash_gather.wasm');
  // emscripten 3.1.6 fetch()es the .wasm when fetch exists (Node >= 18), so the bytes are passed in.
  const wasmBinary = new Uint8Array(readFileSync(wasm));
  const factory = createRequire(import.meta.url)(glue) as HashGatherFactory;
  if (typeof factory !== 'function') throw new SimError(`${glue}: expected an emscripten factory function, got ${showValue(typeof factory)}`);
  return WasmDut.create(factory, wasmBinary);
}

export interface OpenDutOptions {
  /** 'auto' (the default) takes wasm when emscripten is installed, else native. */
  backend?: DutBackend | 'auto';
  params?: UnitParams;
  /** Build with VCD support. */
  trace?: boolean;
}

/** Builds (or reuses) and starts a model of the unit. */
export async function openDut(options: OpenDutOptions = {}): Promise<HashGatherDut> {
  const params = options.params ?? DEFAULT_UNIT_PARAMS;
  const requested = options.backend ?? 'auto';
  const backend = requested === 'auto' ? availableBackend() : requested;
  if (backend === null) {
    throw new SimError(`cosim: no backend can be built here: wasm needs ${missingTools('wasm')}; native needs ${missingTools('native')}`);
  }
  const missing = missingTools(backend);
  if (missing !== null) throw new SimError(`cosim: backend ${backend}: ${missing}`);
  const target: BuildTarget = `${backend}${options.trace === true ? '-trace' : ''}` as BuildTarget;
  const dir = await buildModel(target, params);
  return backend === 'wasm' ? loadWasmDut(dir) : NativeDut.spawn(path.join(dir, 'hash_gather_sim'));
}
