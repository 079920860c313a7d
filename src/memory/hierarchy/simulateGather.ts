// simulateEngramGather: one run of a gather workload on a composed memory system under one clock owner
// (engine.ts), with batch barriers and prefetch; reports gather and exposed time, tiers, links, hit rates.
import { SimError, showValue } from '../../core/index.ts';
import { runEngine } from '../engine.ts';
import { summarize, type Percentiles } from '../histogram.ts';
import type { LinkDirection } from '../link/linkDirection.ts';
import { PageCache } from '../nvme/pageCache.ts';
import { GatherSource, type GatherMerge } from './gatherSource.ts';
import { HotRowCache } from './hotRowCache.ts';
import { buildSystemDevices } from './systemDevices.ts';
import type { ResolvedMemorySystem } from './system.ts';
import type { LatencyBins } from './tierStats.ts';
import { TraceRecorder, type TraceEvent } from './traceEvents.ts';
import type { GatherWorkload } from './workload.ts';

export interface GatherRunOptions {
  /** Duplicate lookups within a batch: fetched once ('gather') or per lookup ('off'). */
  readonly mergeDuplicates: GatherMerge;
  /** Duplicate merging inside the DRAM controllers (host and CXL media); default 'off'. */
  readonly controllerMerge?: 'off' | 'controller';
  /** The batch's compute window: prefetch is issued this long before the rows are needed. Default 0. */
  readonly prefetchNs?: number;
  /** Batches the 'static' HBM cache policy profiles (its top-K rows); required for 'static', ignored otherwise. */
  readonly profile?: Iterable<Uint32Array>;
  /** Record a Perfetto/Chrome trace of batches [fromBatch, fromBatch + batches). */
  readonly perfetto?: { readonly fromBatch?: number; readonly batches?: number; readonly maxRowEvents?: number };
}

export interface TierResult {
  readonly kind: string;
  readonly name: string;
  /** Lookups served by this tier, duplicates included, and their share of all lookups. */
  readonly lookups: number;
  readonly lookupShare: number;
  /** Rows moved from this tier (after merging). */
  readonly fetches: number;
  /** Table rows placed in this tier (null: the rest of the table, or the HBM cache's capacity in rows). */
  readonly placedRows: number | null;
  readonly firstRow: number | null;
  readonly latencyNs: Percentiles;
  readonly latencyHistogram: LatencyBins;
  /** Row bytes delivered from this tier per simulated ns. */
  readonly bandwidthGBps: number;
  /** Bytes the tier's media moved per simulated ns, and their share of its peak. */
  readonly mediaBandwidthGBps: number;
  readonly utilisation: number;
  /** Media bytes read per row byte delivered (bursts, pages, lines). */
  readonly readAmplification: number | null;
}

export interface LinkResult {
  readonly name: string;
  readonly wireBytes: number;
  readonly payloadBytes: number;
  readonly wireGBps: number;
  readonly payloadGBps: number;
  /** Busy share of the simulated time. */
  readonly utilisation: number;
}

export interface GatherRunResult {
  readonly system: string;
  readonly transfer: string;
  readonly workload: string;
  readonly rowBytes: number;
  readonly mergeDuplicates: GatherMerge;
  readonly controllerMerge: 'off' | 'controller';
  readonly prefetchNs: number;
  readonly batches: number;
  readonly lookups: number;
  readonly mergedLookups: number;
  readonly fetches: number;
  readonly gatherNs: Percentiles;
  /** Gather time beyond the prefetch window, per batch, and its sum. */
  readonly exposedNs: Percentiles & { readonly total: number };
  /** Timeline length: per batch max(gather, prefetch window), summed. */
  readonly simulatedNs: number;
  readonly hitRates: { readonly hbmCache: number | null; readonly pageCache: number | null };
  readonly tiers: readonly TierResult[];
  readonly links: readonly LinkResult[];
  readonly engineSteps: number;
  readonly traceEvents?: readonly TraceEvent[];
}

/**
 * Simulates `workload` on `system`. Each batch is issued at once (bounded only by the devices' queues and
 * the CPU's line fill buffers), completes at a barrier, and the next batch starts when the layer proceeds:
 * max(gather end, batch start + prefetchNs).
 */
export function simulateEngramGather(system: ResolvedMemorySystem, workload: GatherWorkload, options: GatherRunOptions): GatherRunResult {
  const { rowBytes } = workload;
  if (!Number.isInteger(rowBytes) || rowBytes < 1) throw new SimError(`simulateEngramGather: workload.rowBytes: expected a positive integer, got ${showValue(rowBytes)}`);
  const prefetchNs = options.prefetchNs ?? 0;
  if (!(prefetchNs >= 0) || !Number.isFinite(prefetchNs)) throw new SimError(`simulateEngramGather: options.prefetchNs: expected a finite number >= 0, got ${showValue(prefetchNs)}`);
  const controllerMerge = options.controllerMerge ?? 'off';
  const devices = buildSystemDevices(system, { dramMerge: controllerMerge });
  const hbmCache = buildHotRowCache(system, rowBytes, options.profile);
  const nvmeTier = system.tiers.find((t) => t.kind === 'nvme');
  const pageCache = nvmeTier?.kind === 'nvme' && !nvmeTier.gds ? new PageCache(nvmeTier.pageCacheBytes, nvmeTier.preset.pageBytes) : null;
  const tierNames = ['HBM cache', ...system.tiers.map((t) => t.name)];
  const recorder = options.perfetto === undefined ? null : new TraceRecorder(options.perfetto.fromBatch ?? 0, options.perfetto.batches ?? 4, options.perfetto.maxRowEvents ?? 20000, tierNames);
  const prefetchPs = Math.round(prefetchNs * 1000);
  const source = new GatherSource(workload.batches, { system, rowBytes, merge: options.mergeDuplicates, prefetchPs, hbmCache, pageCache, recorder });
  const engine = runEngine(devices.top, source);

  let timelinePs = 0;
  for (const g of source.gatherPs) timelinePs += Math.max(g, prefetchPs);
  const simulatedNs = timelinePs / 1000;
  const perNs = (bytes: number): number => (simulatedNs > 0 ? bytes / simulatedNs : 0);
  const lookups = source.lookups;
  const fetches = source.tiers.reduce((n, t) => n + t.fetches, 0);

  // Media traffic per tier: what each device moved, against its peak.
  const dram = devices.hostDram.stats();
  const burst = system.hostDram.burstBytes;
  const media = new Map<string, { bytes: number; readBytes: number; peak: number }>([
    ['hbm', { bytes: devices.hbm.stats().busBytes, readBytes: devices.hbm.stats().busBytes, peak: devices.hbm.peakBandwidthGBps }],
    ['host-dram', { bytes: dram.busBytes, readBytes: (dram.extra['readBursts'] ?? 0) * burst, peak: system.hostDram.peakBandwidthGBps }],
  ]);
  if (devices.cxl !== null) {
    const m = devices.cxl.media.stats();
    media.set('cxl', { bytes: m.busBytes, readBytes: (m.extra['readBursts'] ?? 0) * (devices.cxl.preset.media.burstBytes), peak: devices.cxl.preset.media.peakBandwidthGBps });
  }
  if (devices.nvme !== null) {
    const n = devices.nvme.stats();
    media.set('nvme', { bytes: n.busBytes, readBytes: n.extra['flashReadBytes'] ?? 0, peak: devices.nvme.peakBandwidthGBps });
  }
  let firstRow = 0;
  const tiers: TierResult[] = source.tiers.map((t, i) => {
    const m = media.get(t.kind)!;
    const placement = i === 0 ? { placedRows: system.hbmCache === null ? 0 : Math.floor(system.hbmCache.capacityBytes / rowBytes), firstRow: null } : placed(system.tiers[i - 1]!.capacityBytes);
    const rowBytesFromTier = t.fetches * rowBytes;
    return {
      kind: t.kind,
      name: t.name,
      lookups: t.lookups,
      lookupShare: lookups > 0 ? t.lookups / lookups : 0,
      fetches: t.fetches,
      ...placement,
      latencyNs: t.latencyNs(),
      latencyHistogram: t.histogram(),
      bandwidthGBps: perNs(t.bytes),
      mediaBandwidthGBps: perNs(m.bytes),
      utilisation: m.peak > 0 ? perNs(m.bytes) / m.peak : 0,
      readAmplification: rowBytesFromTier > 0 ? m.readBytes / rowBytesFromTier : null,
    };
  });
  function placed(capacityBytes: number | null): { placedRows: number | null; firstRow: number } {
    const rows = capacityBytes === null ? null : Math.floor(capacityBytes / rowBytes);
    const at = firstRow;
    firstRow += rows ?? 0;
    return { placedRows: rows, firstRow: at };
  }

  const linkDirections: LinkDirection[] = [devices.link.upstream, devices.link.downstream];
  if (devices.cxl !== null) linkDirections.push(devices.cxl.m2s, devices.cxl.s2m);
  if (devices.nvme !== null) linkDirections.push(devices.nvme.toHost);
  const links = linkDirections.map((d): LinkResult => ({
    name: d.name,
    wireBytes: d.wireBytes,
    payloadBytes: d.payloadBytes,
    wireGBps: perNs(d.wireBytes),
    payloadGBps: perNs(d.payloadBytes),
    utilisation: timelinePs > 0 ? d.busyPs / timelinePs : 0,
  }));

  const exposed = summarize(source.exposedPs, 1 / 1000);
  return {
    system: system.name,
    transfer: system.transfer,
    workload: workload.description ?? 'batches',
    rowBytes,
    mergeDuplicates: options.mergeDuplicates,
    controllerMerge,
    prefetchNs,
    batches: source.gatherPs.length,
    lookups,
    mergedLookups: source.mergedLookups,
    fetches,
    gatherNs: summarize(source.gatherPs, 1 / 1000),
    exposedNs: { ...exposed, total: source.exposedPs.reduce((a, b) => a + b, 0) / 1000 },
    simulatedNs,
    hitRates: {
      hbmCache: system.hbmCache === null ? null : lookups > 0 ? source.hbmHits / lookups : 0,
      pageCache: pageCache === null ? null : pageCache.hitRate(),
    },
    tiers,
    links,
    engineSteps: engine.steps,
    ...(recorder === null ? {} : { traceEvents: recorder.events() }),
  };
}

function buildHotRowCache(system: ResolvedMemorySystem, rowBytes: number, profile: Iterable<Uint32Array> | undefined): HotRowCache | null {
  const c = system.hbmCache;
  if (c === null) return null;
  const rows = Math.floor(c.capacityBytes / rowBytes);
  if (c.policy === 'static') {
    if (profile === undefined) throw new SimError("simulateEngramGather: options.profile: expected the batches to profile for the 'static' HBM cache policy, but it is missing");
    return HotRowCache.fromProfile(rows, profile);
  }
  return HotRowCache.dynamic(c.policy, rows);
}
