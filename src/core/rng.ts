// Seeded, splittable pseudo-random numbers (style.md convention 11). Never Math.random.
// The generator is SplitMix64 (Steele, Lea, Flood, OOPSLA 2014), computed on BigInt-free 32-bit halves.

/** A deterministic 64-bit generator; `child(name)` derives an independent stream from a stable name. */
export class Rng {
  private hi: number;
  private lo: number;

  constructor(seed: number | bigint | string) {
    const s = typeof seed === 'string' ? hashString64(seed) : BigInt.asUintN(64, BigInt(seed));
    this.hi = Number(s >> 32n) >>> 0;
    this.lo = Number(s & 0xffffffffn) >>> 0;
  }

  /** Next 64-bit output as [hi, lo] unsigned 32-bit words. */
  nextPair(): [number, number] {
    // state += 0x9E3779B97F4A7C15
    const lo = (this.lo + 0x7f4a7c15) >>> 0;
    const carry = lo < this.lo ? 1 : 0;
    this.hi = (this.hi + 0x9e3779b9 + carry) >>> 0;
    this.lo = lo;
    let zh = this.hi;
    let zl = this.lo;
    // z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
    [zh, zl] = xorShiftRight(zh, zl, 30);
    [zh, zl] = mul64(zh, zl, 0xbf58476d, 0x1ce4e5b9);
    // z = (z ^ (z >> 27)) * 0x94D049BB133111EB
    [zh, zl] = xorShiftRight(zh, zl, 27);
    [zh, zl] = mul64(zh, zl, 0x94d049bb, 0x133111eb);
    // z ^ (z >> 31)
    return xorShiftRight(zh, zl, 31);
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const [hi, lo] = this.nextPair();
    return ((hi >>> 5) * 67108864 + (lo >>> 6)) / 9007199254740992;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    return this.nextPair()[0];
  }

  /** Uniform integer in [0, n) for 1 <= n <= 2^32 (rejection sampling, unbiased). */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) throw new RangeError(`Rng.nextInt: n must be an integer in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Standard normal sample (Box-Muller, one value per call). */
  nextNormal(): number {
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An independent generator derived from this one's seed material and a stable name. */
  child(name: string): Rng {
    const [hi, lo] = [this.hi, this.lo];
    return new Rng(BigInt.asUintN(64, (BigInt(hi) << 32n) | BigInt(lo)) ^ hashString64(name));
  }
}

function xorShiftRight(hi: number, lo: number, s: number): [number, number] {
  // s in 1..31
  const nlo = (lo >>> s) | (hi << (32 - s));
  const nhi = hi >>> s;
  return [(hi ^ nhi) >>> 0, (lo ^ nlo) >>> 0];
}

function mul64(ah: number, al: number, bh: number, bl: number): [number, number] {
  // (a * b) mod 2^64 from 16-bit limbs of the low words plus the cross terms.
  const a0 = al & 0xffff, a1 = al >>> 16, b0 = bl & 0xffff, b1 = bl >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const lo = ((mid & 0xffff) << 16) | (p00 & 0xffff);
  const carry = (mid >>> 16) + (p01 >>> 16) + (p10 >>> 16) + a1 * b1;
  const hi = (carry + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
  return [hi, lo >>> 0];
}

/** FNV-1a 64-bit hash of a string's UTF-16 code units, used to derive seeds from names. */
export function hashString64(text: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = BigInt.asUintN(64, h * 0x100000001b3n);
  }
  return h;
}
