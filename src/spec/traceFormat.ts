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
  const head = encodeTraceHeader(header);
  const out = new Uint8Array(head.length + rows.reduce((a, r) => a + r.byteLength, 0));
  out.set(head, 0);
  let at = head.length;
  for (const layer of rows) {
    out.set(new Uint8Array(layer.buffer, layer.byteOffset, layer.byteLength), at);
    at += layer.byteLength;
  }
  return out;
}

/**
 * The bytes of a trace file before its row ids (magic, header length, header, padding), for writers that stream
 * the row ids after it (layer by layer, tokens x heads u32 each).
 */
export function encodeTraceHeader(header: TraceHeader): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(align4(TRACE_PREFIX_BYTES + json.length));
  out.set(new TextEncoder().encode(TRACE_MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, TRACE_PREFIX_BYTES);
  return out;
}

/** Decodes and validates a trace file's bytes; `file` names it in errors. */
export function decodeTrace(bytes: Uint8Array, file: string): Trace {
  const { header, layerOffsets } = decodeTraceLayout(bytes, bytes.length, file);
  // Copy so the result is aligned and independent of the input (a Node Buffer's slice() would share its pool).
  // decodeTraceLayout has checked the header and each layer's extent, so the rows are consistent by construction.
  const rows = header.layers.map((layer, i) => new Uint32Array(Uint8Array.prototype.slice.call(bytes, layerOffsets[i]!, layerOffsets[i]! + header.tokens * layer.primes.length * 4).buffer));
  return { header, rows };
}

/** Where a trace's parts lie: its header, and the byte offset of each layer's row ids. */
export interface TraceLayout {
  header: TraceHeader;
  layerOffsets: number[];
}

/** Bytes a reader needs from the start of a trace file to find its layout: the magic and the header length. */
export const TRACE_PREFIX_BYTES = 12;

/** The header length a trace file's first TRACE_PREFIX_BYTES announce; throws when they are not a trace's. */
export function traceHeaderLength(prefix: Uint8Array, file: string): number {
  if (prefix.length < TRACE_PREFIX_BYTES || new TextDecoder().decode(prefix.subarray(0, 8)) !== TRACE_MAGIC) {
    throw new SpecError(file, '', `not an Engram trace: expected the magic "${TRACE_MAGIC}" at offset 0`);
  }
  return new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength).getUint32(8, true);
}

/**
 * Decodes and validates a trace's header from the file's first bytes (at least the prefix and the header) and
 * checks the file's total size against it, without the row ids: what a reader that streams a long trace needs.
 */
export function decodeTraceLayout(start: Uint8Array, fileBytes: number, file: string): TraceLayout {
  const headerLength = traceHeaderLength(start, file);
  if (TRACE_PREFIX_BYTES + headerLength > fileBytes) throw new SpecError(file, '', `header length ${headerLength} runs past the end of the ${fileBytes}-byte file`);
  if (TRACE_PREFIX_BYTES + headerLength > start.length) throw new SpecError(file, '', `expected the ${headerLength}-byte header in the first ${start.length} bytes read`);
  const header = parseDocument(traceHeaderSchema, parseJsonText(new TextDecoder().decode(start.subarray(TRACE_PREFIX_BYTES, TRACE_PREFIX_BYTES + headerLength)), file), file);
  checkHeader(header, file);
  let at = align4(TRACE_PREFIX_BYTES + headerLength);
  const layerOffsets: number[] = [];
  for (const layer of header.layers) {
    const count = header.tokens * layer.primes.length;
    if (at + count * 4 > fileBytes) throw new SpecError(file, `layers[${layerOffsets.length}]`, `expected ${count} row ids, but the file ends early`);
    layerOffsets.push(at);
    at += count * 4;
  }
  if (at !== fileBytes) throw new SpecError(file, '', `expected ${at} bytes from the header, got ${fileBytes}`);
  return { header, layerOffsets };
}

/** A trace's row ids, read a range of tokens of one layer at a time: from memory, or from a file as it is read. */
export interface TraceRows {
  readonly header: TraceHeader;
  /** Row ids of `tokens` tokens of layer `layer` from token `firstToken`, token-major; valid until the next call. */
  read(layer: number, firstToken: number, tokens: number): Uint32Array;
}

/** The TraceRows of a trace held in memory (no copy). */
export function traceRows(trace: Trace): TraceRows {
  return {
    header: trace.header,
    read: (layer, firstToken, tokens) => {
      const heads = trace.header.layers[layer]!.primes.length;
      return trace.rows[layer]!.subarray(firstToken * heads, (firstToken + tokens) * heads);
    },
  };
}

function checkConsistent(header: TraceHeader, rows: readonly Uint32Array[], file: string): void {
  checkHeader(header, file);
  if (rows.length !== header.layers.length) throw new SpecError(file, 'layers', `expected ${header.layers.length} row blocks, got ${rows.length}`);
  header.layers.forEach((layer, i) => {
    const expectedLength = header.tokens * layer.primes.length;
    if (rows[i]!.length !== expectedLength) throw new SpecError(file, `layers[${i}]`, `expected ${expectedLength} row ids, got ${rows[i]!.length}`);
  });
}

/** The header's own consistency: sequence lengths summing to tokens, one row offset per head. */
function checkHeader(header: TraceHeader, file: string): void {
  const sum = header.sequenceLengths.reduce((a, b) => a + b, 0);
  if (sum !== header.tokens) throw new SpecError(file, 'sequenceLengths', `expected lengths summing to tokens = ${header.tokens}, got ${sum}`);
  header.layers.forEach((layer, i) => {
    if (layer.rowOffsets.length !== layer.primes.length) {
      throw new SpecError(file, `layers[${i}].rowOffsets`, `expected ${layer.primes.length} entries (one per head), got ${layer.rowOffsets.length}`);
    }
  });
}

const align4 = (n: number): number => (n + 3) & ~3;
