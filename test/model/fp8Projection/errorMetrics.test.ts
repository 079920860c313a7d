import test from 'ava';
import { ModelError } from '../../../src/core/index.ts';
import { absChange, DEEPGEMM_DIFF_LIMIT, matrixError } from '../../../src/model/index.ts';

test('matrixError: zero error and zero DeepGEMM diff when the matrices are equal', (t) => {
  const x = [1, -2, 3, 0.5];
  t.deepEqual(matrixError(x, x), { count: 4, relFrobenius: 0, maxAbsError: 0, maxAbsReference: 3, deepGemmDiff: 0 });
});

test('matrixError: Frobenius, max and DeepGEMM diff by hand when x = ref + a known perturbation', (t) => {
  const ref = [3, 4, 0, 0];
  const x = [3, 4, 1, 0];
  const e = matrixError(x, ref);
  t.is(e.relFrobenius, 1 / 5);
  t.is(e.maxAbsError, 1);
  // 1 - 2·25 / (26 + 25) = 1/51.
  t.is(e.deepGemmDiff, 1 - 50 / 51);
  // A uniform scale error of 1%: diff = 1 - 2·1.01 / (1 + 1.01²) ≈ 5e-5, well under DeepGEMM's limit.
  const scaled = matrixError(ref.map((v) => 1.01 * v), ref);
  t.true(Math.abs(scaled.deepGemmDiff - (1 - 2.02 / (1 + 1.0201))) < 1e-15);
  t.true(scaled.deepGemmDiff < DEEPGEMM_DIFF_LIMIT);
});

test('matrixError: a column block measures only those columns of every row', (t) => {
  // 2 x 3 matrices; block columns [1, 3) hold the only differences in row 1.
  const ref = [1, 1, 1, 1, 1, 1];
  const x = [9, 1, 1, 1, 1, 3];
  const e = matrixError(x, ref, { cols: 3, colStart: 1, colEnd: 3 });
  t.is(e.count, 4);
  t.is(e.maxAbsError, 2);
  t.is(e.relFrobenius, 2 / 2);
  t.throws(() => matrixError(x, ref, { cols: 4, colStart: 0, colEnd: 2 }), { instanceOf: ModelError, message: /^matrixError: block: / });
});

test('absChange: mean and max of the absolute differences; mismatched lengths are a ModelError', (t) => {
  t.deepEqual(absChange([1, 2, 3], [1, 2.5, 1]), { mean: 2.5 / 3, max: 2 });
  t.snapshot(t.throws(() => absChange([1], [1, 2]), { instanceOf: ModelError })?.message);
});
