// A fast form of FP8 GEMM accumulation mode (a), exact products summed in float32, on tfjs: one float32 matMul
// per K tile of decoded FP8 values, then DeepGEMM's promotion step (arXiv 2412.19437 §3.3.2) on the CPU.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as TfCore from '@tensorflow/tfjs-core';
import { ModelError, showValue } from '../../core/index.ts';
import { decodeTable, type QuantizedMatrix } from '../../fp8/index.ts';
import { tfjsOf, type ForwardBackend } from '../forward/backend.ts';

/**
 * Rows of A per matMul: 256 x N float32 tile sums are 13 MiB at paper-27b (N = 12,800). Of 32, 64, 128,
 * 256 and 512 rows, 256 was fastest for the full 4096 x 12800 x 1280 GEMM on tfjs-wasm (8.4 s against
 * 9.5 s at 64; one sweep on a shared 2-core machine, so only the ranking is meaningful).
 */
export const TILED_GEMM_ROW_BLOCK = 256;

/**
 * C = A · Bᵀ for A [M x K] and B [N x K] quantised with blocks along K (any layouts; A's row blocks and
 * B's row blocks may differ). K is cut into runs over which both operands' scales are constant (the
 * 128-element K tiles for DeepSeek-V3 scaling). Per run r and output (i, j):
 *   tileSum_r = Σ_k decode(a_ik) · decode(b_jk) in float32, by tfjs matMul: every FP8 x FP8 product is
 *     exact in float32 (at most 4 x 4 significant bits for E4M3), so only the sums round;
 *   total = fround(total + fround(tileSum_r · fround(sA_ir · sB_jr))), runs in increasing k,
 * which is DeepGEMM's structure (tensor-core tile sum, FP32 promotion with the scale product on CUDA
 * cores) with an exact-float32 tile accumulator. The order of the float32 sums inside a tile is the
 * backend's: tfjs-wasm (XNNPACK f32 GEMM) keeps one float32 accumulator per output and adds k in
 * increasing order, so tileSum_r = fround(...fround(fround(p_0) + p_1)... + p_last); tfjs-cpu adds
 * float64 partial sums of 48 k (exact here) into a float32 result. gemmFp8's exact mode instead rounds
 * every scaled product and adds it to one float32 total over all K, so the two agree only within float32
 * summation error (test/model/fp8Projection/tiledExactGemm.test.ts bounds and measures it).
 * Codes that decode to NaN or infinity (E5M2) propagate as IEEE arithmetic does.
 */
export function gemmFp8TiledTfjs(backend: ForwardBackend, a: QuantizedMatrix, b: QuantizedMatrix): Float32Array {
  const fn = 'gemmFp8TiledTfjs';
  const tf = tfjsOf(fn, backend);
  for (const [name, q] of [['a', a], ['b', b]] as const) {
    if (q.codes.length !== q.rows * q.cols || q.scales.length !== q.scaleRows * q.scaleCols) {
      throw new ModelError(`${fn}: ${name}: expected ${q.rows * q.cols} codes and ${q.scaleRows * q.scaleCols} scales, got ${q.codes.length} and ${q.scales.length}`);
    }
  }
  if (a.cols !== b.cols) throw new ModelError(`${fn}: b.cols: expected a.cols ${a.cols} (both operands are stored [rows x K]), got ${showValue(b.cols)}`);
  const m = a.rows;
  const n = b.rows;
  const runs = scaleRuns(a.cols, a.blockCols, b.blockCols);
  const out = new Float32Array(m * n);
  const bTiles = runs.map(([c0, c1]) => tf.tensor2d(decodeTransposed(b, c0, c1), [c1 - c0, n]));
  try {
    for (let i0 = 0; i0 < m; i0 += TILED_GEMM_ROW_BLOCK) {
      const i1 = Math.min(m, i0 + TILED_GEMM_ROW_BLOCK);
      runs.forEach(([c0, c1], r) => {
        withTileSums(tf, decodeBlock(a, i0, i1, c0, c1), [i1 - i0, c1 - c0], bTiles[r]!, (tileSums) => promote(a, b, c0, i0, i1, tileSums, out));
      });
    }
  } finally {
    for (const t of bTiles) t.dispose();
  }
  return out;
}

/** [c0, c1) runs of K whose ends are the block edges of either operand. */
function scaleRuns(k: number, aBlockCols: number, bBlockCols: number): [number, number][] {
  const runs: [number, number][] = [];
  let c0 = 0;
  while (c0 < k) {
    const c1 = Math.min(k, (Math.floor(c0 / aBlockCols) + 1) * aBlockCols, (Math.floor(c0 / bBlockCols) + 1) * bBlockCols);
    runs.push([c0, c1]);
    c0 = c1;
  }
  return runs;
}

/** Decoded rows i0..i1-1, columns c0..c1-1 of q, row-major. */
function decodeBlock(q: QuantizedMatrix, i0: number, i1: number, c0: number, c1: number): Float32Array {
  const table = decodeTable(q.format);
  const width = c1 - c0;
  const values = new Float32Array((i1 - i0) * width);
  for (let i = i0; i < i1; i++) {
    for (let c = c0; c < c1; c++) values[(i - i0) * width + (c - c0)] = table[q.codes[i * q.cols + c]!]!;
  }
  return values;
}

/** Decoded columns c0..c1-1 of q transposed to [c1 - c0][rows]: tfjs-wasm's plain matMul is far faster than its transposed-B form. */
function decodeTransposed(q: QuantizedMatrix, c0: number, c1: number): Float32Array {
  const table = decodeTable(q.format);
  const values = new Float32Array((c1 - c0) * q.rows);
  for (let j = 0; j < q.rows; j++) {
    for (let c = c0; c < c1; c++) values[(c - c0) * q.rows + j] = table[q.codes[j * q.cols + c]!]!;
  }
  return values;
}

/**
 * Runs one tile's matMul and hands its float32 sums to `use`. On tfjs-wasm, kernels run synchronously and the
 * product is read in place on the wasm heap (BackendWasm.typedArrayFromHeap): `use` allocates no tensor, so
 * the heap cannot grow and move under the view. This saves the copy dataSync makes, ~20% of the matMul time
 * at paper-27b sizes. Other backends go through dataSync.
 */
function withTileSums(tf: typeof TfCore, aValues: Float32Array, aShape: [number, number], bTile: TfCore.Tensor2D, use: (tileSums: Float32Array) => void): void {
  const product = tf.tidy(() => tf.matMul(tf.tensor2d(aValues, aShape), bTile));
  try {
    const sums = tf.getBackend() === 'wasm' ? (tf.backend() as BackendWasm).typedArrayFromHeap(product) : product.dataSync();
    use(sums as Float32Array);
  } finally {
    product.dispose();
  }
}

/** out[i][j] = fround(out[i][j] + fround(tileSum · fround(sA · sB))) for rows i0..i1-1; the Float32Array store rounds the sum. */
function promote(a: QuantizedMatrix, b: QuantizedMatrix, c0: number, i0: number, i1: number, tileSums: Float32Array, out: Float32Array): void {
  const n = b.rows;
  const aScaleCol = Math.floor(c0 / a.blockCols);
  const bScaleCol = Math.floor(c0 / b.blockCols);
  for (let i = i0; i < i1; i++) {
    const sA = a.scales[Math.floor(i / a.blockRows) * a.scaleCols + aScaleCol]!;
    const rowOut = i * n;
    const rowSums = (i - i0) * n;
    for (let j0 = 0; j0 < n; j0 += b.blockRows) {
      const scale = Math.fround(sA * b.scales[Math.floor(j0 / b.blockRows) * b.scaleCols + bScaleCol]!);
      const j1 = Math.min(n, j0 + b.blockRows);
      for (let j = j0; j < j1; j++) out[rowOut + j] = out[rowOut + j]! + Math.fround(tileSums[rowSums + j]! * scale);
    }
  }
}
