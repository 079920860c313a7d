// Inputs of the FP8 projection study for one Engram layer of a configuration (engram-spec.md §4-§5): the layer's
// weights and table as runEngramLayer builds them from the seed, memory vectors e_t of table rows, and N(0,1) h.
import { ModelError, Rng, showValue } from '../../core/index.ts';
import type { EngramConfig } from '../../spec/index.ts';
import { VirtualTable } from '../forward/embeddingTable.ts';
import { initEngramLayerParams, type EngramLayerParams } from '../forward/params.ts';
import { searchLayerPrimes } from '../hash/primes.ts';

export interface Fp8ProjectionInputOptions {
  readonly tokens: number;
  /** Engram layer whose table and weights are used; defaults to the first of config.engram.layerIds. */
  readonly layerId?: number;
  /** Seed of table, weights, row draws and hidden states; defaults to config.engram.seed. */
  readonly seed?: number;
  /** Overrides d_mem for a synthetic study: weights then follow the same init rule at this width and e is N(0,1). */
  readonly dMem?: number;
}

/**
 * - 'table': e_t concatenates one row per head of the layer's VirtualTable (spec §4 N(0,1) init, the same
 *   table runEngramLayer builds for this seed), at head indices drawn uniformly from each head's prime-sized
 *   table. The n-gram hash spreads tokens near-uniformly over a head's rows and every row has the same
 *   distribution, so drawn rows stand for hashed ones without needing a tokenizer.
 * - 'normal': e_t is iid N(0,1) rounded to float32 (with a d_mem override, which has no table geometry).
 */
export type MemorySource = 'table' | 'normal';

export interface Fp8ProjectionInput {
  readonly params: EngramLayerParams;
  /** e [T][dMem]. */
  readonly memory: Float32Array;
  /** h [T][hcMult][hiddenSize], iid N(0,1): the mocked backbone of runEngramLayer (spec §0). */
  readonly hidden: Float32Array;
  readonly numTokens: number;
  readonly layerId: number;
  readonly seed: number;
  readonly memorySource: MemorySource;
}

/** The config with only derived.engramHiddenSize changed: the one field initEngramLayerParams reads for the projection width. */
function withProjectionWidth(config: EngramConfig, dMem: number): EngramConfig {
  return Object.freeze({ ...config, derived: Object.freeze({ ...config.derived, engramHiddenSize: dMem }) });
}

export function fp8ProjectionInput(config: EngramConfig, options: Fp8ProjectionInputOptions): Fp8ProjectionInput {
  const fn = 'fp8ProjectionInput';
  const { tokens } = options;
  if (!Number.isSafeInteger(tokens) || tokens < 1) throw new ModelError(`${fn}: tokens: expected a positive integer, got ${showValue(tokens)}`);
  const layerId = options.layerId ?? config.engram.layerIds[0]!;
  if (!config.engram.layerIds.includes(layerId)) {
    throw new ModelError(`${fn}: layerId: expected one of the config's layerIds ${showValue(config.engram.layerIds)}, got ${showValue(layerId)}`);
  }
  const seed = options.seed ?? config.engram.seed;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new ModelError(`${fn}: seed: expected a non-negative integer, got ${showValue(seed)}`);
  const dMem = options.dMem ?? config.derived.engramHiddenSize;
  if (!Number.isSafeInteger(dMem) || dMem < 1) throw new ModelError(`${fn}: dMem: expected a positive integer, got ${showValue(dMem)}`);
  const synthetic = options.dMem !== undefined && dMem !== config.derived.engramHiddenSize;

  // The same streams as runEngramLayer, so the weights are the forward's weights for this seed and layer.
  const root = new Rng(seed).child(`engram-layer/${layerId}`);
  const params = initEngramLayerParams(synthetic ? withProjectionWidth(config, dMem) : config, layerId, root.child('params'));
  const memory = new Float32Array(tokens * dMem);
  if (synthetic) {
    const rng = root.child('fp8-projection/memory');
    for (let i = 0; i < memory.length; i++) memory[i] = rng.nextNormal();
  } else {
    gatherTableRows(config, layerId, seed, tokens, root.child('fp8-projection/rows'), memory);
  }
  const hidden = new Float32Array(tokens * params.hcMult * params.hiddenSize);
  const h = root.child('fp8-projection/hidden');
  for (let i = 0; i < hidden.length; i++) hidden[i] = h.nextNormal();
  return Object.freeze({ params, memory, hidden, numTokens: tokens, layerId, seed, memorySource: synthetic ? 'normal' : 'table' });
}

function gatherTableRows(config: EngramConfig, layerId: number, seed: number, tokens: number, rng: Rng, out: Float32Array): void {
  const { layerIds, maxNgramSize, nHeadPerNgram, engramVocabSize } = config.engram;
  const primes = searchLayerPrimes({ layerIds, maxNgramSize, nHeadPerNgram, engramVocabSize }).get(layerId)!;
  const rowOffsets: number[] = [];
  let totalRows = 0;
  for (const p of primes) {
    rowOffsets.push(totalRows);
    totalRows += p;
  }
  const heads = primes.length;
  const rowIds = new Int32Array(tokens * heads);
  for (let t = 0; t < tokens; t++) {
    for (let h = 0; h < heads; h++) rowIds[t * heads + h] = rowOffsets[h]! + rng.nextInt(primes[h]!);
  }
  new VirtualTable(totalRows, config.derived.headDim, { seed, layerId }).gatherInto(rowIds, out);
}
