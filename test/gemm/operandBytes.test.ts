import test from 'ava';
import { ModelError } from '../../src/core/index.ts';
import { aPanelBytes, bPanelBytes, compulsoryTraffic, gemmFlops, trafficWithReads } from '../../src/gemm/index.ts';
import { checkShape } from '../../src/gemm/operandBytes.ts';

test('operandBytes: FP8 traffic adds float32 scales per 1x128 activation tile and per 128x128 weight block', (t) => {
  // m = 3, n = 200, k = 300: A scales 3 x ceil(300/128) = 9, B scales ceil(200/128) x 3 = 6.
  t.deepEqual(compulsoryTraffic({ m: 3, n: 200, k: 300, dtype: 'fp8' }), {
    aBytes: 900,
    bBytes: 60000,
    cBytes: 1200,
    scaleBytes: (9 + 6) * 4,
    totalBytes: 900 + 60000 + 1200 + 60,
  });
  t.is(aPanelBytes(3, 300, 'fp8'), 900 + 36);
  t.is(bPanelBytes(200, 300, 'fp8'), 60000 + 24);
});

test('operandBytes: BF16 operands take two bytes and carry no scales', (t) => {
  const traffic = compulsoryTraffic({ m: 3, n: 200, k: 300, dtype: 'bf16' });
  t.deepEqual([traffic.aBytes, traffic.bBytes, traffic.cBytes, traffic.scaleBytes], [1800, 120000, 1200, 0]);
});

test('operandBytes: re-reads multiply an operand and its scales, never the output', (t) => {
  const once = compulsoryTraffic({ m: 256, n: 256, k: 256, dtype: 'fp8' });
  const thrice = trafficWithReads({ m: 256, n: 256, k: 256, dtype: 'fp8' }, 3, 2);
  t.is(thrice.aBytes, 3 * once.aBytes);
  t.is(thrice.bBytes, 2 * once.bBytes);
  t.is(thrice.cBytes, once.cBytes);
  t.is(thrice.scaleBytes, 3 * 256 * 2 * 4 + 2 * 2 * 2 * 4);
});

test('operandBytes: a GEMM does 2mnk FLOPs', (t) => {
  t.is(gemmFlops({ m: 3, n: 5, k: 7, dtype: 'fp8' }), 210);
});

test('operandBytes: shapes outside the model are model errors naming the field', (t) => {
  const messages = [
    { m: 0, n: 1, k: 1, dtype: 'fp8' as const },
    { m: 1, n: -3, k: 1, dtype: 'fp8' as const },
    { m: 1, n: 1, k: 1, dtype: 'fp16' as unknown as 'fp8' },
    { m: 2 ** 20, n: 2 ** 20, k: 2 ** 20, dtype: 'bf16' as const },
  ].map((shape) => t.throws(() => checkShape(shape, 'test'), { instanceOf: ModelError })?.message);
  t.snapshot(messages);
});
