import test from 'ava';
import { Rng, canonicalJson } from '../../src/core/index.ts';

/** canonicalJson as defined: JSON.stringify of a copy with every object's keys sorted (kept here so a faster rewrite is checked against it). */
function reference(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) out[key] = sortKeys((v as Record<string, unknown>)[key]);
      return out;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

const LEAVES: readonly unknown[] = [0, -0, 1.5, -3e-310, 1e21, 2 ** 53 + 2, NaN, Infinity, -Infinity, true, false, null, undefined, '', 'a"b\\c\n\u2028\u0007', 'é😀', () => 1, Symbol('s'), new Date(0)];
// Integer-like keys: a key-sorted copy lists array indices first, numerically ("9" before "10"); 2^32 - 1, "01" and "-1" are no indices.
const KEYS = ['b', 'a', 'z', '10', '9', '0', '4294967294', '4294967295', '01', '-1', 'A', 'é', '', 'x y', '"q"'];

function randomValue(rng: Rng, depth: number): unknown {
  const pick = rng.nextInt(depth > 3 ? 1 : 4);
  if (pick === 0) return LEAVES[rng.nextInt(LEAVES.length)];
  if (pick === 1) return Array.from({ length: rng.nextInt(5) }, () => randomValue(rng, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = rng.nextInt(6); i > 0; i--) out[KEYS[rng.nextInt(KEYS.length)]!] = randomValue(rng, depth + 1);
  return out;
}

test('canonicalJson: the same text as JSON.stringify of a key-sorted copy, for 5,000 random nested values', (t) => {
  const rng = new Rng('test:canonicalJson');
  const mismatches: string[] = [];
  for (let i = 0; i < 5_000; i++) {
    const value = randomValue(rng, 0);
    const got = canonicalJson(value);
    const want = reference(value);
    if (got !== want) mismatches.push(`${String(want)} -> ${String(got)}`);
  }
  t.deepEqual(mismatches.slice(0, 5), []);
});

test('canonicalJson: key order does not change the text; a sparse array writes its holes as null', (t) => {
  t.is(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } }), '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
  t.is(canonicalJson({ a: { d: [1, { x: 1, y: 2 }] }, b: 1 }), canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }] } }));
  t.is(canonicalJson([1, , 3]), '[1,null,3]');
  t.throws(() => canonicalJson({ a: 1n }), { instanceOf: TypeError });
});
