// Strict schema and resolver of an NVMe SSD preset (targets/memory/nvme-*.json): host link, queues
// (NVM Express Base 2.0 §3.3 submission/completion queues), controller ceilings and NAND geometry/timing.
import { z } from 'zod';
import { SpecError } from '../../core/index.ts';
import { collectProvenance, gradedProvenanceSchema, presetNameSchema, type GradedProvenanceEntry } from '../presetProvenance.ts';
import { loadNamedPreset, nsToPs, serialPsPerWireByte } from '../presetCommon.ts';

const posInt = z.number().int().positive();
const posNumber = z.number().positive();
const nonNegNumber = z.number().min(0);

export const nvmePresetSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  kind: z.literal('nvme'),
  name: presetNameSchema,
  description: z.string().min(1),
  standard: z.string().min(1),
  hostLink: z.strictObject({
    lanes: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)]),
    transferRateGTps: posNumber,
    encodingPayloadBits: posInt,
    encodingBlockBits: posInt,
    /** The SSD's DMA writes: MWr TLPs of at most this payload. */
    maxPayloadBytes: posInt,
    /** Framing, 4 DW header and LCRC of one MWr TLP. */
    tlpOverheadBytes: posInt,
    provenance: gradedProvenanceSchema,
  }),
  queues: z.strictObject({
    /** Commands the host keeps outstanding (submission queue entries over the queues it uses). */
    queueDepth: posInt,
    /** Doorbell write and the controller's fetch of the 64-byte submission entry. */
    submitNs: nonNegNumber,
    /** Completion entry posting and the host noticing it (polling or interrupt). */
    completionNs: nonNegNumber,
    provenance: gradedProvenanceSchema,
  }),
  controller: z.strictObject({
    /** Commands the controller front end (FTL lookup, scheduling) processes per second. */
    iopsCeiling: posNumber,
    /** Data the controller moves to the host per second (sequential read specification). */
    readBandwidthCeilingGBps: posNumber,
    provenance: gradedProvenanceSchema,
  }),
  flash: z.strictObject({
    /** User capacity: the logical byte range the drive serves. */
    capacityBytes: posInt,
    channels: posInt,
    diesPerChannel: posInt,
    /** Planes per die that read independently (independent plane reads). */
    planesPerDie: posInt,
    /** Bytes one read senses and transfers: the mapping unit, one logical block. */
    pageBytes: posInt,
    /** Array read time tR of one page. */
    readNs: posNumber,
    /** Program time tPROG of one page. */
    programNs: posNumber,
    /** Channel (ONFI / Toggle) bus: transfers per second per pin and width. */
    channelMTps: posNumber,
    channelBits: posInt,
    provenance: gradedProvenanceSchema,
  }),
});

export type NvmePresetDocument = z.output<typeof nvmePresetSchema>;

export interface ResolvedNvmePreset {
  readonly kind: 'nvme';
  readonly name: string;
  readonly description: string;
  readonly standard: string;
  readonly provenance: readonly GradedProvenanceEntry[];
  readonly hostLink: Omit<NvmePresetDocument['hostLink'], 'provenance'> & { readonly psPerWireByte: number };
  readonly queueDepth: number;
  readonly submitPs: number;
  readonly completionPs: number;
  /** Front-end time per command, 1 / iopsCeiling. */
  readonly commandPs: number;
  readonly iopsCeiling: number;
  readonly readBandwidthCeilingGBps: number;
  readonly flash: Omit<NvmePresetDocument['flash'], 'provenance' | 'readNs' | 'programNs'> & { readonly readPs: number; readonly programPs: number; readonly psPerChannelByte: number };
  /** Bytes a host read of any size rounds up to. */
  readonly pageBytes: number;
  readonly capacityBytes: number;
  /** The device runs in picoseconds. */
  readonly tCkPs: 1;
  /** Lowest of the data-path ceilings: controller, host link after TLP overhead, channels. */
  readonly peakBandwidthGBps: number;
}


export function resolveNvmePreset(name: string, load: (name: string) => { data: unknown; file: string }): ResolvedNvmePreset {
  const { doc, file } = loadNamedPreset(nvmePresetSchema, name, load);
  const h = doc.hostLink;
  if (doc.flash.pageBytes % h.maxPayloadBytes !== 0) {
    throw new SpecError(file, 'flash.pageBytes', `expected a multiple of hostLink.maxPayloadBytes (${h.maxPayloadBytes}), got ${doc.flash.pageBytes}`);
  }
  const psPerWireByte = serialPsPerWireByte(h);
  const linkPayloadGBps = (1000 / psPerWireByte) * (h.maxPayloadBytes / (h.maxPayloadBytes + h.tlpOverheadBytes));
  // MT/s x bits / 8 bytes per microsecond: 8e6 / (MT/s x bits) ps per byte.
  const psPerChannelByte = 8e6 / (doc.flash.channelMTps * doc.flash.channelBits);
  const channelsGBps = doc.flash.channels * (1000 / psPerChannelByte);
  const { provenance: _h, ...hostLink } = h;
  const { provenance: _f, readNs, programNs, ...flash } = doc.flash;
  return Object.freeze({
    kind: 'nvme',
    name: doc.name,
    description: doc.description,
    standard: doc.standard,
    provenance: Object.freeze(collectProvenance(doc)),
    hostLink: Object.freeze({ ...hostLink, psPerWireByte }),
    queueDepth: doc.queues.queueDepth,
    submitPs: nsToPs(doc.queues.submitNs),
    completionPs: nsToPs(doc.queues.completionNs),
    commandPs: 1e12 / doc.controller.iopsCeiling,
    iopsCeiling: doc.controller.iopsCeiling,
    readBandwidthCeilingGBps: doc.controller.readBandwidthCeilingGBps,
    flash: Object.freeze({ ...flash, readPs: nsToPs(readNs), programPs: nsToPs(programNs), psPerChannelByte }),
    pageBytes: doc.flash.pageBytes,
    capacityBytes: doc.flash.capacityBytes,
    tCkPs: 1,
    peakBandwidthGBps: Math.min(doc.controller.readBandwidthCeilingGBps, linkPayloadGBps, channelsGBps),
  });
}

/** Wire bytes of one page crossing the host link as MWr TLPs. */
export function nvmePageWireBytes(p: ResolvedNvmePreset): number {
  const h = p.hostLink;
  return p.pageBytes + (p.pageBytes / h.maxPayloadBytes) * h.tlpOverheadBytes;
}

/** Unloaded read of `pages` pages of one command (ps): submit, front end, tR, channel, data path, completion. */
export function nvmeUnloadedReadPs(p: ResolvedNvmePreset, pages = 1): number {
  const f = p.flash;
  const page = p.pageBytes;
  // Pages on distinct dies sense in parallel; they then share the data path one after another.
  const dataPath = Math.max((page * 1000) / p.readBandwidthCeilingGBps, nvmePageWireBytes(p) * p.hostLink.psPerWireByte);
  return p.submitPs + p.commandPs + f.readPs + page * f.psPerChannelByte + pages * dataPath + p.completionPs;
}

/** Random single-page read ceiling (IOPS): the least of the front end, dies x planes / tR, channels and data path. */
export function nvmeRandomReadIopsBound(p: ResolvedNvmePreset): number {
  const f = p.flash;
  const page = p.pageBytes;
  const planes = f.channels * f.diesPerChannel * f.planesPerDie;
  return Math.min(
    p.iopsCeiling,
    (planes * 1e12) / f.readPs,
    (f.channels * 1e12) / (page * f.psPerChannelByte),
    (p.peakBandwidthGBps * 1e9) / page,
  );
}
