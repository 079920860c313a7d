import test from 'ava';
import { entropyWords, generateState64 } from '../../../src/model/index.ts';

// Expected words from numpy 2.4.6: np.random.SeedSequence(s).generate_state(4, np.uint64), printed in hex.
const NUMPY_STATES: ReadonlyArray<readonly [bigint, readonly string[]]> = [
  [0n, ['db2cd7e7b0f478be', 'abf4641a2c71ba49', '20c6ed6d9d7b8d41', '2c4099de223c39d4']],
  [1n, ['672d8ee56d6791ff', '8ae19ca14eb1072c', '4915796d1322fc4a', 'd0cc2bdcaba049bd']],
  [10007n, ['77d32a348ad70d07', '993ed609b84a4fa5', 'd5f972dec8698e49', '7d79ebaebcf148de']],
  [150105n, ['d81b63c1c152e155', '4f78d1f67f67762a', '111ccf563d129a55', '8b8977b73877171a']],
  [2n ** 32n - 1n, ['2a05c5e276c1fe08', '2032e40fc20e8198', 'ed4ac06d787f4396', '56896cb4f3db80fd']],
  [2n ** 32n + 5n, ['f9c15bd6e249d9ac', 'b2021b4036320ed7', '9388b47fe6dcf739', '5eeba8d9ad6439e1']],
  [2n ** 100n + 12345n, ['2259a9fa490589e', '201e30e55d4ad6bb', 'e03b00d1ad282156', 'd105bd7e909486a5']],
  // 7 entropy words: the three beyond the pool are folded into every pool word.
  [2n ** 200n + 1n, ['301516ade327c595', '1416c9f8724c5016', '6e66796e73fe373c', '64eff371f9c7126d']],
];

test('seedSequence: generate_state(4, uint64) equals numpy for one- to seven-word seeds', (t) => {
  for (const [seed, expected] of NUMPY_STATES) {
    t.deepEqual(generateState64(seed, 4).map((w) => w.toString(16)), expected, `seed ${seed}`);
  }
});

test('seedSequence: a number seed and the equal bigint seed give the same state', (t) => {
  t.deepEqual(generateState64(150105, 4), generateState64(150105n, 4));
});

test('seedSequence: entropy words are least significant first and seed 0 is one zero word', (t) => {
  t.deepEqual(entropyWords(0), [0]);
  t.deepEqual(entropyWords(2n ** 32n + 5n), [5, 1]);
  t.deepEqual(entropyWords(2n ** 64n - 1n), [0xffffffff, 0xffffffff]);
});

test('seedSequence: a negative or unsafe seed is rejected with the value named', (t) => {
  t.snapshot(t.throws(() => entropyWords(-1))?.message);
  t.snapshot(t.throws(() => entropyWords(2 ** 60))?.message);
  t.snapshot(t.throws(() => generateState64(0, 0))?.message);
});
