// The `projection` sweep evaluator (issue 7, "evaluation through project"): one design point is one
// `engram-dse project --fast` run of one backbone on one GPU target, the baseline and the Engram deployment side
// by side. The gather is the closed form (memory.estimateGatherNs) for every step, so the result is a pure,
// deterministic function of the point; bench.py's workload seed is a parameter, the sweep's seed is unused.
// Parameters are in scope of a spec's expressions, so results do not repeat them (hbmCacheBytes, tableParams).
import { ModelError, SpecError, memoBounded, showValue } from '../core/index.ts';
import { ANALYTIC_CACHE_POLICIES, type PresetLoader, type ResolvedMemorySystem } from '../memory/index.ts';
import type { EngramConfig } from '../spec/index.ts';
import { benchWorkload, TABLE4_WORKLOAD, type BenchWorkload } from './benchWorkload.ts';
import { placeEngram } from './engramLayer.ts';
import { lookup, pricedTargets, type EvaluatorContext, type Point, type ProjectEvaluator } from './evaluators.ts';
import { engramGatherSetup, GATHER_TIERS, MAX_ROW_ZIPF_S } from './memoryGather.ts';
import { withLayer, withTableBytesPerValue, withTableParams } from './sensitivity.ts';
import { BENCH_ENGINE, projectServing, type ServingRun } from './serving.ts';
import { NANO_VLLM_LIMITS } from './scheduler.ts';
import { servingSystem } from './system.ts';

const CALLER = 'projection evaluator';
const GB = 1e9;
/** Largest table a point may ask for (values); 10^13 is a hundred times the paper's 100B offload test. */
const MAX_TABLE_PARAMS = 1e13;
/** Largest HBM cache a point may ask for; the target's own HBM capacity is the real bound (a ModelError above it). */
const MAX_HBM_CACHE_BYTES = 2 ** 40;
/** Highest 0-based block index a point may name; the backbone's depth is the real bound (a ModelError past it). */
const MAX_LAYER = 1023;
/** Table storage formats a point may ask for, as bytes per value ('config': the configuration's own). */
const TABLE_DTYPES = { config: 0, fp32: 4, bf16: 2, fp8: 1 } as const;
const TABLE_DTYPE_NAMES = Object.keys(TABLE_DTYPES) as (keyof typeof TABLE_DTYPES)[];
/** PCIe lane counts a host link may have (0: the target's own link). */
const LINK_LANES = [0, 1, 2, 4, 8, 16] as const;
/** Most added one-way link latency a point may ask for: 10 ms, far past any fabric. */
const MAX_LINK_LATENCY_NS = 1e7;
/** Most concurrent sequences a point may ask for (nano-vLLM's max_num_seqs; its default is 512). */
const MAX_NUM_SEQS = 4096;

/**
 * Entries each of an evaluator's caches keeps (oldest dropped first). A sweep varies a point's workload and
 * baseline inputs over few values, and a worker evaluates many points: the workload (bench.py's 512 sequences
 * of random ids) and the baseline run (which no Engram parameter changes) are computed once per value.
 */
const CACHE_ENTRIES = 16;

/** GPU targets with a serving calibration and a device price: the ones the serving model runs on. */
function servingTargets(context: EvaluatorContext): string[] {
  return pricedTargets(context).filter((name) => {
    const target = context.targets[name]!;
    return target.kind === 'gpu' && target.serving !== undefined;
  });
}

function integer(point: Point, key: string, min: number, max: number): number {
  const value = point[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ModelError(`${CALLER}: ${key}: expected an integer in [${min}, ${max}], got ${showValue(value)}`);
  }
  return value;
}

/** A number in [min, max] (finite). */
function numberIn(point: Point, key: string, min: number, max: number): number {
  const value = point[key];
  if (typeof value !== 'number' || !(value >= min && value <= max)) throw new ModelError(`${CALLER}: ${key}: expected a number in [${min}, ${max}], got ${showValue(value)}`);
  return value;
}

/** One of `values`. */
function choiceOf<T extends string | number>(point: Point, key: string, values: readonly T[]): T {
  const value = point[key];
  if (!(values as readonly unknown[]).includes(value)) throw new ModelError(`${CALLER}: ${key}: expected one of ${values.join(', ')}, got ${showValue(value)}`);
  return value as T;
}

/** The configuration of the point: the named one, its table rescaled (tableParams > 0) and its layer moved (layer >= 0). */
function configOf(context: EvaluatorContext, point: Point): EngramConfig {
  let config = lookup(context.configs, point.config, 'config', CALLER);
  const params = point.tableParams;
  if (typeof params !== 'number' || !Number.isFinite(params) || params < 0 || params > MAX_TABLE_PARAMS) {
    throw new ModelError(`${CALLER}: tableParams: expected a number in [0, ${MAX_TABLE_PARAMS}] (0: the configuration's own table), got ${showValue(params)}`);
  }
  const layer = integer(point, 'layer', -1, MAX_LAYER);
  const bytesPerValue = TABLE_DTYPES[choiceOf(point, 'tableDtype', TABLE_DTYPE_NAMES)];
  try {
    if (bytesPerValue > 0) config = withTableBytesPerValue(config, bytesPerValue as 1 | 2 | 4);
    if (params > 0) config = withTableParams(config, params);
    if (layer >= 0) config = withLayer(config, layer);
  } catch (error) {
    // A variant the configuration schema rejects (a layer past the model's depth) is this point's error, not a bug.
    if (error instanceof SpecError) throw new ModelError(`${CALLER}: ${error.message}`, { cause: error });
    throw error;
  }
  return config;
}

function presetsOf(context: EvaluatorContext): PresetLoader {
  return (name) => {
    const data = context.memoryPresets[name];
    if (data === undefined) throw new ModelError(`${CALLER}: memory preset: unknown ${showValue(name)}; expected one of ${Object.keys(context.memoryPresets).sort().join(', ')}`);
    return { data, file: `targets/memory/${name}.json` };
  };
}

/**
 * Serving throughput of nano-vLLM's bench (bench.py's workload, `seqs` sequences) on a GPU target, without and
 * with an Engram table in a host tier (optionally fronted by an HBM hot-row cache), through the closed-form
 * gather (`engram-dse project --fast`). Cost: the device plus the table's capacity in its tier (costs file).
 */
export const projectionEvaluator: ProjectEvaluator = {
  name: 'projection',
  // 2: table dtype, host-link lanes and latency, row popularity (Zipf), cache policy and max_num_seqs became parameters.
  version: '2',
  description: 'serving throughput with and without Engram (engram-dse project --fast: nano-vLLM bench, closed-form gather), priced by targets/costs/default.json',
  fields: {
    baselineTokPerS: { type: 'number', description: 'output tokens per second of the backbone alone' },
    engramTokPerS: { type: 'number', description: 'output tokens per second with the Engram layer(s)' },
    penaltyPct: { type: 'number', description: '100 x (1 - engramTokPerS / baselineTokPerS)' },
    exposedNs: { type: 'number', description: 'Engram fetch stalls and synchronisation over the run' },
    meanDecodeFetchNs: { type: 'number', description: 'mean decode-step fetch (hash + gather + transfer)' },
    meanDecodeWindowNs: { type: 'number', description: 'mean decode-step window (blocks before the first Engram layer)' },
    tableValues: { type: 'number', description: 'values in the Engram table as placed (the tableParams parameter rounded to whole rows, or the configuration\'s own)' },
    tableBytes: { type: 'number', description: 'bytes of the Engram table' },
    tierCapacityBytes: { type: 'number', description: 'bytes the tier holding the table can hold' },
    fitsTier: { type: 'number', description: '1 when tableBytes <= tierCapacityBytes, else 0 (capacity does not enter the timing)' },
    hbmHitRate: { type: 'number', description: 'share of lookups the HBM cache serves (cache / table for uniform rows; the hottest rows\' share under rowZipf)' },
    devicePriceUsd: { type: 'number', description: 'price of one device (costs file)' },
    tableTierCostUsd: { type: 'number', description: "tableBytes at the tier's price per GB (costs file)" },
    costUsd: { type: 'number', description: 'devicePriceUsd + tableTierCostUsd (the HBM cache is part of the device)' },
  },
  parameters: (context) => ({
    target: { kind: 'choice', values: servingTargets(context), description: 'GPU target with a serving calibration (targets/<name>.json) and a device price in the costs file' },
    backbone: { kind: 'choice', values: Object.keys(context.backbones).sort(), description: 'serving backbone (targets/backbones/<name>.json)' },
    config: { kind: 'choice', values: Object.keys(context.configs).sort(), description: 'Engram configuration (targets/configs/<name>.json)' },
    tableParams: { kind: 'number', min: 0, max: MAX_TABLE_PARAMS, default: 0, description: "values in the table, rows per head scaled to match; 0: the configuration's own table" },
    layer: { kind: 'integer', min: -1, max: MAX_LAYER, default: -1, description: "0-based block of the (single) Engram layer; -1: the configuration's own layer(s)" },
    tier: { kind: 'choice', values: GATHER_TIERS, default: 'dram', description: 'tier holding the table (host DRAM, a CXL expander, an NVMe SSD)' },
    hbmCacheBytes: { kind: 'integer', min: 0, max: MAX_HBM_CACHE_BYTES, default: 0, description: "HBM bytes caching hot rows (at most the target's HBM)" },
    tableDtype: { kind: 'choice', values: TABLE_DTYPE_NAMES, default: 'config', description: "table storage per value: fp32, bf16, fp8, or the configuration's own ('config'); rows are headDim values of this size" },
    linkLanes: { kind: 'integer', min: 0, max: 16, default: 0, description: "PCIe lanes of the host link (1, 2, 4, 8, 16) at the target's generation; 0: the target's own link" },
    linkLatencyNs: { kind: 'number', min: 0, max: MAX_LINK_LATENCY_NS, default: 0, description: 'nanoseconds added to the host link\'s one-way flight (a switch, a retimer, a longer fabric)' },
    cachePolicy: { kind: 'choice', values: [...ANALYTIC_CACHE_POLICIES], default: 'static', description: "HBM cache policy: 'static' holds the hottest rows, 'lru' what Che's approximation gives (they differ only for Zipf rows)" },
    rowZipf: { kind: 'number', min: 0, max: MAX_ROW_ZIPF_S, default: 0, description: "Zipf exponent of each head's row popularity for the HBM cache's hit rate (0: bench.py's uniformly hashed ids; real text: 0.51-0.77)" },
    maxNumSeqs: { kind: 'integer', min: 1, max: MAX_NUM_SEQS, default: NANO_VLLM_LIMITS.maxNumSeqs, description: `nano-vLLM's max_num_seqs: the largest batch a step may schedule (${NANO_VLLM_LIMITS.maxNumSeqs} in Table 4)` },
    seqs: { kind: 'integer', min: 1, max: TABLE4_WORKLOAD.numSeqs, default: TABLE4_WORKLOAD.numSeqs, description: `sequences of bench.py's workload (${TABLE4_WORKLOAD.numSeqs} in Table 4; fewer run faster)` },
    workloadSeed: { kind: 'integer', min: 0, max: 2 ** 32 - 1, default: TABLE4_WORKLOAD.seed, description: "bench.py's seed()" },
  }),
  create: (context) => {
    const presets = presetsOf(context);
    const workloads = new Map<string, BenchWorkload>();
    const baselines = new Map<string, ServingRun>();
    const systems = new Map<string, ResolvedMemorySystem>();
    return (point) => {
      const target = lookup(context.targets, point.target, 'target', CALLER);
      // The DSE compares priced GPU deployments; other kinds run through engram-dse project --target.
      if (!servingTargets(context).includes(target.name)) {
        throw new ModelError(`${CALLER}: target: expected one of ${servingTargets(context).join(', ')} (priced GPU targets with a serving section), got ${showValue(point.target)}`);
      }
      const price = lookup(context.costs.devices, point.target, 'target price', CALLER);
      const backbone = lookup(context.backbones, point.backbone, 'backbone', CALLER);
      const config = configOf(context, point);
      const tier = choiceOf(point, 'tier', GATHER_TIERS);
      const hbmCacheBytes = integer(point, 'hbmCacheBytes', 0, MAX_HBM_CACHE_BYTES);
      const seqs = integer(point, 'seqs', 1, TABLE4_WORKLOAD.numSeqs);
      const seed = integer(point, 'workloadSeed', 0, 2 ** 32 - 1);
      const linkLanes = choiceOf(point, 'linkLanes', LINK_LANES);
      const linkLatencyNs = numberIn(point, 'linkLatencyNs', 0, MAX_LINK_LATENCY_NS);
      const rowZipfS = numberIn(point, 'rowZipf', 0, MAX_ROW_ZIPF_S);
      const cachePolicy = choiceOf(point, 'cachePolicy', ANALYTIC_CACHE_POLICIES);
      const system = servingSystem(target);
      const engine = { ...BENCH_ENGINE, maxNumSeqs: integer(point, 'maxNumSeqs', 1, MAX_NUM_SEQS) };
      const workload = memoBounded(workloads, `${seqs}/${seed}`, CACHE_ENTRIES, () => benchWorkload({ ...TABLE4_WORKLOAD, numSeqs: seqs, seed }));
      const placement = placeEngram(config, backbone, engine.maxNumBatchedTokens, hbmCacheBytes, engine.maxNumSeqs);
      const setup = engramGatherSetup({
        target, tier, hbmCacheBytes, placement, presets, rowZipfS, cachePolicy, systems,
        ...(linkLanes > 0 ? { linkLanes } : {}),
        ...(linkLatencyNs > 0 ? { extraLinkLatencyNs: linkLatencyNs } : {}),
      });
      // Everything the baseline depends on: the target, the backbone, the workload and the engine's limits.
      const baseline = memoBounded(baselines, `${target.name}/${backbone.name}/${seqs}/${seed}/${engine.maxNumSeqs}`, CACHE_ENTRIES, () => projectServing(system, backbone, workload, engine));
      const run = projectServing(system, backbone, workload, engine, { placement, gather: { mode: 'analytic', model: setup.analytic } });
      const engram = run.engram!;
      const tableTierCostUsd = (engram.tableBytes / GB) * context.costs.memory[tier].usdPerGB;
      return {
        baselineTokPerS: baseline.tokPerS,
        engramTokPerS: run.tokPerS,
        penaltyPct: 100 * (1 - run.tokPerS / baseline.tokPerS),
        exposedNs: run.prefill.engramStallNs + run.prefill.engramSyncNs + run.decode.engramStallNs + run.decode.engramSyncNs,
        meanDecodeFetchNs: engram.meanDecodeFetchNs,
        meanDecodeWindowNs: engram.meanDecodeWindowNs,
        tableValues: engram.tableBytes / config.engram.tableBytesPerValue,
        tableBytes: engram.tableBytes,
        tierCapacityBytes: setup.tierCapacityBytes,
        fitsTier: engram.tableBytes <= setup.tierCapacityBytes ? 1 : 0,
        hbmHitRate: setup.hbmHitRate,
        devicePriceUsd: price.priceUsd,
        tableTierCostUsd,
        costUsd: price.priceUsd + tableTierCostUsd,
      };
    };
  },
};
