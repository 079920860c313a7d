// Builds the device graph of one gather run from a resolved system: host DRAM shared by the root complex,
// the CPU and SSD DMA; CXL behind the root complex; the GPU's PCIe link; NVMe; HBM; one system address map.
import { SimError } from '../../core/index.ts';
import { AddressRouter, type AddressWindow } from '../addressRouter.ts';
import { ClockCrossing } from '../clockCrossing.ts';
import { DelayLine } from '../delayLine.ts';
import { DramDevice } from '../dram/dramDevice.ts';
import { CxlDevice } from '../link/cxlDevice.ts';
import { PcieLinkDevice } from '../link/pcieLinkDevice.ts';
import { PostedWriteChannel } from '../link/postedWriteChannel.ts';
import { NvmeDevice } from '../nvme/nvmeDevice.ts';
import { SharedDevice } from '../sharedDevice.ts';
import type { MemoryDevice } from '../types.ts';
import { HbmServer } from './hbmServer.ts';
import type { ResolvedMemorySystem } from './system.ts';

/** Size of each window of the system address map (2^46 bytes: every tier fits, all stay below 2^53). */
export const WINDOW_BYTES = 2 ** 46;
/** Windows of the system address map the gather engine issues into. */
export const WINDOW = { hbm: 0, link: 1, cpu: 2, nvme: 3, fill: 4, peer: 5 } as const;
/** Behind the root complex (and the CPU): host DRAM from 0, CXL memory from here. */
export const CXL_BASE_BYTES = 2 ** 45;

export interface SystemDevices {
  readonly top: AddressRouter;
  readonly hostDram: SharedDevice;
  readonly link: PcieLinkDevice;
  readonly hbm: HbmServer;
  readonly cxl: CxlDevice | null;
  readonly nvme: NvmeDevice | null;
  readonly peer: PostedWriteChannel | null;
}

export interface SystemDeviceOptions {
  /** Duplicate merging inside the DRAM controllers (host and CXL media): 'controller' or 'off'. */
  readonly dramMerge: 'off' | 'controller';
}

export function buildSystemDevices(system: ResolvedMemorySystem, options: SystemDeviceOptions): SystemDevices {
  const kinds = system.tiers.map((t) => t.kind);
  for (const kind of ['host-dram', 'cxl', 'nvme'] as const) {
    if (kinds.filter((k) => k === kind).length > 1) throw new SimError(`buildSystemDevices (${system.name}): tiers: expected at most one ${kind} tier, got ${kinds.filter((k) => k === kind).length}`);
  }
  const hostDram = new SharedDevice(new ClockCrossing(new DramDevice(system.hostDram, { mergeDuplicates: options.dramMerge })), 3, ['host DRAM via root complex', 'host DRAM via CPU', 'host DRAM via SSD DMA']);
  const [dramRc, dramCpu, dramFill] = [hostDram.ports[0]!, hostDram.ports[1]!, hostDram.ports[2]!];
  const cxlTier = system.tiers.find((t) => t.kind === 'cxl');
  const cxl = cxlTier?.kind === 'cxl' ? new CxlDevice(cxlTier.preset, { mergeDuplicates: options.dramMerge }) : null;
  const cxlShared = cxl === null ? null : new SharedDevice(cxl, 2, ['CXL via root complex', 'CXL via CPU']);
  const behindHost = (dram: MemoryDevice, cxlPort: MemoryDevice | undefined): AddressWindow[] => [
    { baseBytes: 0, sizeBytes: CXL_BASE_BYTES, device: dram },
    ...(cxlPort === undefined ? [] : [{ baseBytes: CXL_BASE_BYTES, sizeBytes: CXL_BASE_BYTES, device: cxlPort }]),
  ];
  const rootComplex = new AddressRouter('root complex', behindHost(dramRc, cxlShared?.ports[0]));
  const link = new PcieLinkDevice(system.pcie, { mergeDuplicates: options.dramMerge, readMode: system.transfer === 'staging' ? 'dma' : 'zero-copy', backing: rootComplex });
  const half = system.pcie.hostCpu.memoryPathPs / 2;
  const cpu = new DelayLine('host CPU', new AddressRouter('host CPU memory', behindHost(dramCpu, cxlShared?.ports[1])), Math.floor(half), Math.ceil(half));
  const hbm = new HbmServer(`${system.name} HBM`, system.hbm.bandwidthGBps, system.hbm.hitLatencyPs);
  const nvmeTier = system.tiers.find((t) => t.kind === 'nvme');
  const nvme = nvmeTier?.kind === 'nvme' ? new NvmeDevice(nvmeTier.preset) : null;
  // GPUDirect Storage: the SSD's DMA writes route through the root complex onto the GPU link's downstream direction.
  const peer = nvmeTier?.kind === 'nvme' && nvmeTier.gds ? new PostedWriteChannel('GPUDirect Storage', system.pcie, link.downstream, system.pcie.latencyPs.rootComplexOutbound) : null;
  const window = (index: number, device: MemoryDevice): AddressWindow => ({ baseBytes: index * WINDOW_BYTES, sizeBytes: WINDOW_BYTES, device });
  const top = new AddressRouter('system', [
    window(WINDOW.hbm, hbm),
    window(WINDOW.link, link),
    window(WINDOW.cpu, cpu),
    window(WINDOW.fill, dramFill),
    ...(nvme === null ? [] : [window(WINDOW.nvme, nvme)]),
    ...(peer === null ? [] : [window(WINDOW.peer, peer)]),
  ], { cacheNextEvent: true });
  return { top, hostDram, link, hbm, cxl, nvme, peer };
}
