// Posted memory writes down one direction of a PCIe link: a peer's DMA into GPU memory (an SSD with
// GPUDirect Storage) as MWr TLPs of at most MPS bytes, sharing the direction with the GPU's completions.
import { SimError, showValue } from '../../core/index.ts';
import { EventHeap } from '../eventHeap.ts';
import type { CompletionSink, MemoryDevice, MemoryDeviceStats, MemoryRequest } from '../types.ts';
import type { LinkDirection } from './linkDirection.ts';
import { readPieces, tlpWireBytes } from './pcieFormulas.ts';
import type { ResolvedPcieLinkPreset } from './pcieLinkPreset.ts';

/**
 * Contract: accepts writes only (a peer pushes data; nothing is read back). A write completes when its
 * last TLP has crossed the link, `forwardPs` (routing through the root complex or a switch) after it
 * was handed over. Never refuses: the peer's own rate bounds what it hands over.
 */
export class PostedWriteChannel implements MemoryDevice {
  readonly kind = 'pcie-posted-write';
  readonly tCkPs = 1;
  readonly accessBytes = 4;
  readonly peakBandwidthGBps: number;
  readonly minReadLatencyCycles: number;
  readonly minWriteLatencyCycles: number;
  private readonly heap = new EventHeap();
  private readonly queue: { id: number; addr: number; bytes: number }[] = [];
  private requests = 0;
  private bytesRequested = 0;
  private payloadBytes = 0;

  constructor(
    readonly name: string,
    readonly preset: ResolvedPcieLinkPreset,
    readonly direction: LinkDirection,
    private readonly forwardPs: number,
  ) {
    this.peakBandwidthGBps = preset.peakBandwidthGBps;
    this.minWriteLatencyCycles = forwardPs + Math.floor(tlpWireBytes(preset, preset.tlp.memoryWriteHeaderBytes, 4) * preset.psPerWireByte) + preset.latencyPs.link;
    this.minReadLatencyCycles = this.minWriteLatencyCycles;
  }

  issue(req: MemoryRequest, nowPs: number): boolean {
    if (!req.isWrite) throw new SimError(`PostedWriteChannel.issue (${this.name}): request ${showValue(req.id)}: isWrite: expected true (a posted-write channel carries no reads), got false`);
    if (!Number.isInteger(req.sizeBytes) || req.sizeBytes < 1) throw new SimError(`PostedWriteChannel.issue (${this.name}): request ${showValue(req.id)}: sizeBytes: expected a positive integer, got ${showValue(req.sizeBytes)}`);
    this.queue.push({ id: req.id, addr: req.addr, bytes: req.sizeBytes });
    this.heap.push(nowPs + this.forwardPs, 1, this.queue.length - 1);
    this.requests++;
    this.bytesRequested += req.sizeBytes;
    return true;
  }

  tick(nowPs: number, sink: CompletionSink): void {
    while (this.heap.peekTime() <= nowPs) {
      this.heap.pop();
      const kind = this.heap.poppedA;
      const index = this.heap.poppedB;
      if (kind === 0) {
        sink.complete(index, nowPs);
        continue;
      }
      // Handed over to the link: cut into MWr TLPs at MPS-aligned boundaries, completion after the last.
      const w = this.queue[index]!;
      let end = nowPs;
      for (const [, bytes] of readPieces(w.addr, w.bytes, this.preset.transfer.maxPayloadBytes)) {
        const payload = Math.ceil(bytes / 4) * 4;
        end = this.direction.send(nowPs, tlpWireBytes(this.preset, this.preset.tlp.memoryWriteHeaderBytes, payload), payload);
        this.payloadBytes += payload;
      }
      this.heap.push(Math.ceil(end) + this.preset.latencyPs.link, 0, w.id);
    }
    if (this.heap.size === 0) this.queue.length = 0;
  }

  nextEventCycle(): number {
    return this.heap.peekTime();
  }

  outstandingRequests(): number {
    return this.heap.size;
  }

  stats(): MemoryDeviceStats {
    return { requests: this.requests, reads: 0, writes: this.requests, bytesRequested: this.bytesRequested, busBytes: this.payloadBytes, mergedRequests: 0, wrappedRequests: 0, extra: {} };
  }
}
