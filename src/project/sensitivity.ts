// Sensitivity of the Engram penalty (issue 6 §3): one serving projection per point of a sweep, each point a
// variation of the Table 4 system built by the caller, so any input (table size, layer position, batch size,
// link, cache) can be swept the same way. Helpers build the Engram-configuration variants.
import { ModelError, showValue } from '../core/index.ts';
import { resolveEngramConfig, type Backbone, type EngramConfig } from '../spec/index.ts';
import type { BenchWorkload } from './benchWorkload.ts';
import { projectServing, type EngineSettings, type EngramRunOptions } from './serving.ts';
import type { ServingSystem } from './system.ts';

export interface SweepCase {
  readonly system: ServingSystem;
  readonly backbone: Backbone;
  readonly workload: BenchWorkload;
  readonly engine: EngineSettings;
  readonly engram: EngramRunOptions;
  /** Bytes the tier holding the table can hold, when known: points whose table does not fit are flagged. */
  readonly tierCapacityBytes?: number;
}

export interface SensitivityPoint {
  /** The swept value in the sweep's unit (parameters, block index, sequences, GB/s, ns, bytes). */
  readonly value: number;
  readonly baselineTokPerS: number;
  readonly engramTokPerS: number;
  readonly penaltyPct: number;
  /** Engram stall and synchronisation over the run. */
  readonly exposedNs: number;
  /** Mean decode-step fetch (hash + gather) against the window of blocks before the Engram layer. */
  readonly meanDecodeFetchNs: number;
  readonly meanDecodeWindowNs: number;
  readonly tableBytes: number;
  /** Whether the table fits the tier it was placed in (null when the case gave no capacity). */
  readonly fitsTier: boolean | null;
}

export interface Sensitivity {
  readonly parameter: string;
  readonly unit: string;
  readonly points: readonly SensitivityPoint[];
}

/** Runs baseline and Engram for each value; baselines are shared between points whose baseline inputs match. */
export function sweepPenalty(parameter: string, unit: string, values: readonly number[], build: (value: number) => SweepCase): Sensitivity {
  const baselines = new Map<string, number>();
  const points = values.map((value) => {
    const c = build(value);
    const key = `${c.system.target.name}|${JSON.stringify(c.system.serving.memory)}|${c.backbone.name}|${JSON.stringify(c.engine)}|${c.workload.spec.numSeqs}|${c.workload.spec.seed}`;
    let baselineTokPerS = baselines.get(key);
    if (baselineTokPerS === undefined) {
      baselineTokPerS = projectServing(c.system, c.backbone, c.workload, c.engine).tokPerS;
      baselines.set(key, baselineTokPerS);
    }
    const run = projectServing(c.system, c.backbone, c.workload, c.engine, c.engram);
    return {
      value,
      baselineTokPerS,
      engramTokPerS: run.tokPerS,
      penaltyPct: 100 * (1 - run.tokPerS / baselineTokPerS),
      exposedNs: run.prefill.engramStallNs + run.prefill.engramSyncNs + run.decode.engramStallNs + run.decode.engramSyncNs,
      meanDecodeFetchNs: run.engram!.meanDecodeFetchNs,
      meanDecodeWindowNs: run.engram!.meanDecodeWindowNs,
      tableBytes: run.engram!.tableBytes,
      fitsTier: c.tierCapacityBytes === undefined ? null : run.engram!.tableBytes <= c.tierCapacityBytes,
    };
  });
  return { parameter, unit, points };
}

function variant(config: EngramConfig, engram: Partial<EngramConfig['engram']>, name: string): EngramConfig {
  const { derived: _derived, ...doc } = config;
  return resolveEngramConfig({ ...doc, name, engram: { ...doc.engram, ...engram } }, `${config.name} (${name})`);
}

/** The same geometry with rows per head scaled so the table holds `params` parameters (values). */
export function withTableParams(config: EngramConfig, params: number): EngramConfig {
  if (!(params > 0)) throw new ModelError(`withTableParams: params: expected a positive number, got ${showValue(params)}`);
  const tables = config.engram.layerIds.length * config.derived.headsPerLayer;
  const rowsPerHead = Math.max(1, Math.round(params / (tables * config.derived.headDim)));
  return variant(config, { engramVocabSize: config.engram.engramVocabSize.map(() => rowsPerHead) }, `${config.name}-${Math.round(params)}`);
}

/** The same geometry with the table stored in `bytesPerValue` bytes a value (4 fp32, 2 bf16, 1 fp8): rows shrink or grow. */
export function withTableBytesPerValue(config: EngramConfig, bytesPerValue: EngramConfig['engram']['tableBytesPerValue']): EngramConfig {
  if (bytesPerValue === config.engram.tableBytesPerValue) return config;
  return variant(config, { tableBytesPerValue: bytesPerValue }, `${config.name}-${bytesPerValue}b-values`);
}

/** The same single Engram layer moved to 0-based block `layer`. */
export function withLayer(config: EngramConfig, layer: number): EngramConfig {
  if (config.engram.layerIds.length !== 1) {
    throw new ModelError(`withLayer: ${config.name}: engram.layerIds: expected one Engram layer to move, got ${showValue(config.engram.layerIds)}`);
  }
  return variant(config, { layerIds: [layer] }, `${config.name}-layer${layer}`);
}
