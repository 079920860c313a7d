// The two fitted numbers of a target's serving calibration, each a closed-form solve on ONE backbone's Table 4
// row: the host time per scheduled sequence (baseline tok/s) and the Engram synchronisation per layer and step
// (the penalty). Wall time is linear in each and the schedule does not depend on either, so one run at zero
// gives the exact fit. Every other calibration number comes from a cited source.
import { ModelError, NS_PER_S, showValue } from '../core/index.ts';
import type { Backbone, ServingCalibration } from '../spec/index.ts';
import type { BenchWorkload } from './benchWorkload.ts';
import { projectServing, type EngineSettings, type EngramRunOptions } from './serving.ts';
import type { ServingSystem } from './system.ts';

export interface OverheadFit {
  readonly backbone: string;
  readonly schedulerNsPerSeq: number;
  /** Sequence-steps the per-sequence overhead multiplies. */
  readonly scheduledSeqSteps: number;
  readonly wallAtZeroNs: number;
}

export interface EngramSyncFit {
  readonly backbone: string;
  readonly engramSyncNs: number;
  /** Engram-layer steps the synchronisation multiplies. */
  readonly layerSteps: number;
  readonly wallAtZeroNs: number;
}

function withOverheads(system: ServingSystem, patch: { schedulerNsPerSeq?: number; engramSyncNs?: number }): ServingSystem {
  const s = system.serving;
  const serving: ServingCalibration = {
    ...s,
    overheads: { ...s.overheads, schedulerNsPerSeq: patch.schedulerNsPerSeq ?? s.overheads.schedulerNsPerSeq },
    engram: { ...s.engram, syncNs: patch.engramSyncNs ?? s.engram.syncNs },
  };
  return { ...system, serving };
}

/** The per-sequence host time that makes the modelled baseline reach `tokPerS` on this backbone. */
export function fitSchedulerOverhead(system: ServingSystem, backbone: Backbone, workload: BenchWorkload, engine: EngineSettings, tokPerS: number): OverheadFit {
  const run = projectServing(withOverheads(system, { schedulerNsPerSeq: 0 }), backbone, workload, engine);
  const scheduledSeqSteps = run.schedule.scheduledSeqSteps;
  const wantedNs = (run.outputTokens / tokPerS) * NS_PER_S;
  const x = (wantedNs - run.wallNs) / scheduledSeqSteps;
  if (!(x >= 0)) {
    throw new ModelError(`fitSchedulerOverhead: ${backbone.name}: the device alone needs ${run.wallNs} ns, more than the ${wantedNs} ns of ${showValue(tokPerS)} tok/s; expected a target the model can reach`);
  }
  return { backbone: backbone.name, schedulerNsPerSeq: x, scheduledSeqSteps, wallAtZeroNs: run.wallNs };
}

/** The Engram synchronisation that makes the modelled penalty (vs the modelled baseline) equal `penaltyPct`. */
export function fitEngramSync(
  system: ServingSystem,
  backbone: Backbone,
  workload: BenchWorkload,
  engine: EngineSettings,
  engram: EngramRunOptions,
  penaltyPct: number,
): EngramSyncFit {
  const base = projectServing(system, backbone, workload, engine);
  const zero = projectServing(withOverheads(system, { engramSyncNs: 0 }), backbone, workload, engine, engram);
  const wantedTokPerS = base.tokPerS * (1 - penaltyPct / 100);
  const wantedNs = (zero.outputTokens / wantedTokPerS) * NS_PER_S;
  const layerSteps = (zero.prefill.steps + zero.decode.steps) * engram.placement.layerIds.length;
  const x = (wantedNs - zero.wallNs) / layerSteps;
  if (!(x >= 0)) {
    throw new ModelError(`fitEngramSync: ${backbone.name}: the Engram path without synchronisation already costs more than ${showValue(penaltyPct)}%; expected a larger penalty to fit`);
  }
  return { backbone: backbone.name, engramSyncNs: x, layerSteps, wallAtZeroNs: zero.wallNs };
}
