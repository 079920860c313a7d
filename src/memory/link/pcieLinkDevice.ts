// A PCIe requester (a GPU reading pinned host memory, zero-copy loads or its copy engine) and the link to
// the root complex in front of host memory: TLP splitting, tags, credits, serialisation and latency
// (PCI Express Base 5.0 §2.2-2.3 requests/completions, §2.6 ordering, §3.4 flow control, §3.6 Ack/Nak).
import { SimError, showValue } from '../../core/index.ts';
import { ClockCrossing } from '../clockCrossing.ts';
import { createDramDevice } from '../dram/dramDevice.ts';
import { EventHeap } from '../eventHeap.ts';
import { RequestTable } from '../requestTable.ts';
import type { CompletionSink, MemoryDevice, MemoryDeviceStats, MemoryRequest } from '../types.ts';
import { LinkDirection } from './linkDirection.ts';
import { readPieces, tlpWireBytes } from './pcieFormulas.ts';
import type { ResolvedPcieLinkPreset } from './pcieLinkPreset.ts';
import { grown } from '../grown.ts';

/**
 * Options of one link instance. `readMode` picks the requester: 'zero-copy' loads split reads at
 * requester.zeroCopyReadBytes, a 'dma' copy engine at maxReadRequestBytes. Without `backing` the link
 * reads the preset's stand-alone DRAM, built with `mergeDuplicates` ('controller' merges at that DRAM).
 */
export interface PcieLinkOptions {
  mergeDuplicates: 'off' | 'controller';
  readMode?: 'zero-copy' | 'dma';
  /** Memory behind the root complex in picoseconds (tCkPs 1), e.g. a ClockCrossing around a DRAM. */
  backing?: MemoryDevice;
}

const E_RC_FORWARD = 0;
const E_CPL_SEND = 1;
const E_CPL_ARRIVE = 2;
const E_PIECE_DONE = 3;
const E_NP_CREDIT = 4;
const E_P_CREDIT = 5;

export class PcieLinkDevice implements MemoryDevice {
  readonly kind = 'pcie-link';
  readonly name: string;
  readonly tCkPs = 1;
  /** Payloads move in DWORDs. */
  readonly accessBytes = 4;
  readonly peakBandwidthGBps: number;
  readonly minReadLatencyCycles: number;
  readonly minWriteLatencyCycles: number;
  /** Requester to root complex (read requests, writes, Acks for completions). */
  readonly upstream: LinkDirection;
  /** Root complex to requester (completions, Acks and UpdateFCs for requests). */
  readonly downstream: LinkDirection;
  readonly backing: MemoryDevice;
  private readonly pieceBytes: number;
  private readonly maxChunks: number;
  private readonly table = new RequestTable();
  private readonly heap = new EventHeap();
  // Pieces (one TLP request each), parallel arrays indexed by slot.
  private parent = new Float64Array(64);
  private start = new Float64Array(64);
  private end = new Float64Array(64);
  private isWrite = new Uint8Array(64);
  private chunks = new Int32Array(64);
  private nextToSend = new Int32Array(64);
  private arrived = new Int32Array(64);
  /** Per slot, maxChunks flags: completion data back from memory. */
  private ready: Uint8Array<ArrayBuffer>;
  private freeSlots: number[] = [];
  private slotCount = 0;
  // Requester queue and resources.
  private readonly pending: number[] = [];
  private pendingHead = 0;
  private tagsFree: number;
  private bufferFree: number;
  private npCredits: number;
  private pCredits: number;
  // Root complex requests the memory has not accepted yet: slot x maxChunks + chunk.
  private readonly rcQueue: number[] = [];
  private rcHead = 0;
  private readonly memReq: MemoryRequest = { id: 0, addr: 0, isWrite: false, sizeBytes: 0, arrivalCycle: 0 };
  private readonly backingSink: CompletionSink = { complete: (id, at) => this.memoryDone(id, at) };
  private sink: CompletionSink | null = null;
  private now = 0;
  // Data-link-layer counters: TLPs received since the last Ack / UpdateFC on each side.
  private rcAckCount = 0;
  private rcFcCount = 0;
  private reqAckCount = 0;
  // Statistics.
  private requests = 0;
  private reads = 0;
  private writes = 0;
  private bytesRequested = 0;
  private payloadBytes = 0;
  private tagWaits = 0;
  private maxTagsInUse = 0;

  constructor(
    readonly preset: ResolvedPcieLinkPreset,
    options: PcieLinkOptions,
    directions?: { upstream: LinkDirection; downstream: LinkDirection },
  ) {
    this.name = preset.name;
    this.backing = options.backing ?? new ClockCrossing(createDramDevice(preset.standaloneMemory, { mergeDuplicates: options.mergeDuplicates }));
    if (this.backing.tCkPs !== 1) throw new SimError(`PcieLinkDevice ${preset.name}: backing ${this.backing.name}: tCkPs: expected 1 (picoseconds; wrap a DRAM in a ClockCrossing), got ${this.backing.tCkPs}`);
    this.upstream = directions?.upstream ?? new LinkDirection(`${preset.name} upstream`, preset.psPerWireByte);
    this.downstream = directions?.downstream ?? new LinkDirection(`${preset.name} downstream`, preset.psPerWireByte);
    this.peakBandwidthGBps = preset.peakBandwidthGBps;
    const t = preset.transfer;
    this.pieceBytes = (options.readMode ?? 'zero-copy') === 'dma' ? t.maxReadRequestBytes : preset.requester.zeroCopyReadBytes;
    this.maxChunks = Math.ceil(t.maxReadRequestBytes / t.completionBytes) + 1;
    this.ready = new Uint8Array(64 * this.maxChunks);
    this.tagsFree = preset.requester.tags;
    this.bufferFree = preset.requester.completionBufferBytes;
    this.npCredits = preset.rootComplex.nonPostedCredits;
    this.pCredits = preset.rootComplex.postedCredits;
    const l = preset.latencyPs;
    const ps = preset.psPerWireByte;
    // Lower bounds: the smallest read (one DWORD) and write, serialisation rounded down.
    this.minReadLatencyCycles = Math.floor(tlpWireBytes(preset, preset.tlp.memoryReadHeaderBytes, 0) * ps) + l.link + l.rootComplexInbound
      + this.backing.minReadLatencyCycles + l.rootComplexOutbound + Math.floor(tlpWireBytes(preset, preset.tlp.completionHeaderBytes, 4) * ps) + l.link + l.requesterInternal;
    this.minWriteLatencyCycles = Math.floor(tlpWireBytes(preset, preset.tlp.memoryWriteHeaderBytes, 4) * ps) + l.link + l.rootComplexInbound + this.backing.minWriteLatencyCycles;
  }

  issue(req: MemoryRequest, nowPs: number): boolean {
    const { addr, sizeBytes } = req;
    if (!Number.isInteger(addr) || addr < 0 || addr >= 2 ** 53) throw this.badRequest(req, 'addr', addr, 'an integer in [0, 2^53)');
    if (!Number.isInteger(sizeBytes) || sizeBytes < 1) throw this.badRequest(req, 'sizeBytes', sizeBytes, 'a positive integer');
    if (!(req.arrivalCycle <= nowPs)) throw this.badRequest(req, 'arrivalCycle', req.arrivalCycle, `a time <= now (${nowPs} ps)`);
    // The requester queue is as deep as the tag pool; a request is taken whole while it has room.
    if (this.pending.length - this.pendingHead >= this.preset.requester.tags) return false;
    this.now = nowPs;
    const pieces = readPieces(addr, sizeBytes, req.isWrite ? this.preset.transfer.maxPayloadBytes : this.pieceBytes);
    const parent = this.table.alloc(req.id, pieces.length);
    for (const [at, bytes] of pieces) {
      const slot = this.allocSlot();
      this.parent[slot] = parent;
      this.start[slot] = Math.floor(at / 4) * 4;
      this.end[slot] = Math.ceil((at + bytes) / 4) * 4;
      this.isWrite[slot] = req.isWrite ? 1 : 0;
      const c = this.preset.transfer.completionBytes;
      this.chunks[slot] = req.isWrite ? 1 : Math.ceil(this.end[slot]! / c) - Math.floor(this.start[slot]! / c);
      this.nextToSend[slot] = 0;
      this.arrived[slot] = 0;
      this.ready.fill(0, slot * this.maxChunks, (slot + 1) * this.maxChunks);
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
      if (this.backing.nextEventCycle() <= nowPs) {
        this.backing.tick(nowPs, this.backingSink);
        worked = true;
      }
      if (this.forwardToMemory()) worked = true;
      if (this.sendPending()) worked = true;
      if (!worked) break;
    }
  }

  nextEventCycle(): number {
    let next = this.heap.peekTime();
    const b = this.backing.nextEventCycle();
    if (b < next) next = b;
    if (this.pendingHead < this.pending.length && this.canSend(this.pending[this.pendingHead]!) && this.now < next) next = this.now;
    return next;
  }

  outstandingRequests(): number {
    return this.table.outstanding;
  }

  stats(): MemoryDeviceStats {
    const b = this.backing.stats();
    return {
      requests: this.requests,
      reads: this.reads,
      writes: this.writes,
      bytesRequested: this.bytesRequested,
      busBytes: this.payloadBytes,
      // Reads the host memory controller served by merging (its own option); the link carries each.
      mergedRequests: b.mergedRequests,
      wrappedRequests: b.wrappedRequests,
      extra: {
        upstreamWireBytes: this.upstream.wireBytes,
        downstreamWireBytes: this.downstream.wireBytes,
        upstreamBusyPs: this.upstream.busyPs,
        downstreamBusyPs: this.downstream.busyPs,
        dllpBytes: this.upstream.dllpBytes + this.downstream.dllpBytes,
        tlps: this.upstream.packets + this.downstream.packets,
        tagWaits: this.tagWaits,
        maxTagsInUse: this.maxTagsInUse,
        memoryBusBytes: b.busBytes,
      },
    };
  }

  private canSend(slot: number): boolean {
    if (this.isWrite[slot] === 1) return this.pCredits > 0;
    return this.tagsFree > 0 && this.npCredits > 0 && this.bufferFree >= this.end[slot]! - this.start[slot]!;
  }

  /** Sends queued requests in order while tags, completion buffer and credits allow (head-of-line order). */
  private sendPending(): boolean {
    let sent = false;
    while (this.pendingHead < this.pending.length) {
      const slot = this.pending[this.pendingHead]!;
      if (!this.canSend(slot)) {
        if (this.isWrite[slot] === 0 && this.tagsFree === 0) this.tagWaits++;
        break;
      }
      this.pendingHead++;
      const p = this.preset;
      const l = p.latencyPs;
      const bytes = this.end[slot]! - this.start[slot]!;
      if (this.isWrite[slot] === 1) {
        this.pCredits--;
        const done = this.upstream.send(this.now, tlpWireBytes(p, p.tlp.memoryWriteHeaderBytes, bytes), bytes);
        this.payloadBytes += bytes;
        this.heap.push(Math.ceil(done) + l.link + l.rootComplexInbound, E_RC_FORWARD, slot);
      } else {
        this.tagsFree--;
        this.npCredits--;
        this.bufferFree -= bytes;
        const inUse = p.requester.tags - this.tagsFree;
        if (inUse > this.maxTagsInUse) this.maxTagsInUse = inUse;
        const done = this.upstream.send(this.now, tlpWireBytes(p, p.tlp.memoryReadHeaderBytes, 0), 0);
        this.heap.push(Math.ceil(done) + l.link + l.rootComplexInbound, E_RC_FORWARD, slot);
      }
      sent = true;
    }
    if (this.pendingHead > 1024 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
    return sent;
  }

  private handle(type: number, slot: number): void {
    const p = this.preset;
    switch (type) {
      case E_RC_FORWARD: {
        // The root port received the TLP: Ack it, then hand its memory accesses to the memory system.
        if (++this.rcAckCount === p.dllp.ackEveryTlps) {
          this.rcAckCount = 0;
          this.downstream.sendDllp(this.now, p.dllp.bytes);
        }
        const n = this.isWrite[slot] === 1 ? 1 : this.chunks[slot]!;
        for (let c = 0; c < n; c++) this.rcQueue.push(slot * this.maxChunks + c);
        break;
      }
      case E_CPL_SEND: {
        const chunkSlot = slot;
        const s = Math.floor(chunkSlot / this.maxChunks);
        this.ready[chunkSlot] = 1;
        // Completions of one request leave in address order (PCIe ordering for a split read).
        while (this.nextToSend[s]! < this.chunks[s]! && this.ready[s * this.maxChunks + this.nextToSend[s]!] === 1) {
          const bytes = this.chunkBytes(s, this.nextToSend[s]!);
          const done = this.downstream.send(this.now, tlpWireBytes(p, p.tlp.completionHeaderBytes, bytes), bytes);
          this.heap.push(Math.ceil(done) + p.latencyPs.link, E_CPL_ARRIVE, s * this.maxChunks + this.nextToSend[s]!);
          this.nextToSend[s]!++;
        }
        break;
      }
      case E_CPL_ARRIVE: {
        const s = Math.floor(slot / this.maxChunks);
        const bytes = this.chunkBytes(s, slot % this.maxChunks);
        this.bufferFree += bytes;
        this.payloadBytes += bytes;
        if (++this.reqAckCount === p.dllp.ackEveryTlps) {
          this.reqAckCount = 0;
          this.upstream.sendDllp(this.now, p.dllp.bytes);
        }
        if (++this.arrived[s]! === this.chunks[s]!) {
          this.tagsFree++;
          this.heap.push(this.now + p.latencyPs.requesterInternal, E_PIECE_DONE, s);
        }
        break;
      }
      case E_PIECE_DONE:
        this.table.burstDone(this.parent[slot]!, this.now, this.sink!);
        this.freeSlots.push(slot);
        break;
      case E_NP_CREDIT:
        this.npCredits++;
        break;
      case E_P_CREDIT:
        this.pCredits++;
        break;
      default:
        throw new SimError(`PcieLinkDevice ${this.name}: unknown event type ${type}`);
    }
  }

  /** Issues queued root-complex accesses to the memory until it refuses one; frees credits as requests leave. */
  private forwardToMemory(): boolean {
    let moved = false;
    const p = this.preset;
    while (this.rcHead < this.rcQueue.length) {
      const key = this.rcQueue[this.rcHead]!;
      const slot = Math.floor(key / this.maxChunks);
      const chunk = key % this.maxChunks;
      const write = this.isWrite[slot] === 1;
      const from = write ? this.start[slot]! : this.chunkFrom(slot, chunk);
      const r = this.memReq;
      r.id = key;
      r.addr = from;
      r.sizeBytes = write ? this.end[slot]! - from : this.chunkBytes(slot, chunk);
      r.isWrite = write;
      r.arrivalCycle = this.now;
      if (!this.backing.issue(r, this.now)) break;
      this.rcHead++;
      moved = true;
      // The request's buffer is free once its last access has entered memory: return the credit.
      const last = write || chunk === this.chunks[slot]! - 1;
      if (last) {
        if (++this.rcFcCount === p.dllp.updateFcEveryTlps) {
          this.rcFcCount = 0;
          this.downstream.sendDllp(this.now, p.dllp.bytes);
        }
        this.heap.push(this.now + p.latencyPs.link, write ? E_P_CREDIT : E_NP_CREDIT, slot);
      }
    }
    if (this.rcHead > 1024 && this.rcHead * 2 > this.rcQueue.length) {
      this.rcQueue.splice(0, this.rcHead);
      this.rcHead = 0;
    }
    return moved;
  }

  private memoryDone(key: number, at: number): void {
    const slot = Math.floor(key / this.maxChunks);
    if (this.isWrite[slot] === 1) this.heap.push(at, E_PIECE_DONE, slot);
    else this.heap.push(at + this.preset.latencyPs.rootComplexOutbound, E_CPL_SEND, key);
  }

  /** First byte of completion `chunk` of read piece `slot` (completions cut at completionBytes-aligned addresses). */
  private chunkFrom(slot: number, chunk: number): number {
    const c = this.preset.transfer.completionBytes;
    return Math.max(this.start[slot]!, (Math.floor(this.start[slot]! / c) + chunk) * c);
  }

  private chunkBytes(slot: number, chunk: number): number {
    const c = this.preset.transfer.completionBytes;
    return Math.min(this.end[slot]!, (Math.floor(this.start[slot]! / c) + chunk + 1) * c) - this.chunkFrom(slot, chunk);
  }

  private allocSlot(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    const slot = this.slotCount++;
    if (slot >= this.parent.length) this.grow();
    return slot;
  }

  private grow(): void {
    const n = this.parent.length * 2;
    this.parent = grown(this.parent, n);
    this.start = grown(this.start, n);
    this.end = grown(this.end, n);
    this.isWrite = grown(this.isWrite, n);
    this.chunks = grown(this.chunks, n);
    this.nextToSend = grown(this.nextToSend, n);
    this.arrived = grown(this.arrived, n);
    this.ready = grown(this.ready, n * this.maxChunks);
  }

  private badRequest(req: MemoryRequest, field: string, value: unknown, expected: string): SimError {
    return new SimError(`PcieLinkDevice.issue (${this.name}): request ${showValue(req.id)}: ${field}: expected ${expected}, got ${showValue(value)}`);
  }
}

export function createPcieLinkDevice(preset: ResolvedPcieLinkPreset, options: PcieLinkOptions): PcieLinkDevice {
  return new PcieLinkDevice(preset, options);
}
