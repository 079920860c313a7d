// A fixed-latency path in front of a device (a CPU core's way to its memory controller and back): requests
// reach the inner device inboundPs after they are issued, completions leave outboundPs after it reports them.
import { SimError } from '../core/index.ts';
import { EventHeap } from './eventHeap.ts';
import type { CompletionSink, MemoryDevice, MemoryDeviceStats, MemoryRequest } from './types.ts';

const ARRIVE = 0;
const LEAVE = 1;

/**
 * Contract: never refuses (the client bounds what it keeps in flight); a request the inner device refuses
 * waits, in order, and is retried when the inner device next does work. Time base: picoseconds (tCkPs 1).
 */
export class DelayLine implements MemoryDevice {
  readonly kind: string;
  readonly tCkPs = 1;
  readonly accessBytes: number;
  readonly peakBandwidthGBps: number;
  readonly minReadLatencyCycles: number;
  readonly minWriteLatencyCycles: number;
  private readonly heap = new EventHeap();
  private readonly held: MemoryRequest[] = [];
  private readonly waiting: MemoryRequest[] = [];
  private readonly freeHeld: number[] = [];
  private readonly relay: CompletionSink = { complete: (id, at) => this.heap.push(at + this.outboundPs, LEAVE, id) };
  private outstanding = 0;

  constructor(
    readonly name: string,
    readonly inner: MemoryDevice,
    private readonly inboundPs: number,
    private readonly outboundPs: number,
  ) {
    if (inner.tCkPs !== 1) throw new SimError(`DelayLine ${name}: inner ${inner.name}: tCkPs: expected 1 (picoseconds), got ${inner.tCkPs}`);
    this.kind = inner.kind;
    this.accessBytes = inner.accessBytes;
    this.peakBandwidthGBps = inner.peakBandwidthGBps;
    this.minReadLatencyCycles = inboundPs + inner.minReadLatencyCycles + outboundPs;
    this.minWriteLatencyCycles = inboundPs + inner.minWriteLatencyCycles + outboundPs;
  }

  issue(req: MemoryRequest, nowPs: number): boolean {
    const slot = this.freeHeld.pop() ?? this.held.length;
    this.held[slot] = { ...req };
    this.heap.push(nowPs + this.inboundPs, ARRIVE, slot);
    this.outstanding++;
    return true;
  }

  tick(nowPs: number, sink: CompletionSink): void {
    for (;;) {
      let worked = false;
      while (this.heap.peekTime() <= nowPs) {
        this.heap.pop();
        if (this.heap.poppedA === ARRIVE) {
          const slot = this.heap.poppedB;
          this.waiting.push(this.held[slot]!);
          this.freeHeld.push(slot);
        } else {
          sink.complete(this.heap.poppedB, nowPs);
          this.outstanding--;
        }
        worked = true;
      }
      while (this.waiting.length > 0) {
        const r = this.waiting[0]!;
        r.arrivalCycle = nowPs;
        if (!this.inner.issue(r, nowPs)) break;
        this.waiting.shift();
        worked = true;
      }
      if (this.inner.nextEventCycle() <= nowPs) {
        this.inner.tick(nowPs, this.relay);
        worked = true;
      }
      if (!worked) break;
    }
  }

  nextEventCycle(): number {
    const h = this.heap.peekTime();
    const i = this.inner.nextEventCycle();
    return h < i ? h : i;
  }

  outstandingRequests(): number {
    return this.outstanding;
  }

  stats(): MemoryDeviceStats {
    return this.inner.stats();
  }
}
