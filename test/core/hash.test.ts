import test from 'ava';
import { Rng, canonicalJson } from '../../src/core/index.ts';

// canonicalJson is what sweep point keys and seeds hash: its text must not change from one version to the next.

const LEAVES: readonly unknown[] = [0, 1.5, -3e-310, 1e21, NaN, Infinity, true, false, null, undefined, '', 'a"b\\c\n', 'é😀'];
// Integer-like keys: a JS object lists array indices first, numerically ("9" before "10"); "01" and "-1" are no indices.
const KEYS = ['b', 'a', 'z', '10', '9', '0', '01', '-1', 'A', 'é', '', 'x y'];

function randomValue(rng: Rng, depth: number): unknown {
  const pick = rng.nextInt(depth > 3 ? 1 : 4);
  if (pick === 0) return LEAVES[rng.nextInt(LEAVES.length)];
  if (pick === 1) return Array.from({ length: rng.nextInt(5) }, () => randomValue(rng, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = rng.nextInt(6); i > 0; i--) out[KEYS[rng.nextInt(KEYS.length)]!] = randomValue(rng, depth + 1);
  return out;
}

/** The same content with every object's keys inserted in a shuffled order. */
function reinserted(value: unknown, rng: Rng): unknown {
  if (Array.isArray(value)) return value.map((v) => reinserted(v, rng));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, reinserted(v, rng)]));
}

test('canonicalJson: the insertion order of keys does not change the text (2,000 random nested values)', (t) => {
  const rng = new Rng('test:canonicalJson');
  const differing: string[] = [];
  for (let i = 0; i < 2_000; i++) {
    const value = randomValue(rng, 0);
    const text = canonicalJson(value);
    if (canonicalJson(reinserted(value, rng)) !== text) differing.push(text);
  }
  t.deepEqual(differing.slice(0, 5), []);
});

test('canonicalJson: keys sorted at every level, integer keys first in numeric order, as JSON.stringify writes values', (t) => {
  t.is(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } }), '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
  t.is(canonicalJson({ b: 1, 10: 2, a: 4, 9: 3, '01': 5 }), '{"9":3,"10":2,"01":5,"a":4,"b":1}');
  t.is(canonicalJson([1, undefined, NaN, -0]), '[1,null,null,0]');
  t.is(canonicalJson({ m: 64, target: 'h800-sxm', k: 128 }), '{"k":128,"m":64,"target":"h800-sxm"}');
  t.throws(() => canonicalJson({ a: 1n }), { instanceOf: TypeError });
});

test('canonicalJson: a flat record whose keys are already in order gives the text of its sorted copy', (t) => {
  // The fast path (JSON.stringify of the record itself) must agree with sorting wherever it is taken.
  const rng = new Rng('test:canonicalJson:flat');
  const differing: string[] = [];
  for (let i = 0; i < 2_000; i++) {
    const keys = [...new Set(Array.from({ length: rng.nextInt(8) }, () => KEYS[rng.nextInt(KEYS.length)]!))];
    if (rng.nextInt(2) === 0) keys.sort();
    const record: Record<string, unknown> = {};
    for (const key of keys) record[key] = LEAVES[rng.nextInt(LEAVES.length)];
    const sortedCopy: Record<string, unknown> = {};
    for (const key of Object.keys(record).sort()) sortedCopy[key] = record[key];
    if (canonicalJson(record) !== JSON.stringify(sortedCopy)) differing.push(JSON.stringify(record));
  }
  t.deepEqual(differing.slice(0, 5), []);
  t.is(canonicalJson({ a: 1, b: { d: 2, c: 1 } }), '{"a":1,"b":{"c":1,"d":2}}');
  t.is(canonicalJson(Object.assign(Object.create(null) as object, { a: 1, b: 2 })), '{"a":1,"b":2}');
});
