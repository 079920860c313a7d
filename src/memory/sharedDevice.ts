// One device shared by several clients (a host DRAM read by the PCIe root complex, the CPU and an SSD's
// DMA): each client gets a port that is itself a MemoryDevice; completions go back to the issuing port.
import type { CompletionSink, MemoryDevice, MemoryDeviceStats, MemoryRequest } from './types.ts';

/**
 * Contract: port ids may repeat across ports (inner id = id x ports + port). Whichever port is ticked
 * first at `now` ticks the inner device; completions for other ports wait in their buffers, and those
 * ports report `now` as their next event until their owner ticks them. Port stats count the port's own
 * requests; bus and merge counters are the shared device's totals.
 */
export class SharedDevice {
  readonly ports: readonly SharedPort[];
  private readonly buffers: { ids: number[]; cycles: number[] }[];
  private readonly distribute: CompletionSink = {
    complete: (innerId, cycle) => {
      const port = innerId % this.portCount;
      const buffer = this.buffers[port]!;
      buffer.ids.push((innerId - port) / this.portCount);
      buffer.cycles.push(cycle);
    },
  };

  constructor(
    readonly inner: MemoryDevice,
    readonly portCount: number,
    portNames: readonly string[] = [],
  ) {
    this.buffers = Array.from({ length: portCount }, () => ({ ids: [], cycles: [] }));
    this.ports = Array.from({ length: portCount }, (_, i) => new SharedPort(this, i, portNames[i] ?? `${inner.name}#${i}`));
  }

  stats(): MemoryDeviceStats {
    return this.inner.stats();
  }

  /** Ticks the inner device if it has work at `now`, then hands port `index` its completions. */
  tickFor(index: number, now: number, sink: CompletionSink): number {
    if (this.inner.nextEventCycle() <= now) this.inner.tick(now, this.distribute);
    const buffer = this.buffers[index]!;
    const n = buffer.ids.length;
    if (n === 0) return 0;
    for (let i = 0; i < n; i++) sink.complete(buffer.ids[i]!, buffer.cycles[i]!);
    buffer.ids.length = 0;
    buffer.cycles.length = 0;
    return n;
  }

  /** Earliest cycle port `index` has something to do: the inner device's next event or a waiting completion. */
  nextEventFor(index: number): number {
    const next = this.inner.nextEventCycle();
    const buffer = this.buffers[index]!;
    return buffer.ids.length > 0 && buffer.cycles[0]! < next ? buffer.cycles[0]! : next;
  }
}

/** One client's view of a SharedDevice. */
export class SharedPort implements MemoryDevice {
  readonly kind: string;
  readonly tCkPs: number;
  readonly accessBytes: number;
  readonly peakBandwidthGBps: number;
  readonly minReadLatencyCycles: number;
  readonly minWriteLatencyCycles: number;
  private readonly req: MemoryRequest = { id: 0, addr: 0, isWrite: false, sizeBytes: 0, arrivalCycle: 0 };
  private requests = 0;
  private reads = 0;
  private writes = 0;
  private bytesRequested = 0;
  private outstanding = 0;

  constructor(
    private readonly shared: SharedDevice,
    private readonly index: number,
    readonly name: string,
  ) {
    const inner = shared.inner;
    this.kind = inner.kind;
    this.tCkPs = inner.tCkPs;
    this.accessBytes = inner.accessBytes;
    this.peakBandwidthGBps = inner.peakBandwidthGBps;
    this.minReadLatencyCycles = inner.minReadLatencyCycles;
    this.minWriteLatencyCycles = inner.minWriteLatencyCycles;
  }

  issue(req: MemoryRequest, now: number): boolean {
    const r = this.req;
    r.id = req.id * this.shared.portCount + this.index;
    r.addr = req.addr;
    r.isWrite = req.isWrite;
    r.sizeBytes = req.sizeBytes;
    r.arrivalCycle = req.arrivalCycle;
    if (!this.shared.inner.issue(r, now)) return false;
    this.requests++;
    if (req.isWrite) this.writes++;
    else this.reads++;
    this.bytesRequested += req.sizeBytes;
    this.outstanding++;
    return true;
  }

  tick(now: number, sink: CompletionSink): void {
    this.outstanding -= this.shared.tickFor(this.index, now, sink);
  }

  nextEventCycle(): number {
    return this.shared.nextEventFor(this.index);
  }

  outstandingRequests(): number {
    return this.outstanding;
  }

  stats(): MemoryDeviceStats {
    return { ...this.shared.inner.stats(), requests: this.requests, reads: this.reads, writes: this.writes, bytesRequested: this.bytesRequested };
  }
}
