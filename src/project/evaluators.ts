// Sweep evaluators built on the closed-form GEMM cost models (src/gemm) and the cost figures of targets/costs/default.json:
// pure functions of one design point, registered by src/dse/registry.ts. The models are deterministic, so the seed is unused.
// The `projection` evaluator (serving throughput with and without Engram) lives in projectionEvaluator.ts.
import { ModelError, showValue } from '../core/index.ts';
import { engramProjectionCost, gemmCost, type GemmCostOptions } from '../gemm/index.ts';
import { COMPUTE_DTYPES, DATAFLOWS, type Backbone, type ComputeDtype, type Costs, type Dataflow, type EngramConfig, type ResolvedTarget } from '../spec/index.ts';

/** What evaluators may read besides the point: resolved documents loaded once by the CLI and shared by all points. */
export interface EvaluatorContext {
  readonly targets: Readonly<Record<string, ResolvedTarget>>;
  readonly configs: Readonly<Record<string, EngramConfig>>;
  readonly costs: Costs;
  /** Named serving backbones (targets/backbones). */
  readonly backbones: Readonly<Record<string, Backbone>>;
  /** Raw documents of the memory presets (targets/memory/<name>.json) by name, for src/memory's PresetLoader. */
  readonly memoryPresets: Readonly<Record<string, unknown>>;
}

/** Values a parameter accepts (src/dse checks a sweep's parameters against these before running). */
export type EvaluatorParameter =
  | { readonly kind: 'integer' | 'number'; readonly min: number; readonly max: number; readonly default?: number; readonly description: string }
  | { readonly kind: 'choice'; readonly values: readonly string[]; readonly default?: string; readonly description: string };

export type Point = Readonly<Record<string, number | string>>;
export type Result = Record<string, number | string>;

/** Same shape as src/dse's EvaluatorDefinition (project cannot import dse; the registry checks the match). */
export interface ProjectEvaluator {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly fields: Readonly<Record<string, { readonly type: 'number' | 'string'; readonly description: string }>>;
  parameters(context: EvaluatorContext): Readonly<Record<string, EvaluatorParameter>>;
  create(context: EvaluatorContext): (point: Point, seed: bigint) => Result;
}

/** Largest GEMM dimension or token count a sweep may ask for (as `engram-dse gemm`); the model refuses 2mnk > 2^53. */
const MAX_DIM = 1 << 24;
/** 'auto' is the target's default dataflow (its first supported one; GPUs have no choice). */
const DATAFLOW_CHOICES = ['auto', ...DATAFLOWS] as const;
const GB = 1e9;

export function pricedTargets(context: EvaluatorContext): string[] {
  return Object.keys(context.targets)
    .filter((name) => context.costs.devices[name] !== undefined)
    .sort();
}

export function lookup<T>(collection: Readonly<Record<string, T>>, key: number | string | undefined, what: string, caller: string): T {
  const value = typeof key === 'string' ? collection[key] : undefined;
  if (value === undefined) throw new ModelError(`${caller}: ${what}: unknown ${showValue(key)}; expected one of ${Object.keys(collection).sort().join(', ')}`);
  return value;
}

function dtypeOf(point: Point, caller: string): ComputeDtype {
  const dtype = point.dtype;
  if (!(COMPUTE_DTYPES as readonly unknown[]).includes(dtype)) throw new ModelError(`${caller}: dtype: expected one of ${COMPUTE_DTYPES.join(', ')}, got ${showValue(dtype)}`);
  return dtype as ComputeDtype;
}

function optionsOf(point: Point, caller: string): GemmCostOptions {
  const dataflow = point.dataflow;
  if (dataflow === 'auto') return {};
  if (!(DATAFLOWS as readonly unknown[]).includes(dataflow)) throw new ModelError(`${caller}: dataflow: expected one of ${DATAFLOW_CHOICES.join(', ')}, got ${showValue(dataflow)}`);
  return { dataflow: dataflow as Dataflow };
}

function dim(point: Point, key: string, caller: string): number {
  const value = point[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_DIM) {
    throw new ModelError(`${caller}: ${key}: expected an integer in [1, ${MAX_DIM}], got ${showValue(value)}`);
  }
  return value;
}

const commonParameters = (context: EvaluatorContext) => ({
  target: { kind: 'choice', values: pricedTargets(context), description: 'hardware target (targets/<name>.json) with a device price in the costs file' },
  dtype: { kind: 'choice', values: COMPUTE_DTYPES, default: 'fp8', description: 'operand format' },
  dataflow: { kind: 'choice', values: DATAFLOW_CHOICES, default: 'auto', description: "systolic and FPGA dataflow; 'auto' is the target's first" },
}) as const;

/** One GEMM C[m x n] = A[m x k] B[k x n] on a target: time, bound, utilisation, DRAM bytes and the device's price. */
export const gemmEvaluator: ProjectEvaluator = {
  name: 'gemm',
  version: '1',
  description: 'one GEMM on a hardware target (src/gemm cost models) priced by targets/costs/default.json',
  fields: {
    kind: { type: 'string', description: 'target kind (gpu, systolic, fpga)' },
    timeNs: { type: 'number', description: 'max(computeNs, memoryNs)' },
    computeNs: { type: 'number', description: 'compute time with tile/wave or fold quantisation' },
    memoryNs: { type: 'number', description: 'modelled DRAM traffic over bandwidth' },
    rooflineNs: { type: 'number', description: 'pure roofline time (compulsory bytes, peak FLOPs)' },
    cycles: { type: 'number', description: 'timeNs in target clock cycles' },
    bound: { type: 'string', description: 'compute, memory, wave-quantised or array-quantised' },
    utilisationPct: { type: 'number', description: 'useful FLOPs over time x peak' },
    flops: { type: 'number', description: '2mnk' },
    achievedTflops: { type: 'number', description: 'flops / timeNs' },
    peakTflops: { type: 'number', description: 'dense peak of the target for dtype' },
    dramBytes: { type: 'number', description: 'modelled DRAM (HBM) bytes moved' },
    costUsd: { type: 'number', description: 'price of one device (costs file)' },
  },
  parameters: (context) => ({
    ...commonParameters(context),
    m: { kind: 'integer', min: 1, max: MAX_DIM, description: 'rows of A and C' },
    n: { kind: 'integer', min: 1, max: MAX_DIM, description: 'columns of B and C' },
    k: { kind: 'integer', min: 1, max: MAX_DIM, description: 'inner dimension' },
  }),
  create: (context) => (point) => {
    const caller = 'gemm evaluator';
    const target = lookup(context.targets, point.target, 'target', caller);
    const price = lookup(context.costs.devices, point.target, 'target price', caller);
    const shape = { m: dim(point, 'm', caller), n: dim(point, 'n', caller), k: dim(point, 'k', caller), dtype: dtypeOf(point, caller) };
    const cost = gemmCost(shape, target, optionsOf(point, caller));
    return {
      kind: cost.kind,
      timeNs: cost.timeNs,
      computeNs: cost.computeNs,
      memoryNs: cost.memoryNs,
      rooflineNs: cost.roofline.timeNs,
      cycles: cost.cycles,
      bound: cost.bound,
      utilisationPct: cost.utilisationPct,
      flops: cost.flops,
      achievedTflops: cost.flops / cost.timeNs / 1e3,
      peakTflops: cost.peakTflops,
      dramBytes: cost.dram.totalBytes,
      costUsd: price.priceUsd,
    };
  },
};

/**
 * Engram's fused key/value projection for T tokens (src/gemm/engramProjection.ts) against its M + 1 separate
 * GEMMs, the table's nominal size, and a cost of one device plus the table resident in host DRAM, the
 * placement of the paper's throughput test (arXiv 2601.07372 §6.4). Throughput counts the projection only.
 */
export const engramProjectionEvaluator: ProjectEvaluator = {
  name: 'engram-projection',
  version: '1',
  description: "Engram's fused projection GEMM on a target (src/gemm) with the table in host DRAM, priced by targets/costs/default.json",
  fields: {
    kind: { type: 'string', description: 'target kind (gpu, systolic, fpga)' },
    fusedTimeNs: { type: 'number', description: 'one GEMM of N = (M + 1) x hidden' },
    unfusedTimeNs: { type: 'number', description: 'M + 1 GEMMs of N = hidden back to back' },
    speedup: { type: 'number', description: 'unfusedTimeNs / fusedTimeNs' },
    fusedUtilisationPct: { type: 'number', description: 'utilisation of the fused GEMM' },
    fusedBound: { type: 'string', description: 'bound of the fused GEMM' },
    fusedDramBytes: { type: 'number', description: 'DRAM bytes of the fused GEMM' },
    projectionTokPerS: { type: 'number', description: 'tokens / fusedTimeNs: the projection alone, per Engram layer' },
    tableParams: { type: 'number', description: 'layers x heads x rows x D_h (nominal rows = engramVocabSize per order)' },
    tableBytes: { type: 'number', description: 'tableParams x tableBytesPerValue' },
    gatherBytesPerToken: { type: 'number', description: 'bytes of the rows one token reads over all Engram layers' },
    hbmCapacityBytes: { type: 'number', description: "the target's HBM capacity" },
    devicePriceUsd: { type: 'number', description: 'price of one device (costs file)' },
    tableDramCostUsd: { type: 'number', description: 'tableBytes at the host-DRAM price per GB (costs file)' },
    costUsd: { type: 'number', description: 'devicePriceUsd + tableDramCostUsd' },
  },
  parameters: (context) => ({
    ...commonParameters(context),
    config: { kind: 'choice', values: Object.keys(context.configs).sort(), description: 'Engram configuration (targets/configs/<name>.json)' },
    tokens: { kind: 'integer', min: 1, max: MAX_DIM, description: 'tokens T in one projection (batch or prefill chunk)' },
  }),
  create: (context) => (point) => {
    const caller = 'engram-projection evaluator';
    const config = lookup(context.configs, point.config, 'config', caller);
    const target = lookup(context.targets, point.target, 'target', caller);
    const price = lookup(context.costs.devices, point.target, 'target price', caller);
    const tokens = dim(point, 'tokens', caller);
    const p = engramProjectionCost(config, target, tokens, dtypeOf(point, caller), optionsOf(point, caller));
    const table = tableSize(config);
    const tableDramCostUsd = (table.bytes / GB) * context.costs.memory.dram.usdPerGB;
    return {
      kind: p.fused.kind,
      fusedTimeNs: p.fused.timeNs,
      unfusedTimeNs: p.unfused.timeNs,
      speedup: p.speedup,
      fusedUtilisationPct: p.fused.utilisationPct,
      fusedBound: p.fused.bound,
      fusedDramBytes: p.fused.dram.totalBytes,
      projectionTokPerS: (tokens * 1e9) / p.fused.timeNs,
      tableParams: table.params,
      tableBytes: table.bytes,
      gatherBytesPerToken: table.gatherBytesPerToken,
      hbmCapacityBytes: target.memory.hbmCapacityBytes,
      devicePriceUsd: price.priceUsd,
      tableDramCostUsd,
      costUsd: price.priceUsd + tableDramCostUsd,
    };
  },
};

/** Nominal table size (facts.md §A5): the prime-sized tables are at most a few rows above engramVocabSize. */
function tableSize(config: EngramConfig): { params: number; bytes: number; gatherBytesPerToken: number } {
  const { engram, derived } = config;
  const rowsPerLayer = engram.engramVocabSize.slice(0, derived.numOrders).reduce((sum, rows) => sum + rows * engram.nHeadPerNgram, 0);
  const params = engram.layerIds.length * rowsPerLayer * derived.headDim;
  const gatherValuesPerToken = engram.layerIds.length * derived.headsPerLayer * derived.headDim;
  return { params, bytes: params * engram.tableBytesPerValue, gatherBytesPerToken: gatherValuesPerToken * engram.tableBytesPerValue };
}

/** The closed-form GEMM evaluators of this file, in registry order (projectionEvaluator.ts adds `projection`). */
export const PROJECT_EVALUATORS: readonly ProjectEvaluator[] = [gemmEvaluator, engramProjectionEvaluator];
