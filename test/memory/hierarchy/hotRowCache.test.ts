import test from 'ava';
import { HotRowCache } from '../../../src/memory/index.ts';

test('hotRowCache: static keeps the K most frequent rows of the profile, ties to the lower row id', (t) => {
  const cache = HotRowCache.fromProfile(2, [Uint32Array.of(5, 5, 5, 9, 9, 7, 7, 3)]);
  t.true(cache.contains(5));
  t.true(cache.contains(7), 'rows 7 and 9 tie at two lookups; the lower id wins');
  t.false(cache.contains(9));
  cache.touch(3);
  cache.endBatch();
  t.false(cache.contains(3), 'a static cache never admits');
});

test('hotRowCache: lru admits a batch\'s misses only at the barrier and evicts the least recent', (t) => {
  const cache = HotRowCache.dynamic('lru', 2);
  for (const row of [1, 2]) cache.touch(row);
  t.false(cache.contains(1), 'lookups within the batch see the snapshot');
  cache.endBatch();
  t.true(cache.contains(1) && cache.contains(2));
  for (const row of [1, 3]) cache.touch(row);
  cache.endBatch();
  t.deepEqual([1, 2, 3].map((r) => cache.contains(r)), [true, false, true]);
});

test('hotRowCache: lfu evicts the least frequently used row, not the least recent', (t) => {
  const cache = HotRowCache.dynamic('lfu', 2);
  for (const row of [1, 1, 1, 2]) cache.touch(row);
  cache.endBatch();
  for (const row of [3]) cache.touch(row);
  cache.endBatch();
  t.deepEqual([1, 2, 3].map((r) => cache.contains(r)), [true, false, true]);
  t.is(cache.size, 2);
});
