// The one place that maps a memory technology kind to its preset resolver and device factory
// (style.md conventions 8 and 9). Explicit imports; nothing registers itself by side effect.
import { SpecError, showValue } from '../core/index.ts';
import { createDramDevice, type DramOptions } from './dram/dramDevice.ts';
import { resolveDramPreset, type PresetLoader, type ResolvedDramPreset } from './dram/resolvePreset.ts';
import { createCxlDevice, type CxlOptions } from './link/cxlDevice.ts';
import { resolveCxlPreset, type ResolvedCxlPreset } from './link/cxlPreset.ts';
import { createPcieLinkDevice, type PcieLinkOptions } from './link/pcieLinkDevice.ts';
import { resolvePcieLinkPreset, type ResolvedPcieLinkPreset } from './link/pcieLinkPreset.ts';
import { createNvmeDevice } from './nvme/nvmeDevice.ts';
import { resolveNvmePreset, type ResolvedNvmePreset } from './nvme/nvmePreset.ts';
import type { MemoryDevice } from './types.ts';

/** A resolved preset of any registered kind (discriminated by `kind`). */
export type ResolvedMemoryPreset = ResolvedDramPreset | ResolvedPcieLinkPreset | ResolvedCxlPreset | ResolvedNvmePreset;

/** Options every device factory accepts; technology-specific ones are optional fields. */
export type MemoryDeviceOptions = DramOptions & Omit<PcieLinkOptions, 'mergeDuplicates'> & Omit<CxlOptions, 'mergeDuplicates'>;

export interface MemoryKindEntry<P extends ResolvedMemoryPreset> {
  /** Preset document kinds this entry resolves (a "dram-system" expands into "dram"). */
  readonly documentKinds: readonly string[];
  readonly resolve: (name: string, load: PresetLoader) => P;
  readonly create: (preset: P, options: MemoryDeviceOptions) => MemoryDevice;
}

export const memoryRegistry = {
  dram: { documentKinds: ['dram', 'dram-system'], resolve: resolveDramPreset, create: createDramDevice } satisfies MemoryKindEntry<ResolvedDramPreset>,
  'pcie-link': { documentKinds: ['pcie-link'], resolve: resolvePcieLinkPreset, create: createPcieLinkDevice } satisfies MemoryKindEntry<ResolvedPcieLinkPreset>,
  cxl: { documentKinds: ['cxl-type3'], resolve: resolveCxlPreset, create: createCxlDevice } satisfies MemoryKindEntry<ResolvedCxlPreset>,
  nvme: { documentKinds: ['nvme'], resolve: resolveNvmePreset, create: createNvmeDevice } satisfies MemoryKindEntry<ResolvedNvmePreset>,
} as const;

export type MemoryKind = keyof typeof memoryRegistry;

/** Resolves a preset by name through the entry whose document kinds include the document's `kind`. */
export function resolveMemoryPreset(name: string, load: PresetLoader): ResolvedMemoryPreset {
  const { data, file } = load(name);
  const kind = data !== null && typeof data === 'object' ? (data as { kind?: unknown }).kind : undefined;
  for (const entry of Object.values(memoryRegistry)) {
    if (typeof kind === 'string' && entry.documentKinds.includes(kind)) return entry.resolve(name, load);
  }
  const known = Object.values(memoryRegistry).flatMap((e) => e.documentKinds);
  throw new SpecError(file, 'kind', `expected one of ${known.map((k) => JSON.stringify(k)).join(', ')}, got ${showValue(kind)}`);
}

/** Builds a device from a resolved preset through the entry of its kind. */
export function createMemoryDevice(preset: ResolvedMemoryPreset, options: MemoryDeviceOptions): MemoryDevice {
  // Each entry's factory takes its own preset type; the preset's `kind` is the key that pairs them.
  const create = memoryRegistry[preset.kind].create as (p: ResolvedMemoryPreset, o: MemoryDeviceOptions) => MemoryDevice;
  return create(preset, options);
}
