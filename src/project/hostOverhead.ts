// Host time of one nano-vLLM step (engine/llm_engine.py step(): schedule, prepare inputs, launch, sample,
// .tolist(), postprocess), all on the critical path: the engine loop is synchronous, so the device idles meanwhile.
// The per-step and per-sequence figures are the target's named serving overheads.
import type { ServingCalibration } from '../spec/index.ts';
import type { ScheduledStep } from './scheduler.ts';

export interface StepHostCost {
  /** Input tensors to the device, graph replay or eager launch, sampler launch. */
  readonly launchNs: number;
  /** The copy of sampled tokens back to the host that ends the step. */
  readonly syncNs: number;
  /** Scheduling, input preparation and post-processing, per scheduled sequence. */
  readonly schedulerNs: number;
  /** Token, position and slot lists of a prefill step. */
  readonly prefillPrepNs: number;
  readonly totalNs: number;
}

export function stepHostCost(serving: ServingCalibration, step: ScheduledStep): StepHostCost {
  const o = serving.overheads;
  const launchNs = o.stepLaunchNs;
  const syncNs = o.syncNs;
  const schedulerNs = o.schedulerNsPerSeq * step.seqs.length;
  const prefillPrepNs = step.isPrefill ? o.prefillNsPerToken * step.numTokens : 0;
  return { launchNs, syncNs, schedulerNs, prefillPrepNs, totalNs: launchNs + syncNs + schedulerNs + prefillPrepNs };
}
