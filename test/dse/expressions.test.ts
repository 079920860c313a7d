import test from 'ava';
import { compileExpression, compileExpressions, constraintHolds, objectiveValue } from '../../src/dse/index.ts';
import { spec } from './helpers.ts';

const FIELDS = ['target', 'm', 'engramTokPerS', 'costUsd', 'hbmCacheBytes', 'bound'];

test('compileExpression: evaluates arithmetic, comparisons and whitelisted functions over the scope', (t) => {
  const e = compileExpression('engramTokPerS / costUsd * max(1, log2(m))', 'f.yaml', 'objectives.a.expression', FIELDS);
  t.is(e.evaluate({ engramTokPerS: 1000, costUsd: 10, m: 8 }), 300);
  t.true(compileExpression('hbmCacheBytes <= 8e9 and m > 2', 'f', 'p', FIELDS).evaluate({ hbmCacheBytes: 8e9, m: 3 }) as boolean);
});

test('compileExpression: compares names as text when one side is a quoted string', (t) => {
  const eq = compileExpression('target == "tpu-v5e"', 'f', 'p', FIELDS);
  const ne = compileExpression('bound != "memory"', 'f', 'p', FIELDS);
  t.true(eq.evaluate({ target: 'tpu-v5e' }) as boolean);
  t.false(eq.evaluate({ target: 'h800-sxm' }) as boolean);
  t.true(ne.evaluate({ bound: 'compute' }) as boolean);
  t.false(ne.evaluate({ bound: 'memory' }) as boolean);
});

const badExpressions: readonly [string, string][] = [
  ['a syntax error, with mathjs\'s message', 'engramTokPerS / '],
  ['an unknown symbol, suggesting the field it resembles', 'engramTokPerS / costUsdd'],
  ['several unknown symbols', 'foo + bar * m'],
  ['an unknown function', 'evaluate("1")'],
  ['an assignment', 'm = 3'],
  ['a function definition', 'f(x) = x'],
  ['indexing', 'm[1]'],
];

for (const [what, text] of badExpressions) {
  test(`compileExpression: names file, path and expression when given ${what}`, (t) => {
    const error = t.throws(() => compileExpression(text, 'sweeps/s.yaml', 'objectives.tokPerUsd.expression', FIELDS));
    t.snapshot(error?.message);
  });
}

test('compileExpressions: points at the constraint by index when one is bad', (t) => {
  const s = spec({ parameters: { m: [1] }, constraints: ['m > 1', 'mm > 2'] });
  const error = t.throws(() => compileExpressions(s, 'test.yaml', ['m']));
  t.regex(error?.message ?? '', /^test\.yaml: constraints\[1\]: expression "mm > 2": unknown symbol "mm" \(did you mean "m"\?\)/);
});

test('objectiveValue: gives null for a non-finite value and the number otherwise', (t) => {
  const s = spec({ parameters: { m: [1] }, objectives: { r: { expression: 'm / costUsd', goal: 'max' } } });
  const [o] = compileExpressions(s, 'test.yaml', ['m', 'costUsd']).objectives;
  t.is(objectiveValue(o!, { m: 4, costUsd: 2 }, 'test.yaml'), 2);
  t.is(objectiveValue(o!, { m: 4, costUsd: 0 }, 'test.yaml'), null);
});

test('objectiveValue: names the expression and the point when the value is not a number', (t) => {
  const s = spec({ parameters: { m: [1] }, objectives: { r: { expression: 'target', goal: 'max' } } });
  const [o] = compileExpressions(s, 'test.yaml', ['m', 'target']).objectives;
  t.snapshot(t.throws(() => objectiveValue(o!, { m: 4, target: 'tpu-v5e' }, 'test.yaml'))?.message);
});

test('constraintHolds: accepts booleans and numbers, and names the point when mathjs fails', (t) => {
  const fields = ['m', 'target'];
  t.true(constraintHolds(compileExpression('m > 1', 'f', 'constraints[0]', fields), { m: 2 }, 'f'));
  t.false(constraintHolds(compileExpression('m - 2', 'f', 'constraints[0]', fields), { m: 2 }, 'f'));
  t.snapshot(t.throws(() => constraintHolds(compileExpression('target > 1', 'f', 'constraints[0]', fields), { m: 2, target: 'tpu-v5e' }, 'f'))?.message);
});
