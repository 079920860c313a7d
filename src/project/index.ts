// Public surface of project/: the serving-level projection (nano-vLLM scheduling, per-step device and host cost,
// the Engram fetch path) and its Table 4 reproduction, calibration fits and sensitivity sweeps.
export { PythonRandom } from './pythonRandom.ts';
export { benchWorkload, TABLE4_WORKLOAD, type BenchWorkload, type BenchWorkloadSpec } from './benchWorkload.ts';
export { BlockManager, type BlockOwner } from './blockManager.ts';
export { simulateSchedule, NANO_VLLM_LIMITS, type ScheduleResult, type ScheduledStep, type SchedulerLimits, type SequenceSpec } from './scheduler.ts';
export { kvCacheSizing, kvCacheFreeBytes, activationBytesPerToken, type KvCacheOptions, type KvCacheSizing } from './kvCache.ts';
export {
  decodeGraphBatch,
  elementwiseBytesPerTokenPerLayer,
  gpuCostContext,
  layerGemmNs,
  stepGpuCost,
  sustainedGemmNs,
  KERNELS_OUTSIDE_LAYERS,
  KERNELS_PER_LAYER,
  type GpuCostContext,
  type StepGpuCost,
} from './stepCost.ts';
export { stepHostCost, type StepHostCost } from './hostOverhead.ts';
export {
  placeEngram,
  engramComputeNs,
  expectedUniqueRows,
  ENGRAM_HIDDEN_PASSES,
  ENGRAM_KEYS_SINGLE_STREAM,
  ENGRAM_LIVE_HIDDEN_TENSORS,
  ENGRAM_NORMS_PER_BRANCH,
  type EngramDeviceBytes,
  type EngramPlacement,
} from './engramLayer.ts';
export { hashedRowSource, countUnique, type EngramRowSource } from './engramRows.ts';
export type { EngramGatherModel, GatherBatch } from './gatherModel.ts';
export { engramGatherTimes, type GatherPlan, type GatherSampling, type GatherTimes, type StratumSample } from './gatherSampling.ts';
export { stepEngramCost, hashNs, hashUnitFillCycles, type StepEngramCost } from './engramPath.ts';
export { servingSystem, type ServingSystem } from './system.ts';
export {
  projectServing,
  servingMisfit,
  servingSchedule,
  BENCH_ENGINE,
  type EngineSettings,
  type EngramRunOptions,
  type EngramRunSummary,
  type PhaseBreakdown,
  type ServingRun,
} from './serving.ts';
export { fitSchedulerOverhead, fitEngramSync, type EngramSyncFit, type OverheadFit } from './calibrate.ts';
export { projectTable4, PAPER_TABLE4, PAPER_TABLE4_SOURCE, type PaperNumbers, type Table4Inputs, type Table4Row } from './table4.ts';
export { sweepPenalty, withLayer, withTableBytesPerValue, withTableParams, type Sensitivity, type SensitivityPoint, type SweepCase } from './sensitivity.ts';
export { PROJECT_EVALUATORS, engramProjectionEvaluator, gemmEvaluator, type EvaluatorContext, type EvaluatorParameter } from './evaluators.ts';
export { projectionEvaluator } from './projectionEvaluator.ts';
export { engramGatherSetup, hbmHitRate, MAX_ROW_ZIPF_S, BASE_PCIE_PRESET, GATHER_TIERS, PCIE_TRANSFER_RATE_GTPS, TABLE4_TRANSFER, TIER_PRESETS, type GatherSetup, type GatherSetupOptions, type GatherTier } from './memoryGather.ts';
