// Gather workloads: batches of absolute row ids, one Engram layer's lookups per batch (issue 5 §2), from
// a real-text row trace (EGTRACE1, src/spec/traceFormat.ts) or synthetic Zipf over a configuration's tables.
import { Rng, SimError, showValue } from '../../core/index.ts';
import type { Trace } from '../../spec/index.ts';
import { ZipfSampler } from './zipf.ts';

/**
 * What simulateEngramGather consumes. `batches` is iterated once; each batch holds the row ids one
 * layer looks up for `batchTokens` tokens (duplicates included: merging is the gather engine's option).
 */
export interface GatherWorkload {
  readonly rowBytes: number;
  readonly batches: Iterable<Uint32Array>;
  /** Rows of all tables together (ids lie in [0, tableRows)); used for placement reporting. */
  readonly tableRows?: number;
  /** Where the batches come from, for reports. */
  readonly description?: string;
}

export interface TraceBatchOptions {
  batchTokens: number;
  /** Tokens of the trace to use: [fromToken, toToken); default the whole trace. */
  fromToken?: number;
  toToken?: number;
}

/** Table rows per layer of a trace (sum of its heads' primes) and each layer's first absolute row. */
export function traceLayerBases(trace: Trace): { bases: number[]; tableRows: number } {
  const bases: number[] = [];
  let base = 0;
  for (const layer of trace.header.layers) {
    bases.push(base);
    base += layer.primes.reduce((a, b) => a + b, 0);
  }
  return { bases, tableRows: base };
}

/**
 * Batches of a row trace in model order: for each chunk of batchTokens tokens, each layer in header order.
 * Row ids become absolute over all layers' tables laid back to back (layer base + row id within layer).
 */
export function* traceBatches(trace: Trace, options: TraceBatchOptions): Generator<Uint32Array> {
  const { batchTokens } = options;
  const tokens = trace.header.tokens;
  const from = options.fromToken ?? 0;
  const to = Math.min(options.toToken ?? tokens, tokens);
  if (!Number.isInteger(batchTokens) || batchTokens < 1) throw new SimError(`traceBatches: batchTokens: expected a positive integer, got ${showValue(batchTokens)}`);
  if (!Number.isInteger(from) || from < 0 || from > to) throw new SimError(`traceBatches: fromToken: expected an integer in [0, ${to}], got ${showValue(from)}`);
  const { bases } = traceLayerBases(trace);
  for (let start = from; start < to; start += batchTokens) {
    const end = Math.min(start + batchTokens, to);
    for (let l = 0; l < trace.header.layers.length; l++) {
      const heads = trace.header.layers[l]!.primes.length;
      const src = trace.rows[l]!.subarray(start * heads, end * heads);
      const out = new Uint32Array(src.length);
      const base = bases[l]!;
      for (let i = 0; i < src.length; i++) out[i] = base + src[i]!;
      yield out;
    }
  }
}

export interface ZipfWorkloadOptions {
  /** Per layer, per head table rows (the primes); heads of a layer are laid back to back, then layers. */
  readonly tables: readonly (readonly number[])[];
  readonly exponent: number;
  readonly batchTokens: number;
  /** Batches in all (they cycle over the layers like a trace: chunk 0 layer 0, chunk 0 layer 1, ...). */
  readonly batches: number;
  /** Seed of the lookups drawn. */
  readonly seed: number | string;
  /**
   * Seed of the rank-to-row scattering: a property of the tables (like the hash), so a profile and a
   * measurement drawn with different `seed`s agree on which rows are hot. Default 'zipf-tables'.
   */
  readonly tableSeed?: number | string;
}

/** (a x b) mod n for a, b < n < 2^32 without leaving exact doubles (16-bit split). */
function mulMod(a: number, b: number, n: number): number {
  const hi = (a * Math.floor(b / 65536)) % n;
  return (hi * 65536 + a * (b % 65536)) % n;
}

/**
 * Synthetic Zipf lookups: each token looks up one row per head; a head's rank k ~ Zipf(exponent) over its
 * rows is scattered over the table by the bijection k -> (a (k - 1) + b) mod rows, with a, b drawn per
 * head, so popularity is unrelated to position like a hash. Deterministic for a seed.
 */
export function* zipfBatches(options: ZipfWorkloadOptions): Generator<Uint32Array> {
  const { tables, exponent, batchTokens, batches } = options;
  if (tables.length === 0 || tables.some((t) => t.length === 0)) throw new SimError('zipfBatches: tables: expected at least one layer with at least one head');
  if (!Number.isInteger(batchTokens) || batchTokens < 1) throw new SimError(`zipfBatches: batchTokens: expected a positive integer, got ${showValue(batchTokens)}`);
  if (!Number.isInteger(batches) || batches < 0) throw new SimError(`zipfBatches: batches: expected a non-negative integer, got ${showValue(batches)}`);
  const tablesRng = new Rng(options.tableSeed ?? 'zipf-tables');
  const samplers = new Map<number, ZipfSampler>();
  const heads: { sampler: ZipfSampler; rows: number; a: number; b: number; base: number }[][] = [];
  let base = 0;
  for (const [l, layer] of tables.entries()) {
    const row: (typeof heads)[number] = [];
    for (const [h, rows] of layer.entries()) {
      if (!Number.isInteger(rows) || rows < 1 || rows > 2 ** 32) throw new SimError(`zipfBatches: tables[${l}][${h}]: expected a row count in [1, 2^32], got ${showValue(rows)}`);
      let sampler = samplers.get(rows);
      if (sampler === undefined) samplers.set(rows, (sampler = new ZipfSampler(rows, exponent)));
      const perm = tablesRng.child(`permutation/${l}/${h}`);
      // a must be coprime to rows: retry until gcd is 1 (rows are usually prime, so the first try works).
      let a = 1 + perm.nextInt(Math.max(1, rows - 1));
      while (gcd(a, rows) !== 1) a = 1 + perm.nextInt(Math.max(1, rows - 1));
      row.push({ sampler, rows, a, b: perm.nextInt(rows), base });
      base += rows;
    }
    heads.push(row);
  }
  if (base > 2 ** 32) throw new SimError(`zipfBatches: tables: expected at most 2^32 rows in all (ids are Uint32), got ${base}`);
  const draw = new Rng(options.seed).child('lookups');
  for (let batch = 0; batch < batches; batch++) {
    const layer = heads[batch % heads.length]!;
    const out = new Uint32Array(batchTokens * layer.length);
    let i = 0;
    for (let t = 0; t < batchTokens; t++) {
      for (const head of layer) {
        const rank = head.sampler.sample(draw);
        out[i++] = head.base + ((mulMod(head.a, rank - 1, head.rows) + head.b) % head.rows);
      }
    }
    yield out;
  }
}

function gcd(x: number, y: number): number {
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
