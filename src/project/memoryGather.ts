// Adapters from src/memory to the serving simulator's EngramGatherModel: the closed form (estimateGatherNs) and
// the cycle-level run (simulateEngramGather, one batch per step), on a memory system composed from the target's
// HBM and host side, the tier holding the table and an optional HBM hot-row cache. No DRAM or link model lives
// here; a host link of another PCIe generation than the stored presets is the Gen5 preset at that generation's rate.
import { ModelError, memoBounded, showValue } from '../core/index.ts';
import { estimateGatherNs, resolveMemorySystem, simulateEngramGather, zipfCacheHitRate, type AnalyticCachePolicy, type PresetLoader, type ResolvedMemorySystem, type TierSpec } from '../memory/index.ts';
import type { ResolvedGpuTarget, ResolvedTarget } from '../spec/index.ts';
import type { EngramPlacement } from './engramLayer.ts';
import type { EngramGatherModel, GatherBatch } from './gatherModel.ts';

export const GATHER_TIERS = ['dram', 'cxl', 'nvme'] as const;
export type GatherTier = (typeof GATHER_TIERS)[number];

/** Presets (targets/memory) behind each tier; the NVMe tier reads through a page cache of half the host DRAM. */
export const TIER_PRESETS = Object.freeze({ cxl: 'cxl2-x16-asic', nvme: 'nvme-gen5' });
const NVME_PAGE_CACHE_SHARE_OF_HOST_DRAM = 0.5;

/**
 * The paper's host path (§6.4, Fig. 2b: "the host asynchronously prefetches and transfers embeddings"): the CPU
 * gathers rows into pinned staging memory, then one DMA crosses PCIe. GPU zero-copy reads are the alternative.
 */
export const TABLE4_TRANSFER = 'staging' as const;

export interface GatherSetupOptions {
  readonly target: ResolvedTarget;
  readonly tier: GatherTier;
  readonly hbmCacheBytes: number;
  readonly placement: EngramPlacement;
  readonly presets: PresetLoader;
  /** PCIe lanes of the host link, replacing the target's (a link-bandwidth sweep). */
  readonly linkLanes?: number;
  /** Nanoseconds added to the link's one-way flight (a link-latency sweep). */
  readonly extraLinkLatencyNs?: number;
  /**
   * Zipf exponent of each head's row popularity (see hbmHitRate); 0 or absent: bench.py's ids, which hash
   * uniformly over the rows.
   */
  readonly rowZipfS?: number;
  /** Policy of the HBM cache: 'static' (the hottest rows, the default) or 'lru'. */
  readonly cachePolicy?: AnalyticCachePolicy;
  /**
   * Resolved memory systems kept by the caller between calls with the same `presets` loader and the same target
   * behind each target name (a sweep evaluator: resolving parses and checks every preset, a tenth of a point's
   * time). Keyed by what the system depends on: target name, tier, link lanes and added latency.
   */
  readonly systems?: Map<string, ResolvedMemorySystem>;
}

/** Bounded like the sweep evaluators' other caches: a sweep varies few of these at once. */
const SYSTEM_CACHE_ENTRIES = 64;

export interface GatherSetup {
  readonly system: ResolvedMemorySystem;
  /** Bytes the tier holding the table can hold (host DRAM, the CXL expander's media, the SSD). */
  readonly tierCapacityBytes: number;
  /** Share of lookups the HBM cache serves (hbmHitRate). */
  readonly hbmHitRate: number;
  readonly analytic: EngramGatherModel;
  readonly cycle: EngramGatherModel;
}

function tierSpec(tier: GatherTier, hostDramBytes: number): TierSpec {
  switch (tier) {
    case 'dram':
      return { kind: 'host-dram' };
    case 'cxl':
      return { kind: 'cxl', preset: TIER_PRESETS.cxl };
    case 'nvme':
      return { kind: 'nvme', preset: TIER_PRESETS.nvme, pageCacheBytes: Math.floor(hostDramBytes * NVME_PAGE_CACHE_SHARE_OF_HOST_DRAM), gds: false };
  }
}

/** The stored host-link preset (targets/memory) that links of other generations are derived from. */
export const BASE_PCIE_PRESET = 'pcie-gen5-x16';
const BASE_PCIE_GENERATION = 5;
/**
 * Transfer rate per lane by PCIe generation, GT/s (PCI Express Base Specifications 3.0-5.0; all use 128b/130b
 * coding). A derived link keeps the Gen5 preset's TLP sizes, latencies, tags and DMA setup: ASSUMPTION (the
 * protocol figures are generation-independent; the latencies are assumed alike).
 */
export const PCIE_TRANSFER_RATE_GTPS: Readonly<Record<number, number>> = Object.freeze({ 3: 8, 4: 16, 5: 32 });

/**
 * A loader whose `pcieName` preset is the Gen5 preset at `generation`'s rate and `lanes` lanes, with `extraNs`
 * more link flight; other presets pass through.
 */
function patchedLoader(load: PresetLoader, pcieName: string, generation: number, lanes: number | undefined, extraNs: number): PresetLoader {
  if (generation === BASE_PCIE_GENERATION && lanes === undefined && extraNs === 0) return load;
  const rate = PCIE_TRANSFER_RATE_GTPS[generation];
  if (rate === undefined) throw new ModelError(`engramGatherSetup: host.pcie.generation: expected one of ${Object.keys(PCIE_TRANSFER_RATE_GTPS).join(', ')}, got ${showValue(generation)}`);
  return (name: string) => {
    if (name !== pcieName) return load(name);
    const loaded = load(BASE_PCIE_PRESET);
    const copy = JSON.parse(JSON.stringify(loaded.data)) as { name: string; phy: Record<string, unknown>; latency: { linkNs: number } };
    copy.name = pcieName;
    copy.phy.generation = generation;
    copy.phy.transferRateGTps = rate;
    if (lanes !== undefined) copy.phy.lanes = lanes;
    copy.latency.linkNs += extraNs;
    return { data: copy, file: `${loaded.file} (patched: Gen${generation} at ${rate} GT/s, ${lanes ?? 'same'} lanes, +${extraNs} ns link)` };
  };
}

/**
 * src/memory composes a memory system from a GPU target's name, HBM and host side only; other kinds have the
 * same three parts. Their compute sections are never read there.
 */
function memorySideOf(target: ResolvedTarget): ResolvedGpuTarget {
  if (target.kind === 'gpu') return target;
  if (target.host === undefined) throw new ModelError(`engramGatherSetup: target ${target.name}: host: expected a host section (PCIe link, host DRAM) for a table outside the device, but it is missing`);
  const view: Pick<ResolvedGpuTarget, 'name' | 'host' | 'memory'> = { name: target.name, host: target.host, memory: { ...target.memory, l2Bytes: 0 } };
  return view as ResolvedGpuTarget;
}

/** Largest Zipf exponent a row distribution may have; real text hashed by paper-style heads measures 0.51-0.77. */
export const MAX_ROW_ZIPF_S = 3;

/**
 * Share of lookups an HBM cache of `cacheBytes` serves. With bench.py's ids (s = 0) every row is equally likely,
 * so any policy holds cache / table of them. With rows of popularity Zipf(s) in each head (rank r drawn in
 * proportion to r^-s; `engram-dse trace --corpus brown` measures s = 0.51 for 3-grams and 0.77 for 2-grams of
 * real text): a 'static' cache holds the hottest rows (a perfect profile), an 'lru' cache what Che's
 * approximation gives (memory.zipfCacheHitRate, within 1 % of the simulated LRU cache).
 */
export function hbmHitRate(placement: EngramPlacement, cacheBytes: number, rowZipfS = 0, policy: AnalyticCachePolicy = 'static'): number {
  if (!(rowZipfS >= 0 && rowZipfS <= MAX_ROW_ZIPF_S)) throw new ModelError(`hbmHitRate: rowZipfS: expected a number in [0, ${MAX_ROW_ZIPF_S}], got ${showValue(rowZipfS)}`);
  if (rowZipfS === 0 || cacheBytes >= placement.tableBytes) return Math.min(1, cacheBytes / placement.tableBytes);
  return zipfCacheHitRate(policy, Math.floor(cacheBytes / placement.rowBytes), placement.headRows.flat(), rowZipfS);
}

export function engramGatherSetup(o: GatherSetupOptions): GatherSetup {
  if (!Number.isSafeInteger(o.hbmCacheBytes) || o.hbmCacheBytes < 0 || o.hbmCacheBytes > o.target.memory.hbmCapacityBytes) {
    throw new ModelError(`engramGatherSetup: hbmCacheBytes: expected an integer in [0, ${o.target.memory.hbmCapacityBytes}] (${o.target.name}'s HBM), got ${showValue(o.hbmCacheBytes)}`);
  }
  const transfer = o.target.serving?.engram.transfer ?? TABLE4_TRANSFER;
  let target = memorySideOf(o.target);
  if (o.linkLanes !== undefined) {
    const pcie = target.host.pcie;
    const lanes = o.linkLanes as typeof pcie.lanes;
    target = { ...target, host: { ...target.host, pcie: { ...pcie, lanes, perDirectionRawGBps: (pcie.perDirectionRawGBps * lanes) / pcie.lanes } } };
  }
  const pcie = target.host.pcie;
  const pcieName = `pcie-gen${pcie.generation}-x${pcie.lanes}`;
  const resolve = (): ResolvedMemorySystem => {
    const load = patchedLoader(o.presets, pcieName, pcie.generation, o.linkLanes, o.extraLinkLatencyNs ?? 0);
    // Resolve once without the tier to learn the host DRAM's size (it bounds the NVMe page cache).
    const probe = resolveMemorySystem(target, load, { pciePreset: pcieName, transfer }, 'engram gather');
    return resolveMemorySystem(target, load, { pciePreset: pcieName, transfer, tiers: [tierSpec(o.tier, probe.hostDram.capacityBytes)] }, 'engram gather');
  };
  const system = o.systems === undefined
    ? resolve()
    : memoBounded(o.systems, JSON.stringify([o.target.name, o.tier, o.linkLanes ?? null, o.extraLinkLatencyNs ?? 0]), SYSTEM_CACHE_ENTRIES, resolve);
  const hitRate = hbmHitRate(o.placement, o.hbmCacheBytes, o.rowZipfS, o.cachePolicy);
  // The rows left for the tiers are the cold tail, which bench.py's uniformly hashed rows stand in for.
  const misses = (batch: GatherBatch): number => (hitRate >= 1 ? 0 : Math.round(batch.uniqueRows * (1 - hitRate)));
  const where = `${o.tier} (${system.tiers[0]!.name}) over ${system.pcie.name}, ${system.transfer}`;
  const analytic: EngramGatherModel = {
    name: `memory.estimateGatherNs, ${where}`,
    needsRowIds: false,
    gatherNs(batch) {
      const uniqueRows = misses(batch);
      return uniqueRows === 0 ? 0 : estimateGatherNs(system, { rows: uniqueRows, rowBytes: batch.rowBytes, uniqueRows });
    },
  };
  const cycle: EngramGatherModel = {
    name: `memory.simulateEngramGather, ${where}`,
    needsRowIds: true,
    gatherNs(batch) {
      const ids = batch.rowIds;
      if (ids === undefined) throw new ModelError(`engramGatherSetup: ${this.name}: rowIds: expected the batch's row ids, but they are missing`);
      // A uniformly hashed batch keeps its first (1 - hit rate) share of lookups for the tiers behind the cache.
      const kept = hitRate >= 1 ? 0 : Math.round(ids.length * (1 - hitRate));
      if (kept === 0) return 0;
      const run = simulateEngramGather(system, { rowBytes: batch.rowBytes, batches: [ids.subarray(0, kept)] }, { mergeDuplicates: 'gather' });
      return run.gatherNs.mean;
    },
  };
  const tier = system.tiers[0]!;
  const tierCapacityBytes = tier.kind === 'host-dram' ? system.hostDram.capacityBytes : tier.preset.capacityBytes;
  return { system, tierCapacityBytes, hbmHitRate: hitRate, analytic, cycle };
}
