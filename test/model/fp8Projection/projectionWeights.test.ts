import test from 'ava';
import { ModelError, Rng } from '../../../src/core/index.ts';
import { fusedProjectionWeights, initEngramLayerParams, projectionRows, weightBlockAlignment } from '../../../src/model/index.ts';
import { tinyConfig } from '../forward/tinyConfig.ts';

test('fusedProjectionWeights: row j of block 0 is W_V row j and of block 1 + m is W_K^(m) row j, in torch [out][in] layout', (t) => {
  const params = initEngramLayerParams(tinyConfig(3, 32), 1, new Rng(4));
  const w = fusedProjectionWeights(params);
  const [D, H, M] = [32, 32, 3];
  t.is(w.projections, M + 1);
  t.deepEqual(w.names, ['value', 'key0', 'key1', 'key2']);
  t.is(w.fused.length, (M + 1) * H * D);
  for (let d = 0; d < D; d++) {
    for (let j = 0; j < H; j++) {
      t.is(w.fused[j * D + d], params.valueWeight[d * H + j]);
      for (let m = 0; m < M; m++) t.is(w.fused[((1 + m) * H + j) * D + d], params.keyWeight[d * M * H + m * H + j]);
    }
  }
  t.deepEqual(Array.from(w.bias.subarray(0, H)), Array.from(params.valueBias));
  t.deepEqual(Array.from(w.bias.subarray(H)), Array.from(params.keyBias));
  t.deepEqual(Array.from(projectionRows(w, 2)), Array.from(w.fused.subarray(2 * H * D, 3 * H * D)));
});

test('projectionRows: a projection index outside [0, M] is a ModelError naming p', (t) => {
  const w = fusedProjectionWeights(initEngramLayerParams(tinyConfig(2, 32), 1, new Rng(0)));
  t.snapshot(t.throws(() => projectionRows(w, 3), { instanceOf: ModelError })?.message);
});

test('weightBlockAlignment: aligned when hidden is a multiple of the block height, as for 2560 and 128', (t) => {
  t.deepEqual(weightBlockAlignment(2560, 5, 128), { aligned: true, blockRows: 128, straddledBoundaries: [], partialBlockRows: 0 });
});

test('weightBlockAlignment: lists the straddled boundaries and the partial block when hidden is not a multiple', (t) => {
  // hidden 200, blocks of 128: boundaries 200, 400, 600 fall inside fused blocks; 512 would not, but none is there.
  t.deepEqual(weightBlockAlignment(200, 4, 128), { aligned: false, blockRows: 128, straddledBoundaries: [200, 400, 600], partialBlockRows: 72 });
  // hidden 64, blocks of 128: boundary 128 lies on an edge, yet each separate W is a 64-row partial block.
  t.deepEqual(weightBlockAlignment(64, 3, 128), { aligned: false, blockRows: 128, straddledBoundaries: [64], partialBlockRows: 64 });
  t.throws(() => weightBlockAlignment(64, 3, 0), { instanceOf: ModelError, message: /blockRows: expected a positive integer, got 0/ });
});
