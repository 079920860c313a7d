// A system address map: windows of the address space routed to devices (host DRAM and CXL behind a root
// complex; a composite system's tiers). The router is a MemoryDevice in the children's common time base.
import { SimError, showValue } from '../core/index.ts';
import type { CompletionSink, MemoryDevice, MemoryDeviceStats, MemoryRequest } from './types.ts';

/** Hand-offs between children at one instant are a short chain; more rounds than this means a child is stuck. */
const MAX_ROUNDS_PER_CYCLE = 1000;

export interface AddressWindow {
  /** First byte address of the window. */
  readonly baseBytes: number;
  readonly sizeBytes: number;
  /** Receives requests with addresses relative to baseBytes. */
  readonly device: MemoryDevice;
}

/**
 * Contract: every child runs in the same time base (tCkPs equal); request ids pass through unchanged, so
 * the client keeps them unique across windows. tick(now) ticks each child whose next event is due, and
 * repeats until none is, so work one child hands another at `now` happens at `now`.
 */
export class AddressRouter implements MemoryDevice {
  readonly kind = 'router';
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
  private readonly cacheNext: boolean;
  private cachedNext = Infinity;
  private cacheValid = false;

  /**
   * `cacheNextEvent` remembers nextEventCycle() between calls that change nothing; only for a router
   * whose devices change state through it alone (the top of a system: no port shared with an outsider).
   */
  constructor(
    readonly name: string,
    readonly windows: readonly AddressWindow[],
    options: { readonly cacheNextEvent?: boolean } = {},
  ) {
    this.cacheNext = options.cacheNextEvent === true;
    if (windows.length === 0) throw new SimError(`AddressRouter ${name}: windows: expected at least one window, got none`);
    const sorted = [...windows].sort((x, y) => x.baseBytes - y.baseBytes);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.baseBytes < sorted[i - 1]!.baseBytes + sorted[i - 1]!.sizeBytes) {
        const [a, b] = [sorted[i - 1]!, sorted[i]!];
        throw new SimError(`AddressRouter ${name}: windows: expected disjoint address ranges, got ${b.device.name} [${b.baseBytes}, ${b.baseBytes + b.sizeBytes}) overlapping ${a.device.name} [${a.baseBytes}, ${a.baseBytes + a.sizeBytes})`);
      }
    }
    const first = windows[0]!.device;
    for (const w of windows) {
      if (w.device.tCkPs !== first.tCkPs) throw new SimError(`AddressRouter ${name}: ${w.device.name}: tCkPs: expected ${first.tCkPs} like ${first.name}, got ${w.device.tCkPs}`);
    }
    this.tCkPs = first.tCkPs;
    this.accessBytes = Math.min(...windows.map((w) => w.device.accessBytes));
    this.peakBandwidthGBps = Math.max(...windows.map((w) => w.device.peakBandwidthGBps));
    this.minReadLatencyCycles = Math.min(...windows.map((w) => w.device.minReadLatencyCycles));
    this.minWriteLatencyCycles = Math.min(...windows.map((w) => w.device.minWriteLatencyCycles));
  }

  /** The window holding byte address `addr`. */
  windowOf(addr: number): AddressWindow {
    for (const w of this.windows) if (addr >= w.baseBytes && addr < w.baseBytes + w.sizeBytes) return w;
    throw new SimError(`AddressRouter ${this.name}: addr: expected an address inside one of the windows ${this.windows.map((w) => `${w.device.name} [${w.baseBytes}, ${w.baseBytes + w.sizeBytes})`).join(', ')}, got ${showValue(addr)}`);
  }

  issue(req: MemoryRequest, now: number): boolean {
    const w = this.windowOf(req.addr);
    if (req.addr + req.sizeBytes > w.baseBytes + w.sizeBytes) {
      throw new SimError(`AddressRouter ${this.name}: request ${req.id}: [${req.addr}, ${req.addr + req.sizeBytes}) crosses the end of window ${w.device.name}`);
    }
    const r = this.req;
    r.id = req.id;
    r.addr = req.addr - w.baseBytes;
    r.isWrite = req.isWrite;
    r.sizeBytes = req.sizeBytes;
    r.arrivalCycle = req.arrivalCycle;
    if (!w.device.issue(r, now)) return false;
    this.cacheValid = false;
    this.requests++;
    if (req.isWrite) this.writes++;
    else this.reads++;
    this.bytesRequested += req.sizeBytes;
    return true;
  }

  tick(now: number, sink: CompletionSink): void {
    this.cacheValid = false;
    for (let round = 0; this.scanNext() <= now; round++) {
      if (round === MAX_ROUNDS_PER_CYCLE) throw new SimError(`AddressRouter ${this.name}: children still due at ${now} after ${round} rounds; a child does not advance its next event`);
      for (const w of this.windows) if (w.device.nextEventCycle() <= now) w.device.tick(now, sink);
    }
  }

  nextEventCycle(): number {
    if (this.cacheNext && this.cacheValid) return this.cachedNext;
    this.cachedNext = this.scanNext();
    this.cacheValid = this.cacheNext;
    return this.cachedNext;
  }

  private scanNext(): number {
    let next = Infinity;
    for (const w of this.windows) {
      const t = w.device.nextEventCycle();
      if (t < next) next = t;
    }
    return next;
  }

  outstandingRequests(): number {
    return this.windows.reduce((n, w) => n + w.device.outstandingRequests(), 0);
  }

  stats(): MemoryDeviceStats {
    let busBytes = 0;
    let merged = 0;
    let wrapped = 0;
    for (const w of this.windows) {
      const s = w.device.stats();
      busBytes += s.busBytes;
      merged += s.mergedRequests;
      wrapped += s.wrappedRequests;
    }
    return { requests: this.requests, reads: this.reads, writes: this.writes, bytesRequested: this.bytesRequested, busBytes, mergedRequests: merged, wrappedRequests: wrapped, extra: {} };
  }
}
