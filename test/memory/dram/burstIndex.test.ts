import test from 'ava';
import { Rng } from '../../../src/core/index.ts';
import { ABSENT, BurstIndex } from '../../../src/memory/dram/burstIndex.ts';

test('burstIndex: set, get and delete agree with a Map over 200,000 random operations on clustered and large keys', (t) => {
  const rng = new Rng('burstIndex');
  const reference = new Map<number, number>();
  const index = new BurstIndex();
  let mismatches = 0;
  for (let i = 0; i < 200_000; i++) {
    // Keys above 2^32 and runs of neighbouring keys exercise the hash halves and the backward shift.
    const key = rng.nextInt(3) === 0 ? rng.nextInt(5000) * 2 ** 32 + rng.nextInt(100) : rng.nextInt(3000) + (rng.nextInt(2) === 0 ? 2 ** 40 : 0);
    const op = rng.nextInt(3);
    if (op === 0) {
      const value = rng.nextInt(1000);
      reference.set(key, value);
      index.set(key, value);
    } else if (op === 1) {
      reference.delete(key);
      index.delete(key);
    }
    if ((reference.get(key) ?? ABSENT) !== index.get(key)) mismatches++;
  }
  t.is(mismatches, 0);
  t.true(reference.size > 1000);
  t.true([...reference].every(([key, value]) => index.get(key) === value));
});
