// Maximum-likelihood Zipf exponent of a rank-frequency curve: P(rank r) = r^-s / H(n, s), r = 1..n.
// The MLE solves E_s[ln r] = mean observed ln r (the log-likelihood is concave in s); Newton with a bisection guard.
import { ModelError } from '../../core/index.ts';

export interface ZipfFit {
  /** Fitted exponent s (0 = uniform over the n touched rows). */
  exponent: number;
  /** Number of distinct ranks (touched rows) n. */
  ranks: number;
  /** Number of observations (accesses). */
  observations: number;
  /** Log-likelihood per observation at the fitted exponent (nats). */
  logLikelihoodPerObs: number;
}

const S_MAX = 20;
const TOLERANCE = 1e-10;

/**
 * Fits s by maximum likelihood to counts sorted in descending order (counts[0] is rank 1).
 * Counts must be positive integers; ties are fine (rank order among ties does not change the MLE).
 */
export function fitZipfMle(countsDescending: ArrayLike<number>): ZipfFit {
  const n = countsDescending.length;
  if (n === 0) throw new ModelError('fitZipfMle: counts: expected at least one rank, got an empty list');
  const logRank = new Float64Array(n);
  let observations = 0;
  let sumLogRank = 0;
  for (let r = 0; r < n; r++) {
    const c = countsDescending[r] as number;
    if (!(c > 0) || !Number.isInteger(c)) throw new ModelError(`fitZipfMle: counts[${r}]: expected a positive integer, got ${c}`);
    if (r > 0 && c > (countsDescending[r - 1] as number)) throw new ModelError(`fitZipfMle: counts[${r}]: expected counts in descending order, got ${c} after ${countsDescending[r - 1]}`);
    logRank[r] = Math.log(r + 1);
    observations += c;
    sumLogRank += c * logRank[r]!;
  }
  const target = sumLogRank / observations;
  if (n === 1) return { exponent: Number.POSITIVE_INFINITY, ranks: 1, observations, logLikelihoodPerObs: 0 };

  // moments(s) = [E_s ln r, Var_s ln r, ln H(n,s)]; E is decreasing in s with derivative -Var.
  const moments = (s: number): [number, number, number] => {
    let z = 0, m1 = 0, m2 = 0;
    for (let r = 0; r < n; r++) {
      const l = logRank[r]!;
      const w = Math.exp(-s * l);
      z += w;
      m1 += w * l;
      m2 += w * l * l;
    }
    const mean = m1 / z;
    return [mean, m2 / z - mean * mean, Math.log(z)];
  };

  let lo = 0, hi = S_MAX;
  let s = 1;
  for (let iter = 0; iter < 100; iter++) {
    const [mean, variance] = moments(s);
    const f = mean - target;
    if (Math.abs(f) < TOLERANCE) break;
    if (f > 0) lo = s; else hi = s;
    let next = variance > 0 ? s + f / variance : (lo + hi) / 2;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - s) < 1e-12) { s = next; break; }
    s = next;
  }
  const [, , logZ] = moments(s);
  return { exponent: s, ranks: n, observations, logLikelihoodPerObs: -s * target - logZ };
}
