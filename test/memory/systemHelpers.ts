// Test helpers for links, CXL, NVMe and the hierarchy: presets and the H100 target from disk, a composed
// system, and small drivers that run requests through the engine and report completion times.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  resolveMemoryPreset, resolveMemorySystem, runEngine,
  type MemoryDevice, type MemorySystemSpec, type PresetLoader, type ResolvedMemoryPreset, type ResolvedMemorySystem,
} from '../../src/memory/index.ts';
import { resolveTarget, type ResolvedGpuTarget } from '../../src/spec/index.ts';
import { loadPresetFile } from './helpers.ts';

export { loadPresetFile };

/** A loader that serves the named preset from `overrides` (a parsed document) and the rest from disk. */
export function loaderWith(overrides: Record<string, unknown>): PresetLoader {
  return (name) => (name in overrides ? { data: overrides[name], file: `${name} (test override)` } : loadPresetFile(name));
}

/** A preset document from targets/memory with the values at dotted paths replaced (e.g. "requester.tags"). */
export function editedDocument(name: string, edits: Record<string, unknown>): Record<string, unknown> {
  const doc = structuredClone(loadPresetFile(name).data) as Record<string, unknown>;
  for (const [path, value] of Object.entries(edits)) {
    const keys = path.split('.');
    let node = doc;
    for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[keys[keys.length - 1]!] = value;
  }
  return doc;
}

export const anyPreset = (name: string, load: PresetLoader = loadPresetFile): ResolvedMemoryPreset => resolveMemoryPreset(name, load);

export function h100(): ResolvedGpuTarget {
  const file = fileURLToPath(new URL('../../targets/h100-sxm.json', import.meta.url));
  return resolveTarget(JSON.parse(readFileSync(file, 'utf8')), file) as ResolvedGpuTarget;
}

export const h100System = (spec: MemorySystemSpec = {}, load: PresetLoader = loadPresetFile): ResolvedMemorySystem => resolveMemorySystem(h100(), load, spec);

/** Issues one read at `atPs` on an idle device and returns its latency in the device's cycles. */
export function oneRead(dev: MemoryDevice, addr: number, sizeBytes: number, atPs = 0, isWrite = false): number {
  let done = -1;
  let issued = false;
  runEngine(dev, {
    nextIssueCycle: () => (issued ? Infinity : atPs),
    issueDue: (now, d) => {
      issued = d.issue({ id: 7, addr, isWrite, sizeBytes, arrivalCycle: now }, now);
      return issued;
    },
    complete: (_id, at) => {
      done = at;
    },
    done: () => done >= 0,
  });
  return done - atPs;
}

export interface StreamResult {
  /** Completion of the last request (the run starts at 0). */
  readonly finalCycle: number;
  /** Sum of per-request latencies, for Little's law. */
  readonly latencySum: number;
  readonly requests: number;
  /** Completion times in completion order. */
  readonly completions: Float64Array;
}

/** Steady-state rate between the 10% and 90% completion points (requests per second), free of ramp-up and drain. */
export function steadyRate(r: StreamResult): number {
  const n = r.completions.length;
  const lo = Math.floor(0.1 * n);
  const hi = Math.floor(0.9 * n);
  return ((hi - lo) * 1e12) / (r.completions[hi]! - r.completions[lo]!);
}

/** Offers `count` reads of `sizeBytes` at addr(i) as fast as the device takes them, at most `window` outstanding. */
export function stream(dev: MemoryDevice, count: number, sizeBytes: number, addr: (i: number) => number, window = Infinity): StreamResult {
  let next = 0;
  let outstanding = 0;
  let completed = 0;
  let latencySum = 0;
  let last = 0;
  const arrival = new Float64Array(count);
  const completions = new Float64Array(count);
  runEngine(dev, {
    nextIssueCycle: () => (next < count && outstanding < window ? last : Infinity),
    issueDue: (now, d) => {
      while (next < count && outstanding < window) {
        if (!d.issue({ id: next, addr: addr(next), isWrite: false, sizeBytes, arrivalCycle: now }, now)) return false;
        arrival[next++] = now;
        outstanding++;
      }
      return true;
    },
    complete: (id, at) => {
      outstanding--;
      completions[completed++] = at;
      latencySum += at - arrival[id]!;
      last = at;
    },
    done: () => completed === count,
  });
  return { finalCycle: last, latencySum, requests: count, completions };
}
