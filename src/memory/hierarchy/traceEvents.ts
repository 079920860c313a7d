// Chrome / Perfetto trace-event JSON of a window of batches (the "traceEvents" array format, complete
// 'X' events in microseconds): each batch's compute window, its gather, the exposed part and per-tier rows.
export interface TraceEvent {
  readonly name: string;
  readonly ph: 'X' | 'M';
  /** Start in microseconds. */
  readonly ts: number;
  /** Duration in microseconds. */
  readonly dur: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: Readonly<Record<string, string | number>>;
}

const PID = 1;
const TID_COMPUTE = 1;
const TID_GATHER = 2;
const TID_EXPOSED = 3;
/** Tier t's rows go on thread TID_TIER0 + t. */
const TID_TIER0 = 10;

const us = (ps: number): number => ps / 1e6;

/** Records batches [fromBatch, fromBatch + batches) and at most maxRowEvents row spans. */
export class TraceRecorder {
  private readonly out: TraceEvent[] = [];
  private rowEvents = 0;

  constructor(
    readonly fromBatch: number,
    readonly batches: number,
    readonly maxRowEvents: number,
    private readonly tierNames: readonly string[],
  ) {}

  private inWindow(batch: number): boolean {
    return batch >= this.fromBatch && batch < this.fromBatch + this.batches;
  }

  batchStart(batch: number, startPs: number, prefetchPs: number): void {
    if (!this.inWindow(batch) || prefetchPs === 0) return;
    this.out.push({ name: `batch ${batch} compute window`, ph: 'X', ts: us(startPs), dur: us(prefetchPs), pid: PID, tid: TID_COMPUTE });
  }

  batchEnd(batch: number, startPs: number, endPs: number, prefetchPs: number): void {
    if (!this.inWindow(batch)) return;
    this.out.push({ name: `batch ${batch} gather`, ph: 'X', ts: us(startPs), dur: us(endPs - startPs), pid: PID, tid: TID_GATHER });
    if (endPs > startPs + prefetchPs) {
      this.out.push({ name: `batch ${batch} exposed`, ph: 'X', ts: us(startPs + prefetchPs), dur: us(endPs - startPs - prefetchPs), pid: PID, tid: TID_EXPOSED });
    }
  }

  fetch(batch: number, tier: number, startPs: number, endPs: number): void {
    if (!this.inWindow(batch) || this.rowEvents >= this.maxRowEvents) return;
    this.rowEvents++;
    this.out.push({ name: `row from ${this.tierNames[tier] ?? `tier ${tier}`}`, ph: 'X', ts: us(startPs), dur: us(endPs - startPs), pid: PID, tid: TID_TIER0 + tier });
  }

  /** The events with thread-name metadata first, so viewers label the tracks. */
  events(): TraceEvent[] {
    const names: TraceEvent[] = [
      ['compute window (prefetch)', TID_COMPUTE],
      ['batch gather', TID_GATHER],
      ['exposed gather', TID_EXPOSED],
      ...this.tierNames.map((n, i): [string, number] => [`rows: ${n}`, TID_TIER0 + i]),
    ].map(([name, tid]) => ({ name: 'thread_name', ph: 'M' as const, ts: 0, dur: 0, pid: PID, tid: tid as number, args: { name: name as string } }));
    return [...names, ...this.out];
  }
}
