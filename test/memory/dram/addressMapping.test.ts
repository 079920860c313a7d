import test from 'ava';
import { Rng, SpecError } from '../../../src/core/index.ts';
import { AddressDecoder } from '../../../src/memory/index.ts';

const dims = { channel: 4, rank: 1, bankGroup: 4, bank: 4, row: 8, column: 16 };
const where = { file: 'test.json', path: 'addressMapping' };

test('addressMapping: consecutive bursts rotate over channels, then bank groups, when those fields are lowest', (t) => {
  const d = new AddressDecoder(['channel', 'bankGroup', 'column', 'bank', 'rank', 'row'], dims, where);
  const out = new Int32Array(6);
  const seen = [0, 1, 4, 5, 16].map((burst) => (d.decode(burst, out), [...out.slice(0, 4), out[5]]));
  // [channel, rank, bankGroup, bank, column]
  t.deepEqual(seen, [[0, 0, 0, 0, 0], [1, 0, 0, 0, 0], [0, 0, 1, 0, 0], [1, 0, 1, 0, 0], [0, 0, 0, 0, 1]]);
});

test('addressMapping: encode inverts decode and the low part counts first when a field is split', (t) => {
  const d = new AddressDecoder(['column:1', 'channel', 'bankGroup', 'column', 'bank', 'rank', 'row'], dims, where);
  const out = new Int32Array(6);
  for (const burst of [0, 1, 2, 3, 77, 4095]) {
    t.true(d.decode(burst, out));
    t.is(d.encode({ channel: out[0]!, rank: out[1]!, bankGroup: out[2]!, bank: out[3]!, row: out[4]!, column: out[5]! }), burst);
  }
  d.decode(1, out);
  t.is(out[5], 1);
  d.decode(2, out);
  t.deepEqual([out[0], out[5]], [1, 0]);
});

test('addressMapping: non-power-of-two channel counts interleave when the channel field is bare', (t) => {
  const d = new AddressDecoder(['channel', 'bankGroup', 'column', 'bank', 'rank', 'row'], { ...dims, channel: 12 }, where);
  const out = new Int32Array(6);
  const channels = Array.from({ length: 24 }, (_, b) => (d.decode(b, out), out[0]));
  t.deepEqual(channels, [...Array(12).keys(), ...Array(12).keys()]);
  t.is(d.capacityBursts, 12 * 4 * 4 * 8 * 16);
  t.false(d.decode(d.capacityBursts, out));
});

test('addressMapping: names the field and the problem when a mapping does not cover the device', (t) => {
  const bad: string[][] = [['channel', 'bankGroup', 'column', 'bank', 'rank'], ['channel', 'channel', 'bankGroup', 'column', 'bank', 'rank', 'row'], ['channel:3', 'bankGroup', 'column', 'bank', 'rank', 'row']];
  for (const mapping of bad) t.snapshot(t.throws(() => new AddressDecoder(mapping, dims, where), { instanceOf: SpecError })?.message, mapping.join(' '));
});

/** Mixed-radix digits by plain division, the definition `decode` must match on every path. */
function referenceDecode(parts: [number, number][], burst: number): { fields: number[]; fits: boolean } {
  const fields = [0, 0, 0, 0, 0, 0];
  const weight = [1, 1, 1, 1, 1, 1];
  let x = burst;
  for (const [field, radix] of parts) {
    fields[field] = fields[field]! + (x % radix) * weight[field]!;
    weight[field] = weight[field]! * radix;
    x = Math.floor(x / radix);
  }
  return { fields, fits: x === 0 };
}

test('addressMapping: power-of-two digits (shift-and-mask path) decode as plain division does, below and above 2^31 and past capacity', (t) => {
  // Field indices: channel 0, rank 1, bankGroup 2, bank 3, row 4, column 5.
  const big = { channel: 16, rank: 2, bankGroup: 4, bank: 4, row: 2 ** 20, column: 32 };
  const cases: { mapping: string[]; dims: typeof big; parts: [number, number][] }[] = [
    { mapping: ['column:1', 'channel', 'bankGroup', 'column', 'bank', 'rank', 'row'], dims: big, parts: [[5, 2], [0, 16], [2, 4], [5, 16], [3, 4], [1, 2], [4, 2 ** 20]] },
    { mapping: ['channel', 'bankGroup', 'column', 'bank', 'rank', 'row'], dims: dims, parts: [[0, 4], [2, 4], [5, 16], [3, 4], [1, 1], [4, 8]] },
    { mapping: ['channel', 'bankGroup', 'column', 'bank', 'rank', 'row'], dims: { ...big, channel: 12 }, parts: [[0, 12], [2, 4], [5, 32], [3, 4], [1, 2], [4, 2 ** 20]] },
  ];
  const rng = new Rng('test:addressMapping:pow2');
  const out = new Int32Array(6);
  const mismatches: string[] = [];
  let checked = 0;
  for (const { mapping, dims: d, parts } of cases) {
    const decoder = new AddressDecoder(mapping, d, where);
    const cap = decoder.capacityBursts;
    const bursts = [0, 1, cap - 1, cap, cap + 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 7, 3 * cap + 5];
    for (let i = 0; i < 2000; i++) bursts.push(Math.floor(rng.nextFloat() * Math.min(4 * cap, 2 ** 40)), Math.floor(rng.nextFloat() * 2 ** 31));
    for (const burst of bursts) {
      const ref = referenceDecode(parts, burst);
      const fits = decoder.decode(burst, out);
      checked++;
      if (fits !== ref.fits || out.some((v, f) => v !== ref.fields[f])) {
        mismatches.push(`${mapping.join(' ')}: burst ${burst}: got ${[...out].join(',')} ${fits}, expected ${ref.fields.join(',')} ${ref.fits}`);
      }
    }
  }
  t.is(checked, 3 * (9 + 4000));
  t.deepEqual(mismatches.slice(0, 3), []);
});
