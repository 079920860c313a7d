import test from 'ava';
import { isPrime, searchLayerPrimes } from '../../../src/model/index.ts';

function sieve(limit: number): Uint8Array {
  const composite = new Uint8Array(limit);
  composite[0] = 1;
  composite[1] = 1;
  for (let i = 2; i * i < limit; i++) {
    if (composite[i] === 0) for (let j = i * i; j < limit; j += i) composite[j] = 1;
  }
  return composite;
}

const DEFAULT_SEARCH = { layerIds: [1, 15], maxNgramSize: 3, nHeadPerNgram: 8, engramVocabSize: [646400, 646400] };

test('primes: isPrime agrees with a sieve for every n below 1e6', (t) => {
  const composite = sieve(1_000_000);
  const wrong: number[] = [];
  for (let n = 0; n < composite.length; n++) if (isPrime(n) !== (composite[n] === 0)) wrong.push(n);
  t.deepEqual(wrong, []);
});

test('primes: the BigInt path above 2^32 agrees with trial division on [2^32, 2^32 + 2000)', (t) => {
  const composite = sieve(66_000);
  const small: number[] = [];
  for (let p = 2; p < composite.length; p++) if (composite[p] === 0) small.push(p);
  const wrong: number[] = [];
  let count = 0;
  for (let n = 2 ** 32; n < 2 ** 32 + 2000; n++) {
    const prime = small.every((p) => n % p !== 0);
    if (prime) count++;
    if (isPrime(n) !== prime) wrong.push(n);
  }
  t.deepEqual(wrong, []);
  // sympy: 104 primes in this window.
  t.is(count, 104);
});

test('primes: strong pseudoprimes and Carmichael numbers are composite, boundary primes are prime', (t) => {
  // Strong pseudoprimes to bases 2..7, 2..11, 2..13 and 2..17 (OEIS A014233), plus Carmichael numbers.
  for (const n of [3215031751, 2152302898747, 3474749660383, 341550071728321, 561, 41041, 825265]) t.false(isPrime(n), `${n}`);
  // Largest prime below 2^32, smallest above it, 2^31 - 1, largest below 2^53 (checked with sympy).
  for (const n of [4294967291, 4294967311, 2147483647, 9007199254740881]) t.true(isPrime(n), `${n}`);
});

test('primes: isPrime rejects values it cannot decide exactly', (t) => {
  t.snapshot(t.throws(() => isPrime(2 ** 53))?.message);
  t.snapshot(t.throws(() => isPrime(-3))?.message);
});

test('primes: default config gives the tables of engram-spec §1', (t) => {
  const primes = searchLayerPrimes(DEFAULT_SEARCH);
  const layer1 = primes.get(1)!;
  const layer15 = primes.get(15)!;
  t.deepEqual(layer1.slice(0, 8), [646403, 646411, 646421, 646423, 646433, 646453, 646519, 646523]);
  t.deepEqual(layer1.slice(8), [646537, 646543, 646549, 646571, 646573, 646577, 646609, 646619]);
  t.is(layer1.reduce((a, b) => a + b, 0), 10_344_164);
  t.is(layer15.reduce((a, b) => a + b, 0), 10_348_242);
  t.deepEqual([layer15[0], layer15[7], layer15[8], layer15[15]], [646631, 646771, 646781, 646879]);
});

test('primes: every prime is unique across layers and increases in search order', (t) => {
  const all = [...searchLayerPrimes(DEFAULT_SEARCH).values()].flat();
  t.is(new Set(all).size, all.length);
  t.true(all.every((p, i) => i === 0 || p > all[i - 1]!));
});

test('primes: reversing layer ids [0, 3] to [3, 0] swaps the two layers\' primes', (t) => {
  const base = { maxNgramSize: 3, nHeadPerNgram: 2, engramVocabSize: [100, 200] };
  const forward = searchLayerPrimes({ ...base, layerIds: [0, 3] });
  const reversed = searchLayerPrimes({ ...base, layerIds: [3, 0] });
  // sympy-based search: {0: [101, 103, 211, 223], 3: [107, 109, 227, 229]}.
  t.deepEqual(forward.get(0), [101, 103, 211, 223]);
  t.deepEqual(forward.get(3), [107, 109, 227, 229]);
  t.deepEqual(reversed.get(3), forward.get(0));
  t.deepEqual(reversed.get(0), forward.get(3));
});

test('primes: a start that is itself prime is taken by the first head', (t) => {
  // Start is engramVocabSize - 1, and the head takes the smallest prime strictly greater than it.
  t.deepEqual(searchLayerPrimes({ layerIds: [0], maxNgramSize: 2, nHeadPerNgram: 3, engramVocabSize: [101] }).get(0), [101, 103, 107]);
});

test('primes: invalid search parameters are rejected with the field and value named', (t) => {
  t.snapshot(t.throws(() => searchLayerPrimes({ ...DEFAULT_SEARCH, engramVocabSize: [646400] }))?.message);
  t.snapshot(t.throws(() => searchLayerPrimes({ ...DEFAULT_SEARCH, engramVocabSize: [646400, 0] }))?.message);
  t.snapshot(t.throws(() => searchLayerPrimes({ ...DEFAULT_SEARCH, layerIds: [1, 1] }))?.message);
  t.snapshot(t.throws(() => searchLayerPrimes({ ...DEFAULT_SEARCH, nHeadPerNgram: 0 }))?.message);
  t.snapshot(t.throws(() => searchLayerPrimes({ ...DEFAULT_SEARCH, maxNgramSize: 1 }))?.message);
});
