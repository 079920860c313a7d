import test from 'ava';
import { ModelError } from '../../src/core/index.ts';
import { PythonRandom } from '../../src/project/index.ts';

// Expected values printed by CPython 3.11.7: random.seed(S); [random.getrandbits(32) ...] / [random.randint(a, b) ...].
test('pythonRandom: getrandbits(32) after seed(0) equals CPython 3.11 word for word', (t) => {
  const rng = new PythonRandom(0);
  t.deepEqual([rng.getrandbits(32), rng.getrandbits(32), rng.getrandbits(32)], [3626764237, 1654615998, 3255389356]);
});

test('pythonRandom: randint rejection sampling equals CPython when the width is not a power of two', (t) => {
  const a = new PythonRandom(12345);
  t.deepEqual(Array.from({ length: 5 }, () => a.randint(0, 10000)), [6825, 166, 4892, 6036, 3172]);
  const b = new PythonRandom(0);
  t.deepEqual(Array.from({ length: 3 }, () => b.randint(100, 1024)), [964, 494, 876]);
});

test('pythonRandom: a seed above 2^32 is split into 32-bit key words as CPython does', (t) => {
  const rng = new PythonRandom(2 ** 40 + 7);
  t.deepEqual(Array.from({ length: 3 }, () => rng.randint(100, 1024)), [728, 865, 934]);
});

test('pythonRandom: rejects a negative seed and an empty randint range with the bad value', (t) => {
  t.snapshot(t.throws(() => new PythonRandom(-1), { instanceOf: ModelError })?.message);
  t.snapshot(t.throws(() => new PythonRandom(0).randint(5, 4), { instanceOf: ModelError })?.message);
});
