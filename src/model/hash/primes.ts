// Per-head table sizes of the n-gram hash: deterministic primality and the global prime search of
// engram-spec.md §3.5 (layers in layerIds order, orders 2..N, each head the next unused prime).
import { ModelError, showValue } from '../../core/index.ts';

/** Miller-Rabin with these bases is exact for every n < 3.3e24 (Sorenson and Webster, 2015). */
const WITNESSES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] as const;
const TWO_POW_32 = 4294967296;

/** a·b mod n for a, b < n < 2^32, exact: b is split in 16-bit halves so every term stays below 2^49. */
function mulMod32(a: number, b: number, n: number): number {
  const hi = (a * (b >>> 16)) % n;
  return (hi * 65536 + a * (b & 0xffff)) % n;
}

function powMod32(base: number, exp: number, n: number): number {
  let result = 1;
  let b = base % n;
  let e = exp;
  while (e > 0) {
    if (e % 2 === 1) result = mulMod32(result, b, n);
    b = mulMod32(b, b, n);
    e = Math.floor(e / 2);
  }
  return result;
}

function powModBig(base: bigint, exp: bigint, n: bigint): bigint {
  let result = 1n;
  let b = base % n;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % n;
    b = (b * b) % n;
    e >>= 1n;
  }
  return result;
}

/** Whether witness a proves odd n composite, with n - 1 = d·2^s. */
function witnessesComposite(a: number, n: number, d: number, s: number): boolean {
  if (n < TWO_POW_32) {
    let x = powMod32(a, d, n);
    if (x === 1 || x === n - 1) return false;
    for (let r = 1; r < s; r++) {
      x = mulMod32(x, x, n);
      if (x === n - 1) return false;
    }
    return true;
  }
  const nb = BigInt(n);
  const minusOne = nb - 1n;
  let x = powModBig(BigInt(a), BigInt(d), nb);
  if (x === 1n || x === minusOne) return false;
  for (let r = 1; r < s; r++) {
    x = (x * x) % nb;
    if (x === minusOne) return false;
  }
  return true;
}

/** Deterministic primality for integers 0 <= n <= 2^53 - 1. */
export function isPrime(n: number): boolean {
  if (!Number.isSafeInteger(n) || n < 0) throw new ModelError(`isPrime: n: expected a safe non-negative integer, got ${showValue(n)}`);
  if (n < 2) return false;
  for (const p of WITNESSES) {
    if (n === p) return true;
    if (n % p === 0) return false;
  }
  let d = n - 1;
  let s = 0;
  while (d % 2 === 0) {
    d /= 2;
    s++;
  }
  for (const a of WITNESSES) {
    if (witnessesComposite(a, n, d, s)) return false;
  }
  return true;
}

/** The fields of a resolved Engram configuration that fix the table sizes. */
export interface PrimeSearchParams {
  readonly layerIds: readonly number[];
  readonly maxNgramSize: number;
  readonly nHeadPerNgram: number;
  /** Search start per order n = 2..N (index n - 2). */
  readonly engramVocabSize: readonly number[];
}

/**
 * Table sizes per layer id, each list in output order (orders 2..N, heads 0..H-1 within an order).
 * Contract: primes are unique across all layers, so they depend on the whole ordered layerIds list.
 */
export function searchLayerPrimes(params: PrimeSearchParams): Map<number, number[]> {
  const { layerIds, maxNgramSize, nHeadPerNgram, engramVocabSize } = params;
  if (!Number.isInteger(maxNgramSize) || maxNgramSize < 2) {
    throw new ModelError(`searchLayerPrimes: maxNgramSize: expected an integer >= 2, got ${showValue(maxNgramSize)}`);
  }
  if (!Number.isInteger(nHeadPerNgram) || nHeadPerNgram < 1) {
    throw new ModelError(`searchLayerPrimes: nHeadPerNgram: expected a positive integer, got ${showValue(nHeadPerNgram)}`);
  }
  if (engramVocabSize.length < maxNgramSize - 1) {
    throw new ModelError(
      `searchLayerPrimes: engramVocabSize: expected at least maxNgramSize-1 = ${maxNgramSize - 1} entries, got ${showValue(engramVocabSize)}`,
    );
  }
  for (const [i, size] of engramVocabSize.entries()) {
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new ModelError(`searchLayerPrimes: engramVocabSize[${i}]: expected a positive integer, got ${showValue(size)}`);
    }
  }
  const used = new Set<number>();
  const byLayer = new Map<number, number[]>();
  for (const [i, layerId] of layerIds.entries()) {
    if (byLayer.has(layerId)) throw new ModelError(`searchLayerPrimes: layerIds[${i}]: expected distinct layer ids, got ${showValue(layerId)} twice`);
    const primes: number[] = [];
    for (let n = 2; n <= maxNgramSize; n++) {
      let start = engramVocabSize[n - 2]! - 1;
      for (let head = 0; head < nHeadPerNgram; head++) {
        let candidate = start + 1;
        while (used.has(candidate) || !isPrime(candidate)) candidate++;
        used.add(candidate);
        primes.push(candidate);
        start = candidate;
      }
    }
    byLayer.set(layerId, primes);
  }
  return byLayer;
}
