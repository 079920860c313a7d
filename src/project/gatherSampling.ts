// Gather time of every step and Engram layer of a schedule. Analytic mode: the closed-form model for every
// step, with the expected distinct rows of uniform hashing. Sampled mode (stratified ratio estimation): the
// cycle-level model runs on a seeded random sample of steps per phase (prefill, decode), each on at most
// maxRowsPerStep of its rows (a random subset beyond that); every step then takes its closed-form time scaled
// by its phase's mean cycle/closed-form ratio, whose standard error is reported.
import { ModelError, Rng, showValue } from '../core/index.ts';
import { countUnique, type EngramRowSource } from './engramRows.ts';
import { expectedUniqueRows, type EngramPlacement } from './engramLayer.ts';
import type { EngramGatherModel } from './gatherModel.ts';
import type { ScheduleResult } from './scheduler.ts';

export type GatherPlan =
  | { readonly mode: 'analytic'; readonly model: EngramGatherModel }
  | {
      readonly mode: 'sampled';
      readonly analytic: EngramGatherModel;
      readonly cycle: EngramGatherModel;
      readonly rows: EngramRowSource;
      /** Steps simulated cycle by cycle per phase (all of them when a phase has fewer), and rows per simulated step. */
      readonly samples: { readonly prefill: number; readonly decode: number; readonly maxRowsPerStep: number };
      readonly seed: number;
    };

export interface StratumSample {
  readonly totalSteps: number;
  readonly sampledSteps: number;
  /** Mean over sampled steps and layers of cycle-level / analytic gather time. */
  readonly meanRatio: number;
  /** Standard error of that mean (0 when every step was simulated). */
  readonly stdErrRatio: number;
  /** Rows simulated in all (a sampled step contributes at most maxRowsPerStep). */
  readonly simulatedRows: number;
  /** Simulated rows whose id repeats within its batch (duplicates the gather fetches once). */
  readonly duplicateRowFraction: number;
}

export interface GatherSampling {
  readonly cycleModel: string;
  readonly prefill: StratumSample;
  readonly decode: StratumSample;
}

export interface GatherTimes {
  /** perStep[step][k]: gather time of the k-th Engram layer's rows. */
  readonly perStep: readonly (readonly number[])[];
  readonly modelName: string;
  readonly sampling: GatherSampling | null;
}

export function engramGatherTimes(
  placement: EngramPlacement,
  schedule: ScheduleResult,
  plan: GatherPlan,
): GatherTimes {
  const analytic = plan.mode === 'analytic' ? plan.model : plan.analytic;
  if (analytic.needsRowIds) throw new ModelError(`engramGatherTimes: ${analytic.name}: expected a closed-form model (needsRowIds false) for the analytic estimate`);
  // The closed form depends on the step's token count only, and decode steps repeat a batch size for many steps
  // in a row: each layer's time is computed once per distinct count (417 of 1,038 steps in Table 4's dense-4b run).
  const byTokens = placement.headRows.map(() => new Map<number, number>());
  const analyticNs = schedule.steps.map((step) =>
    placement.headRows.map((heads, layer) => {
      let ns = byTokens[layer]!.get(step.numTokens);
      if (ns === undefined) {
        ns = analytic.gatherNs({
          rows: step.numTokens * placement.rowsPerToken,
          rowBytes: placement.rowBytes,
          uniqueRows: Math.min(step.numTokens * placement.rowsPerToken, expectedUniqueRows(step.numTokens, heads)),
        });
        byTokens[layer]!.set(step.numTokens, ns);
      }
      return ns;
    }),
  );
  if (plan.mode === 'analytic') return { perStep: analyticNs, modelName: analytic.name, sampling: null };

  const perStep = analyticNs.map((layers) => [...layers]);
  const { maxRowsPerStep } = plan.samples;
  if (!Number.isSafeInteger(maxRowsPerStep) || maxRowsPerStep < 1) {
    throw new ModelError(`engramGatherTimes: samples.maxRowsPerStep: expected a positive integer, got ${showValue(maxRowsPerStep)}`);
  }
  const stratum = (isPrefill: boolean, wanted: number, name: string): StratumSample => {
    if (!Number.isSafeInteger(wanted) || wanted < 1) throw new ModelError(`engramGatherTimes: samples.${name}: expected a positive integer, got ${showValue(wanted)}`);
    const indices = schedule.steps.flatMap((step, i) => (step.isPrefill === isPrefill ? [i] : []));
    const rng = new Rng(plan.seed).child(`gather-sample-${name}`);
    const chosen = sampleWithoutReplacement(indices, wanted, rng);
    const ratios: number[] = [];
    let rows = 0;
    let duplicates = 0;
    for (const i of chosen) {
      const step = schedule.steps[i]!;
      for (let k = 0; k < placement.layerIds.length; k++) {
        const all = plan.rows.stepRows(step, k);
        const rowIds = all.length <= maxRowsPerStep ? all : subset(all, maxRowsPerStep, rng);
        const uniqueRows = countUnique(rowIds);
        const batch = { rows: rowIds.length, rowBytes: placement.rowBytes, uniqueRows };
        const closedNs = analytic.gatherNs(batch);
        const cycleNs = plan.cycle.gatherNs({ ...batch, rowIds });
        if (closedNs > 0) ratios.push(cycleNs / closedNs);
        rows += rowIds.length;
        duplicates += rowIds.length - uniqueRows;
      }
    }
    const n = ratios.length;
    const meanRatio = n === 0 ? 1 : ratios.reduce((a, b) => a + b, 0) / n;
    const variance = n < 2 ? 0 : ratios.reduce((a, r) => a + (r - meanRatio) ** 2, 0) / (n - 1);
    // Finite-population correction: a phase simulated in full has no sampling error between steps.
    const fpc = indices.length <= 1 ? 0 : Math.max(0, (indices.length - chosen.length) / (indices.length - 1));
    for (const i of indices) perStep[i] = perStep[i]!.map((ns) => ns * meanRatio);
    return {
      totalSteps: indices.length,
      sampledSteps: chosen.length,
      meanRatio,
      stdErrRatio: n === 0 ? 0 : Math.sqrt((variance / n) * fpc),
      simulatedRows: rows,
      duplicateRowFraction: rows === 0 ? 0 : duplicates / rows,
    };
  };
  const prefill = stratum(true, plan.samples.prefill, 'prefill');
  const decode = stratum(false, plan.samples.decode, 'decode');
  return {
    perStep,
    modelName: `${plan.cycle.name} on sampled steps, ${analytic.name} scaled elsewhere`,
    sampling: { cycleModel: plan.cycle.name, prefill, decode },
  };
}

/** k of the rows, drawn without replacement (partial Fisher-Yates), in their original order. */
function subset(rows: Uint32Array, k: number, rng: Rng): Uint32Array {
  const picks = sampleWithoutReplacement(Array.from({ length: rows.length }, (_, i) => i), k, rng);
  return Uint32Array.from(picks, (i) => rows[i]!);
}

/** k indices drawn without replacement (partial Fisher-Yates), returned in ascending order. */
function sampleWithoutReplacement(indices: readonly number[], k: number, rng: Rng): number[] {
  const pool = [...indices];
  const take = Math.min(k, pool.length);
  for (let i = 0; i < take; i++) {
    const j = i + rng.nextInt(pool.length - i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, take).sort((a, b) => a - b);
}
