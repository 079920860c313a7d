import test from 'ava';
import { NvmeDevice, nvmeRandomReadIopsBound, type ResolvedNvmePreset } from '../../../src/memory/index.ts';
import { anyPreset, oneRead, stream } from '../systemHelpers.ts';

const p = (): ResolvedNvmePreset => anyPreset('nvme-gen5') as ResolvedNvmePreset;

test('nvmeDevice: a 160-byte read costs a whole 4 KiB page when it lies inside one page', (t) => {
  const dev = new NvmeDevice(p());
  oneRead(dev, 4096 * 10 + 100, 160);
  t.is(dev.stats().busBytes, 4096);
  t.is(dev.stats().extra['pagesRead'], 1);
  t.is(dev.stats().bytesRequested, 160);
});

test('nvmeDevice: a row that straddles a page boundary reads both pages', (t) => {
  const dev = new NvmeDevice(p());
  oneRead(dev, 4096 - 32, 160);
  t.is(dev.stats().extra['pagesRead'], 2);
});

test('nvmeDevice: refuses a command beyond its queue depth until one completes', (t) => {
  const dev = new NvmeDevice(p());
  let accepted = 0;
  while (dev.issue({ id: accepted, addr: accepted * 4096, isWrite: false, sizeBytes: 4096, arrivalCycle: 0 }, 0)) accepted++;
  t.is(accepted, p().queueDepth);
});

test('nvmeDevice: a read of a page already being read shares its flash read when the controller merges', (t) => {
  const merging = new NvmeDevice(p(), { mergeDuplicates: 'controller' });
  stream(merging, 8, 4096, () => 4096 * 5);
  t.is(merging.stats().extra['pagesRead'], 1);
  t.is(merging.stats().mergedRequests, 7);
  const plain = new NvmeDevice(p(), { mergeDuplicates: 'off' });
  stream(plain, 8, 4096, () => 4096 * 5);
  t.is(plain.stats().extra['pagesRead'], 8);
});

test('nvmePreset: the random-read bound is the IOPS ceiling when flash and link are faster', (t) => {
  t.is(nvmeRandomReadIopsBound(p()), 2.5e6);
  t.is(p().peakBandwidthGBps, 13);
});
