// The closed-form limit of a gather (no simulation): one unloaded round trip plus the fetched rows drained
// at the tightest of the bandwidth, tag (Little's law) and memory bounds of the system's first backing tier.
import { SimError, showValue } from '../../core/index.ts';
import type { ResolvedDramPreset } from '../dram/resolvePreset.ts';
import { cxlMessageSlots, cxlUnloadedReadPs, cxlWireBytes } from '../link/cxlPreset.ts';
import { completionSizes, readPayloadBandwidthGBps, readPieces, readRoundTripPs, tlpWireBytes } from '../link/pcieFormulas.ts';
import type { ResolvedPcieLinkPreset } from '../link/pcieLinkPreset.ts';
import { nvmeRandomReadIopsBound, nvmeUnloadedReadPs } from '../nvme/nvmePreset.ts';
import type { GatherMerge } from './gatherSource.ts';
import type { ResolvedMemorySystem } from './system.ts';

export interface GatherEstimateInput {
  /** Lookups in the batch. */
  readonly rows: number;
  readonly rowBytes: number;
  /** Distinct rows among them (what a merging gather engine fetches). */
  readonly uniqueRows: number;
  /** Default 'gather': uniqueRows are fetched; 'off' fetches every lookup. */
  readonly mergeDuplicates?: GatherMerge;
}

export interface GatherEstimate {
  readonly fetchedRows: number;
  /** Unloaded latency of the first row. */
  readonly latencyNs: number;
  /** Time to drain the rest at the binding bound, and which bound it is. */
  readonly drainNs: number;
  readonly bound: string;
  /** Every bound considered, in ns for all fetched rows. */
  readonly boundsNs: Readonly<Record<string, number>>;
  readonly totalNs: number;
}

/** Averages f over the row alignments a table of rowBytes rows produces modulo `period` (exact for a uniform row). */
function overAlignments(rowBytes: number, period: number, f: (offset: number) => number): number {
  const g = gcd(rowBytes, period);
  const n = period / g;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += f((k * rowBytes) % period);
  return sum / n;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Closed-bank read of one burst, in ps (ACT's last cycle, tRCD, CL, burst). */
export function dramClosedBankPs(d: ResolvedDramPreset): number {
  return (d.commandBus.actCycles - 1 + d.timing.tRcdCycles + d.timing.tClCycles + d.timing.burstCycles) * d.tCkPs;
}

/** Read of one burst at a random address under the open-page policy: its bank is open on another row (tRP + tRCD + CL + burst), in ps. */
export function dramRandomReadPs(d: ResolvedDramPreset): number {
  return (d.timing.tRpCycles + d.timing.tRcdCycles + d.timing.tClCycles + d.timing.burstCycles) * d.tCkPs;
}

/**
 * How long a read request holds a root-port non-posted credit: its serialisation, the link, the root
 * complex's inbound path to memory, and the UpdateFC's flight back (memory accepting at once).
 */
function creditHoldPs(p: ResolvedPcieLinkPreset): number {
  return tlpWireBytes(p, p.tlp.memoryReadHeaderBytes, 0) * p.psPerWireByte + 2 * p.latencyPs.link + p.latencyPs.rootComplexInbound;
}

/** Link terms of zero-copy row reads (ps per row): wire bytes both ways, reads, and bytes per read. */
type ZeroCopyRow = { down: number; up: number; reads: number; pieceBytes: number };

/**
 * zeroCopyPerRow by link preset and row size: it averages over every alignment of the row, and a projection
 * asks for it once per engine step (about 1,100 times a run) with the same two arguments. Pure, so cached for as
 * long as the preset object lives.
 */
const zeroCopyRows = new WeakMap<ResolvedPcieLinkPreset, Map<number, Readonly<ZeroCopyRow>>>();

function zeroCopyPerRowCached(p: ResolvedPcieLinkPreset, rowBytes: number): Readonly<ZeroCopyRow> {
  let byRowBytes = zeroCopyRows.get(p);
  if (byRowBytes === undefined) {
    byRowBytes = new Map();
    zeroCopyRows.set(p, byRowBytes);
  }
  let row = byRowBytes.get(rowBytes);
  if (row === undefined) {
    row = Object.freeze(zeroCopyPerRow(p, rowBytes));
    byRowBytes.set(rowBytes, row);
  }
  return row;
}

function zeroCopyPerRow(p: ResolvedPcieLinkPreset, rowBytes: number): ZeroCopyRow {
  const readBytes = p.requester.zeroCopyReadBytes;
  const per = (offset: number): [number, number, number] => {
    let down = 0;
    let up = 0;
    const pieces = readPieces(offset, rowBytes, readBytes);
    for (const [at, bytes] of pieces) {
      const cpl = completionSizes(p, at, bytes);
      down += cpl.reduce((s, c) => s + tlpWireBytes(p, p.tlp.completionHeaderBytes, c), 0) + p.dllp.bytes / p.dllp.ackEveryTlps + p.dllp.bytes / p.dllp.updateFcEveryTlps;
      up += tlpWireBytes(p, p.tlp.memoryReadHeaderBytes, 0) + (cpl.length * p.dllp.bytes) / p.dllp.ackEveryTlps;
    }
    return [down, up, pieces.length];
  };
  const down = overAlignments(rowBytes, readBytes, (o) => per(o)[0]);
  const up = overAlignments(rowBytes, readBytes, (o) => per(o)[1]);
  const reads = overAlignments(rowBytes, readBytes, (o) => per(o)[2]);
  return { down: down * p.psPerWireByte, up: up * p.psPerWireByte, reads, pieceBytes: rowBytes / reads };
}

/**
 * The analytic limit of one batch's gather time on `system`. Assumptions: every fetched row comes from the
 * first backing tier (pass the rows that miss the HBM cache); memory accesses cost their closed-bank
 * latency; the batch drains at the tightest bound after the first row's unloaded latency. The
 * simulation adds queueing, row conflicts and refresh, so it approaches this from above for large batches.
 */
export function estimateGather(system: ResolvedMemorySystem, input: GatherEstimateInput): GatherEstimate {
  const { rows, rowBytes, uniqueRows } = input;
  if (!Number.isInteger(rowBytes) || rowBytes < 1) throw new SimError(`estimateGather: rowBytes: expected a positive integer, got ${showValue(rowBytes)}`);
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(uniqueRows) || uniqueRows < 0 || uniqueRows > rows) {
    throw new SimError(`estimateGather: rows, uniqueRows: expected integers with 0 <= uniqueRows <= rows, got ${showValue(rows)} and ${showValue(uniqueRows)}`);
  }
  const n = (input.mergeDuplicates ?? 'gather') === 'gather' ? uniqueRows : rows;
  const p = system.pcie;
  const host = system.hostDram;
  const tier = system.tiers[0]!;
  const bounds: Record<string, number> = {};
  let latencyPs: number;
  const burstsPer = (d: ResolvedDramPreset, bytes: number, period: number): number =>
    overAlignments(bytes, period, (o) => Math.floor((o + bytes - 1) / d.burstBytes) - Math.floor(o / d.burstBytes) + 1);
  const dramBound = (d: ResolvedDramPreset, bursts: number): number => (n * bursts * d.burstBytes * 1000) / d.peakBandwidthGBps;

  if (tier.kind === 'nvme') {
    const nv = tier.preset;
    const pages = overAlignments(rowBytes, nv.pageBytes, (o) => Math.floor((o + rowBytes - 1) / nv.pageBytes) - Math.floor(o / nv.pageBytes) + 1);
    bounds['nvmeIops'] = (n * pages * 1e12) / nvmeRandomReadIopsBound(nv);
    bounds['nvmeBandwidth'] = (n * pages * nv.pageBytes * 1000) / nv.peakBandwidthGBps;
    if (tier.gds) {
      // Pages go SSD -> root complex -> GPU link as MWr TLPs.
      const wire = (nv.pageBytes / p.transfer.maxPayloadBytes) * tlpWireBytes(p, p.tlp.memoryWriteHeaderBytes, p.transfer.maxPayloadBytes);
      bounds['gpuLinkDown'] = n * pages * wire * p.psPerWireByte;
      latencyPs = nvmeUnloadedReadPs(nv) + p.latencyPs.rootComplexOutbound + wire * p.psPerWireByte + p.latencyPs.link;
    } else {
      // Every page misses the page cache: SSD -> page cache (a DRAM write) -> zero-copy row read.
      const z = zeroCopyPerRowCached(p, rowBytes);
      bounds['gpuLinkDown'] = n * z.down;
      bounds['hostDramFill'] = dramBound(host, (pages * nv.pageBytes) / host.burstBytes);
      latencyPs = nvmeUnloadedReadPs(nv) + dramClosedBankPs(host) + readRoundTripPs(p, 0, z.pieceBytes, dramRandomReadPs(host)) + p.latencyPs.requesterInternal;
    }
  } else {
    // Host memory (DRAM or CXL): the access path and its media.
    const cxl = tier.kind === 'cxl' ? tier.preset : null;
    // Scattered rows find their bank open on another row.
    const memoryPs = cxl === null ? dramRandomReadPs(host) : cxlUnloadedReadPs(cxl, dramRandomReadPs(cxl.media));
    const media = cxl === null ? host : cxl.media;
    const mediaBursts = burstsPer(media, rowBytes, media.burstBytes);
    if (cxl !== null) {
      const lines = overAlignments(rowBytes, cxl.flit.lineBytes, (o) => Math.floor((o + rowBytes - 1) / cxl.flit.lineBytes) - Math.floor(o / cxl.flit.lineBytes) + 1);
      const drs = cxlWireBytes(cxl, cxlMessageSlots(cxl.flit.lineBytes / cxl.flit.slotBytes, cxl.flit.dataHeadersPerSlot));
      bounds['cxlLink'] = n * lines * drs * cxl.psPerWireByte;
    }
    if (system.transfer === 'zero-copy') {
      const z = zeroCopyPerRowCached(p, rowBytes);
      const rtt = readRoundTripPs(p, 0, z.pieceBytes, memoryPs);
      bounds['pcieDownstream'] = n * z.down;
      bounds['pcieUpstream'] = n * z.up;
      bounds['pcieTags'] = (n * z.reads * rtt) / p.requester.tags;
      bounds['rootPortCredits'] = (n * z.reads * creditHoldPs(p)) / p.rootComplex.nonPostedCredits;
      bounds['completionBuffer'] = (n * z.reads * rtt * z.pieceBytes) / p.requester.completionBufferBytes;
      bounds['memory'] = dramBound(media, mediaBursts);
      latencyPs = rtt + p.latencyPs.requesterInternal;
    } else {
      // CPU gather into pinned staging (reads bounded by line fill buffers, then streaming stores), then one DMA.
      const lines = overAlignments(rowBytes, 64, (o) => Math.floor((o + rowBytes - 1) / 64) - Math.floor(o / 64) + 1);
      const cpuLinePs = p.hostCpu.memoryPathPs + memoryPs;
      const cpu = Math.max((n * lines * cpuLinePs) / p.hostCpu.linesInFlight, dramBound(media, mediaBursts) + dramBound(host, rowBytes / host.burstBytes));
      const bytes = n * rowBytes;
      // The staging buffer is read in address order: open-row hits after the first access of each row.
      const dmaRtt = readRoundTripPs(p, 0, p.transfer.maxReadRequestBytes, dramClosedBankPs(host));
      const reads = Math.ceil(bytes / p.transfer.maxReadRequestBytes);
      const dma = Math.max((bytes * 1000) / readPayloadBandwidthGBps(p, p.transfer.maxReadRequestBytes), (reads * dmaRtt) / p.requester.tags, (reads * creditHoldPs(p)) / p.rootComplex.nonPostedCredits);
      // Two phases in series: the gather, then the copy after its setup.
      bounds['stagingGatherThenDma'] = cpu + p.dmaSetupPs + dmaRtt + dma;
      latencyPs = cpuLinePs + p.latencyPs.requesterInternal;
    }
  }
  let bound = 'none';
  let drainPs = 0;
  for (const [name, t] of Object.entries(bounds)) {
    if (t > drainPs) {
      drainPs = t;
      bound = name;
    }
  }
  if (n === 0) {
    latencyPs = 0;
    drainPs = 0;
  }
  const boundsNs = Object.fromEntries(Object.entries(bounds).map(([k, v]) => [k, v / 1000]));
  return { fetchedRows: n, latencyNs: latencyPs / 1000, drainNs: drainPs / 1000, bound, boundsNs, totalNs: (latencyPs + drainPs) / 1000 };
}

/** estimateGather's total in ns: the analytic limit the simulation approaches for large batches. */
export function estimateGatherNs(system: ResolvedMemorySystem, input: GatherEstimateInput): number {
  return estimateGather(system, input).totalNs;
}
