import test from 'ava';
import { memoBounded } from '../../src/core/index.ts';

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
