// FP8 GEMM emulation C = A * B^T (A [M x K], B [N x K], block-scaled) with named accumulation models: exact
// float32, and Hopper-like ~14-bit accumulation with promotion to float32 (DeepSeek-V3, arXiv 2412.19437 §3.3.2, §3.5.2).
import { ModelError } from '../core/index.ts';
import { roundArrayToBfloat16 } from './bfloat16.ts';
import { decodeTable } from './formats.ts';
import { floorLog2, pow2 } from './rounding.ts';
import { checkQuantizedMatrix, type QuantizedMatrix } from './scaling.ts';
import { showNumber } from './showNumber.ts';

/** "limited to retaining around 14 bits" (§3.3.2): significant bits kept, leading bit included. */
export const HOPPER_ACCUMULATOR_BITS = 14;
/** "After aligning 32 mantissa products by right-shifting based on the maximum exponent" (§3.5.2). */
export const HOPPER_ALIGNMENT_GROUP = 32;
/** N_C = 128 elements, "equivalent to 4 WGMMAs" (§3.3.2). */
export const DEEPSEEK_V3_PROMOTION_INTERVAL = 128;

/**
 * Every product is exact (FP8 x FP8 has at most 8 significant bits), then scaled and summed on a float32
 * accumulator in increasing k: acc = fround(acc + fround(p * fround(scaleA * scaleB))). Each operation is
 * a correctly rounded float32 operation, because float64 has more than 2 * 24 + 2 bits (no double-rounding
 * error). This is the CUDA-core FP32 GEMM the limited accumulator is compared with.
 */
export interface ExactAccumulation {
  readonly kind: 'exact';
}

/**
 * A model of the H800 tensor-core FP8 accumulator, as DeepSeek-V3 describes it, per output element:
 * - K is cut into chunks of `promotionInterval` (N_C) elements. Each chunk starts a fresh limited
 *   accumulator and is promoted at its end: total = fround(total + fround(partial * fround(sA * sB))),
 *   with the scales of the chunk's K tile (DeepGEMM's promotion on CUDA cores). So scales may change
 *   only at chunk boundaries; N_C = Infinity (or >= K) never promotes and needs one scale along K.
 * - Within a chunk, products are taken `alignmentGroup` at a time. The group's products and the
 *   running accumulator are aligned to the largest exponent e among them and truncated toward zero
 *   below 2^(e - bits + 1) ("only uses the highest 14 bits ... and truncates bits exceeding this
 *   range"), then added exactly.
 * - The sum is stored with `bits` significant bits, truncated toward zero ("the accumulation of
 *   addition results into registers also employs 14-bit precision").
 * Truncation, not rounding, is why the error grows with K: every aligned product loses on average half
 * an accumulator ulp in the same direction when the products share a sign.
 */
export interface HopperAccumulation {
  readonly kind: 'hopper';
  readonly promotionInterval: number;
  readonly alignmentGroup: number;
  readonly accumulatorBits: number;
}

export type Accumulation = ExactAccumulation | HopperAccumulation;

export const EXACT_ACCUMULATION: ExactAccumulation = Object.freeze({ kind: 'exact' });

export function hopperAccumulation(
  promotionInterval: number = DEEPSEEK_V3_PROMOTION_INTERVAL,
  alignmentGroup: number = HOPPER_ALIGNMENT_GROUP,
  accumulatorBits: number = HOPPER_ACCUMULATOR_BITS,
): HopperAccumulation {
  return Object.freeze({ kind: 'hopper', promotionInterval, alignmentGroup, accumulatorBits });
}

/** 'bfloat16' rounds each float32 result to nearest-even bfloat16 (values stay in a Float32Array). */
export type GemmOutput = 'float32' | 'bfloat16';

export interface GemmFp8Options {
  readonly accumulation: Accumulation;
  readonly output?: GemmOutput;
}

// Keeps the exact integer sums of one aligned group below 2^53.
const MAX_ACCUMULATOR_BITS = 40;
const MAX_ALIGNMENT_GROUP = 4096;

interface Operands {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Decoded values, row-major, float64 so that products are formed exactly. */
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** Rows holding NaN or infinity (E5M2 specials); their outputs follow IEEE arithmetic instead. */
  readonly aSpecialRows: Uint8Array;
  readonly bSpecialRows: Uint8Array;
}

function decodeOperand(q: QuantizedMatrix): { values: Float64Array; specialRows: Uint8Array } {
  const table = decodeTable(q.format);
  const values = new Float64Array(q.codes.length);
  const specialRows = new Uint8Array(q.rows);
  for (let i = 0; i < values.length; i++) {
    const v = table[q.codes[i]!]!;
    values[i] = v;
    if (!Number.isFinite(v)) specialRows[Math.floor(i / q.cols)] = 1;
  }
  return { values, specialRows };
}

function prepare(fn: string, a: QuantizedMatrix, b: QuantizedMatrix): Operands {
  checkQuantizedMatrix(fn, 'a', a);
  checkQuantizedMatrix(fn, 'b', b);
  if (a.cols !== b.cols) throw new ModelError(`${fn}: b.cols ${b.cols} does not match a.cols ${a.cols}; both operands are stored [rows x K]`);
  const da = decodeOperand(a);
  const db = decodeOperand(b);
  return { m: a.rows, n: b.rows, k: a.cols, a: da.values, b: db.values, aSpecialRows: da.specialRows, bSpecialRows: db.specialRows };
}

function scaleAt(q: QuantizedMatrix, row: number, col: number): number {
  return q.scales[Math.floor(row / q.blockRows) * q.scaleCols + Math.floor(col / q.blockCols)]!;
}

/** IEEE float64 sum of scaled products: used for the reference, and for outputs that see NaN or infinity. */
function float64Dot(ops: Operands, a: QuantizedMatrix, b: QuantizedMatrix, i: number, j: number): number {
  let sum = 0;
  for (let kk = 0; kk < ops.k; kk++) sum += ops.a[i * ops.k + kk]! * ops.b[j * ops.k + kk]! * (scaleAt(a, i, kk) * scaleAt(b, j, kk));
  return sum;
}

function checkHopper(fn: string, acc: HopperAccumulation, a: QuantizedMatrix, b: QuantizedMatrix): number {
  const { promotionInterval, alignmentGroup, accumulatorBits } = acc;
  if (!(promotionInterval === Infinity || (Number.isInteger(promotionInterval) && promotionInterval >= 1))) {
    throw new ModelError(`${fn}: options.accumulation.promotionInterval ${showNumber(promotionInterval)} is not an integer >= 1 or Infinity`);
  }
  if (!Number.isInteger(alignmentGroup) || alignmentGroup < 1 || alignmentGroup > MAX_ALIGNMENT_GROUP) {
    throw new ModelError(`${fn}: options.accumulation.alignmentGroup ${showNumber(alignmentGroup)} is not an integer in [1, ${MAX_ALIGNMENT_GROUP}]`);
  }
  if (!Number.isInteger(accumulatorBits) || accumulatorBits < 1 || accumulatorBits > MAX_ACCUMULATOR_BITS) {
    throw new ModelError(`${fn}: options.accumulation.accumulatorBits ${showNumber(accumulatorBits)} is not an integer in [1, ${MAX_ACCUMULATOR_BITS}]`);
  }
  const chunk = Math.min(promotionInterval, a.cols);
  // Scales are applied at promotion, so every chunk must sit inside one K tile of each operand.
  for (const [name, q] of [['a', a], ['b', b]] as const) {
    for (let c0 = 0; c0 < a.cols; c0 += chunk) {
      const c1 = Math.min(c0 + chunk, a.cols);
      if (Math.floor(c0 / q.blockCols) !== Math.floor((c1 - 1) / q.blockCols)) {
        throw new ModelError(
          `${fn}: options.accumulation.promotionInterval ${showNumber(promotionInterval)} puts K elements [${c0}, ${c1}) under more than one scale of ${name} ` +
            `(${name}.blockCols ${q.blockCols}); expected a promotion interval that divides ${name}.blockCols, since scales are applied at promotion`,
        );
      }
    }
  }
  return chunk;
}

/**
 * The limited-precision partial sum of products a[aStart + t] * b[bStart + t], t in [0, length).
 * Integers ("units") stand for multiples of 2^(e - fractionBits): every term is exact in float64, so
 * Math.trunc is the only truncation. `products` is scratch space of at least `group` elements.
 */
function limitedPartialSum(
  a: Float64Array,
  aStart: number,
  b: Float64Array,
  bStart: number,
  length: number,
  group: number,
  fractionBits: number,
  products: Float64Array,
): number {
  const registerLimit = pow2(fractionBits + 1);
  let acc = 0;
  for (let g0 = 0; g0 < length; g0 += group) {
    const size = Math.min(group, length - g0);
    let maxAbs = Math.abs(acc);
    for (let t = 0; t < size; t++) {
      const p = a[aStart + g0 + t]! * b[bStart + g0 + t]!;
      products[t] = p;
      const abs = Math.abs(p);
      if (abs > maxAbs) maxAbs = abs;
    }
    if (maxAbs === 0) continue;
    const alignExponent = floorLog2(maxAbs);
    const toUnits = pow2(fractionBits - alignExponent);
    let units = Math.trunc(acc * toUnits);
    for (let t = 0; t < size; t++) units += Math.trunc(products[t]! * toUnits);
    const absUnits = Math.abs(units);
    if (absUnits >= registerLimit) {
      const dropUnits = pow2(floorLog2(absUnits) - fractionBits);
      units = Math.trunc(units / dropUnits) * dropUnits;
    }
    acc = units * pow2(alignExponent - fractionBits);
  }
  return acc;
}

function gemmHopper(ops: Operands, a: QuantizedMatrix, b: QuantizedMatrix, acc: HopperAccumulation, chunk: number, out: Float32Array): void {
  const { m, n, k } = ops;
  const fractionBits = acc.accumulatorBits - 1;
  const products = new Float64Array(acc.alignmentGroup);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      if (ops.aSpecialRows[i] === 1 || ops.bSpecialRows[j] === 1) {
        out[i * n + j] = float64Dot(ops, a, b, i, j);
        continue;
      }
      let total = 0;
      for (let c0 = 0; c0 < k; c0 += chunk) {
        const partial = limitedPartialSum(ops.a, i * k + c0, ops.b, j * k + c0, Math.min(chunk, k - c0), acc.alignmentGroup, fractionBits, products);
        const scale = Math.fround(scaleAt(a, i, c0) * scaleAt(b, j, c0));
        total = Math.fround(total + Math.fround(partial * scale));
      }
      out[i * n + j] = total;
    }
  }
}

function gemmExact(ops: Operands, a: QuantizedMatrix, b: QuantizedMatrix, out: Float32Array): void {
  const { m, n, k } = ops;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let total = 0;
      let c0 = 0;
      while (c0 < k) {
        // A run of k over which both scales are constant.
        const c1 = Math.min(k, (Math.floor(c0 / a.blockCols) + 1) * a.blockCols, (Math.floor(c0 / b.blockCols) + 1) * b.blockCols);
        const scale = Math.fround(scaleAt(a, i, c0) * scaleAt(b, j, c0));
        for (let t = c0; t < c1; t++) total = Math.fround(total + Math.fround(ops.a[i * k + t]! * ops.b[j * k + t]! * scale));
        c0 = c1;
      }
      out[i * n + j] = total;
    }
  }
}

/** C = A * B^T as a row-major [M x N] Float32Array, with the chosen accumulation model and output rounding. */
export function gemmFp8(a: QuantizedMatrix, b: QuantizedMatrix, options: GemmFp8Options): Float32Array {
  const output = options.output ?? 'float32';
  if (output !== 'float32' && output !== 'bfloat16') throw new ModelError(`gemmFp8: options.output ${showNumber(output)} is not 'float32' or 'bfloat16'`);
  const ops = prepare('gemmFp8', a, b);
  const out = new Float32Array(ops.m * ops.n);
  const { accumulation } = options;
  if (accumulation.kind === 'exact') gemmExact(ops, a, b, out);
  else if (accumulation.kind === 'hopper') gemmHopper(ops, a, b, accumulation, checkHopper('gemmFp8', accumulation, a, b), out);
  else throw new ModelError(`gemmFp8: options.accumulation.kind ${showNumber((accumulation as { kind: unknown }).kind)} is not 'exact' or 'hopper'`);
  return output === 'bfloat16' ? roundArrayToBfloat16(out) : out;
}

/** Float64 reference of the same quantised inputs: sum over k of decode(a) * decode(b) * sA * sB, in increasing k. */
export function gemmReferenceFloat64(a: QuantizedMatrix, b: QuantizedMatrix): Float64Array {
  const ops = prepare('gemmReferenceFloat64', a, b);
  const out = new Float64Array(ops.m * ops.n);
  for (let i = 0; i < ops.m; i++) {
    for (let j = 0; j < ops.n; j++) out[i * ops.n + j] = float64Dot(ops, a, b, i, j);
  }
  return out;
}
