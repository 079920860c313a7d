import test from 'ava';
import { canonicalJson, mergedShape, recordShape, Rng } from '../../src/core/index.ts';

/** What the shapes replace: stores in a loop. */
function loopRecord(names: readonly string[], value: (name: string, i: number) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  names.forEach((n, i) => {
    out[n] = value(n, i);
  });
  return out;
}

// Keys that are awkward in generated code or in JavaScript's key order: quotes, backslashes, line breaks,
// integer-like keys (listed first, in numeric order), the empty string, "constructor", "toJSON", "__proto__".
const AWKWARD = ['a', 'b"c', 'd\\e', 'line\nbreak', '\u2028', '10', '9', '01', '-1', '', 'constructor', 'toJSON', 'x y', '${x}', '*/', '__proto__'];

test('recordShape: pick and fromValues give the keys, order and values of stores in a loop, awkward keys included', (t) => {
  const rng = new Rng('recordShape');
  for (let trial = 0; trial < 300; trial++) {
    const names = AWKWARD.filter(() => rng.nextFloat() < 0.5);
    const values = names.map((_, i) => (i % 2 === 0 ? rng.nextFloat() * 1e6 : `s${i}`));
    const source = loopRecord(names, (_, i) => values[i]);
    const expected = loopRecord(names, (_, i) => values[i]);
    const shape = recordShape<unknown>(names);
    for (const built of [shape.pick(source), shape.fromValues(values)]) {
      t.deepEqual(Object.keys(built), Object.keys(expected));
      t.deepEqual(Object.entries(built), Object.entries(expected));
      t.is(Object.getPrototypeOf(built), Object.getPrototypeOf(expected));
    }
  }
});

test('recordShape: "__proto__" stays what a store makes of it, and no key reaches the generated code as code', (t) => {
  const shape = recordShape<unknown>(['__proto__', 'a']);
  const proto = { inherited: 1 };
  const built = shape.fromValues([proto, 2]);
  const expected = loopRecord(['__proto__', 'a'], (_, i) => [proto, 2][i]);
  t.is(Object.getPrototypeOf(built), Object.getPrototypeOf(expected));
  t.deepEqual(Object.keys(built), ['a']);
  // A key that would close the literal and run code if pasted unquoted.
  const hostile = recordShape<number>(['a"]: 0}; throw new Error("ran"); //']);
  t.deepEqual(Object.entries(hostile.fromValues([1])), [['a"]: 0}; throw new Error("ran"); //', 1]]);
});

test('recordShape: a result copied in sorted order encodes as canonical JSON without the sorted copy', (t) => {
  const names = ['timeNs', 'bound', 'achievedTflops', 'costUsd'];
  const result = { timeNs: 12.5, bound: 'memory', achievedTflops: 301.25, costUsd: 30000 };
  const sorted = recordShape<number | string>([...names].sort()).pick(result);
  t.is(JSON.stringify(sorted), canonicalJson(result));
});

test('mergedShape: the same record as Object.assign({}, first, second), the second winning a shared name', (t) => {
  const merged = mergedShape<number, number | string>(['m', 'k', 'shared'], ['shared', 'timeNs', 'bound']);
  const first = { m: 1, k: 2, shared: 3 };
  const second = { shared: 4, timeNs: 5, bound: 'compute' };
  const built = merged.merge(first, second);
  t.deepEqual(built, Object.assign({}, first, second));
  t.deepEqual(merged.names, ['m', 'k', 'shared', 'timeNs', 'bound']);
  const withProto = mergedShape<number, number>(['__proto__'], ['a']);
  t.deepEqual(withProto.merge({ ['__proto__']: 1 } as Record<string, number>, { a: 2 }), Object.assign({}, { ['__proto__']: 1 }, { a: 2 }));
});
