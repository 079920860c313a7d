// Public surface of dse/: sweep planning (parameters, samplers, expressions), per-point keys and seeds,
// sharding, the point runner shared by all threads, Pareto filtering and the evaluator registry. No I/O.
export type {
  Evaluator,
  EvaluatorContext,
  EvaluatorDefinition,
  ParameterDomain,
  ParameterValue,
  PendingPoint,
  PointOutcome,
  ResultField,
  ResultRecord,
  ResultValue,
  StoredPoint,
  SweepMeta,
  SweepPoint,
} from './types.ts';
export { pointKey, seedFromHex, seedHexOf } from './pointKey.ts';
export { rangeValues, resolveParameters, roundSignificant, valueAt, type ResolvedParameter } from './parameters.ts';
export { MAX_GRID_POINTS, createPointSource, type PointSource } from './samplers.ts';
export {
  EXPRESSION_FUNCTIONS,
  compileExpression,
  compileExpressions,
  constraintHolds,
  objectiveValue,
  type CompiledExpression,
  type CompiledExpressions,
  type CompiledObjective,
  type Scope,
} from './expressions.ts';
export { planEvaluation, planSweep, type EvaluationPlan, type SweepPlan } from './plan.ts';
export { createIndexEvaluator, createPointRunner, encodeOutcome, type PointRunner } from './pointRunner.ts';
export { WHOLE_SWEEP, pendingPoint, scanShard, shardIndices, type Shard, type ShardScan } from './shard.ts';
export { dominates, paretoFront } from './pareto.ts';
export { evaluatorRegistry, findEvaluator } from './registry.ts';
