import test from 'ava';
import { SimError } from '../../../src/core/index.ts';
import { zipfCacheHitRate, zipfTopShare } from '../../../src/memory/index.ts';

test('zipfCacheHitRate: uniform rows give capacity / rows for every policy', (t) => {
  for (const policy of ['static', 'lru'] as const) {
    t.is(zipfCacheHitRate(policy, 250, [400, 600], 0), 0.25);
  }
});

test('zipfCacheHitRate: no cache hits nothing and a cache holding every row hits everything', (t) => {
  t.is(zipfCacheHitRate('lru', 0, [1000], 0.8), 0);
  t.is(zipfCacheHitRate('lru', 1000, [1000], 0.8), 1);
  t.is(zipfCacheHitRate('static', 5000, [1000, 2000], 0.8), 1);
});

test('zipfCacheHitRate: static holds each head\'s hottest share; LRU holds less but more than uniform', (t) => {
  const heads = [1_000_000, 1_000_003];
  const capacity = 100_000;
  const top = zipfCacheHitRate('static', capacity, heads, 0.77);
  t.is(top, (zipfTopShare(50_000, heads[0]!, 0.77) + zipfTopShare(50_000, heads[1]!, 0.77)) / 2);
  const lru = zipfCacheHitRate('lru', capacity, heads, 0.77);
  t.true(lru > capacity / (heads[0]! + heads[1]!) && lru < top, `${lru} vs ${top}`);
});

test('zipfCacheHitRate: LRU on tables past the exact ranks agrees with a finer quadrature of the same sums', (t) => {
  // 78 M rows per head is the offload-100b layer's; the integral tail must not drift with table size.
  const small = zipfCacheHitRate('lru', 1_250_000, Array(16).fill(7_800_000), 0.77);
  const large = zipfCacheHitRate('lru', 12_500_000, Array(16).fill(78_000_000), 0.77);
  // Scaling capacity and rows together moves a Zipf(s < 1) hit rate only slightly (the head ranks weigh less).
  t.true(Math.abs(small - large) < 0.02, `${small} vs ${large}`);
  t.true(large > 0.1 && large < 0.9);
});

test('zipfCacheHitRate: names the parameter when given a bad input', (t) => {
  t.throws(() => zipfCacheHitRate('lru', -1, [10], 1), { instanceOf: SimError, message: /capacityRows/ });
  t.throws(() => zipfCacheHitRate('lru', 1, [], 1), { instanceOf: SimError, message: /headRows/ });
  t.throws(() => zipfCacheHitRate('lru', 1, [10], Number.NaN), { instanceOf: SimError, message: /exponent/ });
  t.throws(() => zipfCacheHitRate('lfu' as 'lru', 1, [10], 1), { instanceOf: SimError, message: /policy: expected one of static, lru \(LFU has no closed form\)/ });
});
