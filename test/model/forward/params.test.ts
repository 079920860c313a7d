import test from 'ava';
import { Rng } from '../../../src/core/index.ts';
import { CONV_NORM_EPS, GATE_NORM_EPS_FP32, GATE_NORM_EPS_FP64, initEngramLayerParams } from '../../../src/model/index.ts';
import { tinyConfig } from './tinyConfig.ts';

test('params: the gate norm eps is torch.finfo(float32).eps and the conv norm eps is 1e-5', (t) => {
  t.is(GATE_NORM_EPS_FP32, 2 ** -23);
  t.is(GATE_NORM_EPS_FP64, 2 ** -52);
  t.is(CONV_NORM_EPS, 1e-5);
  const p = initEngramLayerParams(tinyConfig(), 1, new Rng(0));
  t.is(p.gateNormEps, GATE_NORM_EPS_FP32);
  t.is(p.convNormEps, CONV_NORM_EPS);
});

test('params: shapes follow PyTorch layout for every branch and the conv spans hcMult * hidden channels', (t) => {
  const config = tinyConfig(3);
  const p = initEngramLayerParams(config, 1, new Rng(0));
  const [H, D, M] = [32, 32, 3];
  t.is(p.valueWeight.length, H * D);
  t.is(p.valueBias.length, H);
  t.is(p.keyWeight.length, M * H * D);
  t.is(p.keyBias.length, M * H);
  for (const w of [p.keyNormWeight, p.queryNormWeight, p.convNormWeight]) t.is(w.length, M * H);
  t.is(p.convWeight.length, M * H * 4);
  t.is(p.dilation, 3);
  t.is(p.kernelSize, 4);
});

test('params: Linear weights and biases are U(-1/sqrt(fan_in), 1/sqrt(fan_in)), conv taps U(-1/2, 1/2), norms ones', (t) => {
  const p = initEngramLayerParams(tinyConfig(4), 1, new Rng(0));
  const within = (values: Float32Array, bound: number): void => {
    let max = 0;
    let sum = 0;
    for (const v of values) {
      max = Math.max(max, Math.abs(v));
      sum += v;
    }
    t.true(max <= bound, `max ${max} > ${bound}`);
    // Uniform on [-b, b]: the largest of n draws is close to b, and the mean is near 0.
    if (values.length >= 1000) {
      t.true(max > 0.99 * bound, `max ${max} far below ${bound}`);
      t.true(Math.abs(sum / values.length) < 0.1 * bound);
    }
  };
  const linearBound = 1 / Math.sqrt(32);
  for (const w of [p.valueWeight, p.valueBias, p.keyWeight, p.keyBias]) within(w, linearBound);
  within(p.convWeight, 0.5);
  for (const w of [p.keyNormWeight, p.queryNormWeight, p.convNormWeight]) t.true(w.every((v) => v === 1));
});

test('params: each branch gets its own key projection and the same seed gives the same parameters', (t) => {
  const config = tinyConfig(2);
  const a = initEngramLayerParams(config, 1, new Rng(7));
  const b = initEngramLayerParams(config, 1, new Rng(7));
  t.deepEqual(a, b);
  // keyWeight is [D][M·H]: column block m is branch m's W_K^(m)ᵀ.
  const block = (m: number): number[] => Array.from({ length: 32 * 32 }, (_, k) => a.keyWeight[Math.floor(k / 32) * 64 + m * 32 + (k % 32)]!);
  t.notDeepEqual(block(0), block(1));
  t.notDeepEqual(initEngramLayerParams(config, 1, new Rng(8)).valueWeight, a.valueWeight);
});

test('params: rejects a layer id that is not one of the config\'s Engram layers', (t) => {
  t.snapshot(t.throws(() => initEngramLayerParams(tinyConfig(), 2, new Rng(0)))?.message);
});
