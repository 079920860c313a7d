// The co-simulation environment's randomness and memory contents in TypeScript, bit-identical to
// sim/harness/hg_env.h: the cycle model replays the harness's coin draws, and the checks recompute the
// row data the memory model returned. 32-bit integer arithmetic only (Math.imul), so it is fast.
import { SimError, showValue } from '../core/index.ts';
import type { EnvConfig } from './types.ts';

/** triple32 (Chris Wellons, "Prospecting for Hash Functions", 2018): a full-avalanche 32-bit mixer. */
export function triple32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 17;
  x = Math.imul(x, 0xed5ad4bb);
  x ^= x >>> 11;
  x = Math.imul(x, 0xac4c1b51);
  x ^= x >>> 15;
  x = Math.imul(x, 0x31848bab);
  x ^= x >>> 14;
  return x >>> 0;
}

/** A Weyl sequence through triple32: the harness's one random stream (hg::Rng). */
export class HarnessRng {
  constructor(private state: number) {
    this.state = state >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    return triple32(this.state);
  }
}

/** 32-bit word `word` of the row at byte address hi·2^32 + lo (hg::row_word). */
export function rowWord(addrLo: number, addrHi: number, word: number): number {
  return triple32(addrLo ^ Math.imul(addrHi, 0x85ebca6b) ^ Math.imul(word + 1, 0x9e3779b9));
}

/**
 * The coin threshold for a probability: a coin fires when a draw is below it. Probabilities are given in
 * [0, 1); the threshold is round(p · 2^32), so 0 never fires.
 */
export function coinThreshold(field: string, probability: number): number {
  if (!Number.isFinite(probability) || probability < 0 || probability >= 1) {
    throw new SimError(`${field}: expected a probability in [0, 1), got ${showValue(probability)}`);
  }
  return Math.min(0xffffffff, Math.round(probability * 2 ** 32));
}

/** The harness's set-env arguments in order (hg::set_env): seed, the four coin thresholds, latency, ports, logging. */
export function envWords(env: EnvConfig): [number, number, number, number, number, number, number, number] {
  return [
    env.seed >>> 0,
    coinThreshold('inputGapProb', env.inputGapProb),
    coinThreshold('outputStallProb', env.outputStallProb),
    coinThreshold('requestStallProb', env.requestStallProb),
    coinThreshold('responseStallProb', env.responseStallProb),
    env.memLatencyCycles,
    env.activePorts,
    env.logRequests ? 1 : 0,
  ];
}
