// Row ids the Engram layers fetch in each step of a schedule: every sequence's token ids (bench.py's random
// prompt ids, then generated ids) hashed once by the model's n-gram hash (engram-spec.md §3), then sliced by
// the positions a step computes. bench.py's ids are uniform random ids with no text behind them, so they are
// hashed as compressed ids (identity compression over tokenIdMax + 1 ids); generated ids are drawn the same way.
import { Rng } from '../core/index.ts';
import { buildHashMapping, hashBatch, hashMappingParams } from '../model/index.ts';
import type { BenchWorkload } from './benchWorkload.ts';
import type { EngramPlacement } from './engramLayer.ts';
import type { ScheduledStep } from './scheduler.ts';

export interface EngramRowSource {
  /** Absolute row ids (within the layer's packed table) of a step's tokens for the k-th Engram layer. */
  stepRows(step: ScheduledStep, layerIndex: number): Uint32Array;
}

/** Distinct values of a row-id batch (sort, then count runs; the input is left unchanged). */
export function countUnique(rows: Uint32Array): number {
  if (rows.length === 0) return 0;
  const sorted = Uint32Array.from(rows).sort();
  let unique = 1;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) unique++;
  return unique;
}

/**
 * Hashes every sequence in full (prompt + max_tokens generated ids), so any step's rows are a slice.
 * `seed` drives the generated ids (core Rng child "generated-tokens").
 */
export function hashedRowSource(workload: BenchWorkload, placement: EngramPlacement, seed: number): EngramRowSource {
  const config = placement.config;
  const vocab = workload.spec.tokenIdMax + 1;
  const mapping = buildHashMapping(hashMappingParams(config, vocab, config.engram.padId));
  const rng = new Rng(seed).child('generated-tokens');
  const sequences = workload.promptTokenIds.map((prompt, s) => {
    const ids = new Int32Array(prompt.length + workload.maxTokens[s]!);
    ids.set(prompt);
    for (let t = prompt.length; t < ids.length; t++) ids[t] = rng.nextInt(vocab);
    return ids;
  });
  const hashed = hashBatch(mapping, sequences);
  const heads = placement.rowsPerToken;
  const perLayer = mapping.layers.map((layer) => ({ offsets: layer.rowOffsets, rows: hashed.get(layer.layerId)! }));
  const byPlacement = placement.layerIds.map((id) => perLayer[mapping.layers.findIndex((l) => l.layerId === id)]!);
  return {
    stepRows(step: ScheduledStep, layerIndex: number): Uint32Array {
      const { offsets, rows } = byPlacement[layerIndex]!;
      const out = new Uint32Array(step.numTokens * heads);
      let k = 0;
      for (let i = 0; i < step.seqs.length; i++) {
        const seqRows = rows[step.seqs[i]!]!;
        const first = step.firstPos[i]!;
        const end = first + step.newTokens[i]!;
        for (let t = first; t < end; t++) {
          for (let h = 0; h < heads; h++) out[k++] = offsets[h]! + seqRows[t * heads + h]!;
        }
      }
      return out;
    },
  };
}
