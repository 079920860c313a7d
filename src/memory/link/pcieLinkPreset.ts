// Strict schema and resolver of a PCIe link preset (targets/memory/pcie-*.json): PHY and encoding, TLP and
// DLLP framing (PCI Express Base Specification 5.0 §2.2, §3.5, §4.2), payload limits, tags, credits, latency.
import { z } from 'zod';
import { SpecError } from '../../core/index.ts';
import { resolveDramPreset, type PresetLoader, type ResolvedDramPreset } from '../dram/resolvePreset.ts';
import { collectProvenance, gradedProvenanceSchema, presetNameSchema, type GradedProvenanceEntry } from '../presetProvenance.ts';
import { loadNamedPreset, nsToPs, serialPsPerWireByte } from '../presetCommon.ts';

const posInt = z.number().int().positive();
const nonNegInt = z.number().int().min(0);
const posNumber = z.number().positive();
const nonNegNumber = z.number().min(0);
const powerOfTwo = (min: number, max: number) =>
  posInt.refine((v) => v >= min && v <= max && (v & (v - 1)) === 0, { message: `expected a power of two in [${min}, ${max}]` });

export const pcieLinkSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  kind: z.literal('pcie-link'),
  name: presetNameSchema,
  description: z.string().min(1),
  standard: z.string().min(1),
  phy: z.strictObject({
    generation: z.number().int().min(1).max(7),
    lanes: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8), z.literal(16)]),
    transferRateGTps: posNumber,
    /** Line code: payloadBits of data per blockBits on the wire (128b/130b from Gen3 on). */
    encodingPayloadBits: posInt,
    encodingBlockBits: posInt,
    provenance: gradedProvenanceSchema,
  }),
  tlp: z.strictObject({
    /** Framing around a TLP: the 4-byte STP token (length and sequence number) from Gen3 on. */
    framingBytes: nonNegInt,
    /** Memory read request header with a 64-bit address (4 DW). */
    memoryReadHeaderBytes: posInt,
    memoryWriteHeaderBytes: posInt,
    /** Completion with data header (3 DW). */
    completionHeaderBytes: posInt,
    lcrcBytes: nonNegInt,
    ecrcBytes: nonNegInt,
    provenance: gradedProvenanceSchema,
  }),
  dllp: z.strictObject({
    /** Wire bytes of one DLLP (6 bytes plus the 2-byte SDP token from Gen3 on). */
    bytes: posInt,
    /** A receiver returns one Ack DLLP per this many TLPs it received. */
    ackEveryTlps: posInt,
    /** A receiver returns one UpdateFC DLLP per this many posted or non-posted TLPs it consumed. */
    updateFcEveryTlps: posInt,
    provenance: gradedProvenanceSchema,
  }),
  transfer: z.strictObject({
    maxPayloadBytes: powerOfTwo(128, 4096),
    maxReadRequestBytes: powerOfTwo(128, 4096),
    readCompletionBoundaryBytes: z.union([z.literal(64), z.literal(128)]),
    /** Payload of the completions the root complex returns (a multiple of the RCB, at most the MPS). */
    completionBytes: posInt,
    provenance: gradedProvenanceSchema,
  }),
  latency: z.strictObject({
    /** One direction, port to port: transmit pipeline, flight and receive pipeline (after serialisation). */
    linkNs: nonNegNumber,
    /** Root complex: received request to the memory controller. */
    rootComplexInboundNs: nonNegNumber,
    /** Root complex: data from the memory controller to the completion's transmission. */
    rootComplexOutboundNs: nonNegNumber,
    /** Requester side: from its PCIe interface to the consumer of the data (after the tag is free). */
    requesterInternalNs: nonNegNumber,
    provenance: gradedProvenanceSchema,
  }),
  requester: z.strictObject({
    /** Outstanding non-posted requests (read tags). */
    tags: posInt,
    /** Buffer space a requester reserves for the data of its outstanding reads. */
    completionBufferBytes: posInt,
    /** Largest read a zero-copy load turns into (reads split at this aligned boundary). */
    zeroCopyReadBytes: posInt,
    provenance: gradedProvenanceSchema,
  }),
  rootComplex: z.strictObject({
    /** Non-posted header credits the root port advertises (requests held before the memory system takes them). */
    nonPostedCredits: posInt,
    postedCredits: posInt,
    provenance: gradedProvenanceSchema,
  }),
  dma: z.strictObject({
    /** From the host's copy call to the copy engine's first read request. */
    setupNs: nonNegNumber,
    provenance: gradedProvenanceSchema,
  }),
  hostCpu: z.strictObject({
    /** Cache-line reads the CPU gather keeps in flight (cores x line fill buffers). */
    linesInFlight: posInt,
    /** Core to memory controller and back, DRAM access excluded (each direction half). */
    memoryPathNs: nonNegNumber,
    provenance: gradedProvenanceSchema,
  }),
  /** DRAM preset behind the link when it is used on its own (memsim, conformance); systems pass their host DRAM. */
  standaloneMemory: presetNameSchema,
});

export type PcieLinkDocument = z.output<typeof pcieLinkSchema>;

/** A PCIe link with every derived quantity; times in integer-friendly picoseconds. */
export interface ResolvedPcieLinkPreset {
  readonly kind: 'pcie-link';
  readonly name: string;
  readonly description: string;
  readonly standard: string;
  readonly provenance: readonly GradedProvenanceEntry[];
  readonly generation: number;
  readonly lanes: number;
  readonly transferRateGTps: number;
  readonly encodingPayloadBits: number;
  readonly encodingBlockBits: number;
  /** Time one byte occupies the link after line coding: 8 / (GT/s x lanes) x block/payload, in ps. */
  readonly psPerWireByte: number;
  /** Data rate per direction after line coding, before TLP and DLLP overhead. */
  readonly peakBandwidthGBps: number;
  readonly tlp: Omit<PcieLinkDocument['tlp'], 'provenance'>;
  readonly dllp: Omit<PcieLinkDocument['dllp'], 'provenance'>;
  readonly transfer: Omit<PcieLinkDocument['transfer'], 'provenance'>;
  readonly latencyPs: { readonly link: number; readonly rootComplexInbound: number; readonly rootComplexOutbound: number; readonly requesterInternal: number };
  readonly requester: Omit<PcieLinkDocument['requester'], 'provenance'>;
  readonly rootComplex: Omit<PcieLinkDocument['rootComplex'], 'provenance'>;
  readonly dmaSetupPs: number;
  readonly hostCpu: { readonly linesInFlight: number; readonly memoryPathPs: number };
  readonly standaloneMemory: ResolvedDramPreset;
  /** Address space behind the link when stand-alone: the stand-alone memory's capacity. */
  readonly capacityBytes: number;
  /** The device runs in picoseconds. */
  readonly tCkPs: 1;
}


/** Resolves preset `name` into a frozen ResolvedPcieLinkPreset (its stand-alone DRAM resolved too). */
export function resolvePcieLinkPreset(name: string, load: PresetLoader): ResolvedPcieLinkPreset {
  const { doc, file } = loadNamedPreset(pcieLinkSchema, name, load);
  const t = doc.transfer;
  if (t.completionBytes % t.readCompletionBoundaryBytes !== 0 || t.completionBytes > t.maxPayloadBytes) {
    throw new SpecError(file, 'transfer.completionBytes', `expected a multiple of readCompletionBoundaryBytes (${t.readCompletionBoundaryBytes}) no larger than maxPayloadBytes (${t.maxPayloadBytes}), got ${t.completionBytes}`);
  }
  if (doc.requester.zeroCopyReadBytes % 4 !== 0 || doc.requester.zeroCopyReadBytes > t.maxReadRequestBytes) {
    throw new SpecError(file, 'requester.zeroCopyReadBytes', `expected a multiple of 4 bytes no larger than maxReadRequestBytes (${t.maxReadRequestBytes}), got ${doc.requester.zeroCopyReadBytes}`);
  }
  if (doc.requester.completionBufferBytes < t.maxReadRequestBytes) {
    throw new SpecError(file, 'requester.completionBufferBytes', `expected room for one maximum read (${t.maxReadRequestBytes} bytes), got ${doc.requester.completionBufferBytes}`);
  }
  const p = doc.phy;
  const psPerWireByte = serialPsPerWireByte(p);
  const { provenance: _t, ...tlp } = doc.tlp;
  const { provenance: _d, ...dllp } = doc.dllp;
  const { provenance: _x, ...transfer } = doc.transfer;
  const { provenance: _r, ...requester } = doc.requester;
  const { provenance: _c, ...rootComplex } = doc.rootComplex;
  const standaloneMemory = resolveDramPreset(doc.standaloneMemory, load);
  return Object.freeze({
    kind: 'pcie-link',
    name: doc.name,
    description: doc.description,
    standard: doc.standard,
    provenance: Object.freeze(collectProvenance(doc)),
    generation: p.generation,
    lanes: p.lanes,
    transferRateGTps: p.transferRateGTps,
    encodingPayloadBits: p.encodingPayloadBits,
    encodingBlockBits: p.encodingBlockBits,
    psPerWireByte,
    peakBandwidthGBps: 1000 / psPerWireByte,
    tlp: Object.freeze(tlp),
    dllp: Object.freeze(dllp),
    transfer: Object.freeze(transfer),
    latencyPs: Object.freeze({
      link: nsToPs(doc.latency.linkNs),
      rootComplexInbound: nsToPs(doc.latency.rootComplexInboundNs),
      rootComplexOutbound: nsToPs(doc.latency.rootComplexOutboundNs),
      requesterInternal: nsToPs(doc.latency.requesterInternalNs),
    }),
    requester: Object.freeze(requester),
    rootComplex: Object.freeze(rootComplex),
    dmaSetupPs: nsToPs(doc.dma.setupNs),
    hostCpu: Object.freeze({ linesInFlight: doc.hostCpu.linesInFlight, memoryPathPs: nsToPs(doc.hostCpu.memoryPathNs) }),
    standaloneMemory,
    capacityBytes: standaloneMemory.capacityBytes,
    tCkPs: 1,
  });
}
