// Exact binary-rounding primitives shared by the FP8, BF16 and accumulator models (IEEE 754-2019 §4.3.1,
// roundTiesToEven). They work on float64 values whose scaling by powers of two is exact.

const MIN_EXPONENT = -1074;
const MAX_EXPONENT = 1023;

// Every float64 power of two, built once and never written: a table read is several times faster than
// `2 ** e` with a variable exponent in V8, and this sits on the GEMM model's per-group path.
const POWERS_OF_TWO: Float64Array = (() => {
  const table = new Float64Array(MAX_EXPONENT - MIN_EXPONENT + 1);
  for (let e = MIN_EXPONENT; e <= MAX_EXPONENT; e++) table[e - MIN_EXPONENT] = 2 ** e;
  return table;
})();

/** 2^e, exact; 0 below 2^-1074 and Infinity above 2^1023, as float64 arithmetic gives. */
export function pow2(e: number): number {
  if (e < MIN_EXPONENT) return 0;
  if (e > MAX_EXPONENT) return Infinity;
  return POWERS_OF_TWO[e - MIN_EXPONENT]!;
}

/**
 * floor(log2(a)) for a finite a > 0, exact: Math.log2 alone rounds values just below a power of two up.
 * Returns -Infinity for a = 0.
 */
export function floorLog2(a: number): number {
  if (a === 0) return -Infinity;
  let e = Math.floor(Math.log2(a));
  if (pow2(e) > a) e -= 1;
  else if (pow2(e + 1) <= a) e += 1;
  return e;
}

/**
 * Rounds a non-negative s < 2^52 to an integer, ties to even. `s - floor(s)` is exact in that range,
 * so the tie test is exact.
 */
export function roundHalfToEven(s: number): number {
  const n = Math.floor(s);
  const fraction = s - n;
  if (fraction > 0.5 || (fraction === 0.5 && n % 2 !== 0)) return n + 1;
  return n;
}
