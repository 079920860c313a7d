import test from 'ava';
import { layerAccessStats, batchDuplicateRate } from '../../../src/model/trace/accessStats.ts';

test('accessStats: counts accesses, unique rows, hot shares and duplicates by hand on a tiny trace', (t) => {
  // Two heads, 6 tokens, laid out [t][head].
  const head0 = [1, 1, 2, 1, 3, 3];
  const head1 = [0, 1, 2, 3, 4, 5];
  const indices = new Int32Array(12);
  for (let i = 0; i < 6; i++) { indices[2 * i] = head0[i]!; indices[2 * i + 1] = head1[i]!; }
  const stats = layerAccessStats(7, indices, [5, 7], { batchTokens: [2, 6], hotFractions: [0.001, 0.5] });
  const [h0, h1] = stats.heads;
  t.is(h0!.accesses, 6);
  t.is(h0!.uniqueRows, 3);
  t.is(h0!.touchedFraction, 3 / 5);
  // hottest 1 row (ceil(0.001*3)) serves 3/6; hottest ceil(1.5)=2 rows serve 5/6.
  t.deepEqual(h0!.hotShare, [3 / 6, 5 / 6]);
  // batches of 2: [1,1] [2,1] [3,3] -> 2 duplicates; batch of 6: 6 - 3 = 3 duplicates.
  t.deepEqual(h0!.duplicateRate, [2 / 6, 3 / 6]);
  t.deepEqual(h1!.duplicateRate, [0, 0]);
  t.true(Math.abs(h1!.zipfExponent) < 1e-9);
  t.is(stats.accesses, 12);
  t.is(stats.uniqueRows, 9);
  t.deepEqual(stats.duplicateRate, [1 / 6, 3 / 12]);
});

test('accessStats: duplicate rate counts a partial last batch', (t) => {
  // [5,5,5,5] has 3 repeats, the partial batch [5] none.
  t.is(batchDuplicateRate(new Int32Array([5, 5, 5, 5, 5]), 4), 3 / 5);
});

test('accessStats: rejects an index outside its head table with head, token and range', (t) => {
  const err = t.throws(() => layerAccessStats(1, new Int32Array([0, 9]), [3, 5]));
  t.snapshot(err?.message);
});
