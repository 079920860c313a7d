import test from 'ava';
import { Rng } from '../../../src/core/index.ts';
import { CONV_NORM_EPS, engramForwardReference64, initEngramLayerParams, MaterializedTable } from '../../../src/model/index.ts';
import { tinyConfig } from './tinyConfig.ts';

// A closed-form case: keys are the constant bias 1 (W_K = 0), values the constant bias c (W_V = 0), every
// conv tap is w. Then ks = 1 and qs = ±1 after RMSNorm, s = ±H/√H = ±√H, α = σ(±H^(1/4)), the conv
// input is the same constant at every step, and the conv output at t is w · (number of taps inside the
// sequence) · that constant: 1 + floor(t/3) taps, at most 4.
test('reference64: gate and ShortConv match the closed form when projections are constant biases', (t) => {
  const config = tinyConfig(2);
  const H = 32;
  const base = initEngramLayerParams(config, 1, new Rng(0));
  // Both are exact in fp32, so the closed form needs no rounding.
  const [c, w] = [0.75, 0.25];
  const params = {
    ...base,
    valueWeight: new Float32Array(base.valueWeight.length),
    valueBias: new Float32Array(H).fill(c),
    keyWeight: new Float32Array(base.keyWeight.length),
    keyBias: new Float32Array(2 * H).fill(1),
    convWeight: new Float32Array(base.convWeight.length).fill(w),
  };
  const T = 11;
  const table = MaterializedTable.normal(10, 8, { seed: 0, layerId: 1 });
  const rowIds = new Int32Array(T * 4).map((_, i) => i % 10);
  // Branch 0 sees h = +1, branch 1 sees h = -1.
  const hidden = new Float32Array(T * 2 * H).map((_, i) => (Math.floor(i / H) % 2 === 0 ? 1 : -1));
  const { alpha, output } = engramForwardReference64(params, table, rowIds, hidden, T);
  const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
  // RMSNorm of a constant vector of ones is 1/sqrt(1 + eps) per element, for keys and queries alike.
  const normOne = 1 / Math.sqrt(1 + params.gateNormEps);
  const score = (H * normOne * normOne) / Math.sqrt(H);
  const alphaBranch = [sigmoid(Math.sqrt(score)), sigmoid(-Math.sqrt(score))];
  for (let tok = 0; tok < T; tok++) {
    const taps = Math.min(4, 1 + Math.floor(tok / 3));
    for (let m = 0; m < 2; m++) {
      const a = alphaBranch[m]!;
      t.true(Math.abs(alpha[tok * 2 + m]! - a) < 1e-15);
      const gated = a * c;
      const y = w * taps * (gated / Math.sqrt(gated * gated + CONV_NORM_EPS));
      const expected = gated + y * sigmoid(y);
      for (let d = 0; d < H; d++) t.true(Math.abs(output[(tok * 2 + m) * H + d]! - expected) < 1e-14, `t=${tok} m=${m} d=${d}`);
    }
  }
});

test('reference64: with all conv taps zero the output is the gated value α·v', (t) => {
  const config = tinyConfig(3);
  const rng = new Rng(4);
  const base = initEngramLayerParams(config, 1, rng.child('params'));
  const params = { ...base, convWeight: new Float32Array(base.convWeight.length) };
  const T = 5;
  const table = MaterializedTable.normal(20, 8, { seed: 4, layerId: 1 });
  const rowIds = new Int32Array(T * 4).map((_, i) => (7 * i) % 20);
  const h = rng.child('hidden');
  const hidden = new Float32Array(T * 3 * 32).map(() => h.nextNormal());
  const { alpha, output } = engramForwardReference64(params, table, rowIds, hidden, T);
  // v = W_V e + b_V computed here directly from the gathered rows (valueWeight holds W_Vᵀ, [in][out]).
  const e = new Float32Array(T * 32);
  table.gatherInto(rowIds, e);
  for (let tok = 0; tok < T; tok++) {
    for (let d = 0; d < 32; d++) {
      let v = params.valueBias[d]!;
      for (let i = 0; i < 32; i++) v += params.valueWeight[i * 32 + d]! * e[tok * 32 + i]!;
      for (let m = 0; m < 3; m++) t.true(Math.abs(output[(tok * 3 + m) * 32 + d]! - alpha[tok * 3 + m]! * v) < 1e-12);
    }
  }
});
