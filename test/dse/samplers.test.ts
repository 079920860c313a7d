import test from 'ava';
import fc from 'fast-check';
import { createPointSource, pointKey, type ResolvedParameter } from '../../src/dse/index.ts';
import { seedFor } from './helpers.ts';

const discrete = (name: string, values: (number | string)[]): ResolvedParameter => ({ name, kind: 'discrete', values });
const continuous = (name: string): ResolvedParameter => ({ name, kind: 'continuous', from: 0, to: 1, scale: 'linear', integer: false });

test('grid: enumerates every combination with parameters sorted by name and the last varying fastest', (t) => {
  const source = createPointSource([discrete('a', [1, 2]), discrete('b', ['x', 'y', 'z'])], { kind: 'grid' }, 'test.yaml');
  t.is(source.count, 6);
  t.true(source.unique);
  t.deepEqual(Array.from({ length: 6 }, (_, i) => source.pointAt(i)), [
    { a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 1, b: 'z' }, { a: 2, b: 'x' }, { a: 2, b: 'y' }, { a: 2, b: 'z' },
  ]);
});

test('grid: refuses a continuous range, naming the parameter, when it has no grid values', (t) => {
  const error = t.throws(() => createPointSource([continuous('x')], { kind: 'grid' }, 'test.yaml'));
  t.snapshot(error?.message);
});

test('random: the same seed gives the same points and another seed other points', (t) => {
  const params = [continuous('x'), discrete('t', ['a', 'b', 'c'])];
  const a = createPointSource(params, { kind: 'random', count: 20, seed: 1 }, 'f');
  const b = createPointSource(params, { kind: 'random', count: 20, seed: 1 }, 'f');
  const c = createPointSource(params, { kind: 'random', count: 20, seed: 2 }, 'f');
  const points = (s: typeof a) => Array.from({ length: 20 }, (_, i) => s.pointAt(i));
  t.deepEqual(points(a), points(b));
  t.notDeepEqual(points(a), points(c));
});

test('random: adding a parameter leaves the draws of the others unchanged when their names are unchanged', (t) => {
  const before = createPointSource([continuous('x')], { kind: 'random', count: 10, seed: 3 }, 'f');
  const after = createPointSource([continuous('w'), continuous('x')], { kind: 'random', count: 10, seed: 3 }, 'f');
  for (let i = 0; i < 10; i++) t.is(after.pointAt(i).x, before.pointAt(i).x);
});

test('latin-hypercube: every parameter has exactly one point in each of the count strata when sampled', (t) => {
  const property = fc.property(fc.integer({ min: 1, max: 200 }), fc.nat(), (count, seed) => {
    const source = createPointSource([continuous('x'), continuous('y')], { kind: 'latin-hypercube', count, seed }, 'f');
    return ['x', 'y'].every((name) => {
      const strata = Array.from({ length: count }, (_, i) => Math.floor((source.pointAt(i)[name] as number) * count));
      return new Set(strata).size === count;
    });
  });
  t.notThrows(() => fc.assert(property, { numRuns: 50, seed: seedFor(t.title) }));
});

test('latin-hypercube: discrete values are drawn in equal shares when count is a multiple of their number', (t) => {
  const source = createPointSource([discrete('t', ['a', 'b', 'c', 'd'])], { kind: 'latin-hypercube', count: 40, seed: 9 }, 'f');
  const counts = new Map<unknown, number>();
  for (let i = 0; i < 40; i++) counts.set(source.pointAt(i).t, (counts.get(source.pointAt(i).t) ?? 0) + 1);
  t.deepEqual([...counts.values()], [10, 10, 10, 10]);
  t.false(source.unique);
  t.is(new Set(Array.from({ length: 40 }, (_, i) => pointKey(source.pointAt(i)))).size, 4);
});
