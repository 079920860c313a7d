// What FP8 does to Engram's fused key/value projection (arXiv 2601.07372 §2.4) with DeepSeek-V3's scaling and
// accumulation (arXiv 2412.19437 §3.3.2): fused vs M+1 separate FP8 GEMMs, error vs float32, and the gate (spec §5).
import { ModelError, showValue } from '../../core/index.ts';
import {
  gemmFp8,
  quantizeMatrix,
  type Accumulation,
  type Fp8FormatName,
  type QuantizedMatrix,
  type ScaleEncoding,
  type ScalingScheme,
} from '../../fp8/index.ts';
import type { ForwardBackend } from '../forward/backend.ts';
import { absChange, matrixError, type AbsChange, type MatrixError } from './errorMetrics.ts';
import { gateFromProjection } from './gate.ts';
import type { Fp8ProjectionInput } from './projectionInputs.ts';
import { fusedProjectionWeights, projectionRows, weightBlockAlignment, type WeightBlockAlignment } from './projectionWeights.ts';
import { dequantizeFloat64, quantisedProductFloat64, referenceProjectionTfjs } from './referenceProjection.ts';

/** DeepSeek-V3's tile and block edge: 1x128 activation tiles, 128x128 weight blocks (§3.3.2). */
export const DEEPSEEK_V3_SCALE_BLOCK = 128;

export interface Fp8ProjectionOptions {
  readonly accumulation: Accumulation;
  /** Both operands; DeepSeek-V3 uses E4M3 everywhere. Default 'e4m3'. */
  readonly format?: Fp8FormatName;
  /** Default 'float32' (DeepGEMM on SM90); 'ue8m0' is DeepGEMM's SM100 power-of-two scale. */
  readonly scaleEncoding?: ScaleEncoding;
  /** Activation tiles are 1 x activationTileCols along K. Default 128. */
  readonly activationTileCols?: number;
  /** Weight blocks are weightBlockRows output channels x weightBlockCols input channels. Default 128 x 128. */
  readonly weightBlockRows?: number;
  readonly weightBlockCols?: number;
}

export interface FusionCheck {
  /** Whether the fused matrix's weight-scale blocks start on every projection boundary. */
  readonly weightBlocks: WeightBlockAlignment;
  /** Weight elements whose FP8 code or scale differs between the fused and the separate quantisation. */
  readonly differingWeightElements: number;
  /** Outputs whose float32 bits differ between the fused GEMM and the M+1 separate GEMMs. */
  readonly differingOutputs: number;
  readonly outputs: number;
  readonly bitIdentical: boolean;
}

export interface Fp8ProjectionErrorReport {
  readonly tokens: number;
  readonly dMem: number;
  readonly hidden: number;
  readonly hcMult: number;
  /** (hcMult + 1) · hidden. */
  readonly fusedN: number;
  readonly format: Fp8FormatName;
  readonly scaleEncoding: ScaleEncoding;
  readonly activationTile: { readonly rows: 1; readonly cols: number };
  readonly weightBlock: { readonly rows: number; readonly cols: number };
  readonly accumulation: Accumulation;
  readonly fusion: FusionCheck;
  /** Relative Frobenius error of the dequantised operands against the float32 values they came from. */
  readonly quantisation: { readonly activationRelFrobenius: number; readonly weightRelFrobenius: number };
  /** The fused FP8 GEMM against the float32 reference: all outputs, the value block, the M key blocks. */
  readonly projection: { readonly all: MatrixError; readonly value: MatrixError; readonly keys: MatrixError };
  /** The fused FP8 GEMM against the float64 product of the same quantised operands: accumulation error alone. */
  readonly accumulationOnly: MatrixError;
  /** Gate of spec §5 in float64 on the FP8 projection against on the float32 one (biases added to both). */
  readonly gate: { readonly alpha: AbsChange; readonly gatedValue: AbsChange; readonly meanAlphaReference: number };
}

function positiveInteger(fn: string, field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new ModelError(`${fn}: options.${field}: expected a positive integer, got ${showValue(value)}`);
  return value;
}

function blockScheme(format: Fp8FormatName, scaleEncoding: ScaleEncoding, blockRows: number, blockCols: number): ScalingScheme {
  return { format, scaleEncoding, layout: { kind: 'blocks', blockRows, blockCols } };
}

function scaleAt(q: QuantizedMatrix, row: number, col: number): number {
  return q.scales[Math.floor(row / q.blockRows) * q.scaleCols + Math.floor(col / q.blockCols)]!;
}

/** Elements of projection p's rows whose code or scale differs between the fused and its own quantisation. */
function differingWeights(fused: QuantizedMatrix, separate: QuantizedMatrix, p: number): number {
  const rowOffset = p * separate.rows;
  const k = separate.cols;
  let differing = 0;
  for (let r = 0; r < separate.rows; r++) {
    for (let c = 0; c < k; c++) {
      const same = fused.codes[(rowOffset + r) * k + c] === separate.codes[r * k + c] && scaleAt(fused, rowOffset + r, c) === scaleAt(separate, r, c);
      if (!same) differing++;
    }
  }
  return differing;
}

function relFrobenius(approx: Float64Array, exact: Float32Array): number {
  return matrixError(approx, exact).relFrobenius;
}

/**
 * Quantises e (1 x tile activation scales) and the weights (block scales), runs the fused FP8 GEMM
 * e·[W_V; W_K^(1..M)]ᵀ and the M+1 separate ones with `options.accumulation` (gemmFp8), and compares:
 * fused with separate bit for bit, fused with the float32 tfjs projection and with the float64 product
 * of the quantised operands, and the gate α and ṽ = α·v computed from each. A promotion interval must
 * keep every chunk inside one K tile of both operands (gemmFp8 throws otherwise).
 */
export function fp8ProjectionError(backend: ForwardBackend, input: Fp8ProjectionInput, options: Fp8ProjectionOptions): Fp8ProjectionErrorReport {
  const fn = 'fp8ProjectionError';
  const { params, memory, hidden, numTokens: T } = input;
  const format = options.format ?? 'e4m3';
  const scaleEncoding = options.scaleEncoding ?? 'float32';
  const tileCols = positiveInteger(fn, 'activationTileCols', options.activationTileCols ?? DEEPSEEK_V3_SCALE_BLOCK);
  const blockRows = positiveInteger(fn, 'weightBlockRows', options.weightBlockRows ?? DEEPSEEK_V3_SCALE_BLOCK);
  const blockCols = positiveInteger(fn, 'weightBlockCols', options.weightBlockCols ?? DEEPSEEK_V3_SCALE_BLOCK);
  const { accumulation } = options;
  const weights = fusedProjectionWeights(params);
  const { dMem, hidden: H, hcMult: M, projections } = weights;
  const N = projections * H;
  if (!Number.isSafeInteger(T) || T < 1) throw new ModelError(`${fn}: input.numTokens: expected a positive integer, got ${showValue(T)}`);
  if (memory.length !== T * dMem) throw new ModelError(`${fn}: input.memory: expected length numTokens * engramHiddenSize = ${T * dMem}, got ${memory.length}`);
  if (hidden.length !== T * M * H) throw new ModelError(`${fn}: input.hidden: expected length numTokens * hcMult * hiddenSize = ${T * M * H}, got ${hidden.length}`);

  const qa = quantizeMatrix(memory, T, dMem, blockScheme(format, scaleEncoding, 1, tileCols));
  const weightScheme = blockScheme(format, scaleEncoding, blockRows, blockCols);
  const qFused = quantizeMatrix(weights.fused, N, dMem, weightScheme);
  const qSeparate = weights.names.map((_, p) => quantizeMatrix(projectionRows(weights, p), H, dMem, weightScheme));

  const fused = gemmFp8(qa, qFused, { accumulation });
  let differingOutputs = 0;
  let differingWeightElements = 0;
  qSeparate.forEach((q, p) => {
    differingWeightElements += differingWeights(qFused, q, p);
    const separate = gemmFp8(qa, q, { accumulation });
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < H; j++) if (!Object.is(fused[t * N + p * H + j], separate[t * H + j])) differingOutputs++;
    }
  });

  const reference = referenceProjectionTfjs(backend, params, memory, T);
  const quantised = quantisedProductFloat64(qa, qFused);
  const gateFp8 = gateFromProjection(params, fused, hidden, T);
  const gateReference = gateFromProjection(params, reference, hidden, T);
  let alphaSum = 0;
  for (const a of gateReference.alpha) alphaSum += a;

  return {
    tokens: T,
    dMem,
    hidden: H,
    hcMult: M,
    fusedN: N,
    format,
    scaleEncoding,
    activationTile: { rows: 1, cols: tileCols },
    weightBlock: { rows: blockRows, cols: blockCols },
    accumulation,
    fusion: {
      weightBlocks: weightBlockAlignment(H, projections, blockRows),
      differingWeightElements,
      differingOutputs,
      outputs: T * N,
      bitIdentical: differingOutputs === 0,
    },
    quantisation: {
      activationRelFrobenius: relFrobenius(dequantizeFloat64(qa), memory),
      weightRelFrobenius: relFrobenius(dequantizeFloat64(qFused), weights.fused),
    },
    projection: {
      all: matrixError(fused, reference),
      value: matrixError(fused, reference, { cols: N, colStart: 0, colEnd: H }),
      keys: matrixError(fused, reference, { cols: N, colStart: H, colEnd: N }),
    },
    accumulationOnly: matrixError(fused, quantised),
    gate: {
      alpha: absChange(gateFp8.alpha, gateReference.alpha),
      gatedValue: absChange(gateFp8.gatedValue, gateReference.gatedValue),
      meanAlphaReference: alphaSum / gateReference.alpha.length,
    },
  };
}
