// One serving run (issue 6 §2): size the KV cache, run nano-vLLM's schedule to completion, cost every step on
// the device (stepCost.ts) and the host (hostOverhead.ts), and with an Engram placement add each step's Engram
// path (engramPath.ts). Throughput is bench.py's: output tokens over the wall time, prefill included.
import { NS_PER_S, memoBounded, memoOwned } from '../core/index.ts';
import type { Backbone } from '../spec/index.ts';
import type { BenchWorkload } from './benchWorkload.ts';
import { engramGatherTimes, type GatherPlan, type GatherSampling } from './gatherSampling.ts';
import type { EngramPlacement } from './engramLayer.ts';
import { stepEngramCost } from './engramPath.ts';
import { stepHostCost } from './hostOverhead.ts';
import { kvCacheFreeBytes, kvCacheSizing, type KvCacheOptions, type KvCacheSizing } from './kvCache.ts';
import { NANO_VLLM_LIMITS, simulateSchedule, type ScheduleResult, type SchedulerLimits } from './scheduler.ts';
import { gpuCostContext, stepGpuCost, type GpuCostContext, type StepGpuCost } from './stepCost.ts';
import type { ServingSystem } from './system.ts';

export interface EngineSettings {
  readonly maxNumSeqs: number;
  readonly maxNumBatchedTokens: number;
  readonly blockSize: number;
  readonly gpuMemoryUtilization: number;
  /** bench.py's LLM(..., max_model_len=4096). */
  readonly maxModelLen: number;
}

export const BENCH_ENGINE: EngineSettings = Object.freeze({ ...NANO_VLLM_LIMITS, maxModelLen: 4096 });

export interface EngramRunOptions {
  readonly placement: EngramPlacement;
  readonly gather: GatherPlan;
}

/** Where one phase's wall time goes; the fields sum to totalNs. */
export interface PhaseBreakdown {
  readonly steps: number;
  readonly tokens: number;
  readonly gemmNs: number;
  readonly attentionNs: number;
  readonly elementwiseNs: number;
  readonly lmHeadNs: number;
  readonly samplerNs: number;
  /** Eager prefill steps whose Python launches outlast their kernels. */
  readonly launchBoundNs: number;
  readonly hostLaunchNs: number;
  readonly hostSyncNs: number;
  readonly hostSchedulerNs: number;
  readonly hostPrefillPrepNs: number;
  readonly engramComputeNs: number;
  readonly engramStallNs: number;
  readonly engramSyncNs: number;
  readonly totalNs: number;
}

export interface EngramRunSummary {
  readonly config: string;
  readonly layerIds: readonly number[];
  readonly rowsPerToken: number;
  readonly rowBytes: number;
  readonly tableBytes: number;
  readonly rows: number;
  readonly bytes: number;
  readonly hashNs: number;
  readonly gatherNs: number;
  /** Mean over decode steps of the fetch (hash + gather) and of the window of blocks before the first Engram layer. */
  readonly meanDecodeFetchNs: number;
  readonly meanDecodeWindowNs: number;
  readonly meanPrefillFetchNs: number;
  readonly meanPrefillWindowNs: number;
  /** Steps whose fetch outlasted the window. */
  readonly stalledSteps: number;
  readonly gatherModel: string;
  readonly sampling: GatherSampling | null;
}

export interface ServingRun {
  readonly backbone: string;
  readonly target: string;
  readonly engine: EngineSettings;
  readonly kvCache: KvCacheSizing;
  readonly schedule: {
    readonly prefillSteps: number;
    readonly decodeSteps: number;
    readonly preemptions: number;
    readonly recomputedTokens: number;
    readonly peakUsedBlocks: number;
    readonly meanDecodeBatch: number;
    /** Scheduled sequences summed over all steps (what per-sequence host time multiplies). */
    readonly scheduledSeqSteps: number;
  };
  readonly outputTokens: number;
  readonly promptTokens: number;
  readonly wallNs: number;
  readonly tokPerS: number;
  readonly prefill: PhaseBreakdown;
  readonly decode: PhaseBreakdown;
  readonly engram: EngramRunSummary | null;
}

type MutablePhase = { -readonly [K in keyof PhaseBreakdown]: PhaseBreakdown[K] };

function emptyPhase(): MutablePhase {
  return {
    steps: 0,
    tokens: 0,
    gemmNs: 0,
    attentionNs: 0,
    elementwiseNs: 0,
    lmHeadNs: 0,
    samplerNs: 0,
    launchBoundNs: 0,
    hostLaunchNs: 0,
    hostSyncNs: 0,
    hostSchedulerNs: 0,
    hostPrefillPrepNs: 0,
    engramComputeNs: 0,
    engramStallNs: 0,
    engramSyncNs: 0,
    totalNs: 0,
  };
}

function kvOptions(engine: EngineSettings, placement: EngramPlacement | null): KvCacheOptions {
  return {
    blockSize: engine.blockSize,
    gpuMemoryUtilization: engine.gpuMemoryUtilization,
    maxNumBatchedTokens: engine.maxNumBatchedTokens,
    maxNumSeqs: engine.maxNumSeqs,
    maxModelLen: engine.maxModelLen,
    extraDeviceBytes: placement?.deviceBytes ?? 0,
    extraActivationBytesPerToken: placement?.activationBytesPerToken ?? 0,
  };
}

/**
 * Why `backbone` (with `placement`'s device bytes) cannot be served on the system's device, or null when at least
 * one KV block remains after weights, runtime reservation and warm-up activations.
 */
export function servingMisfit(system: ServingSystem, backbone: Backbone, engine: EngineSettings, placement: EngramPlacement | null): string | null {
  const room = kvCacheFreeBytes(backbone, system.serving, kvOptions(engine, placement));
  const blockBytes = engine.blockSize * backbone.derived.kvBytesPerToken;
  if (room.freeBytes >= blockBytes) return null;
  return (
    `${backbone.name} does not fit ${system.target.name}: ${(backbone.derived.weightBytes / 1e9).toFixed(1)} GB of weights, ` +
    `${(room.activationPeakBytes / 1e9).toFixed(1)} GB of warm-up activations and ${((placement?.deviceBytes ?? 0) / 1e9).toFixed(2)} GB of Engram buffers ` +
    `leave ${(room.freeBytes / 1e9).toFixed(1)} GB of the ${(room.budgetBytes / 1e9).toFixed(1)} GB budget, less than one KV block`
  );
}

/**
 * Schedules already computed for a workload, by the limits that decide them (the schedule does not depend on
 * step times, scheduler.ts): sweep points and a row's two runs that leave the KV cache the same number of blocks
 * share one. At most SCHEDULES_PER_WORKLOAD per workload (oldest dropped first), freed with the workload.
 */
const schedules = new WeakMap<BenchWorkload, Map<string, ScheduleResult>>();
const SCHEDULES_PER_WORKLOAD = 16;

function scheduleOf(workload: BenchWorkload, limits: SchedulerLimits): ScheduleResult {
  const key = `${limits.maxNumSeqs}/${limits.maxNumBatchedTokens}/${limits.blockSize}/${limits.numKvBlocks}`;
  return memoOwned(schedules, workload, key, SCHEDULES_PER_WORKLOAD, () =>
    simulateSchedule(Array.from(workload.promptLens, (promptLen, s) => ({ promptLen, maxTokens: workload.maxTokens[s]! })), limits),
  );
}

/**
 * The pricing of steps (backbone, target, calibration, graph sizes) and what it has computed: its GEMM memos
 * and, per schedule, every step's device time. Sweep points and runs that share a schedule share its step
 * costs, a tenth of a projection point's time and a quarter of its allocation. The inputs are immutable objects,
 * told apart by identity (objectId); at most PRICINGS contexts are kept, and step costs live with their schedule.
 */
interface Pricing {
  readonly ctx: GpuCostContext;
  readonly stepCosts: WeakMap<ScheduleResult, readonly StepGpuCost[]>;
}
const pricings = new Map<string, Pricing>();
const PRICINGS = 16;

function pricingOf(backbone: Backbone, system: ServingSystem, maxNumSeqs: number): Pricing {
  const key = `${objectId(backbone)}/${objectId(system.target)}/${objectId(system.serving)}/${maxNumSeqs}`;
  return memoBounded(pricings, key, PRICINGS, () => ({ ctx: gpuCostContext(backbone, system.target, system.serving, maxNumSeqs), stepCosts: new WeakMap() }));
}

function stepGpuCostsOf(pricing: Pricing, schedule: ScheduleResult): readonly StepGpuCost[] {
  let costs = pricing.stepCosts.get(schedule);
  if (costs === undefined) {
    costs = schedule.steps.map((step) => stepGpuCost(pricing.ctx, step));
    pricing.stepCosts.set(schedule, costs);
  }
  return costs;
}

/** A number per object for cache keys, never reused (the map holds no object alive). */
const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;
function objectId(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(o, id);
  }
  return id;
}

/** The schedule of a workload on a backbone with the KV cache the device leaves it (shared by both runs of a row). */
export function servingSchedule(
  system: ServingSystem,
  backbone: Backbone,
  workload: BenchWorkload,
  engine: EngineSettings,
  placement: EngramPlacement | null,
): { kvCache: KvCacheSizing; schedule: ScheduleResult } {
  const kvCache = kvCacheSizing(backbone, system.serving, kvOptions(engine, placement));
  const schedule = scheduleOf(workload, {
    maxNumSeqs: engine.maxNumSeqs,
    maxNumBatchedTokens: engine.maxNumBatchedTokens,
    blockSize: engine.blockSize,
    numKvBlocks: kvCache.numBlocks,
  });
  return { kvCache, schedule };
}

export function projectServing(
  system: ServingSystem,
  backbone: Backbone,
  workload: BenchWorkload,
  engine: EngineSettings = BENCH_ENGINE,
  engram: EngramRunOptions | null = null,
): ServingRun {
  const { kvCache, schedule } = servingSchedule(system, backbone, workload, engine, engram?.placement ?? null);
  const pricing = pricingOf(backbone, system, engine.maxNumSeqs);
  const ctx = pricing.ctx;
  const gpuCosts = stepGpuCostsOf(pricing, schedule);
  const gather = engram === null ? null : engramGatherTimes(engram.placement, schedule, engram.gather);
  const prefill = emptyPhase();
  const decode = emptyPhase();
  const fetch = { decodeNs: 0, decodeWindowNs: 0, prefillNs: 0, prefillWindowNs: 0, rows: 0, bytes: 0, hashNs: 0, gatherNs: 0, stalled: 0 };
  let decodeBatchSum = 0;
  let seqSteps = 0;
  for (const [i, step] of schedule.steps.entries()) {
    const phase = step.isPrefill ? prefill : decode;
    const gpu = gpuCosts[i]!;
    const host = stepHostCost(system.serving, step);
    phase.steps++;
    phase.tokens += step.numTokens;
    phase.gemmNs += gpu.gemmNs;
    phase.attentionNs += gpu.attentionNs;
    phase.elementwiseNs += gpu.elementwiseNs;
    phase.lmHeadNs += gpu.lmHeadNs;
    phase.samplerNs += gpu.samplerNs;
    phase.launchBoundNs += gpu.totalNs - gpu.deviceNs;
    phase.hostLaunchNs += host.launchNs;
    phase.hostSyncNs += host.syncNs;
    phase.hostSchedulerNs += host.schedulerNs;
    phase.hostPrefillPrepNs += host.prefillPrepNs;
    let stepNs = gpu.totalNs + host.totalNs;
    seqSteps += step.seqs.length;
    if (!step.isPrefill) decodeBatchSum += step.seqs.length;
    if (engram !== null && gather !== null) {
      const e = stepEngramCost(ctx, engram.placement, step, gpu, gather.perStep[i]!);
      phase.engramComputeNs += e.computeNs;
      phase.engramStallNs += e.stallNs;
      phase.engramSyncNs += e.syncNs;
      stepNs += e.computeNs + e.exposedNs;
      fetch.rows += e.rows;
      fetch.bytes += e.bytes;
      fetch.hashNs += e.hashNs;
      fetch.gatherNs += e.gatherNs;
      if (e.stallNs > 0) fetch.stalled++;
      if (step.isPrefill) {
        fetch.prefillNs += e.hashNs + e.gatherNs;
        fetch.prefillWindowNs += e.windowNs;
      } else {
        fetch.decodeNs += e.hashNs + e.gatherNs;
        fetch.decodeWindowNs += e.windowNs;
      }
    }
    phase.totalNs += stepNs;
  }
  const wallNs = prefill.totalNs + decode.totalNs;
  const summary: EngramRunSummary | null =
    engram === null || gather === null
      ? null
      : {
          config: engram.placement.config.name,
          layerIds: engram.placement.layerIds,
          rowsPerToken: engram.placement.rowsPerToken,
          rowBytes: engram.placement.rowBytes,
          tableBytes: engram.placement.tableBytes,
          rows: fetch.rows,
          bytes: fetch.bytes,
          hashNs: fetch.hashNs,
          gatherNs: fetch.gatherNs,
          meanDecodeFetchNs: fetch.decodeNs / Math.max(1, decode.steps),
          meanDecodeWindowNs: fetch.decodeWindowNs / Math.max(1, decode.steps),
          meanPrefillFetchNs: fetch.prefillNs / Math.max(1, prefill.steps),
          meanPrefillWindowNs: fetch.prefillWindowNs / Math.max(1, prefill.steps),
          stalledSteps: fetch.stalled,
          gatherModel: gather.modelName,
          sampling: gather.sampling,
        };
  return {
    backbone: backbone.name,
    target: system.target.name,
    engine,
    kvCache,
    schedule: {
      prefillSteps: schedule.prefillSteps,
      decodeSteps: schedule.decodeSteps,
      preemptions: schedule.preemptions,
      recomputedTokens: schedule.recomputedTokens,
      peakUsedBlocks: schedule.peakUsedBlocks,
      meanDecodeBatch: decodeBatchSum / Math.max(1, schedule.decodeSteps),
      scheduledSeqSteps: seqSteps,
    },
    outputTokens: schedule.outputTokens,
    promptTokens: workload.totalPromptTokens,
    wallNs,
    tokPerS: (schedule.outputTokens / wallNs) * NS_PER_S,
    prefill,
    decode,
    engram: summary,
  };
}
