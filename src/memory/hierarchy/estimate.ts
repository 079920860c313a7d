// The closed-form limit of a gather (no simulation): one unloaded round trip plus the fetched rows drained
// at the tightest of the bandwidth, tag (Little's law) and memory bounds of the system's first backing tier.
import { SimError, memoOwned, showValue } from '../../core/index.ts';
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

/** Row sizes kept per preset or system: a run uses one or two, a sweep over table dtypes a few. */
const ROW_SIZES_PER_OWNER = 64;

/** Link terms of zero-copy row reads (ps per row): wire bytes both ways, reads, and bytes per read. */
type ZeroCopyRow = { down: number; up: number; reads: number; pieceBytes: number };

/**
 * zeroCopyPerRow by link preset and row size: it averages over every alignment of the row, and a projection
 * asks for it once per engine step (about 1,100 times a run) with the same two arguments. Pure, so cached for as
 * long as the preset object lives.
 */
const zeroCopyRows = new WeakMap<ResolvedPcieLinkPreset, Map<number, Readonly<ZeroCopyRow>>>();

function zeroCopyPerRowCached(p: ResolvedPcieLinkPreset, rowBytes: number): Readonly<ZeroCopyRow> {
  return memoOwned(zeroCopyRows, p, rowBytes, ROW_SIZES_PER_OWNER, () => Object.freeze(zeroCopyPerRow(p, rowBytes)));
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

/** A gather's bounds for `n` fetched rows (ps, in a fixed order) and the first row's unloaded latency. */
type GatherTerms = (n: number) => { readonly bounds: readonly (readonly [string, number])[]; readonly latencyPs: number };

/**
 * The terms of estimateGather that depend on the system and the row size only (alignment averages, round
 * trips), computed once per system and row size: a projection asks for a gather of every distinct step size
 * (about 400 a run) with the same two. The bounds keep estimateGather's expressions, so the results are the same
 * numbers.
 */
const termsBySystem = new WeakMap<ResolvedMemorySystem, Map<number, GatherTerms>>();

function gatherTermsCached(system: ResolvedMemorySystem, rowBytes: number): GatherTerms {
  return memoOwned(termsBySystem, system, rowBytes, ROW_SIZES_PER_OWNER, () => gatherTerms(system, rowBytes));
}

function gatherTerms(system: ResolvedMemorySystem, rowBytes: number): GatherTerms {
  const p = system.pcie;
  const host = system.hostDram;
  const tier = system.tiers[0]!;
  const burstsPer = (d: ResolvedDramPreset, bytes: number, period: number): number =>
    overAlignments(bytes, period, (o) => Math.floor((o + bytes - 1) / d.burstBytes) - Math.floor(o / d.burstBytes) + 1);
  const dramBound = (n: number, d: ResolvedDramPreset, bursts: number): number => (n * bursts * d.burstBytes * 1000) / d.peakBandwidthGBps;

  if (tier.kind === 'nvme') {
    const nv = tier.preset;
    const pages = overAlignments(rowBytes, nv.pageBytes, (o) => Math.floor((o + rowBytes - 1) / nv.pageBytes) - Math.floor(o / nv.pageBytes) + 1);
    const iops = nvmeRandomReadIopsBound(nv);
    if (tier.gds) {
      // Pages go SSD -> root complex -> GPU link as MWr TLPs.
      const wire = (nv.pageBytes / p.transfer.maxPayloadBytes) * tlpWireBytes(p, p.tlp.memoryWriteHeaderBytes, p.transfer.maxPayloadBytes);
      const latencyPs = nvmeUnloadedReadPs(nv) + p.latencyPs.rootComplexOutbound + wire * p.psPerWireByte + p.latencyPs.link;
      return (n) => ({
        bounds: [['nvmeIops', (n * pages * 1e12) / iops], ['nvmeBandwidth', (n * pages * nv.pageBytes * 1000) / nv.peakBandwidthGBps], ['gpuLinkDown', n * pages * wire * p.psPerWireByte]],
        latencyPs,
      });
    }
    // Every page misses the page cache: SSD -> page cache (a DRAM write) -> zero-copy row read.
    const z = zeroCopyPerRowCached(p, rowBytes);
    const latencyPs = nvmeUnloadedReadPs(nv) + dramClosedBankPs(host) + readRoundTripPs(p, 0, z.pieceBytes, dramRandomReadPs(host)) + p.latencyPs.requesterInternal;
    return (n) => ({
      bounds: [
        ['nvmeIops', (n * pages * 1e12) / iops],
        ['nvmeBandwidth', (n * pages * nv.pageBytes * 1000) / nv.peakBandwidthGBps],
        ['gpuLinkDown', n * z.down],
        ['hostDramFill', dramBound(n, host, (pages * nv.pageBytes) / host.burstBytes)],
      ],
      latencyPs,
    });
  }
  // Host memory (DRAM or CXL): the access path and its media.
  const cxl = tier.kind === 'cxl' ? tier.preset : null;
  // Scattered rows find their bank open on another row.
  const memoryPs = cxl === null ? dramRandomReadPs(host) : cxlUnloadedReadPs(cxl, dramRandomReadPs(cxl.media));
  const media = cxl === null ? host : cxl.media;
  const mediaBursts = burstsPer(media, rowBytes, media.burstBytes);
  const cxlLink = cxl === null
    ? null
    : {
      lines: overAlignments(rowBytes, cxl.flit.lineBytes, (o) => Math.floor((o + rowBytes - 1) / cxl.flit.lineBytes) - Math.floor(o / cxl.flit.lineBytes) + 1),
      drs: cxlWireBytes(cxl, cxlMessageSlots(cxl.flit.lineBytes / cxl.flit.slotBytes, cxl.flit.dataHeadersPerSlot)),
      psPerWireByte: cxl.psPerWireByte,
    };
  const withCxl = (n: number, bounds: [string, number][]): [string, number][] =>
    cxlLink === null ? bounds : [['cxlLink', n * cxlLink.lines * cxlLink.drs * cxlLink.psPerWireByte], ...bounds];
  if (system.transfer === 'zero-copy') {
    const z = zeroCopyPerRowCached(p, rowBytes);
    const rtt = readRoundTripPs(p, 0, z.pieceBytes, memoryPs);
    const creditPs = creditHoldPs(p);
    const latencyPs = rtt + p.latencyPs.requesterInternal;
    return (n) => ({
      bounds: withCxl(n, [
        ['pcieDownstream', n * z.down],
        ['pcieUpstream', n * z.up],
        ['pcieTags', (n * z.reads * rtt) / p.requester.tags],
        ['rootPortCredits', (n * z.reads * creditPs) / p.rootComplex.nonPostedCredits],
        ['completionBuffer', (n * z.reads * rtt * z.pieceBytes) / p.requester.completionBufferBytes],
        ['memory', dramBound(n, media, mediaBursts)],
      ]),
      latencyPs,
    });
  }
  // CPU gather into pinned staging (reads bounded by line fill buffers, then streaming stores), then one DMA.
  const lines = overAlignments(rowBytes, 64, (o) => Math.floor((o + rowBytes - 1) / 64) - Math.floor(o / 64) + 1);
  const cpuLinePs = p.hostCpu.memoryPathPs + memoryPs;
  // The staging buffer is read in address order: open-row hits after the first access of each row.
  const dmaRtt = readRoundTripPs(p, 0, p.transfer.maxReadRequestBytes, dramClosedBankPs(host));
  const dmaGBps = readPayloadBandwidthGBps(p, p.transfer.maxReadRequestBytes);
  const creditPs = creditHoldPs(p);
  const latencyPs = cpuLinePs + p.latencyPs.requesterInternal;
  return (n) => {
    const cpu = Math.max((n * lines * cpuLinePs) / p.hostCpu.linesInFlight, dramBound(n, media, mediaBursts) + dramBound(n, host, rowBytes / host.burstBytes));
    const bytes = n * rowBytes;
    const reads = Math.ceil(bytes / p.transfer.maxReadRequestBytes);
    const dma = Math.max((bytes * 1000) / dmaGBps, (reads * dmaRtt) / p.requester.tags, (reads * creditPs) / p.rootComplex.nonPostedCredits);
    // Two phases in series: the gather, then the copy after its setup.
    return { bounds: withCxl(n, [['stagingGatherThenDma', cpu + p.dmaSetupPs + dmaRtt + dma]]), latencyPs };
  };
}

/**
 * The analytic limit of one batch's gather time on `system`. Assumptions: every fetched row comes from the
 * first backing tier (pass the rows that miss the HBM cache); memory accesses cost their closed-bank
 * latency; the batch drains at the tightest bound after the first row's unloaded latency. The
 * simulation adds queueing, row conflicts and refresh, so it approaches this from above for large batches.
 */
export function estimateGather(system: ResolvedMemorySystem, input: GatherEstimateInput): GatherEstimate {
  const n = fetchedRows(input);
  const { bounds, latencyPs } = gatherTermsCached(system, input.rowBytes)(n);
  const { bound, firstPs, drainPs } = binding(n, bounds, latencyPs);
  const boundsNs = Object.fromEntries(bounds.map(([k, v]) => [k, v / 1000]));
  return { fetchedRows: n, latencyNs: firstPs / 1000, drainNs: drainPs / 1000, bound, boundsNs, totalNs: (firstPs + drainPs) / 1000 };
}

/** estimateGather's totalNs without the breakdown (a projection asks for it per step size). */
export function estimateGatherNs(system: ResolvedMemorySystem, input: GatherEstimateInput): number {
  const n = fetchedRows(input);
  const { bounds, latencyPs } = gatherTermsCached(system, input.rowBytes)(n);
  const { firstPs, drainPs } = binding(n, bounds, latencyPs);
  return (firstPs + drainPs) / 1000;
}

/** The tightest bound (the first of equals) and the first row's latency; nothing to wait for without rows. */
function binding(n: number, bounds: readonly (readonly [string, number])[], latencyPs: number): { bound: string; firstPs: number; drainPs: number } {
  let bound = 'none';
  let drainPs = 0;
  for (const [name, t] of bounds) {
    if (t > drainPs) {
      drainPs = t;
      bound = name;
    }
  }
  return n === 0 ? { bound, firstPs: 0, drainPs: 0 } : { bound, firstPs: latencyPs, drainPs };
}

/** Checks the input; the rows a gather fetches (unique ones when merging, the default). */
function fetchedRows(input: GatherEstimateInput): number {
  const { rows, rowBytes, uniqueRows } = input;
  if (!Number.isInteger(rowBytes) || rowBytes < 1) throw new SimError(`estimateGather: rowBytes: expected a positive integer, got ${showValue(rowBytes)}`);
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(uniqueRows) || uniqueRows < 0 || uniqueRows > rows) {
    throw new SimError(`estimateGather: rows, uniqueRows: expected integers with 0 <= uniqueRows <= rows, got ${showValue(rows)} and ${showValue(uniqueRows)}`);
  }
  return (input.mergeDuplicates ?? 'gather') === 'gather' ? uniqueRows : rows;
}

