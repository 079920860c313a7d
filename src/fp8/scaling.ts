// Fine-grained FP8 scaling as data: where scales live (per tensor, 1x128 activation tiles, 128x128 weight blocks)
// and how they are stored (float32, or a power of two as UE8M0). Follows DeepSeek-V3 (arXiv 2412.19437 §3.3.2-§3.3.3),
// DeepGEMM's scale formats, and OCP Microscaling Formats (MX) v1.0 for the E8M0 scale.
import { ModelError } from '../core/index.ts';
import { FP8_FORMATS, decodeTable, encodeFromFloat64, type Fp8FormatName } from './formats.ts';
import { floorLog2, pow2 } from './rounding.ts';
import { showNumber } from './showNumber.ts';

/**
 * Which elements of a [rows x cols] matrix share one scale. Both GEMM operands are stored with K as the
 * column axis (A is [M x K], B is [N x K]), so `blockCols` is always the extent along K.
 */
export type ScaleLayout =
  | { readonly kind: 'per-tensor' }
  | { readonly kind: 'blocks'; readonly blockRows: number; readonly blockCols: number };

/**
 * - 'float32': scale = amax / formatMax rounded to float32 (DeepSeek-V3 on H800; DeepGEMM SM90).
 * - 'ue8m0': scale = 2^ceil(log2(amax / formatMax)), an 8-bit biased exponent in [2^-127, 2^127]
 *   (DeepGEMM SM100; DeepSeek-V3 §3.3.3's power-of-two scales). Rounding the exponent *up* keeps
 *   |x| / scale <= formatMax for every element, so nothing saturates; the price is up to one binade of
 *   range: the block's largest element lands in (formatMax / 2, formatMax].
 */
export type ScaleEncoding = 'float32' | 'ue8m0';

export interface ScalingScheme {
  readonly format: Fp8FormatName;
  readonly layout: ScaleLayout;
  readonly scaleEncoding: ScaleEncoding;
}

export const PER_TENSOR_LAYOUT: ScaleLayout = Object.freeze({ kind: 'per-tensor' });
/** DeepSeek-V3 activations: "per token per 128 channels". */
export const ACTIVATION_TILE_LAYOUT: ScaleLayout = Object.freeze({ kind: 'blocks', blockRows: 1, blockCols: 128 });
/** DeepSeek-V3 weights: "per 128 input channels per 128 output channels". */
export const WEIGHT_BLOCK_LAYOUT: ScaleLayout = Object.freeze({ kind: 'blocks', blockRows: 128, blockCols: 128 });

export const DEEPSEEK_V3_ACTIVATION_SCHEME: ScalingScheme = Object.freeze({ format: 'e4m3', layout: ACTIVATION_TILE_LAYOUT, scaleEncoding: 'float32' });
export const DEEPSEEK_V3_WEIGHT_SCHEME: ScalingScheme = Object.freeze({ format: 'e4m3', layout: WEIGHT_BLOCK_LAYOUT, scaleEncoding: 'float32' });

const UE8M0_MIN_EXPONENT = -127;
const UE8M0_MAX_EXPONENT = 127;
const FLOAT32_MIN_SUBNORMAL = 2 ** -149;

/** A quantised matrix: element (r, c) stands for decode(codes[r * cols + c]) * scales[scale index of (r, c)]. */
export interface QuantizedMatrix {
  readonly format: Fp8FormatName;
  readonly rows: number;
  readonly cols: number;
  /** Row-major FP8 codes, rows * cols. */
  readonly codes: Uint8Array;
  /** Resolved block shape (per-tensor: rows x cols). */
  readonly blockRows: number;
  readonly blockCols: number;
  /** ceil(rows / blockRows) x ceil(cols / blockCols) dequantisation multipliers, row-major. */
  readonly scaleRows: number;
  readonly scaleCols: number;
  readonly scales: Float32Array;
  readonly scaleEncoding: ScaleEncoding;
}

/** The scale of a block whose largest magnitude is `amax`. An all-zero block gets scale 1. */
export function scaleForAmax(amax: number, format: Fp8FormatName, encoding: ScaleEncoding): number {
  if (!(amax >= 0) || amax === Infinity) throw new ModelError(`scaleForAmax: amax ${showNumber(amax)} is not a finite number >= 0`);
  if (amax === 0) return 1;
  const formatMax = FP8_FORMATS[format].maxFinite;
  if (encoding === 'float32') {
    // fround may round the scale down by half an ulp; amax / scale then exceeds formatMax by far less than
    // half an FP8 ulp and still rounds to formatMax. The floor keeps a float32-subnormal amax from giving 0.
    return Math.max(Math.fround(amax / formatMax), FLOAT32_MIN_SUBNORMAL);
  }
  const ratio = amax / formatMax;
  let exponent = floorLog2(ratio);
  if (pow2(exponent) < ratio) exponent += 1;
  // The quotient above is rounded; re-check against the exact condition amax / 2^e <= formatMax.
  if (amax / pow2(exponent) > formatMax) exponent += 1;
  return pow2(Math.min(Math.max(exponent, UE8M0_MIN_EXPONENT), UE8M0_MAX_EXPONENT));
}

function resolveBlock(layout: ScaleLayout, rows: number, cols: number): [number, number] {
  if (layout.kind === 'per-tensor') return [rows, cols];
  for (const [field, value] of [['blockRows', layout.blockRows], ['blockCols', layout.blockCols]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new ModelError(`quantizeMatrix: layout.${field} ${showNumber(value)} is not an integer >= 1`);
  }
  return [layout.blockRows, layout.blockCols];
}

/**
 * Quantises a row-major [rows x cols] float32 matrix: per block, amax -> scale -> code = RNE(x / scale),
 * saturating. The quotient is formed in float64 and rounded once to FP8 (a kernel multiplying by a float32
 * reciprocal can differ by one code near ties). Every value must be finite.
 */
export function quantizeMatrix(values: Float32Array, rows: number, cols: number, scheme: ScalingScheme): QuantizedMatrix {
  for (const [field, value] of [['rows', rows], ['cols', cols]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new ModelError(`quantizeMatrix: ${field} ${showNumber(value)} is not an integer >= 1`);
  }
  if (values.length !== rows * cols) throw new ModelError(`quantizeMatrix: values.length ${values.length} is not rows * cols = ${rows} * ${cols}`);
  const [blockRows, blockCols] = resolveBlock(scheme.layout, rows, cols);
  const scaleRows = Math.ceil(rows / blockRows);
  const scaleCols = Math.ceil(cols / blockCols);
  const scales = new Float32Array(scaleRows * scaleCols);
  const codes = new Uint8Array(rows * cols);
  for (let sr = 0; sr < scaleRows; sr++) {
    const r1 = Math.min((sr + 1) * blockRows, rows);
    for (let sc = 0; sc < scaleCols; sc++) {
      const c0 = sc * blockCols;
      const c1 = Math.min(c0 + blockCols, cols);
      let amax = 0;
      for (let r = sr * blockRows; r < r1; r++) {
        for (let c = c0; c < c1; c++) {
          const x = values[r * cols + c]!;
          if (!Number.isFinite(x)) throw new ModelError(`quantizeMatrix: values[${r * cols + c}] (row ${r}, col ${c}) is ${x}; expected a finite number`);
          amax = Math.max(amax, Math.abs(x));
        }
      }
      const scale = scaleForAmax(amax, scheme.format, scheme.scaleEncoding);
      scales[sr * scaleCols + sc] = scale;
      for (let r = sr * blockRows; r < r1; r++) {
        for (let c = c0; c < c1; c++) codes[r * cols + c] = encodeFromFloat64(scheme.format, values[r * cols + c]! / scale, 'saturate');
      }
    }
  }
  return Object.freeze({ format: scheme.format, rows, cols, codes, blockRows, blockCols, scaleRows, scaleCols, scales, scaleEncoding: scheme.scaleEncoding });
}

/** Checks a QuantizedMatrix built by hand (shapes of codes and scales); `fn` and `name` go into the message. */
export function checkQuantizedMatrix(fn: string, name: string, q: QuantizedMatrix): void {
  const fail = (detail: string): never => {
    throw new ModelError(`${fn}: ${name}.${detail}`);
  };
  for (const field of ['rows', 'cols', 'blockRows', 'blockCols'] as const) {
    if (!Number.isInteger(q[field]) || q[field] < 1) fail(`${field} ${showNumber(q[field])} is not an integer >= 1`);
  }
  if (q.codes.length !== q.rows * q.cols) fail(`codes.length ${q.codes.length} is not rows * cols = ${q.rows * q.cols}`);
  const scaleRows = Math.ceil(q.rows / q.blockRows);
  const scaleCols = Math.ceil(q.cols / q.blockCols);
  if (q.scaleRows !== scaleRows || q.scaleCols !== scaleCols) {
    fail(`scaleRows x scaleCols ${q.scaleRows} x ${q.scaleCols} is not ceil(rows / blockRows) x ceil(cols / blockCols) = ${scaleRows} x ${scaleCols}`);
  }
  if (q.scales.length !== scaleRows * scaleCols) fail(`scales.length ${q.scales.length} is not scaleRows * scaleCols = ${scaleRows * scaleCols}`);
}

/** decode(code) * scale, rounded to float32, row-major. */
export function dequantizeMatrix(q: QuantizedMatrix): Float32Array {
  checkQuantizedMatrix('dequantizeMatrix', 'q', q);
  const table = decodeTable(q.format);
  const out = new Float32Array(q.rows * q.cols);
  for (let r = 0; r < q.rows; r++) {
    const scaleRow = Math.floor(r / q.blockRows) * q.scaleCols;
    for (let c = 0; c < q.cols; c++) {
      out[r * q.cols + c] = table[q.codes[r * q.cols + c]!]! * q.scales[scaleRow + Math.floor(c / q.blockCols)]!;
    }
  }
  return out;
}
