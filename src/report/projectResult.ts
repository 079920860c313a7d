// The JSON that `engram-dse project` writes (result.json, --json): a zod schema for the fields the report
// plots, and its parser, which names the file and the field of the first problem (SpecError).
import { z } from 'zod';
import { parseDocument } from '../spec/index.ts';

const ns = z.number().nonnegative();
const tokPerS = z.number().nonnegative();

/** One phase's wall time by component; the components sum to totalNs (src/project/serving.ts). */
const phaseSchema = z.object({
  gemmNs: ns,
  attentionNs: ns,
  elementwiseNs: ns,
  lmHeadNs: ns,
  samplerNs: ns,
  launchBoundNs: ns,
  hostLaunchNs: ns,
  hostSyncNs: ns,
  hostSchedulerNs: ns,
  hostPrefillPrepNs: ns,
  engramComputeNs: ns,
  engramStallNs: ns,
  engramSyncNs: ns,
  totalNs: ns,
});

/** The Engram layer's fetch over a run (src/project/serving.ts EngramRunSummary); null for the baseline. */
const engramRunSchema = z.object({
  rows: z.number().nonnegative(),
  bytes: z.number().nonnegative(),
  hashNs: ns,
  gatherNs: ns,
  meanDecodeFetchNs: ns,
  meanDecodeWindowNs: ns,
  meanPrefillFetchNs: ns,
  meanPrefillWindowNs: ns,
  stalledSteps: z.number().int().nonnegative(),
  gatherModel: z.string(),
});

const runSchema = z.object({ wallNs: ns, tokPerS, prefill: phaseSchema, decode: phaseSchema, engram: engramRunSchema.nullable().optional() });

const rowSchema = z.object({
  backbone: z.string().min(1),
  role: z.string(),
  baselineTokPerS: tokPerS,
  engramTokPerS: tokPerS,
  penaltyPct: z.number(),
  paper: z.object({ baselineTokPerS: tokPerS, engramTokPerS: tokPerS, penaltyPct: z.number() }).nullable(),
  breakdown: z.object({ baseline: runSchema, engram: runSchema }),
});

const sweepSchema = z.object({
  parameter: z.string().min(1),
  unit: z.string(),
  points: z
    .array(z.object({ value: z.number(), baselineTokPerS: tokPerS, engramTokPerS: tokPerS, penaltyPct: z.number() }))
    .min(1),
});

const named = z.object({ name: z.string().min(1) });

const inputsSchema = z.object({
  seed: z.number().int(),
  mode: z.string(),
  tier: z.string(),
  hbmCacheBytes: z.number().nonnegative(),
  workload: z.object({ numSeqs: z.number().int().positive(), totalPromptTokens: z.number(), totalOutputTokens: z.number() }),
  target: named,
  backbones: z.array(named).min(1),
  config: named,
});

/** A Table 4 run (rows) or a sensitivity sweep (sweep); both carry their inputs. */
export const projectResultSchema = z
  .object({
    rows: z.array(rowSchema).min(1).optional(),
    paperSource: z.string().optional(),
    sweep: sweepSchema.optional(),
    inputs: inputsSchema,
  })
  .refine((r) => r.rows !== undefined || r.sweep !== undefined, { message: 'expected "rows" (a Table 4 run) or "sweep" (a --sweep run), found neither', path: [] });

export type ProjectResult = z.output<typeof projectResultSchema>;
export type ProjectRow = NonNullable<ProjectResult['rows']>[number];
export type ProjectPhase = z.output<typeof phaseSchema>;
export type ProjectRun = z.output<typeof runSchema>;
export type ProjectSweep = NonNullable<ProjectResult['sweep']>;
export type ProjectInputs = ProjectResult['inputs'];

/** Validates parsed JSON from `file`; throws SpecError naming the file and the first bad field. */
export function parseProjectResult(data: unknown, file: string): ProjectResult {
  return parseDocument(projectResultSchema, data, file);
}
