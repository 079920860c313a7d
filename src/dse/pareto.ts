// Pareto filtering: the points no other point beats on every objective at once (weak dominance with one
// strict improvement), in O(n log n + n f m) for n points, f on the front and m objectives.
import type { ObjectiveGoal } from '../spec/index.ts';

/**
 * Indices of the non-dominated vectors, in input order. Equal vectors do not dominate each other, so ties
 * all stay. Every value must be finite.
 */
export function paretoFront(vectors: readonly (readonly number[])[], goals: readonly ObjectiveGoal[]): number[] {
  // Minimise everything: negate maximised objectives.
  const cost = vectors.map((v) => goals.map((g, j) => (g === 'max' ? -v[j]! : v[j]!)));
  const order = cost.map((_, i) => i).sort((a, b) => compareLex(cost[a]!, cost[b]!) || a - b);
  // A dominator is lexicographically smaller, so it is met first; and no later point can dominate an earlier one.
  const front: number[] = [];
  for (const i of order) {
    const c = cost[i]!;
    if (!front.some((f) => dominates(cost[f]!, c))) front.push(i);
  }
  return front.sort((a, b) => a - b);
}

function compareLex(a: readonly number[], b: readonly number[]): number {
  for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) return a[j]! - b[j]!;
  return 0;
}

/** a dominates b (minimising): no worse anywhere, better somewhere. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let j = 0; j < a.length; j++) {
    if (a[j]! > b[j]!) return false;
    if (a[j]! < b[j]!) better = true;
  }
  return better;
}
