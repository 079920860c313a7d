import test from 'ava';
import { layerMultipliers, multiplierHalfBound } from '../../../src/model/index.ts';

const INT64_MAX = 2n ** 63n - 1n;

test('multipliers: default layers 1 and 15 match engram-spec §1 when V\' is 98,627', (t) => {
  t.is(multiplierHalfBound(98627), 46758859322775n);
  t.deepEqual(layerMultipliers(98627, 0, 1, 3), [76993395940407n, 4862694818241n, 36129212583461n]);
  t.deepEqual(layerMultipliers(98627, 0, 15, 3), [29055444938695n, 56284491166079n, 54183298291715n]);
});

// From numpy 2.4.6: r = default_rng(seed + 10007*L).integers(0, half_bound, size=N, dtype=int64); m = 2r + 1.
const NUMPY_MULTIPLIERS: ReadonlyArray<readonly [number, number, number, number, readonly bigint[]]> = [
  [129280, 0, 1, 3, [58737837727525n, 3709723095905n, 27562777300965n]],
  [98627, 7, 2, 4, [19948462120729n, 29433779509295n, 18566854315933n, 71153157055907n]],
  [1000, 123, 0, 5, [6293585094778679n, 496411279815457n, 2032461088575779n, 1700529803182393n, 1622445569185411n]],
  [50000, 0, 30, 2, [84704617721537n, 65208774895877n]],
];

test('multipliers: equal numpy for other vocabulary sizes, seeds, layers and orders', (t) => {
  for (const [vocab, seed, layer, n, expected] of NUMPY_MULTIPLIERS) {
    t.deepEqual(layerMultipliers(vocab, seed, layer, n), [...expected], `V'=${vocab} seed=${seed} L=${layer} N=${n}`);
  }
});

test('multipliers: every product with an id below V\' fits int64 and every multiplier is odd', (t) => {
  for (const vocab of [2, 1000, 98627, 129280, 5_000_000]) {
    for (const m of layerMultipliers(vocab, 3, 4, 4)) {
      t.is(m % 2n, 1n);
      t.true(BigInt(vocab - 1) * m <= INT64_MAX, `V'=${vocab} m=${m}`);
    }
  }
});

test('multipliers: half_bound is at least 1 and the 64-bit draw stops where half_bound reaches 2^32', (t) => {
  t.is(multiplierHalfBound(1), INT64_MAX / 2n);
  const largest = Number(INT64_MAX / (2n ** 33n + 2n));
  t.true(multiplierHalfBound(largest) > 2n ** 32n);
  t.true(multiplierHalfBound(largest + 1) <= 2n ** 32n);
  t.is(layerMultipliers(largest, 0, 0, 2).length, 2);
  t.snapshot(t.throws(() => layerMultipliers(largest + 1, 0, 0, 2))?.message);
});

test('multipliers: invalid arguments are rejected with the field and value named', (t) => {
  t.snapshot(t.throws(() => multiplierHalfBound(0))?.message);
  t.snapshot(t.throws(() => layerMultipliers(98627, -1, 1, 3))?.message);
  t.snapshot(t.throws(() => layerMultipliers(98627, 0, 1.5, 3))?.message);
  t.snapshot(t.throws(() => layerMultipliers(98627, 0, 1, 1))?.message);
});
