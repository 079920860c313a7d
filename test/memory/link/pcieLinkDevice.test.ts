import test from 'ava';
import { SimError } from '../../../src/core/index.ts';
import { PcieLinkDevice, type ResolvedPcieLinkPreset } from '../../../src/memory/index.ts';
import { anyPreset, oneRead, stream } from '../systemHelpers.ts';

const p = (): ResolvedPcieLinkPreset => anyPreset('pcie-gen5-x16') as ResolvedPcieLinkPreset;

test('pcieLinkDevice: a zero-copy 160-byte row becomes two read requests and two completions when it straddles a 128-byte line', (t) => {
  const dev = new PcieLinkDevice(p(), { mergeDuplicates: 'off' });
  oneRead(dev, 320, 160);
  // Pieces [320, 384) and [384, 480): one 24-byte MRd each up, completions of 64 and 96 bytes (+20 each) down.
  t.is(dev.upstream.wireBytes, 2 * 24);
  t.is(dev.downstream.wireBytes, 84 + 116);
  t.is(dev.stats().busBytes, 160);
  t.is(dev.stats().reads, 1);
});

test('pcieLinkDevice: a copy engine cuts a 64 KiB copy into 128 read requests of 512 bytes', (t) => {
  const dev = new PcieLinkDevice(p(), { mergeDuplicates: 'off', readMode: 'dma' });
  oneRead(dev, 0, 65536);
  // 128 MRds of 24 wire bytes upstream (Acks for the 256 completions add 8 B per 4).
  t.is(dev.upstream.wireBytes, 128 * 24 + (256 / 4) * 8);
  t.is(dev.stats().busBytes, 65536);
});

test('pcieLinkDevice: never holds more reads in flight than it has tags when offered far more', (t) => {
  const dev = new PcieLinkDevice(p(), { mergeDuplicates: 'off' });
  stream(dev, 3000, 128, (i) => i * 4096);
  t.true(dev.stats().extra['maxTagsInUse']! <= p().requester.tags);
  t.is(dev.outstandingRequests(), 0);
});

test('pcieLinkDevice: a write completes once the root complex has written it to memory', (t) => {
  const dev = new PcieLinkDevice(p(), { mergeDuplicates: 'off' });
  const latency = oneRead(dev, 8192, 512, 0, true);
  t.true(latency >= dev.minWriteLatencyCycles);
  t.is(dev.stats().writes, 1);
  t.is(dev.stats().busBytes, 512);
});

test('pcieLinkDevice: names the request and field when an address is not a non-negative integer', (t) => {
  const dev = new PcieLinkDevice(p(), { mergeDuplicates: 'off' });
  const error = t.throws(() => dev.issue({ id: 3, addr: -64, isWrite: false, sizeBytes: 64, arrivalCycle: 0 }, 0), { instanceOf: SimError });
  t.snapshot(error?.message);
});
