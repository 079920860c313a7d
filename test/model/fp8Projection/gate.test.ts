import test from 'ava';
import { ModelError, Rng } from '../../../src/core/index.ts';
import {
  engramForwardReference64, fusedProjectionWeights, gateFromProjection, initEngramLayerParams, MaterializedTable,
} from '../../../src/model/index.ts';
import { tinyConfig } from '../forward/tinyConfig.ts';

/** Both sides are float64 from the same inputs; only the order of the projection sums and the bias add differs. */
const TOL_FLOAT64_REORDERED = 1e-12;

test('gateFromProjection: alpha equals the float64 oracle of the layer when given the float64 projection', (t) => {
  const config = tinyConfig(3, 32);
  const rng = new Rng(11);
  const params = initEngramLayerParams(config, 1, rng.child('params'));
  const table = MaterializedTable.normal(50, config.derived.headDim, { seed: 11, layerId: 1 });
  const T = 6;
  const heads = config.derived.headsPerLayer;
  const ids = rng.child('rows');
  const rowIds = new Int32Array(T * heads).map(() => ids.nextInt(50));
  const h = rng.child('hidden');
  const hidden = new Float32Array(T * 3 * 32).map(() => h.nextNormal());
  const memory = new Float32Array(T * config.derived.engramHiddenSize);
  table.gatherInto(rowIds, memory);

  const w = fusedProjectionWeights(params);
  const N = w.projections * w.hidden;
  const projection = new Float64Array(T * N);
  for (let tt = 0; tt < T; tt++) {
    for (let j = 0; j < N; j++) {
      let sum = 0;
      for (let d = 0; d < w.dMem; d++) sum += memory[tt * w.dMem + d]! * w.fused[j * w.dMem + d]!;
      projection[tt * N + j] = sum;
    }
  }
  const gate = gateFromProjection(params, projection, hidden, T);
  const oracle = engramForwardReference64(params, table, rowIds, hidden, T);
  let worst = 0;
  for (let i = 0; i < oracle.alpha.length; i++) worst = Math.max(worst, Math.abs(gate.alpha[i]! - oracle.alpha[i]!));
  t.true(worst < TOL_FLOAT64_REORDERED, `max |alpha - oracle| = ${worst}`);
  // ṽ_m = α_m · (v + b_V) for every branch m.
  for (let tt = 0; tt < T; tt++) {
    for (let m = 0; m < 3; m++) {
      for (let d = 0; d < 32; d++) {
        const v = projection[tt * N + d]! + params.valueBias[d]!;
        t.is(gate.gatedValue[(tt * 3 + m) * 32 + d], gate.alpha[tt * 3 + m]! * v);
      }
    }
  }
});

test('gateFromProjection: an all-zero score gives alpha 0.5 when the key projection cancels its bias', (t) => {
  const params = initEngramLayerParams(tinyConfig(2, 32), 1, new Rng(3));
  const projection = new Float64Array(3 * 32);
  // k_m = key block + b_K^(m) = 0 exactly, so RMSNorm(k_m) = 0 and s = 0.
  for (let i = 0; i < 64; i++) projection[32 + i] = -params.keyBias[i]!;
  const hidden = new Float32Array(2 * 32).fill(1);
  t.deepEqual(Array.from(gateFromProjection(params, projection, hidden, 1).alpha), [0.5, 0.5]);
});

test('gateFromProjection: a projection of the wrong length is a ModelError naming the expected length', (t) => {
  const params = initEngramLayerParams(tinyConfig(2, 32), 1, new Rng(3));
  t.snapshot(t.throws(() => gateFromProjection(params, new Float64Array(10), new Float32Array(64), 1), { instanceOf: ModelError })?.message);
});
