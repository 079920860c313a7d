// Table 4 of arXiv 2601.07372 (§6.4; facts.md §A1, HIGH) against the projection: baseline and Engram tok/s and
// the penalty per backbone, with deviations. The target's serving calibration names the one backbone its fitted
// overheads were solved on; every other row is a prediction.
import { ModelError } from '../core/index.ts';
import type { Backbone } from '../spec/index.ts';
import type { BenchWorkload } from './benchWorkload.ts';
import type { EngramPlacement } from './engramLayer.ts';
import type { GatherPlan } from './gatherSampling.ts';
import { projectServing, type EngineSettings, type ServingRun } from './serving.ts';
import type { ServingSystem } from './system.ts';

export interface PaperNumbers {
  readonly baselineTokPerS: number;
  readonly engramTokPerS: number;
  /** 100 x (1 - engram / baseline), from the two published throughputs. */
  readonly penaltyPct: number;
}

function paperRow(baselineTokPerS: number, engramTokPerS: number): PaperNumbers {
  return { baselineTokPerS, engramTokPerS, penaltyPct: 100 * (1 - engramTokPerS / baselineTokPerS) };
}

/** Table 4 as published: one H800, 512 sequences of Uniform(100, 1024), 100B Engram layer in host DRAM. */
export const PAPER_TABLE4: Readonly<Record<string, PaperNumbers>> = Object.freeze({
  'dense-4b': paperRow(9031.62, 8858.28),
  'dense-8b': paperRow(6315.52, 6140.02),
});

export const PAPER_TABLE4_SOURCE = 'arXiv 2601.07372 Table 4 (facts.md §A1, HIGH): Dense-4B 9,031.62 -> 8,858.28 tok/s, Dense-8B 6,315.52 -> 6,140.02 tok/s';

export interface Table4Row {
  readonly backbone: string;
  /** 'calibration' for the backbone the target's overheads were fitted on, 'prediction' otherwise. */
  readonly role: 'calibration' | 'prediction';
  readonly baselineTokPerS: number;
  readonly engramTokPerS: number;
  readonly penaltyPct: number;
  readonly paper: PaperNumbers | null;
  readonly deviation: { readonly baselinePct: number; readonly engramPct: number; readonly penaltyPp: number } | null;
  readonly baseline: ServingRun;
  readonly engram: ServingRun;
}

export interface Table4Inputs {
  readonly system: ServingSystem;
  readonly backbones: readonly Backbone[];
  readonly workload: BenchWorkload;
  readonly engine: EngineSettings;
  /** The Engram placement of each backbone (same order) and the gather plan for its rows. */
  readonly placements: readonly EngramPlacement[];
  readonly gather: GatherPlan;
  /** Whether this is the paper's system (H800, offload-100b in host DRAM, 512 sequences); otherwise no paper column. */
  readonly compareWithPaper: boolean;
}

export function projectTable4(inputs: Table4Inputs): Table4Row[] {
  if (inputs.placements.length !== inputs.backbones.length) {
    throw new ModelError(`projectTable4: placements: expected one per backbone (${inputs.backbones.length}), got ${inputs.placements.length}`);
  }
  return inputs.backbones.map((backbone, i) => {
    const baseline = projectServing(inputs.system, backbone, inputs.workload, inputs.engine);
    const engram = projectServing(inputs.system, backbone, inputs.workload, inputs.engine, { placement: inputs.placements[i]!, gather: inputs.gather });
    const penaltyPct = 100 * (1 - engram.tokPerS / baseline.tokPerS);
    const paper = inputs.compareWithPaper ? (PAPER_TABLE4[backbone.name] ?? null) : null;
    return {
      backbone: backbone.name,
      role: inputs.system.serving.carriedOverFrom === undefined && inputs.system.serving.calibratedOn === backbone.name ? 'calibration' : 'prediction',
      baselineTokPerS: baseline.tokPerS,
      engramTokPerS: engram.tokPerS,
      penaltyPct,
      paper,
      deviation:
        paper === null
          ? null
          : {
              baselinePct: 100 * (baseline.tokPerS / paper.baselineTokPerS - 1),
              engramPct: 100 * (engram.tokPerS / paper.engramTokPerS - 1),
              penaltyPp: penaltyPct - paper.penaltyPct,
            },
      baseline,
      engram,
    };
  });
}
