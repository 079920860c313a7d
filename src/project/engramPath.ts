// The Engram path of one step (arXiv 2601.07372 §2.5, §6.4; issue 6 §2): hash on the host (or on an on-device
// hash/gather unit), gather from the tier, transfer over the link, all started when the step's device work
// starts, in layer order; each Engram layer waits for its rows when the device reaches it. Exposed time = the
// waits that the blocks before the layer could not hide, plus one synchronisation per layer (none when the whole
// table sits in the HBM cache: then no row crosses the host link).
import type { ServingCalibration } from '../spec/index.ts';
import { engramComputeNs, type EngramPlacement } from './engramLayer.ts';
import type { GpuCostContext, StepGpuCost } from './stepCost.ts';
import type { ScheduledStep } from './scheduler.ts';

/**
 * Cycles from a token entering the hash/gather unit to its row requests, besides memory latency: the lone-token
 * latency 11 + max(1, ceil(heads / ports) - 1) of rtl/README.md (checked on the RTL by test/cosim).
 */
export function hashUnitFillCycles(ports: number, heads: number): number {
  return 11 + Math.max(1, Math.ceil(heads / ports) - 1);
}

/**
 * Time to hash `tokens` tokens of `heads` head lookups each: on the host at its measured rate, or on the
 * on-device unit at min(1, ports / heads) tokens per cycle (rtl/README.md; src/cosim/throughput.ts) plus its fill.
 */
export function hashNs(serving: ServingCalibration, tokens: number, heads: number): number {
  const unit = serving.engram.hashUnit;
  if (unit === undefined) return ((tokens * heads) / serving.engram.hostHashHeadIndicesPerS) * 1e9;
  if (tokens === 0) return 0;
  const tokensPerCycle = Math.min(1, unit.ports / heads);
  return ((tokens / tokensPerCycle + hashUnitFillCycles(unit.ports, heads)) * 1e3) / unit.clockMHz;
}

/** Every row of the table fits in the HBM hot-row cache, so no step reads through the host. */
export function tableResidentInHbm(placement: EngramPlacement): boolean {
  return placement.hbmCacheBytes >= placement.tableBytes;
}

export interface StepEngramCost {
  readonly rows: number;
  readonly bytes: number;
  readonly hashNs: number;
  /** Tier reads and link transfer summed over layers. */
  readonly gatherNs: number;
  /** Blocks before the first Engram layer: the window that hides its fetch. */
  readonly windowNs: number;
  /** Device waits for rows that were not yet there. */
  readonly stallNs: number;
  readonly syncNs: number;
  /** The Engram layers' own device work (projection, gate, conv). */
  readonly computeNs: number;
  /** stallNs + syncNs: time the step gains from the Engram fetch. */
  readonly exposedNs: number;
}

/**
 * `gatherNsPerLayer[k]` is the gather time of this step's rows for the k-th Engram layer (from an
 * EngramGatherModel); everything else follows from the placement, the device costs and the calibration.
 */
export function stepEngramCost(
  ctx: GpuCostContext,
  placement: EngramPlacement,
  step: ScheduledStep,
  gpu: StepGpuCost,
  gatherNsPerLayer: readonly number[],
): StepEngramCost {
  const tokens = step.numTokens;
  const rowsPerLayer = tokens * placement.rowsPerToken;
  const hashNsPerLayer = hashNs(ctx.serving, tokens, placement.rowsPerToken);
  const computePerLayerNs = engramComputeNs(ctx, placement, tokens);
  let readyNs = 0;
  // The device starts with the embedding; blocksBeforeNs(k) - blocksBeforeNs(0) is blocks 0..k-1.
  let deviceNs = gpu.blocksBeforeNs(0);
  let reachedBlock = 0;
  let stallNs = 0;
  for (const [k, layer] of placement.layerIds.entries()) {
    readyNs += hashNsPerLayer + gatherNsPerLayer[k]!;
    deviceNs += gpu.blocksBeforeNs(layer) - gpu.blocksBeforeNs(reachedBlock);
    reachedBlock = layer;
    const wait = Math.max(0, readyNs - deviceNs);
    stallNs += wait;
    deviceNs += wait + computePerLayerNs;
  }
  const layers = placement.layerIds.length;
  // The synchronisation belongs to rows crossing the host link (the host gather and the copy the device waits
  // for). A table held whole in the HBM cache has no host path: the layer reads its rows from HBM like a weight.
  const syncNs = tableResidentInHbm(placement) ? 0 : layers * ctx.serving.engram.syncNs;
  return {
    rows: rowsPerLayer * layers,
    bytes: rowsPerLayer * layers * placement.rowBytes,
    hashNs: hashNsPerLayer * layers,
    gatherNs: gatherNsPerLayer.reduce((a, b) => a + b, 0),
    windowNs: gpu.blocksBeforeNs(placement.layerIds[0]!),
    stallNs,
    syncNs,
    computeNs: computePerLayerNs * layers,
    exposedNs: stallNs + syncNs,
  };
}
