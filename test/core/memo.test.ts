import test from 'ava';
import { memoBounded, memoOwned } from '../../src/core/index.ts';

test('memoBounded: computes a key once, keeps at most the limit and drops the oldest first', (t) => {
  const cache = new Map<string, number>();
  const computed: string[] = [];
  const get = (key: string) => memoBounded(cache, key, 2, () => (computed.push(key), key.length));
  t.is(get('a'), 1);
  t.is(get('a'), 1);
  t.is(get('bb'), 2);
  t.deepEqual(computed, ['a', 'bb']);
  t.is(get('ccc'), 3);
  t.deepEqual([...cache.keys()], ['bb', 'ccc']);
  t.is(get('a'), 1);
  t.deepEqual(computed, ['a', 'bb', 'ccc', 'a']);
  t.deepEqual([...cache.keys()], ['ccc', 'a']);
});

test('memoOwned: one bounded cache per owner object, computed once per key', (t) => {
  const cache = new WeakMap<object, Map<number, string>>();
  const a = {};
  const b = {};
  const computed: string[] = [];
  const get = (owner: object, name: string, key: number) => memoOwned(cache, owner, key, 2, () => (computed.push(`${name}${key}`), `${name}${key}`));
  t.is(get(a, 'a', 1), 'a1');
  t.is(get(a, 'a', 1), 'a1');
  t.is(get(b, 'b', 1), 'b1');
  t.deepEqual(computed, ['a1', 'b1']);
  get(a, 'a', 2);
  get(a, 'a', 3);
  t.deepEqual([...cache.get(a)!.keys()], [2, 3]);
  t.deepEqual([...cache.get(b)!.keys()], [1]);
});
