import test from 'ava';
import fc from 'fast-check';
import { createPointSource, pendingPoint, pointKey, scanShard, shardIndices } from '../../src/dse/index.ts';
import { seedFor } from './helpers.ts';

test('shardIndices: the N shards of a sweep partition its indices for any count and N', (t) => {
  const property = fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 40 }), (count, n) => {
    const all = Array.from({ length: n }, (_, k) => [...shardIndices(count, { index: k + 1, count: n })]).flat().sort((a, b) => a - b);
    return all.length === count && all.every((v, i) => v === i);
  });
  t.notThrows(() => fc.assert(property, { seed: seedFor(t.title) }));
  t.deepEqual([...shardIndices(10, { index: 2, count: 4 })], [1, 5, 9]);
});

const grid = createPointSource([{ name: 'a', kind: 'discrete', values: [1, 2, 3, 4, 5, 6] }], { kind: 'grid' }, 'f');

test('scanShard: skips stored points and counts them when resuming', (t) => {
  const stored = new Set([pointKey({ a: 2 }), pointKey({ a: 5 })]);
  const scan = scanShard(grid, { index: 1, count: 1 }, stored);
  t.deepEqual(Array.from(scan.pending), [0, 2, 3, 5]);
  t.is(scan.alreadyStored, 2);
  t.is(scan.shardPoints, 6);
});

test('scanShard: keeps only the first index of a point drawn twice when the sampler repeats points', (t) => {
  const source = createPointSource([{ name: 't', kind: 'discrete', values: ['x', 'y'] }], { kind: 'random', count: 10, seed: 1 }, 'f');
  const scan = scanShard(source, { index: 1, count: 1 }, new Set());
  t.is(scan.shardPoints, 2);
  t.is(scan.duplicates, 8);
  t.is(scan.pending.length, 2);
  t.deepEqual(new Set(Array.from(scan.pending, (i) => source.pointAt(i).t)), new Set(['x', 'y']));
});

test('pendingPoint: carries the index, the point, its key and the key-derived seed', (t) => {
  const p = pendingPoint(grid, 3);
  t.deepEqual(p, { index: 3, point: { a: 4 }, pointJson: '{"a":4}', key: pointKey({ a: 4 }), seedHex: pointKey({ a: 4 }).slice(0, 16) });
});
