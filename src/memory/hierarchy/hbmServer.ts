// The GPU's own HBM as a cache tier: a latency-bandwidth server built from the target's published HBM
// bandwidth (facts.md D1), not a cycle-level DRAM: hits never bind a gather that crosses PCIe.
import { SimError, showValue } from '../../core/index.ts';
import { EventHeap } from '../eventHeap.ts';
import type { CompletionSink, MemoryDevice, MemoryDeviceStats, MemoryRequest } from '../types.ts';

/** GPU L2 sectors: HBM traffic moves in 32-byte sectors. */
const SECTOR_BYTES = 32;

/**
 * Contract: requests are served first come, first served at `bandwidthGBps`, each rounded up to whole
 * 32-byte sectors, and complete `latencyPs` after their data has streamed. Never refuses.
 */
export class HbmServer implements MemoryDevice {
  readonly kind = 'gpu-hbm';
  readonly tCkPs = 1;
  readonly accessBytes = SECTOR_BYTES;
  readonly minReadLatencyCycles: number;
  readonly minWriteLatencyCycles: number;
  private readonly psPerByte: number;
  private readonly heap = new EventHeap();
  private freeAtPs = 0;
  busyPs = 0;
  private requests = 0;
  private reads = 0;
  private writes = 0;
  private bytesRequested = 0;
  private busBytes = 0;

  constructor(
    readonly name: string,
    readonly peakBandwidthGBps: number,
    readonly latencyPs: number,
  ) {
    if (!(peakBandwidthGBps > 0)) throw new SimError(`HbmServer ${name}: bandwidthGBps: expected a positive number, got ${showValue(peakBandwidthGBps)}`);
    this.psPerByte = 1000 / peakBandwidthGBps;
    this.minReadLatencyCycles = latencyPs + Math.floor(SECTOR_BYTES * this.psPerByte);
    this.minWriteLatencyCycles = this.minReadLatencyCycles;
  }

  issue(req: MemoryRequest, nowPs: number): boolean {
    const first = Math.floor(req.addr / SECTOR_BYTES);
    const bytes = (Math.floor((req.addr + req.sizeBytes - 1) / SECTOR_BYTES) - first + 1) * SECTOR_BYTES;
    const start = this.freeAtPs > nowPs ? this.freeAtPs : nowPs;
    this.freeAtPs = start + bytes * this.psPerByte;
    this.busyPs += bytes * this.psPerByte;
    this.heap.push(Math.ceil(this.freeAtPs) + this.latencyPs, 0, req.id);
    this.requests++;
    if (req.isWrite) this.writes++;
    else this.reads++;
    this.bytesRequested += req.sizeBytes;
    this.busBytes += bytes;
    return true;
  }

  tick(nowPs: number, sink: CompletionSink): void {
    while (this.heap.peekTime() <= nowPs) {
      this.heap.pop();
      sink.complete(this.heap.poppedB, nowPs);
    }
  }

  nextEventCycle(): number {
    return this.heap.peekTime();
  }

  outstandingRequests(): number {
    return this.heap.size;
  }

  stats(): MemoryDeviceStats {
    return { requests: this.requests, reads: this.reads, writes: this.writes, bytesRequested: this.bytesRequested, busBytes: this.busBytes, mergedRequests: 0, wrappedRequests: 0, extra: {} };
  }
}
