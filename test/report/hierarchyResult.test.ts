import test from 'ava';
import { SpecError } from '../../src/core/index.ts';
import { hierarchyInputs, hierarchySeries, parseHierarchyResult, uniqueNames } from '../../src/report/index.ts';
import { loadHierarchyFixture } from './fixtures.ts';

test('hierarchySeries: gives one row per tier with its lookup share, payload and media bandwidth when given a four-tier run', (t) => {
  const h = loadHierarchyFixture();
  const [tiers, links] = hierarchySeries(h, uniqueNames());
  t.is(tiers!.kind, 'tiers');
  t.deepEqual(tiers!.rows.map((r) => r[1]), ['hbm', 'host-dram', 'cxl', 'nvme']);
  const share = tiers!.columns.indexOf('lookupShare');
  const sum = tiers!.rows.reduce((s, r) => s + (r[share] as number), 0);
  t.true(Math.abs(sum - 1) < 1e-12, `lookup shares sum to ${sum}`);
  // The HBM cache's share of lookups is the run's HBM hit rate.
  t.is(tiers!.rows[0]![share], h.result.hitRates.hbmCache!);
  t.deepEqual(tiers!.rows.map((r) => r[tiers!.columns.indexOf('payloadGBps')]), h.result.tiers.map((x) => x.bandwidthGBps));
  t.deepEqual(tiers!.rows.map((r) => r[tiers!.columns.indexOf('mediaGBps')]), h.result.tiers.map((x) => x.mediaBandwidthGBps));
  t.deepEqual(links!.rows.map((r) => r[0]), h.result.links.map((l) => l.name));
});

test('hierarchyInputs: names the run file, system, workload and its seed, and the hit rates', (t) => {
  t.is(
    hierarchyInputs(loadHierarchyFixture()),
    'engram-dse hierarchy (test/report/fixtures/hierarchy-4tier.json) on h800-sxm, zero-copy transfer; zipf(1) over offload-100b (1250002714 rows), 8 batches of 512 tokens, seed 0; ' +
      '160-byte rows; prefetch 0 ns; duplicates merged: gather; 8 batches, 65536 lookups; hit rates: HBM cache 26.5 %, page cache 0.1 %; no profile',
  );
});

test('hierarchyInputs: says a trace replay has no random draws when the workload names no seed', (t) => {
  const h = loadHierarchyFixture();
  const trace = { ...h, result: { ...h.result, workload: 'trace brown.egt (brown, 1000 tokens, 1 batches from token 250)' } };
  t.regex(hierarchyInputs(trace), /; no random draws \(trace replay\);/);
});

test('parseHierarchyResult: names the file and field when a tier lacks its bandwidth', (t) => {
  const raw = JSON.parse(JSON.stringify(loadHierarchyFixture().result));
  delete raw.tiers[2].bandwidthGBps;
  t.throws(() => parseHierarchyResult(raw, 'h.json'), { instanceOf: SpecError, message: 'h.json: tiers[2].bandwidthGBps: Invalid input: expected number, but it is missing' });
});
