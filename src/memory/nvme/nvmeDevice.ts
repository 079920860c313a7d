// An NVMe SSD: submission queue depth, a controller front end at its IOPS ceiling, NAND channels x dies x
// planes with tR/tPROG, page-granular reads (read amplification) and the host link (NVM Express Base 2.0).
import { SimError, showValue } from '../../core/index.ts';
import { EventHeap } from '../eventHeap.ts';
import { RequestTable } from '../requestTable.ts';
import type { CompletionSink, MemoryDevice, MemoryDeviceStats, MemoryRequest } from '../types.ts';
import { LinkDirection } from '../link/linkDirection.ts';
import { nvmePageWireBytes, type ResolvedNvmePreset } from './nvmePreset.ts';

/**
 * `mergeDuplicates: 'controller'` lets a read of a page that is already being read from flash share that
 * read (the controller's read buffer): no second tR or channel transfer, but its own transfer to the host.
 */
export interface NvmeOptions {
  mergeDuplicates: 'off' | 'controller';
}

/** Page index within a command shares an event payload with the command index (x 65536). */
const MAX_PAGES_PER_COMMAND = 65535;

const E_FETCHED = 0;
const E_SENSED = 1;
const E_ON_CONTROLLER = 2;
const E_DELIVERED = 3;
const E_COMPLETE = 4;

/**
 * A read completes when its last page has crossed the host link (it is in host or peer memory) plus the
 * completion entry; a write when its pages have crossed the link into the controller's buffer (the
 * program then occupies the die). Addresses are logical byte offsets; one page per pageBytes.
 */
export class NvmeDevice implements MemoryDevice {
  readonly kind = 'nvme';
  readonly name: string;
  readonly tCkPs = 1;
  readonly accessBytes: number;
  readonly peakBandwidthGBps: number;
  readonly minReadLatencyCycles: number;
  readonly minWriteLatencyCycles: number;
  /** Device to host (read data) and host to device (write data) over the SSD's own link. */
  readonly toHost: LinkDirection;
  readonly toDevice: LinkDirection;
  private readonly table = new RequestTable();
  private readonly heap = new EventHeap();
  private readonly planeFree: Float64Array;
  private readonly channelFree: Float64Array;
  private frontEndFree = 0;
  private dataPathFree = 0;
  /** Commands: table slot, first page, page count, write flag. */
  private readonly commands: { slot: number; firstPage: number; pages: number; isWrite: boolean; pagesDone: number }[] = [];
  private readonly freeCommands: number[] = [];
  private outstandingCommands = 0;
  private readonly merge: boolean;
  /** Pages being read from flash (merging only): page -> payloads of the reads waiting for its data. */
  private readonly pagesInFlight = new Map<number, number[]>();
  private mergedRequests = 0;
  private sink: CompletionSink | null = null;
  private requests = 0;
  private reads = 0;
  private writes = 0;
  private bytesRequested = 0;
  private pagesRead = 0;
  private pagesWritten = 0;

  constructor(readonly preset: ResolvedNvmePreset, options: NvmeOptions = { mergeDuplicates: 'off' }) {
    this.name = preset.name;
    this.merge = options.mergeDuplicates === 'controller';
    this.accessBytes = preset.pageBytes;
    this.peakBandwidthGBps = preset.peakBandwidthGBps;
    const f = preset.flash;
    this.planeFree = new Float64Array(f.channels * f.diesPerChannel * f.planesPerDie);
    this.channelFree = new Float64Array(f.channels);
    this.toHost = new LinkDirection(`${preset.name} to host`, preset.hostLink.psPerWireByte);
    this.toDevice = new LinkDirection(`${preset.name} to device`, preset.hostLink.psPerWireByte);
    const page = preset.pageBytes;
    const linkPs = Math.floor(nvmePageWireBytes(preset) * preset.hostLink.psPerWireByte);
    const ceilingPs = Math.floor((page * 1000) / preset.readBandwidthCeilingGBps);
    const front = preset.submitPs + Math.floor(preset.commandPs);
    this.minReadLatencyCycles = front + f.readPs + Math.floor(page * f.psPerChannelByte) + Math.max(linkPs, ceilingPs) + preset.completionPs;
    this.minWriteLatencyCycles = front + linkPs + preset.completionPs;
  }

  issue(req: MemoryRequest, nowPs: number): boolean {
    const { addr, sizeBytes } = req;
    if (!Number.isInteger(addr) || addr < 0 || addr >= 2 ** 53) throw this.badRequest(req, 'addr', addr, 'an integer in [0, 2^53)');
    if (!Number.isInteger(sizeBytes) || sizeBytes < 1) throw this.badRequest(req, 'sizeBytes', sizeBytes, 'a positive integer');
    if (!(req.arrivalCycle <= nowPs)) throw this.badRequest(req, 'arrivalCycle', req.arrivalCycle, `a time <= now (${nowPs} ps)`);
    if (this.outstandingCommands >= this.preset.queueDepth) return false;
    const page = this.preset.pageBytes;
    const firstPage = Math.floor(addr / page);
    const pages = Math.floor((addr + sizeBytes - 1) / page) - firstPage + 1;
    if (pages > MAX_PAGES_PER_COMMAND) throw this.badRequest(req, 'sizeBytes', sizeBytes, `at most ${MAX_PAGES_PER_COMMAND} pages of ${page} bytes per command`);
    const command = { slot: this.table.alloc(req.id, 1), firstPage, pages, isWrite: req.isWrite, pagesDone: 0 };
    const index = this.freeCommands.pop() ?? this.commands.length;
    this.commands[index] = command;
    this.outstandingCommands++;
    // The controller fetches the submission entry after the doorbell; the front end then takes commands in turn.
    this.heap.push(nowPs + this.preset.submitPs, E_FETCHED, index);
    this.requests++;
    if (req.isWrite) this.writes++;
    else this.reads++;
    this.bytesRequested += sizeBytes;
    return true;
  }

  tick(nowPs: number, sink: CompletionSink): void {
    this.sink = sink;
    while (this.heap.peekTime() <= nowPs) {
      this.heap.pop();
      this.handle(nowPs, this.heap.poppedA, this.heap.poppedB);
    }
  }

  nextEventCycle(): number {
    return this.heap.peekTime();
  }

  outstandingRequests(): number {
    return this.table.outstanding;
  }

  stats(): MemoryDeviceStats {
    const page = this.preset.pageBytes;
    return {
      requests: this.requests,
      reads: this.reads,
      writes: this.writes,
      bytesRequested: this.bytesRequested,
      busBytes: (this.pagesRead + this.pagesWritten) * page,
      mergedRequests: this.mergedRequests,
      wrappedRequests: 0,
      extra: {
        pagesRead: this.pagesRead,
        pagesWritten: this.pagesWritten,
        flashReadBytes: this.pagesRead * page,
        linkToHostWireBytes: this.toHost.wireBytes,
        linkToHostBusyPs: this.toHost.busyPs,
      },
    };
  }

  /** Plane index of a page: pages stripe over channels, then dies, then planes. */
  private planeOf(pageNumber: number): number {
    const f = this.preset.flash;
    const channel = pageNumber % f.channels;
    const die = Math.floor(pageNumber / f.channels) % f.diesPerChannel;
    const plane = Math.floor(pageNumber / (f.channels * f.diesPerChannel)) % f.planesPerDie;
    return (channel * f.diesPerChannel + die) * f.planesPerDie + plane;
  }

  private handle(now: number, type: number, payload: number): void {
    const p = this.preset;
    const f = p.flash;
    const page = p.pageBytes;
    switch (type) {
      case E_FETCHED: {
        // Front end at the IOPS ceiling: one command per commandPs, in arrival order.
        const start = this.frontEndFree > now ? this.frontEndFree : now;
        this.frontEndFree = start + p.commandPs;
        const c = this.commands[payload]!;
        if (c.isWrite) {
          // Write data crosses the link into the controller buffer; each page then programs on its plane.
          let end = this.frontEndFree;
          for (let i = 0; i < c.pages; i++) {
            end = this.toDevice.send(this.frontEndFree, nvmePageWireBytes(p), page);
            const plane = this.planeOf(c.firstPage + i);
            this.planeFree[plane] = Math.max(this.planeFree[plane]!, end) + f.programPs;
          }
          this.pagesWritten += c.pages;
          this.heap.push(Math.ceil(end) + p.completionPs, E_COMPLETE, payload);
        } else {
          let merged = 0;
          for (let i = 0; i < c.pages; i++) {
            const pageNumber = c.firstPage + i;
            const waiting = this.merge ? this.pagesInFlight.get(pageNumber) : undefined;
            if (waiting !== undefined) {
              waiting.push(payload * 65536 + i);
              merged++;
              continue;
            }
            if (this.merge) this.pagesInFlight.set(pageNumber, []);
            const plane = this.planeOf(pageNumber);
            const sense = Math.max(this.planeFree[plane]!, this.frontEndFree);
            this.planeFree[plane] = sense + f.readPs;
            this.heap.push(Math.ceil(this.planeFree[plane]!), E_SENSED, payload * 65536 + i);
            this.pagesRead++;
          }
          if (merged === c.pages) this.mergedRequests++;
        }
        break;
      }
      case E_SENSED: {
        // The page leaves the die over its channel bus, in the order pages finish sensing.
        const c = this.commands[Math.floor(payload / 65536)]!;
        const channel = (c.firstPage + (payload % 65536)) % f.channels;
        const start = Math.max(this.channelFree[channel]!, now);
        this.channelFree[channel] = start + page * f.psPerChannelByte;
        this.heap.push(Math.ceil(this.channelFree[channel]!), E_ON_CONTROLLER, payload);
        break;
      }
      case E_ON_CONTROLLER: {
        // A negative payload is a merged read's own transfer of a page another read brought in.
        const item = payload < 0 ? -1 - payload : payload;
        if (this.merge && payload >= 0) {
          const c = this.commands[Math.floor(item / 65536)]!;
          const pageNumber = c.firstPage + (item % 65536);
          const waiting = this.pagesInFlight.get(pageNumber);
          if (waiting !== undefined) {
            this.pagesInFlight.delete(pageNumber);
            for (const w of waiting) this.heap.push(now, E_ON_CONTROLLER, -1 - w);
          }
        }
        // The controller streams the page to the host link as MWr TLPs (cut-through): the page is
        // delivered when both its data-path slot (bandwidth ceiling) and its TLPs have finished.
        const start = Math.max(this.dataPathFree, now);
        this.dataPathFree = start + (page * 1000) / p.readBandwidthCeilingGBps;
        const end = Math.max(this.dataPathFree, this.toHost.send(start, nvmePageWireBytes(p), page));
        this.heap.push(Math.ceil(end), E_DELIVERED, item);
        break;
      }
      case E_DELIVERED: {
        const index = Math.floor(payload / 65536);
        const c = this.commands[index]!;
        if (++c.pagesDone === c.pages) this.heap.push(now + p.completionPs, E_COMPLETE, index);
        break;
      }
      case E_COMPLETE: {
        const c = this.commands[payload]!;
        this.table.burstDone(c.slot, now, this.sink!);
        this.freeCommands.push(payload);
        this.outstandingCommands--;
        break;
      }
      default:
        throw new SimError(`NvmeDevice ${this.name}: unknown event type ${type}`);
    }
  }

  private badRequest(req: MemoryRequest, field: string, value: unknown, expected: string): SimError {
    return new SimError(`NvmeDevice.issue (${this.name}): request ${showValue(req.id)}: ${field}: expected ${expected}, got ${showValue(value)}`);
  }
}

export function createNvmeDevice(preset: ResolvedNvmePreset, options: NvmeOptions): NvmeDevice {
  return new NvmeDevice(preset, options);
}
