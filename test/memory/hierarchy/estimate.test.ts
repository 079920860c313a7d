import test from 'ava';
import { SimError } from '../../../src/core/index.ts';
import { estimateGather, estimateGatherNs } from '../../../src/memory/index.ts';
import { h100System } from '../systemHelpers.ts';

test('estimate: a zero-copy gather from host DRAM is bound by root-port credits on the H100 preset', (t) => {
  const e = estimateGather(h100System(), { rows: 8192, uniqueRows: 8000, rowBytes: 160 });
  t.is(e.fetchedRows, 8000);
  t.is(e.bound, 'rootPortCredits');
  t.is(e.totalNs, e.latencyNs + e.drainNs);
  t.true(Object.keys(e.boundsNs).includes('pcieTags'));
  t.is(estimateGatherNs(h100System(), { rows: 8192, uniqueRows: 8000, rowBytes: 160 }), e.totalNs);
});

test('estimate: merging off fetches every lookup, and an empty batch costs nothing', (t) => {
  const system = h100System();
  t.is(estimateGather(system, { rows: 100, uniqueRows: 10, rowBytes: 160, mergeDuplicates: 'off' }).fetchedRows, 100);
  t.is(estimateGatherNs(system, { rows: 0, uniqueRows: 0, rowBytes: 160 }), 0);
});

test('estimate: NVMe with GDS is bound by the SSD\'s IOPS, staging by its two phases', (t) => {
  const gds = h100System({ tiers: [{ kind: 'nvme', preset: 'nvme-gen5', pageCacheBytes: 0, gds: true }] });
  t.is(estimateGather(gds, { rows: 10000, uniqueRows: 10000, rowBytes: 160 }).bound, 'nvmeIops');
  t.is(estimateGather(h100System({ transfer: 'staging' }), { rows: 4096, uniqueRows: 4096, rowBytes: 160 }).bound, 'stagingGatherThenDma');
});

test('estimate: names the inputs when uniqueRows exceeds rows', (t) => {
  const error = t.throws(() => estimateGather(h100System(), { rows: 1, uniqueRows: 2, rowBytes: 160 }), { instanceOf: SimError });
  t.snapshot(error?.message);
});
