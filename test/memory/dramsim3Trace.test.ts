import test from 'ava';
import { SpecError } from '../../src/core/index.ts';
import { Dramsim3TraceStream, type TraceRecord } from '../../src/memory/index.ts';

/** A chunk reader over `text`, cut into pieces of `size` bytes to exercise lines split across chunks. */
function chunks(text: string, size: number): () => Uint8Array | null {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return () => (at >= bytes.length ? null : bytes.slice(at, (at += size)));
}

function readAll(text: string, options: Partial<{ tsUnit: 'cycles' | 'ns'; tCkPs: number; size: number }> = {}): TraceRecord[] {
  const stream = new Dramsim3TraceStream(chunks(text, options.size ?? 7), { file: 'x.trace', tsUnit: options.tsUnit ?? 'cycles', tCkPs: options.tCkPs ?? 1000, requestBytes: 64 });
  const out: TraceRecord[] = [];
  const rec: TraceRecord = { addr: 0, isWrite: false, sizeBytes: 0, cycle: 0, batch: 0 };
  while (stream.next(rec)) out.push({ ...rec });
  return out;
}

test('dramsim3Trace: parses address, operation and cycle when lines are split across chunks', (t) => {
  const recs = readAll('0x1F40 READ 0\n0x40 WRITE 12\r\n\n# a comment\n  0xffffffffff READ 13');
  t.deepEqual(recs.map((r) => [r.addr, r.isWrite, r.cycle, r.sizeBytes]), [[0x1f40, false, 0, 64], [0x40, true, 12, 64], [0xffffffffff, false, 13, 64]]);
});

test('dramsim3Trace: rounds nanosecond times up to the next device cycle when --ts-unit is ns', (t) => {
  const recs = readAll('0x0 READ 10\n0x40 READ 10.5\n0x80 READ 0.001\n', { tsUnit: 'ns', tCkPs: 625 });
  t.deepEqual(recs.map((r) => r.cycle), [16, 17, 1]);
});

test('dramsim3Trace: reads a file of many lines with a bounded buffer when chunks are large', (t) => {
  const lines = Array.from({ length: 5000 }, (_, i) => `0x${(i * 64).toString(16)} READ ${i}`).join('\n');
  const recs = readAll(lines, { size: 4096 });
  t.is(recs.length, 5000);
  t.is(recs[4999]!.addr, 4999 * 64);
});

test('dramsim3Trace: names the line number and content when a line is malformed', (t) => {
  for (const bad of ['0x10 READ 1\nzz READ 2\n', '0x10 LOAD 1\n', '0x10 READ\n', '0x10 READ 1.5\n', '0x10 READ 3 extra\n']) {
    const error = t.throws(() => readAll(bad), { instanceOf: SpecError });
    t.snapshot(error?.message, bad);
  }
});
