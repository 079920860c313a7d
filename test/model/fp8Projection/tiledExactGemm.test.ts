import test from 'ava';
import { ModelError, Rng } from '../../../src/core/index.ts';
import {
  EXACT_ACCUMULATION, decodeTable, gemmFp8, quantizeMatrix, type QuantizedMatrix, type ScalingScheme,
} from '../../../src/fp8/index.ts';
import { activeBackendName, gemmFp8TiledTfjs, selectBackend, type TfBackendName } from '../../../src/model/index.ts';

const U_FP32 = 2 ** -24;
/** tfjs-cpu's BatchMatMul sums k in blocks of this many (backend.blockSize) before adding to its float32 result. */
const TFJS_CPU_K_BLOCK = 48;

/**
 * Both paths sum the same K real terms x_k = a_k·b_k·sA·sB in float32 with at most K + 2 roundings on any
 * term's path (Higham, Accuracy and Stability of Numerical Algorithms, §4.2: |error| <= γ_n Σ|x_k|, γ_n ≈ n·u),
 * so they differ by at most (2K + 4)·u·Σ|x_k|. Measured on these cases, wasm and cpu alike: at most 0.59% of that
 * bound (2.1e-7·Σ|x_k| at K = 300), and about 11% of the outputs (227 of 2100, 37 of 350) are bit-identical.
 */
function float32SumBound(k: number): number {
  return (2 * k + 4) * U_FP32;
}

function randomMatrix(seed: string, rows: number, cols: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: rows * cols }, () => rng.nextNormal() * (1 + 3 * rng.nextFloat()));
}

function scheme(blockRows: number, blockCols: number, format: 'e4m3' | 'e5m2' = 'e4m3'): ScalingScheme {
  return { format, layout: { kind: 'blocks', blockRows, blockCols }, scaleEncoding: 'float32' };
}

function scaleAt(q: QuantizedMatrix, row: number, col: number): number {
  return q.scales[Math.floor(row / q.blockRows) * q.scaleCols + Math.floor(col / q.blockCols)]!;
}

/** K runs over which both operands' scales are constant. */
function runs(a: QuantizedMatrix, b: QuantizedMatrix): [number, number][] {
  const out: [number, number][] = [];
  for (let c0 = 0; c0 < a.cols; ) {
    const c1 = Math.min(a.cols, (Math.floor(c0 / a.blockCols) + 1) * a.blockCols, (Math.floor(c0 / b.blockCols) + 1) * b.blockCols);
    out.push([c0, c1]);
    c0 = c1;
  }
  return out;
}

/** The documented order: each backend's tile sum, then total = fround(total + fround(tileSum · fround(sA · sB))). */
function tileOrderModel(a: QuantizedMatrix, b: QuantizedMatrix, backend: TfBackendName): Float32Array {
  const ta = decodeTable(a.format);
  const tb = decodeTable(b.format);
  const out = new Float32Array(a.rows * b.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.rows; j++) {
      let total = 0;
      for (const [c0, c1] of runs(a, b)) {
        let tileSum = 0;
        if (backend === 'wasm') {
          for (let c = c0; c < c1; c++) tileSum = Math.fround(tileSum + ta[a.codes[i * a.cols + c]!]! * tb[b.codes[j * b.cols + c]!]!);
        } else {
          for (let k0 = c0; k0 < c1; k0 += TFJS_CPU_K_BLOCK) {
            let block = 0;
            for (let c = k0; c < Math.min(c1, k0 + TFJS_CPU_K_BLOCK); c++) block += ta[a.codes[i * a.cols + c]!]! * tb[b.codes[j * b.cols + c]!]!;
            tileSum = Math.fround(tileSum + block);
          }
        }
        total = Math.fround(total + Math.fround(tileSum * Math.fround(scaleAt(a, i, c0) * scaleAt(b, j, c0))));
      }
      out[i * b.rows + j] = total;
    }
  }
  return out;
}

/** Σ_k |decode(a_ik)·sA·decode(b_jk)·sB| per output. */
function absTermSums(a: QuantizedMatrix, b: QuantizedMatrix): Float64Array {
  const ta = decodeTable(a.format);
  const tb = decodeTable(b.format);
  const out = new Float64Array(a.rows * b.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.rows; j++) {
      let sum = 0;
      for (let c = 0; c < a.cols; c++) sum += Math.abs(ta[a.codes[i * a.cols + c]!]! * scaleAt(a, i, c) * tb[b.codes[j * b.cols + c]!]! * scaleAt(b, j, c));
      out[i * b.rows + j] = sum;
    }
  }
  return out;
}

// Shapes: K spans full and partial tiles, N ends in a partial weight block, and the second case has
// weight blocks narrower along K than the activation tiles (runs of 64) and E5M2 operands.
const CASES = [
  { name: 'DeepSeek-V3 scaling, K = 300', m: 7, n: 300, k: 300, a: scheme(1, 128), b: scheme(128, 128) },
  { name: 'E5M2, weight blocks 32 x 64', m: 5, n: 70, k: 200, a: scheme(1, 128, 'e5m2'), b: scheme(32, 64, 'e5m2') },
] as const;

for (const backendName of ['wasm', 'cpu'] as const) {
  test.serial(`gemmFp8TiledTfjs: equals the documented tile order bit for bit on ${backendName} when K spans several tiles`, async (t) => {
    const backend = await selectBackend(backendName);
    t.is(activeBackendName(backend), backendName);
    for (const c of CASES) {
      const a = quantizeMatrix(randomMatrix(`${c.name}/a`, c.m, c.k), c.m, c.k, c.a);
      const b = quantizeMatrix(randomMatrix(`${c.name}/b`, c.n, c.k), c.n, c.k, c.b);
      const got = gemmFp8TiledTfjs(backend, a, b);
      const expected = tileOrderModel(a, b, backendName);
      const differing = got.filter((v, i) => !Object.is(v, expected[i])).length;
      t.is(differing, 0, c.name);
    }
  });

  test.serial(`gemmFp8TiledTfjs: agrees with gemmFp8 exact within the float32 summation bound on ${backendName}`, async (t) => {
    const backend = await selectBackend(backendName);
    let worstShareOfBound = 0;
    for (const c of CASES) {
      const a = quantizeMatrix(randomMatrix(`${c.name}/a`, c.m, c.k), c.m, c.k, c.a);
      const b = quantizeMatrix(randomMatrix(`${c.name}/b`, c.n, c.k), c.n, c.k, c.b);
      const tiled = gemmFp8TiledTfjs(backend, a, b);
      const exact = gemmFp8(a, b, { accumulation: EXACT_ACCUMULATION });
      const scale = absTermSums(a, b);
      let identical = 0;
      for (let i = 0; i < exact.length; i++) {
        const share = Math.abs(tiled[i]! - exact[i]!) / (float32SumBound(c.k) * scale[i]!);
        worstShareOfBound = Math.max(worstShareOfBound, share);
        if (tiled[i] === exact[i]) identical++;
      }
      t.true(worstShareOfBound <= 1, `${c.name}: ${worstShareOfBound} of the bound`);
      // Not bit-identical: the orders differ, and most outputs differ in the last bits.
      t.true(identical < exact.length, `${c.name}: ${identical} of ${exact.length} identical`);
    }
  });
}

test.serial('gemmFp8TiledTfjs: leaves the tfjs tensor count unchanged and rejects operands of different K', async (t) => {
  const backend = await selectBackend('cpu');
  const a = quantizeMatrix(randomMatrix('a', 3, 40), 3, 40, scheme(1, 16));
  const b = quantizeMatrix(randomMatrix('b', 4, 40), 4, 40, scheme(2, 16));
  const tf = await import('@tensorflow/tfjs-core');
  const before = tf.memory().numTensors;
  gemmFp8TiledTfjs(backend, a, b);
  t.is(tf.memory().numTensors, before);
  const b2 = quantizeMatrix(randomMatrix('b', 4, 32), 4, 32, scheme(2, 16));
  t.snapshot(t.throws(() => gemmFp8TiledTfjs(backend, a, b2), { instanceOf: ModelError })?.message);
});
