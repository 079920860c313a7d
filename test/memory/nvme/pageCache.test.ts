import test from 'ava';
import { SimError } from '../../../src/core/index.ts';
import { PageCache } from '../../../src/memory/index.ts';

test('pageCache: evicts the least recently used page and reuses its frame when full', (t) => {
  const cache = new PageCache(3 * 4096, 4096);
  const frames = [10, 11, 12].map((page) => cache.access(page).frame);
  t.deepEqual(frames, [0, 1, 2]);
  t.true(cache.access(10).hit);
  const miss = cache.access(13);
  t.false(miss.hit);
  t.is(miss.frame, 1, 'page 11 was the least recently used');
  t.false(cache.access(11).hit);
  t.is(cache.hits, 1);
  t.is(cache.misses, 5);
  t.is(cache.residentPages, 3);
});

test('pageCache: names the capacity when it is smaller than a page', (t) => {
  const error = t.throws(() => new PageCache(100, 4096), { instanceOf: SimError });
  t.snapshot(error?.message);
});
