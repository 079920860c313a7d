// Shared inputs of the dse tests: the shipped targets, configurations and costs as evaluators see them, and a
// spec builder with the schema's defaults.
import { loadCosts, loadEvaluatorContext } from '../../src/cli/workers/sweepInputs.ts';
import { hashString64 } from '../../src/core/index.ts';
import type { EvaluatorContext } from '../../src/dse/index.ts';
import { parseSweepSpec, type SweepSpec } from '../../src/spec/index.ts';

let cached: EvaluatorContext | undefined;

/** Loaded once per test file: every named target and configuration plus targets/costs/default.json. */
export function shippedContext(): EvaluatorContext {
  cached ??= loadEvaluatorContext(loadCosts(undefined, process.cwd()).costs, process.cwd());
  return cached;
}

export function spec(fields: Record<string, unknown>): SweepSpec {
  return parseSweepSpec({ schemaVersion: 1, name: 'test', description: 'test sweep', evaluator: 'gemm', ...fields }, 'test.yaml');
}

/** A fast-check seed from the test title (style.md convention 11), so a failure replays. */
export function seedFor(title: string): number {
  return Number(hashString64(title) & 0x7fffffffn);
}
