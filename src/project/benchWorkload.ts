// The workload of nano-vLLM's bench.py (facts.md §C), replayed draw for draw: seed(S); prompts of
// randint(minIn, maxIn) token ids each drawn by randint(0, tokenIdMax); then max_tokens = randint(minOut, maxOut).
// Table 4's "512 sequences, Uniform(100, 1024)" is read as this script with num_seqs = 512 (facts.md §A1).
import { ModelError, showValue } from '../core/index.ts';
import { PythonRandom } from './pythonRandom.ts';

export interface BenchWorkloadSpec {
  readonly numSeqs: number;
  /** Argument of bench.py's `seed()`. */
  readonly seed: number;
  readonly minInputLen: number;
  readonly maxInputLen: number;
  readonly minOutputLen: number;
  readonly maxOutputLen: number;
  /** Prompt token ids are randint(0, tokenIdMax). */
  readonly tokenIdMax: number;
}

/** bench.py as shipped (facts.md §C) but for the sequence count: Table 4 uses 512. */
export const TABLE4_WORKLOAD: BenchWorkloadSpec = Object.freeze({
  numSeqs: 512,
  seed: 0,
  minInputLen: 100,
  maxInputLen: 1024,
  minOutputLen: 100,
  maxOutputLen: 1024,
  tokenIdMax: 10000,
});

export interface BenchWorkload {
  readonly spec: BenchWorkloadSpec;
  readonly promptLens: Int32Array;
  /** SamplingParams.max_tokens; with ignore_eos every sequence produces exactly this many tokens. */
  readonly maxTokens: Int32Array;
  readonly promptTokenIds: readonly Int32Array[];
  readonly totalPromptTokens: number;
  /** What bench.py divides by the wall time. */
  readonly totalOutputTokens: number;
}

export function benchWorkload(spec: BenchWorkloadSpec): BenchWorkload {
  checkSpec(spec);
  const rng = new PythonRandom(spec.seed);
  const promptTokenIds: Int32Array[] = [];
  const promptLens = new Int32Array(spec.numSeqs);
  // Python evaluates the outer comprehension's element, i.e. the inner length draw, before its token draws.
  for (let s = 0; s < spec.numSeqs; s++) {
    const len = rng.randint(spec.minInputLen, spec.maxInputLen);
    const ids = new Int32Array(len);
    for (let t = 0; t < len; t++) ids[t] = rng.randint(0, spec.tokenIdMax);
    promptTokenIds.push(ids);
    promptLens[s] = len;
  }
  const maxTokens = new Int32Array(spec.numSeqs);
  for (let s = 0; s < spec.numSeqs; s++) maxTokens[s] = rng.randint(spec.minOutputLen, spec.maxOutputLen);
  return Object.freeze({
    spec,
    promptLens,
    maxTokens,
    promptTokenIds: Object.freeze(promptTokenIds),
    totalPromptTokens: promptLens.reduce((a, b) => a + b, 0),
    totalOutputTokens: maxTokens.reduce((a, b) => a + b, 0),
  });
}

function checkSpec(spec: BenchWorkloadSpec): void {
  const positive = ['numSeqs', 'minInputLen', 'minOutputLen', 'tokenIdMax'] as const;
  for (const key of positive) {
    if (!Number.isSafeInteger(spec[key]) || spec[key] < 1) throw new ModelError(`benchWorkload: ${key}: expected a positive integer, got ${showValue(spec[key])}`);
  }
  if (!Number.isSafeInteger(spec.seed) || spec.seed < 0) throw new ModelError(`benchWorkload: seed: expected a non-negative integer, got ${showValue(spec.seed)}`);
  if (!Number.isSafeInteger(spec.maxInputLen) || spec.maxInputLen < spec.minInputLen) {
    throw new ModelError(`benchWorkload: maxInputLen: expected an integer >= minInputLen (${spec.minInputLen}), got ${showValue(spec.maxInputLen)}`);
  }
  if (!Number.isSafeInteger(spec.maxOutputLen) || spec.maxOutputLen < spec.minOutputLen) {
    throw new ModelError(`benchWorkload: maxOutputLen: expected an integer >= minOutputLen (${spec.minOutputLen}), got ${showValue(spec.maxOutputLen)}`);
  }
}
