import test from 'ava';
import { encodeTrace, decodeTrace, type Trace } from '../../src/spec/index.ts';

function sample(): Trace {
  return {
    header: {
      formatVersion: 1, config: 'demo', source: 'unit', tokenizer: 'identity', tokens: 3, sequenceLengths: [2, 1], rowBytes: 256,
      layers: [{ layerId: 1, primes: [5, 7], rowOffsets: [0, 5] }, { layerId: 15, primes: [11, 13], rowOffsets: [0, 11] }],
    },
    rows: [new Uint32Array([0, 5, 4, 11, 2, 6]), new Uint32Array([10, 23, 1, 12, 3, 15])],
  };
}

test('traceFormat: round-trips header and row ids byte for byte', (t) => {
  const bytes = encodeTrace(sample());
  const back = decodeTrace(bytes, 'x.trace');
  t.deepEqual(back.header, sample().header);
  t.deepEqual(back.rows.map((r) => [...r]), sample().rows.map((r) => [...r]));
  t.deepEqual(encodeTrace(back), bytes);
});

test('traceFormat: decodes from a Node Buffer that shares a larger pool', (t) => {
  const bytes = encodeTrace(sample());
  const pooled = Buffer.concat([Buffer.alloc(13), Buffer.from(bytes)]).subarray(13);
  t.deepEqual(decodeTrace(pooled, 'pooled.trace').rows.map((r) => [...r]), sample().rows.map((r) => [...r]));
});

test('traceFormat: names the file and the problem when a trace is truncated or foreign', (t) => {
  const bytes = encodeTrace(sample());
  t.snapshot(t.throws(() => decodeTrace(bytes.subarray(0, bytes.length - 4), 'cut.trace'))?.message);
  t.snapshot(t.throws(() => decodeTrace(new TextEncoder().encode('hello world, not a trace'), 'x.txt'))?.message);
});

test('traceFormat: rejects a header whose sequence lengths do not sum to the token count', (t) => {
  const bad = sample();
  bad.header.sequenceLengths = [1, 1];
  t.snapshot(t.throws(() => encodeTrace(bad))?.message);
});
