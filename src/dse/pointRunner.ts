// Evaluates one scheduled point: the evaluator, then the spec's objectives and constraints over the point's
// parameters and result. The same function runs in the CLI's main thread and in its worker threads.
import { EngramError, ModelError, SimError, canonicalJson, mergedShape, recordShape, showValue } from '../core/index.ts';
import { constraintHolds, objectiveValue, type Scope } from './expressions.ts';
import type { EvaluationPlan, SweepPlan } from './plan.ts';
import { seedFromHex } from './pointKey.ts';
import { pendingPoint } from './shard.ts';
import type { EvaluatorContext, ParameterValue, PendingPoint, PointOutcome, ResultField, ResultRecord, ResultValue, StoredPoint } from './types.ts';

export type PointRunner = (item: PendingPoint) => PointOutcome;

export function createPointRunner(plan: EvaluationPlan, context: EvaluatorContext): PointRunner {
  const evaluate = plan.evaluator.create(context);
  const { objectives, constraints } = plan.expressions;
  const fieldEntries = Object.entries(plan.evaluator.fields);
  // Records of fixed keys built as object literals (core/recordShape.ts): the result copied into key order (a
  // result in that order is stored without a sorted copy, core/hash.ts), the expressions' scope (the point's
  // parameters, then the result) and the objective values.
  const sortedResult = recordShape<ResultValue>(fieldEntries.map(([name]) => name).sort());
  const scopeOf = mergedShape<ParameterValue, ResultValue>(plan.parameters.map((p) => p.name), sortedResult.names);
  const objectiveRecord = recordShape<number | null>(objectives.map((o) => o.name));
  const objectiveValues: (number | null)[] = objectives.map(() => null);
  return (item) => {
    let result: ResultRecord;
    try {
      result = evaluate(item.point, seedFromHex(item.seedHex));
    } catch (error) {
      // The model rejected this point (a documented domain limit): stored as the point's error, not fatal.
      if (error instanceof ModelError || error instanceof SimError) {
        return { ...item, result: {}, error: error.message, objectives: objectiveRecord.fromValues(objectiveValues.fill(null)), feasible: false };
      }
      if (error instanceof EngramError) throw error;
      throw new Error(`evaluator ${plan.evaluator.name}@${plan.evaluator.version} failed at point ${showValue(item.point)}: ${(error as Error).message}`, { cause: error });
    }
    checkResult(result, fieldEntries, plan, item);
    result = sortedResult.pick(result);
    const scope: Scope = scopeOf.merge(item.point, result);
    for (let i = 0; i < objectives.length; i++) objectiveValues[i] = objectiveValue(objectives[i]!, scope, plan.file);
    const feasible = constraints.every((c) => constraintHolds(c, scope, plan.file));
    return { index: item.index, key: item.key, seedHex: item.seedHex, point: item.point, pointJson: item.pointJson, result, error: null, objectives: objectiveRecord.fromValues(objectiveValues), feasible };
  };
}

/** Holds an evaluator to its declared fields, so expressions checked against them cannot meet a surprise. */
function checkResult(result: ResultRecord, fieldEntries: readonly (readonly [string, ResultField])[], plan: EvaluationPlan, item: PendingPoint): void {
  const fields = plan.evaluator.fields;
  for (const [name, field] of fieldEntries) {
    const value = result[name];
    const ok = field.type === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === 'string';
    if (!ok) throw new Error(`evaluator ${plan.evaluator.name}@${plan.evaluator.version}: field ${name}: expected a ${field.type === 'number' ? 'finite number' : 'string'}, got ${showValue(value)} at point ${showValue(item.point)}`);
  }
  // Every declared field is present, so more keys than fields means an undeclared one (counted without
  // Object.keys: its array was a few percent of the bytes a gemm point allocated).
  let keyCount = 0;
  for (const name in result) if (Object.hasOwn(result, name)) keyCount++;
  if (keyCount === fieldEntries.length) return;
  const extra = Object.keys(result).find((name) => fields[name] === undefined);
  if (extra !== undefined) throw new Error(`evaluator ${plan.evaluator.name}@${plan.evaluator.version}: returned undeclared field ${extra}`);
}

export function encodeOutcome(outcome: PointOutcome): StoredPoint {
  return {
    key: outcome.key,
    idx: outcome.index,
    point: outcome.pointJson,
    seed: outcome.seedHex,
    result: canonicalJson(outcome.result),
    error: outcome.error,
    objectives: canonicalJson(outcome.objectives),
    feasible: outcome.feasible ? 1 : 0,
  };
}

/** Enumerates, evaluates and encodes points by index: all the per-point work, so a thread pool only ships indices. */
export function createIndexEvaluator(plan: SweepPlan, context: EvaluatorContext): (index: number) => StoredPoint {
  const run = createPointRunner(plan, context);
  return (index) => encodeOutcome(run(pendingPoint(plan.source, index)));
}
