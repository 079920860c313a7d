// The cross-check of issue 8: the same Engram batch workload through the TypeScript memory model
// (src/memory, simulateEngramGather) and the SystemC model, side by side with their deviation.
import { SimError } from '../../core/index.ts';
import { simulateEngramGather, summarize, type GatherRunResult, type Percentiles, type ResolvedMemorySystem } from '../../memory/index.ts';
import type { SystemcRunOptions, SystemcRowWorkload } from './input.ts';
import type { SystemcRowResult } from './result.ts';

/** What both models report for one run, in the same units. */
export interface ModelFigures {
  readonly gatherNs: Percentiles;
  readonly tiers: readonly { readonly kind: string; readonly name: string; readonly lookups: number; readonly fetches: number; readonly latencyMeanNs: number }[];
  readonly links: readonly { readonly name: string; readonly wireBytes: number; readonly payloadBytes: number }[];
}

export interface SystemcComparison {
  readonly systemc: ModelFigures;
  readonly typescript: ModelFigures;
  /** (SystemC - TypeScript) / TypeScript mean batch gather time, in percent. */
  readonly deviationPct: number;
  /** The same for the median and 99th-percentile batch. */
  readonly p50DeviationPct: number;
  readonly p99DeviationPct: number;
  /** Lookups and fetches per tier are identical in both models. */
  readonly requestCountsMatch: boolean;
  /** The first tier whose counts differ, or null. */
  readonly firstCountMismatch: string | null;
}

/** Runs the TypeScript model on `workload` (the input the SystemC run had). */
export function runTypescriptModel(system: ResolvedMemorySystem, workload: SystemcRowWorkload, options: SystemcRunOptions): GatherRunResult {
  return simulateEngramGather(system, { rowBytes: workload.rowBytes, batches: workload.batches }, {
    mergeDuplicates: options.mergeDuplicates,
    prefetchNs: options.prefetchNs,
    ...(system.hbmCache?.policy === 'static' ? { profile: workload.profile ?? [] } : {}),
  });
}

function systemcFigures(r: SystemcRowResult): ModelFigures {
  return {
    gatherNs: summarize(r.gatherPs, 1 / 1000),
    tiers: r.tiers.map((t) => ({ kind: t.kind, name: t.name, lookups: t.lookups, fetches: t.fetches, latencyMeanNs: t.latencyMeanPs / 1000 })),
    links: r.links.map((l) => ({ name: l.name, wireBytes: l.wireBytes, payloadBytes: l.payloadBytes })),
  };
}

function typescriptFigures(r: GatherRunResult): ModelFigures {
  return {
    gatherNs: r.gatherNs,
    tiers: r.tiers.map((t) => ({ kind: t.kind, name: t.name, lookups: t.lookups, fetches: t.fetches, latencyMeanNs: t.latencyNs.mean })),
    links: r.links.map((l) => ({ name: l.name, wireBytes: l.wireBytes, payloadBytes: l.payloadBytes })),
  };
}

/** Compares a SystemC row-workload result with the TypeScript model's run of the same workload. */
export function compareWithTypescript(system: ResolvedMemorySystem, workload: SystemcRowWorkload, options: SystemcRunOptions, sc: SystemcRowResult): SystemcComparison {
  if (sc.batches !== workload.batches.length) throw new SimError(`compareWithTypescript: systemc.batches: expected ${workload.batches.length} (the workload's), got ${sc.batches}`);
  const ts = runTypescriptModel(system, workload, options);
  const systemc = systemcFigures(sc);
  const typescript = typescriptFigures(ts);
  const pct = (a: number, b: number): number => (b > 0 ? (100 * (a - b)) / b : a === 0 ? 0 : Infinity);
  let firstCountMismatch: string | null = null;
  if (systemc.tiers.length !== typescript.tiers.length) firstCountMismatch = `tiers: ${systemc.tiers.length} in SystemC, ${typescript.tiers.length} in TypeScript`;
  for (let i = 0; firstCountMismatch === null && i < typescript.tiers.length; i++) {
    const a = systemc.tiers[i]!;
    const b = typescript.tiers[i]!;
    if (a.lookups !== b.lookups || a.fetches !== b.fetches) firstCountMismatch = `${b.name}: SystemC ${a.lookups} lookups / ${a.fetches} fetches, TypeScript ${b.lookups} / ${b.fetches}`;
  }
  return {
    systemc,
    typescript,
    deviationPct: pct(systemc.gatherNs.mean, typescript.gatherNs.mean),
    p50DeviationPct: pct(systemc.gatherNs.p50, typescript.gatherNs.p50),
    p99DeviationPct: pct(systemc.gatherNs.p99, typescript.gatherNs.p99),
    requestCountsMatch: firstCountMismatch === null,
    firstCountMismatch,
  };
}
