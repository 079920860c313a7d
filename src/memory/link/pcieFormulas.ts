// Closed forms of the PCIe link model (PCI Express Base 5.0 §2.2 TLP formats, §3.6 Ack/UpdateFC DLLPs,
// §4.2 128b/130b): wire bytes, payload efficiency, unloaded read latency and the tag-bound (Little's law).
import type { ResolvedPcieLinkPreset } from './pcieLinkPreset.ts';

/** Wire bytes of one TLP: framing token, header, payload, LCRC and optional ECRC. */
export function tlpWireBytes(p: ResolvedPcieLinkPreset, headerBytes: number, payloadBytes: number): number {
  return p.tlp.framingBytes + headerBytes + payloadBytes + p.tlp.lcrcBytes + p.tlp.ecrcBytes;
}

/** Read payloads travel in whole DWORDs: a read of `bytes` starting at `addr` returns this many bytes. */
export function dwordSpan(addr: number, bytes: number): number {
  return Math.ceil((addr + bytes) / 4) * 4 - Math.floor(addr / 4) * 4;
}

/**
 * Completion payloads of a read of `bytes` at `addr`: cut at multiples of completionBytes (aligned, so
 * every cut is on a read completion boundary), DWORD-rounded. Returns the sizes in order.
 */
export function completionSizes(p: ResolvedPcieLinkPreset, addr: number, bytes: number): number[] {
  const c = p.transfer.completionBytes;
  const start = Math.floor(addr / 4) * 4;
  const end = Math.ceil((addr + bytes) / 4) * 4;
  const sizes: number[] = [];
  for (let at = start; at < end; ) {
    const cut = Math.min(end, (Math.floor(at / c) + 1) * c);
    sizes.push(cut - at);
    at = cut;
  }
  return sizes;
}

/**
 * Pieces a requester splits a read into: cut at `requestBytes`-aligned boundaries (requestBytes divides
 * 4096, so no piece crosses a 4 KiB boundary). Returns [addr, bytes] pairs.
 */
export function readPieces(addr: number, bytes: number, requestBytes: number): [number, number][] {
  const out: [number, number][] = [];
  for (let at = addr; at < addr + bytes; ) {
    const cut = Math.min(addr + bytes, (Math.floor(at / requestBytes) + 1) * requestBytes);
    out.push([at, cut - at]);
    at = cut;
  }
  return out;
}

/**
 * Downstream (completion direction) wire bytes per read request of `readBytes` (aligned): its completions,
 * plus the Ack and UpdateFC DLLPs the root port sends back for the read request itself, amortised.
 */
export function downstreamWireBytesPerRead(p: ResolvedPcieLinkPreset, readBytes: number): number {
  const sizes = completionSizes(p, 0, readBytes);
  const cpl = sizes.reduce((sum, s) => sum + tlpWireBytes(p, p.tlp.completionHeaderBytes, s), 0);
  return cpl + p.dllp.bytes / p.dllp.ackEveryTlps + p.dllp.bytes / p.dllp.updateFcEveryTlps;
}

/**
 * Payload efficiency of a stream of aligned reads of `readBytes`, as a share of the raw lane rate:
 * payload / (payload + TLP overhead + DLLP share) x payloadBits / blockBits. With readBytes a multiple of
 * the completion size this is completionBytes / (completionBytes + TLP + DLLP/completions per read) x 128/130.
 */
export function readPayloadEfficiency(p: ResolvedPcieLinkPreset, readBytes: number): number {
  return (readBytes / downstreamWireBytesPerRead(p, readBytes)) * (p.encodingPayloadBits / p.encodingBlockBits);
}

/** Raw lane rate per direction before line coding, GB/s (GT/s x lanes / 8). */
export function rawLaneGBps(p: ResolvedPcieLinkPreset): number {
  return (p.transferRateGTps * p.lanes) / 8;
}

/** Payload bandwidth ceiling of a read stream: raw lane rate x readPayloadEfficiency. */
export function readPayloadBandwidthGBps(p: ResolvedPcieLinkPreset, readBytes: number): number {
  return rawLaneGBps(p) * readPayloadEfficiency(p, readBytes);
}

/**
 * Tag hold time of one unloaded read (ps): the request TLP's serialisation, the link both ways, the root
 * complex both ways, the memory access and the serialisation of every completion in turn.
 */
export function readRoundTripPs(p: ResolvedPcieLinkPreset, addr: number, bytes: number, memoryReadPs: number): number {
  const request = tlpWireBytes(p, p.tlp.memoryReadHeaderBytes, 0) * p.psPerWireByte;
  const completions = completionSizes(p, addr, bytes).reduce((sum, s) => sum + tlpWireBytes(p, p.tlp.completionHeaderBytes, s), 0) * p.psPerWireByte;
  const l = p.latencyPs;
  return request + l.link + l.rootComplexInbound + memoryReadPs + l.rootComplexOutbound + completions + l.link;
}

/** Unloaded latency of one read as its consumer sees it: the round trip plus the requester's internal path. */
export function unloadedReadLatencyPs(p: ResolvedPcieLinkPreset, addr: number, bytes: number, memoryReadPs: number): number {
  return readRoundTripPs(p, addr, bytes, memoryReadPs) + p.latencyPs.requesterInternal;
}

/** Little's law: at most `outstanding` reads of `bytes` per round trip, in GB/s. */
export function littleBandwidthGBps(outstanding: number, bytes: number, roundTripPs: number): number {
  return (outstanding * bytes * 1000) / roundTripPs;
}
