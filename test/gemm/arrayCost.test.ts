import test from 'ava';
import { ModelError } from '../../src/core/index.ts';
import { arrayGemmCost, chooseDataflow, type ArrayMachine } from '../../src/gemm/arrayCost.ts';
import { compulsoryTraffic } from '../../src/gemm/index.ts';

/** A 4 x 4 array at 1000 MHz: 16 MACs per cycle = 0.032 TFLOPS; 1 GB/s of DRAM; 1 MiB of buffer. */
const machine: ArrayMachine = {
  target: 'test-array',
  kind: 'systolic',
  geometry: { rows: 4, cols: 4, arrays: 1, foldOverlap: 'serial' },
  clockMHz: 1000,
  peakTflops: 0.032,
  hbmBandwidthGBps: 1,
  bufferBytes: 2 ** 20,
};

test('arrayCost: time is compute cycles over the clock when DRAM keeps up', (t) => {
  const cost = arrayGemmCost({ m: 8, n: 8, k: 8, dtype: 'fp8' }, { ...machine, hbmBandwidthGBps: 1e6 }, 'os');
  t.is(cost.mapping.computeCycles, 72); // 4 * (2*4 + 4 + 8 - 2)
  t.is(cost.cost.computeNs, 72);
  t.is(cost.cost.timeNs, 72);
  t.is(cost.cost.cycles, 72);
  // 512 useful MACs in 72 cycles of 16 MACs: 44%; idle slots outweigh useful work.
  t.is(cost.cost.bound, 'array-quantised');
});

test('arrayCost: time is DRAM bytes over bandwidth when memory is slower, and cycles follow it', (t) => {
  const shape = { m: 8, n: 8, k: 8, dtype: 'fp8' as const };
  const cost = arrayGemmCost(shape, machine, 'ws');
  const bytes = compulsoryTraffic(shape).totalBytes;
  t.is(cost.cost.memoryNs, bytes);
  t.is(cost.cost.timeNs, bytes);
  t.is(cost.cost.cycles, bytes);
  t.is(cost.cost.bound, 'memory');
  t.is(cost.cost.utilisationPct, (100 * cost.cost.roofline.computeNs) / bytes);
});

test('arrayCost: the default dataflow is the first supported one and an unsupported one is refused', (t) => {
  t.is(chooseDataflow('x', ['os', 'ws'], undefined), 'os');
  t.is(chooseDataflow('x', ['os', 'ws'], 'ws'), 'ws');
  t.throws(() => chooseDataflow('x', ['ws'], 'os'), { instanceOf: ModelError });
});
