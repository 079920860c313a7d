import test from 'ava';
import fc from 'fast-check';
import { dominates, paretoFront } from '../../src/dse/index.ts';
import type { ObjectiveGoal } from '../../src/spec/index.ts';
import { seedFor } from './helpers.ts';

/** The definition, checked pair by pair: O(n^2). */
function bruteForce(vectors: number[][], goals: ObjectiveGoal[]): number[] {
  const cost = vectors.map((v) => v.map((x, j) => (goals[j] === 'max' ? -x : x)));
  return cost.map((_, i) => i).filter((i) => !cost.some((c, j) => j !== i && dominates(c, cost[i]!)));
}

test('paretoFront: keeps the points no other point beats on every objective when maximising and minimising', (t) => {
  const vectors = [[10, 5], [8, 3], [10, 6], [7, 1], [9, 1]];
  // [8, 3] and [7, 1] lose to [9, 1]; [10, 6] loses to [10, 5].
  t.deepEqual(paretoFront(vectors, ['max', 'min']), [0, 4]);
});

test('paretoFront: keeps equal vectors together when neither dominates the other', (t) => {
  t.deepEqual(paretoFront([[1, 1], [1, 1], [2, 2]], ['min', 'min']), [0, 1]);
});

test('paretoFront: agrees with the pairwise definition for random vectors and goals', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((m) =>
          fc.tuple(fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: m, maxLength: m }), { maxLength: 60 }), fc.array(fc.constantFrom<ObjectiveGoal>('max', 'min'), { minLength: m, maxLength: m })),
        ),
        ([vectors, goals]) => {
          t.deepEqual(paretoFront(vectors, goals), bruteForce(vectors, goals));
        },
      ),
      { seed: seedFor(t.title) },
    ),
  );
});
