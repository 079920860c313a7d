// Cost of Engram's key/value projection (arXiv 2601.07372 §2.4, facts.md §A7): the memory vector
// e [T x d_mem] times one W_V and M branch keys W_K^(m), fused into ONE GEMM of N = (M + 1) x hidden,
// against M + 1 separate GEMMs of N = hidden run back to back on the same target.
//   d_mem = config.derived.engramHiddenSize, hidden = config.backbone.hiddenSize, M = config.backbone.hcMult.
// The unfused side pays neither kernel-launch gaps nor gains from running its GEMMs concurrently: both
// are left out, so the speed-up is what fusion buys in tiles, folds and bytes alone.
import { ModelError, showValue } from '../core/index.ts';
import type { ComputeDtype, EngramConfig, ResolvedTarget } from '../spec/index.ts';
import { gemmCost } from './costModel.ts';
import type { GemmBound, GemmCost, GemmCostOptions, GemmShape } from './types.ts';

/** T = 1, 2, 4, ..., 16384 tokens: decode-sized batches up to long prefill chunks. */
export const ENGRAM_SWEEP_TOKENS: readonly number[] = Object.freeze(Array.from({ length: 15 }, (_, i) => 2 ** i));

export interface EngramProjectionShapes {
  readonly dMem: number;
  readonly hidden: number;
  /** M + 1: one value projection plus M branch keys. */
  readonly projections: number;
  readonly fused: GemmShape;
  /** One of the M + 1 identical separate GEMMs. */
  readonly unfusedEach: GemmShape;
}

export interface UnfusedCost {
  readonly gemms: number;
  readonly each: GemmCost;
  readonly timeNs: number;
  readonly cycles: number;
  readonly utilisationPct: number;
  readonly bound: GemmBound;
  readonly dramBytes: number;
}

export interface EngramProjectionCost {
  readonly config: string;
  readonly target: string;
  readonly tokens: number;
  readonly shapes: EngramProjectionShapes;
  readonly fused: GemmCost;
  readonly unfused: UnfusedCost;
  /** unfused time / fused time. */
  readonly speedup: number;
}

export function engramProjectionShapes(config: EngramConfig, tokens: number, dtype: ComputeDtype): EngramProjectionShapes {
  if (!Number.isSafeInteger(tokens) || tokens < 1) throw new ModelError(`engramProjectionShapes: tokens: expected a positive integer, got ${showValue(tokens)}`);
  const dMem = config.derived.engramHiddenSize;
  const hidden = config.backbone.hiddenSize;
  const projections = config.backbone.hcMult + 1;
  return {
    dMem,
    hidden,
    projections,
    fused: { m: tokens, n: projections * hidden, k: dMem, dtype },
    unfusedEach: { m: tokens, n: hidden, k: dMem, dtype },
  };
}

export function engramProjectionCost(
  config: EngramConfig,
  target: ResolvedTarget,
  tokens: number,
  dtype: ComputeDtype,
  options: GemmCostOptions = {},
): EngramProjectionCost {
  const shapes = engramProjectionShapes(config, tokens, dtype);
  const fused = gemmCost(shapes.fused, target, options);
  const each = gemmCost(shapes.unfusedEach, target, options);
  const gemms = shapes.projections;
  const timeNs = gemms * each.timeNs;
  const unfused: UnfusedCost = {
    gemms,
    each,
    timeNs,
    cycles: gemms * each.cycles,
    // Same FLOPs and peak as one GEMM, so the back-to-back utilisation is that of each.
    utilisationPct: each.utilisationPct,
    bound: each.bound,
    dramBytes: gemms * each.dram.totalBytes,
  };
  return { config: config.name, target: target.name, tokens, shapes, fused, unfused, speedup: timeNs / fused.timeNs };
}

/** Fused against unfused for each token count (default T = 1..16384 in powers of two). */
export function engramProjectionSweep(
  config: EngramConfig,
  target: ResolvedTarget,
  dtype: ComputeDtype,
  options: GemmCostOptions = {},
  tokens: readonly number[] = ENGRAM_SWEEP_TOKENS,
): EngramProjectionCost[] {
  return tokens.map((t) => engramProjectionCost(config, target, t, dtype, options));
}
