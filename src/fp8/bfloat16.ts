// Rounding to bfloat16 (1 sign, 8 exponent, 7 mantissa bits; float32's exponent range), the output type of
// DeepSeek-V3's FP8 GEMMs (arXiv 2412.19437 §3.3.1). Round-to-nearest-even per IEEE 754-2019 §4.3.1.
import { floorLog2, pow2, roundHalfToEven } from './rounding.ts';

const BF16_MANTISSA_BITS = 7;
const BF16_MIN_NORMAL_EXPONENT = -126;
/** (2 - 2^-7) * 2^127, bit pattern 0x7F7F. */
export const BF16_MAX_FINITE = (2 - 2 ** -7) * 2 ** 127;

/**
 * The bfloat16 value nearest to x (ties to even), returned as a number (exact in float32).
 * Values whose rounded magnitude exceeds BF16_MAX_FINITE become ±infinity; NaN stays NaN.
 */
export function roundToBfloat16(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a === 0 || a === Infinity) return x;
  const exponent = Math.max(floorLog2(a), BF16_MIN_NORMAL_EXPONENT);
  const quantum = pow2(exponent - BF16_MANTISSA_BITS);
  const rounded = roundHalfToEven(a / quantum) * quantum;
  const magnitude = rounded > BF16_MAX_FINITE ? Infinity : rounded;
  return x < 0 ? -magnitude : magnitude;
}

/** Rounds every element to bfloat16 in place and returns the array. */
export function roundArrayToBfloat16(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) values[i] = roundToBfloat16(values[i] as number);
  return values;
}
