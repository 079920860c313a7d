// Float64 oracle of one Engram layer's forward (engram-spec.md §4-§7) in plain loops, sharing no
// numerics with the tfjs path; the fp32 forward is tested against it within named tolerances.
import type { EmbeddingTable } from './embeddingTable.ts';
import { gatherMemory } from './gatherMemory.ts';
import { SIGNED_SQRT_FLOOR, type EngramLayerParams } from './params.ts';

export interface EngramReferenceResult {
  /** Y [T][hcMult][hiddenSize]. */
  readonly output: Float64Array;
  /** α [T][hcMult]. */
  readonly alpha: Float64Array;
}

/** x / sqrt(mean(x²) + eps) · w over `length` values at x[offset..]. */
function rmsNormInto(x: Float64Array, offset: number, length: number, weight: Float32Array, weightOffset: number, eps: number, out: Float64Array): void {
  let sumSquares = 0;
  for (let i = 0; i < length; i++) sumSquares += x[offset + i]! * x[offset + i]!;
  const inv = 1 / Math.sqrt(sumSquares / length + eps);
  for (let i = 0; i < length; i++) out[offset + i] = x[offset + i]! * inv * weight[weightOffset + i]!;
}

/** y = Wᵀx + b for the `cols` columns at `colOffset` of an input-major [rows][stride] Wᵀ (rows = len(x)). */
function linear(wt: Float32Array, stride: number, colOffset: number, b: Float32Array, x: Float64Array, xOffset: number, rows: number, cols: number, out: Float64Array): void {
  for (let c = 0; c < cols; c++) {
    let acc = b[colOffset + c]!;
    for (let r = 0; r < rows; r++) acc += wt[r * stride + colOffset + c]! * x[xOffset + r]!;
    out[c] = acc;
  }
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Same inputs and layout as engramForward, computed in float64. */
export function engramForwardReference64(
  params: EngramLayerParams,
  table: EmbeddingTable,
  rowIds: Int32Array,
  hidden: Float32Array,
  numTokens: number,
): EngramReferenceResult {
  const memory = Float64Array.from(gatherMemory('engramForwardReference64', params, table, rowIds, hidden, numTokens));
  const T = numTokens;
  const M = params.hcMult;
  const H = params.hiddenSize;
  const D = params.engramHiddenSize;
  const K = params.kernelSize;
  const delta = params.dilation;
  const alpha = new Float64Array(T * M);
  const gated = new Float64Array(T * M * H);
  const value = new Float64Array(H);
  const key = new Float64Array(H);
  const keyNorm = new Float64Array(H);
  const query = new Float64Array(H);
  const queryNorm = new Float64Array(H);

  for (let t = 0; t < T; t++) {
    linear(params.valueWeight, H, 0, params.valueBias, memory, t * D, D, H, value);
    for (let m = 0; m < M; m++) {
      linear(params.keyWeight, M * H, m * H, params.keyBias, memory, t * D, D, H, key);
      rmsNormInto(key, 0, H, params.keyNormWeight, m * H, params.gateNormEps, keyNorm);
      for (let i = 0; i < H; i++) query[i] = hidden[(t * M + m) * H + i]!;
      rmsNormInto(query, 0, H, params.queryNormWeight, m * H, params.gateNormEps, queryNorm);
      let dot = 0;
      for (let i = 0; i < H; i++) dot += keyNorm[i]! * queryNorm[i]!;
      const s = dot / Math.sqrt(H);
      // Math.sign(0) = 0: an exactly-zero score keeps the gate at 0.5.
      const a = sigmoid(Math.sign(s) * Math.sqrt(Math.max(Math.abs(s), SIGNED_SQRT_FLOOR)));
      alpha[t * M + m] = a;
      for (let i = 0; i < H; i++) gated[(t * M + m) * H + i] = a * value[i]!;
    }
  }

  // Per-branch RMSNorm, then channel c = m·H + d of the concatenation is gated[t][m][d] itself.
  const normed = new Float64Array(T * M * H);
  for (let tm = 0; tm < T * M; tm++) rmsNormInto(gated, tm * H, H, params.convNormWeight, (tm % M) * H, params.convNormEps, normed);

  const C = M * H;
  const output = new Float64Array(T * C);
  for (let t = 0; t < T; t++) {
    for (let c = 0; c < C; c++) {
      let y = 0;
      for (let j = 0; j < K; j++) {
        const source = t - (K - 1 - j) * delta;
        if (source >= 0) y += params.convWeight[c * K + j]! * normed[source * C + c]!;
      }
      output[t * C + c] = gated[t * C + c]! + y * sigmoid(y);
    }
  }
  return { output, alpha };
}
