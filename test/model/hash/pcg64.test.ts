import test from 'ava';
import { generateState64, Pcg64 } from '../../../src/model/index.ts';

// Expected values from numpy 2.4.6: np.random.default_rng(s).bit_generator.random_raw(5).
const NUMPY_RAW: ReadonlyArray<readonly [bigint, readonly string[]]> = [
  [0n, ['11749869230777074271', '4976686463289251617', '755828109848996024', '304881062738325533', '15002187965291974971']],
  [1n, ['9441442522235856127', '17532960557476522086', '2659275481604167885', '17499493567006797778', '5752274989370667689']],
  [10007n, ['15187255322829266483', '959186003677246517', '7126631698937927467', '14663106486854050627', '7918866534805115000']],
  [150105n, ['5731302735937527132', '11102341020473763372', '10687872321234204531', '6528214168217439523', '17893179663830410492']],
  [2n ** 100n + 12345n, ['3496373735757741504', '2652134976486344139', '6932089028315985228', '3179808786068524500', '3533263435735193127']],
];

// np.random.default_rng(42).integers(0, H, size=6, dtype=np.uint64). Bounds just above 2^63 and at
// 3·2^62 reject about half and a quarter of the draws, so the retry loop is exercised.
const NUMPY_BOUNDED: ReadonlyArray<readonly [bigint, readonly string[]]> = [
  [2n ** 63n + 1n, ['7138484576005690180', '4047939128787533792', '7919168045412322066', '868632717012091125', '8998527916616952262', '7250163532461132704']],
  [2n ** 64n - 1n, ['14276969152011380359', '8095878257575067584', '15838336090824644131', '12864169557245331596', '1737265434024182250', '17997055833233904523']],
  [2n ** 33n + 17n, ['6648231847', '3769937098', '7375299987', '5990345768', '808977260', '8380532203']],
  [3n * 2n ** 62n + 1n, ['10707726864008535270', '11878752068118483099', '9648127167933998698', '1302949075518136688', '13497791874925428393', '10530411965216699221']],
];

test('pcg64: raw 64-bit outputs equal numpy default_rng for several seeds', (t) => {
  for (const [seed, expected] of NUMPY_RAW) {
    const rng = Pcg64.fromSeed(seed);
    t.deepEqual(expected.map(() => rng.next64().toString()), expected, `seed ${seed}`);
  }
});

test('pcg64: bounded draws equal numpy integers(0, H) when many draws are rejected', (t) => {
  for (const [high, expected] of NUMPY_BOUNDED) {
    const rng = Pcg64.fromSeed(42);
    t.deepEqual(expected.map(() => rng.integers(high).toString()), expected, `H = ${high}`);
  }
});

test('pcg64: integers(2^64) returns the raw draw, as numpy does for the full 64-bit range', (t) => {
  const a = Pcg64.fromSeed(9);
  const b = Pcg64.fromSeed(9);
  t.is(a.integers(2n ** 64n), b.next64());
});

test('pcg64: bounds that need the unported 32-bit path are rejected', (t) => {
  t.snapshot(t.throws(() => Pcg64.fromSeed(0).integers(2n ** 32n))?.message);
  t.snapshot(t.throws(() => Pcg64.fromSeed(0).integers(2n ** 64n + 1n))?.message);
});

/**
 * An independent PCG64 on eight 16-bit limbs in plain numbers: schoolbook multiply mod 2^128, the
 * XSL-RR output on two 32-bit halves. It shares nothing with the BigInt class but the seed words.
 */
class LimbPcg64 {
  private state = new Array<number>(8).fill(0);
  private readonly inc: number[];
  private static readonly MULT = LimbPcg64.limbs(0x2360ed051fc65da44385df649fccf645n);

  constructor(v: readonly bigint[]) {
    const initState = LimbPcg64.limbs((v[0]! << 64n) | v[1]!);
    const seq = LimbPcg64.limbs((v[2]! << 64n) | v[3]!);
    // inc = (initseq << 1) | 1, shifted limb by limb.
    this.inc = seq.map((limb, i) => ((limb << 1) & 0xffff) | (i === 0 ? 1 : seq[i - 1]! >>> 15));
    this.step();
    this.state = LimbPcg64.add(this.state, initState);
    this.step();
  }

  static limbs(value: bigint): number[] {
    return Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(16 * i)) & 0xffffn));
  }

  static add(a: readonly number[], b: readonly number[]): number[] {
    const out: number[] = [];
    let carry = 0;
    for (let i = 0; i < 8; i++) {
      const s = a[i]! + b[i]! + carry;
      out.push(s & 0xffff);
      carry = s >>> 16;
    }
    return out;
  }

  private step(): void {
    const acc = new Array<number>(8).fill(0);
    for (let i = 0; i < 8; i++) {
      for (let j = 0; i + j < 8; j++) acc[i + j]! += this.state[i]! * LimbPcg64.MULT[j]!;
    }
    let carry = 0;
    for (let i = 0; i < 8; i++) {
      const s = acc[i]! + carry;
      acc[i] = s % 65536;
      carry = Math.floor(s / 65536);
    }
    this.state = LimbPcg64.add(acc, this.inc);
  }

  next64(): bigint {
    this.step();
    const s = this.state;
    let hi = ((s[7]! ^ s[3]!) * 65536 + (s[6]! ^ s[2]!)) >>> 0;
    let lo = ((s[5]! ^ s[1]!) * 65536 + (s[4]! ^ s[0]!)) >>> 0;
    let rot = s[7]! >>> 10;
    if (rot >= 32) {
      [hi, lo] = [lo, hi];
      rot -= 32;
    }
    if (rot > 0) [hi, lo] = [((hi >>> rot) | (lo << (32 - rot))) >>> 0, ((lo >>> rot) | (hi << (32 - rot))) >>> 0];
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
}

test('pcg64: the BigInt generator equals an independent 16-bit-limb formulation over 64 seeds', (t) => {
  const mismatches: string[] = [];
  for (let seed = 0; seed < 64; seed++) {
    const fast = Pcg64.fromSeed(seed * 10007 + 3);
    const limb = new LimbPcg64(generateState64(seed * 10007 + 3, 4));
    for (let i = 0; i < 200; i++) {
      const [a, b] = [fast.next64(), limb.next64()];
      if (a !== b) mismatches.push(`seed ${seed} draw ${i}: ${a} vs ${b}`);
    }
  }
  t.deepEqual(mismatches.slice(0, 5), []);
});
