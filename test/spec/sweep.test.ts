import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseSweepSpec } from '../../src/spec/index.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const EXAMPLES = 'examples/sweeps';
const base = { schemaVersion: 1, name: 'x', description: 'd', evaluator: 'gemm', parameters: { m: [1] } };

function messageOf(t: { throws: (fn: () => unknown) => Error | undefined }, doc: unknown): string | undefined {
  return t.throws(() => parseSweepSpec(doc, 'sweeps/x.yaml'))?.message;
}

test('sweep spec: every example in examples/sweeps parses and is deeply frozen', (t) => {
  const files = readdirSync(path.join(repoRoot, EXAMPLES)).filter((f) => f.endsWith('.yaml'));
  t.true(files.length >= 2);
  for (const file of files) {
    const spec = parseSweepSpec(parseYaml(readFileSync(path.join(repoRoot, EXAMPLES, file), 'utf8')), file);
    t.true(Object.isFrozen(spec.parameters), file);
  }
});

test('sweep spec: fills the schema defaults (grid sampler, no objectives or constraints, linear ranges) when left out', (t) => {
  const spec = parseSweepSpec({ ...base, parameters: { m: { from: 1, to: 4, step: 1 } } }, 'x');
  t.deepEqual(spec.sampler, { kind: 'grid' });
  t.deepEqual(spec.objectives, {});
  t.deepEqual(spec.constraints, []);
  t.deepEqual(spec.parameters.m, { from: 1, to: 4, step: 1, scale: 'linear', integer: false });
});

const badDocuments: readonly [string, Record<string, unknown>][] = [
  ['a parameter that is neither a list nor a range', { parameters: { m: 5 } }],
  ['an empty list', { parameters: { m: [] } }],
  ['a boolean in a list', { parameters: { m: [true] } }],
  ['a misspelt range key', { parameters: { m: { from: 1, to: 8, stp: 1 } } }],
  ['a range with both step and count', { parameters: { m: { from: 1, to: 8, step: 1, count: 8 } } }],
  ['a range whose end is below its start', { parameters: { m: { from: 8, to: 1, step: 1 } } }],
  ['a log range from zero', { parameters: { m: { from: 0, to: 8, count: 4, scale: 'log' } } }],
  ['a log range with a step', { parameters: { m: { from: 1, to: 8, step: 1, scale: 'log' } } }],
  ['a parameter name that is not an identifier', { parameters: { 'tokens-per-step': [1] } }],
  ['no parameters', { parameters: {} }],
  ['an unknown sampler', { sampler: { kind: 'sobol', count: 8 } }],
  ['a random sampler without a seed', { sampler: { kind: 'random', count: 8 } }],
  ['an objective without a goal', { objectives: { t: { expression: 'timeNs' } } }],
  ['an objective goal other than max or min', { objectives: { t: { expression: 'timeNs', goal: 'maximise' } } }],
  ['an empty constraint', { constraints: [''] }],
  ['an unknown top-level key', { samples: 10 }],
];

for (const [what, overrides] of badDocuments) {
  test(`sweep spec: names the path and the bad value when given ${what}`, (t) => {
    t.snapshot(messageOf(t, { ...base, ...overrides }));
  });
}

test('sweep spec: a key named "__proto__" anywhere is refused with its path, from JSON and from YAML (its value would be lost)', (t) => {
  const json = JSON.parse('{"schemaVersion":1,"name":"x","description":"d","evaluator":"gemm","parameters":{"m":[1]},"objectives":{"ok":{"expression":"timeNs","goal":"min"},"__proto__":{"expression":"costUsd","goal":"min"}}}') as unknown;
  t.is(messageOf(t, json), 'sweeps/x.yaml: objectives.__proto__: expected no key named "__proto__" (JavaScript makes it an object\'s prototype, so its value would be lost); rename it');
  const yaml = parseYaml('schemaVersion: 1\nname: x\ndescription: d\nevaluator: gemm\nparameters:\n  m: [1]\n  k:\n    - 1\n    - { __proto__: 2 }\n') as unknown;
  t.regex(messageOf(t, yaml) ?? '', /^sweeps\/x\.yaml: parameters\.k\.1\.__proto__: expected no key named "__proto__"/);
});
