// An Engram trace file read as a stream (`engram-dse memsim --trace-format engram`): the header and the file's
// size are checked up front (src/spec/traceFormat.ts, decodeTraceLayout), then row ids are read one chunk of one
// layer at a time, so a trace of 100 M rows replays in bounded memory instead of being loaded whole.
import { readSync } from 'node:fs';
import { SpecError } from '../core/index.ts';
import { decodeTraceLayout, traceHeaderLength, TRACE_PREFIX_BYTES, type TraceRows } from '../spec/index.ts';

/** Reads exactly `into.length` bytes at `position`, or fewer where the file ends; returns how many. */
function readAt(fd: number, into: Uint8Array, position: number): number {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** The TraceRows of the trace open as `fd` (`fileBytes` long); `file` names it in errors. */
export function openTraceRows(fd: number, fileBytes: number, file: string): TraceRows {
  const prefix = new Uint8Array(Math.min(TRACE_PREFIX_BYTES, fileBytes));
  readAt(fd, prefix, 0);
  const headerLength = traceHeaderLength(prefix, file);
  const start = new Uint8Array(Math.min(fileBytes, TRACE_PREFIX_BYTES + headerLength));
  readAt(fd, start, 0);
  const { header, layerOffsets } = decodeTraceLayout(start, fileBytes, file);
  let buffer = new Uint32Array(0);
  return {
    header,
    read: (layer, firstToken, tokens) => {
      const heads = header.layers[layer]!.primes.length;
      const count = tokens * heads;
      if (buffer.length < count) buffer = new Uint32Array(count);
      const bytes = new Uint8Array(buffer.buffer, 0, count * 4);
      // decodeTraceLayout checked the file's size, so a short read means it changed while being read.
      if (readAt(fd, bytes, layerOffsets[layer]! + firstToken * heads * 4) !== bytes.length) throw new SpecError(file, `layers[${layer}]`, 'the file became shorter while it was read');
      return buffer.subarray(0, count);
    },
  };
}
