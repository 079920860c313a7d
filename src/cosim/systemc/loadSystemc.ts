// The one file of src/cosim/systemc that touches the file system and processes (an eslint override allows
// it): it builds the SystemC model with sim/systemc/build.sh (cached by a hash of its inputs), then runs it
// as WebAssembly (a fresh module instance per run: SystemC elaborates once per process) or as the native
// binary (input on stdin, the result JSON on stdout).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimError, showValue } from '../../core/index.ts';
import { parseSystemcResult, type SystemcResult } from './result.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BUILD_SCRIPT = path.join(REPO_ROOT, 'sim', 'systemc', 'build.sh');

export type SystemcBackend = 'wasm' | 'native';

/** The emscripten module's surface the binding uses. */
interface EngramScModule {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  _engram_sc_run(input: number): number;
  _engram_sc_result(): number;
  _engram_sc_error(): number;
  UTF8ToString(ptr: number): string;
  stringToUTF8(text: string, ptr: number, maxBytes: number): void;
  lengthBytesUTF8(text: string): number;
}
type EngramScFactory = (options: { wasmBinary: Uint8Array; noInitialRun: boolean; print: (s: string) => void; printErr: (s: string) => void }) => Promise<EngramScModule>;

function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Why the backend cannot be built here, or null when its tools are present. */
export function missingSystemcTools(backend: SystemcBackend): string | null {
  const needed = backend === 'wasm' ? ['verilator', 'em++', 'emcmake', 'cmake'] : ['verilator', 'g++'];
  const missing = needed.filter((tool) => !hasCommand(tool));
  if (backend === 'native' && !existsSync('/usr/include/systemc.h')) missing.push("Debian's libsystemc-dev");
  return missing.length === 0 ? null : `${missing.join(', ')} not installed (scripts/install-tools.sh)`;
}

/** Runs sim/systemc/build.sh model-<backend> (a no-op when the cached build exists); returns the build folder. */
export function buildSystemc(backend: SystemcBackend): Promise<string> {
  return buildSystemcTarget(`model-${backend}`);
}

/** Runs sim/systemc/build.sh `target` (model-*, smoke-*, lib-*; cached) and returns the folder it prints last. */
export function buildSystemcTarget(target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [BUILD_SCRIPT, target], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-4000)));
    child.on('error', (error) => reject(new SimError(`sim/systemc/build.sh ${target}: cannot start bash (${error.message})`, { cause: error })));
    child.on('close', (code) => {
      const dir = out.trim().split('\n').pop() ?? '';
      if (code === 0 && dir !== '' && existsSync(path.join(dir, '.complete'))) resolve(dir);
      else reject(new SimError(`sim/systemc/build.sh ${target}: build failed (exit ${code}): ${err.trim().split('\n').slice(-12).join('\n')}`));
    });
  });
}

/** Runs the model built in `dir` on `input` (systemcInput's text) and returns its checked result. */
export async function runSystemc(backend: SystemcBackend, dir: string, input: string): Promise<SystemcResult> {
  return backend === 'wasm' ? runWasm(dir, input) : runNative(dir, input);
}

async function runWasm(dir: string, input: string): Promise<SystemcResult> {
  const glue = path.join(dir, 'engram_sc.js');
  const wasm = path.join(dir, 'engram_sc.wasm');
  if (!existsSync(glue) || !existsSync(wasm)) throw new SimError(`${dir}: expected engram_sc.js and engram_sc.wasm (sim/systemc/build.sh model-wasm)`);
  const factory = createRequire(import.meta.url)(glue) as EngramScFactory;
  if (typeof factory !== 'function') throw new SimError(`${glue}: expected an emscripten factory function, got ${showValue(typeof factory)}`);
  const banner: string[] = [];
  const m = await factory({ wasmBinary: new Uint8Array(readFileSync(wasm)), noInitialRun: true, print: (s) => banner.push(s), printErr: (s) => banner.push(s) });
  const bytes = m.lengthBytesUTF8(input) + 1;
  const ptr = m._malloc(bytes);
  m.stringToUTF8(input, ptr, bytes);
  // Results come back through getters: a call that switches coroutines loses its return value.
  const rc = m._engram_sc_run(ptr);
  m._free(ptr);
  if (rc !== 0) throw new SimError(`SystemC model (wasm): ${m.UTF8ToString(m._engram_sc_error())}`);
  return parseSystemcResult(m.UTF8ToString(m._engram_sc_result()), 'SystemC model (wasm)');
}

function runNative(dir: string, input: string): Promise<SystemcResult> {
  const binary = path.join(dir, 'engram_sc');
  if (!existsSync(binary)) throw new SimError(`${dir}: expected the engram_sc binary (sim/systemc/build.sh model-native)`);
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-4000)));
    child.on('error', (error) => reject(new SimError(`${binary}: cannot start (${error.message})`, { cause: error })));
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new SimError(`SystemC model (native): ${err.trim().replace(/^engram_sc: /, '') || `exit ${code}`}`));
        return;
      }
      const line = out.split('\n').reverse().find((l) => l.startsWith('{'));
      if (line === undefined) {
        reject(new SimError(`SystemC model (native): result: expected a JSON line on stdout, got ${JSON.stringify(out.slice(-200))}`));
        return;
      }
      try {
        resolve(parseSystemcResult(line, 'SystemC model (native)'));
      } catch (error) {
        reject(error as Error);
      }
    });
    child.stdin.end(input);
  });
}
