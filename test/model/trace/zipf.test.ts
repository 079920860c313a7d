import test from 'ava';
import { fitZipfMle } from '../../../src/model/trace/zipf.ts';
import { Rng } from '../../../src/core/index.ts';

// Sampling noise of an MLE over 200k draws is about 0.005 in s; allow a few sigma.
const TOL_EXPONENT_SAMPLED = 0.02;

function sampleZipfCounts(s: number, n: number, draws: number, seed: number): number[] {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let r = 0; r < n; r++) { acc += (r + 1) ** -s; cdf[r] = acc; }
  const counts = new Array<number>(n).fill(0);
  const rng = new Rng(seed);
  for (let i = 0; i < draws; i++) {
    const u = rng.nextFloat() * acc;
    let a = 0, b = n - 1;
    while (a < b) { const m = (a + b) >> 1; if (cdf[m]! < u) a = m + 1; else b = m; }
    counts[a]!++;
  }
  return counts.filter((c) => c > 0).sort((x, y) => y - x);
}

test('zipf: recovers the exponent of sampled Zipf data when s is 0.8, 1.0 and 1.3', (t) => {
  for (const s of [0.8, 1.0, 1.3]) {
    const fit = fitZipfMle(sampleZipfCounts(s, 5000, 200000, 11));
    t.true(Math.abs(fit.exponent - s) < TOL_EXPONENT_SAMPLED, `s=${s} fitted ${fit.exponent}`);
  }
});

test('zipf: exponent is 0 when every touched row is accessed equally often', (t) => {
  const fit = fitZipfMle(new Array(1000).fill(3));
  t.true(Math.abs(fit.exponent) < 1e-9, `fitted ${fit.exponent}`);
  t.is(fit.observations, 3000);
});

test('zipf: rejects unsorted or non-positive counts with the index and value', (t) => {
  t.snapshot(t.throws(() => fitZipfMle([3, 5]))?.message);
  t.snapshot(t.throws(() => fitZipfMle([3, 0]))?.message);
  t.snapshot(t.throws(() => fitZipfMle([]))?.message);
});
