// The context-aware gate of engram-spec.md §5 evaluated in float64 from given projection outputs, so that two
// projections (FP8 and float32) can be compared downstream with no other rounding in between.
import { ModelError } from '../../core/index.ts';
import { SIGNED_SQRT_FLOOR, type EngramLayerParams } from '../forward/params.ts';

export interface GateFromProjection {
  /** α [T][hcMult]. */
  readonly alpha: Float64Array;
  /** ṽ_m = α_m · v, [T][hcMult][hiddenSize]. */
  readonly gatedValue: Float64Array;
}

/**
 * u = x[offset + i] (+ bias[paramOffset + i]), then u / sqrt(mean(u²) + eps) · weight[paramOffset + i] into
 * out[0..length), as the float64 oracle (forward/reference64.ts) computes RMSNorm.
 */
function rmsNormInto(
  x: ArrayLike<number>, offset: number, length: number, bias: Float32Array | null, weight: Float32Array, paramOffset: number, eps: number, out: Float64Array,
): void {
  let sumSquares = 0;
  for (let i = 0; i < length; i++) {
    const u = bias === null ? x[offset + i]! : x[offset + i]! + bias[paramOffset + i]!;
    out[i] = u;
    sumSquares += u * u;
  }
  const inv = 1 / Math.sqrt(sumSquares / length + eps);
  for (let i = 0; i < length; i++) out[i] = out[i]! * inv * weight[paramOffset + i]!;
}

/**
 * `projection` is the bias-free fused output [T][(M+1)·hidden]: column block 0 is e·W_Vᵀ, block 1 + m is
 * e·W_K^(m)ᵀ. Biases are added here in float64, as an FP8 GEMM's epilogue adds them in high precision.
 * Per token t and branch m (spec §5): k_m = key block m + b_K^(m), v = value block + b_V,
 * s = Σ RMSNorm1_m(k_m) · RMSNorm2_m(h_m) / sqrt(hidden) with eps = params.gateNormEps,
 * s ← sign(s)·sqrt(max(|s|, 1e-6)), α = σ(s), ṽ_m = α·v. `hidden` is [T][hcMult][hiddenSize].
 */
export function gateFromProjection(params: EngramLayerParams, projection: ArrayLike<number>, hidden: Float32Array, numTokens: number): GateFromProjection {
  const { hiddenSize: H, hcMult: M } = params;
  const width = (M + 1) * H;
  if (!Number.isSafeInteger(numTokens) || numTokens < 0) throw new ModelError(`gateFromProjection: numTokens: expected a non-negative integer, got ${numTokens}`);
  if (projection.length !== numTokens * width) {
    throw new ModelError(`gateFromProjection: projection: expected length numTokens * (hcMult + 1) * hiddenSize = ${numTokens * width}, got ${projection.length}`);
  }
  if (hidden.length !== numTokens * M * H) {
    throw new ModelError(`gateFromProjection: hidden: expected length numTokens * hcMult * hiddenSize = ${numTokens * M * H}, got ${hidden.length}`);
  }
  const alpha = new Float64Array(numTokens * M);
  const gatedValue = new Float64Array(numTokens * M * H);
  const value = new Float64Array(H);
  const ks = new Float64Array(H);
  const qs = new Float64Array(H);
  for (let t = 0; t < numTokens; t++) {
    const row = t * width;
    for (let d = 0; d < H; d++) value[d] = projection[row + d]! + params.valueBias[d]!;
    for (let m = 0; m < M; m++) {
      rmsNormInto(projection, row + (1 + m) * H, H, params.keyBias, params.keyNormWeight, m * H, params.gateNormEps, ks);
      rmsNormInto(hidden, (t * M + m) * H, H, null, params.queryNormWeight, m * H, params.gateNormEps, qs);
      let dot = 0;
      for (let d = 0; d < H; d++) dot += ks[d]! * qs[d]!;
      const s = dot / Math.sqrt(H);
      // Math.sign(0) = 0: an exactly-zero score keeps the gate at 0.5.
      const a = 1 / (1 + Math.exp(-Math.sign(s) * Math.sqrt(Math.max(Math.abs(s), SIGNED_SQRT_FLOOR))));
      alpha[t * M + m] = a;
      const out = (t * M + m) * H;
      for (let d = 0; d < H; d++) gatedValue[out + d] = a * value[d]!;
    }
  }
  return { alpha, gatedValue };
}
