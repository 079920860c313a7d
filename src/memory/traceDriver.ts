// A request source that replays a stream of requests against a device: timed (each request at its trace
// cycle, DRAMsim3-style) or in batches with a barrier (one Engram layer's gathers per batch), under an
// optional cap on outstanding requests; it measures latency, batch time and mean occupancy.
import { SimError, showValue } from '../core/index.ts';
import { LatencyHistogram } from './histogram.ts';
import type { MemoryDevice, MemoryRequest, RequestSource } from './types.ts';
import { grown } from './grown.ts';

/** One request of a stream; `cycle` matters in timed mode, `batch` in batched mode. */
export interface TraceRecord {
  addr: number;
  isWrite: boolean;
  sizeBytes: number;
  cycle: number;
  batch: number;
}

/**
 * Pull-based request stream; keeps memory bounded for traces of any length.
 *
 * Contract: `next` overwrites every field of `into`; in timed mode cycles never decrease; in batched mode
 * a batch's requests are consecutive. After it returns false it keeps returning false.
 */
export interface RequestStream {
  /** Fills `into` with the next request and returns true, or returns false at the end. */
  next(into: TraceRecord): boolean;
}

export interface TraceDriverOptions {
  /** timed: issue at the record's cycle (or later under back-pressure); batched: barrier between batches. */
  mode: 'timed' | 'batched';
  /** Most requests outstanding at once; Infinity for no cap beyond the device's own queues. */
  window: number;
}

export interface TraceDriverResult {
  readonly requests: number;
  readonly reads: number;
  readonly writes: number;
  readonly bytes: number;
  /** Latency from arrival (hand-over to the device) to completion, in cycles. */
  readonly latency: LatencyHistogram;
  /** Batch times in cycles (first issue of the batch to its last completion); empty in timed mode. */
  readonly batchCycles: Float64Array;
  readonly firstArrivalCycle: number;
  readonly lastCompletionCycle: number;
  /** Integral of outstanding requests over time, in request-cycles (Little's law: = sum of latencies). */
  readonly occupancyCycles: number;
}

export class TraceDriver implements RequestSource {
  private readonly rec: TraceRecord = { addr: 0, isWrite: false, sizeBytes: 0, cycle: 0, batch: 0 };
  private readonly req: MemoryRequest = { id: 0, addr: 0, isWrite: false, sizeBytes: 0, arrivalCycle: 0 };
  private havePending = false;
  private exhausted = false;
  private lastRecordCycle = -Infinity;
  // Outstanding requests by id; ids are recycled slots so the arrays stay as small as the window.
  private arrival = new Float64Array(1024);
  private batchOf = new Float64Array(1024);
  private freeIds = new Int32Array(0);
  private freeCount = 0;
  private idCapacity = 0;
  private outstanding = 0;
  // Batch barrier state.
  private currentBatch = -1;
  private batchStart = 0;
  private batchOutstanding = 0;
  private batchClosed = false;
  private batchTimes = new Float64Array(64);
  private batchCount = 0;
  // Measurements.
  private readonly latency = new LatencyHistogram();
  private requests = 0;
  private reads = 0;
  private writes = 0;
  private bytes = 0;
  private firstArrival = Infinity;
  private lastCompletion = 0;
  private occupancy = 0;
  private lastChange = 0;
  // options.window and options.mode === 'batched', read on every step.
  private readonly window: number;
  private readonly batched: boolean;

  constructor(
    private readonly stream: RequestStream,
    private readonly options: TraceDriverOptions,
  ) {
    if (!(options.window >= 1)) throw new SimError(`TraceDriver: window: expected at least 1 or Infinity, got ${showValue(options.window)}`);
    this.window = options.window;
    this.batched = options.mode === 'batched';
  }

  nextIssueCycle(): number {
    if (this.outstanding >= this.window || !(this.havePending || this.fetch())) return Infinity;
    if (!this.batched) return this.rec.cycle;
    // Batched: the next batch waits until every request of the current one has completed.
    if (this.rec.batch !== this.currentBatch && this.batchOutstanding > 0) return Infinity;
    return this.rec.batch !== this.currentBatch ? this.lastCompletion : this.batchStart;
  }

  issueDue(nowCycles: number, device: MemoryDevice): boolean {
    const batched = this.batched;
    while (this.outstanding < this.window && (this.havePending || this.fetch())) {
      const rec = this.rec;
      if (batched) {
        if (rec.batch !== this.currentBatch) {
          if (this.batchOutstanding > 0) return true;
          this.currentBatch = rec.batch;
          this.batchStart = nowCycles;
          this.batchClosed = false;
        }
      } else if (rec.cycle > nowCycles) return true;
      // The id is taken from the free list only once the device accepts the request.
      if (this.freeCount === 0) this.growIds();
      const id = this.freeIds[this.freeCount - 1]!;
      const req = this.req;
      req.id = id;
      req.addr = rec.addr;
      req.isWrite = rec.isWrite;
      req.sizeBytes = rec.sizeBytes;
      req.arrivalCycle = nowCycles;
      if (!device.issue(req, nowCycles)) return false;
      this.freeCount--;
      this.accrue(nowCycles);
      this.outstanding++;
      this.arrival[id] = nowCycles;
      this.batchOf[id] = this.currentBatch;
      if (nowCycles < this.firstArrival) this.firstArrival = nowCycles;
      this.requests++;
      if (rec.isWrite) this.writes++;
      else this.reads++;
      this.bytes += rec.sizeBytes;
      this.havePending = false;
      if (batched) {
        this.batchOutstanding++;
        // Look ahead so the barrier knows when this batch has no more requests to issue.
        if (!this.fetch() || this.rec.batch !== this.currentBatch) this.batchClosed = true;
      }
    }
    return true;
  }

  complete(id: number, completionCycle: number): void {
    this.accrue(completionCycle);
    this.outstanding--;
    this.latency.add(completionCycle - this.arrival[id]!);
    if (completionCycle > this.lastCompletion) this.lastCompletion = completionCycle;
    this.freeIds[this.freeCount++] = id;
    if (this.batched && this.batchOf[id] === this.currentBatch) {
      this.batchOutstanding--;
      if (this.batchOutstanding === 0 && this.batchClosed) this.recordBatch(completionCycle - this.batchStart);
    }
  }

  done(): boolean {
    return this.outstanding === 0 && !this.fetch();
  }

  result(): TraceDriverResult {
    return {
      requests: this.requests,
      reads: this.reads,
      writes: this.writes,
      bytes: this.bytes,
      latency: this.latency,
      batchCycles: this.batchTimes.slice(0, this.batchCount),
      firstArrivalCycle: this.requests === 0 ? 0 : this.firstArrival,
      lastCompletionCycle: this.lastCompletion,
      occupancyCycles: this.occupancy,
    };
  }

  /** Ensures a pending record; false once the stream is exhausted. */
  private fetch(): boolean {
    if (this.havePending) return true;
    if (this.exhausted) return false;
    if (!this.stream.next(this.rec)) {
      this.exhausted = true;
      return false;
    }
    if (!this.batched) {
      if (this.rec.cycle < this.lastRecordCycle) {
        throw new SimError(`TraceDriver: request ${this.requests + 1}: cycle ${this.rec.cycle} is before the previous request's cycle ${this.lastRecordCycle}; expected non-decreasing times`);
      }
      this.lastRecordCycle = this.rec.cycle;
    }
    this.havePending = true;
    return true;
  }

  private accrue(now: number): void {
    this.occupancy += this.outstanding * (now - this.lastChange);
    this.lastChange = now;
  }

  /** Adds ids to the free list (called when it is empty). */
  private growIds(): void {
    const old = this.idCapacity;
    const next = old === 0 ? 1024 : old * 2;
    if (next > this.arrival.length) {
      this.arrival = grown(this.arrival, next);
      this.batchOf = grown(this.batchOf, next);
    }
    this.freeIds = new Int32Array(next);
    for (let i = next - 1; i >= old; i--) this.freeIds[this.freeCount++] = i;
    this.idCapacity = next;
  }

  private recordBatch(cycles: number): void {
    if (this.batchCount === this.batchTimes.length) {
      this.batchTimes = grown(this.batchTimes, this.batchCount * 2);
    }
    this.batchTimes[this.batchCount++] = cycles;
  }
}
