import test from 'ava';
import fc from 'fast-check';
import { ModelError } from '../../src/core/index.ts';
import {
  FP8_FORMATS,
  FP8_FORMAT_NAMES,
  OVERFLOW_MODES,
  classifyFp8,
  decodeArray,
  decodeFp8,
  decodeTable,
  encodeArray,
  encodeFromFloat32,
  encodeFromFloat64,
  fp8Format,
  type Fp8FormatName,
  type OverflowMode,
} from '../../src/fp8/index.ts';

const PROPERTY_RUNS = 3000;

/** Decoder written straight from the OFP8 v1.0 definitions, independent of the module's parameter table. */
function ocpDecode(format: Fp8FormatName, code: number): number {
  const negative = (code & 0x80) !== 0;
  const bits = code & 0x7f;
  let value: number;
  if (format === 'e4m3') {
    const e = bits >> 3;
    const mant = bits & 7;
    if (e === 15 && mant === 7) return NaN;
    value = e === 0 ? (mant / 8) * 2 ** -6 : (1 + mant / 8) * 2 ** (e - 7);
  } else {
    const e = bits >> 2;
    const mant = bits & 3;
    if (e === 31) {
      if (mant !== 0) return NaN;
      value = Infinity;
    } else {
      value = e === 0 ? (mant / 4) * 2 ** -14 : (1 + mant / 4) * 2 ** (e - 15);
    }
  }
  return negative ? -value : value;
}

interface GridPoint {
  code: number;
  value: number;
}

/** Positive finite codes in increasing value, plus the would-be next code one top-binade ulp above max. */
function positiveGrid(format: Fp8FormatName): { finite: GridPoint[]; virtualNext: GridPoint } {
  const finite: GridPoint[] = [];
  for (let code = 0; code < 0x80; code++) {
    const value = ocpDecode(format, code);
    if (Number.isFinite(value)) finite.push({ code, value });
  }
  const top = finite[finite.length - 1]!;
  const below = finite[finite.length - 2]!;
  return { finite, virtualNext: { code: top.code + 1, value: top.value + (top.value - below.value) } };
}

/**
 * Second implementation: nearest neighbour by search over the decoded grid, ties to the even code; if the
 * nearest point is the virtual code past max, the value overflows.
 */
function referenceEncode(format: Fp8FormatName, x: number, mode: OverflowMode): number {
  if (Number.isNaN(x)) return 0x7f;
  const sign = x < 0 || Object.is(x, -0) ? 0x80 : 0;
  const a = Math.abs(x);
  const { finite, virtualNext } = positiveGrid(format);
  const points = [...finite, virtualNext];
  let chosen = virtualNext;
  if (a < virtualNext.value) {
    let i = 0;
    while (points[i + 1]!.value <= a) i++;
    const lo = points[i]!;
    const hi = points[i + 1]!;
    const mid = (lo.value + hi.value) / 2;
    chosen = a < mid ? lo : a > mid ? hi : lo.code % 2 === 0 ? lo : hi;
  }
  if (chosen === virtualNext) {
    const top = finite[finite.length - 1]!.code;
    if (mode === 'saturate') return sign | top;
    return sign | (format === 'e4m3' ? 0x7f : 0x7c);
  }
  return sign | chosen.code;
}

const ENCODERS = [
  ['encodeFromFloat64', encodeFromFloat64],
  ['encodeFromFloat32', encodeFromFloat32],
] as const;

test('formats: the parameter table agrees with the OFP8 definitions for max, min normal, min subnormal, infinities and NaNs', (t) => {
  for (const name of FP8_FORMAT_NAMES) {
    const f = FP8_FORMATS[name];
    t.is(ocpDecode(name, f.maxFiniteCode), f.maxFinite, `${name} max`);
    t.is(ocpDecode(name, (1 << f.mantissaBits)), f.minNormal, `${name} min normal`);
    t.is(ocpDecode(name, 1), f.minSubnormal, `${name} min subnormal`);
    const nanCodes = [...Array(256).keys()].filter((c) => Number.isNaN(ocpDecode(name, c)));
    t.deepEqual([...f.nanCodes], nanCodes, `${name} NaN codes`);
    const infCodes = [...Array(256).keys()].filter((c) => Math.abs(ocpDecode(name, c)) === Infinity);
    t.deepEqual(infCodes, f.infinityCode === null ? [] : [f.infinityCode, f.infinityCode | 0x80], `${name} infinity codes`);
  }
  t.is(FP8_FORMATS.e4m3.maxFinite, 448);
  t.is(FP8_FORMATS.e5m2.maxFinite, 57344);
  t.deepEqual([...FP8_FORMATS.e4m3.nanCodes], [0x7f, 0xff]);
  t.deepEqual([...FP8_FORMATS.e5m2.nanCodes], [0x7d, 0x7e, 0x7f, 0xfd, 0xfe, 0xff]);
  t.is(FP8_FORMATS.e5m2.infinityCode, 0x7c);
});

test('formats: the decode table equals an independent OFP8 decoder on all 256 codes of each format', (t) => {
  for (const name of FP8_FORMAT_NAMES) {
    const table = decodeTable(name);
    const mismatches = [...Array(256).keys()].filter((c) => !Object.is(table[c], ocpDecode(name, c)) && !(Number.isNaN(table[c]!) && Number.isNaN(ocpDecode(name, c))));
    t.deepEqual(mismatches, [], name);
    t.true(Object.is(decodeFp8(name, 0x80), -0), `${name} 0x80 is negative zero`);
  }
});

test('formats: code classes have the OFP8 counts when every code is classified', (t) => {
  const counts = (name: Fp8FormatName) => {
    const out: Record<string, number> = { zero: 0, subnormal: 0, normal: 0, infinity: 0, nan: 0 };
    for (let c = 0; c < 256; c++) out[classifyFp8(name, c)]! += 1;
    return out;
  };
  t.deepEqual(counts('e4m3'), { zero: 2, subnormal: 14, normal: 238, infinity: 0, nan: 2 });
  t.deepEqual(counts('e5m2'), { zero: 2, subnormal: 6, normal: 240, infinity: 2, nan: 6 });
});

test('formats: every code re-encodes to itself from both precisions, NaNs to 0x7f and infinities to ±max when saturating', (t) => {
  const failures: string[] = [];
  for (const name of FP8_FORMAT_NAMES) {
    for (const mode of OVERFLOW_MODES) {
      for (const [label, encode] of ENCODERS) {
        for (let code = 0; code < 256; code++) {
          const kind = classifyFp8(name, code);
          let expected = code;
          if (kind === 'nan') expected = 0x7f;
          else if (kind === 'infinity' && mode === 'saturate') expected = (code & 0x80) | FP8_FORMATS[name].maxFiniteCode;
          const got = encode(name, decodeFp8(name, code), mode);
          if (got !== expected) failures.push(`${name} ${mode} ${label} 0x${code.toString(16)} -> 0x${got.toString(16)}`);
        }
      }
    }
  }
  t.deepEqual(failures, []);
});

test('formats: every midpoint between neighbouring finite codes rounds to the even code, and just off it to the nearer code', (t) => {
  const failures: string[] = [];
  const NUDGE = 2 ** -20;
  for (const name of FP8_FORMAT_NAMES) {
    const { finite } = positiveGrid(name);
    for (let i = 0; i + 1 < finite.length; i++) {
      const lo = finite[i]!;
      const hi = finite[i + 1]!;
      const mid = (lo.value + hi.value) / 2;
      const even = lo.code % 2 === 0 ? lo.code : hi.code;
      for (const sign of [1, -1]) {
        const signBit = sign < 0 ? 0x80 : 0;
        const cases: [number, number][] = [
          [sign * mid, signBit | even],
          [sign * mid * (1 + NUDGE), signBit | hi.code],
          [sign * mid * (1 - NUDGE), signBit | lo.code],
        ];
        for (const [label, encode] of ENCODERS) {
          for (const mode of OVERFLOW_MODES) {
            for (const [x, expected] of cases) {
              const got = encode(name, x, mode);
              if (got !== expected) failures.push(`${name} ${label} ${mode} ${x} -> 0x${got.toString(16)}, expected 0x${expected.toString(16)}`);
            }
          }
        }
      }
    }
  }
  t.deepEqual(failures, []);
});

test('formats: e4m3 rounds up to 464 to 448 and overflows above it, to 448 when saturating and NaN otherwise', (t) => {
  const above = 464 + 2 ** -40;
  t.is(encodeFromFloat64('e4m3', 463.99, 'overflow'), 0x7e);
  t.is(encodeFromFloat64('e4m3', 464, 'overflow'), 0x7e, 'the tie goes to the even mantissa 110');
  t.is(encodeFromFloat64('e4m3', -464, 'overflow'), 0xfe);
  t.is(encodeFromFloat64('e4m3', above, 'saturate'), 0x7e);
  t.is(encodeFromFloat64('e4m3', above, 'overflow'), 0x7f);
  t.is(encodeFromFloat64('e4m3', -above, 'saturate'), 0xfe);
  t.is(encodeFromFloat64('e4m3', -above, 'overflow'), 0xff, 'overflow NaN keeps the sign');
  t.is(encodeFromFloat64('e4m3', 1e300, 'saturate'), 0x7e);
  t.is(encodeFromFloat64('e4m3', Infinity, 'saturate'), 0x7e);
  t.is(encodeFromFloat64('e4m3', -Infinity, 'saturate'), 0xfe);
  t.is(encodeFromFloat64('e4m3', Infinity, 'overflow'), 0x7f);
  t.is(encodeFromFloat64('e4m3', -Infinity, 'overflow'), 0xff);
  t.is(encodeFromFloat64('e4m3', NaN, 'saturate'), 0x7f);
  t.is(encodeFromFloat64('e4m3', NaN, 'overflow'), 0x7f);
});

test('formats: e5m2 rounds below 61440 to 57344 and overflows from 61440, to 57344 when saturating and infinity otherwise', (t) => {
  const below = 61440 - 2 ** -30;
  t.is(encodeFromFloat64('e5m2', below, 'overflow'), 0x7b);
  t.is(encodeFromFloat64('e5m2', 61440, 'overflow'), 0x7c, 'the tie goes to the even neighbour 2^16, which overflows');
  t.is(encodeFromFloat64('e5m2', 61440, 'saturate'), 0x7b);
  t.is(encodeFromFloat64('e5m2', -61440, 'overflow'), 0xfc);
  t.is(encodeFromFloat64('e5m2', -61440, 'saturate'), 0xfb);
  t.is(encodeFromFloat64('e5m2', Infinity, 'saturate'), 0x7b);
  t.is(encodeFromFloat64('e5m2', -Infinity, 'saturate'), 0xfb);
  t.is(encodeFromFloat64('e5m2', Infinity, 'overflow'), 0x7c);
  t.is(encodeFromFloat64('e5m2', -Infinity, 'overflow'), 0xfc);
  t.is(encodeFromFloat64('e5m2', NaN, 'overflow'), 0x7f);
  t.is(decodeFp8('e5m2', 0x7c), Infinity);
  t.is(decodeFp8('e5m2', 0xfc), -Infinity);
});

test('formats: subnormal edges round to even and keep the sign when values underflow', (t) => {
  for (const name of FP8_FORMAT_NAMES) {
    const { minSubnormal, minNormal, mantissaBits } = FP8_FORMATS[name];
    const maxSubnormalCode = (1 << mantissaBits) - 1;
    const cases: [number, number][] = [
      [0, 0x00],
      [-0, 0x80],
      [Number.MIN_VALUE, 0x00],
      [-Number.MIN_VALUE, 0x80],
      [minSubnormal / 2, 0x00],
      [-minSubnormal / 2, 0x80],
      [(minSubnormal / 2) * (1 + 2 ** -30), 0x01],
      [minSubnormal, 0x01],
      [1.5 * minSubnormal, 0x02],
      [minNormal - minSubnormal / 2, 1 << mantissaBits],
      [minNormal - minSubnormal / 2 - 2 ** -40, maxSubnormalCode],
    ];
    for (const [x, expected] of cases) t.is(encodeFromFloat64(name, x, 'saturate'), expected, `${name} ${x}`);
  }
});

test('formats: encodeFromFloat32 is RNE from the float32 input and may differ from direct encoding when double rounding', (t) => {
  const x = 1.0625 + 2 ** -40;
  t.is(encodeFromFloat64('e4m3', x, 'saturate'), 0x39, 'direct: just above the 1.0625 midpoint rounds up to 1.125');
  t.is(Math.fround(x), 1.0625);
  t.is(encodeFromFloat32('e4m3', x, 'saturate'), 0x38, 'via float32: the tie 1.0625 goes to the even 1.0');
  t.is(encodeFromFloat32('e4m3', x, 'saturate'), referenceEncode('e4m3', Math.fround(x), 'saturate'));
});

test('formats: encodeFromFloat64 equals the table-search reference on arbitrary doubles', (t) => {
  fc.assert(
    fc.property(fc.constantFrom(...FP8_FORMAT_NAMES), fc.constantFrom(...OVERFLOW_MODES), fc.double(), (name, mode, x) => {
      return encodeFromFloat64(name, x, mode) === referenceEncode(name, x, mode);
    }),
    { numRuns: PROPERTY_RUNS },
  );
  t.is(encodeFromFloat64('e4m3', 3.3, 'saturate'), referenceEncode('e4m3', 3.3, 'saturate'));
});

test('formats: encodeFromFloat64 equals the table-search reference on doubles near the FP8 grid and its midpoints', (t) => {
  const nearGrid = fc
    .record({
      name: fc.constantFrom(...FP8_FORMAT_NAMES),
      index: fc.nat({ max: 126 }),
      step: fc.integer({ min: -8, max: 8 }),
      shift: fc.integer({ min: 1, max: 60 }),
      negative: fc.boolean(),
      mode: fc.constantFrom(...OVERFLOW_MODES),
    })
    .map(({ name, index, step, shift, negative, mode }) => {
      const { finite, virtualNext } = positiveGrid(name);
      const points = [...finite, virtualNext];
      const lo = points[Math.min(index, points.length - 2)]!.value;
      const hi = points[Math.min(index, points.length - 2) + 1]!.value;
      const x = (lo + hi) / 2 + step * (hi - lo) * 2 ** -shift;
      return { name, mode, x: negative ? -x : x };
    });
  fc.assert(
    fc.property(nearGrid, ({ name, mode, x }) => encodeFromFloat64(name, x, mode) === referenceEncode(name, x, mode)),
    { numRuns: PROPERTY_RUNS },
  );
  t.is(encodeFromFloat64('e5m2', 3.3, 'overflow'), referenceEncode('e5m2', 3.3, 'overflow'));
});

test('formats: encodeFromFloat32 equals the reference applied to Math.fround of the input', (t) => {
  fc.assert(
    fc.property(fc.constantFrom(...FP8_FORMAT_NAMES), fc.constantFrom(...OVERFLOW_MODES), fc.oneof(fc.float(), fc.double()), (name, mode, x) => {
      return encodeFromFloat32(name, x, mode) === referenceEncode(name, Math.fround(x), mode);
    }),
    { numRuns: PROPERTY_RUNS },
  );
  t.is(encodeFromFloat32('e4m3', 0.1, 'saturate'), referenceEncode('e4m3', Math.fround(0.1), 'saturate'));
});

test('formats: batch encode and decode match the scalar functions element by element', (t) => {
  const values = Float32Array.from([0, -0, 1, -1.0625, 448, 500, -1e9, NaN, Infinity, 2 ** -10, 3.3]);
  for (const name of FP8_FORMAT_NAMES) {
    for (const mode of OVERFLOW_MODES) {
      const codes = encodeArray(name, values, mode);
      t.deepEqual([...codes], [...values].map((v) => encodeFromFloat32(name, v, mode)), `${name} ${mode}`);
      const decoded = decodeArray(name, codes, new Float32Array(codes.length));
      t.deepEqual([...decoded], [...codes].map((c) => decodeFp8(name, c)), `${name} ${mode} decode`);
    }
  }
});

test('formats: bad codes, formats and buffer lengths throw ModelError naming the function and value', (t) => {
  const messages = [
    t.throws(() => decodeFp8('e4m3', 256), { instanceOf: ModelError }).message,
    t.throws(() => decodeFp8('e4m3', 1.5), { instanceOf: ModelError }).message,
    t.throws(() => fp8Format('e3m4' as Fp8FormatName), { instanceOf: ModelError }).message,
    t.throws(() => encodeArray('e5m2', new Float32Array(3), 'saturate', new Uint8Array(2)), { instanceOf: ModelError }).message,
    t.throws(() => decodeArray('e5m2', new Uint8Array(3), new Float32Array(4)), { instanceOf: ModelError }).message,
  ];
  t.snapshot(messages);
});
