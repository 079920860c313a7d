import test from 'ava';
import { pointKey, seedFromHex, seedHexOf } from '../../src/dse/index.ts';

test('pointKey: equal content gives the same key whatever the order of its fields', (t) => {
  t.is(pointKey({ m: 64, target: 'h800-sxm', k: 128 }), pointKey({ k: 128, target: 'h800-sxm', m: 64 }));
  t.not(pointKey({ m: 64 }), pointKey({ m: 65 }));
  t.not(pointKey({ m: 64 }), pointKey({ m: '64' }));
});

test('pointKey: the key is 64 hex digits and the seed its first 64 bits when derived', (t) => {
  const key = pointKey({ m: 1 });
  t.regex(key, /^[0-9a-f]{64}$/);
  t.is(seedHexOf(key), key.slice(0, 16));
  t.is(seedFromHex(seedHexOf(key)), BigInt(`0x${key.slice(0, 16)}`));
});
