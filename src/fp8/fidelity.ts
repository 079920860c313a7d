// Accumulation fidelity of FP8 GEMM versus K: the maximum relative error of each accumulation model against a
// float64 reference of the same quantised inputs, the experiment of DeepSeek-V3 (arXiv 2412.19437 §3.3.2, Fig. 7b).
import { ModelError, Rng } from '../core/index.ts';
import {
  DEEPSEEK_V3_PROMOTION_INTERVAL,
  EXACT_ACCUMULATION,
  gemmFp8,
  gemmReferenceFloat64,
  hopperAccumulation,
  type Accumulation,
} from './gemm.ts';
import {
  DEEPSEEK_V3_ACTIVATION_SCHEME,
  DEEPSEEK_V3_WEIGHT_SCHEME,
  PER_TENSOR_LAYOUT,
  quantizeMatrix,
  type ScalingScheme,
} from './scaling.ts';
import { showNumber } from './showNumber.ts';

/**
 * DeepSeek-V3 says only "two random matrices". 'uniform01' (iid U[0, 1), like torch.rand) has positive
 * products, so truncation errors add up instead of cancelling and every output is far from zero: the
 * worst case for a truncating accumulator, and a stable max. 'normal01' (iid N(0, 1), like torch.randn)
 * has outputs near zero whose relative error is large and seed-dependent.
 */
export type InputDistribution = 'uniform01' | 'normal01';
export const INPUT_DISTRIBUTIONS: readonly InputDistribution[] = Object.freeze(['uniform01', 'normal01']);

export interface FidelityColumn {
  readonly name: string;
  readonly description: string;
  readonly schemeA: ScalingScheme;
  readonly schemeB: ScalingScheme;
  readonly accumulation: Accumulation;
}

const PER_TENSOR_E4M3: ScalingScheme = Object.freeze({ format: 'e4m3', layout: PER_TENSOR_LAYOUT, scaleEncoding: 'float32' });

/**
 * The first three columns share per-tensor E4M3 inputs, so they differ only in accumulation (a
 * never-promoting accumulator cannot apply per-K-tile scales). The last is DeepSeek-V3's recipe.
 */
export const FIDELITY_COLUMNS: readonly FidelityColumn[] = Object.freeze([
  Object.freeze({
    name: 'hopper-no-promotion',
    description: '14-bit accumulator, never promoted (per-tensor scales)',
    schemeA: PER_TENSOR_E4M3,
    schemeB: PER_TENSOR_E4M3,
    accumulation: hopperAccumulation(Infinity),
  }),
  Object.freeze({
    name: 'hopper-promote-128',
    description: '14-bit accumulator promoted to float32 every 128 (per-tensor scales)',
    schemeA: PER_TENSOR_E4M3,
    schemeB: PER_TENSOR_E4M3,
    accumulation: hopperAccumulation(DEEPSEEK_V3_PROMOTION_INTERVAL),
  }),
  Object.freeze({
    name: 'exact-fp32',
    description: 'exact products, float32 accumulation (per-tensor scales)',
    schemeA: PER_TENSOR_E4M3,
    schemeB: PER_TENSOR_E4M3,
    accumulation: EXACT_ACCUMULATION,
  }),
  Object.freeze({
    name: 'deepseek-v3',
    description: '14-bit accumulator promoted every 128, 1x128 activation and 128x128 weight scales',
    schemeA: DEEPSEEK_V3_ACTIVATION_SCHEME,
    schemeB: DEEPSEEK_V3_WEIGHT_SCHEME,
    accumulation: hopperAccumulation(DEEPSEEK_V3_PROMOTION_INTERVAL),
  }),
]);

export interface AccumulationFidelityOptions {
  readonly ks: readonly number[];
  readonly m: number;
  readonly n: number;
  readonly seed: number | bigint | string;
  readonly distribution: InputDistribution;
  readonly columns?: readonly FidelityColumn[];
}

export interface AccumulationFidelityRow {
  readonly k: number;
  /** Column name -> max over outputs of |C - C_ref| / |C_ref|. */
  readonly maxRelError: Readonly<Record<string, number>>;
}

export interface AccumulationFidelityTable {
  readonly m: number;
  readonly n: number;
  readonly seed: string;
  readonly distribution: InputDistribution;
  readonly columns: readonly { readonly name: string; readonly description: string }[];
  readonly rows: readonly AccumulationFidelityRow[];
}

export const DEFAULT_FIDELITY_KS: readonly number[] = Object.freeze([512, 1024, 2048, 4096, 8192, 16384]);

/** max |c - ref| / |ref| over all outputs; an output with ref = 0 counts 0 if c = 0, else Infinity. */
export function maxRelativeError(c: Float32Array, ref: Float64Array): number {
  if (c.length !== ref.length) throw new ModelError(`maxRelativeError: c.length ${c.length} does not match ref.length ${ref.length}`);
  let worst = 0;
  for (let i = 0; i < c.length; i++) {
    const r = ref[i]!;
    const diff = Math.abs(c[i]! - r);
    const rel = r === 0 ? (diff === 0 ? 0 : Infinity) : diff / Math.abs(r);
    if (!(rel <= worst)) worst = rel;
  }
  return worst;
}

function randomMatrix(rng: Rng, length: number, distribution: InputDistribution): Float32Array {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = distribution === 'uniform01' ? rng.nextFloat() : rng.nextNormal();
  return values;
}

function checkPositiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new ModelError(`accumulationFidelity: options.${field} ${showNumber(value)} is not an integer >= 1`);
}

/**
 * One row per K. The inputs for a K are drawn from Rng(seed).child(`k=${K}`) (A first, then B), so a row
 * does not depend on which other Ks are in the table.
 */
export function accumulationFidelity(options: AccumulationFidelityOptions): AccumulationFidelityTable {
  const { m, n, ks, distribution } = options;
  const columns = options.columns ?? FIDELITY_COLUMNS;
  checkPositiveInteger('m', m);
  checkPositiveInteger('n', n);
  if (ks.length === 0) throw new ModelError('accumulationFidelity: options.ks is empty; expected at least one K');
  ks.forEach((k, i) => checkPositiveInteger(`ks[${i}]`, k));
  if (!INPUT_DISTRIBUTIONS.includes(distribution)) {
    throw new ModelError(`accumulationFidelity: options.distribution ${showNumber(distribution)} is not one of ${INPUT_DISTRIBUTIONS.join(', ')}`);
  }
  const root = new Rng(options.seed);
  const rows = ks.map((k): AccumulationFidelityRow => {
    const rng = root.child(`k=${k}`);
    const a = randomMatrix(rng, m * k, distribution);
    const b = randomMatrix(rng, n * k, distribution);
    const maxRelError: Record<string, number> = {};
    for (const column of columns) {
      const qa = quantizeMatrix(a, m, k, column.schemeA);
      const qb = quantizeMatrix(b, n, k, column.schemeB);
      maxRelError[column.name] = maxRelativeError(gemmFp8(qa, qb, { accumulation: column.accumulation }), gemmReferenceFloat64(qa, qb));
    }
    return Object.freeze({ k, maxRelError: Object.freeze(maxRelError) });
  });
  return Object.freeze({
    m,
    n,
    seed: String(options.seed),
    distribution,
    columns: Object.freeze(columns.map((c) => Object.freeze({ name: c.name, description: c.description }))),
    rows: Object.freeze(rows),
  });
}
