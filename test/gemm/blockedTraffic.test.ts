import test from 'ava';
import fc from 'fast-check';
import { ModelError } from '../../src/core/index.ts';
import { blockSizes, blockedDramTraffic, compulsoryTraffic, type BufferSpec } from '../../src/gemm/index.ts';

const shape = { m: 256, n: 256, k: 128, dtype: 'bf16' as const };
const buffer = (bufferBytes: number): BufferSpec => ({ bufferBytes, granularityM: 64, granularityN: 64, granularityK: 64 });

test('blockedTraffic: traffic is compulsory when the whole B panel fits beside streamed A blocks', (t) => {
  const { traffic, blocking } = blockedDramTraffic(shape, buffer(1 << 20));
  t.deepEqual(traffic, compulsoryTraffic(shape));
  t.deepEqual([blocking.strategy, blocking.blockN, blocking.aReads, blocking.bReads], ['resident-b', 256, 1, 1]);
  // B panel 256 x 128 x 2 + two A blocks 64 x 128 x 2 + two output blocks 64 x 256 x 2.
  t.is(blocking.bufferUsedBytes, 65536 + 32768 + 65536);
});

test('blockedTraffic: a buffer of 100,000 B holds half of B, so A is read twice', (t) => {
  // resident-b footprint 512 bn + 32768: bn = 128 fits (98,304 B), bn = 192 does not.
  const { traffic, blocking } = blockedDramTraffic(shape, buffer(100_000));
  t.deepEqual([blocking.strategy, blocking.blockN, blocking.aReads, blocking.bReads], ['resident-b', 128, 2, 1]);
  t.is(traffic.totalBytes, 2 * 65536 + 65536 + 131072);
});

test('blockedTraffic: a buffer of 60,000 B forces 64x64 accumulator blocks and re-reads of both operands', (t) => {
  // blocked footprint 4 bm bn + 256 (bm + bn): 64 x 64 needs 49,152 B; 64 x 128 needs 81,920 B.
  const { traffic, blocking } = blockedDramTraffic(shape, buffer(60_000));
  t.deepEqual([blocking.strategy, blocking.blockM, blocking.blockN, blocking.aReads, blocking.bReads], ['blocked', 64, 64, 4, 4]);
  t.is(traffic.totalBytes, 8 * 65536 + 131072);
});

test('blockedTraffic: a buffer smaller than the smallest block is a model error saying how much is needed', (t) => {
  const error = t.throws(() => blockedDramTraffic(shape, buffer(40_000)), { instanceOf: ModelError });
  t.snapshot(error?.message);
});

test('blockedTraffic: block sizes are the granularity multiples below the dimension, then the dimension', (t) => {
  t.deepEqual(blockSizes(300, 128), [128, 256, 300]);
  t.deepEqual(blockSizes(64, 128), [64]);
  t.deepEqual(blockSizes(2 ** 20, 1).slice(0, 4), [1, 2, 4, 8]);
});

test('blockedTraffic: block sizes read by position equal the list built by stepping (linear and doubling, at the 1,024-multiple edge)', (t) => {
  // The definition the search used to build as a list: step by the granularity (or double it past 1,024 multiples).
  const stepped = (dim: number, granularity: number): number[] => {
    const sizes: number[] = [];
    const linear = Math.ceil(dim / granularity) <= 1024;
    for (let size = granularity; size < dim; size = linear ? size + granularity : size * 2) sizes.push(size);
    sizes.push(dim);
    return sizes;
  };
  for (const [dim, granularity] of [[1024 * 128, 128], [1024 * 128 + 1, 128], [16384, 8], [16384, 16], [1, 1], [2 ** 40, 3]] as const) {
    t.deepEqual(blockSizes(dim, granularity), stepped(dim, granularity), `${dim} / ${granularity}`);
  }
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5_000_000 }), fc.integer({ min: 1, max: 4096 }), (dim, granularity) => {
      t.deepEqual(blockSizes(dim, granularity), stepped(dim, granularity));
    }),
    { seed: 7, numRuns: 500 },
  );
});

test('blockedTraffic: traffic never falls below compulsory and never rises as the buffer grows', (t) => {
  const property = fc.property(
    fc.integer({ min: 1, max: 3000 }),
    fc.integer({ min: 1, max: 3000 }),
    fc.integer({ min: 1, max: 3000 }),
    fc.constantFrom('fp8' as const, 'bf16' as const),
    fc.integer({ min: 18, max: 26 }),
    (m, n, k, dtype, log2Bytes) => {
      const s = { m, n, k, dtype };
      const spec = { bufferBytes: 2 ** log2Bytes, granularityM: 32, granularityN: 32, granularityK: 32 };
      let small: number;
      try {
        small = blockedDramTraffic(s, spec).traffic.totalBytes;
      } catch (error) {
        // Too small a buffer is a legitimate, typed refusal.
        if (error instanceof ModelError) return true;
        throw error;
      }
      const large = blockedDramTraffic(s, { ...spec, bufferBytes: spec.bufferBytes * 2 }).traffic.totalBytes;
      return small >= compulsoryTraffic(s).totalBytes && large <= small;
    },
  );
  t.notThrows(() => fc.assert(property, { seed: 20260112, numRuns: 300 }));
});
