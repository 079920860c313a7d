import test from 'ava';
import { Rng, SimError } from '../../../src/core/index.ts';
import { ZipfSampler, zipfHarmonic, zipfTopShare } from '../../../src/memory/index.ts';

/** Sampling noise of 200k draws on shares of 1-10%: a few tenths of a percentage point. */
const SHARE_TOLERANCE = 0.004;

for (const exponent of [0.6, 1.0, 1.3]) {
  test(`zipf: sampled shares of the top ranks match H(k, s) / H(n, s) when the exponent is ${exponent}`, (t) => {
    const n = 100_000;
    const sampler = new ZipfSampler(n, exponent);
    const rng = new Rng(`zipf/${exponent}`);
    const draws = 200_000;
    const counts = new Float64Array(n + 1);
    for (let i = 0; i < draws; i++) counts[sampler.sample(rng)]! += 1;
    for (const k of [1, 10, 100, 1000]) {
      let top = 0;
      for (let r = 1; r <= k; r++) top += counts[r]!;
      t.true(Math.abs(top / draws - zipfTopShare(k, n, exponent)) <= SHARE_TOLERANCE, `top-${k} share ${top / draws} vs ${zipfTopShare(k, n, exponent)}`);
    }
  });
}

test('zipf: the Euler-Maclaurin tail continues the exact harmonic sum past a million terms', (t) => {
  for (const s of [0.8, 1, 1.2]) {
    const exact = zipfHarmonic(1_000_000, s) + 1_000_001 ** -s + 1_000_002 ** -s;
    t.true(Math.abs(zipfHarmonic(1_000_002, s) - exact) < 1e-9 * exact);
  }
  t.is(zipfTopShare(0, 10, 1), 0);
  t.is(zipfTopShare(10, 10, 1), 1);
});

test('zipf: names the parameter when the exponent is not positive', (t) => {
  const error = t.throws(() => new ZipfSampler(10, 0), { instanceOf: SimError });
  t.snapshot(error?.message);
});
