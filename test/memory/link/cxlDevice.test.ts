import test from 'ava';
import { CxlDevice, cxlMessageSlots, cxlReadEfficiency, cxlWireBytes, type ResolvedCxlPreset } from '../../../src/memory/index.ts';
import { anyPreset, oneRead } from '../systemHelpers.ts';

const p = (): ResolvedCxlPreset => anyPreset('cxl2-x16-asic') as ResolvedCxlPreset;

test('cxlDevice: a 64-byte read costs one request slot down and four data slots plus a third of a header slot up', (t) => {
  const dev = new CxlDevice(p(), { mergeDuplicates: 'off' });
  oneRead(dev, 4096, 64);
  t.is(dev.m2s.wireBytes, cxlWireBytes(p(), 1));
  t.true(Math.abs(dev.s2m.wireBytes - (68 / 4) * (4 + 1 / 3)) < 1e-9);
  t.is(cxlMessageSlots(4, 3), 4 + 1 / 3);
});

test('cxlDevice: a 160-byte request spans three or four 64-byte lines depending on its alignment', (t) => {
  const aligned = new CxlDevice(p(), { mergeDuplicates: 'off' });
  oneRead(aligned, 4096, 160);
  t.is(aligned.stats().busBytes, 192);
  const straddling = new CxlDevice(p(), { mergeDuplicates: 'off' });
  oneRead(straddling, 4096 + 48, 160);
  t.is(straddling.stats().busBytes, 256);
});

test('cxlDevice: a write completes with its no-data response after the media has written it', (t) => {
  const dev = new CxlDevice(p(), { mergeDuplicates: 'off' });
  t.true(oneRead(dev, 0, 64, 0, true) >= dev.minWriteLatencyCycles);
  t.is(dev.stats().writes, 1);
});

test('cxlPreset: a read stream moves 64 bytes per 73.7 wire bytes, times 128/130', (t) => {
  t.true(Math.abs(cxlReadEfficiency(p()) - (64 / ((68 / 4) * (4 + 1 / 3))) * (128 / 130)) < 1e-12);
  t.is(p().media.name, 'ddr5-4800-2ch');
  t.is(p().capacityBytes, p().media.capacityBytes);
});
