// One Engram layer end to end from hashed head indices (engram-spec.md §4-§7), with the backbone mocked
// as the demo does (spec §0): table and parameters from the config seed, pseudo hidden states N(0,1).
import { ModelError, Rng, showValue } from '../../core/index.ts';
import type { EngramConfig } from '../../spec/index.ts';
import type { ForwardBackend, TfBackendName } from './backend.ts';
import { MaterializedTable, VirtualTable, type EmbeddingTable } from './embeddingTable.ts';
import { engramForward } from './engramForward.ts';
import { initEngramLayerParams } from './params.ts';

/** Tables above this many values (256 MiB in fp32) are virtual; the demo's 10.3M x 64 already is. */
export const VIRTUAL_TABLE_THRESHOLD_VALUES = 64 * 2 ** 20;

export interface EngramLayerRunInput {
  readonly config: EngramConfig;
  readonly layerId: number;
  /** Table size per head, orders 2..N then heads (the hash mapping's `primes` for this layer). */
  readonly primes: readonly number[];
  /** Exclusive prefix sums of `primes` (the hash mapping's `rowOffsets`). */
  readonly rowOffsets: readonly number[];
  /** Per sequence, head indices z laid out [t][order][head], as the n-gram hash returns them. */
  readonly headIndices: readonly Int32Array[];
  /** Seed of table, parameters and pseudo hidden states; defaults to config.engram.seed. */
  readonly seed?: number;
  /** Override of VIRTUAL_TABLE_THRESHOLD_VALUES (e.g. to force either kind in a test). */
  readonly virtualThresholdValues?: number;
}

export interface EngramSequenceRun {
  readonly numTokens: number;
  /** Absolute table rows [T][heads] = z + rowOffsets[head]. */
  readonly rowIds: Int32Array;
  /** Gate α [T][hcMult]. */
  readonly alpha: Float32Array;
  /** Module output Y [T][hcMult][hiddenSize]. */
  readonly output: Float32Array;
}

export interface EngramLayerRun {
  readonly backend: TfBackendName;
  readonly tableKind: EmbeddingTable['kind'];
  readonly tableRows: number;
  readonly seed: number;
  readonly sequences: readonly EngramSequenceRun[];
}

function checkLayout(config: EngramConfig, primes: readonly number[], rowOffsets: readonly number[]): number {
  const heads = config.derived.headsPerLayer;
  if (primes.length !== heads) throw new ModelError(`runEngramLayer: primes: expected ${heads} entries (one per head), got ${primes.length}`);
  if (rowOffsets.length !== heads) throw new ModelError(`runEngramLayer: rowOffsets: expected ${heads} entries (one per head), got ${rowOffsets.length}`);
  let total = 0;
  for (let h = 0; h < heads; h++) {
    if (rowOffsets[h] !== total) throw new ModelError(`runEngramLayer: rowOffsets[${h}]: expected the sum of primes[0..${h - 1}] = ${total}, got ${showValue(rowOffsets[h])}`);
    const p = primes[h]!;
    if (!Number.isSafeInteger(p) || p < 1) throw new ModelError(`runEngramLayer: primes[${h}]: expected a positive integer, got ${showValue(p)}`);
    total += p;
  }
  // Row ids travel as Int32Array, as the hash produces them.
  if (total > 2 ** 31 - 1) throw new ModelError(`runEngramLayer: primes: expected at most 2^31-1 rows in total, got ${total}`);
  return total;
}

function absoluteRows(b: number, z: Int32Array, primes: readonly number[], rowOffsets: readonly number[]): Int32Array {
  const heads = primes.length;
  if (z.length % heads !== 0) throw new ModelError(`runEngramLayer: headIndices[${b}]: expected a length that is a multiple of ${heads} heads, got ${z.length}`);
  const rows = new Int32Array(z.length);
  for (let i = 0; i < z.length; i++) {
    const h = i % heads;
    const zi = z[i]!;
    if (zi < 0 || zi >= primes[h]!) {
      throw new ModelError(`runEngramLayer: headIndices[${b}][${Math.floor(i / heads)}][${h}]: expected a head index in [0, ${primes[h]! - 1}], got ${zi}`);
    }
    rows[i] = zi + rowOffsets[h]!;
  }
  return rows;
}

/** Builds the layer's table (virtual above the threshold), parameters and pseudo hidden states, then runs every sequence. */
export function runEngramLayer(backend: ForwardBackend, input: EngramLayerRunInput): EngramLayerRun {
  const { config, layerId, primes, rowOffsets } = input;
  const seed = input.seed ?? config.engram.seed;
  const tableRows = checkLayout(config, primes, rowOffsets);
  const dim = config.derived.headDim;
  const threshold = input.virtualThresholdValues ?? VIRTUAL_TABLE_THRESHOLD_VALUES;
  const tableSeed = { seed, layerId };
  const table: EmbeddingTable = tableRows * dim > threshold ? new VirtualTable(tableRows, dim, tableSeed) : MaterializedTable.normal(tableRows, dim, tableSeed);

  const root = new Rng(seed).child(`engram-layer/${layerId}`);
  const params = initEngramLayerParams(config, layerId, root.child('params'));
  const heads = config.derived.headsPerLayer;
  const branchValues = config.backbone.hcMult * config.backbone.hiddenSize;

  const sequences = input.headIndices.map((z, b): EngramSequenceRun => {
    const rowIds = absoluteRows(b, z, primes, rowOffsets);
    const numTokens = z.length / heads;
    // Mocked backbone: every (t, branch, d) of h is an independent N(0,1) draw, one stream per sequence.
    const rng = root.child(`hidden/${b}`);
    const hidden = new Float32Array(numTokens * branchValues);
    for (let i = 0; i < hidden.length; i++) hidden[i] = rng.nextNormal();
    const { output, alpha } = engramForward(backend, params, table, rowIds, hidden, numTokens);
    return { numTokens, rowIds, alpha, output };
  });
  return { backend: backend.name, tableKind: table.kind, tableRows, seed, sequences };
}
