import test from 'ava';
import { SimError } from '../../../src/core/index.ts';
import { AddressDecoder, createMemoryDevice, mappingDimensions, resolveDramPreset, type MemoryDevice, type ResolvedDramPreset } from '../../../src/memory/index.ts';
import { addressOf, device, loadPresetFile, preset, singleLatency } from '../helpers.ts';

/** Issues all `reqs` at cycle `at` and returns completion cycles by request index. */
function runAll(dev: MemoryDevice, reqs: { addr: number; isWrite?: boolean; at?: number }[]): number[] {
  const done = new Array<number>(reqs.length).fill(-1);
  const sink = { complete: (id: number, cycle: number) => { done[id] = cycle; } };
  const order = reqs.map((r, i) => ({ ...r, i, at: r.at ?? 0 })).sort((a, b) => a.at - b.at);
  let k = 0;
  for (let guard = 0; done.includes(-1) && guard < 1_000_000; guard++) {
    const now = Math.min(order[k]?.at ?? Infinity, dev.nextEventCycle());
    while (k < order.length && order[k]!.at <= now) {
      const r = order[k++]!;
      if (!dev.issue({ id: r.i, addr: r.addr, isWrite: r.isWrite ?? false, sizeBytes: dev.accessBytes, arrivalCycle: now }, now)) throw new Error('refused');
    }
    dev.tick(now, sink);
  }
  return done;
}

test('dram: a read to a closed bank costs the ACT, tRCD, CL and the burst when the device is idle', (t) => {
  const p = preset('ddr4-3200');
  // Multi-cycle commands count their timing from their last cycle, so only the ACT's extra cycle adds.
  const expected = p.commandBus.actCycles - 1 + p.timing.tRcdCycles + p.timing.tClCycles + p.timing.burstCycles;
  t.is(singleLatency(device('ddr4-3200'), 0), expected);
});

test('dram: a second read to the open row costs only CL and the burst when it arrives after the first completes', (t) => {
  const p = preset('hbm2-2000');
  const dev = device('hbm2-2000');
  const first = singleLatency(dev, addressOf('hbm2-2000', { row: 7, column: 0 }));
  const second = singleLatency(dev, addressOf('hbm2-2000', { row: 7, column: 1 }), 200);
  t.is(first, 1 + p.timing.tRcdCycles + p.timing.tClCycles + p.timing.burstCycles);
  t.is(second, p.timing.tClCycles + p.timing.burstCycles);
});

test('dram: a read to another row of an open bank pays tRP before the ACT when tRAS has passed', (t) => {
  const p = preset('hbm2-2000');
  const dev = device('hbm2-2000');
  singleLatency(dev, addressOf('hbm2-2000', { row: 7 }));
  const conflict = singleLatency(dev, addressOf('hbm2-2000', { row: 8 }), 200);
  // tRP runs from PRE to the ACT's last cycle, so the two-cycle ACT adds nothing here.
  t.is(conflict, p.timing.tRpCycles + p.timing.tRcdCycles + p.timing.tClCycles + p.timing.burstCycles);
});

test('dram: reads to open rows are tCCD_S apart when in different bank groups and tCCD_L apart when in one', (t) => {
  const p = preset('ddr4-3200');
  const open = (dev: MemoryDevice, at: object[]): void => void runAll(dev, at.map((a) => ({ addr: addressOf('ddr4-3200', a) })));
  const devS = device('ddr4-3200');
  open(devS, [{ bankGroup: 0 }, { bankGroup: 1 }]);
  const [a, b] = runAll(devS, [{ addr: addressOf('ddr4-3200', { bankGroup: 0, column: 1 }), at: 500 }, { addr: addressOf('ddr4-3200', { bankGroup: 1, column: 1 }), at: 500 }]);
  t.is(b! - a!, Math.max(p.timing.tCcdSCycles, p.timing.burstCycles));
  const devL = device('ddr4-3200');
  open(devL, [{ bankGroup: 0 }]);
  const [c, d] = runAll(devL, [{ addr: addressOf('ddr4-3200', { bankGroup: 0, column: 1 }), at: 500 }, { addr: addressOf('ddr4-3200', { bankGroup: 0, column: 2 }), at: 500 }]);
  t.is(d! - c!, p.timing.tCcdLCycles);
});

test('dram: the fifth activate waits for tFAW when four banks were just opened', (t) => {
  const p = preset('ddr4-3200');
  const reqs = [0, 1, 2, 3].flatMap((g) => [0, 1].map((b) => ({ addr: addressOf('ddr4-3200', { bankGroup: g, bank: b }) }))).slice(0, 5);
  const done = runAll(device('ddr4-3200'), reqs);
  const sorted = [...done].sort((x, y) => x - y);
  // Activates 1-4 are tRRD_S apart (4 groups); the fifth starts tFAW after the first.
  t.true(sorted[4]! - sorted[0]! >= p.timing.tFawCycles);
  t.is(sorted[3]! - sorted[0]!, 3 * p.timing.tRrdSCycles);
});

test('dram: a write completes CWL plus the burst after its column command when the row is open', (t) => {
  const p = preset('hbm3-6400');
  const dev = device('hbm3-6400');
  singleLatency(dev, addressOf('hbm3-6400', { row: 3 }));
  t.is(singleLatency(dev, addressOf('hbm3-6400', { row: 3, column: 4 }), 300, true), p.timing.tCwlCycles + p.timing.burstCycles);
});

test('dram: the next row costs no tRP when the closed-page policy precharged after the access', (t) => {
  const p = preset('hbm2-2000');
  const dev = device('hbm2-2000', { pagePolicy: 'closed' });
  singleLatency(dev, addressOf('hbm2-2000', { row: 7 }));
  // Arrivals stay before the first per-bank refresh (tREFI / 16 banks = 243 cycles).
  t.is(singleLatency(dev, addressOf('hbm2-2000', { row: 8 }), 100), 1 + p.timing.tRcdCycles + p.timing.tClCycles + p.timing.burstCycles);
  t.is(singleLatency(dev, addressOf('hbm2-2000', { row: 8, column: 1 }), 180), 1 + p.timing.tRcdCycles + p.timing.tClCycles + p.timing.burstCycles);
});

test('dram: duplicate queued reads merge into one burst when mergeDuplicates is controller', (t) => {
  const addr = addressOf('hbm2-2000', { row: 5 });
  const off = device('hbm2-2000');
  const on = device('hbm2-2000', { mergeDuplicates: 'controller' });
  const doneOff = runAll(off, [{ addr }, { addr }, { addr }]);
  const doneOn = runAll(on, [{ addr }, { addr }, { addr }]);
  t.is(off.stats().busBytes, 3 * 64);
  t.is(on.stats().busBytes, 64);
  t.is(on.stats().mergedRequests, 2);
  t.deepEqual(doneOn, [doneOn[0]!, doneOn[0]!, doneOn[0]!]);
  t.true(doneOff[2]! > doneOff[0]!);
});

test('dram: a read arriving while an identical read is in flight completes with it when merging is on', (t) => {
  const p = preset('hbm2-2000');
  const addr = addressOf('hbm2-2000', { row: 5 });
  const dev = device('hbm2-2000', { mergeDuplicates: 'controller' });
  // The first read's RD issues at cycle 15 (ACT at 0, tRCD 14 from the ACT's second cycle); data ends at 31.
  const done = runAll(dev, [{ addr }, { addr, at: 20 }]);
  const first = 1 + p.timing.tRcdCycles + p.timing.tClCycles + p.timing.burstCycles;
  t.deepEqual(done, [first, first]);
  t.is(dev.stats().busBytes, 64);
  // Arriving in the cycle the data has already crossed the bus is too late: it needs its own access.
  const late = device('hbm2-2000', { mergeDuplicates: 'controller' });
  runAll(late, [{ addr }, { addr, at: first }]);
  t.is(late.stats().mergedRequests, 0);
});

test('dram: two reads of one burst do not merge when a write to it came between them', (t) => {
  const addr = addressOf('hbm2-2000', { row: 5 });
  const dev = device('hbm2-2000', { mergeDuplicates: 'controller' });
  runAll(dev, [{ addr }, { addr, isWrite: true }, { addr }]);
  t.is(dev.stats().mergedRequests, 0);
  t.is(dev.stats().busBytes, 3 * 64);
});

test('dram: issue refuses a request when its channel queue is full and accepts after the queue drains', (t) => {
  const dev = device('ddr4-3200', { queueDepth: 2 });
  const req = (id: number) => ({ id, addr: id * 64 * 1024 * 1024, isWrite: false, sizeBytes: 64, arrivalCycle: 0 });
  t.true(dev.issue(req(0), 0));
  t.true(dev.issue(req(1), 0));
  t.false(dev.issue(req(2), 0));
  t.is(dev.stats().requests, 2);
  const sink = { complete: () => {} };
  let now = 0;
  while (dev.outstandingRequests() === 2) dev.tick((now = dev.nextEventCycle()), sink);
  t.true(dev.issue({ ...req(2), arrivalCycle: now }, now));
});

test('dram: a request spanning several bursts completes when its last burst does and moves whole bursts', (t) => {
  const dev = device('hbm3-6400');
  const done = runAll(dev, [{ addr: 16 }]);
  t.true(done[0]! > 0);
  // hbm3 bursts are 32 bytes: bytes 16..79 touch three of them.
  const d2 = device('hbm3-6400');
  const sink = { complete: () => {} };
  t.true(d2.issue({ id: 0, addr: 16, isWrite: false, sizeBytes: 64, arrivalCycle: 0 }, 0));
  while (d2.outstandingRequests() > 0) d2.tick(d2.nextEventCycle(), sink);
  t.is(d2.stats().busBytes, 96);
  t.is(d2.stats().bytesRequested, 64);
});

test('dram: refresh blocks a bank for tRFC so a read arriving just after REF waits when traffic is steady', (t) => {
  const p = preset('ddr4-3200');
  const dev = device('ddr4-3200');
  const interval = p.timing.tRefiCycles;
  // The first all-bank refresh is due one interval in; a read issued then waits for PRE/REF/tRFC.
  const latency = singleLatency(dev, 0, interval + 1);
  t.true(latency >= p.timing.tRfcCycles, `latency ${latency} < tRFC ${p.timing.tRfcCycles}`);
  t.true((dev.stats().extra['refreshes'] ?? 0) >= 1);
});

test('dram: addresses beyond the capacity wrap around and are counted when the trace outgrows the device', (t) => {
  const p = preset('ddr4-3200');
  const dev = device('ddr4-3200');
  singleLatency(dev, p.capacityBytes + 128);
  t.is(dev.stats().wrappedRequests, 1);
});

test('dram: issue names the request, field and value when a request is malformed', (t) => {
  const dev = device('hbm2-2000');
  const error = t.throws(() => dev.issue({ id: 9, addr: -64, isWrite: false, sizeBytes: 64, arrivalCycle: 0 }, 0), { instanceOf: SimError });
  t.snapshot(error?.message);
  t.snapshot(t.throws(() => dev.issue({ id: 10, addr: 0, isWrite: false, sizeBytes: 0, arrivalCycle: 0 }, 0))?.message);
  t.snapshot(t.throws(() => dev.issue({ id: 11, addr: 0, isWrite: false, sizeBytes: 64, arrivalCycle: 5 }, 3))?.message);
});

test('dram: a read after a write to another bank group waits CWL + burst + tWTR_S when both rows are open', (t) => {
  const p = preset('ddr4-3200');
  const dev = device('ddr4-3200');
  runAll(dev, [{ addr: addressOf('ddr4-3200', { bankGroup: 0 }) }, { addr: addressOf('ddr4-3200', { bankGroup: 1 }) }]);
  const at = 500;
  const [, read] = runAll(dev, [{ addr: addressOf('ddr4-3200', { bankGroup: 0, column: 1 }), isWrite: true, at }, { addr: addressOf('ddr4-3200', { bankGroup: 1, column: 1 }), at }]);
  const tm = p.timing;
  t.is(read! - at, tm.tCwlCycles + tm.burstCycles + tm.tWtrSCycles + tm.tClCycles + tm.burstCycles);
});

test('dram: a write after a read waits until the read burst has left the bus plus the turnaround when both rows are open', (t) => {
  const p = preset('ddr4-3200');
  const dev = device('ddr4-3200');
  runAll(dev, [{ addr: addressOf('ddr4-3200', { bankGroup: 0 }) }, { addr: addressOf('ddr4-3200', { bankGroup: 1 }) }]);
  const at = 500;
  const [, write] = runAll(dev, [{ addr: addressOf('ddr4-3200', { bankGroup: 0, column: 1 }), at }, { addr: addressOf('ddr4-3200', { bankGroup: 1, column: 1 }), isWrite: true, at }]);
  const tm = p.timing;
  // WR issues at CL + burst + turnaround - CWL after the RD, then its data takes CWL + burst.
  t.is(write! - at, tm.tClCycles + tm.burstCycles + tm.tRtwTurnaroundCycles + tm.burstCycles);
});

test('dram: reads from two ranks are a burst plus tRTRS apart when a dual-rank DIMM has both rows open', (t) => {
  const loader = (name: string) => {
    const { data, file } = loadPresetFile(name);
    const doc = structuredClone(data) as { organization: { ranks: number } };
    doc.organization.ranks = 2;
    return { data: doc, file };
  };
  const p = resolveDramPreset('ddr4-3200', loader);
  const dev = createMemoryDevice(p, { mergeDuplicates: 'off' });
  const at = (fields: object) => new AddressDecoderHelper(p).address(fields);
  runAll(dev, [{ addr: at({ rank: 0 }) }, { addr: at({ rank: 1 }) }]);
  const [a, b] = runAll(dev, [{ addr: at({ rank: 0, column: 1 }), at: 500 }, { addr: at({ rank: 1, column: 1 }), at: 500 }]);
  t.is(b! - a!, p.timing.burstCycles + p.timing.tRtrsCycles);
  // Each rank refreshes on its own schedule.
  const ranksRefreshed = singleLatency(dev, at({ rank: 1 }), p.timing.tRefiCycles * 3);
  t.true(ranksRefreshed > 0 && (dev.stats().extra['refreshes'] ?? 0) >= 4);
});

/** Byte addresses for a resolved preset's default mapping. */
class AddressDecoderHelper {
  private readonly decoder: AddressDecoder;
  constructor(private readonly p: ResolvedDramPreset) {
    this.decoder = new AddressDecoder(p.addressMapping, mappingDimensions(p), { file: p.name, path: 'addressMapping' });
  }
  address(fields: object): number {
    return this.decoder.encode({ channel: 0, rank: 0, bankGroup: 0, bank: 0, row: 0, column: 0, ...fields }) * this.p.burstBytes;
  }
}
