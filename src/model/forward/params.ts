// Learnable parameters of one Engram layer besides its table (engram-spec.md §5-§7): shared value
// projection, per-branch key projections, gate and ShortConv RMSNorm weights, depthwise conv taps.
import { ModelError, showValue, type Rng } from '../../core/index.ts';
import type { EngramConfig } from '../../spec/index.ts';

/** torch.finfo(torch.float32).eps: the gate RMSNorms use eps=None, i.e. the dtype's eps (spec §5). */
export const GATE_NORM_EPS_FP32 = 1.1920928955078125e-7;
/** torch.finfo(torch.float64).eps, for comparing against a float64 run of the reference module. */
export const GATE_NORM_EPS_FP64 = 2.220446049250313e-16;
/** The floor of the gate's signed square root, sign(s)·sqrt(max(|s|, 1e-6)) (spec §5). */
export const SIGNED_SQRT_FLOOR = 1e-6;
/** ShortConv's per-branch RMSNorm(hidden, eps=1e-5) (spec §6 step 1). */
export const CONV_NORM_EPS = 1e-5;

/**
 * Row-major Float32Arrays. Projection weights are stored input-major ([in][out], the transpose of
 * torch's nn.Linear.weight) so that e·W runs as a plain matmul: tfjs-wasm's transposed-B matMul is
 * ~12x slower (2.2 s against 0.18 s for 512x1024 by 1024x4096, measured).
 */
export interface EngramLayerParams {
  readonly layerId: number;
  readonly hiddenSize: number;
  readonly hcMult: number;
  /** (N-1) · nEmbedPerNgram: width of the memory vector e_t. */
  readonly engramHiddenSize: number;
  readonly kernelSize: number;
  /** ShortConv dilation = maxNgramSize (spec §1). */
  readonly dilation: number;
  readonly gateNormEps: number;
  readonly convNormEps: number;
  /** W_Vᵀ [engramHiddenSize][hiddenSize], shared by all branches. */
  readonly valueWeight: Float32Array;
  /** b_V [hiddenSize]. */
  readonly valueBias: Float32Array;
  /** W_K^(m)ᵀ side by side: [engramHiddenSize][hcMult·hiddenSize], columns m·H..(m+1)·H are branch m. */
  readonly keyWeight: Float32Array;
  /** b_K^(m) stacked: [hcMult][hiddenSize]. */
  readonly keyBias: Float32Array;
  /** RMSNorm1_m (key) weights [hcMult][hiddenSize]. */
  readonly keyNormWeight: Float32Array;
  /** RMSNorm2_m (query) weights [hcMult][hiddenSize]. */
  readonly queryNormWeight: Float32Array;
  /** ShortConv RMSNorm weights [hcMult][hiddenSize]. */
  readonly convNormWeight: Float32Array;
  /** Depthwise taps [hcMult·hiddenSize][kernelSize]; tap kernelSize-1 multiplies the current step. */
  readonly convWeight: Float32Array;
}

function uniform(rng: Rng, length: number, bound: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = (2 * rng.nextFloat() - 1) * bound;
  return out;
}

/** Draws a torch-layout [rows][cols] weight in torch's element order and stores it transposed at column `colOffset` of a [cols][stride] matrix. */
function uniformTransposedInto(rng: Rng, rows: number, cols: number, bound: number, out: Float32Array, stride: number, colOffset: number): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * stride + colOffset + r] = (2 * rng.nextFloat() - 1) * bound;
  }
}

/**
 * PyTorch default init from the seeded Rng (the demo does not zero-init the conv; the paper does):
 * - nn.Linear(in, out): kaiming_uniform_(a=√5) gives weight U(-1/√in, 1/√in); bias U(-1/√in, 1/√in).
 * - depthwise nn.Conv1d(C, C, K, groups=C): fan_in = (C/groups)·K = K, so taps U(-1/√K, 1/√K).
 * - RMSNorm weights: ones.
 * Each tensor draws from its own `rng.child(name)` stream, so adding a tensor never shifts another.
 */
export function initEngramLayerParams(config: EngramConfig, layerId: number, rng: Rng): EngramLayerParams {
  if (!config.engram.layerIds.includes(layerId)) {
    throw new ModelError(`initEngramLayerParams: layerId: expected one of the config's layerIds ${showValue(config.engram.layerIds)}, got ${showValue(layerId)}`);
  }
  const hidden = config.backbone.hiddenSize;
  const hcMult = config.backbone.hcMult;
  const engramHidden = config.derived.engramHiddenSize;
  const kernel = config.engram.kernelSize;
  const linearBound = 1 / Math.sqrt(engramHidden);
  const ones = (): Float32Array => new Float32Array(hcMult * hidden).fill(1);

  const valueWeight = new Float32Array(engramHidden * hidden);
  uniformTransposedInto(rng.child('value_proj.weight'), hidden, engramHidden, linearBound, valueWeight, hidden, 0);
  const keyWeight = new Float32Array(engramHidden * hcMult * hidden);
  const keyBias = new Float32Array(hcMult * hidden);
  for (let m = 0; m < hcMult; m++) {
    uniformTransposedInto(rng.child(`key_proj.${m}.weight`), hidden, engramHidden, linearBound, keyWeight, hcMult * hidden, m * hidden);
    keyBias.set(uniform(rng.child(`key_proj.${m}.bias`), hidden, linearBound), m * hidden);
  }
  return Object.freeze({
    layerId,
    hiddenSize: hidden,
    hcMult,
    engramHiddenSize: engramHidden,
    kernelSize: kernel,
    dilation: config.engram.maxNgramSize,
    gateNormEps: GATE_NORM_EPS_FP32,
    convNormEps: CONV_NORM_EPS,
    valueWeight,
    valueBias: uniform(rng.child('value_proj.bias'), hidden, linearBound),
    keyWeight,
    keyBias,
    keyNormWeight: ones(),
    queryNormWeight: ones(),
    convNormWeight: ones(),
    convWeight: uniform(rng.child('short_conv.conv.weight'), hcMult * hidden * kernel, 1 / Math.sqrt(kernel)),
  });
}
