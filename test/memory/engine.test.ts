import test from 'ava';
import { SimError } from '../../src/core/index.ts';
import { runEngine, type CompletionSink, type MemoryDevice, type MemoryDeviceStats, type MemoryRequest, type RequestSource } from '../../src/memory/index.ts';

/** A device that completes each request a fixed number of cycles after it arrives and holds `capacity`. */
class FixedLatencyDevice implements MemoryDevice {
  readonly kind = 'test';
  readonly name = 'fixed';
  readonly tCkPs = 1000;
  readonly accessBytes = 64;
  readonly peakBandwidthGBps = 64;
  readonly minReadLatencyCycles: number;
  readonly minWriteLatencyCycles: number;
  readonly ticks: number[] = [];
  private pending: { id: number; at: number }[] = [];
  constructor(private readonly latency: number, private readonly capacity: number) {
    this.minReadLatencyCycles = latency;
    this.minWriteLatencyCycles = latency;
  }
  issue(req: MemoryRequest, now: number): boolean {
    if (this.pending.length >= this.capacity) return false;
    this.pending.push({ id: req.id, at: now + this.latency });
    return true;
  }
  tick(now: number, sink: CompletionSink): void {
    this.ticks.push(now);
    const due = this.pending.filter((p) => p.at <= now);
    this.pending = this.pending.filter((p) => p.at > now);
    for (const p of due) sink.complete(p.id, p.at);
  }
  nextEventCycle(): number {
    return this.pending.reduce((m, p) => Math.min(m, p.at), Infinity);
  }
  outstandingRequests(): number {
    return this.pending.length;
  }
  stats(): MemoryDeviceStats {
    return { requests: 0, reads: 0, writes: 0, bytesRequested: 0, busBytes: 0, mergedRequests: 0, wrappedRequests: 0, extra: {} };
  }
}

/** Issues `count` requests as early as possible and records what the engine tells it. */
class GreedySource implements RequestSource {
  next = 0;
  readonly done_: { id: number; at: number; issuedBefore: number }[] = [];
  constructor(private readonly count: number) {}
  nextIssueCycle(): number {
    return this.next < this.count ? 0 : Infinity;
  }
  issueDue(now: number, device: MemoryDevice): boolean {
    while (this.next < this.count) {
      if (!device.issue({ id: this.next, addr: 0, isWrite: false, sizeBytes: 64, arrivalCycle: now }, now)) return false;
      this.next++;
    }
    return true;
  }
  complete(id: number, at: number): void {
    this.done_.push({ id, at, issuedBefore: this.next });
  }
  done(): boolean {
    return this.next === this.count && this.done_.length === this.count;
  }
}

test('engine: visits only cycles where the device has work when it sits idle in between', (t) => {
  const dev = new FixedLatencyDevice(100, 4);
  const source = new GreedySource(8);
  const result = runEngine(dev, source);
  t.is(result.finalCycle, 200);
  t.deepEqual(dev.ticks, [0, 100, 100, 200]);
  t.deepEqual(source.done_.map((d) => d.at), [100, 100, 100, 100, 200, 200, 200, 200]);
});

test('engine: a refused source retries in the cycle the device frees space when completions arrive', (t) => {
  const dev = new FixedLatencyDevice(10, 1);
  const source = new GreedySource(3);
  runEngine(dev, source);
  t.deepEqual(source.done_.map((d) => d.at), [10, 20, 30]);
});

test('engine: completions reach the source in the commit phase when the device has ticked the cycle', (t) => {
  const dev = new FixedLatencyDevice(5, 8);
  const source = new GreedySource(2);
  runEngine(dev, source);
  // Both completions of cycle 5 are delivered together, after the tick that produced them.
  t.deepEqual(source.done_.map((d) => d.at), [5, 5]);
  t.deepEqual(dev.ticks, [0, 5]);
});

test('engine: throws a SimError naming the device and cycle when the source waits for completions that never come', (t) => {
  const dev = new FixedLatencyDevice(5, 0);
  const error = t.throws(() => runEngine(dev, new GreedySource(1)), { instanceOf: SimError });
  t.snapshot(error?.message);
});
