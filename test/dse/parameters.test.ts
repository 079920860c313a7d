import test from 'ava';
import fc from 'fast-check';
import { rangeValues, resolveParameters, valueAt, type ParameterDomain } from '../../src/dse/index.ts';
import { seedFor, spec } from './helpers.ts';

const DOMAINS: Record<string, ParameterDomain> = {
  target: { kind: 'choice', values: ['h800-sxm', 'tpu-v5e'], description: 'hardware target' },
  dtype: { kind: 'choice', values: ['fp8', 'bf16'], default: 'fp8', description: 'operand format' },
  m: { kind: 'integer', min: 1, max: 16384, description: 'rows' },
  x: { kind: 'number', min: 0, max: 1, default: 0.5, description: 'a fraction' },
};
const range = (r: Record<string, unknown>) => ({ scale: 'linear' as const, integer: false, ...r }) as Parameters<typeof rangeValues>[0];

test('rangeValues: a stepped range keeps its end when the step divides it up to rounding', (t) => {
  t.deepEqual(rangeValues(range({ from: 0.1, to: 0.5, step: 0.1 })), [0.1, 0.2, 0.3, 0.4, 0.5]);
  t.deepEqual(rangeValues(range({ from: 0, to: 10, step: 4 })), [0, 4, 8]);
});

test('rangeValues: a log range of count 15 from 1 to 16384 with integer gives the powers of two', (t) => {
  t.deepEqual(rangeValues(range({ from: 1, to: 16384, count: 15, scale: 'log', integer: true })), Array.from({ length: 15 }, (_, i) => 2 ** i));
});

test('rangeValues: integer rounding drops repeated values when the range is denser than the integers', (t) => {
  t.deepEqual(rangeValues(range({ from: 1, to: 4, count: 7, integer: true })), [1, 2, 3, 4]);
});

test('rangeValues: a counted linear range is ascending, starts at from and ends at to when count > 1', (t) => {
  const property = fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 2, max: 50 }), (from, width, count) => {
    const values = rangeValues(range({ from, to: from + width, count }));
    return values[0] === from && values.at(-1) === from + width && values.every((v, i) => i === 0 || v >= values[i - 1]!);
  });
  t.notThrows(() => fc.assert(property, { seed: seedFor(t.title) }));
});

test('resolveParameters: fills defaults, sorts by name and keeps lists in the order written when the spec omits some', (t) => {
  const resolved = resolveParameters(spec({ parameters: { target: ['tpu-v5e', 'h800-sxm'], m: [64, 8] } }), 'test.yaml', DOMAINS);
  t.deepEqual(resolved.map((p) => p.name), ['dtype', 'm', 'target', 'x']);
  t.deepEqual(resolved[0], { name: 'dtype', kind: 'discrete', values: ['fp8'] });
  t.deepEqual(resolved[2], { name: 'target', kind: 'discrete', values: ['tpu-v5e', 'h800-sxm'] });
});

const badParameters: readonly [string, Record<string, unknown>][] = [
  ['an unknown parameter, naming the known ones', { target: ['h800-sxm'], m: [1], q: [1] }],
  ['a missing parameter without a default', { m: [1] }],
  ['a choice outside its values', { target: ['h800-sxm', 'b200'], m: [1] }],
  ['a range for a choice', { target: { from: 1, to: 2, step: 1 }, m: [1] }],
  ['a number above the maximum', { target: ['h800-sxm'], m: [1, 20000] }],
  ['a fraction for an integer parameter', { target: ['h800-sxm'], m: [1.5] }],
  ['a range end below the minimum', { target: ['h800-sxm'], m: { from: 0, to: 8, step: 1 } }],
  ['a continuous range of an integer parameter without integer: true', { target: ['h800-sxm'], m: { from: 1, to: 8 } }],
  ['a stepped range giving fractions for an integer parameter', { target: ['h800-sxm'], m: { from: 1, to: 2, step: 0.5 } }],
];

for (const [what, parameters] of badParameters) {
  test(`resolveParameters: names the parameter and what it accepts when given ${what}`, (t) => {
    const error = t.throws(() => resolveParameters(spec({ parameters }), 'test.yaml', DOMAINS));
    t.snapshot(error?.message);
  });
}

test('valueAt: maps [0, 1) onto every value of a discrete parameter with equal shares', (t) => {
  const p = { name: 'a', kind: 'discrete', values: ['x', 'y', 'z'] } as const;
  t.deepEqual([0, 0.33, 0.34, 0.66, 0.67, 0.999999].map((u) => valueAt(p, u)), ['x', 'x', 'y', 'y', 'z', 'z']);
});

test('valueAt: stays within a continuous range and gives integers when asked, on linear and log scales', (t) => {
  const property = fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.constantFrom('linear' as const, 'log' as const), fc.boolean(), (u, scale, integer) => {
    const v = valueAt({ name: 'a', kind: 'continuous', from: 3, to: 5000, scale, integer }, u) as number;
    return v >= 3 && v <= 5000 && (!integer || Number.isInteger(v));
  });
  t.notThrows(() => fc.assert(property, { seed: seedFor(t.title) }));
});
