import test from 'ava';
import { ModelError, Rng } from '../../src/core/index.ts';
import {
  ACTIVATION_TILE_LAYOUT,
  EXACT_ACCUMULATION,
  PER_TENSOR_LAYOUT,
  WEIGHT_BLOCK_LAYOUT,
  decodeTable,
  encodeFromFloat64,
  gemmFp8,
  gemmReferenceFloat64,
  hopperAccumulation,
  quantizeMatrix,
  roundToBfloat16,
  type Fp8FormatName,
  type QuantizedMatrix,
  type ScaleLayout,
} from '../../src/fp8/index.ts';

/** One float32 rounding per product and per add: relative error per accumulated term. */
const TOL_FP32_PER_TERM = 2 ** -23;
/** Promotion rounds each 128-element partial to float32 twice (scale product, then add). */
const TOL_FP32_PROMOTION = 2 ** -22;

/** A QuantizedMatrix whose values must be exact in the format; scales per block given row-major. */
function exactMatrix(values: number[][], layout: ScaleLayout = PER_TENSOR_LAYOUT, scales?: number[], format: Fp8FormatName = 'e4m3'): QuantizedMatrix {
  const rows = values.length;
  const cols = values[0]!.length;
  const codes = Uint8Array.from(values.flat().map((v) => encodeFromFloat64(format, v, 'overflow')));
  const table = decodeTable(format);
  values.flat().forEach((v, i) => {
    if (!Object.is(table[codes[i]!], v) && !(Number.isNaN(v) && Number.isNaN(table[codes[i]!]!))) throw new Error(`test setup: ${v} is not exact in ${format}`);
  });
  const [blockRows, blockCols] = layout.kind === 'per-tensor' ? [rows, cols] : [layout.blockRows, layout.blockCols];
  const scaleRows = Math.ceil(rows / blockRows);
  const scaleCols = Math.ceil(cols / blockCols);
  return { format, rows, cols, codes, blockRows, blockCols, scaleRows, scaleCols, scales: Float32Array.from(scales ?? Array(scaleRows * scaleCols).fill(1)), scaleEncoding: 'float32' };
}

function row(length: number, fill: (k: number) => number): number[] {
  return Array.from({ length }, (_, k) => fill(k));
}

const MODES = {
  exact: EXACT_ACCUMULATION,
  'hopper N_C=128': hopperAccumulation(128),
  'hopper no promotion': hopperAccumulation(Infinity),
} as const;

test('gemm: every mode gives the exact product when the sums need few significant bits', (t) => {
  const a = exactMatrix([[1, 2, 3], [-4, 0.5, 6]]);
  const b = exactMatrix([[1, 1, 1], [2, -3, 0.25]]);
  for (const [name, accumulation] of Object.entries(MODES)) {
    t.deepEqual([...gemmFp8(a, b, { accumulation })], [6, -3.25, 2.5, -8], name);
  }
  t.deepEqual([...gemmReferenceFloat64(a, b)], [6, -3.25, 2.5, -8]);
});

test('gemm: hopper truncates a product below 2^(e_max-13) to zero when it is aligned with a larger one', (t) => {
  // Products 2^14, 2^7 and 1: aligned to 2^14 the kept bits stop at 2^1, so the 1 vanishes.
  const a = exactMatrix([[128, 128, 1]]);
  const b = exactMatrix([[128, 1, 1]]);
  t.is(gemmFp8(a, b, { accumulation: hopperAccumulation() })[0], 16512);
  t.is(gemmFp8(a, b, { accumulation: EXACT_ACCUMULATION })[0], 16513);
});

test('gemm: hopper stores 14 significant bits, truncated toward zero, when a sum carries past 2^14', (t) => {
  // Group 1: 2^13 + ... + 2^0 = 16383 fits 14 bits; group 2 adds 2, giving 16385, which keeps bits down to 2^1.
  const exps = [13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
  const aRow = [...exps.map((e) => 2 ** Math.ceil(e / 2)), 2];
  const bRow = [...exps.map((e) => 2 ** Math.floor(e / 2)), 1];
  const accumulation = hopperAccumulation(128, exps.length);
  t.is(gemmFp8(exactMatrix([aRow]), exactMatrix([bRow]), { accumulation })[0], 16384);
  t.is(gemmFp8(exactMatrix([aRow.map((v) => -v)]), exactMatrix([bRow]), { accumulation })[0], -16384);
  t.is(gemmFp8(exactMatrix([aRow]), exactMatrix([bRow]), { accumulation: EXACT_ACCUMULATION })[0], 16385);
});

test('gemm: promotion every N_C keeps the small products that a never-promoted accumulator truncates', (t) => {
  // One product of 2^14 in the first 128, then 128 products of 1: aligned to 2^14, each 1 truncates to 0.
  const a = exactMatrix([row(256, (k) => (k === 0 ? 128 : 1))]);
  const b = exactMatrix([row(256, (k) => (k === 0 ? 128 : k < 128 ? 0 : 1))]);
  t.is(gemmFp8(a, b, { accumulation: hopperAccumulation(Infinity) })[0], 16384);
  t.is(gemmFp8(a, b, { accumulation: hopperAccumulation(256) })[0], 16384);
  t.is(gemmFp8(a, b, { accumulation: hopperAccumulation(128) })[0], 16512);
  t.is(gemmFp8(a, b, { accumulation: EXACT_ACCUMULATION })[0], 16512);
});

test('gemm: scales of 1x128 activation tiles and 128x128 weight blocks apply per K tile', (t) => {
  const ones = row(256, () => 1);
  const a = exactMatrix([ones, ones], ACTIVATION_TILE_LAYOUT, [2, 0.5, 1, 1]);
  const b = exactMatrix([ones], WEIGHT_BLOCK_LAYOUT, [4, 8]);
  // Row 0: 128 * 2 * 4 + 128 * 0.5 * 8 = 1536; row 1: 128 * 4 + 128 * 8 = 1536.
  for (const accumulation of [EXACT_ACCUMULATION, hopperAccumulation(128), hopperAccumulation(64)]) {
    t.deepEqual([...gemmFp8(a, b, { accumulation })], [1536, 1536]);
  }
  t.deepEqual([...gemmReferenceFloat64(a, b)], [1536, 1536]);
});

// Second implementation of the limited accumulator: exact BigInt fixed point with explicit bit counting.
const FIXED_BITS = 40;
const FIXED_SCALE = 2 ** FIXED_BITS;

function bitLength(x: bigint): number {
  return x === 0n ? 0 : (x < 0n ? -x : x).toString(2).length;
}

function truncateBits(x: bigint, drop: number): bigint {
  if (drop <= 0) return x;
  const unit = 2n ** BigInt(drop);
  return (x / unit) * unit; // BigInt division truncates toward zero.
}

function referenceHopper(a: QuantizedMatrix, b: QuantizedMatrix, promotion: number, group: number, bits: number): number[] {
  const ta = decodeTable(a.format);
  const tb = decodeTable(b.format);
  const k = a.cols;
  const out: number[] = [];
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.rows; j++) {
      let total = 0;
      for (let c0 = 0; c0 < k; c0 += promotion) {
        let acc = 0n;
        for (let g0 = c0; g0 < Math.min(c0 + promotion, k); g0 += group) {
          const terms = [acc];
          for (let kk = g0; kk < Math.min(g0 + group, c0 + promotion, k); kk++) {
            terms.push(BigInt(ta[a.codes[i * k + kk]!]! * tb[b.codes[j * k + kk]!]! * FIXED_SCALE));
          }
          const drop = Math.max(...terms.map(bitLength)) - bits;
          let sum = terms.reduce((s, v) => s + truncateBits(v, drop), 0n);
          sum = truncateBits(sum, bitLength(sum) - bits);
          acc = sum;
        }
        const scale = Math.fround(a.scales[Math.floor(i / a.blockRows) * a.scaleCols + Math.floor(c0 / a.blockCols)]! * b.scales[Math.floor(j / b.blockRows) * b.scaleCols + Math.floor(c0 / b.blockCols)]!);
        total = Math.fround(total + Math.fround((Number(acc) / FIXED_SCALE) * scale));
      }
      out.push(total);
    }
  }
  return out;
}

test('gemm: hopper equals a BigInt fixed-point model of the same accumulator on random signed inputs', (t) => {
  const rng = new Rng('gemm-bigint');
  const k = 300;
  const a = quantizeMatrix(Float32Array.from({ length: 3 * k }, () => rng.nextNormal() + 0.3), 3, k, { format: 'e4m3', layout: ACTIVATION_TILE_LAYOUT, scaleEncoding: 'float32' });
  const b = quantizeMatrix(Float32Array.from({ length: 2 * k }, () => rng.nextNormal()), 2, k, { format: 'e4m3', layout: WEIGHT_BLOCK_LAYOUT, scaleEncoding: 'ue8m0' });
  for (const [promotion, group, bits] of [[128, 32, 14], [64, 7, 14], [128, 1, 10], [32, 32, 20]] as const) {
    t.deepEqual([...gemmFp8(a, b, { accumulation: hopperAccumulation(promotion, group, bits) })], referenceHopper(a, b, promotion, group, bits), `N_C=${promotion} group=${group} bits=${bits}`);
  }
});

test('gemm: exact mode stays within float32 accumulation error of the float64 reference for positive inputs', (t) => {
  const rng = new Rng('gemm-exact');
  const k = 1000;
  const a = quantizeMatrix(Float32Array.from({ length: 4 * k }, () => rng.nextFloat()), 4, k, { format: 'e4m3', layout: ACTIVATION_TILE_LAYOUT, scaleEncoding: 'float32' });
  const b = quantizeMatrix(Float32Array.from({ length: 3 * k }, () => rng.nextFloat()), 3, k, { format: 'e5m2', layout: PER_TENSOR_LAYOUT, scaleEncoding: 'float32' });
  const c = gemmFp8(a, b, { accumulation: EXACT_ACCUMULATION });
  const ref = gemmReferenceFloat64(a, b);
  ref.forEach((r, i) => t.true(Math.abs(c[i]! - r) <= 2 * k * TOL_FP32_PER_TERM * r, `output ${i}: ${c[i]} vs ${r}`));
  t.notDeepEqual([...c], [...ref].map(Math.fround), 'float32 accumulation is not float64 accumulation rounded once');
});

test('gemm: hopper converges to the float64 reference when the accumulator keeps 40 bits', (t) => {
  const rng = new Rng('gemm-wide');
  const k = 512;
  const scheme = { format: 'e4m3', layout: ACTIVATION_TILE_LAYOUT, scaleEncoding: 'float32' } as const;
  const a = quantizeMatrix(Float32Array.from({ length: 2 * k }, () => rng.nextFloat()), 2, k, scheme);
  const b = quantizeMatrix(Float32Array.from({ length: 2 * k }, () => rng.nextFloat()), 2, k, scheme);
  const c = gemmFp8(a, b, { accumulation: hopperAccumulation(128, 32, 40) });
  const ref = gemmReferenceFloat64(a, b);
  ref.forEach((r, i) => t.true(Math.abs(c[i]! - r) <= (k / 128) * TOL_FP32_PROMOTION * r, `output ${i}`));
});

test('gemm: bfloat16 output is the float32 result rounded to nearest-even bfloat16', (t) => {
  const rng = new Rng('gemm-bf16');
  const k = 256;
  const scheme = { format: 'e4m3', layout: ACTIVATION_TILE_LAYOUT, scaleEncoding: 'float32' } as const;
  const a = quantizeMatrix(Float32Array.from({ length: 4 * k }, () => rng.nextNormal()), 4, k, scheme);
  const b = quantizeMatrix(Float32Array.from({ length: 4 * k }, () => rng.nextNormal()), 4, k, scheme);
  for (const accumulation of Object.values(MODES).slice(0, 2)) {
    const f32 = gemmFp8(a, b, { accumulation });
    const bf16 = gemmFp8(a, b, { accumulation, output: 'bfloat16' });
    t.deepEqual([...bf16], [...f32].map(roundToBfloat16));
    t.notDeepEqual([...bf16], [...f32]);
  }
});

test('gemm: NaN and infinity inputs give IEEE results in the outputs they touch when operands are E5M2', (t) => {
  const a = exactMatrix([[Infinity, 1], [1, 1]], PER_TENSOR_LAYOUT, undefined, 'e5m2');
  const b = exactMatrix([[1, 1], [0, 1]], PER_TENSOR_LAYOUT, undefined, 'e5m2');
  for (const [name, accumulation] of Object.entries(MODES)) {
    t.deepEqual([...gemmFp8(a, b, { accumulation })], [Infinity, NaN, 2, 1], name);
  }
});

test('gemm: bad shapes and accumulation settings throw ModelError naming the option', (t) => {
  const tiled = exactMatrix([row(256, () => 1)], ACTIVATION_TILE_LAYOUT, [1, 1]);
  const flat = exactMatrix([row(256, () => 1)]);
  const short = exactMatrix([row(128, () => 1)]);
  t.snapshot([
    t.throws(() => gemmFp8(tiled, flat, { accumulation: hopperAccumulation(Infinity) }), { instanceOf: ModelError }).message,
    t.throws(() => gemmFp8(flat, tiled, { accumulation: hopperAccumulation(192) }), { instanceOf: ModelError }).message,
    t.throws(() => gemmFp8(flat, short, { accumulation: EXACT_ACCUMULATION }), { instanceOf: ModelError }).message,
    t.throws(() => gemmFp8(flat, flat, { accumulation: hopperAccumulation(1.5) }), { instanceOf: ModelError }).message,
    t.throws(() => gemmFp8(flat, flat, { accumulation: hopperAccumulation(128, 0) }), { instanceOf: ModelError }).message,
    t.throws(() => gemmFp8(flat, flat, { accumulation: hopperAccumulation(128, 32, 60) }), { instanceOf: ModelError }).message,
    t.throws(() => gemmFp8(flat, flat, { accumulation: EXACT_ACCUMULATION, output: 'fp16' as 'float32' }), { instanceOf: ModelError }).message,
    t.throws(() => gemmFp8({ ...flat, codes: new Uint8Array(3) }, flat, { accumulation: EXACT_ACCUMULATION }), { instanceOf: ModelError }).message,
  ]);
});
