// The memory vectors e_t of one sequence (engram-spec.md §4): input checks and the table gather,
// shared by the tfjs forward and the float64 reference so both see the same e_t.
import { ModelError } from '../../core/index.ts';
import type { EmbeddingTable } from './embeddingTable.ts';
import type { EngramLayerParams } from './params.ts';

/** Checks the shapes of one sequence's inputs and returns e [T][engramHiddenSize] (heads concatenated). */
export function gatherMemory(fn: string, params: EngramLayerParams, table: EmbeddingTable, rowIds: Int32Array, hidden: Float32Array, numTokens: number): Float32Array {
  if (!Number.isInteger(numTokens) || numTokens < 0) throw new ModelError(`${fn}: numTokens: expected a non-negative integer, got ${numTokens}`);
  if (params.engramHiddenSize % table.dim !== 0) {
    throw new ModelError(`${fn}: table.dim: expected a divisor of engramHiddenSize ${params.engramHiddenSize}, got ${table.dim}`);
  }
  const heads = params.engramHiddenSize / table.dim;
  if (rowIds.length !== numTokens * heads) {
    throw new ModelError(`${fn}: rowIds: expected length numTokens * heads = ${numTokens} * ${heads} = ${numTokens * heads}, got ${rowIds.length}`);
  }
  const hiddenLength = numTokens * params.hcMult * params.hiddenSize;
  if (hidden.length !== hiddenLength) {
    throw new ModelError(`${fn}: hidden: expected length numTokens * hcMult * hiddenSize = ${hiddenLength}, got ${hidden.length}`);
  }
  // [T][heads][D_h] is already e_t flattened head-major (spec §4).
  const memory = new Float32Array(numTokens * params.engramHiddenSize);
  table.gatherInto(rowIds, memory);
  return memory;
}
