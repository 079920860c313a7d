import test from 'ava';
import { SpecError } from '../../../src/core/index.ts';
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
