// The two OCP 8-bit floating-point formats, E4M3 and E5M2, bit-exact: one parameter table, decode tables and
// round-to-nearest-even encoding. Source: OCP 8-bit Floating Point Specification (OFP8) Revision 1.0 (2023-12-01).
import { ModelError, showValue } from '../core/index.ts';
import { floorLog2, pow2, roundHalfToEven } from './rounding.ts';
import { showNumber } from './showNumber.ts';

export type Fp8FormatName = 'e4m3' | 'e5m2';

/**
 * What happens to a finite value whose RNE result would exceed the largest finite value, and to ±infinity:
 * - 'saturate': ±max finite (OFP8's saturating mode). ±infinity also goes to ±max, the choice of NVIDIA's
 *   __NV_SATFINITE (cuda_fp8.hpp) and ONNX Cast(saturate=1).
 * - 'overflow': the format's overflow value: NaN for E4M3 (sign kept: 0x7F/0xFF), ±infinity for E5M2 (0x7C/0xFC).
 * NaN input gives the canonical NaN 0x7F in both modes: a JS number has no NaN sign bit one can rely on.
 */
export type OverflowMode = 'saturate' | 'overflow';

export const OVERFLOW_MODES: readonly OverflowMode[] = Object.freeze(['saturate', 'overflow']);

export interface Fp8Format {
  readonly name: Fp8FormatName;
  readonly exponentBits: number;
  readonly mantissaBits: number;
  readonly exponentBias: number;
  /** Largest finite magnitude and its positive code. */
  readonly maxFinite: number;
  readonly maxFiniteCode: number;
  readonly minNormal: number;
  readonly minSubnormal: number;
  /** Positive infinity code, or null when the format has no infinity. */
  readonly infinityCode: number | null;
  /** Every NaN code, both signs. */
  readonly nanCodes: readonly number[];
  /** The NaN code produced for NaN input. */
  readonly canonicalNanCode: number;
}

/**
 * OFP8 v1.0's encoding table. E4M3 gives up infinity and all but one NaN mantissa (S.1111.111) to gain the top
 * binade: max S.1111.110 = 1.75 * 2^8. E5M2 follows IEEE 754 conventions: S.11111.00 is infinity and
 * S.11111.{01,10,11} are NaN; max S.11110.11 = 1.75 * 2^15.
 */
export const FP8_FORMATS: Readonly<Record<Fp8FormatName, Fp8Format>> = Object.freeze({
  e4m3: Object.freeze({
    name: 'e4m3',
    exponentBits: 4,
    mantissaBits: 3,
    exponentBias: 7,
    maxFinite: 448,
    maxFiniteCode: 0x7e,
    minNormal: 2 ** -6,
    minSubnormal: 2 ** -9,
    infinityCode: null,
    nanCodes: Object.freeze([0x7f, 0xff]),
    canonicalNanCode: 0x7f,
  }),
  e5m2: Object.freeze({
    name: 'e5m2',
    exponentBits: 5,
    mantissaBits: 2,
    exponentBias: 15,
    maxFinite: 57344,
    maxFiniteCode: 0x7b,
    minNormal: 2 ** -14,
    minSubnormal: 2 ** -16,
    infinityCode: 0x7c,
    nanCodes: Object.freeze([0x7d, 0x7e, 0x7f, 0xfd, 0xfe, 0xff]),
    canonicalNanCode: 0x7f,
  }),
});

export const FP8_FORMAT_NAMES: readonly Fp8FormatName[] = Object.freeze(['e4m3', 'e5m2']);

export type Fp8Class = 'zero' | 'subnormal' | 'normal' | 'infinity' | 'nan';

/** The format's parameters; throws ModelError for a name that is not a format (callers outside TypeScript). */
export function fp8Format(name: Fp8FormatName): Fp8Format {
  const format = (FP8_FORMATS as Record<string, Fp8Format | undefined>)[name];
  if (format === undefined) throw new ModelError(`fp8Format: format ${showValue(name)} is not one of ${FP8_FORMAT_NAMES.join(', ')}`);
  return format;
}

/** Class of a code; the field layout is sign | exponent | mantissa. */
export function classifyFp8(name: Fp8FormatName, code: number): Fp8Class {
  const format = fp8Format(name);
  checkCode('classifyFp8', code);
  if (format.nanCodes.includes(code)) return 'nan';
  const magnitude = code & 0x7f;
  if (magnitude === format.infinityCode) return 'infinity';
  if (magnitude === 0) return 'zero';
  return magnitude >> format.mantissaBits === 0 ? 'subnormal' : 'normal';
}

function decodeFromFields(format: Fp8Format, code: number): number {
  if (format.nanCodes.includes(code)) return NaN;
  const sign = code & 0x80 ? -1 : 1;
  const magnitude = code & 0x7f;
  if (magnitude === format.infinityCode) return sign * Infinity;
  const m = format.mantissaBits;
  const biasedExponent = magnitude >> m;
  const mantissa = magnitude & ((1 << m) - 1);
  // Subnormals share the exponent of the smallest normal binade and have no implicit leading 1.
  if (biasedExponent === 0) return sign * mantissa * 2 ** (1 - format.exponentBias - m);
  return sign * ((1 << m) + mantissa) * 2 ** (biasedExponent - format.exponentBias - m);
}

function buildDecodeTable(format: Fp8Format): Float32Array {
  const table = new Float32Array(256);
  for (let code = 0; code < 256; code++) table[code] = decodeFromFields(format, code);
  return table;
}

// Built once, never written after: every FP8 value is exact in float32.
const DECODE_TABLES: Readonly<Record<Fp8FormatName, Float32Array>> = Object.freeze({
  e4m3: buildDecodeTable(FP8_FORMATS.e4m3),
  e5m2: buildDecodeTable(FP8_FORMATS.e5m2),
});

/** The 256 decoded values, indexed by code (a fresh copy the caller may keep or modify). */
export function decodeTable(name: Fp8FormatName): Float32Array {
  return DECODE_TABLES[fp8Format(name).name].slice();
}

export function decodeFp8(name: Fp8FormatName, code: number): number {
  checkCode('decodeFp8', code);
  return DECODE_TABLES[fp8Format(name).name][code] as number;
}

function checkCode(fn: string, code: number): void {
  if (!Number.isInteger(code) || code < 0 || code > 0xff) throw new ModelError(`${fn}: code ${showNumber(code)} is not an integer in [0x00, 0xff]`);
}

function overflowMagnitude(format: Fp8Format, mode: OverflowMode): number {
  if (mode === 'saturate') return format.maxFiniteCode;
  return format.infinityCode ?? format.canonicalNanCode;
}

/**
 * Encodes a float64 (a JS number) with one rounding, round-to-nearest-even, as IEEE 754 does with an
 * unbounded exponent: the value is rounded to 1 + mantissaBits significant bits (fewer in the subnormal
 * range), and the result overflows only if that rounded value exceeds maxFinite. So values below
 * max + ulp/2 give max; at exactly max + ulp/2 the tie goes to the even neighbour: for E4M3 that is
 * 448 (mantissa 110; the would-be 480 has mantissa 111), so 464 -> 448 and anything above 464 overflows;
 * for E5M2 the even neighbour of 57344 (mantissa 11) is 2^16, so 61440 and above overflow.
 * This matches NVIDIA's cuda_fp8.hpp (overflow when |x| > 464 for E4M3, |x| >= 61440 for E5M2).
 * Signed zero and the sign of underflowing values are kept (-1e-9 -> 0x80).
 */
export function encodeFromFloat64(name: Fp8FormatName, x: number, mode: OverflowMode): number {
  const format = fp8Format(name);
  if (Number.isNaN(x)) return format.canonicalNanCode;
  const sign = x < 0 || Object.is(x, -0) ? 0x80 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | overflowMagnitude(format, mode);
  const m = format.mantissaBits;
  const minNormalExponent = 1 - format.exponentBias;
  const exponent = a < format.minNormal ? minNormalExponent : floorLog2(a);
  // Dividing by a power of two is exact, so the quotient keeps every bit of x and RNE rounds once.
  const significand = roundHalfToEven(a / pow2(exponent - m));
  // With the subnormal binade at index 0, code = binade index * 2^m + significand; a carry out of the
  // significand (2^(m+1)) lands on the next binade's code automatically.
  const magnitude = (exponent - minNormalExponent) * (1 << m) + significand;
  if (magnitude > format.maxFiniteCode) return sign | overflowMagnitude(format, mode);
  return sign | magnitude;
}

/**
 * Encodes a value that is first rounded to float32 (Math.fround), then to FP8: exact RNE from float32
 * input. For a float64 that is not a float32 this is double rounding and can differ from
 * encodeFromFloat64 by one code, e.g. 1.0625 + 2^-40: fround gives the tie 1.0625, which goes to 1.0
 * (0x38), while the direct encoding gives 1.125 (0x39).
 */
export function encodeFromFloat32(name: Fp8FormatName, x: number, mode: OverflowMode): number {
  return encodeFromFloat64(name, Math.fround(x), mode);
}

/** Batch encode of float32 values; `out` (same length) is filled and returned when given. */
export function encodeArray(name: Fp8FormatName, values: Float32Array, mode: OverflowMode, out?: Uint8Array): Uint8Array {
  const codes = out ?? new Uint8Array(values.length);
  if (codes.length !== values.length) throw new ModelError(`encodeArray: out.length ${codes.length} does not match values.length ${values.length}`);
  for (let i = 0; i < values.length; i++) codes[i] = encodeFromFloat64(name, values[i] as number, mode);
  return codes;
}

/** Batch decode; `out` (same length) is filled and returned when given. */
export function decodeArray(name: Fp8FormatName, codes: Uint8Array, out?: Float32Array): Float32Array {
  const table = DECODE_TABLES[fp8Format(name).name];
  const values = out ?? new Float32Array(codes.length);
  if (values.length !== codes.length) throw new ModelError(`decodeArray: out.length ${values.length} does not match codes.length ${codes.length}`);
  for (let i = 0; i < codes.length; i++) values[i] = table[codes[i] as number] as number;
  return values;
}
