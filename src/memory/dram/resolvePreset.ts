// Parse -> resolve -> freeze for DRAM presets (style.md convention 4): derives tCK, burst geometry,
// peak bandwidth, capacity and refresh cycles once, and expands host systems built from a device preset.
import { SpecError } from '../../core/index.ts';
import { deepFreeze, parseDocument } from '../../spec/index.ts';
import { loadNamedPreset } from '../presetCommon.ts';
import { AddressDecoder } from './addressMapping.ts';
import { memoryPresetSchema, type DramDeviceDocument, type DramTimingDocument } from './presetSchema.ts';

export type RefreshScheme = 'all-bank' | 'per-bank' | 'same-bank';
export type PagePolicy = 'open' | 'closed';

export interface ProvenanceEntry {
  readonly what: string;
  readonly source: string;
  readonly note?: string;
}

/** Every JEDEC timing term in command-clock cycles, as the controller uses them. */
export type DramTimingCycles = Readonly<DramTimingDocument> & {
  /** Data-bus cycles of one burst: burstLength / transfersPerClock (JEDEC BL/2 for DDR). */
  readonly burstCycles: number;
  readonly tRefiCycles: number;
  readonly tRfcCycles: number;
};

/** A DRAM preset with every derived quantity computed; the model reads only this. */
export interface ResolvedDramPreset {
  readonly kind: 'dram';
  readonly name: string;
  readonly description: string;
  readonly standard: string;
  readonly provenance: readonly ProvenanceEntry[];
  /** Independent channel controllers: channels x sub-channels (x modules for a host system). */
  readonly channels: number;
  readonly channelWidthBits: number;
  readonly ranks: number;
  readonly bankGroups: number;
  readonly banksPerGroup: number;
  readonly rows: number;
  readonly rowBytes: number;
  readonly burstLength: number;
  /** Bytes one RD/WR moves: channel width x burst length / 8. */
  readonly burstBytes: number;
  /** Bursts per row (column addresses at burst granularity). */
  readonly columns: number;
  readonly dataRateMTps: number;
  readonly transfersPerClock: number;
  /** Command clock period in picoseconds (may be fractional, e.g. 416.67 ps for DDR5-4800). */
  readonly tCkPs: number;
  readonly peakBandwidthGBps: number;
  readonly capacityBytes: number;
  readonly timing: DramTimingCycles;
  readonly refresh: { readonly scheme: RefreshScheme };
  readonly commandBus: { readonly splitRowColumn: boolean; readonly actCycles: number; readonly casCycles: number };
  readonly addressMapping: readonly string[];
  readonly controller: { readonly queueDepth: number; readonly pagePolicy: PagePolicy; readonly rowHitCap: number };
}

/**
 * Reads the raw JSON of a preset by name; the CLI and tests supply one backed by targets/memory/.
 * Contract: returns the parsed document and the file name errors should cite, or throws for an unknown name.
 */
export type PresetLoader = (name: string) => { data: unknown; file: string };

/** Resolves preset `name` (a device or a host system built from one) into a frozen ResolvedDramPreset. */
export function resolveDramPreset(name: string, load: PresetLoader): ResolvedDramPreset {
  const { doc, file } = loadNamedPreset(memoryPresetSchema, name, load);
  if (doc.kind === 'dram') return resolveDevice(doc, file, 1, null);
  const base = load(doc.device);
  const device = parseDocument(memoryPresetSchema, base.data, base.file);
  if (device.kind !== 'dram') throw new SpecError(file, 'device', `expected the name of a "dram" preset, got ${JSON.stringify(doc.device)} (a "${device.kind}" preset)`);
  return resolveDevice(device, base.file, doc.modules, {
    name: doc.name,
    description: doc.description,
    provenance: { what: `system (${doc.modules} x ${device.name})`, ...doc.provenance },
  });
}

function resolveDevice(
  doc: DramDeviceDocument,
  file: string,
  modules: number,
  system: { name: string; description: string; provenance: ProvenanceEntry } | null,
): ResolvedDramPreset {
  const org = doc.organization;
  const burstBytes = (org.channelWidthBits * org.burstLength) / 8;
  if (!Number.isInteger(burstBytes)) throw new SpecError(file, 'organization.burstLength', `expected channelWidthBits x burstLength to be whole bytes, got ${org.channelWidthBits} x ${org.burstLength} bits`);
  if (org.rowBytes % burstBytes !== 0) throw new SpecError(file, 'organization.rowBytes', `expected a multiple of the ${burstBytes}-byte burst, got ${org.rowBytes}`);
  if (org.burstLength % doc.clock.transfersPerClock !== 0) {
    throw new SpecError(file, 'organization.burstLength', `expected a multiple of clock.transfersPerClock = ${doc.clock.transfersPerClock}, got ${org.burstLength}`);
  }
  const t = doc.timing;
  if (t.tRcCycles < t.tRasCycles + t.tRpCycles) {
    throw new SpecError(file, 'timing.tRcCycles', `expected at least tRAS + tRP = ${t.tRasCycles + t.tRpCycles}, got ${t.tRcCycles}`);
  }
  const channels = org.channels * org.subChannelsPerChannel * modules;
  const columns = org.rowBytes / burstBytes;
  // tCK from the data rate: transfersPerClock beats per CK period.
  const tCkPs = (1e6 * doc.clock.transfersPerClock) / doc.clock.dataRateMTps;
  const toCycles = (ns: number): number => Math.ceil((ns * 1000) / tCkPs - 1e-9);
  const burstCycles = org.burstLength / doc.clock.transfersPerClock;
  const banksPerRank = org.bankGroups * org.banksPerGroup;
  const refreshSlices = doc.refresh.scheme === 'all-bank' ? 1 : doc.refresh.scheme === 'per-bank' ? banksPerRank : org.banksPerGroup;
  if (toCycles(doc.refresh.tRefiNs) < refreshSlices * 2) {
    throw new SpecError(file, 'refresh.tRefiNs', `expected room for ${refreshSlices} refresh commands per interval, got ${doc.refresh.tRefiNs} ns`);
  }
  const { provenance: timingProvenance, ...timingCycles } = t;
  const resolved: ResolvedDramPreset = {
    kind: 'dram',
    name: system?.name ?? doc.name,
    description: system?.description ?? doc.description,
    standard: doc.standard,
    provenance: [
      ...(system ? [system.provenance] : []),
      { what: 'organization', ...org.provenance },
      { what: 'timing', ...timingProvenance },
      { what: 'refresh', ...doc.refresh.provenance },
    ],
    channels,
    channelWidthBits: org.channelWidthBits,
    ranks: org.ranks,
    bankGroups: org.bankGroups,
    banksPerGroup: org.banksPerGroup,
    rows: org.rows,
    rowBytes: org.rowBytes,
    burstLength: org.burstLength,
    burstBytes,
    columns,
    dataRateMTps: doc.clock.dataRateMTps,
    transfersPerClock: doc.clock.transfersPerClock,
    tCkPs,
    // bytes/s = channels x width/8 x MT/s x 1e6; GB/s divides by 1e9.
    peakBandwidthGBps: (channels * (org.channelWidthBits / 8) * doc.clock.dataRateMTps) / 1000,
    capacityBytes: channels * org.ranks * banksPerRank * org.rows * org.rowBytes,
    timing: { ...timingCycles, burstCycles, tRefiCycles: toCycles(doc.refresh.tRefiNs), tRfcCycles: toCycles(doc.refresh.tRfcNs) },
    refresh: { scheme: doc.refresh.scheme },
    commandBus: { ...doc.commandBus },
    addressMapping: [...doc.addressMapping],
    controller: { ...doc.controller },
  };
  // Compile once here so a bad mapping is reported against the preset file, not at first use.
  new AddressDecoder(resolved.addressMapping, mappingDimensions(resolved), { file, path: 'addressMapping' });
  return deepFreeze(resolved);
}

/** Field sizes of a resolved preset, in the order the address decoder expects. */
export function mappingDimensions(p: ResolvedDramPreset): { channel: number; rank: number; bankGroup: number; bank: number; row: number; column: number } {
  return { channel: p.channels, rank: p.ranks, bankGroup: p.bankGroups, bank: p.banksPerGroup, row: p.rows, column: p.columns };
}
