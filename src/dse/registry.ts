// The explicit list of sweep evaluators (style.md convention 8: no registration by side effect). Adding one:
// a file exporting an EvaluatorDefinition (src/project for model-backed ones), then a line here.
import { SpecError, showValue } from '../core/index.ts';
import { engramProjectionEvaluator, gemmEvaluator, projectionEvaluator } from '../project/index.ts';
import type { EvaluatorDefinition } from './types.ts';

const DEFINITIONS: readonly EvaluatorDefinition[] = [gemmEvaluator, engramProjectionEvaluator, projectionEvaluator];

export const evaluatorRegistry: ReadonlyMap<string, EvaluatorDefinition> = new Map(DEFINITIONS.map((d) => [d.name, d]));

/** The evaluator a spec names; `file` is the spec, named in the error for an unknown name. */
export function findEvaluator(name: string, file: string): EvaluatorDefinition {
  const definition = evaluatorRegistry.get(name);
  if (definition === undefined) throw new SpecError(file, 'evaluator', `unknown evaluator ${showValue(name)}; expected one of ${[...evaluatorRegistry.keys()].join(', ')}`);
  return definition;
}
