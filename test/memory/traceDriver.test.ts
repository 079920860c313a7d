import test from 'ava';
import { SimError } from '../../src/core/index.ts';
import { runEngine, TraceDriver } from '../../src/memory/index.ts';
import { ListStream, device } from './helpers.ts';

test('traceDriver: never has more requests outstanding than the window when the device could take more', (t) => {
  const dev = device('hbm2-2000');
  let peak = 0;
  const records = Array.from({ length: 200 }, (_, i) => ({ addr: i * 4096 }));
  const driver = new TraceDriver(new ListStream(records), { mode: 'timed', window: 3 });
  const watched = {
    kind: dev.kind, name: dev.name, tCkPs: dev.tCkPs, accessBytes: dev.accessBytes, peakBandwidthGBps: dev.peakBandwidthGBps,
    minReadLatencyCycles: dev.minReadLatencyCycles, minWriteLatencyCycles: dev.minWriteLatencyCycles,
    issue: (r: Parameters<typeof dev.issue>[0], now: number) => { const ok = dev.issue(r, now); peak = Math.max(peak, dev.outstandingRequests()); return ok; },
    tick: dev.tick.bind(dev), nextEventCycle: dev.nextEventCycle.bind(dev), outstandingRequests: dev.outstandingRequests.bind(dev), stats: dev.stats.bind(dev),
  };
  runEngine(watched, driver);
  t.is(peak, 3);
  t.is(driver.result().requests, 200);
});

test('traceDriver: issues a timed request no earlier than its trace cycle when the device is idle', (t) => {
  const dev = device('hbm2-2000');
  const driver = new TraceDriver(new ListStream([{ addr: 0, cycle: 1000 }]), { mode: 'timed', window: Infinity });
  runEngine(dev, driver);
  const r = driver.result();
  t.is(r.firstArrivalCycle, 1000);
  t.is(r.lastCompletionCycle, 1000 + r.latency.max);
});

test('traceDriver: starts a batch only when every request of the previous batch has completed', (t) => {
  const dev = device('ddr4-3200');
  const records = [0, 1, 2, 3].flatMap((batch) => [0, 1, 2].map((k) => ({ addr: (batch * 3 + k) * 1_048_576, batch })));
  const driver = new TraceDriver(new ListStream(records), { mode: 'batched', window: Infinity });
  runEngine(dev, driver);
  const r = driver.result();
  t.is(r.batchCycles.length, 4);
  // Batches run back to back, so their times add up to the whole run.
  t.is(r.batchCycles.reduce((a, b) => a + b, 0), r.lastCompletionCycle);
});

test('traceDriver: names the request when timed records go backwards in time', (t) => {
  const driver = new TraceDriver(new ListStream([{ cycle: 5 }, { cycle: 3 }]), { mode: 'timed', window: Infinity });
  const error = t.throws(() => runEngine(device('hbm2-2000'), driver), { instanceOf: SimError });
  t.snapshot(error?.message);
});
