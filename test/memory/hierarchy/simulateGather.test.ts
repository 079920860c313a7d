import test from 'ava';
import { Rng, SimError } from '../../../src/core/index.ts';
import { simulateEngramGather, type GatherRunOptions, type MemorySystemSpec } from '../../../src/memory/index.ts';
import { h100System } from '../systemHelpers.ts';

const batchOf = (seed: string, n: number, span = 10_000_000): Uint32Array => {
  const rng = new Rng(seed);
  return Uint32Array.from({ length: n }, () => rng.nextInt(span));
};

const run = (spec: MemorySystemSpec, batches: Uint32Array[], options: Partial<GatherRunOptions> = {}) =>
  simulateEngramGather(h100System(spec), { rowBytes: 160, batches }, { mergeDuplicates: 'gather', ...options });

test('simulateGather: merging at the gather engine fetches each distinct row once per batch, and off fetches every lookup', (t) => {
  const batch = Uint32Array.of(1, 2, 1, 3, 2, 1);
  const merged = run({}, [batch]);
  t.is(merged.lookups, 6);
  t.is(merged.fetches, 3);
  t.is(merged.mergedLookups, 3);
  const plain = run({}, [batch], { mergeDuplicates: 'off' });
  t.is(plain.fetches, 6);
  t.true(plain.gatherNs.mean >= merged.gatherNs.mean);
});

test('simulateGather: an LRU HBM cache serves the second batch of a repeated set of rows from HBM', (t) => {
  const batch = batchOf('lru', 500);
  const r = run({ hbmCache: { capacityBytes: 1 << 20, policy: 'lru' } }, [batch, batch]);
  t.is(r.hitRates.hbmCache, 0.5);
  t.is(r.tiers[0]!.fetches, new Set(batch).size);
  t.true(r.gatherNs.p50 < r.gatherNs.p99, 'the cached batch is the faster one');
});

test('simulateGather: the exposed time is the gather beyond the prefetch window, per batch', (t) => {
  const batches = [batchOf('a', 300), batchOf('b', 300)];
  const none = run({}, batches);
  t.is(none.exposedNs.mean, none.gatherNs.mean);
  const hidden = run({}, batches, { prefetchNs: 1e6 });
  t.is(hidden.exposedNs.total, 0);
  t.is(hidden.simulatedNs, 2e6);
  const partial = run({}, batches, { prefetchNs: none.gatherNs.p50 / 2 });
  t.true(partial.exposedNs.mean > 0 && partial.exposedNs.mean < partial.gatherNs.mean);
});

test('simulateGather: staging moves the batch with one copy-engine DMA after the CPU gather', (t) => {
  const r = run({ transfer: 'staging' }, [batchOf('staging', 400)]);
  const down = r.links.find((l) => l.name.endsWith('downstream'))!;
  // The DMA reads only the staged rows: 400 rows of 160 B in 512-byte requests, 256-byte completions.
  t.is(down.payloadBytes, 400 * 160);
  t.true(r.tiers[1]!.readAmplification! > 2, 'host DRAM reads each row, then the staging buffer again');
});

test('simulateGather: an NVMe tier without GDS fills the page cache and reuses its pages in the next batch', (t) => {
  const batch = batchOf('nvme', 200, 1 << 24);
  const r = run({ tiers: [{ kind: 'nvme', preset: 'nvme-gen5', pageCacheBytes: 64 << 20, gds: false }] }, [batch, batch]);
  t.is(r.hitRates.pageCache, 0.5);
  t.true(r.gatherNs.p99 > 50_000, 'the first batch waits for flash reads (tR 55 us)');
  t.true(r.gatherNs.p50 < 10_000, 'the second reads host DRAM only');
});

test('simulateGather: rows past the first tier\'s capacity come from the next tier', (t) => {
  const rows = 1000;
  const r = run({ tiers: [{ kind: 'host-dram', capacityBytes: rows * 160 }, { kind: 'cxl', preset: 'cxl2-x16-asic' }] }, [Uint32Array.of(0, 999, 1000, 5000)]);
  t.deepEqual(r.tiers.map((x) => x.fetches), [0, 2, 2]);
  t.deepEqual(r.tiers.map((x) => x.placedRows), [0, rows, null]);
  t.is(r.tiers[2]!.firstRow, rows);
});

test('simulateGather: the Perfetto window holds complete events with names, phases, times and tracks', (t) => {
  const r = run({}, [batchOf('p1', 50), batchOf('p2', 50), batchOf('p3', 50)], { prefetchNs: 2000, perfetto: { fromBatch: 1, batches: 1 } });
  const events = r.traceEvents!;
  const complete = events.filter((e) => e.ph === 'X');
  t.true(complete.some((e) => e.name === 'batch 1 gather'));
  t.false(complete.some((e) => e.name.startsWith('batch 0') || e.name.startsWith('batch 2')));
  t.true(complete.every((e) => e.ts >= 0 && e.dur >= 0 && e.pid === 1 && Number.isInteger(e.tid)));
  t.is(complete.filter((e) => e.name.startsWith('row from')).length, new Set(batchOf('p2', 50)).size);
  t.true(events.some((e) => e.ph === 'M' && e.args?.['name'] === 'batch gather'));
});

test('simulateGather: results are identical when the same run is repeated', (t) => {
  const a = run({}, [batchOf('same', 300)]);
  const b = run({}, [batchOf('same', 300)]);
  t.deepEqual(a, b);
});

test('simulateGather: the static policy needs a profile, named in the error', (t) => {
  const error = t.throws(() => run({ hbmCache: { capacityBytes: 1 << 20, policy: 'static' } }, [batchOf('s', 10)]), { instanceOf: SimError });
  t.snapshot(error?.message);
});
