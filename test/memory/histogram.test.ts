import test from 'ava';
import { LatencyHistogram, summarize } from '../../src/memory/index.ts';

test('histogram: quantiles are exact nearest-rank values when latencies are below 4096 cycles', (t) => {
  const h = new LatencyHistogram();
  for (let v = 1; v <= 100; v++) h.add(v);
  t.is(h.quantile(0.5), 50);
  t.is(h.quantile(0.99), 99);
  t.is(h.quantile(1), 100);
  t.is(h.mean(), 50.5);
});

test('histogram: quantiles stay within 1/128 of the true value when latencies are large', (t) => {
  const h = new LatencyHistogram();
  const values = [5000, 70000, 1234567, 9e9];
  for (const v of values) h.add(v);
  for (const [i, v] of values.entries()) {
    const q = h.quantile((i + 1) / values.length);
    t.true(q <= v && q >= v * (1 - 1 / 128), `${q} vs ${v}`);
  }
});

test('histogram: summarize reports nearest-rank mean, p50 and p99 when given a scale to nanoseconds', (t) => {
  t.deepEqual(summarize([4, 1, 3, 2], 0.5), { mean: 1.25, p50: 1, p99: 2 });
  t.deepEqual(summarize([]), { mean: 0, p50: 0, p99: 0 });
});
