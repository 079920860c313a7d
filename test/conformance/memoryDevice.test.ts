// Every memory preset, through the registry, runs the same MemoryDevice contract suite (style.md
// convention 8): unloaded latency, completion never before arrival + minimum latency, bytes conserved,
// every accepted request completed exactly once (with and without merging), back-pressure respected.
import test from 'ava';
import { Rng } from '../../src/core/index.ts';
import { createMemoryDevice, memoryRegistry, runEngine, unloadedReadBoundCycles, type MemoryDevice, type RequestSource } from '../../src/memory/index.ts';
import { anyPreset as preset, presetNames } from '../memory/helpers.ts';

const MERGE_MODES = ['off', 'controller'] as const;

/** A source that offers `count` mixed requests as fast as the device takes them and checks each completion. */
class CheckingSource implements RequestSource {
  readonly arrival: number[] = [];
  readonly isWrite: boolean[] = [];
  readonly completions: number[] = [];
  readonly errors: string[] = [];
  refusals = 0;
  bytesOffered = 0;
  private next = 0;
  private lastCompletion = 0;
  private readonly addrs: number[] = [];
  private readonly sizes: number[] = [];

  constructor(count: number, capacityBytes: number, seed: string, private readonly dev: MemoryDevice) {
    const rng = new Rng(seed);
    for (let i = 0; i < count; i++) {
      // A third of the requests repeat a recent address, so merging has duplicates to find.
      const repeat = i > 8 && rng.nextFloat() < 0.33;
      this.addrs.push(repeat ? this.addrs[i - 1 - rng.nextInt(8)]! : rng.nextInt(Math.min(capacityBytes, 2 ** 32) / 64) * 64 + (rng.nextFloat() < 0.2 ? rng.nextInt(64) : 0));
      this.sizes.push(rng.nextFloat() < 0.7 ? 64 : 1 + rng.nextInt(512));
      this.isWrite.push(rng.nextFloat() < 0.2);
    }
  }

  nextIssueCycle(): number {
    return this.next < this.addrs.length ? 0 : Infinity;
  }

  issueDue(now: number, device: MemoryDevice): boolean {
    while (this.next < this.addrs.length) {
      const id = this.next;
      if (!device.issue({ id, addr: this.addrs[id]!, isWrite: this.isWrite[id]!, sizeBytes: this.sizes[id]!, arrivalCycle: now }, now)) {
        this.refusals++;
        return false;
      }
      this.arrival[id] = now;
      this.completions[id] = 0;
      this.bytesOffered += this.sizes[id]!;
      this.next++;
    }
    return true;
  }

  complete(id: number, cycle: number): void {
    if (this.arrival[id] === undefined) this.errors.push(`request ${id} completed but was never accepted`);
    this.completions[id] = (this.completions[id] ?? 0) + 1;
    const min = this.isWrite[id] ? this.dev.minWriteLatencyCycles : this.dev.minReadLatencyCycles;
    const merged = this.dev.stats().mergedRequests > 0 && !this.isWrite[id];
    // A merged read completes with the in-flight read it joined: later than its arrival, maybe sooner than min.
    if (cycle - this.arrival[id]! < (merged ? 1 : min)) this.errors.push(`request ${id} took ${cycle - this.arrival[id]!} cycles, below the minimum ${min}`);
    if (cycle < this.lastCompletion) this.errors.push(`request ${id} completed at ${cycle}, before an earlier report at ${this.lastCompletion}`);
    this.lastCompletion = cycle;
  }

  done(): boolean {
    return this.next === this.addrs.length && this.completions.every((c) => c > 0);
  }
}

for (const name of presetNames()) {
  const resolved = preset(name);

  test(`${name}: resolves and builds a device when looked up through the registry entry of its kind`, (t) => {
    t.true(resolved.kind in memoryRegistry);
    const dev = createMemoryDevice(resolved, { mergeDuplicates: 'off' });
    t.is(dev.name, name);
    t.true(dev.peakBandwidthGBps > 0 && dev.accessBytes > 0 && dev.tCkPs > 0);
  });

  test(`${name}: an unloaded one-access read completes within its kind's closed-form bound when issued to an idle device`, (t) => {
    const dev = createMemoryDevice(resolved, { mergeDuplicates: 'off' });
    let done = -1;
    t.true(dev.issue({ id: 0, addr: 4096, isWrite: false, sizeBytes: dev.accessBytes, arrivalCycle: 0 }, 0));
    runEngine(dev, { nextIssueCycle: () => Infinity, issueDue: () => true, complete: (_id, c) => { done = c; }, done: () => done >= 0 });
    t.true(done >= dev.minReadLatencyCycles, `latency ${done} below the minimum ${dev.minReadLatencyCycles}`);
    // DRAM: closed bank, ACT + tRCD + CL + burst; links and SSDs: their closed forms (presetBounds.ts).
    const closed = unloadedReadBoundCycles(resolved);
    t.true(done <= closed, `unloaded latency ${done} exceeds the closed-form bound ${closed}`);
  });

  for (const merge of MERGE_MODES) {
    test(`${name}: every accepted request completes once, never early, with bytes conserved when merging is ${merge}`, (t) => {
      const dev = createMemoryDevice(resolved, { mergeDuplicates: merge });
      const source = new CheckingSource(3000, resolved.capacityBytes, `${name}/${merge}`, dev);
      runEngine(dev, source);
      t.deepEqual(source.errors, []);
      t.true(source.completions.every((c) => c === 1), 'some request completed more than once or never');
      t.is(dev.outstandingRequests(), 0);
      const stats = dev.stats();
      t.is(stats.requests, 3000);
      t.is(stats.bytesRequested, source.bytesOffered);
      t.is(stats.busBytes % dev.accessBytes, 0);
      if (merge === 'off') t.true(stats.busBytes >= stats.bytesRequested, 'without merging every requested byte crosses the bus');
      else t.true(stats.mergedRequests > 0, 'the duplicate addresses produced no merge');
    });
  }

  test(`${name}: refused requests are neither counted nor completed when the device applies back-pressure`, (t) => {
    const dev = createMemoryDevice(resolved, { mergeDuplicates: 'off' });
    const source = new CheckingSource(2000, resolved.capacityBytes, `${name}/backpressure`, dev);
    runEngine(dev, source);
    t.true(source.refusals > 0, 'offering 2000 requests at once should fill the queues');
    t.is(dev.stats().requests, 2000);
    t.deepEqual(source.errors, []);
  });
}
