// The two references an FP8 projection is measured against: the model's own float32 projection (tfjs matMul on
// the unquantised weights, as forward/engramForward.ts computes it) and the float64 product of the quantised operands.
import { ModelError } from '../../core/index.ts';
import { decodeTable, type QuantizedMatrix } from '../../fp8/index.ts';
import { tfjsOf, type ForwardBackend } from '../forward/backend.ts';
import type { EngramLayerParams } from '../forward/params.ts';

/**
 * e·[W_V; W_K^(1); ...; W_K^(M)]ᵀ without biases, [T][(M+1)·hidden] in the fused column order, in float32 by
 * tfjs: the value and key matMuls of engramForward on the same backend. Leaves the tensor count unchanged.
 */
export function referenceProjectionTfjs(backend: ForwardBackend, params: EngramLayerParams, memory: Float32Array, numTokens: number): Float32Array {
  const tf = tfjsOf('referenceProjectionTfjs', backend);
  const { engramHiddenSize: D, hiddenSize: H, hcMult: M } = params;
  if (memory.length !== numTokens * D) throw new ModelError(`referenceProjectionTfjs: memory: expected length numTokens * engramHiddenSize = ${numTokens * D}, got ${memory.length}`);
  const result = tf.tidy(() => {
    const e = tf.tensor2d(memory, [numTokens, D]);
    const value = tf.matMul(e, tf.tensor2d(params.valueWeight, [D, H]));
    const keys = tf.matMul(e, tf.tensor2d(params.keyWeight, [D, M * H]));
    return tf.concat([value, keys], 1);
  });
  try {
    return new Float32Array(result.dataSync());
  } finally {
    result.dispose();
  }
}

/**
 * Σ_k decode(a_ik)·sA · decode(b_jk)·sB for C = A·Bᵀ in float64: per K run with constant scales, the
 * float64 sum of the exact products times sA·sB (exact in float64), runs added in increasing k. It has
 * the FP8 operands' values but (almost) no accumulation error, so an FP8 GEMM's distance to it is the
 * accumulation error alone.
 */
export function quantisedProductFloat64(a: QuantizedMatrix, b: QuantizedMatrix): Float64Array {
  if (a.cols !== b.cols) throw new ModelError(`quantisedProductFloat64: b.cols: expected a.cols ${a.cols}, got ${b.cols}`);
  const k = a.cols;
  const av = decodeFloat64(a);
  const bv = decodeFloat64(b);
  const out = new Float64Array(a.rows * b.rows);
  const runStarts: number[] = [];
  for (let c0 = 0; c0 < k; ) {
    runStarts.push(c0);
    c0 = Math.min(k, (Math.floor(c0 / a.blockCols) + 1) * a.blockCols, (Math.floor(c0 / b.blockCols) + 1) * b.blockCols);
  }
  runStarts.push(k);
  for (let i = 0; i < a.rows; i++) {
    const aRow = i * k;
    const aScaleRow = Math.floor(i / a.blockRows) * a.scaleCols;
    for (let j = 0; j < b.rows; j++) {
      const bRow = j * k;
      const bScaleRow = Math.floor(j / b.blockRows) * b.scaleCols;
      let total = 0;
      for (let r = 0; r + 1 < runStarts.length; r++) {
        const c0 = runStarts[r]!;
        const c1 = runStarts[r + 1]!;
        let sum = 0;
        for (let c = c0; c < c1; c++) sum += av[aRow + c]! * bv[bRow + c]!;
        total += sum * (a.scales[aScaleRow + Math.floor(c0 / a.blockCols)]! * b.scales[bScaleRow + Math.floor(c0 / b.blockCols)]!);
      }
      out[i * b.rows + j] = total;
    }
  }
  return out;
}

/** decode(code) · scale per element in float64 (exact: at most 4 + 24 significant bits). */
export function dequantizeFloat64(q: QuantizedMatrix): Float64Array {
  const table = decodeTable(q.format);
  const out = new Float64Array(q.rows * q.cols);
  for (let r = 0; r < q.rows; r++) {
    const scaleRow = Math.floor(r / q.blockRows) * q.scaleCols;
    for (let c = 0; c < q.cols; c++) out[r * q.cols + c] = table[q.codes[r * q.cols + c]!]! * q.scales[scaleRow + Math.floor(c / q.blockCols)]!;
  }
  return out;
}

function decodeFloat64(q: QuantizedMatrix): Float64Array {
  const table = decodeTable(q.format);
  const out = new Float64Array(q.codes.length);
  for (let i = 0; i < out.length; i++) out[i] = table[q.codes[i]!]!;
  return out;
}
