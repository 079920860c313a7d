import test from 'ava';
import fc from 'fast-check';
import { floorLog2, pow2, roundHalfToEven } from '../../src/fp8/rounding.ts';

test('rounding: pow2 is exact over the whole float64 exponent range and saturates to 0 and Infinity beyond it', (t) => {
  const wrong: number[] = [];
  let up = 1;
  let down = 1;
  for (let e = 0; e <= 1074; e++) {
    if (e <= 1023 && pow2(e) !== up) wrong.push(e);
    if (pow2(-e) !== down) wrong.push(-e);
    up *= 2;
    down /= 2;
  }
  t.deepEqual(wrong, []);
  t.is(pow2(-1075), 0);
  t.is(pow2(1024), Infinity);
});

test('rounding: floorLog2 is exact at and just below every power of two, where Math.log2 rounds up', (t) => {
  const wrong: string[] = [];
  for (let e = -1074; e <= 1023; e++) {
    const p = pow2(e);
    if (floorLog2(p) !== e) wrong.push(`2^${e}`);
    const below = p * (1 - 2 ** -53);
    // Below 2^-1022 the next double down is p minus one subnormal step.
    const justBelow = e > -1022 ? below : p - Number.MIN_VALUE;
    if (justBelow > 0 && floorLog2(justBelow) !== e - 1) wrong.push(`below 2^${e}`);
  }
  t.deepEqual(wrong, []);
  t.is(floorLog2(0), -Infinity);
});

test('rounding: floorLog2 brackets arbitrary positive doubles between consecutive powers of two', (t) => {
  fc.assert(
    fc.property(fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true }), (a) => {
      const e = floorLog2(a);
      return pow2(e) <= a && (e === 1023 || a < pow2(e + 1));
    }),
  );
  t.is(floorLog2(3), 1);
});

test('rounding: roundHalfToEven sends ties to the even integer and other values to the nearest', (t) => {
  t.deepEqual([0, 0.5, 1.5, 2.5, 3.5, 2.4999, 2.5001, 7].map(roundHalfToEven), [0, 0, 2, 2, 4, 2, 3, 7]);
  t.is(roundHalfToEven(2 ** 40 + 0.5), 2 ** 40);
  t.is(roundHalfToEven(2 ** 40 + 1.5), 2 ** 40 + 2);
});
