import test from 'ava';
import { checkCycles, checkRequestAddresses, checkVectors, describeMismatch, rowWord, RowAddresses, type DutRun, type LayerTableConfig } from '../../src/cosim/index.ts';

// A two-head layer whose table starts above 4 GiB, so addresses use both 32-bit halves.
const LAYER: LayerTableConfig = {
  multipliers: [3n, 5n], primes: [7, 11], rowOffsets: [0, 7], headsPerOrder: 2, padCompressed: 0, tableBase: 0x1_0000_0000n, rowBytes: 160,
};
const EXPECTED = Int32Array.from([3, 9, 6, 0]); // two tokens, [token][head]

/** What a correct unit (4 head positions, 2 active) returns for EXPECTED, with its request log. */
function correctRun(): DutRun {
  const addresses = new RowAddresses(LAYER);
  const indices = new Uint32Array(8);
  const data = new Uint32Array(16);
  const log: number[] = [];
  for (let t = 0; t < 2; t++) {
    for (let h = 0; h < 2; h++) {
      const idx = EXPECTED[t * 2 + h]!;
      indices[t * 4 + h] = idx;
      const [lo, hi] = addresses.of(h, idx);
      data[(t * 4 + h) * 2] = rowWord(lo, hi, 0);
      data[(t * 4 + h) * 2 + 1] = rowWord(lo, hi, 1);
      // tag = {slot, head} with 2 head-position bits; token t holds slot t.
      log.push(10 + t, h, (t << 2) | h, lo, hi);
    }
  }
  return { consumed: 2, produced: 2, cycles: 30, indices, data, outputCycles: Uint32Array.from([25, 29]), requestLog: Uint32Array.from(log) };
}

test('check: a correct run passes every check when indices, data, addresses and cycles agree', (t) => {
  const run = correctRun();
  t.is(checkVectors(LAYER, 4, 2, EXPECTED, run, 0), null);
  t.is(checkRequestAddresses(LAYER, 16, 2, EXPECTED, run, 0, new Int32Array(16)), null);
  const predicted = { ...run, requestLog: Uint32Array.from([10, 0, 0, 10, 1, 1, 11, 0, 4, 11, 1, 5]) };
  t.is(checkCycles(run, predicted, 0), null);
  t.is(new RowAddresses(LAYER).of(1, 9).join(','), `${(7 + 9) * 160},1`);
});

test('check: the first wrong index, data word, address and cycle are each reported with token, head and seed', (t) => {
  const badIndex = correctRun();
  badIndex.indices[4 + 1] = 1;
  t.is(describeMismatch(checkVectors(LAYER, 4, 2, EXPECTED, badIndex, 100)!, 42), 'index mismatch at token 101, head 1: expected 0, got 1 (seed 42)');

  const badData = correctRun();
  badData.data[3] = badData.data[3]! ^ 1;
  t.regex(describeMismatch(checkVectors(LAYER, 4, 2, EXPECTED, badData, 0)!, 7), /^data mismatch at token 0, head 1: expected word 1 = 0x[0-9a-f]+ \(row at 0x0000000100000a00\), got 0x[0-9a-f]+ \(seed 7\)$/);

  const badAddress = correctRun();
  badAddress.requestLog[5 * 3 + 3] = 0;
  t.regex(describeMismatch(checkRequestAddresses(LAYER, 16, 2, EXPECTED, badAddress, 0, new Int32Array(16))!, 7), /^address mismatch at token 1, head 1: expected 0x0000000100000460, got 0x0000000100000000 \(port 1, cycle 11\)/);

  const late = { ...correctRun(), outputCycles: Uint32Array.from([25, 30]) };
  t.is(describeMismatch(checkCycles(late, correctRun(), 0)!, 3), 'output cycle mismatch at token 1: expected 29, got 30 (seed 3)');
});

test('check: a head beyond the active ones must read zero', (t) => {
  const run = correctRun();
  run.indices[2] = 5;
  t.like(checkVectors(LAYER, 4, 2, EXPECTED, run, 0), { field: 'index', token: 0, head: 2, expected: '0', got: '5' });
});
