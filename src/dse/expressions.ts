// Objectives and constraints as mathjs expressions over a point's parameters and its result fields, checked
// before a sweep runs: syntax, symbols against the known fields, and a whitelist of pure functions.
import { createRequire } from 'node:module';
import type { MathNode } from 'mathjs';
import { SpecError, showValue } from '../core/index.ts';
import type { ObjectiveGoal, SweepSpec } from '../spec/index.ts';
import type { ParameterValue, ResultValue } from './types.ts';

// mathjs's single-file bundle (a documented export of the package) loads in about 0.1 s where its ESM build of
// ~1,500 modules takes 1-1.5 s; every sweep worker thread loads it, so start-up time decides.
const math = createRequire(import.meta.url)('mathjs/lib/browser/math.js') as typeof import('mathjs');
const { ConstantNode, FunctionNode, OperatorNode, SymbolNode, parse } = math;

/** Pure numeric functions an expression may call; anything else (import, createUnit, evaluate...) is refused. */
export const EXPRESSION_FUNCTIONS: readonly string[] = Object.freeze([
  'abs', 'cbrt', 'ceil', 'equalText', 'exp', 'floor', 'hypot', 'log', 'log10', 'log2', 'max', 'min', 'mod', 'pow', 'round', 'sign', 'sqrt',
]);
const CONSTANTS: readonly string[] = ['pi', 'e', 'Infinity'];
/** Node types of arithmetic, comparison, logic and ?: (no assignment, indexing, objects or function definitions). */
const ALLOWED_NODES = new Set(['ConstantNode', 'SymbolNode', 'OperatorNode', 'ParenthesisNode', 'FunctionNode', 'ConditionalNode']);

export type Scope = Readonly<Record<string, ParameterValue | ResultValue>>;

export interface CompiledExpression {
  readonly text: string;
  /** Where the expression sits in the spec, e.g. `objectives.tokPerUsd.expression`. */
  readonly path: string;
  evaluate(scope: Scope): unknown;
}

export interface CompiledObjective {
  readonly name: string;
  readonly goal: ObjectiveGoal;
  readonly expression: CompiledExpression;
}

export interface CompiledExpressions {
  readonly objectives: readonly CompiledObjective[];
  readonly constraints: readonly CompiledExpression[];
}

/** Compiles every objective and constraint of `spec`; `fields` are the symbols a point's scope will hold. */
export function compileExpressions(spec: SweepSpec, file: string, fields: readonly string[]): CompiledExpressions {
  const objectives = Object.keys(spec.objectives)
    .sort()
    .map((name) => {
      const { expression, goal } = spec.objectives[name]!;
      return { name, goal, expression: compileExpression(expression, file, `objectives.${name}.expression`, fields) };
    });
  const constraints = spec.constraints.map((text, i) => compileExpression(text, file, `constraints[${i}]`, fields));
  return { objectives, constraints };
}

export function compileExpression(text: string, file: string, path: string, fields: readonly string[]): CompiledExpression {
  const where = `expression ${JSON.stringify(text)}`;
  let node: MathNode;
  try {
    node = parse(text);
  } catch (error) {
    throw new SpecError(file, path, `${where}: mathjs: ${(error as Error).message}`, { cause: error });
  }
  const known = new Set(fields);
  const unknownSymbols = new Set<string>();
  node.traverse((n, childPath, parent) => {
    if (!ALLOWED_NODES.has(n.type)) {
      throw new SpecError(file, path, `${where}: ${n.type} ${JSON.stringify(n.toString())} is not allowed; expected arithmetic, comparisons, and/or/not, ?: and the functions ${EXPRESSION_FUNCTIONS.join(', ')}`);
    }
    if (n instanceof SymbolNode) {
      const isCallee = parent instanceof FunctionNode && childPath === 'fn';
      if (isCallee) {
        if (!EXPRESSION_FUNCTIONS.includes(n.name)) {
          throw new SpecError(file, path, `${where}: unknown function ${JSON.stringify(n.name)}; expected one of ${EXPRESSION_FUNCTIONS.join(', ')}`);
        }
      } else if (!known.has(n.name) && !CONSTANTS.includes(n.name)) {
        unknownSymbols.add(n.name);
      }
    }
  });
  if (unknownSymbols.size > 0) {
    const names = [...unknownSymbols];
    const hints = names.map((name) => closest(name, fields)).filter((hint): hint is string => hint !== undefined);
    const hint = hints.length > 0 ? ` (did you mean ${hints.map((h) => JSON.stringify(h)).join(', ')}?)` : '';
    throw new SpecError(
      file,
      path,
      `${where}: unknown symbol${names.length > 1 ? 's' : ''} ${names.map((s) => JSON.stringify(s)).join(', ')}${hint}; expected parameters or result fields: ${[...fields].sort().join(', ')}`,
    );
  }
  const compiled = withTextEquality(node).compile();
  return {
    text,
    path,
    evaluate(scope) {
      try {
        // No copy of the scope: the node types allowed above include no assignment, so evaluation cannot write to it.
        return compiled.evaluate(scope);
      } catch (error) {
        throw new SpecError(file, path, `${where}: mathjs: ${(error as Error).message} at point ${showValue(scope)}`, { cause: error });
      }
    },
  };
}

/** mathjs compares strings as numbers; `target == "tpu-v5e"` becomes equalText so names compare as text. */
function withTextEquality(node: MathNode): MathNode {
  return node.transform((n) => {
    if (n instanceof OperatorNode && (n.fn === 'equal' || n.fn === 'unequal') && n.args.some((a) => a instanceof ConstantNode && typeof a.value === 'string')) {
      const call = new FunctionNode(new SymbolNode('equalText'), n.args.map((a) => withTextEquality(a)));
      return n.fn === 'equal' ? call : new OperatorNode('not', 'not', [call]);
    }
    return n;
  });
}

/** The field closest to `name` by edit distance, if it is close enough to be a typo. */
function closest(name: string, fields: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const field of fields) {
    const d = editDistance(name.toLowerCase(), field.toLowerCase());
    if (d < bestDistance) {
      best = field;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** An objective's value: a finite number, or null (stored as such and left out of Pareto fronts). */
export function objectiveValue(objective: CompiledObjective, scope: Scope, file: string): number | null {
  const value = objective.expression.evaluate(scope);
  const number = typeof value === 'boolean' ? Number(value) : value;
  if (typeof number !== 'number') {
    throw new SpecError(file, objective.expression.path, `expression ${JSON.stringify(objective.expression.text)}: expected a number, got ${showValue(String(value))} at point ${showValue(scope)}`);
  }
  return Number.isFinite(number) ? number : null;
}

/** Whether a constraint holds: true, or a non-zero number. */
export function constraintHolds(constraint: CompiledExpression, scope: Scope, file: string): boolean {
  const value = constraint.evaluate(scope);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && !Number.isNaN(value)) return value !== 0;
  throw new SpecError(file, constraint.path, `expression ${JSON.stringify(constraint.text)}: expected true or false, got ${showValue(String(value))} at point ${showValue(scope)}`);
}
