// Strict schema and resolver of a CXL 2.0 Type-3 memory expander preset (targets/memory/cxl*.json): the
// PCIe 5.0 PHY, 68-byte CXL.mem flits of four 16-byte slots (CXL 2.0 §4.2), port latencies, the media.
import { z } from 'zod';
import { SpecError } from '../../core/index.ts';
import { resolveDramPreset, type PresetLoader, type ResolvedDramPreset } from '../dram/resolvePreset.ts';
import { collectProvenance, gradedProvenanceSchema, presetNameSchema, type GradedProvenanceEntry } from '../presetProvenance.ts';
import { loadNamedPreset, nsToPs, serialPsPerWireByte } from '../presetCommon.ts';

const posInt = z.number().int().positive();
const posNumber = z.number().positive();
const nonNegNumber = z.number().min(0);

export const cxlPresetSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  kind: z.literal('cxl-type3'),
  name: presetNameSchema,
  description: z.string().min(1),
  standard: z.string().min(1),
  phy: z.strictObject({
    lanes: z.union([z.literal(4), z.literal(8), z.literal(16)]),
    transferRateGTps: posNumber,
    encodingPayloadBits: posInt,
    encodingBlockBits: posInt,
    provenance: gradedProvenanceSchema,
  }),
  flit: z.strictObject({
    /** Wire bytes of one flit: slots, CRC and the ARB/MUX protocol id. */
    flitBytes: posInt,
    slotsPerFlit: posInt,
    /** Bytes of one slot (a 64-byte line is lineBytes / slotBytes data slots). */
    slotBytes: posInt,
    lineBytes: posInt,
    /** Message headers one slot carries: M2S Req (read), M2S RwD header (write), S2M DRS (data) and NDR (no data). */
    readRequestsPerSlot: posInt,
    writeHeadersPerSlot: posInt,
    dataHeadersPerSlot: posInt,
    noDataResponsesPerSlot: posInt,
    provenance: gradedProvenanceSchema,
  }),
  latency: z.strictObject({
    /** Host side, each direction: home agent to the CXL root port and its link and ARB/MUX layers. */
    hostPortNs: nonNegNumber,
    /** Device side, each direction: PHY, link layer and ARB/MUX of the expander, plus flight. */
    devicePortNs: nonNegNumber,
    /** Device controller: request decode to the media controller. */
    controllerInboundNs: nonNegNumber,
    /** Device controller: media data to the response flit. */
    controllerOutboundNs: nonNegNumber,
    provenance: gradedProvenanceSchema,
  }),
  queues: z.strictObject({
    /** Lines the host keeps outstanding to the device (tracker entries). */
    hostTrackerEntries: posInt,
    /** Requests the device buffers before its media controller takes them (M2S credits). */
    deviceRequestCredits: posInt,
    provenance: gradedProvenanceSchema,
  }),
  /** DRAM preset (device or system) of the expander's own memory. */
  media: presetNameSchema,
});

export type CxlPresetDocument = z.output<typeof cxlPresetSchema>;

export interface ResolvedCxlPreset {
  readonly kind: 'cxl';
  readonly name: string;
  readonly description: string;
  readonly standard: string;
  readonly provenance: readonly GradedProvenanceEntry[];
  readonly lanes: number;
  readonly transferRateGTps: number;
  readonly encodingPayloadBits: number;
  readonly encodingBlockBits: number;
  readonly psPerWireByte: number;
  /** Data rate per direction after line coding, before flit overhead. */
  readonly peakBandwidthGBps: number;
  readonly flit: Omit<CxlPresetDocument['flit'], 'provenance'>;
  readonly latencyPs: { readonly hostPort: number; readonly devicePort: number; readonly controllerInbound: number; readonly controllerOutbound: number };
  readonly queues: Omit<CxlPresetDocument['queues'], 'provenance'>;
  readonly media: ResolvedDramPreset;
  /** The media's capacity: the expander's address space. */
  readonly capacityBytes: number;
  /** The device runs in picoseconds. */
  readonly tCkPs: 1;
}


export function resolveCxlPreset(name: string, load: PresetLoader): ResolvedCxlPreset {
  const { doc, file } = loadNamedPreset(cxlPresetSchema, name, load);
  const f = doc.flit;
  if (f.slotBytes * f.slotsPerFlit > f.flitBytes) {
    throw new SpecError(file, 'flit.flitBytes', `expected at least slotsPerFlit x slotBytes = ${f.slotBytes * f.slotsPerFlit}, got ${f.flitBytes}`);
  }
  if (f.lineBytes % f.slotBytes !== 0) throw new SpecError(file, 'flit.lineBytes', `expected a multiple of slotBytes (${f.slotBytes}), got ${f.lineBytes}`);
  const p = doc.phy;
  const psPerWireByte = serialPsPerWireByte(p);
  const media = resolveDramPreset(doc.media, load);
  const { provenance: _f, ...flit } = doc.flit;
  const { provenance: _q, ...queues } = doc.queues;
  return Object.freeze({
    kind: 'cxl',
    name: doc.name,
    description: doc.description,
    standard: doc.standard,
    provenance: Object.freeze(collectProvenance(doc)),
    lanes: p.lanes,
    transferRateGTps: p.transferRateGTps,
    encodingPayloadBits: p.encodingPayloadBits,
    encodingBlockBits: p.encodingBlockBits,
    psPerWireByte,
    peakBandwidthGBps: 1000 / psPerWireByte,
    flit: Object.freeze(flit),
    latencyPs: Object.freeze({
      hostPort: nsToPs(doc.latency.hostPortNs),
      devicePort: nsToPs(doc.latency.devicePortNs),
      controllerInbound: nsToPs(doc.latency.controllerInboundNs),
      controllerOutbound: nsToPs(doc.latency.controllerOutboundNs),
    }),
    queues: Object.freeze(queues),
    media,
    capacityBytes: media.capacityBytes,
    tCkPs: 1,
  });
}

/** Wire bytes of `slots` slots: each flit of flitBytes carries slotsPerFlit slots (fluid packing). */
export function cxlWireBytes(p: ResolvedCxlPreset, slots: number): number {
  return (slots * p.flit.flitBytes) / p.flit.slotsPerFlit;
}

/** Slots of one message: `dataSlots` of data plus a share of a slot for its header. */
export function cxlMessageSlots(dataSlots: number, headersPerSlot: number): number {
  return dataSlots + 1 / headersPerSlot;
}

/** Share of the raw lane rate a stream of line reads delivers as data: line / (S2M wire bytes per line) x coding. */
export function cxlReadEfficiency(p: ResolvedCxlPreset): number {
  const f = p.flit;
  const wire = cxlWireBytes(p, cxlMessageSlots(f.lineBytes / f.slotBytes, f.dataHeadersPerSlot));
  return (f.lineBytes / wire) * (p.encodingPayloadBits / p.encodingBlockBits);
}

/** Unloaded read of one line, host home agent to home agent (ps): ports both ways, controller, media, flits. */
export function cxlUnloadedReadPs(p: ResolvedCxlPreset, mediaReadPs: number): number {
  const f = p.flit;
  const l = p.latencyPs;
  const request = cxlWireBytes(p, cxlMessageSlots(0, f.readRequestsPerSlot)) * p.psPerWireByte;
  const data = cxlWireBytes(p, cxlMessageSlots(f.lineBytes / f.slotBytes, f.dataHeadersPerSlot)) * p.psPerWireByte;
  return request + 2 * (l.hostPort + l.devicePort) + l.controllerInbound + mediaReadPs + l.controllerOutbound + data;
}
