import test from 'ava';
import { ModelError, Rng } from '../../src/core/index.ts';
import {
  ACTIVATION_TILE_LAYOUT,
  DEEPSEEK_V3_ACTIVATION_SCHEME,
  DEEPSEEK_V3_WEIGHT_SCHEME,
  FP8_FORMATS,
  PER_TENSOR_LAYOUT,
  WEIGHT_BLOCK_LAYOUT,
  decodeFp8,
  dequantizeMatrix,
  quantizeMatrix,
  scaleForAmax,
  type QuantizedMatrix,
  type ScalingScheme,
} from '../../src/fp8/index.ts';

/** Relative rounding error of an E4M3 normal: half an ulp of a 4-bit significand. */
const TOL_FP8_E4M3 = 2 ** -4;
/** Absolute error allowed for values that land in the E4M3 subnormal range: half the subnormal step. */
const TOL_FP8_E4M3_SUBNORMAL_ABS = FP8_FORMATS.e4m3.minSubnormal / 2;

function randomMatrix(seed: string, length: number): Float32Array {
  const rng = new Rng(seed);
  // Rows of very different magnitude, so per-block scales differ.
  return Float32Array.from({ length }, (_, i) => rng.nextNormal() * 2 ** ((i % 7) - 3));
}

function blockAmax(values: Float32Array, cols: number, r0: number, r1: number, c0: number, c1: number): number {
  let amax = 0;
  for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) amax = Math.max(amax, Math.abs(values[r * cols + c]!));
  return amax;
}

test('scaling: 1x128 tiles give one float32 scale amax/448 per row per 128 columns, including a ragged last tile', (t) => {
  const rows = 3;
  const cols = 300;
  const values = randomMatrix('tiles', rows * cols);
  const q = quantizeMatrix(values, rows, cols, DEEPSEEK_V3_ACTIVATION_SCHEME);
  t.deepEqual([q.blockRows, q.blockCols, q.scaleRows, q.scaleCols], [1, 128, 3, 3]);
  for (let r = 0; r < rows; r++) {
    for (let s = 0; s < 3; s++) {
      const amax = blockAmax(values, cols, r, r + 1, s * 128, Math.min((s + 1) * 128, cols));
      t.is(q.scales[r * 3 + s], Math.fround(amax / 448), `row ${r} tile ${s}`);
    }
  }
});

test('scaling: 128x128 weight blocks share one scale over 128 rows and 128 columns', (t) => {
  const rows = 200;
  const cols = 130;
  const values = randomMatrix('blocks', rows * cols);
  const q = quantizeMatrix(values, rows, cols, DEEPSEEK_V3_WEIGHT_SCHEME);
  t.deepEqual([q.scaleRows, q.scaleCols], [2, 2]);
  t.is(q.scales[1 * 2 + 0], Math.fround(blockAmax(values, cols, 128, 200, 0, 128) / 448));
  t.is(q.scales[0 * 2 + 1], Math.fround(blockAmax(values, cols, 0, 128, 128, 130) / 448));
});

test('scaling: the largest element of each block maps to the format max when scales are float32', (t) => {
  const values = randomMatrix('amax', 4 * 256);
  for (const format of ['e4m3', 'e5m2'] as const) {
    const q = quantizeMatrix(values, 4, 256, { format, layout: ACTIVATION_TILE_LAYOUT, scaleEncoding: 'float32' });
    for (let block = 0; block < 8; block++) {
      const [r, s] = [Math.floor(block / 2), block % 2];
      let maxCode = 0;
      for (let c = s * 128; c < (s + 1) * 128; c++) maxCode = Math.max(maxCode, q.codes[r * 256 + c]! & 0x7f);
      t.is(maxCode, FP8_FORMATS[format].maxFiniteCode, `${format} block ${block}`);
    }
  }
});

test('scaling: UE8M0 scales are the power of two at or above amax/max, so no element saturates', (t) => {
  const values = randomMatrix('ue8m0', 8 * 256);
  const scheme: ScalingScheme = { format: 'e4m3', layout: ACTIVATION_TILE_LAYOUT, scaleEncoding: 'ue8m0' };
  const q = quantizeMatrix(values, 8, 256, scheme);
  for (let i = 0; i < q.scales.length; i++) {
    const scale = q.scales[i]!;
    const r = Math.floor(i / 2);
    const c0 = (i % 2) * 128;
    const amax = blockAmax(values, 256, r, r + 1, c0, c0 + 128);
    t.true(Number.isInteger(Math.log2(scale)), `scale ${i} is a power of two`);
    t.true(amax / scale <= 448 && amax / scale > 224, `scale ${i}: largest element lands in (224, 448]`);
  }
  // Exactly 448 * 2^k keeps exponent k; one float32 ulp more needs k + 1.
  t.is(scaleForAmax(448 * 8, 'e4m3', 'ue8m0'), 8);
  t.is(scaleForAmax(Math.fround(448 * 8 * (1 + 2 ** -23)), 'e4m3', 'ue8m0'), 16);
  t.is(scaleForAmax(1e-45, 'e4m3', 'ue8m0'), 2 ** -127, 'clamped to the smallest E8M0 value');
});

test('scaling: dequantised values are within FP8 rounding of the inputs for every layout and encoding', (t) => {
  const rows = 130;
  const cols = 260;
  const values = randomMatrix('roundtrip', rows * cols);
  const layouts = [PER_TENSOR_LAYOUT, ACTIVATION_TILE_LAYOUT, WEIGHT_BLOCK_LAYOUT];
  for (const layout of layouts) {
    for (const scaleEncoding of ['float32', 'ue8m0'] as const) {
      const q = quantizeMatrix(values, rows, cols, { format: 'e4m3', layout, scaleEncoding });
      const back = dequantizeMatrix(q);
      let worst = 0;
      for (let i = 0; i < values.length; i++) {
        const scale = q.scales[Math.floor(Math.floor(i / cols) / q.blockRows) * q.scaleCols + Math.floor((i % cols) / q.blockCols)]!;
        const allowed = Math.max(TOL_FP8_E4M3 * Math.abs(values[i]!), TOL_FP8_E4M3_SUBNORMAL_ABS * scale) * (1 + 2 ** -20);
        worst = Math.max(worst, Math.abs(back[i]! - values[i]!) / allowed);
      }
      t.true(worst <= 1, `${layout.kind} ${scaleEncoding}: worst error ${worst} of the allowed`);
    }
  }
});

test('scaling: an all-zero block gets scale 1 and zero codes', (t) => {
  const values = new Float32Array(256);
  values[200] = 3;
  const q = quantizeMatrix(values, 1, 256, DEEPSEEK_V3_ACTIVATION_SCHEME);
  t.is(q.scales[0], 1);
  t.true(q.codes.slice(0, 128).every((c) => c === 0));
  t.is(q.scales[1], Math.fround(3 / 448));
  t.is(decodeFp8('e4m3', q.codes[200]!), 448);
});

test('scaling: non-finite values, bad shapes and bad layouts throw ModelError naming the field', (t) => {
  const bad = Float32Array.from([1, NaN, 2, 3]);
  const hand: QuantizedMatrix = { ...quantizeMatrix(new Float32Array(4), 2, 2, DEEPSEEK_V3_ACTIVATION_SCHEME), scales: new Float32Array(3) };
  t.snapshot([
    t.throws(() => quantizeMatrix(bad, 2, 2, DEEPSEEK_V3_ACTIVATION_SCHEME), { instanceOf: ModelError }).message,
    t.throws(() => quantizeMatrix(new Float32Array(5), 2, 2, DEEPSEEK_V3_ACTIVATION_SCHEME), { instanceOf: ModelError }).message,
    t.throws(() => quantizeMatrix(new Float32Array(4), 0, 4, DEEPSEEK_V3_ACTIVATION_SCHEME), { instanceOf: ModelError }).message,
    t.throws(() => quantizeMatrix(new Float32Array(4), 2, 2, { format: 'e4m3', layout: { kind: 'blocks', blockRows: 1, blockCols: 0 }, scaleEncoding: 'float32' }), { instanceOf: ModelError }).message,
    t.throws(() => scaleForAmax(Infinity, 'e4m3', 'float32'), { instanceOf: ModelError }).message,
    t.throws(() => dequantizeMatrix(hand), { instanceOf: ModelError }).message,
  ]);
});
