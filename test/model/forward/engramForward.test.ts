import test from 'ava';
import { Rng } from '../../../src/core/index.ts';
import {
  engramForward, engramForwardReference64, GATE_NORM_EPS_FP64, initEngramLayerParams, MaterializedTable, selectBackend, TOL_FP32_FORWARD,
  type EngramLayerParams, type ForwardBackend, type TfBackendName,
} from '../../../src/model/index.ts';
import { tinyConfig } from './tinyConfig.ts';

const TABLE_ROWS = 97;
const HEADS = 4;

interface Case {
  params: EngramLayerParams;
  table: MaterializedTable;
  rowIds: Int32Array;
  hidden: Float32Array;
  numTokens: number;
}

function makeCase(hcMult: number, numTokens: number, seed: number, hiddenScale = 1): Case {
  const config = tinyConfig(hcMult);
  const rng = new Rng(seed);
  const params = initEngramLayerParams(config, 1, rng.child('params'));
  const table = MaterializedTable.normal(TABLE_ROWS, config.derived.headDim, { seed, layerId: 1 });
  const ids = rng.child('rows');
  const rowIds = new Int32Array(numTokens * HEADS).map(() => ids.nextInt(TABLE_ROWS));
  const h = rng.child('hidden');
  const hidden = new Float32Array(numTokens * hcMult * 32).map(() => hiddenScale * h.nextNormal());
  return { params, table, rowIds, hidden, numTokens };
}

function run(backend: ForwardBackend, c: Case) {
  return engramForward(backend, c.params, c.table, c.rowIds, c.hidden, c.numTokens);
}

/** Largest |actual - expected| / max(1, |expected|). */
function scaledError(actual: Float32Array, expected: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
  return worst;
}

/** Tokens whose output rows (all branches) differ between two runs. */
function changedTokens(a: Float32Array, b: Float32Array, numTokens: number): number[] {
  const width = a.length / numTokens;
  const changed: number[] = [];
  for (let t = 0; t < numTokens; t++) {
    for (let i = t * width; i < (t + 1) * width; i++) {
      if (a[i] !== b[i]) {
        changed.push(t);
        break;
      }
    }
  }
  return changed;
}

// tfjs has one active backend per process, so every test that selects one runs serially.
for (const name of ['wasm', 'cpu'] as const satisfies readonly TfBackendName[]) {
  test.serial(`engramForward: matches the float64 reference within TOL_FP32_FORWARD on ${name} for hcMult 2, 3 and 4`, async (t) => {
    const backend = await selectBackend(name);
    t.is(backend.name, name);
    for (const hcMult of [2, 3, 4]) {
      const c = makeCase(hcMult, 12, hcMult);
      const got = run(backend, c);
      const want = engramForwardReference64(c.params, c.table, c.rowIds, c.hidden, c.numTokens);
      t.is(got.output.length, 12 * hcMult * 32);
      t.is(got.alpha.length, 12 * hcMult);
      t.true(scaledError(got.alpha, want.alpha) <= TOL_FP32_FORWARD, `alpha error ${scaledError(got.alpha, want.alpha)}`);
      t.true(scaledError(got.output, want.output) <= TOL_FP32_FORWARD, `output error ${scaledError(got.output, want.output)}`);
    }
  });

  test.serial(`engramForward: leaves the tfjs tensor count unchanged on ${name}`, async (t) => {
    const backend = await selectBackend(name);
    const tf = await import('@tensorflow/tfjs-core');
    const before = tf.memory().numTensors;
    run(backend, makeCase(4, 9, 1));
    t.is(tf.memory().numTensors, before);
    run(backend, makeCase(2, 1, 2));
    t.is(tf.memory().numTensors, before);
  });
}

test.serial('engramForward: a branch whose hidden state is zero gets a gate of exactly 0.5 (sign(0) = 0)', async (t) => {
  const backend = await selectBackend('wasm');
  const c = makeCase(3, 6, 5);
  // RMSNorm(0) = 0, so the score of branch 1 is exactly 0 at every token.
  for (let tok = 0; tok < 6; tok++) c.hidden.fill(0, (tok * 3 + 1) * 32, (tok * 3 + 2) * 32);
  const got = run(backend, c);
  const want = engramForwardReference64(c.params, c.table, c.rowIds, c.hidden, c.numTokens);
  for (let tok = 0; tok < 6; tok++) {
    t.is(got.alpha[tok * 3 + 1], 0.5);
    t.is(want.alpha[tok * 3 + 1], 0.5);
    t.not(got.alpha[tok * 3], 0.5);
  }
});

test.serial('engramForward: the gate norms use their eps when the hidden state is tiny (mean square below eps)', async (t) => {
  const backend = await selectBackend('wasm');
  // |h| ~ 1e-5: mean(h²) ~ 1e-10 is far below eps 1.19e-7, so eps dominates the query norm.
  const c = makeCase(2, 8, 6, 1e-5);
  const got = run(backend, c);
  const want = engramForwardReference64(c.params, c.table, c.rowIds, c.hidden, c.numTokens);
  t.true(scaledError(got.alpha, want.alpha) <= TOL_FP32_FORWARD);
  // The same layer with an eps that is negligible here rescales h to unit RMS, and the gates move far.
  const noEps = engramForwardReference64({ ...c.params, gateNormEps: GATE_NORM_EPS_FP64 }, c.table, c.rowIds, c.hidden, c.numTokens);
  t.true(scaledError(got.alpha, noEps.alpha) > 1000 * TOL_FP32_FORWARD, `alpha error without eps ${scaledError(got.alpha, noEps.alpha)}`);
});

test.serial('engramForward: a change at token 7 moves only outputs at lags 0, 3, 6 and 9 (causal, dilation 3)', async (t) => {
  const backend = await selectBackend('wasm');
  const base = makeCase(2, 20, 9);
  const changed = { ...base, rowIds: base.rowIds.slice() };
  for (let h = 0; h < HEADS; h++) changed.rowIds[7 * HEADS + h] = (base.rowIds[7 * HEADS + h]! + 1) % TABLE_ROWS;
  const a = run(backend, base);
  const b = run(backend, changed);
  t.deepEqual(changedTokens(a.output, b.output, 20), [7, 10, 13, 16]);
  t.deepEqual(changedTokens(a.alpha, b.alpha, 20), [7]);
  const refA = engramForwardReference64(base.params, base.table, base.rowIds, base.hidden, 20);
  const refB = engramForwardReference64(changed.params, changed.table, changed.rowIds, changed.hidden, 20);
  t.deepEqual(changedTokens(new Float32Array(refA.output), new Float32Array(refB.output), 20), [7, 10, 13, 16]);
});

test.serial('engramForward: the last conv tap multiplies the current step and the first one the step 9 back', async (t) => {
  const backend = await selectBackend('wasm');
  const c = makeCase(2, 12, 11);
  const K = 4;
  const onlyTap = (j: number): Case => {
    const convWeight = new Float32Array(c.params.convWeight.length);
    for (let ch = 0; ch < convWeight.length / K; ch++) convWeight[ch * K + j] = 1;
    return { ...c, params: { ...c.params, convWeight } };
  };
  const zeroConv = run(backend, { ...c, params: { ...c.params, convWeight: new Float32Array(c.params.convWeight.length) } });
  const first = run(backend, onlyTap(0));
  const last = run(backend, onlyTap(K - 1));
  const width = 2 * 32;
  // Tap 0 reads t - 9: zero before t = 9, so Y = ṽ exactly there (SiLU(0) = 0).
  t.deepEqual(first.output.subarray(0, 9 * width), zeroConv.output.subarray(0, 9 * width));
  t.notDeepEqual(first.output.subarray(9 * width, 10 * width), zeroConv.output.subarray(9 * width, 10 * width));
  // Tap K-1 reads t itself, so token 0 already sees it.
  t.notDeepEqual(last.output.subarray(0, width), zeroConv.output.subarray(0, width));
});

test.serial('engramForward: rejects inputs of the wrong shape and a backend that is no longer active', async (t) => {
  const wasm = await selectBackend('wasm');
  const c = makeCase(2, 3, 1);
  t.snapshot(t.throws(() => engramForward(wasm, c.params, c.table, c.rowIds.subarray(1), c.hidden, 3))?.message);
  t.snapshot(t.throws(() => engramForward(wasm, c.params, c.table, c.rowIds, c.hidden.subarray(1), 3))?.message);
  t.snapshot(t.throws(() => engramForward(wasm, c.params, c.table, c.rowIds, c.hidden, 2.5))?.message);
  t.snapshot(t.throws(() => engramForward({ name: 'wasm', skipped: [] }, c.params, c.table, c.rowIds, c.hidden, 3))?.message);
  await selectBackend('cpu');
  t.snapshot(t.throws(() => engramForward(wasm, c.params, c.table, c.rowIds, c.hidden, 3))?.message);
});

test.serial('engramForward: zero tokens give empty outputs', async (t) => {
  const backend = await selectBackend('wasm');
  const c = makeCase(2, 0, 1);
  const got = run(backend, c);
  t.is(got.output.length, 0);
  t.is(got.alpha.length, 0);
});
