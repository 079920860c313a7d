import test from 'ava';
import fc from 'fast-check';
import { BF16_MAX_FINITE, roundArrayToBfloat16, roundToBfloat16 } from '../../src/fp8/index.ts';

const PROPERTY_RUNS = 5000;

/** Second implementation for float32 inputs: the usual bit trick, add 0x7FFF plus the kept LSB, then cut 16 bits. */
function bitTrickBfloat16(x: number): number {
  const f32 = new Float32Array([x]);
  const u32 = new Uint32Array(f32.buffer);
  if (Number.isNaN(f32[0]!)) return NaN;
  const bits = u32[0]!;
  u32[0] = ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) << 16;
  return f32[0]!;
}

test('bfloat16: rounding equals the float32 bit trick on arbitrary float32 values', (t) => {
  fc.assert(
    fc.property(fc.float(), (x) => Object.is(roundToBfloat16(x), bitTrickBfloat16(x)) || (Number.isNaN(x) && Number.isNaN(roundToBfloat16(x)))),
    { numRuns: PROPERTY_RUNS },
  );
  t.is(roundToBfloat16(1 + 2 ** -8), 1, 'the tie goes to the even mantissa');
});

test('bfloat16: ties go to even, overflow goes to infinity and subnormals keep 7 bits below 2^-126', (t) => {
  t.is(roundToBfloat16(1 + 3 * 2 ** -8), 1 + 2 ** -6);
  t.is(roundToBfloat16(1 + 2 ** -8 + 2 ** -30), 1 + 2 ** -7);
  t.is(roundToBfloat16(BF16_MAX_FINITE), BF16_MAX_FINITE);
  t.is(roundToBfloat16(3.4028234663852886e38), Infinity, 'float32 max lies above the bf16 max + half ulp');
  t.is(roundToBfloat16(-3.4028234663852886e38), -Infinity);
  t.is(roundToBfloat16(2 ** -133), 2 ** -133);
  t.is(roundToBfloat16(2 ** -134), 0, 'half the smallest subnormal ties to zero');
  t.true(Object.is(roundToBfloat16(-(2 ** -140)), -0));
  t.true(Number.isNaN(roundToBfloat16(NaN)));
});

test('bfloat16: the array form rounds in place when given a Float32Array', (t) => {
  const values = Float32Array.from([1 + 2 ** -8, 1 + 3 * 2 ** -8, -2.75]);
  const out = roundArrayToBfloat16(values);
  t.is(out, values);
  t.deepEqual([...values], [1, 1 + 2 ** -6, -2.75]);
});
