// CPython's `random` module as nano-vLLM's bench.py uses it (facts.md §C): MT19937 (Matsumoto and Nishimura,
// ACM TOMACS 1998) seeded by init_by_array, and randint by rejection on getrandbits (CPython Lib/random.py).
// It exists to replay bench.py's exact draws; every other random choice uses core's Rng.
import { ModelError, showValue } from '../core/index.ts';

const N = 624;
const M = 397;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

/** `random.seed(n)` for a non-negative integer n, then `randint` and `getrandbits` as CPython 3 defines them. */
export class PythonRandom {
  private readonly mt = new Uint32Array(N);
  private index = N;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new ModelError(`PythonRandom: seed: expected a non-negative safe integer, got ${showValue(seed)}`);
    // CPython splits abs(seed) into 32-bit words, least significant first; 0 gives the key [0].
    const key: number[] = [];
    let rest = seed;
    do {
      key.push(rest % 2 ** 32);
      rest = Math.floor(rest / 2 ** 32);
    } while (rest > 0);
    this.initByArray(key);
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]!;
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
    this.index = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1]!;
      mt[i] = ((mt[i]! ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + key[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1]!;
      mt[i] = ((mt[i]! ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = UPPER_MASK;
  }

  private twist(): void {
    const mt = this.mt;
    for (let kk = 0; kk < N; kk++) {
      const y = (mt[kk]! & UPPER_MASK) | (mt[(kk + 1) % N]! & LOWER_MASK);
      mt[kk] = mt[(kk + M) % N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.index = 0;
  }

  /** genrand_uint32: the next tempered 32-bit output. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** getrandbits(k) for 1 <= k <= 32. */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 1 || k > 32) throw new ModelError(`PythonRandom.getrandbits: k: expected an integer in [1, 32], got ${showValue(k)}`);
    return this.nextUint32() >>> (32 - k);
  }

  /** randint(a, b): a + _randbelow(b - a + 1), rejection-sampled on bit_length(width) bits. */
  randint(a: number, b: number): number {
    const width = b - a + 1;
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || width < 1 || width >= 2 ** 32) {
      throw new ModelError(`PythonRandom.randint: expected integers a <= b with b - a < 2^32 - 1, got a = ${showValue(a)}, b = ${showValue(b)}`);
    }
    // int.bit_length() of the width.
    const k = 32 - Math.clz32(width);
    let r = this.getrandbits(k);
    while (r >= width) r = this.getrandbits(k);
    return a + r;
  }
}
