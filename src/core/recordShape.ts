// Records whose keys are known once and then built millions of times (a sweep builds several per point). An
// object filled by `out[name] = value` in a loop goes through V8's generic keyed stores, a chain of hidden-class
// transitions and megamorphic lookups on every record: about half of a gemm sweep's time per point went there. A
// RecordShape compiles, for its fixed key list, functions that build the record as one object literal, so every
// record of the shape shares one hidden class from the start and is built with plain stores.
//
// The generated code only ever contains the keys as JSON string literals, so any key text is safe to embed.
// Keys an object literal cannot hold as plain own data properties ("__proto__" would set the prototype) make
// the shape fall back to the generic loop, with the same result.

/** Builds records with exactly these keys. Key order follows JavaScript's own rules, as for `out[name] = v`. */
export interface RecordShape<V> {
  readonly names: readonly string[];
  /** A new record holding `source[name]` for every name (missing ones as undefined). */
  pick(source: Readonly<Record<string, V>>): Record<string, V>;
  /** A new record holding `values[i]` under `names[i]`. */
  fromValues(values: ArrayLike<V>): Record<string, V>;
}

/** The shape of `names`; a name listed twice keeps its last value, as repeated stores would. */
export function recordShape<V>(names: readonly string[]): RecordShape<V> {
  const frozen = Object.freeze([...names]);
  if (frozen.includes('__proto__')) return genericShape(frozen);
  const literal = (value: (name: string, i: number) => string): string => `return {${frozen.map((n, i) => `${JSON.stringify(n)}: ${value(n, i)}`).join(', ')}};`;
  const pick = new Function('s', literal((n) => `s[${JSON.stringify(n)}]`)) as RecordShape<V>['pick'];
  const fromValues = new Function('v', literal((_, i) => `v[${i}]`)) as RecordShape<V>['fromValues'];
  return { names: frozen, pick, fromValues };
}

/** Two sources merged into one record: `first`'s names, then `second`'s (a name in both takes `second`'s value). */
export interface MergedShape<A, B> {
  readonly names: readonly string[];
  merge(first: Readonly<Record<string, A>>, second: Readonly<Record<string, B>>): Record<string, A | B>;
}

export function mergedShape<A, B>(firstNames: readonly string[], secondNames: readonly string[]): MergedShape<A, B> {
  const fromFirst = firstNames.filter((n) => !secondNames.includes(n));
  const names = Object.freeze([...fromFirst, ...secondNames]);
  if (names.includes('__proto__')) {
    return { names, merge: (first, second) => Object.assign({}, first, second) as Record<string, A | B> };
  }
  const body = [...fromFirst.map((n) => `${JSON.stringify(n)}: a[${JSON.stringify(n)}]`), ...secondNames.map((n) => `${JSON.stringify(n)}: b[${JSON.stringify(n)}]`)];
  const merge = new Function('a', 'b', `return {${body.join(', ')}};`) as MergedShape<A, B>['merge'];
  return { names, merge };
}

function genericShape<V>(names: readonly string[]): RecordShape<V> {
  return {
    names,
    pick(source) {
      const out: Record<string, V> = {};
      for (const n of names) out[n] = source[n]!;
      return out;
    },
    fromValues(values) {
      const out: Record<string, V> = {};
      names.forEach((n, i) => {
        out[n] = values[i]!;
      });
      return out;
    },
  };
}
