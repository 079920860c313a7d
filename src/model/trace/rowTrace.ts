// Turns per-sequence hash outputs into one token stream per layer and into absolute table rows
// (spec §4: row = head index z + the head's offset in the layer's concatenated table).
import { ModelError } from '../../core/index.ts';

/** Concatenates per-sequence [t][head] head indices in stream order. */
export function concatSequences(perSequence: readonly Int32Array[]): Int32Array {
  const total = perSequence.reduce((a, s) => a + s.length, 0);
  const out = new Int32Array(total);
  let at = 0;
  for (const seq of perSequence) {
    out.set(seq, at);
    at += seq.length;
  }
  return out;
}

/** Absolute row ids (z + rowOffsets[head]) for head indices laid out [t][head]. */
export function absoluteRowIds(headIndices: Int32Array, rowOffsets: readonly number[]): Uint32Array {
  const heads = rowOffsets.length;
  if (heads === 0 || headIndices.length % heads !== 0) {
    throw new ModelError(`absoluteRowIds: headIndices: expected a length divisible by ${heads} heads, got ${headIndices.length}`);
  }
  const out = new Uint32Array(headIndices.length);
  for (let i = 0; i < headIndices.length; i += heads) {
    for (let h = 0; h < heads; h++) out[i + h] = headIndices[i + h]! + rowOffsets[h]!;
  }
  return out;
}
