// Runs scripts/bench/dramPort.cpp (the DRAM path ported to C++) on the same preset and requests as the
// TypeScript bench case, so `npm run bench memory` reports what the same algorithm costs compiled.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AddressDecoder, mappingDimensions, type ResolvedDramPreset } from '../../src/memory/index.ts';
import { FIELD_BANK, FIELD_BANK_GROUP, FIELD_CHANNEL, FIELD_RANK, FIELD_ROW } from '../../src/memory/dram/addressMapping.ts';

export interface DramPortRun {
  readonly cycles: number;
  readonly meanLatencyCycles: number;
  readonly steps: number;
  readonly activates: number;
  readonly refused: number;
  readonly cpuS: number;
}

const REFRESH_SCHEMES = ['all-bank', 'per-bank', 'same-bank'] as const;

/** The port's input: the preset as "name value" lines, every figure in cycles. */
function presetText(p: ResolvedDramPreset): string {
  const t = p.timing;
  const scheme = REFRESH_SCHEMES.indexOf(p.refresh.scheme as (typeof REFRESH_SCHEMES)[number]);
  if (scheme < 0) throw new Error(`dramPort: refresh scheme ${p.refresh.scheme} is not one the port knows`);
  const values: Record<string, number> = {
    channels: p.channels,
    ranks: p.ranks,
    bankGroups: p.bankGroups,
    banksPerGroup: p.banksPerGroup,
    actCycles: p.commandBus.actCycles,
    casCycles: p.commandBus.casCycles,
    split: p.commandBus.splitRowColumn ? 1 : 0,
    queueDepth: p.controller.queueDepth,
    rowHitCap: p.controller.rowHitCap,
    closedPage: p.controller.pagePolicy === 'closed' ? 1 : 0,
    refreshScheme: scheme,
    ...t,
  };
  return Object.entries(values).map(([k, v]) => `${k} ${v}`).join('\n') + '\n';
}

/** (channel, bank within the channel, row) of each single-burst read, as DramDevice.issueOneBurst decodes it. */
function decodedRequests(p: ResolvedDramPreset, addrs: Float64Array): Int32Array {
  const decoder = new AddressDecoder(p.addressMapping, mappingDimensions(p), { file: `preset ${p.name}`, path: 'addressMapping' });
  const f = new Int32Array(6);
  const out = new Int32Array(addrs.length * 3);
  for (let i = 0; i < addrs.length; i++) {
    decoder.decode(Math.floor(addrs[i]! / p.burstBytes), f);
    out[i * 3] = f[FIELD_CHANNEL]!;
    out[i * 3 + 1] = (f[FIELD_RANK]! * p.bankGroups + f[FIELD_BANK_GROUP]!) * p.banksPerGroup + f[FIELD_BANK]!;
    out[i * 3 + 2] = f[FIELD_ROW]!;
  }
  return out;
}

export type DramPortTarget = 'native' | 'wasm';

/** Compiles the port for `target` into `dir`; the command line that runs it, or a reason it cannot. */
function buildPort(target: DramPortTarget, dir: string): string[] | string {
  const source = fileURLToPath(new URL('dramPort.cpp', import.meta.url));
  const cxx = target === 'native' ? (process.env.CXX ?? 'g++') : 'em++';
  if (spawnSync(cxx, ['--version'], { encoding: 'utf8' }).status !== 0) return `${cxx} not found`;
  const out = path.join(dir, target === 'native' ? 'dramPort' : 'dramPort.js');
  const flags = target === 'native' ? ['-O2'] : ['-O3', '-sENVIRONMENT=node', '-sNODERAWFS=1', '-sALLOW_MEMORY_GROWTH=1'];
  // emscripten's JS optimiser needs Debian's node-acorn, which NodeSource's node does not search (as in sim/build.sh).
  const env = { ...process.env, NODE_PATH: process.env.NODE_PATH ?? '/usr/share/nodejs' };
  const build = spawnSync(cxx, [...flags, '-std=c++17', source, '-o', out], { encoding: 'utf8', env });
  if (build.status !== 0) return `${cxx} failed: ${build.stderr.trim().split('\n').slice(-3).join(' / ')}`;
  // The main loop runs once inside wasm, where nothing replaces baseline code mid-call (no on-stack replacement),
  // so V8's optimising tier must compile it up front; this emscripten's loader also needs Node's fetch off.
  return target === 'native' ? [out] : [process.execPath, '--no-liftoff', '--no-experimental-fetch', out];
}

/**
 * Builds the port for `target` (g++ -O2 natively, em++ -O3 to WebAssembly run by this Node) and runs it `reps`
 * times on `addrs` (64-byte aligned reads, all due at cycle 0). `cpuS` is CPU time natively and wall time in
 * wasm. Returns a reason string instead when the preset's bursts are not 64-byte multiples, the compiler is
 * missing or a step fails.
 */
export function runDramPort(p: ResolvedDramPreset, addrs: Float64Array, reps: number, target: DramPortTarget): DramPortRun[] | string {
  // The port takes single-burst requests only: 64-byte aligned reads are one burst when bursts are 64-byte multiples.
  if (p.burstBytes % 64 !== 0) return `${p.name} has ${p.burstBytes}-byte bursts: a 64-byte read takes several, which the port does not model`;
  const dir = mkdtempSync(path.join(tmpdir(), 'engram-bench-dram-port-'));
  try {
    const command = buildPort(target, dir);
    if (typeof command === 'string') return command;
    writeFileSync(path.join(dir, 'preset.txt'), presetText(p));
    const reqs = decodedRequests(p, addrs);
    writeFileSync(path.join(dir, 'requests.bin'), new Uint8Array(reqs.buffer, reqs.byteOffset, reqs.byteLength));
    const run = spawnSync(command[0]!, [...command.slice(1), path.join(dir, 'preset.txt'), path.join(dir, 'requests.bin'), String(reps)], { encoding: 'utf8' });
    if (run.status !== 0) return `run failed (exit ${run.status}): ${run.stderr.trim().slice(-300)}`;
    return run.stdout.trim().split('\n').map((line) => {
      const v = line.split(' ');
      const num = (name: string): number => Number(v[v.indexOf(name) + 1]);
      return { cycles: num('cycles'), meanLatencyCycles: num('meanLatencyCycles'), steps: num('steps'), activates: num('activates'), refused: num('refused'), cpuS: num('cpuS') };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
