// A sweep checked end to end before anything runs: evaluator known, parameters in its domains, expressions
// valid over its fields; then the point source that enumerates the design points.
import { SpecError, canonicalJson, sha256Hex, showValue } from '../core/index.ts';
import type { SweepSpec } from '../spec/index.ts';
import { compileExpressions, type CompiledExpressions } from './expressions.ts';
import { resolveParameters, type ResolvedParameter } from './parameters.ts';
import { createPointSource, type PointSource } from './samplers.ts';
import type { EvaluatorContext, EvaluatorDefinition } from './types.ts';

export interface SweepPlan {
  readonly spec: SweepSpec;
  readonly file: string;
  /** sha256 of the spec's canonical JSON (defaults included): what a stored sweep must match to resume or merge. */
  readonly specSha256: string;
  readonly evaluator: EvaluatorDefinition;
  readonly parameters: readonly ResolvedParameter[];
  /** Symbols expressions may use: every parameter and every result field. */
  readonly fields: readonly string[];
  readonly expressions: CompiledExpressions;
  readonly source: PointSource;
}

/** Everything but the point source: what a worker thread needs to evaluate points it is sent. */
export type EvaluationPlan = Omit<SweepPlan, 'source'>;

export function planEvaluation(spec: SweepSpec, file: string, evaluator: EvaluatorDefinition, context: EvaluatorContext): EvaluationPlan {
  if (spec.evaluator !== evaluator.name) {
    throw new SpecError(file, 'evaluator', `expected ${showValue(evaluator.name)} (the evaluator given), got ${showValue(spec.evaluator)}`);
  }
  const parameters = resolveParameters(spec, file, evaluator.parameters(context));
  const fields = [...parameters.map((p) => p.name), ...Object.keys(evaluator.fields)];
  const clash = parameters.find((p) => evaluator.fields[p.name] !== undefined);
  if (clash !== undefined) throw new SpecError(file, `parameters.${clash.name}`, `evaluator ${evaluator.name} has a result field of the same name; expected distinct names`);
  const expressions = compileExpressions(spec, file, fields);
  return { spec, file, specSha256: sha256Hex(canonicalJson(spec)), evaluator, parameters, fields, expressions };
}

export function planSweep(spec: SweepSpec, file: string, evaluator: EvaluatorDefinition, context: EvaluatorContext): SweepPlan {
  const plan = planEvaluation(spec, file, evaluator, context);
  return { ...plan, source: createPointSource(plan.parameters, spec.sampler, file) };
}
