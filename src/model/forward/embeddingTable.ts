// The per-layer Engram embedding table (engram-spec.md §4): Σ primes rows of D_h values, N(0,1) init.
// A virtual table computes any row on demand, so 100B-parameter tables need no memory.
import { ModelError, Rng, showValue } from '../../core/index.ts';

/**
 * Contract: `gatherInto(rowIds, out)` copies row `rowIds[i]` into `out[i*dim .. (i+1)*dim)` for every i,
 * throws ModelError for a row id outside [0, rows) or an `out` of the wrong length, and never
 * changes the table. Two tables with equal rows, dim and contents gather identically.
 */
export interface EmbeddingTable {
  readonly kind: 'materialized' | 'virtual';
  readonly rows: number;
  readonly dim: number;
  gatherInto(rowIds: Int32Array | ArrayLike<number>, out: Float32Array): void;
}

/** What a generated table's contents depend on: the config seed and the Engram layer. */
export interface TableSeed {
  readonly seed: number;
  readonly layerId: number;
}

const TWO_POW_32 = 4294967296;
const GOLDEN_GAMMA_32 = 0x9e3779b9;

/** lowbias32 (C. Wellons, "Prospecting for hash functions", 2018): a 32-bit bijection with low bias. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

function checkGather(fn: string, rows: number, dim: number, rowIds: ArrayLike<number>, out: Float32Array): void {
  if (out.length !== rowIds.length * dim) {
    throw new ModelError(`${fn}: out: expected length rowIds.length * dim = ${rowIds.length} * ${dim} = ${rowIds.length * dim}, got ${out.length}`);
  }
  for (let i = 0; i < rowIds.length; i++) {
    const row = rowIds[i]!;
    if (!(Number.isInteger(row) && row >= 0 && row < rows)) {
      throw new ModelError(`${fn}: rowIds[${i}]: expected an integer row id in [0, ${rows - 1}], got ${showValue(row)}`);
    }
  }
}

function checkShape(fn: string, rows: number, dim: number): void {
  if (!Number.isSafeInteger(rows) || rows < 1) throw new ModelError(`${fn}: rows: expected a positive integer, got ${showValue(rows)}`);
  if (!Number.isSafeInteger(dim) || dim < 1) throw new ModelError(`${fn}: dim: expected a positive integer, got ${showValue(dim)}`);
}

/**
 * A table whose value (row, column) is a pure function of (seed, layerId, row, column), computed on
 * gather. Distribution: columns 2p and 2p+1 of a row are the Box-Muller pair (r·cos θ, r·sin θ) with
 * r = sqrt(-2 ln u1), θ = 2π u2, where u1 = (a+1)/2^32 ∈ (0, 1] and u2 = b/2^32 come from two 32-bit
 * counter hashes a, b of (row key, 2p) and (row key, 2p+1). So each value is N(0,1) up to the 2^-32
 * uniform grid (|z| ≤ 6.66), then rounded to fp32. The row key hashes the row id's two 32-bit halves
 * with keys drawn from `new Rng(seed).child("engram-table/layer-<layerId>")`.
 */
export class VirtualTable implements EmbeddingTable {
  readonly kind = 'virtual';
  private readonly k0: number;
  private readonly k1: number;
  private readonly k2: number;

  constructor(
    readonly rows: number,
    readonly dim: number,
    readonly tableSeed: TableSeed,
  ) {
    checkShape('VirtualTable', rows, dim);
    const rng = new Rng(tableSeed.seed).child(`engram-table/layer-${tableSeed.layerId}`);
    this.k0 = rng.nextUint32();
    this.k1 = rng.nextUint32();
    this.k2 = rng.nextUint32();
  }

  /** Writes row `row` into out[offset .. offset+dim); `row` is not range-checked here. */
  fillRow(row: number, out: Float32Array, offset: number): void {
    const rowLo = row % TWO_POW_32;
    const rowHi = Math.floor(row / TWO_POW_32);
    const rowKey = mix32(mix32(rowLo ^ this.k0) ^ rowHi ^ this.k1);
    for (let col = 0; col < this.dim; col += 2) {
      // Two mixing rounds per word: rows whose keys differ by a multiple of the golden gamma must not share values.
      const a = mix32(mix32((rowKey + Math.imul(col, GOLDEN_GAMMA_32)) >>> 0) ^ this.k2);
      const b = mix32(mix32((rowKey + Math.imul(col + 1, GOLDEN_GAMMA_32)) >>> 0) ^ this.k2);
      const radius = Math.sqrt(-2 * Math.log((a + 1) / TWO_POW_32));
      const theta = (2 * Math.PI * b) / TWO_POW_32;
      out[offset + col] = radius * Math.cos(theta);
      if (col + 1 < this.dim) out[offset + col + 1] = radius * Math.sin(theta);
    }
  }

  gatherInto(rowIds: Int32Array | ArrayLike<number>, out: Float32Array): void {
    checkGather('VirtualTable.gatherInto', this.rows, this.dim, rowIds, out);
    for (let i = 0; i < rowIds.length; i++) this.fillRow(rowIds[i]!, out, i * this.dim);
  }
}

/** The largest table held in one Float32Array (V8's typed-array length limit is 2^32 - 1 elements). */
export const MAX_MATERIALIZED_VALUES = 2 ** 32 - 1;

/** A table held in memory as one row-major Float32Array; gather is a plain row copy. */
export class MaterializedTable implements EmbeddingTable {
  readonly kind = 'materialized';

  constructor(
    readonly rows: number,
    readonly dim: number,
    /** Row-major [rows][dim]. */
    readonly values: Float32Array,
  ) {
    checkShape('MaterializedTable', rows, dim);
    if (values.length !== rows * dim) {
      throw new ModelError(`MaterializedTable: values: expected length rows * dim = ${rows * dim}, got ${values.length}`);
    }
  }

  /** The virtual table evaluated eagerly, so both give identical rows for the same seed. */
  static fromVirtual(table: VirtualTable): MaterializedTable {
    const total = table.rows * table.dim;
    if (total > MAX_MATERIALIZED_VALUES) {
      throw new ModelError(`MaterializedTable.fromVirtual: rows * dim: expected at most ${MAX_MATERIALIZED_VALUES} values, got ${total}; use the VirtualTable`);
    }
    const values = new Float32Array(total);
    for (let row = 0; row < table.rows; row++) table.fillRow(row, values, row * table.dim);
    return new MaterializedTable(table.rows, table.dim, values);
  }

  /** The spec §4 default init: N(0,1) rows from (seed, layerId), the same as `new VirtualTable(...)`. */
  static normal(rows: number, dim: number, tableSeed: TableSeed): MaterializedTable {
    return MaterializedTable.fromVirtual(new VirtualTable(rows, dim, tableSeed));
  }

  gatherInto(rowIds: Int32Array | ArrayLike<number>, out: Float32Array): void {
    checkGather('MaterializedTable.gatherInto', this.rows, this.dim, rowIds, out);
    const dim = this.dim;
    for (let i = 0; i < rowIds.length; i++) {
      const start = rowIds[i]! * dim;
      out.set(this.values.subarray(start, start + dim), i * dim);
    }
  }
}
