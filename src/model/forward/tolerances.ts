// Named tolerances for comparing the fp32 tfjs forward with the float64 oracle (style.md convention 12).
// Measured worst cases and the reasoning are recorded next to each value.

/**
 * Bound on |fp32 - fp64| / max(1, |fp64|) for α and Y of one Engram layer. fp32 rounds at 2^-24 ≈ 6e-8;
 * the matmuls (fan-in up to 1280) and the H-wide gate dot product grow that by a few times, and the
 * signed square root multiplies an error in s by 1/(2·sqrt|s|). Measured maxima over 5 seeds, T = 12,
 * random N(0,1) hidden states: ≤ 9e-7 at hidden 32-64, 3.4e-6 at the demo's 1024 and 3.6e-6 at the
 * paper's 2560 on wasm (XNNPACK matmul); ≤ 5.2e-7 on cpu. 1e-5 leaves ~3x margin at full width.
 * It holds while |s| ≥ ~0.005; closer to 0 the sqrt's slope makes any fp32 result looser.
 */
export const TOL_FP32_FORWARD = 1e-5;
