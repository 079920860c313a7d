import test from 'ava';
import { bytesToNs, classifyBound, flopsToNs, roofline } from '../../src/gemm/index.ts';

test('roofline: compute time is FLOPs over peak and memory time is compulsory bytes over bandwidth', (t) => {
  // 2e9 FLOP at 1 TFLOPS = 2e6 ns; 1e6 + 1e6 bytes of FP8 operands, 2e6 of BF16 output, 32,256 of scales at 1 GB/s.
  const r = roofline({ m: 1000, n: 1000, k: 1000, dtype: 'fp8' }, 1, 1);
  t.is(r.computeNs, 2e6);
  t.is(r.memoryNs, 4_032_256);
  t.is(r.timeNs, 4_032_256);
  t.is(r.bound, 'memory');
  t.is(r.arithmeticIntensityFlopPerByte, 2e9 / 4_032_256);
});

test('roofline: a GEMM past the ridge point is compute-bound', (t) => {
  const r = roofline({ m: 4096, n: 4096, k: 4096, dtype: 'fp8' }, 1979, 3350);
  t.is(r.bound, 'compute');
  t.is(r.timeNs, r.computeNs);
});

test('roofline: unit conversions treat 1 TFLOPS as 1000 FLOP/ns and 1 GB/s as 1 B/ns', (t) => {
  t.is(flopsToNs(1979e3, 1979), 1);
  t.is(bytesToNs(3350, 3350), 1);
});

test('roofline: the bound is named by the larger of useful and idle compute time when memory is faster', (t) => {
  t.is(classifyBound(10, 30, 40, 'wave-quantised'), 'memory');
  t.is(classifyBound(10, 30, 30, 'wave-quantised'), 'memory');
  t.is(classifyBound(10, 30, 5, 'wave-quantised'), 'wave-quantised');
  t.is(classifyBound(10, 20, 5, 'array-quantised'), 'compute');
  t.is(classifyBound(10, 10, 5, 'array-quantised'), 'compute');
});
