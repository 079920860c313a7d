// memsim's streaming reader of Engram trace files against the whole-file decoder: the same requests in the same
// order over several chunks and layers, and the decoder's messages for files that are not traces or are cut.
import test from 'ava';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openTraceRows } from '../../src/cli/traceFile.ts';
import { SpecError } from '../../src/core/index.ts';
import { DEFAULT_BATCH_TOKENS, EngramGatherStream, type TraceRecord } from '../../src/memory/index.ts';
import { decodeTrace, encodeTrace, traceRows, type Trace, type TraceRows } from '../../src/spec/index.ts';
import { makeTempDir } from '../helpers/tempDir.ts';

function sample(tokens: number): Trace {
  const layers = [{ layerId: 2, primes: [7, 11, 13], rowOffsets: [0, 7, 18] }, { layerId: 9, primes: [17, 19], rowOffsets: [0, 17] }];
  return {
    header: { formatVersion: 1, config: 'demo', source: 'unit', tokenizer: 'identity', tokens, sequenceLengths: [tokens - 5, 5], rowBytes: 64, layers },
    rows: layers.map((l, li) => Uint32Array.from({ length: tokens * l.primes.length }, (_, i) => (i * 7 + li * 3) % l.primes.reduce((a, b) => a + b, 0))),
  };
}

function records(rows: TraceRows): TraceRecord[] {
  const stream = new EngramGatherStream(rows, { file: 'x.trace' });
  const out: TraceRecord[] = [];
  const rec: TraceRecord = { addr: 0, isWrite: false, sizeBytes: 0, cycle: 0, batch: 0 };
  while (stream.next(rec)) out.push({ ...rec });
  return out;
}

/** Opens `bytes` written to a temporary file with openTraceRows and passes the rows to `use`. */
function withFile<T>(bytes: Uint8Array, use: (rows: TraceRows) => T): T {
  const file = path.join(makeTempDir('engram-trace-file-'), 'x.trace');
  writeFileSync(file, bytes);
  const fd = openSync(file, 'r');
  try {
    return use(openTraceRows(fd, bytes.length, 'x.trace'));
  } finally {
    closeSync(fd);
  }
}

test('traceFile: streaming a trace file gives the requests of the decoded trace, in order, over several chunks and layers', (t) => {
  const trace = sample(2 * DEFAULT_BATCH_TOKENS + 37);
  const bytes = encodeTrace(trace);
  const streamed = withFile(bytes, (rows) => {
    t.deepEqual(rows.header, trace.header);
    return records(rows);
  });
  t.is(streamed.length, trace.header.tokens * 5);
  t.deepEqual(streamed, records(traceRows(decodeTrace(bytes, 'x.trace'))));
});

test('traceFile: a file that is not a trace, or is cut short, is refused before any row is read, as the decoder refuses it', (t) => {
  const bytes = encodeTrace(sample(20));
  const cases: [string, Uint8Array][] = [
    ['not a trace', new TextEncoder().encode('hello world, not a trace')],
    ['cut', bytes.subarray(0, bytes.length - 4)],
    ['header cut', bytes.subarray(0, 30)],
    ['empty', new Uint8Array(0)],
  ];
  for (const [what, data] of cases) {
    const streamed = t.throws(() => withFile(data, () => null), { instanceOf: SpecError }, what);
    const decoded = t.throws(() => decodeTrace(data, 'x.trace'), { instanceOf: SpecError }, what);
    t.is(streamed?.message, decoded?.message, what);
  }
});
