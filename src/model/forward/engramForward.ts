// One Engram layer's forward for one sequence in fp32 tfjs (engram-spec.md §4-§7): gather, shared value
// and per-branch key projections, context-aware gate with signed sqrt, ShortConv, Y_m = ṽ_m + SiLU(conv)_m.
import type * as TfCore from '@tensorflow/tfjs-core';
import { tfjsOf, type ForwardBackend } from './backend.ts';
import type { EmbeddingTable } from './embeddingTable.ts';
import { gatherMemory } from './gatherMemory.ts';
import { SIGNED_SQRT_FLOOR, type EngramLayerParams } from './params.ts';

export interface EngramForwardResult {
  /** Module output Y [T][hcMult][hiddenSize]; the caller adds it to each branch's residual (spec §6 step 6). */
  readonly output: Float32Array;
  /** Gate α [T][hcMult]. */
  readonly alpha: Float32Array;
}

/** RMSNorm over the last axis: x / sqrt(mean(x²) + eps) · w, as torch computes it (x · rsqrt(...)). */
function rmsNorm(tf: typeof TfCore, x: TfCore.Tensor, weight: TfCore.Tensor, eps: number): TfCore.Tensor {
  const meanSquare = tf.mean(tf.square(x), -1, true);
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(meanSquare, eps))), weight);
}

/** Splits [C][K] taps into K per-channel columns, so tap j is one broadcast multiply. */
function tapColumns(params: EngramLayerParams): Float32Array[] {
  const channels = params.hcMult * params.hiddenSize;
  const k = params.kernelSize;
  const columns = Array.from({ length: k }, () => new Float32Array(channels));
  for (let c = 0; c < channels; c++) for (let j = 0; j < k; j++) columns[j]![c] = params.convWeight[c * k + j]!;
  return columns;
}

/**
 * Runs the layer on one sequence (B = 1; a batch is a loop). `rowIds` [T][heads] are absolute rows
 * (z + the head's row offset); `hidden` [T][hcMult][hiddenSize] is each branch's hidden state h_m.
 * Leaves the tfjs tensor count unchanged.
 */
export function engramForward(
  backend: ForwardBackend,
  params: EngramLayerParams,
  table: EmbeddingTable,
  rowIds: Int32Array,
  hidden: Float32Array,
  numTokens: number,
): EngramForwardResult {
  const tf = tfjsOf('engramForward', backend);
  const memory = gatherMemory('engramForward', params, table, rowIds, hidden, numTokens);
  if (numTokens === 0) return { output: new Float32Array(0), alpha: new Float32Array(0) };
  const T = numTokens;
  const M = params.hcMult;
  const H = params.hiddenSize;
  const D = params.engramHiddenSize;
  const C = M * H;
  const K = params.kernelSize;
  const delta = params.dilation;
  const columns = tapColumns(params);

  const [outputTensor, alphaTensor] = tf.tidy(() => {
    const e = tf.tensor2d(memory, [T, D]);
    const value = tf.add(tf.matMul(e, tf.tensor2d(params.valueWeight, [D, H])), tf.tensor1d(params.valueBias));
    // All M key projections in one matmul (the paper's fused projection, §2.4): column block m is W_K^(m)ᵀ.
    const keys = tf.reshape(tf.add(tf.matMul(e, tf.tensor2d(params.keyWeight, [D, C])), tf.tensor1d(params.keyBias)), [T, M, H]);
    const h = tf.tensor3d(hidden, [T, M, H]);
    const ks = rmsNorm(tf, keys, tf.tensor2d(params.keyNormWeight, [M, H]), params.gateNormEps);
    const qs = rmsNorm(tf, h, tf.tensor2d(params.queryNormWeight, [M, H]), params.gateNormEps);
    const score = tf.div(tf.sum(tf.mul(ks, qs), -1), Math.sqrt(H));
    // tf.sign(0) = 0, so an exactly-zero score gives α = σ(0) = 0.5 as in torch.
    const signedRoot = tf.mul(tf.sign(score), tf.sqrt(tf.maximum(tf.abs(score), SIGNED_SQRT_FLOOR)));
    const alpha = tf.sigmoid(signedRoot);
    const gated = tf.mul(tf.expandDims(alpha, 2), tf.expandDims(value, 1));
    const normed = tf.reshape(rmsNorm(tf, gated, tf.tensor2d(params.convNormWeight, [M, H]), params.convNormEps), [T, C]);
    // Causal dilated depthwise conv: left-pad (K-1)·δ zeros; tap j then reads padded row t + j·δ = time t - (K-1-j)·δ.
    const padded = tf.pad(normed, [[(K - 1) * delta, 0], [0, 0]]);
    let conv: TfCore.Tensor = tf.zeros([T, C]);
    for (let j = 0; j < K; j++) {
      conv = tf.add(conv, tf.mul(tf.slice(padded, [j * delta, 0], [T, C]), tf.tensor1d(columns[j]!)));
    }
    const silu = tf.mul(conv, tf.sigmoid(conv));
    return [tf.add(gated, tf.reshape(silu, [T, M, H])), alpha];
  });
  try {
    // Copies: the cpu backend's dataSync hands out its own storage.
    return { output: new Float32Array(outputTensor.dataSync()), alpha: new Float32Array(alphaTensor.dataSync()) };
  } finally {
    outputTensor.dispose();
    alphaTensor.dispose();
  }
}
