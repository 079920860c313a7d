// A memory system for Engram gathers, composed from data: a GPU target (HBM, PCIe link, host DRAM preset),
// an optional HBM cache of hot rows, and backing tiers (host DRAM, CXL, NVMe) in placement order.
import { SpecError, showValue } from '../../core/index.ts';
import type { ResolvedGpuTarget } from '../../spec/index.ts';
import { resolveDramPreset, type PresetLoader, type ResolvedDramPreset } from '../dram/resolvePreset.ts';
import { resolveCxlPreset, type ResolvedCxlPreset } from '../link/cxlPreset.ts';
import { resolvePcieLinkPreset, type ResolvedPcieLinkPreset } from '../link/pcieLinkPreset.ts';
import { resolveNvmePreset, type ResolvedNvmePreset } from '../nvme/nvmePreset.ts';
import { HOT_ROW_POLICIES, type HotRowPolicy } from './hotRowCache.ts';

/**
 * HBM hit latency. ASSUMPTION (no facts.md entry): a GPU global-memory load that misses L2 and hits HBM
 * takes several hundred ns on Hopper-class parts; 500 ns is used. Hits are never on the critical path of
 * a gather that crosses PCIe, so this moves results by at most this amount per batch.
 */
export const DEFAULT_HBM_HIT_LATENCY_NS = 500;

/** How rows that live in host memory (DRAM or CXL) reach the GPU. */
export type TransferPath = 'zero-copy' | 'staging';
export const TRANSFER_PATHS: readonly TransferPath[] = ['zero-copy', 'staging'];

export type TierSpec =
  | { readonly kind: 'host-dram'; readonly capacityBytes?: number }
  | { readonly kind: 'cxl'; readonly preset: string; readonly capacityBytes?: number }
  | { readonly kind: 'nvme'; readonly preset: string; readonly pageCacheBytes: number; readonly gds: boolean; readonly capacityBytes?: number };

/** What a caller asks for; unset fields take the defaults named here. */
export interface MemorySystemSpec {
  /** PCIe link preset; default `pcie-gen<generation>-x<lanes>` from the target's host.pcie. */
  readonly pciePreset?: string;
  readonly hbmCache?: { readonly capacityBytes: number; readonly policy: HotRowPolicy };
  /** Backing tiers in placement order (rows by id range, the last takes the rest); default host DRAM only. */
  readonly tiers?: readonly TierSpec[];
  /** Default 'zero-copy'. */
  readonly transfer?: TransferPath;
  readonly hbmHitLatencyNs?: number;
}

export type ResolvedTier =
  | { readonly kind: 'host-dram'; readonly name: string; readonly capacityBytes: number | null }
  | { readonly kind: 'cxl'; readonly name: string; readonly preset: ResolvedCxlPreset; readonly capacityBytes: number | null }
  | { readonly kind: 'nvme'; readonly name: string; readonly preset: ResolvedNvmePreset; readonly pageCacheBytes: number; readonly gds: boolean; readonly capacityBytes: number | null };

/** Everything simulateEngramGather and estimateGatherNs need, resolved and frozen. */
export interface ResolvedMemorySystem {
  /** The GPU target's name. */
  readonly name: string;
  readonly hbm: { readonly capacityBytes: number; readonly bandwidthGBps: number; readonly hitLatencyPs: number };
  readonly hbmCache: { readonly capacityBytes: number; readonly policy: HotRowPolicy } | null;
  readonly hostDram: ResolvedDramPreset;
  readonly pcie: ResolvedPcieLinkPreset;
  readonly tiers: readonly ResolvedTier[];
  readonly transfer: TransferPath;
}

/** The link preset a target's host.pcie names by convention: pcie-gen<g>-x<lanes>. */
export function pciePresetName(target: ResolvedGpuTarget): string {
  return `pcie-gen${target.host.pcie.generation}-x${target.host.pcie.lanes}`;
}

/** Presets differ from the target's own PCIe figures by at most this share (rounding of 63.0 vs 63.02). */
const LINK_RATE_TOLERANCE = 0.01;

/**
 * Builds a system from a GPU target and a spec, resolving every preset through `load` (targets/memory).
 * `file` names the spec in errors (the CLI passes the option names).
 */
export function resolveMemorySystem(target: ResolvedGpuTarget, load: PresetLoader, spec: MemorySystemSpec = {}, file = 'memory system'): ResolvedMemorySystem {
  const dramName = target.host.dram?.preset;
  if (dramName === undefined) throw new SpecError(target.name, 'host.dram', 'expected a host DRAM preset for a memory system, but it is missing');
  const hostDram = resolveDramPreset(dramName, load);
  const pcie = resolvePcieLinkPreset(spec.pciePreset ?? pciePresetName(target), load);
  if (pcie.lanes !== target.host.pcie.lanes || pcie.generation !== target.host.pcie.generation) {
    throw new SpecError(file, 'pciePreset', `expected a Gen${target.host.pcie.generation} x${target.host.pcie.lanes} link like ${target.name}'s host.pcie, got ${pcie.name} (Gen${pcie.generation} x${pcie.lanes})`);
  }
  if (Math.abs(pcie.peakBandwidthGBps - target.host.pcie.perDirectionRawGBps) > LINK_RATE_TOLERANCE * target.host.pcie.perDirectionRawGBps) {
    throw new SpecError(file, 'pciePreset', `expected ${pcie.name}'s ${pcie.peakBandwidthGBps.toFixed(2)} GB/s per direction within 1% of ${target.name}'s host.pcie.perDirectionRawGBps ${target.host.pcie.perDirectionRawGBps}`);
  }
  const hbmCache = spec.hbmCache ?? null;
  if (hbmCache !== null) {
    if (!HOT_ROW_POLICIES.includes(hbmCache.policy)) throw new SpecError(file, 'hbmCache.policy', `expected one of ${HOT_ROW_POLICIES.join(', ')}, got ${showValue(hbmCache.policy)}`);
    if (!Number.isInteger(hbmCache.capacityBytes) || hbmCache.capacityBytes < 0 || hbmCache.capacityBytes > target.memory.hbmCapacityBytes) {
      throw new SpecError(file, 'hbmCache.capacityBytes', `expected an integer in [0, ${target.memory.hbmCapacityBytes}] (${target.name}'s HBM), got ${showValue(hbmCache.capacityBytes)}`);
    }
  }
  const tierSpecs = spec.tiers ?? [{ kind: 'host-dram' }];
  if (tierSpecs.length === 0) throw new SpecError(file, 'tiers', 'expected at least one backing tier, got none');
  const tiers = tierSpecs.map((t, i): ResolvedTier => {
    const capacityBytes = t.capacityBytes ?? null;
    if (capacityBytes !== null && (!Number.isInteger(capacityBytes) || capacityBytes < 1)) {
      throw new SpecError(file, `tiers[${i}].capacityBytes`, `expected a positive integer, got ${showValue(capacityBytes)}`);
    }
    if (capacityBytes === null && i < tierSpecs.length - 1) throw new SpecError(file, `tiers[${i}].capacityBytes`, 'expected a capacity (only the last tier takes the rest of the table), but it is missing');
    switch (t.kind) {
      case 'host-dram':
        return { kind: 'host-dram', name: hostDram.name, capacityBytes };
      case 'cxl': {
        const preset = resolveCxlPreset(t.preset, load);
        return { kind: 'cxl', name: preset.name, preset, capacityBytes };
      }
      case 'nvme': {
        const preset = resolveNvmePreset(t.preset, load);
        if (!t.gds && (!Number.isInteger(t.pageCacheBytes) || t.pageCacheBytes < preset.pageBytes)) {
          throw new SpecError(file, `tiers[${i}].pageCacheBytes`, `expected at least one ${preset.pageBytes}-byte page without GPUDirect Storage, got ${showValue(t.pageCacheBytes)}`);
        }
        return { kind: 'nvme', name: preset.name, preset, pageCacheBytes: t.gds ? 0 : t.pageCacheBytes, gds: t.gds, capacityBytes };
      }
      default:
        throw new SpecError(file, `tiers[${i}].kind`, `expected one of "host-dram", "cxl", "nvme", got ${showValue((t as { kind: unknown }).kind)}`);
    }
  });
  const hostBytes = tiers.reduce((sum, t) => sum + (t.kind === 'host-dram' ? (t.capacityBytes ?? 0) : t.kind === 'nvme' ? t.pageCacheBytes : 0), 0);
  if (hostBytes > hostDram.capacityBytes) {
    throw new SpecError(file, 'tiers', `expected the host DRAM tier and page cache to fit ${hostDram.name} (${hostDram.capacityBytes} bytes), got ${hostBytes} bytes`);
  }
  const hitLatencyNs = spec.hbmHitLatencyNs ?? DEFAULT_HBM_HIT_LATENCY_NS;
  return Object.freeze({
    name: target.name,
    hbm: Object.freeze({ capacityBytes: target.memory.hbmCapacityBytes, bandwidthGBps: target.memory.hbmBandwidthGBps, hitLatencyPs: Math.round(hitLatencyNs * 1000) }),
    hbmCache: hbmCache === null ? null : Object.freeze({ ...hbmCache }),
    hostDram,
    pcie,
    tiers: Object.freeze(tiers.map((t) => Object.freeze(t))),
    transfer: spec.transfer ?? 'zero-copy',
  });
}
