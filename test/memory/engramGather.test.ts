import test from 'ava';
import { EngramGatherStream, DEFAULT_BATCH_TOKENS, type TraceRecord } from '../../src/memory/index.ts';
import { traceRows, type Trace } from '../../src/spec/index.ts';

function trace(tokens: number): Trace {
  const layers = [{ layerId: 1, primes: [5, 7], rowOffsets: [0, 5] }, { layerId: 14, primes: [11, 13], rowOffsets: [0, 11] }];
  return {
    header: { formatVersion: 1, config: 'demo', source: 'unit', tokenizer: 'identity', tokens, sequenceLengths: [tokens], rowBytes: 160, layers },
    rows: layers.map((l, li) => Uint32Array.from({ length: tokens * 2 }, (_, i) => (i * 3 + li) % (l.primes[0]! + l.primes[1]!))),
  };
}

function collect(stream: EngramGatherStream): TraceRecord[] {
  const out: TraceRecord[] = [];
  const rec: TraceRecord = { addr: 0, isWrite: false, sizeBytes: 0, cycle: 0, batch: 0 };
  while (stream.next(rec)) out.push({ ...rec });
  return out;
}

test('engramGather: reads one row per token and head at (layer base + row id) x rowBytes when layers lie back to back', (t) => {
  const recs = collect(new EngramGatherStream(traceRows(trace(2)), { file: 't.trace' }));
  t.is(recs.length, 8);
  // Layer 0 rows for tokens 0-1 (ids 0, 3, 6, 9), then layer 1 (ids 1, 4, 7, 10) after layer 0's 12 rows.
  t.deepEqual(recs.map((r) => r.addr / 160), [0, 3, 6, 9, 13, 16, 19, 22]);
  t.true(recs.every((r) => r.sizeBytes === 160 && !r.isWrite));
});

test('engramGather: one batch per 512 tokens of one layer when no batch size is given', (t) => {
  const recs = collect(new EngramGatherStream(traceRows(trace(DEFAULT_BATCH_TOKENS + 10)), { file: 't.trace' }));
  const sizes = new Map<number, number>();
  for (const r of recs) sizes.set(r.batch, (sizes.get(r.batch) ?? 0) + 1);
  t.deepEqual([...sizes.values()], [1024, 1024, 20, 20]);
});

test('engramGather: batches of the requested size when --batch-requests is given', (t) => {
  const recs = collect(new EngramGatherStream(traceRows(trace(10)), { file: 't.trace', batchRequests: 16 }));
  t.deepEqual([...new Set(recs.map((r) => r.batch))], [0, 1, 2]);
});

test('engramGather: names the layer, token and head when a row id lies outside its table', (t) => {
  const bad = trace(1);
  bad.rows[1]![1] = 24;
  t.snapshot(t.throws(() => collect(new EngramGatherStream(traceRows(bad), { file: 't.trace' })))?.message);
});
