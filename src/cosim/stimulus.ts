// Seeded token streams for the co-simulation: uniformly random compressed ids with sequence restarts,
// and the split into per-sequence arrays that the functional model hashes (each sequence padded with pad'
// at its own start, engram-spec.md §3.2, which is what the unit's first-of-sequence flag does).
import { Rng, SimError, showValue } from '../core/index.ts';
import type { TokenStream } from './types.ts';

/**
 * `tokens` ids uniform in [0, vocab), a new sequence starting with probability 1/meanSequenceLength
 * at every token (the first token always starts one).
 */
export function randomTokenStream(seed: string | number, tokens: number, vocab: number, meanSequenceLength: number): TokenStream {
  if (!Number.isSafeInteger(tokens) || tokens < 0) throw new SimError(`randomTokenStream: tokens: expected a non-negative integer, got ${showValue(tokens)}`);
  if (!Number.isInteger(vocab) || vocab < 1 || vocab > 2 ** 32) throw new SimError(`randomTokenStream: vocab: expected an integer in [1, 2^32], got ${showValue(vocab)}`);
  if (!(meanSequenceLength >= 1)) throw new SimError(`randomTokenStream: meanSequenceLength: expected at least 1, got ${showValue(meanSequenceLength)}`);
  const rng = new Rng(seed);
  const ids = new Uint32Array(tokens);
  const first = new Uint8Array(tokens);
  const restart = Math.round(2 ** 32 / meanSequenceLength);
  for (let t = 0; t < tokens; t++) {
    ids[t] = rng.nextInt(vocab);
    first[t] = t === 0 || rng.nextUint32() < restart ? 1 : 0;
  }
  return { ids, first };
}

/** Tokens [from, to) of a stream; the first token of the slice keeps its own flag. */
export function sliceStream(stream: TokenStream, from: number, to: number): TokenStream {
  return { ids: stream.ids.subarray(from, to), first: stream.first.subarray(from, to) };
}

/**
 * The stream cut at its first-of-sequence flags into the sequences the functional model hashes.
 * A stream that does not start with a flag still starts a sequence (the unit restarts after reset).
 */
export function streamSequences(stream: TokenStream): Int32Array[] {
  const sequences: Int32Array[] = [];
  let start = 0;
  for (let t = 1; t <= stream.ids.length; t++) {
    if (t === stream.ids.length || stream.first[t] === 1) {
      if (t > start) sequences.push(Int32Array.from(stream.ids.subarray(start, t)));
      start = t;
    }
  }
  return sequences;
}
