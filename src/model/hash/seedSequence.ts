// numpy's SeedSequence (entropy pool of 4 uint32 words, hashmix/mix, generate_state), ported for the
// multiplier draw of engram-spec.md §3.1. All arithmetic is mod 2^32 on unsigned words.
import { ModelError, showValue } from '../../core/index.ts';

const POOL_SIZE = 4;
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16;

/** Splits a non-negative integer into uint32 words, least significant first; 0 gives [0]. */
export function entropyWords(seed: bigint | number): number[] {
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
    throw new ModelError(`entropyWords: seed: expected a safe integer or a bigint, got ${showValue(seed)}`);
  }
  let s = BigInt(seed);
  if (s < 0n) throw new ModelError(`entropyWords: seed: expected a non-negative integer, got ${showValue(seed)}`);
  const words: number[] = [];
  do {
    words.push(Number(s & 0xffffffffn));
    s >>= 32n;
  } while (s > 0n);
  return words;
}

/**
 * The mixed entropy pool of `SeedSequence(seed)` (no spawn key). Contract: the hash constant of
 * hashmix runs on across every call, exactly as numpy threads it through mix_entropy.
 */
export function seedSequencePool(seed: bigint | number): Uint32Array {
  const entropy = entropyWords(seed);
  let hashConst = INIT_A;
  const hashmix = (value: number): number => {
    let v = (value ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, MULT_A) >>> 0;
    v = Math.imul(v, hashConst) >>> 0;
    return (v ^ (v >>> XSHIFT)) >>> 0;
  };
  const mix = (x: number, y: number): number => {
    const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
    return (r ^ (r >>> XSHIFT)) >>> 0;
  };

  const pool = new Uint32Array(POOL_SIZE);
  for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(entropy[i] ?? 0);
  // Every word influences every other, so late entropy bits reach early pool words.
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) {
      if (src !== dst) pool[dst] = mix(pool[dst]!, hashmix(pool[src]!));
    }
  }
  // Words beyond the pool size (seeds >= 2^128) are folded into every pool word.
  for (let src = POOL_SIZE; src < entropy.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst]!, hashmix(entropy[src]!));
  }
  return pool;
}

/** `SeedSequence(seed).generate_state(nWords64, uint64)`: uint32 outputs joined little-endian in pairs. */
export function generateState64(seed: bigint | number, nWords64: number): bigint[] {
  if (!Number.isInteger(nWords64) || nWords64 < 1) {
    throw new ModelError(`generateState64: nWords64: expected a positive integer, got ${showValue(nWords64)}`);
  }
  const pool = seedSequencePool(seed);
  let hashConst = INIT_B;
  const words: number[] = [];
  for (let i = 0; i < 2 * nWords64; i++) {
    let d = (pool[i % POOL_SIZE]! ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, MULT_B) >>> 0;
    d = Math.imul(d, hashConst) >>> 0;
    words.push((d ^ (d >>> XSHIFT)) >>> 0);
  }
  const out: bigint[] = [];
  for (let i = 0; i < nWords64; i++) out.push(BigInt(words[2 * i]!) | (BigInt(words[2 * i + 1]!) << 32n));
  return out;
}
