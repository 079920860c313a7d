// Turns an Engram row-access trace (src/spec/traceFormat.ts) into memory requests: one read per table
// row, byte address = (layer base + row id) x rowBytes, grouped into batches with a barrier, because a
// layer cannot proceed until all of its rows have arrived (issue 5 §2).
import { SpecError } from '../core/index.ts';
import type { TraceRows } from '../spec/index.ts';
import type { RequestStream, TraceRecord } from './traceDriver.ts';

/** Tokens per batch when no batch size is given: one prefill chunk of one layer. */
export const DEFAULT_BATCH_TOKENS = 512;

export interface EngramGatherOptions {
  /** Requests per batch; when absent, one batch per DEFAULT_BATCH_TOKENS tokens of one layer. */
  batchRequests?: number;
  /** File name used in error messages. */
  file: string;
}

/**
 * Request order: for each chunk of DEFAULT_BATCH_TOKENS tokens, for each layer in header order, the
 * chunk's tokens, each token's heads (the order the model gathers in). Layer tables lie back to back.
 */
export class EngramGatherStream implements RequestStream {
  private readonly layerBaseRows: number[];
  private readonly layerRows: number[];
  private readonly heads: number[];
  private chunk = 0;
  private layer = 0;
  private token = 0;
  private head = 0;
  private index = 0;
  private batch = 0;
  /** Row ids of the current chunk of the current layer (read when the stream enters it), and its tokens. */
  private chunkRows: Uint32Array | null = null;
  private chunkTokens = 0;

  /** `trace`: the rows in memory (traceRows(trace)) or read from the file as the stream goes (memsim). */
  constructor(
    private readonly trace: TraceRows,
    private readonly options: EngramGatherOptions,
  ) {
    let base = 0;
    this.layerBaseRows = [];
    this.layerRows = [];
    this.heads = [];
    for (const layer of trace.header.layers) {
      const rows = layer.primes.reduce((a, b) => a + b, 0);
      this.layerBaseRows.push(base);
      this.layerRows.push(rows);
      this.heads.push(layer.primes.length);
      base += rows;
    }
  }

  /** Total requests the stream yields: tokens x heads summed over layers. */
  get totalRequests(): number {
    return this.heads.reduce((a, h) => a + h * this.trace.header.tokens, 0);
  }

  next(into: TraceRecord): boolean {
    const { tokens, rowBytes } = this.trace.header;
    const layers = this.heads.length;
    if (this.chunk * DEFAULT_BATCH_TOKENS >= tokens) return false;
    const l = this.layer;
    const first = this.chunk * DEFAULT_BATCH_TOKENS;
    if (this.chunkRows === null) {
      this.chunkTokens = Math.min(DEFAULT_BATCH_TOKENS, tokens - first);
      this.chunkRows = this.trace.read(l, first, this.chunkTokens);
    }
    const t = first + this.token;
    const rowId = this.chunkRows[this.token * this.heads[l]! + this.head]!;
    if (rowId >= this.layerRows[l]!) {
      throw new SpecError(this.options.file, `layers[${l}]`, `token ${t} head ${this.head}: row id ${rowId} is not in [0, ${this.layerRows[l]! - 1}] (the layer's table rows)`);
    }
    into.addr = (this.layerBaseRows[l]! + rowId) * rowBytes;
    into.isWrite = false;
    into.sizeBytes = rowBytes;
    into.cycle = 0;
    into.batch = this.options.batchRequests === undefined ? this.batch : Math.floor(this.index / this.options.batchRequests);
    this.index++;
    // Advance head -> token -> layer -> chunk.
    if (++this.head < this.heads[l]!) return true;
    this.head = 0;
    if (++this.token < this.chunkTokens) return true;
    this.token = 0;
    this.batch++;
    this.chunkRows = null;
    if (++this.layer < layers) return true;
    this.layer = 0;
    this.chunk++;
    return true;
  }
}
