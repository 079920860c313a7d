import test from 'ava';
import { SimError } from '../../src/core/index.ts';
import { AddressRouter, HbmServer, runEngine } from '../../src/memory/index.ts';

const server = (name: string): HbmServer => new HbmServer(name, 1000, 100_000);

test('addressRouter: a request reaches the window that holds its address, relative to the window base', (t) => {
  const low = server('low');
  const high = server('high');
  const router = new AddressRouter('map', [{ baseBytes: 0, sizeBytes: 1 << 20, device: low }, { baseBytes: 1 << 20, sizeBytes: 1 << 20, device: high }]);
  let done = 0;
  t.true(router.issue({ id: 1, addr: (1 << 20) + 64, isWrite: false, sizeBytes: 32, arrivalCycle: 0 }, 0));
  runEngine(router, { nextIssueCycle: () => Infinity, issueDue: () => true, complete: () => void done++, done: () => done === 1 });
  t.is(high.stats().requests, 1);
  t.is(low.stats().requests, 0);
  t.is(router.stats().requests, 1);
});

test('addressRouter: rejects overlapping windows, addresses outside every window and requests that cross a window end', (t) => {
  const e1 = t.throws(() => new AddressRouter('map', [{ baseBytes: 0, sizeBytes: 100, device: server('a') }, { baseBytes: 50, sizeBytes: 100, device: server('b') }]), { instanceOf: SimError });
  t.snapshot(e1?.message);
  const router = new AddressRouter('map', [{ baseBytes: 0, sizeBytes: 1024, device: server('a') }]);
  const e2 = t.throws(() => router.issue({ id: 1, addr: 4096, isWrite: false, sizeBytes: 64, arrivalCycle: 0 }, 0), { instanceOf: SimError });
  t.snapshot(e2?.message);
  const e3 = t.throws(() => router.issue({ id: 1, addr: 1000, isWrite: false, sizeBytes: 64, arrivalCycle: 0 }, 0), { instanceOf: SimError });
  t.snapshot(e3?.message);
});
