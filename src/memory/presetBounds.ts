// Per-kind closed forms a kind-agnostic test needs: the most an unloaded one-access read may take on a
// fresh device, in that device's cycles, and a narrowing from any resolved preset to a DRAM preset.
import { SimError } from '../core/index.ts';
import type { ResolvedDramPreset } from './dram/resolvePreset.ts';
import { cxlUnloadedReadPs } from './link/cxlPreset.ts';
import { unloadedReadLatencyPs } from './link/pcieFormulas.ts';
import { nvmeUnloadedReadPs } from './nvme/nvmePreset.ts';
import type { ResolvedMemoryPreset } from './registry.ts';

/** Whole-ps rounding of each event a link or SSD schedules (a handful per access). */
const ROUNDING_SLACK_PS = 8;

/** DRAM closed-bank read of one burst: the ACT's last cycle, tRCD, CL and the burst, in DRAM cycles. */
export function dramClosedBankCycles(p: ResolvedDramPreset): number {
  return p.commandBus.actCycles - 1 + p.timing.tRcdCycles + p.timing.tClCycles + p.timing.burstCycles;
}

/**
 * Upper bound on an idle device's latency for one read of its accessBytes: the closed-bank DRAM terms
 * (DRAM), or the link's closed form around a closed-bank access plus one memory clock of edge alignment
 * and rounding slack (PCIe, CXL, in ps), or the SSD's unloaded page read (NVMe, in ps).
 */
export function unloadedReadBoundCycles(preset: ResolvedMemoryPreset): number {
  switch (preset.kind) {
    case 'dram':
      return dramClosedBankCycles(preset);
    case 'pcie-link': {
      const m = preset.standaloneMemory;
      const memoryPs = (dramClosedBankCycles(m) + 1) * m.tCkPs;
      return Math.ceil(unloadedReadLatencyPs(preset, 0, 4, memoryPs)) + ROUNDING_SLACK_PS;
    }
    case 'cxl': {
      const m = preset.media;
      return Math.ceil(cxlUnloadedReadPs(preset, (dramClosedBankCycles(m) + 1) * m.tCkPs)) + ROUNDING_SLACK_PS;
    }
    case 'nvme':
      return Math.ceil(nvmeUnloadedReadPs(preset, 1)) + ROUNDING_SLACK_PS;
    default:
      throw new SimError(`unloadedReadBoundCycles: kind: expected a registered kind, got ${JSON.stringify((preset as { kind: unknown }).kind)}`);
  }
}

/** Narrows a resolved preset to a DRAM preset, or throws naming `where` and the kind found. */
export function asDramPreset(preset: ResolvedMemoryPreset, where: string): ResolvedDramPreset {
  if (preset.kind !== 'dram') throw new SimError(`${where}: preset ${preset.name}: kind: expected "dram", got ${JSON.stringify(preset.kind)}`);
  return preset;
}
