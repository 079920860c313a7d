// Test helpers for the memory model: presets read from targets/memory/, small request streams, and a
// source that records every completion.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/core/index.ts';
import {
  AddressDecoder,
  asDramPreset,
  mappingDimensions,
  createMemoryDevice,
  resolveMemoryPreset,
  type MemoryDevice,
  type MemoryDeviceOptions,
  type PresetLoader,
  type RequestStream,
  type ResolvedDramPreset,
  type ResolvedMemoryPreset,
  type TraceRecord,
} from '../../src/memory/index.ts';

export const PRESET_DIR = fileURLToPath(new URL('../../targets/memory/', import.meta.url));

export const presetNames = (): string[] =>
  readdirSync(PRESET_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();

export const loadPresetFile: PresetLoader = (name) => {
  const file = path.join(PRESET_DIR, `${name}.json`);
  return { data: JSON.parse(readFileSync(file, 'utf8')) as unknown, file };
};

/** Any registered kind, as the conformance suite needs. */
export const anyPreset = (name: string): ResolvedMemoryPreset => resolveMemoryPreset(name, loadPresetFile);

/** A DRAM preset (throws for other kinds), as the DRAM tests need. */
export const preset = (name: string): ResolvedDramPreset => asDramPreset(anyPreset(name), `test preset ${name}`);

export function device(name: string, options: Partial<MemoryDeviceOptions> = {}): MemoryDevice {
  return createMemoryDevice(anyPreset(name), { mergeDuplicates: 'off', ...options });
}

/** A stream over explicit records. */
export class ListStream implements RequestStream {
  private i = 0;
  constructor(private readonly records: readonly Partial<TraceRecord>[]) {}
  next(into: TraceRecord): boolean {
    const r = this.records[this.i++];
    if (r === undefined) return false;
    into.addr = r.addr ?? 0;
    into.isWrite = r.isWrite ?? false;
    into.sizeBytes = r.sizeBytes ?? 64;
    into.cycle = r.cycle ?? 0;
    into.batch = r.batch ?? 0;
    return true;
  }
}

/** `count` reads of `sizeBytes`: sequential from 0, or uniformly random aligned over `spanBytes`. */
export class SyntheticStream implements RequestStream {
  private i = 0;
  private readonly addrs: Float64Array;
  constructor(
    readonly count: number,
    pattern: 'sequential' | 'random',
    private readonly sizeBytes = 64,
    spanBytes = 2 ** 30,
    seed = 'synthetic',
  ) {
    // Addresses are drawn up front so a timed run measures the simulator, not the generator.
    const rng = new Rng(seed);
    const slots = Math.floor(spanBytes / sizeBytes);
    this.addrs = new Float64Array(count);
    for (let k = 0; k < count; k++) this.addrs[k] = (pattern === 'sequential' ? k % slots : rng.nextInt(slots)) * sizeBytes;
  }
  next(into: TraceRecord): boolean {
    if (this.i >= this.count) return false;
    into.addr = this.addrs[this.i++]!;
    into.isWrite = false;
    into.sizeBytes = this.sizeBytes;
    into.cycle = 0;
    into.batch = 0;
    return true;
  }
}

/** Issues one request at `cycle` on a fresh or given device and returns its latency in cycles. */
export function singleLatency(dev: MemoryDevice, addr: number, cycle = 0, isWrite = false): number {
  let done = -1;
  const sink = { complete: (_id: number, at: number) => { done = at; } };
  if (!dev.issue({ id: 1, addr, isWrite, sizeBytes: dev.accessBytes, arrivalCycle: cycle }, cycle)) throw new Error('refused');
  for (let guard = 0; done < 0 && guard < 100000; guard++) dev.tick(Math.max(cycle, dev.nextEventCycle()), sink);
  return done - cycle;
}

/** Byte address of a burst at the given location under the preset's (or the given) mapping. */
export function addressOf(
  name: string,
  at: Partial<{ channel: number; rank: number; bankGroup: number; bank: number; row: number; column: number }>,
  mapping?: readonly string[],
): number {
  const p = preset(name);
  const decoder = new AddressDecoder(mapping ?? p.addressMapping, mappingDimensions(p), { file: name, path: 'addressMapping' });
  const burst = decoder.encode({ channel: 0, rank: 0, bankGroup: 0, bank: 0, row: 0, column: 0, ...at });
  return burst * p.burstBytes;
}
