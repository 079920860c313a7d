// Times the compiled memsim core (sim/dramcore/dram_core.cpp) built natively with g++ -O2 behind
// sim/dramcore/native_main.cpp (`memsim --engine native`), in its bench mode: records from a file, CPU time of the
// replay alone, so `npm run bench memory` sets it beside the WebAssembly build and the TypeScript model.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreParameterBlock, type DramOptions, type RequestStream, type ResolvedDramPreset, type TraceDriverOptions, type TraceRecord } from '../../src/memory/index.ts';

export interface NativeCoreRun {
  readonly status: number;
  readonly cycles: number;
  readonly meanLatencyCycles: number;
  readonly steps: number;
  readonly activates: number;
  readonly refused: number;
  readonly cpuS: number;
}

const BUILD_SCRIPT = fileURLToPath(new URL('../../sim/dramcore/build.sh', import.meta.url));

/** The stream's records as the core's input block lays them out: 5 doubles each (addr, size, write, cycle, batch). */
function recordBlock(stream: RequestStream): Float64Array {
  const rec: TraceRecord = { addr: 0, isWrite: false, sizeBytes: 0, cycle: 0, batch: 0 };
  const values: number[] = [];
  while (stream.next(rec)) values.push(rec.addr, rec.sizeBytes, rec.isWrite ? 1 : 0, rec.cycle, rec.batch);
  return Float64Array.from(values);
}

/**
 * Builds the native core (bash sim/dramcore/build.sh native, cached) and replays `stream` on it `reps` times;
 * returns one result per repetition (CPU time each), or why it could not run.
 */
export function runNativeCore(p: ResolvedDramPreset, dram: DramOptions, stream: RequestStream, options: TraceDriverOptions, reps: number): NativeCoreRun[] | string {
  const build = spawnSync('bash', [BUILD_SCRIPT, 'native'], { encoding: 'utf8' });
  if (build.status !== 0) return `sim/dramcore/build.sh native failed (exit ${build.status}): ${build.stderr.trim().split('\n').slice(-2).join(' / ')}`;
  const binary = path.join(build.stdout.trim().split('\n').pop()!, 'dram_core_native');
  const dir = mkdtempSync(path.join(tmpdir(), 'engram-bench-dram-core-'));
  try {
    const params = coreParameterBlock(p, dram, options);
    const records = recordBlock(stream);
    writeFileSync(path.join(dir, 'params.bin'), new Uint8Array(params.buffer));
    writeFileSync(path.join(dir, 'records.bin'), new Uint8Array(records.buffer));
    const run = spawnSync(binary, ['bench', path.join(dir, 'params.bin'), path.join(dir, 'records.bin'), String(reps)], { encoding: 'utf8' });
    if (run.status !== 0) return `dram_core_native bench failed (exit ${run.status}): ${run.stderr.trim().slice(-300)}`;
    return run.stdout.trim().split('\n').map((line) => {
      const v = line.split(' ');
      const num = (name: string): number => Number(v[v.indexOf(name) + 1]);
      return { status: num('status'), cycles: num('cycles'), meanLatencyCycles: num('meanLatencyCycles'), steps: num('steps'), activates: num('activates'), refused: num('refused'), cpuS: num('cpuS') };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
