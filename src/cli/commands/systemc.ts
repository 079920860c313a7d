// `engram-dse systemc`: runs an Engram gather workload through the SystemC/TLM-2.0 model of the memory
// system (sim/systemc, WebAssembly or native) and through the TypeScript model (src/memory), and prints
// both with their deviation. With --rtl the token stream goes through the Verilated hash/gather unit inside
// the SystemC system, and its vectors are checked against the functional model.
import { Option, type Command } from 'commander';
import { showValue } from '../../core/index.ts';
import {
  DEFAULT_UNIT_PARAMS, buildSystemc, checkDumpedVectors, compareWithTypescript, configWrites, describeMismatch, missingSystemcTools, randomTokenStream, runSystemc,
  runTypescriptModel, streamSequences, systemcInput, unitHeads, vectorDigest,
  type SystemcBackend, type SystemcRowResult, type SystemcRunOptions, type SystemcTokenResult,
} from '../../cosim/index.ts';
import { HOT_ROW_POLICIES, resolveMemorySystem, zipfBatches, type GatherMerge, type HotRowPolicy, type ResolvedMemorySystem } from '../../memory/index.ts';
import { buildHashMapping, hashMappingParams, searchLayerPrimes } from '../../model/index.ts';
import type { ResolvedGpuTarget } from '../../spec/index.ts';
import { loadConfig } from '../configs.ts';
import type { CliIo } from '../context.ts';
import { UsageError, parseIntOption } from '../parse.ts';
import { loadTarget } from '../targets.ts';
import { resolveTokenizer } from '../tokenizerSource.ts';
import { expectedLayerIndices, layerTableConfig, unitParamsFor } from './cosim.ts';
import { parseTiers } from './hierarchy.ts';
import { presetLoader } from './memsim.ts';

/** The FPGA target whose kernel clock the RTL unit runs at unless --rtl-clock-mhz is given. */
const RTL_CLOCK_TARGET = 'alveo-u55c';

interface SystemcOptions {
  target: string;
  config: string;
  tokens: number;
  batchTokens: number;
  zipf: number;
  seed: number;
  tiers: string;
  cxlPreset: string;
  nvmePreset: string;
  gds?: boolean;
  hbmCacheBytes: number;
  policy: HotRowPolicy;
  prefetchNs: number;
  mergeDuplicates: GatherMerge;
  rtl?: boolean;
  rtlClockMhz?: number;
  backend: string;
  json?: boolean;
}

function parseNumber(option: string, min: number) {
  return (text: string): number => {
    const v = Number(text);
    if (!Number.isFinite(v) || v < min || text.trim() === '') throw new UsageError(`${option}: expected a number >= ${min}, got ${showValue(text)}`);
    return v;
  };
}

export function register(program: Command, io: CliIo): void {
  program
    .command('systemc')
    .description('run a gather workload through the SystemC/TLM-2.0 model of the memory system and the TypeScript model side by side (--rtl: tokens through the Verilated hash/gather unit)')
    .option('--target <name>', 'GPU target in targets/ (its HBM, PCIe link and host DRAM build the system) or a path', 'h800-sxm')
    .option('--config <name>', 'Engram configuration in targets/configs or a path (tables and row bytes)', 'offload-100b')
    .option('--tokens <n>', 'tokens in the workload', parseIntOption('--tokens', 1, 10_000_000), 2048)
    .option('--batch-tokens <n>', 'tokens per batch (one layer\'s rows, a barrier each)', parseIntOption('--batch-tokens', 1, 1_000_000), 512)
    .option('--zipf <alpha>', 'row workload: Zipf exponent of the lookups over the configuration\'s tables', parseNumber('--zipf', 0), 0.8)
    .option('--seed <n>', 'seed of the lookups (or of the token stream with --rtl)', parseIntOption('--seed', 0, 2 ** 32 - 1), 0)
    .option('--tiers <list>', 'backing tiers in placement order, kind[:capacityBytes]; kinds host-dram, cxl, nvme (with --gds)', 'host-dram')
    .option('--cxl-preset <name>', 'CXL memory preset for a cxl tier', 'cxl2-x16-asic')
    .option('--nvme-preset <name>', 'NVMe preset for an nvme tier', 'nvme-gen5')
    .option('--gds', 'nvme tier: GPUDirect Storage (the SystemC model has no host page cache path, so an nvme tier needs it)')
    .option('--hbm-cache-bytes <n>', 'GPU HBM cache of hot rows (0: none)', parseIntOption('--hbm-cache-bytes', 0), 0)
    .addOption(new Option('--policy <name>', 'HBM cache policy').choices([...HOT_ROW_POLICIES]).default('lru'))
    .option('--prefetch-ns <n>', 'compute window: the next batch starts no earlier than this after the last', parseNumber('--prefetch-ns', 0), 0)
    .addOption(new Option('--merge-duplicates <mode>', 'duplicate lookups in a batch (row workload)').choices(['gather', 'off']).default('gather'))
    .option('--rtl', 'stream random tokens through the Verilated hash/gather unit inside the SystemC system (first layer of the configuration)')
    .option('--rtl-clock-mhz <mhz>', `clock of the hash/gather unit (default: ${RTL_CLOCK_TARGET}'s kernel clock)`, parseNumber('--rtl-clock-mhz', 1))
    .option('--backend <name>', 'wasm, native or auto (wasm when emscripten is installed)', 'auto')
    .option('--json', 'machine-readable output')
    .action(async (opts: SystemcOptions) => {
      const backend = chooseBackend(opts.backend);
      const target = loadTarget(opts.target, io.cwd);
      if (target.kind !== 'gpu') throw new UsageError(`--target: expected a GPU target (with host.pcie and host.dram), got ${showValue(target.name)} of kind ${showValue(target.kind)}`);
      const config = loadConfig(opts.config, io.cwd);
      const cache = opts.hbmCacheBytes > 0 ? { capacityBytes: opts.hbmCacheBytes, policy: opts.policy } : undefined;
      const tiers = parseTiers(opts.tiers, { cxlPreset: opts.cxlPreset, nvmePreset: opts.nvmePreset, gds: opts.gds === true, pageCacheBytes: 0 });
      if (tiers.some((t) => t.kind === 'nvme') && opts.gds !== true) throw new UsageError('--tiers: an nvme tier needs --gds (the SystemC model reads NVMe with GPUDirect Storage only, no host page cache)');
      if (tiers.some((t) => t.kind === 'nvme') && opts.rtl === true) throw new UsageError('--tiers: --rtl reads host-dram and cxl tiers, got nvme');
      const system = resolveMemorySystem(target as ResolvedGpuTarget, presetLoader(undefined, 'preset'), { tiers, transfer: 'zero-copy', ...(cache === undefined ? {} : { hbmCache: cache }) }, 'command line');
      const options: SystemcRunOptions = { mergeDuplicates: opts.mergeDuplicates, prefetchNs: opts.prefetchNs };
      // A cached build returns in well under a second; the first one builds SystemC itself (minutes): say so.
      const notice = setTimeout(() => io.err(`engram-dse systemc: building the ${backend} model with sim/systemc/build.sh (the first build compiles SystemC and the RTL; cached afterwards)\n`), 2000);
      const dir = await buildSystemc(backend).finally(() => clearTimeout(notice));
      if (opts.rtl === true) await runTokens(opts, io, backend, dir, system, config, options);
      else await runRows(opts, io, backend, dir, system, config, options);
    });
}

function chooseBackend(name: string): SystemcBackend {
  if (name !== 'wasm' && name !== 'native' && name !== 'auto') throw new UsageError(`--backend: expected wasm, native or auto, got ${showValue(name)}`);
  if (name !== 'auto') {
    const missing = missingSystemcTools(name);
    if (missing !== null) throw new UsageError(`--backend ${name}: ${missing}`);
    return name;
  }
  if (missingSystemcTools('wasm') === null) return 'wasm';
  if (missingSystemcTools('native') === null) return 'native';
  throw new UsageError(`--backend: neither build can be made here: wasm needs ${missingSystemcTools('wasm')}; native needs ${missingSystemcTools('native')}`);
}

async function runRows(opts: SystemcOptions, io: CliIo, backend: SystemcBackend, dir: string, system: ResolvedMemorySystem, config: ReturnType<typeof loadConfig>, options: SystemcRunOptions): Promise<void> {
  const primes = searchLayerPrimes(config.engram);
  const tables = config.engram.layerIds.map((id) => primes.get(id)!);
  const rowBytes = config.derived.headDim * config.engram.tableBytesPerValue;
  const batches = Math.ceil(opts.tokens / opts.batchTokens);
  const make = (seed: string) => [...zipfBatches({ tables, exponent: opts.zipf, batchTokens: opts.batchTokens, batches, seed })];
  // A separate sample profiles the static cache's top-K rows; no other policy reads it.
  const profile = system.hbmCache?.policy === 'static' ? make(`systemc/${opts.seed}/profile`) : [];
  const workload = { kind: 'rows' as const, rowBytes, batches: make(`systemc/${opts.seed}`), profile };
  const sc = (await runSystemc(backend, dir, systemcInput(system, workload, options))) as SystemcRowResult;
  const started = performance.now();
  const comparison = compareWithTypescript(system, workload, options, sc);
  const tsWallSeconds = (performance.now() - started) / 1000;
  const description = `zipf(${opts.zipf}) over ${config.name}, ${batches} batches of ${opts.batchTokens} tokens, seed ${opts.seed}`;
  const report = {
    target: system.name, config: config.name, workload: description, backend, tiers: system.tiers.map((t) => t.name), hbmCache: system.hbmCache,
    deviationPct: round(comparison.deviationPct), p50DeviationPct: round(comparison.p50DeviationPct), p99DeviationPct: round(comparison.p99DeviationPct),
    requestCountsMatch: comparison.requestCountsMatch, firstCountMismatch: comparison.firstCountMismatch,
    systemc: { ...comparison.systemc, simulatedNs: sc.simulatedPs / 1000, deltaCycles: sc.deltaCycles, wallSeconds: round(sc.wallSeconds), systemcVersion: sc.systemcVersion },
    typescript: { ...comparison.typescript, wallSeconds: round(tsWallSeconds) },
  };
  if (opts.json === true) {
    io.out(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const g = (x: { mean: number; p50: number; p99: number }): string => `mean ${fmt(x.mean)} ns, p50 ${fmt(x.p50)} ns, p99 ${fmt(x.p99)} ns`;
  const lines = [
    `systemc: ${system.name}, tiers ${report.tiers.join(', ')}${system.hbmCache === null ? '' : `, HBM cache ${system.hbmCache.capacityBytes} B ${system.hbmCache.policy}`}; ${description}; ${backend} build`,
    `batch gather, SystemC:    ${g(comparison.systemc.gatherNs)} (${fmt(sc.wallSeconds)} s wall)`,
    `batch gather, TypeScript: ${g(comparison.typescript.gatherNs)} (${fmt(tsWallSeconds)} s wall)`,
    `deviation: mean ${fmtPct(comparison.deviationPct)}, p50 ${fmtPct(comparison.p50DeviationPct)}, p99 ${fmtPct(comparison.p99DeviationPct)}; request counts per tier ${comparison.requestCountsMatch ? 'identical' : `differ (${comparison.firstCountMismatch})`}`,
    'tiers (SystemC / TypeScript):',
    ...comparison.typescript.tiers.map((t, i) => {
      const s = comparison.systemc.tiers[i]!;
      return `  ${t.name.padEnd(26)} lookups ${s.lookups} / ${t.lookups}, fetches ${s.fetches} / ${t.fetches}, mean latency ${fmt(s.latencyMeanNs)} / ${fmt(t.latencyMeanNs)} ns`;
    }),
    'links (SystemC / TypeScript wire bytes):',
    ...comparison.typescript.links.map((l, i) => `  ${l.name.padEnd(26)} ${fmt(comparison.systemc.links[i]?.wireBytes ?? NaN)} / ${fmt(l.wireBytes)}`),
  ];
  io.out(`${lines.join('\n')}\n`);
}

async function runTokens(opts: SystemcOptions, io: CliIo, backend: SystemcBackend, dir: string, system: ResolvedMemorySystem, config: ReturnType<typeof loadConfig>, options: SystemcRunOptions): Promise<void> {
  const tokenizer = await resolveTokenizer({ tokenizer: config.tokenizer }, io);
  const vocab = tokenizer.table.compressedVocabSize;
  const mapping = buildHashMapping(hashMappingParams(config, vocab, tokenizer.table.lookup[config.engram.padId]!));
  const layer = mapping.layers[0]!;
  const params = unitParamsFor(config, DEFAULT_UNIT_PARAMS.ports, vocab);
  const fits = (Object.keys(DEFAULT_UNIT_PARAMS) as (keyof typeof DEFAULT_UNIT_PARAMS)[]).every((k) => params[k] === DEFAULT_UNIT_PARAMS[k]);
  if (!fits) throw new UsageError(`--config: the SystemC build holds the unit with its default parameters (N <= ${DEFAULT_UNIT_PARAMS.maxN}, ${DEFAULT_UNIT_PARAMS.heads} heads per order, rows <= ${DEFAULT_UNIT_PARAMS.rowBytesMax} B, V' <= 2^${DEFAULT_UNIT_PARAMS.idBits}); ${config.name} needs a larger unit`);
  const table = layerTableConfig(config, mapping, layer);
  const clockMHz = opts.rtlClockMhz ?? fpgaClockMHz(io);
  const stream = randomTokenStream(`systemc:${opts.seed}`, opts.tokens, vocab, 128);
  const heads = layer.primes.length;
  const expected = expectedLayerIndices(mapping, layer.layerId, streamSequences(stream), opts.tokens);
  const dumpVectors = Math.min(opts.tokens, 4096);
  const workload = {
    kind: 'tokens' as const, rowBytes: table.rowBytes, ids: stream.ids, first: stream.first, batchTokens: opts.batchTokens,
    tableBaseBytes: Number(table.tableBase), cfgWrites: configWrites(params, table, params.ports), clockPs: Math.round(1e6 / clockMHz), dumpVectors,
  };
  const sc = (await runSystemc(backend, dir, systemcInput(system, workload, options))) as SystemcTokenResult;
  const unitHeadCount = unitHeads(params);
  const dataWords = params.dataBits / 32;
  const mismatch = checkDumpedVectors(table, unitHeadCount, dataWords, expected, sc);
  const digest = vectorDigest(table, unitHeadCount, dataWords, expected, opts.tokens);
  // The same rows through the TypeScript gather engine, all of a batch's requests at once (no unit in between).
  const rows: Uint32Array[] = [];
  for (let from = 0; from < opts.tokens; from += opts.batchTokens) {
    const to = Math.min(opts.tokens, from + opts.batchTokens);
    const b = new Uint32Array((to - from) * heads);
    for (let i = 0; i < b.length; i++) b[i] = layer.rowOffsets[i % heads]! + expected[from * heads + i]!;
    rows.push(b);
  }
  const ts = runTypescriptModel(system, { kind: 'rows', rowBytes: table.rowBytes, batches: rows }, { ...options, mergeDuplicates: 'off' });
  const countsMatch = ts.tiers.every((t, i) => t.lookups === sc.tiers[i]!.lookups && t.fetches === sc.tiers[i]!.fetches);
  const gatherNs = sc.gatherPs.reduce((a, b) => a + b, 0) / Math.max(1, sc.gatherPs.length) / 1000;
  const report = {
    target: system.name, config: config.name, layer: layer.layerId, backend, tokens: sc.tokens, produced: sc.produced, cycles: sc.cycles, clockMHz,
    tokensPerCycle: sc.cycles > 0 ? sc.produced / sc.cycles : 0, requests: sc.requests,
    vectorsChecked: dumpVectors, firstMismatch: mismatch === null ? null : describeMismatch(mismatch, opts.seed),
    vectorDigest: sc.vectorDigest, expectedDigest: digest, digestMatch: sc.vectorDigest === digest, requestCountsMatch: countsMatch,
    systemc: { gatherNsMean: gatherNs, tiers: sc.tiers, simulatedNs: sc.simulatedPs / 1000, wallSeconds: round(sc.wallSeconds), cyclesPerWallSecond: sc.wallSeconds > 0 ? Math.round(sc.cycles / sc.wallSeconds) : 0 },
    typescriptEngine: { gatherNs: ts.gatherNs, note: 'the same rows issued all at once by the gather engine (no unit, no merging): the unit\'s DEPTH-token window bounds its requests in flight' },
  };
  if (opts.json === true) {
    io.out(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const lines = [
    `systemc --rtl: ${config.name} layer ${layer.layerId} through the hash/gather unit at ${fmt(clockMHz)} MHz into ${system.name}'s memory system (${system.tiers.map((t) => t.name).join(', ')}); ${backend} build`,
    `tokens:   ${sc.produced} of ${sc.tokens} vectors out in ${sc.cycles} cycles (${fmt(report.tokensPerCycle)} tokens/cycle), ${sc.requests} row reads`,
    `vectors:  digest ${sc.vectorDigest} ${report.digestMatch ? '==' : '!='} functional model ${digest}; first ${dumpVectors} checked word by word: ${report.firstMismatch ?? 'no mismatch'}`,
    `tiers:    request counts ${countsMatch ? 'identical to' : 'differ from'} the functional model's rows; ${sc.tiers.map((t) => `${t.name} ${t.fetches}`).join(', ')}`,
    `gather:   mean batch ${fmt(gatherNs)} ns through the unit; TypeScript gather engine issuing the same rows at once: mean ${fmt(ts.gatherNs.mean)} ns`,
    `speed:    ${fmt(sc.wallSeconds)} s wall, ${report.systemc.cyclesPerWallSecond} unit cycles per wall second`,
  ];
  io.out(`${lines.join('\n')}\n`);
}

function fpgaClockMHz(io: CliIo): number {
  const fpga = loadTarget(RTL_CLOCK_TARGET, io.cwd);
  if (fpga.kind !== 'fpga') throw new UsageError(`${RTL_CLOCK_TARGET}: expected an FPGA target with a clock, got kind ${showValue(fpga.kind)}`);
  return fpga.clock.clockMHz;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(Math.abs(x) >= 100 ? 1 : 3));
const fmtPct = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(2)}%`;
