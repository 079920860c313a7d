// Analytic hit rate of a hot-row cache in front of Zipf-popular rows, for two policies of hotRowCache.ts, under
// the independent reference model (every lookup draws its row afresh from the popularity law):
// - 'static': the capacity holds the hottest rows (a perfect profile), so the hit rate is their share of
//   lookups, the capacity split evenly over the heads (every token looks up each head once).
// - 'lru': Che's approximation (H. Che, Y. Tung, Z. Wang, IEEE JSAC 20(7), 2002; its accuracy for Zipf laws
//   shown by C. Fricker, P. Robert, J. Roberts, ITC 24, 2012): a row stays cached for a characteristic time T
//   after its last lookup, T solves sum over rows of (1 - e^(-p T)) = capacity, and the hit rate is
//   sum of p (1 - e^(-p T)). Against the simulated HotRowCache (test/fidelity/hierarchy.test.ts) it is within
//   -0.34 % to +0.80 %.
// 'lfu' has no closed form here: the simulated LFU admits every miss and forgets evicted counts, and lands 4-23 %
// below the static top-K share on the same lookups (same test), so the top-K share is only its upper bound.
// Ranks past EXACT_RANKS are integrated in log-rank (the popularity is smooth there), so tables of 10^8 rows
// per head cost a few thousand terms.
import { SimError, showValue } from '../../core/index.ts';
import { zipfHarmonic, zipfTopShare } from './zipf.ts';

/**
 * Ranks summed term by term; beyond them the sums are Simpson integrals over ln(rank). 1,024 ranks and 512
 * panels agree with 4,096 and 2,048 to 1e-7 absolute in the hit rate (n from 5e4 to 7.8e7, s from 0.51 to 1.2).
 */
const EXACT_RANKS = 1024;
/** Simpson panels (even) over ln(rank) from EXACT_RANKS + 0.5 to n + 0.5. */
const TAIL_PANELS = 512;
/** Bisection steps on ln(T): the bracket spans a few tens of e-folds, so this leaves T exact to ~1e-15 relative. */
const BISECTION_STEPS = 60;

/**
 * Share of lookups that hit a cache of `capacityRows` rows under `policy`, when head h (of `headRows.length`,
 * each looked up once per token) has `headRows[h]` rows of popularity Zipf(`exponent`). Exponent 0 is uniform:
 * every policy then holds capacity / rows of the lookups.
 */
export type AnalyticCachePolicy = 'static' | 'lru';
export const ANALYTIC_CACHE_POLICIES: readonly AnalyticCachePolicy[] = ['static', 'lru'];

export function zipfCacheHitRate(policy: AnalyticCachePolicy, capacityRows: number, headRows: readonly number[], exponent: number): number {
  const where = 'zipfCacheHitRate';
  if (!Number.isSafeInteger(capacityRows) || capacityRows < 0) throw new SimError(`${where}: capacityRows: expected a non-negative integer, got ${showValue(capacityRows)}`);
  if (headRows.length === 0 || !headRows.every((n) => Number.isSafeInteger(n) && n >= 1)) {
    throw new SimError(`${where}: headRows: expected one or more positive integers, got ${showValue(headRows)}`);
  }
  if (!ANALYTIC_CACHE_POLICIES.includes(policy)) throw new SimError(`${where}: policy: expected one of ${ANALYTIC_CACHE_POLICIES.join(', ')} (LFU has no closed form), got ${showValue(policy)}`);
  if (!(exponent >= 0) || !Number.isFinite(exponent)) throw new SimError(`${where}: exponent: expected a finite number >= 0, got ${showValue(exponent)}`);
  const totalRows = headRows.reduce((a, b) => a + b, 0);
  if (capacityRows >= totalRows) return 1;
  if (capacityRows === 0) return 0;
  if (exponent === 0) return capacityRows / totalRows;
  if (policy === 'lru') return cheLruHitRate(capacityRows, headRows, exponent);
  // The hottest rows: an equal share of the capacity per head (heads are looked up equally often).
  const perHead = Math.floor(capacityRows / headRows.length);
  return headRows.reduce((sum, n) => sum + zipfTopShare(perHead, n, exponent), 0) / headRows.length;
}

/** Che's approximation for one LRU cache shared by all heads. */
function cheLruHitRate(capacityRows: number, headRows: readonly number[], exponent: number): number {
  // Lookup probability of rank r of head h per lookup: r^-s / (H(n_h, s) * heads); heads of equal size share nodes.
  const nodes = [...new Set(headRows)].map((n) => {
    const count = headRows.filter((x) => x === n).length;
    return rankNodes(n, exponent, zipfHarmonic(n, exponent) * headRows.length, count);
  });
  const sum = (g: (p: number) => number): number => nodes.reduce((acc, { p, w }) => {
    let s = acc;
    for (let i = 0; i < p.length; i++) s += w[i]! * g(p[i]!);
    return s;
  }, 0);
  const occupancy = (t: number): number => sum((p) => -Math.expm1(-p * t));
  // occupancy(T) <= T (each term is at most p T and the p sum to 1) and occupancy grows to the row count.
  let lo = Math.log(capacityRows);
  let hi = lo + 1;
  while (occupancy(Math.exp(hi)) < capacityRows) hi += Math.max(1, hi - lo);
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (occupancy(Math.exp(mid)) < capacityRows) lo = mid;
    else hi = mid;
  }
  const t = Math.exp((lo + hi) / 2);
  return sum((p) => -p * Math.expm1(-p * t));
}

/**
 * Quadrature nodes for sums over ranks r = 1..n of g(r^-s / norm): the first EXACT_RANKS ranks term by term
 * (weight 1), then the integral over r in [EXACT_RANKS + 0.5, n + 0.5] (the midpoint rule per rank), by
 * Simpson's rule over ln r. `copies` heads of this size multiply every weight.
 */
function rankNodes(n: number, s: number, norm: number, copies: number): { p: Float64Array; w: Float64Array } {
  const exact = Math.min(n, EXACT_RANKS);
  const tail = n > EXACT_RANKS ? TAIL_PANELS + 1 : 0;
  const p = new Float64Array(exact + tail);
  const w = new Float64Array(exact + tail);
  for (let r = 1; r <= exact; r++) {
    p[r - 1] = r ** -s / norm;
    w[r - 1] = copies;
  }
  if (tail > 0) {
    const a = Math.log(EXACT_RANKS + 0.5);
    const h = (Math.log(n + 0.5) - a) / TAIL_PANELS;
    for (let i = 0; i <= TAIL_PANELS; i++) {
      // With r = e^u, dr = e^u du; Simpson weights 1, 4, 2, ..., 4, 1 times h / 3.
      const r = Math.exp(a + i * h);
      const simpson = i === 0 || i === TAIL_PANELS ? 1 : i % 2 === 1 ? 4 : 2;
      p[exact + i] = r ** -s / norm;
      w[exact + i] = (copies * simpson * h * r) / 3;
    }
  }
  return { p, w };
}
