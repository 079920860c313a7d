// `engram-dse hierarchy`: Engram row gathers on a GPU target's memory hierarchy (HBM cache of hot rows, host
// DRAM over PCIe, CXL, NVMe) from a real-text row trace or synthetic Zipf, with prefetch and batch barriers.
import { Option, type Command } from 'commander';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { showValue } from '../../core/index.ts';
import {
  DEFAULT_BATCH_TOKENS, HOT_ROW_POLICIES, TRANSFER_PATHS, estimateGather, resolveMemorySystem, simulateEngramGather, traceBatches, traceLayerBases, zipfBatches,
  type GatherRunResult, type GatherWorkload, type HotRowPolicy, type TierSpec, type TransferPath,
} from '../../memory/index.ts';
import { searchLayerPrimes } from '../../model/index.ts';
import { decodeTrace, type ResolvedGpuTarget, type Trace } from '../../spec/index.ts';
import { loadConfig } from '../configs.ts';
import type { CliIo } from '../context.ts';
import { UsageError, parseIntOption, parseNumberOption } from '../parse.ts';
import { loadTarget } from '../targets.ts';
import { presetLoader } from './memsim.ts';

interface HierarchyOptions {
  target: string;
  config: string;
  trace?: string;
  zipf?: number;
  hbmCacheBytes: number;
  policy: HotRowPolicy;
  prefetchNs: number;
  batchTokens: number;
  batches?: number;
  profileFraction: number;
  transfer: TransferPath;
  tiers: string;
  cxlPreset: string;
  nvmePreset: string;
  gds?: boolean;
  pageCacheBytes: number;
  mergeDuplicates: 'gather' | 'off';
  controllerMerge: 'on' | 'off';
  seed: number;
  perfetto?: string;
  perfettoBatches: number;
  json?: boolean;
}

/** Synthetic runs default to this many batches (each one layer's rows for --batch-tokens tokens). */
const DEFAULT_ZIPF_BATCHES = 8;
/** Page cache for an NVMe tier without GDS: 16 GiB of host DRAM unless --page-cache-bytes says otherwise. */
const DEFAULT_PAGE_CACHE_BYTES = 16 * 2 ** 30;

export function register(program: Command, io: CliIo): void {
  program
    .command('hierarchy')
    .description('Engram row gathers through a GPU target\'s memory hierarchy: HBM cache of hot rows, host DRAM over PCIe, CXL, NVMe; prefetch against the compute window')
    .requiredOption('--target <name>', 'GPU target in targets/ (its host.pcie and host.dram.preset build the system) or a path')
    .requiredOption('--config <name>', 'Engram configuration in targets/configs or a path (table sizes and row bytes)')
    .option('--trace <file>', 'row trace written by `engram-dse trace --out` (EGTRACE1)')
    .option('--zipf <alpha>', 'synthetic Zipf lookups with this exponent over the configuration\'s tables', parseNumberOption('--zipf', 0.01, 10))
    .option('--hbm-cache-bytes <n>', 'GPU HBM cache of hot rows (0: none)', parseIntOption('--hbm-cache-bytes', 0), 0)
    .addOption(new Option('--policy <name>', 'HBM cache policy: static top-K of a profile, lru, lfu').choices([...HOT_ROW_POLICIES]).default('lru'))
    .option('--prefetch-ns <n>', 'compute window: prefetch is issued this long before the rows are needed', parseNumberOption('--prefetch-ns', 0), 0)
    .option('--batch-tokens <n>', 'tokens per batch (one layer\'s rows per batch)', parseIntOption('--batch-tokens', 1, 1 << 20), DEFAULT_BATCH_TOKENS)
    .option('--batches <n>', `batches to simulate (zipf default ${DEFAULT_ZIPF_BATCHES}; trace default: all after the profile)`, parseIntOption('--batches', 1))
    .option('--profile-fraction <f>', 'static policy with --trace: profile on this leading share of the trace\'s tokens and measure on the rest', parseNumberOption('--profile-fraction', 0.01, 0.99), 0.25)
    .addOption(new Option('--transfer <path>', 'how host-memory rows reach the GPU: zero-copy loads or a CPU gather into staging plus one DMA').choices([...TRANSFER_PATHS]).default('zero-copy'))
    .option('--tiers <list>', 'backing tiers in placement order, kind[:capacityBytes] comma-separated; kinds host-dram, cxl, nvme; the last takes the rest', 'host-dram')
    .option('--cxl-preset <name>', 'CXL memory preset for a cxl tier', 'cxl2-x16-asic')
    .option('--nvme-preset <name>', 'NVMe preset for an nvme tier', 'nvme-gen5')
    .option('--gds', 'nvme tier: GPUDirect Storage (SSD to GPU, no host page cache)')
    .option('--page-cache-bytes <n>', 'nvme tier without GDS: host page cache size', parseIntOption('--page-cache-bytes', 4096), DEFAULT_PAGE_CACHE_BYTES)
    .addOption(new Option('--merge-duplicates <mode>', 'duplicate lookups in a batch: fetched once at the gather engine, or per lookup').choices(['gather', 'off']).default('gather'))
    .addOption(new Option('--controller-merge <mode>', 'DRAM controllers merge identical in-flight reads').choices(['on', 'off']).default('off'))
    .option('--seed <n>', 'seed of the synthetic Zipf lookups', parseIntOption('--seed', 0), 0)
    .option('--perfetto <file>', 'write a Chrome/Perfetto trace-event JSON of the first batches')
    .option('--perfetto-batches <n>', 'batches in the Perfetto window', parseIntOption('--perfetto-batches', 1, 1000), 4)
    .option('--json', 'machine-readable output')
    .action((opts: HierarchyOptions) => run(opts, io));
}

/** Parses --tiers (kind[:capacityBytes], comma-separated) into tier specs. */
export function parseTiers(text: string, opts: Pick<HierarchyOptions, 'cxlPreset' | 'nvmePreset' | 'gds' | 'pageCacheBytes'>): TierSpec[] {
  return text.split(',').map((part, i) => {
    const [kind, capacity, extra] = part.trim().split(':');
    if (extra !== undefined || kind === undefined) throw new UsageError(`--tiers[${i}]: expected kind[:capacityBytes], got ${showValue(part)}`);
    let capacityBytes: number | undefined;
    if (capacity !== undefined) {
      capacityBytes = Number(capacity);
      if (!/^\d+$/.test(capacity) || !Number.isSafeInteger(capacityBytes) || capacityBytes < 1) throw new UsageError(`--tiers[${i}]: capacity: expected a positive integer of bytes, got ${showValue(capacity)}`);
    }
    const cap = capacityBytes === undefined ? {} : { capacityBytes };
    switch (kind) {
      case 'host-dram':
        return { kind, ...cap };
      case 'cxl':
        return { kind, preset: opts.cxlPreset, ...cap };
      case 'nvme':
        return { kind, preset: opts.nvmePreset, pageCacheBytes: opts.pageCacheBytes, gds: opts.gds === true, ...cap };
      default:
        throw new UsageError(`--tiers[${i}]: kind: expected one of host-dram, cxl, nvme, got ${showValue(kind)}`);
    }
  });
}

function run(opts: HierarchyOptions, io: CliIo): void {
  if ((opts.trace === undefined) === (opts.zipf === undefined)) {
    throw new UsageError(`--trace, --zipf: expected exactly one workload source, got ${opts.trace === undefined ? 'neither' : 'both'}`);
  }
  const target = loadTarget(opts.target, io.cwd);
  if (target.kind !== 'gpu') throw new UsageError(`--target: expected a GPU target (with host.pcie and host.dram), got ${showValue(target.name)} of kind ${showValue(target.kind)}`);
  const config = loadConfig(opts.config, io.cwd);
  const load = presetLoader(undefined, 'preset');
  const cache = opts.hbmCacheBytes > 0 ? { capacityBytes: opts.hbmCacheBytes, policy: opts.policy } : undefined;
  const system = resolveMemorySystem(target as ResolvedGpuTarget, load, {
    tiers: parseTiers(opts.tiers, opts),
    transfer: opts.transfer,
    ...(cache === undefined ? {} : { hbmCache: cache }),
  }, 'command line');

  const { workload, profile, profileNote } = opts.trace !== undefined ? traceWorkload(opts, config.name, io) : zipfWorkload(opts, config);
  const started = performance.now();
  const result = simulateEngramGather(system, workload, {
    mergeDuplicates: opts.mergeDuplicates,
    controllerMerge: opts.controllerMerge === 'on' ? 'controller' : 'off',
    prefetchNs: opts.prefetchNs,
    ...(opts.policy === 'static' && cache !== undefined ? { profile } : {}),
    ...(opts.perfetto === undefined ? {} : { perfetto: { batches: opts.perfettoBatches } }),
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const meanFetches = result.batches > 0 ? result.fetches / result.batches : 0;
  const meanLookups = result.batches > 0 ? result.lookups / result.batches : 0;
  // The analytic limit of a batch of the mean size with every fetched row from the first backing tier.
  const missShare = result.fetches > 0 ? (result.fetches - result.tiers[0]!.fetches) / result.fetches : 0;
  const estimate = estimateGather(system, { rows: Math.round(meanLookups), uniqueRows: Math.round(meanFetches * missShare), rowBytes: result.rowBytes, mergeDuplicates: 'gather' });
  if (opts.perfetto !== undefined) {
    const file = path.resolve(io.cwd, opts.perfetto);
    writeFileSync(`${file}.partial`, `${JSON.stringify(result.traceEvents ?? [])}\n`);
    renameSync(`${file}.partial`, file);
  }
  const { traceEvents: _events, ...report } = result;
  const full = { ...report, profile: profileNote, estimate, wallSeconds: round(wallSeconds), ...(opts.perfetto === undefined ? {} : { perfettoFile: opts.perfetto }) };
  if (opts.json === true) {
    io.out(`${JSON.stringify(full, null, 2)}\n`);
    return;
  }
  io.out(render(result, system.pcie.name, profileNote, estimate.totalNs, estimate.bound, wallSeconds, opts.perfetto));
}

interface WorkloadChoice {
  workload: GatherWorkload;
  profile: Iterable<Uint32Array>;
  profileNote: string;
}

function traceWorkload(opts: HierarchyOptions, configName: string, io: CliIo): WorkloadChoice {
  const file = path.resolve(io.cwd, opts.trace!);
  if (!existsSync(file)) throw new UsageError(`--trace: no such file ${showValue(opts.trace)}`);
  const trace: Trace = decodeTrace(new Uint8Array(readFileSync(file)), opts.trace!);
  if (trace.header.config !== configName) throw new UsageError(`--config: expected the trace's configuration ${showValue(trace.header.config)}, got ${showValue(configName)}`);
  const tokens = trace.header.tokens;
  const { tableRows } = traceLayerBases(trace);
  const staticPolicy = opts.policy === 'static' && opts.hbmCacheBytes > 0;
  const split = staticPolicy ? Math.floor(tokens * opts.profileFraction) : 0;
  const layers = trace.header.layers.length;
  const all = traceBatches(trace, { batchTokens: opts.batchTokens, fromToken: split });
  const batches = opts.batches === undefined ? all : take(all, opts.batches);
  const measured = opts.batches === undefined ? Math.ceil((tokens - split) / opts.batchTokens) * layers : opts.batches;
  return {
    workload: { rowBytes: trace.header.rowBytes, batches, tableRows, description: `trace ${opts.trace} (${trace.header.source}, ${tokens} tokens, ${measured} batches from token ${split})` },
    profile: traceBatches(trace, { batchTokens: opts.batchTokens, toToken: split }),
    profileNote: staticPolicy ? `static top-K profiled on the trace's first ${split} tokens (${(100 * opts.profileFraction).toFixed(0)}%); measured on the rest` : 'no profile',
  };
}

function zipfWorkload(opts: HierarchyOptions, config: ReturnType<typeof loadConfig>): WorkloadChoice {
  const primes = searchLayerPrimes(config.engram);
  const tables = config.engram.layerIds.map((id) => primes.get(id)!);
  const rowBytes = config.derived.headDim * config.engram.tableBytesPerValue;
  const batches = opts.batches ?? DEFAULT_ZIPF_BATCHES;
  const make = (seed: string) => zipfBatches({ tables, exponent: opts.zipf!, batchTokens: opts.batchTokens, batches, seed });
  const tableRows = tables.flat().reduce((a, b) => a + b, 0);
  return {
    workload: { rowBytes, batches: make(`zipf/${opts.seed}`), tableRows, description: `zipf(${opts.zipf}) over ${config.name} (${tableRows} rows), ${batches} batches of ${opts.batchTokens} tokens, seed ${opts.seed}` },
    profile: make(`zipf/${opts.seed}/profile`),
    profileNote: opts.policy === 'static' && opts.hbmCacheBytes > 0 ? `static top-K profiled on a separate Zipf sample of ${batches} batches (seed ${opts.seed}/profile)` : 'no profile',
  };
}

function* take(batches: Iterable<Uint32Array>, n: number): Generator<Uint32Array> {
  let i = 0;
  for (const b of batches) {
    if (i++ >= n) return;
    yield b;
  }
}

function render(r: GatherRunResult, link: string, profile: string, estimateNs: number, bound: string, wallSeconds: number, perfetto: string | undefined): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const p = (x: { mean: number; p50: number; p99: number }): string => `mean ${fmt(x.mean)} ns, p50 ${fmt(x.p50)} ns, p99 ${fmt(x.p99)} ns`;
  const lines = [
    `hierarchy: ${r.system}, ${r.transfer} over ${link}, gather merge ${r.mergeDuplicates}, controller merge ${r.controllerMerge}, prefetch window ${fmt(r.prefetchNs)} ns`,
    `workload:  ${r.workload}; ${r.rowBytes}-byte rows`,
    `lookups:   ${r.lookups} in ${r.batches} batches, ${r.mergedLookups} merged, ${r.fetches} rows moved; ${profile}`,
    `gather:    ${p(r.gatherNs)} (analytic limit ${fmt(estimateNs)} ns, ${bound}-bound)`,
    `exposed:   ${p(r.exposedNs)}, total ${fmt(r.exposedNs.total)} ns of ${fmt(r.simulatedNs)} ns simulated`,
    `hit rates: HBM cache ${r.hitRates.hbmCache === null ? 'none' : pct(r.hitRates.hbmCache)}, page cache ${r.hitRates.pageCache === null ? 'none' : pct(r.hitRates.pageCache)}`,
    'tiers:',
    ...r.tiers.map((t) => `  ${t.name.padEnd(26)} ${pct(t.lookupShare).padStart(6)} of lookups, ${String(t.fetches).padStart(8)} rows, latency ${p(t.latencyNs)}, ${fmt(t.mediaBandwidthGBps)} GB/s at the media (${pct(t.utilisation)}), read amplification ${t.readAmplification === null ? '-' : `${fmt(t.readAmplification)}x`}`),
    'links:',
    ...r.links.map((l) => `  ${l.name.padEnd(26)} ${fmt(l.payloadGBps)} GB/s payload, ${fmt(l.wireGBps)} GB/s on the wire, busy ${pct(l.utilisation)}`),
    `speed:     ${fmt(wallSeconds)} s wall, ${r.engineSteps} engine steps${perfetto === undefined ? '' : `; trace events in ${perfetto}`}`,
  ];
  return `${lines.join('\n')}\n`;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(Math.abs(x) >= 100 ? 1 : 2));
