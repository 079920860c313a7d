// The gather engine as a request source: per batch (one layer's lookups, a barrier at the end) it merges
// duplicates if asked, probes the HBM cache, and moves each row from its tier to the GPU by that tier's path.
import { SimError } from '../../core/index.ts';
import type { PageCache } from '../nvme/pageCache.ts';
import type { MemoryDevice, MemoryRequest, RequestSource } from '../types.ts';
import type { HotRowCache } from './hotRowCache.ts';
import { CXL_BASE_BYTES, WINDOW, WINDOW_BYTES } from './systemDevices.ts';
import type { ResolvedMemorySystem } from './system.ts';
import { TierStats } from './tierStats.ts';
import type { TraceRecorder } from './traceEvents.ts';

/** Duplicate lookups of a row within a batch: fetched once ('gather') or once per lookup ('off'). */
export type GatherMerge = 'off' | 'gather';

/** Request kinds the engine issues (what a completion advances). */
const R_HBM = 0;
const R_LINK = 1;
const R_CPU_READ = 2;
const R_CPU_WRITE = 3;
const R_DMA = 4;
const R_NVME = 5;
const R_FILL = 6;
const R_PEER = 7;

interface Pending {
  kind: number;
  /** Fetch index, or page-job index for R_NVME / R_FILL / R_PEER. */
  ref: number;
  addr: number;
  sizeBytes: number;
  isWrite: boolean;
  /** CPU reads: byte offset of this span within its row (where it lands in the staging slot). */
  aux: number;
}

/** A page of the NVMe tier being read for this batch, and the fetches waiting for it. */
interface PageJob {
  page: number;
  frame: number;
  waiters: number[];
}

export interface GatherSourceOptions {
  readonly system: ResolvedMemorySystem;
  readonly rowBytes: number;
  readonly merge: GatherMerge;
  readonly prefetchPs: number;
  readonly hbmCache: HotRowCache | null;
  readonly pageCache: PageCache | null;
  readonly recorder: TraceRecorder | null;
}

const WINDOW_COUNT = Object.keys(WINDOW).length;

/** Tier index 0 is the HBM cache; backing tier i is index i + 1. */
export const HBM_TIER = 0;

export class GatherSource implements RequestSource {
  readonly tiers: TierStats[];
  readonly gatherPs: number[] = [];
  readonly exposedPs: number[] = [];
  lookups = 0;
  mergedLookups = 0;
  hbmHits = 0;
  private readonly batches: Iterator<Uint32Array>;
  private exhausted = false;
  private readonly firstRow: number[] = [];
  private readonly capRows: number[] = [];
  private readonly pageCacheBase: number;
  // Per-batch state.
  private batchIndex = -1;
  private batchStart = 0;
  private nextBatchAt = 0;
  private fetchesLeft = 0;
  private fetchRow: number[] = [];
  private fetchTier: number[] = [];
  private fetchStart: number[] = [];
  private fetchParts: number[] = [];
  private fetchFrames: number[][] = [];
  /** Staging: fetches in slot order, how many this batch will stage, how many are written, the buffer base. */
  private staged: number[] = [];
  private fetchSlot: number[] = [];
  private stagingRows = 0;
  private stagedDone = 0;
  private stagingBase = 0;
  private dmaAt = Infinity;
  private pageJobs: PageJob[] = [];
  private readonly inFlightPages = new Map<number, number>();
  private batchPages = new Map<number, number>();
  // Requests waiting to be issued, one queue per window of the address map (a stalled PCIe queue does not
  // hold up HBM loads), plus the CPU's reads, bounded by its line fill buffers.
  private readonly queues: { items: Pending[]; head: number }[] = Array.from({ length: WINDOW_COUNT }, () => ({ items: [], head: 0 }));
  private readonly cpuQueue: Pending[] = [];
  private cpuHead = 0;
  private cpuLinesInFlight = 0;
  private readonly outstanding = new Map<number, Pending>();
  private nextId = 0;
  private now = 0;
  private readonly req: MemoryRequest = { id: 0, addr: 0, isWrite: false, sizeBytes: 0, arrivalCycle: 0 };

  constructor(
    batches: Iterable<Uint32Array>,
    private readonly o: GatherSourceOptions,
  ) {
    this.batches = batches[Symbol.iterator]();
    this.tiers = [new TierStats('hbm', o.system.name + ' HBM cache'), ...o.system.tiers.map((t) => new TierStats(t.kind, t.name))];
    let first = 0;
    for (const t of o.system.tiers) {
      const cap = t.capacityBytes === null ? Infinity : Math.floor(t.capacityBytes / o.rowBytes);
      this.firstRow.push(first);
      this.capRows.push(cap);
      first += cap;
    }
    const pageCacheBytes = o.pageCache === null ? 0 : o.pageCache.capacityPages * o.pageCache.pageBytes;
    // The page cache and the staging buffer sit at the top of host DRAM.
    this.pageCacheBase = Math.floor((o.system.hostDram.capacityBytes - pageCacheBytes) / 4096) * 4096;
  }

  nextIssueCycle(): number {
    let t = Infinity;
    if (this.queues.some((q) => q.head < q.items.length)) t = this.now;
    if (this.cpuHead < this.cpuQueue.length && this.cpuLinesInFlight < this.o.system.pcie.hostCpu.linesInFlight) t = this.now;
    if (this.dmaAt < t) t = this.dmaAt;
    if (this.fetchesLeft === 0 && !this.exhausted && this.nextBatchAt < t) t = this.nextBatchAt;
    return t;
  }

  issueDue(nowPs: number, device: MemoryDevice): boolean {
    this.now = nowPs;
    if (this.fetchesLeft === 0 && !this.exhausted && this.nextBatchAt <= nowPs) this.startBatch(nowPs);
    if (this.dmaAt <= nowPs) {
      this.dmaAt = Infinity;
      const bytes = this.staged.length * this.o.rowBytes;
      this.enqueue({ kind: R_DMA, ref: 0, addr: WINDOW.link * WINDOW_BYTES + this.stagingBase, sizeBytes: bytes, isWrite: false, aux: 0 });
    }
    const lineLimit = this.o.system.pcie.hostCpu.linesInFlight;
    while (this.cpuHead < this.cpuQueue.length && this.cpuLinesInFlight < lineLimit) {
      const p = this.cpuQueue[this.cpuHead]!;
      if (!this.send(p, device)) return false;
      this.cpuHead++;
      this.cpuLinesInFlight += lines(p.addr, p.sizeBytes);
    }
    let refused = false;
    for (const q of this.queues) {
      while (q.head < q.items.length) {
        if (!this.send(q.items[q.head]!, device)) {
          refused = true;
          break;
        }
        q.head++;
      }
    }
    this.compact();
    return !refused;
  }

  complete(id: number, at: number): void {
    const p = this.outstanding.get(id);
    if (p === undefined) throw new SimError(`GatherSource: completion of unknown request ${id}`);
    this.outstanding.delete(id);
    this.now = at;
    const rowBytes = this.o.rowBytes;
    switch (p.kind) {
      case R_HBM:
      case R_LINK:
      case R_PEER:
        if (p.kind === R_PEER) this.pageDone(p.ref, at);
        else this.partDone(p.ref, at);
        break;
      case R_CPU_READ: {
        this.cpuLinesInFlight -= lines(p.addr, p.sizeBytes);
        // Streaming store of the span into the row's slot of the pinned staging buffer.
        const addr = this.stagingBase + this.fetchSlot[p.ref]! * rowBytes + p.aux;
        this.enqueue({ kind: R_CPU_WRITE, ref: p.ref, addr: WINDOW.cpu * WINDOW_BYTES + addr, sizeBytes: p.sizeBytes, isWrite: true, aux: 0 });
        break;
      }
      case R_CPU_WRITE:
        // The copy engine starts after its setup once every row of the batch is in the staging buffer.
        if (--this.fetchParts[p.ref]! === 0 && ++this.stagedDone === this.stagingRows) this.dmaAt = at + this.o.system.pcie.dmaSetupPs;
        break;
      case R_DMA:
        for (const f of this.staged) this.deliver(f, at);
        break;
      case R_NVME: {
        // The page is in host memory after the SSD's DMA: with GDS it goes on to the GPU, else into its page-cache frame.
        const job = this.pageJobs[p.ref]!;
        const bytes = this.pageBytes();
        if (this.o.pageCache === null) this.enqueue({ kind: R_PEER, ref: p.ref, addr: WINDOW.peer * WINDOW_BYTES, sizeBytes: bytes, isWrite: true, aux: 0 });
        else this.enqueue({ kind: R_FILL, ref: p.ref, addr: WINDOW.fill * WINDOW_BYTES + this.pageCacheBase + job.frame * bytes, sizeBytes: bytes, isWrite: true, aux: 0 });
        break;
      }
      case R_FILL:
        this.pageDone(p.ref, at);
        break;
      default:
        throw new SimError(`GatherSource: unknown request kind ${p.kind}`);
    }
  }

  done(): boolean {
    return this.exhausted && this.fetchesLeft === 0 && this.outstanding.size === 0;
  }

  private startBatch(now: number): void {
    const next = this.batches.next();
    if (next.done === true) {
      this.exhausted = true;
      return;
    }
    const ids = next.value;
    this.batchIndex++;
    this.batchStart = now;
    this.nextBatchAt = Infinity;
    this.fetchRow = [];
    this.fetchTier = [];
    this.fetchStart = [];
    this.fetchParts = [];
    this.fetchFrames = [];
    this.staged = [];
    this.fetchSlot = [];
    this.stagedDone = 0;
    this.stagingRows = 0;
    this.pageJobs = [];
    this.batchPages = new Map();
    this.inFlightPages.clear();
    const { system, merge, hbmCache, rowBytes } = this.o;
    const seen = merge === 'gather' ? new Map<number, number>() : null;
    const gds = system.tiers.some((t) => t.kind === 'nvme' && t.gds);
    for (let i = 0; i < ids.length; i++) {
      const row = ids[i]!;
      this.lookups++;
      hbmCache?.touch(row);
      if (seen !== null) {
        const f = seen.get(row);
        if (f !== undefined) {
          this.mergedLookups++;
          this.tiers[this.fetchTier[f]!]!.lookups++;
          if (this.fetchTier[f] === HBM_TIER) this.hbmHits++;
          continue;
        }
      }
      const f = this.fetchRow.length;
      seen?.set(row, f);
      this.fetchRow.push(row);
      this.fetchStart.push(now);
      this.fetchFrames.push([]);
      this.fetchSlot.push(-1);
      if (hbmCache?.contains(row) === true) {
        this.hbmHits++;
        this.fetchTier.push(HBM_TIER);
        this.fetchParts.push(1);
        const hbmAddr = (row * rowBytes) % Math.max(rowBytes, system.hbmCache!.capacityBytes);
        this.enqueue({ kind: R_HBM, ref: f, addr: WINDOW.hbm * WINDOW_BYTES + hbmAddr, sizeBytes: rowBytes, isWrite: false, aux: 0 });
      } else {
        const t = this.tierOf(row);
        this.fetchTier.push(t + 1);
        this.fetchParts.push(0);
        const direct = gds && system.tiers[t]!.kind === 'nvme';
        if (system.transfer === 'staging' && !direct) this.stagingRows++;
        this.fromBacking(f, t, row);
      }
      this.tiers[this.fetchTier[f]!]!.lookups++;
      this.tiers[this.fetchTier[f]!]!.fetches++;
    }
    this.fetchesLeft = this.fetchRow.length;
    // The staging buffer lies just below the page cache at the top of host DRAM: one slot per staged row.
    this.stagingBase = Math.max(0, Math.floor((this.pageCacheBase - this.stagingRows * rowBytes) / 4096) * 4096);
    this.o.recorder?.batchStart(this.batchIndex, now, this.o.prefetchPs);
    if (this.fetchesLeft === 0) this.endBatch(now);
  }

  /** Starts moving backing-tier row `row` (tier `t`) of fetch `f` towards the GPU. */
  private fromBacking(f: number, t: number, row: number): void {
    const tier = this.o.system.tiers[t]!;
    const rowBytes = this.o.rowBytes;
    const offset = (row - this.firstRow[t]!) * rowBytes;
    if (tier.kind !== 'nvme') {
      this.transfer(f, [[tier.kind === 'cxl' ? CXL_BASE_BYTES + offset : offset, rowBytes]]);
      return;
    }
    const pageBytes = tier.preset.pageBytes;
    const firstPage = Math.floor(offset / pageBytes);
    const lastPage = Math.floor((offset + rowBytes - 1) / pageBytes);
    let waiting = 0;
    for (let page = firstPage; page <= lastPage; page++) {
      const cache = this.o.pageCache;
      if (cache === null) {
        // GPUDirect Storage: every page goes SSD -> GPU; the gather engine merges pages only when merging.
        const shared = this.o.merge === 'gather' ? this.batchPages.get(page) : undefined;
        if (shared !== undefined) this.pageJobs[shared]!.waiters.push(f);
        else this.newPageJob(page, 0, f);
        waiting++;
        continue;
      }
      const pending = this.inFlightPages.get(page);
      const lookup = cache.access(page);
      this.fetchFrames[f]!.push(lookup.frame);
      if (pending !== undefined) {
        this.pageJobs[pending]!.waiters.push(f);
        waiting++;
      } else if (!lookup.hit) {
        this.inFlightPages.set(page, this.newPageJob(page, lookup.frame, f));
        waiting++;
      }
    }
    this.fetchParts[f] = waiting;
    if (waiting === 0) this.fromPageCache(f);
  }

  private newPageJob(page: number, frame: number, waiter: number): number {
    const j = this.pageJobs.length;
    this.pageJobs.push({ page, frame, waiters: [waiter] });
    this.batchPages.set(page, j);
    this.enqueue({ kind: R_NVME, ref: j, addr: WINDOW.nvme * WINDOW_BYTES + page * this.pageBytes(), sizeBytes: this.pageBytes(), isWrite: false, aux: 0 });
    return j;
  }

  private pageDone(j: number, at: number): void {
    const job = this.pageJobs[j]!;
    this.inFlightPages.delete(job.page);
    for (const f of job.waiters) {
      if (--this.fetchParts[f]! > 0) continue;
      if (this.o.pageCache === null) this.deliver(f, at);
      else this.fromPageCache(f);
    }
  }

  /** The row is in page-cache frames in host DRAM: move its spans like any host-memory row. */
  private fromPageCache(f: number): void {
    const t = this.fetchTier[f]! - 1;
    const pageBytes = this.pageBytes();
    const rowBytes = this.o.rowBytes;
    const offset = (this.fetchRow[f]! - this.firstRow[t]!) * rowBytes;
    const spans: [number, number][] = [];
    const frames = this.fetchFrames[f]!;
    for (let at = offset, k = 0; at < offset + rowBytes; k++) {
      const end = Math.min(offset + rowBytes, (Math.floor(at / pageBytes) + 1) * pageBytes);
      spans.push([this.pageCacheBase + frames[k]! * pageBytes + (at % pageBytes), end - at]);
      at = end;
    }
    this.fetchFrames[f] = [];
    this.transfer(f, spans);
  }

  /** Moves host-memory spans of fetch f to the GPU: zero-copy link reads, or CPU gather into staging. */
  private transfer(f: number, spans: [number, number][]): void {
    if (this.o.system.transfer === 'zero-copy') {
      this.fetchParts[f] = spans.length;
      for (const [addr, bytes] of spans) this.enqueue({ kind: R_LINK, ref: f, addr: WINDOW.link * WINDOW_BYTES + addr, sizeBytes: bytes, isWrite: false, aux: 0 });
      return;
    }
    // The CPU copies cache line by cache line: each line is a read (one fill buffer) then a streaming store.
    this.fetchSlot[f] = this.staged.length;
    this.staged.push(f);
    let offset = 0;
    let parts = 0;
    for (const [addr, bytes] of spans) {
      for (let at = addr; at < addr + bytes; ) {
        const end = Math.min(addr + bytes, (Math.floor(at / 64) + 1) * 64);
        this.cpuQueue.push({ kind: R_CPU_READ, ref: f, addr: WINDOW.cpu * WINDOW_BYTES + at, sizeBytes: end - at, isWrite: false, aux: offset + at - addr });
        parts++;
        at = end;
      }
      offset += bytes;
    }
    this.fetchParts[f] = parts;
  }

  private partDone(f: number, at: number): void {
    if (--this.fetchParts[f]! === 0) this.deliver(f, at);
  }

  private deliver(f: number, at: number): void {
    const tier = this.tiers[this.fetchTier[f]!]!;
    tier.record(at - this.fetchStart[f]!, this.o.rowBytes);
    this.o.recorder?.fetch(this.batchIndex, this.fetchTier[f]!, this.fetchStart[f]!, at);
    if (--this.fetchesLeft === 0) this.endBatch(at);
  }

  private endBatch(at: number): void {
    const gather = at - this.batchStart;
    this.gatherPs.push(gather);
    this.exposedPs.push(Math.max(0, gather - this.o.prefetchPs));
    this.o.recorder?.batchEnd(this.batchIndex, this.batchStart, at, this.o.prefetchPs);
    this.o.hbmCache?.endBatch();
    // The layer proceeds when its rows are in and its compute window has passed; the next prefetch starts then.
    this.nextBatchAt = Math.max(at, this.batchStart + this.o.prefetchPs);
  }

  private tierOf(row: number): number {
    for (let t = 0; t < this.capRows.length; t++) if (row < this.firstRow[t]! + this.capRows[t]!) return t;
    return this.capRows.length - 1;
  }

  private pageBytes(): number {
    const nvme = this.o.system.tiers.find((t) => t.kind === 'nvme');
    return nvme?.kind === 'nvme' ? nvme.preset.pageBytes : 4096;
  }

  private send(p: Pending, device: MemoryDevice): boolean {
    const r = this.req;
    r.id = this.nextId;
    r.addr = p.addr;
    r.sizeBytes = p.sizeBytes;
    r.isWrite = p.isWrite;
    r.arrivalCycle = this.now;
    if (!device.issue(r, this.now)) return false;
    this.outstanding.set(this.nextId++, p);
    return true;
  }

  private enqueue(p: Pending): void {
    this.queues[Math.floor(p.addr / WINDOW_BYTES)]!.items.push(p);
  }

  private compact(): void {
    for (const q of this.queues) {
      if (q.head === q.items.length) {
        q.items.length = 0;
        q.head = 0;
      } else if (q.head > 4096 && q.head * 2 > q.items.length) {
        q.items.splice(0, q.head);
        q.head = 0;
      }
    }
    if (this.cpuHead > 4096 && this.cpuHead * 2 > this.cpuQueue.length) {
      this.cpuQueue.splice(0, this.cpuHead);
      this.cpuHead = 0;
    }
  }
}

/** 64-byte cache lines a CPU access of [addr, addr + bytes) touches. */
function lines(addr: number, bytes: number): number {
  return Math.floor((addr + bytes - 1) / 64) - Math.floor(addr / 64) + 1;
}
