// The row-access trace file written by `engram-dse trace --out` and read by the memory model.
// Layout (all little-endian): 8 bytes "EGTRACE1" | u32 header length H | H bytes UTF-8 JSON header |
// zero padding to a multiple of 4 | for each layer in header order: tokens x heads u32 absolute row ids
// (head index z + the head's row offset in the layer's table), token-major ([t][head], spec §3.6 order).
import { z } from 'zod';
import { SpecError } from '../core/index.ts';
import { parseDocument, parseJsonText } from './parse.ts';

export const TRACE_MAGIC = 'EGTRACE1';

const traceLayerSchema = z.strictObject({
  layerId: z.number().int().min(0),
  /** Table size per head (the primes), spec §3.6 order. */
  primes: z.array(z.number().int().positive()).min(1),
  /** Exclusive cumulative sum of primes: head h's rows start here. */
  rowOffsets: z.array(z.number().int().min(0)).min(1),
});

export const traceHeaderSchema = z.strictObject({
  formatVersion: z.literal(1),
  config: z.string(),
  source: z.string(),
  tokenizer: z.string(),
  /** Tokens in the stream (sum of sequence lengths). */
  tokens: z.number().int().min(0),
  /** Sequence lengths in stream order (each sequence restarts the n-gram history with pad'). */
  sequenceLengths: z.array(z.number().int().min(0)),
  /** Bytes of one table row (headDim x bytes per value). */
  rowBytes: z.number().int().positive(),
  layers: z.array(traceLayerSchema).min(1),
});

export type TraceHeader = z.output<typeof traceHeaderSchema>;

export interface Trace {
  header: TraceHeader;
  /** Per layer, tokens x heads absolute row ids. */
  rows: Uint32Array[];
}

export function encodeTrace(trace: Trace): Uint8Array {
  const { header, rows } = trace;
  checkConsistent(header, rows, '(trace being written)');
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align4(12 + json.length);
  const total = dataStart + rows.reduce((a, r) => a + r.byteLength, 0);
  const out = new Uint8Array(total);
  out.set(new TextEncoder().encode(TRACE_MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  let at = dataStart;
  for (const layer of rows) {
    out.set(new Uint8Array(layer.buffer, layer.byteOffset, layer.byteLength), at);
    at += layer.byteLength;
  }
  return out;
}

/** Decodes and validates a trace file's bytes; `file` names it in errors. */
export function decodeTrace(bytes: Uint8Array, file: string): Trace {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== TRACE_MAGIC) {
    throw new SpecError(file, '', `not an Engram trace: expected the magic "${TRACE_MAGIC}" at offset 0`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) throw new SpecError(file, '', `header length ${headerLength} runs past the end of the ${bytes.length}-byte file`);
  const header = parseDocument(traceHeaderSchema, parseJsonText(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)), file), file);
  let at = align4(12 + headerLength);
  const rows: Uint32Array[] = [];
  for (const layer of header.layers) {
    const count = header.tokens * layer.primes.length;
    if (at + count * 4 > bytes.length) throw new SpecError(file, `layers[${rows.length}]`, `expected ${count} row ids, but the file ends early`);
    // Copy so the result is aligned and independent of the input (a Node Buffer's slice() would share its pool).
    rows.push(new Uint32Array(Uint8Array.prototype.slice.call(bytes, at, at + count * 4).buffer));
    at += count * 4;
  }
  if (at !== bytes.length) throw new SpecError(file, '', `expected ${at} bytes from the header, got ${bytes.length}`);
  checkConsistent(header, rows, file);
  return { header, rows };
}

function checkConsistent(header: TraceHeader, rows: readonly Uint32Array[], file: string): void {
  const sum = header.sequenceLengths.reduce((a, b) => a + b, 0);
  if (sum !== header.tokens) throw new SpecError(file, 'sequenceLengths', `expected lengths summing to tokens = ${header.tokens}, got ${sum}`);
  if (rows.length !== header.layers.length) throw new SpecError(file, 'layers', `expected ${header.layers.length} row blocks, got ${rows.length}`);
  header.layers.forEach((layer, i) => {
    if (layer.rowOffsets.length !== layer.primes.length) {
      throw new SpecError(file, `layers[${i}].rowOffsets`, `expected ${layer.primes.length} entries (one per head), got ${layer.rowOffsets.length}`);
    }
    const expectedLength = header.tokens * layer.primes.length;
    if (rows[i]!.length !== expectedLength) throw new SpecError(file, `layers[${i}]`, `expected ${expectedLength} row ids, got ${rows[i]!.length}`);
  });
}

const align4 = (n: number): number => (n + 3) & ~3;
