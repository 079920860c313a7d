import test from 'ava';
import { showNumber } from '../../src/fp8/showNumber.ts';

test('showNumber: names NaN, infinities and negative zero when the value is a non-finite or signed number', (t) => {
  t.deepEqual([NaN, Infinity, -Infinity, -0, 1.5].map(showNumber), ['NaN', 'Infinity', '-Infinity', '-0', '1.5']);
});

test('showNumber: quotes strings like core showValue when the value is not a number', (t) => {
  t.is(showNumber('128'), '"128"');
});
