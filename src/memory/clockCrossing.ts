// Clock-domain crossing: presents a device that counts cycles of its own clock (a DRAM at its tCK) in
// whole picoseconds, so tiers with different clocks run under one clock owner (style.md convention 7).
import { SimError } from '../core/index.ts';
import type { CompletionSink, MemoryDevice, MemoryDeviceStats, MemoryRequest } from './types.ts';

/** Slack for products cycles x tCK that land within float noise of a whole picosecond (tCK >= 1 ps). */
const EPS_PS = 1e-3;

/**
 * A request reaches the inner device at the first inner clock edge at or after its arrival (a
 * synchroniser); completions at inner cycle c are reported at ceil(c x tCK) ps.
 *
 * Contract: the wrapper is itself a MemoryDevice with tCkPs = 1; it ticks the inner device only at
 * inner cycles it has reached, never at a cycle below one it has already issued at.
 */
export class ClockCrossing implements MemoryDevice {
  readonly kind: string;
  readonly name: string;
  readonly tCkPs = 1;
  readonly accessBytes: number;
  readonly peakBandwidthGBps: number;
  readonly minReadLatencyCycles: number;
  readonly minWriteLatencyCycles: number;
  private readonly periodPs: number;
  private lastInnerCycle = 0;
  private readonly innerReq: MemoryRequest = { id: 0, addr: 0, isWrite: false, sizeBytes: 0, arrivalCycle: 0 };
  private outer: CompletionSink | null = null;
  /** The owner asks for the next event far more often than it changes: remember the last conversion. */
  private memoCycle = Infinity;
  private memoPs = Infinity;
  private readonly relay: CompletionSink = { complete: (id, cycle) => this.outer!.complete(id, this.toPs(cycle)) };

  constructor(readonly inner: MemoryDevice) {
    if (!(inner.tCkPs >= 1)) throw new SimError(`ClockCrossing (${inner.name}): tCkPs: expected at least 1 ps, got ${inner.tCkPs}`);
    this.kind = inner.kind;
    this.name = inner.name;
    this.periodPs = inner.tCkPs;
    this.accessBytes = inner.accessBytes;
    this.peakBandwidthGBps = inner.peakBandwidthGBps;
    // Arrival is rounded up to an edge and completion up to a whole ps, so L cycles never take less than L x tCK.
    this.minReadLatencyCycles = Math.ceil(inner.minReadLatencyCycles * this.periodPs - EPS_PS);
    this.minWriteLatencyCycles = Math.ceil(inner.minWriteLatencyCycles * this.periodPs - EPS_PS);
  }

  /** Picosecond at which inner cycle `cycle` begins. */
  toPs(cycle: number): number {
    return Math.ceil(cycle * this.periodPs - EPS_PS);
  }

  /** Last inner cycle that has begun by picosecond `ps`. */
  cycleAt(ps: number): number {
    return Math.floor((ps + EPS_PS) / this.periodPs);
  }

  issue(req: MemoryRequest, nowPs: number): boolean {
    let cycle = this.cycleAt(nowPs);
    if (this.toPs(cycle) < nowPs) cycle++;
    if (cycle < this.lastInnerCycle) cycle = this.lastInnerCycle;
    const r = this.innerReq;
    r.id = req.id;
    r.addr = req.addr;
    r.isWrite = req.isWrite;
    r.sizeBytes = req.sizeBytes;
    r.arrivalCycle = cycle;
    if (!this.inner.issue(r, cycle)) return false;
    this.lastInnerCycle = cycle;
    return true;
  }

  tick(nowPs: number, sink: CompletionSink): void {
    const next = this.inner.nextEventCycle();
    if (next === Infinity) return;
    const cycle = this.cycleAt(nowPs);
    if (next > cycle) return;
    if (cycle < this.lastInnerCycle) {
      throw new SimError(`ClockCrossing (${this.name}): tick at inner cycle ${cycle} after an issue at cycle ${this.lastInnerCycle}; the owner must tick at nextEventCycle()`);
    }
    this.lastInnerCycle = cycle;
    this.outer = sink;
    this.inner.tick(cycle, this.relay);
  }

  nextEventCycle(): number {
    const next = this.inner.nextEventCycle();
    if (next !== this.memoCycle) {
      this.memoCycle = next;
      this.memoPs = next === Infinity ? Infinity : this.toPs(next);
    }
    return this.memoPs;
  }

  outstandingRequests(): number {
    return this.inner.outstandingRequests();
  }

  stats(): MemoryDeviceStats {
    return this.inner.stats();
  }
}
