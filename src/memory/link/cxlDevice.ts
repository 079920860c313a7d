// A CXL 2.0 Type-3 memory expander as the host's home agent sees it: 64-byte CXL.mem transactions in
// 68-byte flits (M2S Req/RwD down, S2M DRS/NDR up), tracker and credit limits, port latencies, DRAM media.
import { SimError, showValue } from '../../core/index.ts';
import { ClockCrossing } from '../clockCrossing.ts';
import { createDramDevice } from '../dram/dramDevice.ts';
import { EventHeap } from '../eventHeap.ts';
import { RequestTable } from '../requestTable.ts';
import type { CompletionSink, MemoryDevice, MemoryDeviceStats, MemoryRequest } from '../types.ts';
import { cxlMessageSlots, cxlWireBytes, type ResolvedCxlPreset } from './cxlPreset.ts';
import { LinkDirection } from './linkDirection.ts';
import { grown } from '../grown.ts';

/** Without `media` the device builds its preset's DRAM, with `mergeDuplicates` at that DRAM's controller. */
export interface CxlOptions {
  mergeDuplicates: 'off' | 'controller';
  media?: MemoryDevice;
}

const E_AT_DEVICE = 0;
const E_RESPOND = 1;
const E_AT_HOST = 2;
const E_CREDIT = 3;

export class CxlDevice implements MemoryDevice {
  readonly kind = 'cxl';
  readonly name: string;
  readonly tCkPs = 1;
  readonly accessBytes: number;
  readonly peakBandwidthGBps: number;
  readonly minReadLatencyCycles: number;
  readonly minWriteLatencyCycles: number;
  /** Host to device (M2S) and device to host (S2M). */
  readonly m2s: LinkDirection;
  readonly s2m: LinkDirection;
  readonly media: MemoryDevice;
  private readonly table = new RequestTable();
  private readonly heap = new EventHeap();
  private parent = new Float64Array(64);
  private lineAddr = new Float64Array(64);
  private isWrite = new Uint8Array(64);
  private freeSlots: number[] = [];
  private slotCount = 0;
  private readonly pending: number[] = [];
  private pendingHead = 0;
  private readonly mediaQueue: number[] = [];
  private mediaHead = 0;
  private trackersFree: number;
  private credits: number;
  private readonly req: MemoryRequest = { id: 0, addr: 0, isWrite: false, sizeBytes: 0, arrivalCycle: 0 };
  private readonly mediaSink: CompletionSink = { complete: (slot, at) => this.heap.push(at + this.preset.latencyPs.controllerOutbound, E_RESPOND, slot) };
  private sink: CompletionSink | null = null;
  private now = 0;
  private requests = 0;
  private reads = 0;
  private writes = 0;
  private bytesRequested = 0;
  private lineBytesMoved = 0;
  private readonly wire: { req: number; rwd: number; drs: number; ndr: number };

  constructor(
    readonly preset: ResolvedCxlPreset,
    options: CxlOptions,
  ) {
    this.name = preset.name;
    this.media = options.media ?? new ClockCrossing(createDramDevice(preset.media, { mergeDuplicates: options.mergeDuplicates }));
    if (this.media.tCkPs !== 1) throw new SimError(`CxlDevice ${preset.name}: media ${this.media.name}: tCkPs: expected 1 (picoseconds), got ${this.media.tCkPs}`);
    this.m2s = new LinkDirection(`${preset.name} M2S`, preset.psPerWireByte);
    this.s2m = new LinkDirection(`${preset.name} S2M`, preset.psPerWireByte);
    this.accessBytes = preset.flit.lineBytes;
    this.peakBandwidthGBps = preset.peakBandwidthGBps;
    this.trackersFree = preset.queues.hostTrackerEntries;
    this.credits = preset.queues.deviceRequestCredits;
    const f = preset.flit;
    const dataSlots = f.lineBytes / f.slotBytes;
    this.wire = {
      req: cxlWireBytes(preset, cxlMessageSlots(0, f.readRequestsPerSlot)),
      rwd: cxlWireBytes(preset, cxlMessageSlots(dataSlots, f.writeHeadersPerSlot)),
      drs: cxlWireBytes(preset, cxlMessageSlots(dataSlots, f.dataHeadersPerSlot)),
      ndr: cxlWireBytes(preset, cxlMessageSlots(0, f.noDataResponsesPerSlot)),
    };
    const l = preset.latencyPs;
    const ps = preset.psPerWireByte;
    const oneWay = l.hostPort + l.devicePort;
    const fixed = 2 * oneWay + l.controllerInbound + l.controllerOutbound;
    this.minReadLatencyCycles = Math.floor(this.wire.req * ps) + fixed + this.media.minReadLatencyCycles + Math.floor(this.wire.drs * ps);
    this.minWriteLatencyCycles = Math.floor(this.wire.rwd * ps) + fixed + this.media.minWriteLatencyCycles + Math.floor(this.wire.ndr * ps);
  }

  issue(req: MemoryRequest, nowPs: number): boolean {
    const { addr, sizeBytes } = req;
    if (!Number.isInteger(addr) || addr < 0 || addr >= 2 ** 53) throw this.badRequest(req, 'addr', addr, 'an integer in [0, 2^53)');
    if (!Number.isInteger(sizeBytes) || sizeBytes < 1) throw this.badRequest(req, 'sizeBytes', sizeBytes, 'a positive integer');
    if (!(req.arrivalCycle <= nowPs)) throw this.badRequest(req, 'arrivalCycle', req.arrivalCycle, `a time <= now (${nowPs} ps)`);
    if (this.pending.length - this.pendingHead >= this.preset.queues.hostTrackerEntries) return false;
    this.now = nowPs;
    const line = this.accessBytes;
    const first = Math.floor(addr / line);
    const n = Math.floor((addr + sizeBytes - 1) / line) - first + 1;
    const parent = this.table.alloc(req.id, n);
    for (let i = 0; i < n; i++) {
      const slot = this.allocSlot();
      this.parent[slot] = parent;
      this.lineAddr[slot] = (first + i) * line;
      this.isWrite[slot] = req.isWrite ? 1 : 0;
      this.pending.push(slot);
    }
    this.requests++;
    if (req.isWrite) this.writes++;
    else this.reads++;
    this.bytesRequested += sizeBytes;
    return true;
  }

  tick(nowPs: number, sink: CompletionSink): void {
    this.now = nowPs;
    this.sink = sink;
    for (;;) {
      let worked = false;
      while (this.heap.peekTime() <= nowPs) {
        this.heap.pop();
        this.handle(this.heap.poppedA, this.heap.poppedB);
        worked = true;
      }
      if (this.media.nextEventCycle() <= nowPs) {
        this.media.tick(nowPs, this.mediaSink);
        worked = true;
      }
      if (this.toMedia()) worked = true;
      if (this.sendPending()) worked = true;
      if (!worked) break;
    }
  }

  nextEventCycle(): number {
    let next = this.heap.peekTime();
    const m = this.media.nextEventCycle();
    if (m < next) next = m;
    if (this.pendingHead < this.pending.length && this.trackersFree > 0 && this.credits > 0 && this.now < next) next = this.now;
    return next;
  }

  outstandingRequests(): number {
    return this.table.outstanding;
  }

  stats(): MemoryDeviceStats {
    const m = this.media.stats();
    return {
      requests: this.requests,
      reads: this.reads,
      writes: this.writes,
      bytesRequested: this.bytesRequested,
      busBytes: this.lineBytesMoved,
      mergedRequests: m.mergedRequests,
      wrappedRequests: m.wrappedRequests,
      extra: {
        m2sWireBytes: this.m2s.wireBytes,
        s2mWireBytes: this.s2m.wireBytes,
        m2sBusyPs: this.m2s.busyPs,
        s2mBusyPs: this.s2m.busyPs,
        mediaBusBytes: m.busBytes,
      },
    };
  }

  private sendPending(): boolean {
    let sent = false;
    while (this.pendingHead < this.pending.length && this.trackersFree > 0 && this.credits > 0) {
      const slot = this.pending[this.pendingHead++]!;
      this.trackersFree--;
      this.credits--;
      const write = this.isWrite[slot] === 1;
      const line = this.accessBytes;
      const done = this.m2s.send(this.now, write ? this.wire.rwd : this.wire.req, write ? line : 0);
      const l = this.preset.latencyPs;
      this.heap.push(Math.ceil(done) + l.hostPort + l.devicePort + l.controllerInbound, E_AT_DEVICE, slot);
      sent = true;
    }
    if (this.pendingHead > 1024 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
    return sent;
  }

  private handle(type: number, slot: number): void {
    const l = this.preset.latencyPs;
    switch (type) {
      case E_AT_DEVICE:
        this.mediaQueue.push(slot);
        break;
      case E_RESPOND: {
        const write = this.isWrite[slot] === 1;
        const done = this.s2m.send(this.now, write ? this.wire.ndr : this.wire.drs, write ? 0 : this.accessBytes);
        this.heap.push(Math.ceil(done) + l.devicePort + l.hostPort, E_AT_HOST, slot);
        break;
      }
      case E_AT_HOST:
        this.trackersFree++;
        this.lineBytesMoved += this.accessBytes;
        this.table.burstDone(this.parent[slot]!, this.now, this.sink!);
        this.freeSlots.push(slot);
        break;
      case E_CREDIT:
        this.credits++;
        break;
      default:
        throw new SimError(`CxlDevice ${this.name}: unknown event type ${type}`);
    }
  }

  /** Hands requests waiting in the device to its media controller; each one taken returns a credit to the host. */
  private toMedia(): boolean {
    let moved = false;
    const l = this.preset.latencyPs;
    while (this.mediaHead < this.mediaQueue.length) {
      const slot = this.mediaQueue[this.mediaHead]!;
      const r = this.req;
      r.id = slot;
      r.addr = this.lineAddr[slot]!;
      r.isWrite = this.isWrite[slot] === 1;
      r.sizeBytes = this.accessBytes;
      r.arrivalCycle = this.now;
      if (!this.media.issue(r, this.now)) break;
      this.mediaHead++;
      // Credits ride back on S2M flits: visible at the host one port-to-port flight later.
      this.heap.push(this.now + l.devicePort + l.hostPort, E_CREDIT, slot);
      moved = true;
    }
    if (this.mediaHead > 1024 && this.mediaHead * 2 > this.mediaQueue.length) {
      this.mediaQueue.splice(0, this.mediaHead);
      this.mediaHead = 0;
    }
    return moved;
  }

  private allocSlot(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    const slot = this.slotCount++;
    if (slot >= this.parent.length) {
      const n = this.parent.length * 2;
      this.parent = grown(this.parent, n);
      this.lineAddr = grown(this.lineAddr, n);
      this.isWrite = grown(this.isWrite, n);
    }
    return slot;
  }

  private badRequest(req: MemoryRequest, field: string, value: unknown, expected: string): SimError {
    return new SimError(`CxlDevice.issue (${this.name}): request ${showValue(req.id)}: ${field}: expected ${expected}, got ${showValue(value)}`);
  }
}

export function createCxlDevice(preset: ResolvedCxlPreset, options: CxlOptions): CxlDevice {
  return new CxlDevice(preset, options);
}
