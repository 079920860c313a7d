// A DRAM device (DDR4, DDR5, HBM2, HBM3, host systems of them) as independent channel controllers behind
// one address mapping; splits each request into bursts, follows JEDEC structure per resolvePreset.ts.
import { SimError, showValue } from '../../core/index.ts';
import type { CompletionSink, MemoryDevice, MemoryDeviceStats, MemoryRequest } from '../types.ts';
import { RequestTable } from '../requestTable.ts';
import { AddressDecoder, FIELD_BANK, FIELD_BANK_GROUP, FIELD_CHANNEL, FIELD_RANK, FIELD_ROW } from './addressMapping.ts';
import { ChannelController } from './channelController.ts';
import { mappingDimensions, type PagePolicy, type ResolvedDramPreset } from './resolvePreset.ts';

/**
 * Options of one DRAM device instance; unset fields take the preset's controller values.
 * `mergeDuplicates: 'controller'` lets a read join a queued or in-flight read of the same burst (one
 * DRAM access, both complete together); 'off' models a controller without that address match.
 */
export interface DramOptions {
  mergeDuplicates: 'off' | 'controller';
  pagePolicy?: PagePolicy;
  addressMapping?: readonly string[];
  queueDepth?: number;
  rowHitCap?: number;
}

const MAX_ADDR = 2 ** 53;

export class DramDevice implements MemoryDevice {
  readonly kind = 'dram';
  readonly name: string;
  readonly tCkPs: number;
  readonly accessBytes: number;
  readonly peakBandwidthGBps: number;
  readonly minReadLatencyCycles: number;
  readonly minWriteLatencyCycles: number;
  readonly addressMapping: readonly string[];
  readonly pagePolicy: PagePolicy;
  private readonly channels: ChannelController[];
  private readonly nextEvents: Float64Array;
  /** min(nextEvents), kept current by tick and issue. */
  private minEvent = Infinity;
  private readonly decoder: AddressDecoder;
  private readonly table = new RequestTable();
  private readonly queueDepth: number;
  private readonly bankGroups: number;
  private readonly banksPerGroup: number;
  private readonly fields = new Int32Array(6);
  private scratchChannel = new Int32Array(64);
  private scratchBank = new Int32Array(64);
  private scratchRow = new Int32Array(64);
  private requests = 0;
  private reads = 0;
  private writes = 0;
  private bytesRequested = 0;
  private mergedRequests = 0;
  private wrappedRequests = 0;
  private refused = 0;
  private refusedAddr = -1;
  private refusedSize = 0;
  private refusedChannel = 0;

  constructor(readonly preset: ResolvedDramPreset, options: DramOptions) {
    this.name = preset.name;
    this.tCkPs = preset.tCkPs;
    this.accessBytes = preset.burstBytes;
    this.peakBandwidthGBps = preset.peakBandwidthGBps;
    const t = preset.timing;
    const cas = preset.commandBus.casCycles - 1;
    // A row hit issued in its arrival cycle: the column command's last cycle, CL (CWL), then the burst.
    this.minReadLatencyCycles = cas + t.tClCycles + t.burstCycles;
    this.minWriteLatencyCycles = cas + t.tCwlCycles + t.burstCycles;
    this.addressMapping = options.addressMapping ?? preset.addressMapping;
    this.pagePolicy = options.pagePolicy ?? preset.controller.pagePolicy;
    this.decoder = new AddressDecoder(this.addressMapping, mappingDimensions(preset), { file: `device ${preset.name}`, path: 'addressMapping' });
    this.queueDepth = options.queueDepth ?? preset.controller.queueDepth;
    if (!Number.isInteger(this.queueDepth) || this.queueDepth < 1) throw new SimError(`DramDevice: queueDepth: expected a positive integer, got ${showValue(this.queueDepth)}`);
    const rowHitCap = options.rowHitCap ?? preset.controller.rowHitCap;
    this.bankGroups = preset.bankGroups;
    this.banksPerGroup = preset.banksPerGroup;
    const channelOptions = { pagePolicy: this.pagePolicy, rowHitCap, mergeDuplicates: options.mergeDuplicates };
    this.channels = Array.from({ length: preset.channels }, (_, i) => new ChannelController(preset, i, channelOptions, this.table));
    this.nextEvents = new Float64Array(preset.channels).fill(Infinity);
  }

  issue(req: MemoryRequest, nowCycles: number): boolean {
    const { addr, sizeBytes } = req;
    // A source retries a refused request after every device event; skip the decode while the
    // channel that refused it is still full.
    if (addr === this.refusedAddr && sizeBytes === this.refusedSize && this.channels[this.refusedChannel]!.queued >= this.queueDepth) {
      this.refused++;
      return false;
    }
    if (!Number.isInteger(addr) || addr < 0 || addr >= MAX_ADDR) throw this.badRequest(req, 'addr', addr, 'an integer in [0, 2^53)');
    if (!Number.isInteger(sizeBytes) || sizeBytes < 1 || addr + sizeBytes > MAX_ADDR) throw this.badRequest(req, 'sizeBytes', sizeBytes, 'a positive integer with addr + sizeBytes <= 2^53');
    if (!(req.arrivalCycle <= nowCycles)) throw this.badRequest(req, 'arrivalCycle', req.arrivalCycle, `a cycle <= now (${nowCycles})`);
    const burstBytes = this.accessBytes;
    const first = Math.floor(addr / burstBytes);
    const n = Math.floor((addr + sizeBytes - 1) / burstBytes) - first + 1;
    if (n === 1) return this.issueOneBurst(req, first, nowCycles);
    if (n > this.scratchChannel.length) this.growScratch(n);
    const f = this.fields;
    let wrapped = false;
    // Decode every burst first: a request is accepted whole or not at all.
    for (let i = 0; i < n; i++) {
      if (!this.decoder.decode(first + i, f)) wrapped = true;
      const c = f[FIELD_CHANNEL]!;
      // A channel with a free entry takes all of this request's bursts, so big requests cannot deadlock.
      if (this.channels[c]!.queued >= this.queueDepth) {
        this.refusedAddr = addr;
        this.refusedSize = sizeBytes;
        this.refusedChannel = c;
        this.refused++;
        return false;
      }
      this.scratchChannel[i] = c;
      this.scratchBank[i] = (f[FIELD_RANK]! * this.bankGroups + f[FIELD_BANK_GROUP]!) * this.banksPerGroup + f[FIELD_BANK]!;
      this.scratchRow[i] = f[FIELD_ROW]!;
    }
    const parent = this.table.alloc(req.id, n);
    const capacity = this.decoder.capacityBursts;
    let allMerged = true;
    for (let i = 0; i < n; i++) {
      const c = this.scratchChannel[i]!;
      const ch = this.channels[c]!;
      // The merge key is the physical burst, so wrapped addresses alias like the hardware would.
      if (!ch.enqueue(parent, this.scratchBank[i]!, this.scratchRow[i]!, req.isWrite, (first + i) % capacity, nowCycles)) allMerged = false;
      this.nextEvents[c] = ch.nextEvent;
      if (ch.nextEvent < this.minEvent) this.minEvent = ch.nextEvent;
    }
    this.requests++;
    if (req.isWrite) this.writes++;
    else this.reads++;
    this.bytesRequested += sizeBytes;
    if (allMerged) this.mergedRequests++;
    if (wrapped) this.wrappedRequests++;
    return true;
  }

  /** `issue` for a request within one burst (the common case): no scratch arrays. */
  private issueOneBurst(req: MemoryRequest, burst: number, nowCycles: number): boolean {
    const f = this.fields;
    const wrapped = !this.decoder.decode(burst, f);
    const c = f[FIELD_CHANNEL]!;
    const ch = this.channels[c]!;
    if (ch.queued >= this.queueDepth) {
      this.refusedAddr = req.addr;
      this.refusedSize = req.sizeBytes;
      this.refusedChannel = c;
      this.refused++;
      return false;
    }
    const bank = (f[FIELD_RANK]! * this.bankGroups + f[FIELD_BANK_GROUP]!) * this.banksPerGroup + f[FIELD_BANK]!;
    const parent = this.table.alloc(req.id, 1);
    // The merge key is the physical burst, so wrapped addresses alias like the hardware would.
    const merged = ch.enqueue(parent, bank, f[FIELD_ROW]!, req.isWrite, burst % this.decoder.capacityBursts, nowCycles);
    const e = ch.nextEvent;
    this.nextEvents[c] = e;
    if (e < this.minEvent) this.minEvent = e;
    this.requests++;
    if (req.isWrite) this.writes++;
    else this.reads++;
    this.bytesRequested += req.sizeBytes;
    if (merged) this.mergedRequests++;
    if (wrapped) this.wrappedRequests++;
    return true;
  }

  tick(nowCycles: number, sink: CompletionSink): void {
    if (this.minEvent > nowCycles) return;
    const events = this.nextEvents;
    let next = Infinity;
    for (let c = 0; c < events.length; c++) {
      let e = events[c]!;
      if (e <= nowCycles) {
        const ch = this.channels[c]!;
        ch.tick(nowCycles, sink);
        e = events[c] = ch.nextEvent;
      }
      if (e < next) next = e;
    }
    this.minEvent = next;
  }

  nextEventCycle(): number {
    return this.minEvent;
  }

  outstandingRequests(): number {
    return this.table.outstanding;
  }

  stats(): MemoryDeviceStats {
    const sum = { activates: 0, precharges: 0, refreshes: 0, readBursts: 0, writeBursts: 0, mergedBursts: 0, rowHits: 0, rowMisses: 0, rowConflicts: 0 };
    for (const ch of this.channels) for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += ch.counters[key];
    return {
      requests: this.requests,
      reads: this.reads,
      writes: this.writes,
      bytesRequested: this.bytesRequested,
      busBytes: (sum.readBursts + sum.writeBursts) * this.accessBytes,
      mergedRequests: this.mergedRequests,
      wrappedRequests: this.wrappedRequests,
      extra: { ...sum, refusedIssues: this.refused },
    };
  }

  private badRequest(req: MemoryRequest, field: string, value: unknown, expected: string): SimError {
    return new SimError(`DramDevice.issue (${this.name}): request ${showValue(req.id)}: ${field}: expected ${expected}, got ${showValue(value)}`);
  }

  private growScratch(n: number): void {
    const size = 2 ** Math.ceil(Math.log2(n));
    this.scratchChannel = new Int32Array(size);
    this.scratchBank = new Int32Array(size);
    this.scratchRow = new Int32Array(size);
  }
}

export function createDramDevice(preset: ResolvedDramPreset, options: DramOptions): DramDevice {
  return new DramDevice(preset, options);
}
