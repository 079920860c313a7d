// `engram-dse project`: the serving-level projection (src/project). With no arguments it reproduces Table 4 of
// arXiv 2601.07372 (§6.4): nano-vLLM's bench on one H800, Dense-4B and Dense-8B, a 100B Engram layer in host DRAM.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { showValue } from '../../core/index.ts';
import {
  MAX_ROW_ZIPF_S,
  BENCH_ENGINE,
  PAPER_TABLE4_SOURCE,
  benchWorkload,
  engramGatherSetup,
  hashedRowSource,
  placeEngram,
  projectTable4,
  servingMisfit,
  servingSystem,
  sweepPenalty,
  withLayer,
  withTableParams,
  GATHER_TIERS,
  TABLE4_WORKLOAD,
  type EngineSettings,
  type GatherPlan,
  type GatherTier,
  type PhaseBreakdown,
  type Sensitivity,
  type ServingRun,
  type Table4Row,
} from '../../project/index.ts';
import { parseProjectResult } from '../../report/index.ts';
import { ANALYTIC_CACHE_POLICIES, type AnalyticCachePolicy } from '../../memory/index.ts';
import type { Backbone, EngramConfig } from '../../spec/index.ts';
import { loadBackbone } from '../backbones.ts';
import { loadConfig } from '../configs.ts';
import type { CliIo } from '../context.ts';
import { parseChoice, parseIntOption, parseNumberOption, UsageError } from '../parse.ts';
import { loadTarget } from '../targets.ts';
import { presetLoader } from './memsim.ts';
import { writeReport } from './report.ts';

/** Sampled steps per phase for the cycle-level gather (see src/project/README.md, "Sampling"). */
export const CYCLE_SAMPLES = Object.freeze({ prefill: 4, decode: 16, maxRowsPerStep: 8192 });

export const SWEEPS = ['table-size', 'layer', 'batch', 'link-bandwidth', 'link-latency', 'hbm-cache', 'row-zipf', 'resident-table', 'runtime-reserve'] as const;
/** Runtime reservations swept (GiB): around the assumed 0.5 GiB in steps of about seven dense-8b KV blocks. */
const RESERVE_GIB = [0, 0.25, 0.5, 0.75, 1, 1.5, 2];
/** Zipf exponents of --sweep row-zipf: uniform, and around the 0.51 (3-gram) and 0.77 (2-gram) real text measures. */
const ROW_ZIPF_S = [0, 0.25, 0.51, 0.77, 1, 1.25];
/** HBM cache of --sweep row-zipf when --hbm-cache-bytes is not given: 4 GB, where the NVMe tier's penalty bottoms out at S = 0.77. */
const ROW_ZIPF_CACHE_BYTES = 4e9;
/** Table sizes of --sweep resident-table: 1-20B parameters (2-40 GB in BF16), the range an 80 GB GPU can hold beside its model. */
const RESIDENT_TABLE_PARAMS = [1e9, 2e9, 5e9, 1e10, 2e10];
export type SweepName = (typeof SWEEPS)[number];

interface ProjectOptions {
  target: string;
  backbone: string[];
  config: string;
  tier: GatherTier;
  hbmCacheBytes: number;
  rowZipf: number;
  cachePolicy: AnalyticCachePolicy;
  seqs: number;
  seed: number;
  fast?: boolean;
  sweep?: SweepName;
  json?: boolean;
  out?: string;
  report?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function register(program: Command, io: CliIo): void {
  program
    .command('project')
    .description('Serving throughput with and without Engram (nano-vLLM scheduling, per-step device, host and Engram-fetch cost); no options: Table 4 of the paper side by side')
    .option('--target <name>', 'target with a serving section (targets/): a GPU, a TPU-like systolic chip or an FPGA card', 'h800-sxm')
    .option('--backbone <name>', 'backbone in targets/backbones (repeatable; default dense-4b and dense-8b)', collect, [])
    .option('--config <name>', 'Engram configuration in targets/configs', 'offload-100b')
    .option('--tier <tier>', `tier holding the table (${GATHER_TIERS.join(', ')})`, parseChoice('--tier', GATHER_TIERS), 'dram')
    .option('--hbm-cache-bytes <n>', 'HBM bytes caching hot rows (0: every row crosses the link, as in the paper)', parseIntOption('--hbm-cache-bytes', 0), 0)
    .option('--row-zipf <s>', `Zipf exponent of each head's row popularity for the HBM cache's hit rate (0: bench.py's uniformly hashed ids; real text measures 0.51-0.77, engram-dse trace); at most ${MAX_ROW_ZIPF_S}`, parseNumberOption('--row-zipf', 0, MAX_ROW_ZIPF_S), 0)
    .option('--cache-policy <policy>', `HBM cache policy (${ANALYTIC_CACHE_POLICIES.join(', ')}): the hottest rows, or Che's approximation of LRU; they differ only with --row-zipf`, parseChoice('--cache-policy', ANALYTIC_CACHE_POLICIES), 'static')
    .option('--seqs <n>', 'sequences of the bench workload', parseIntOption('--seqs', 1, 1 << 20), TABLE4_WORKLOAD.numSeqs)
    .option('--seed <s>', "bench.py's seed() and the root of every other random stream", parseIntOption('--seed', 0, 2 ** 32 - 1), TABLE4_WORKLOAD.seed)
    .option('--fast', 'closed-form gather for every step (no cycle-level sample); for sweeps')
    .option('--sweep <parameter>', `penalty against one input (${SWEEPS.join(', ')}) on the first backbone`, parseChoice('--sweep', SWEEPS))
    .option('--json', 'machine-readable output')
    .option('--out <dir>', 'also write result.md and result.json there')
    .option('--report <dir>', 'also write the report (report.html, report.md, one CSV per figure; see engram-dse report) there')
    .action((opts: ProjectOptions) => run(opts, io));
}

/** What a sweep point changes in the memory system behind the gather. */
interface GatherOverrides {
  readonly linkLanes?: number;
  readonly extraLinkLatencyNs?: number;
  readonly hbmCacheBytes?: number;
  readonly rowZipfS?: number;
}

interface Inputs {
  readonly opts: ProjectOptions;
  readonly backbones: readonly Backbone[];
  readonly config: EngramConfig;
  readonly engine: EngineSettings;
}

function run(opts: ProjectOptions, io: CliIo): void {
  const target = loadTarget(opts.target, io.cwd);
  const system = servingSystem(target);
  if (opts.hbmCacheBytes > target.memory.hbmCapacityBytes) {
    throw new UsageError(`--hbm-cache-bytes: expected at most ${target.memory.hbmCapacityBytes} (${target.name}'s HBM), got ${opts.hbmCacheBytes}`);
  }
  const explicit = opts.backbone.length > 0;
  const names = explicit ? opts.backbone : ['dense-4b', 'dense-8b'];
  const config = loadConfig(opts.config, io.cwd);
  const engine = BENCH_ENGINE;
  // A backbone the device cannot hold is an error when asked for by name and a note when it came by default.
  const skipped: { backbone: string; reason: string }[] = [];
  const backbones = names
    .map((name) => loadBackbone(name, io.cwd))
    .filter((b) => {
      const misfit = servingMisfit(system, b, engine, placeEngram(config, b, engine.maxNumBatchedTokens, opts.hbmCacheBytes, engine.maxNumSeqs));
      if (misfit === null) return true;
      if (explicit) throw new UsageError(`--backbone: ${misfit}`);
      skipped.push({ backbone: b.name, reason: misfit });
      return false;
    });
  if (backbones.length === 0) throw new UsageError(`--target: no default backbone fits ${target.name} (${skipped.map((x) => x.reason).join('; ')})`);
  const workload = benchWorkload({ ...TABLE4_WORKLOAD, numSeqs: opts.seqs, seed: opts.seed });
  const inputs: Inputs = { opts, backbones, config, engine };
  const setup = (cfg: EngramConfig, overrides: GatherOverrides = {}) =>
    engramGatherSetup({
      target,
      tier: opts.tier,
      hbmCacheBytes: overrides.hbmCacheBytes ?? opts.hbmCacheBytes,
      placement: placeEngram(cfg, backbones[0]!, engine.maxNumBatchedTokens, overrides.hbmCacheBytes ?? opts.hbmCacheBytes, engine.maxNumSeqs),
      presets: presetLoader(),
      rowZipfS: overrides.rowZipfS ?? opts.rowZipf,
      cachePolicy: opts.cachePolicy,
      ...(overrides.linkLanes === undefined ? {} : { linkLanes: overrides.linkLanes }),
      ...(overrides.extraLinkLatencyNs === undefined ? {} : { extraLinkLatencyNs: overrides.extraLinkLatencyNs }),
    });
  const plan = (cfg: EngramConfig, overrides: GatherOverrides = {}): { plan: GatherPlan; tierCapacityBytes: number; hbmHitRate: number } => {
    const s = setup(cfg, overrides);
    if (opts.fast === true) return { plan: { mode: 'analytic', model: s.analytic }, tierCapacityBytes: s.tierCapacityBytes, hbmHitRate: s.hbmHitRate };
    const rows = hashedRowSource(workload, placeEngram(cfg, backbones[0]!, engine.maxNumBatchedTokens), opts.seed);
    return { plan: { mode: 'sampled', analytic: s.analytic, cycle: s.cycle, rows, samples: CYCLE_SAMPLES, seed: opts.seed }, tierCapacityBytes: s.tierCapacityBytes, hbmHitRate: s.hbmHitRate };
  };

  if (opts.sweep !== undefined) {
    const sensitivity = runSweep(opts.sweep, inputs, workload, system, plan);
    const json = { sweep: sensitivity, inputs: inputsJson(inputs, target, workload) };
    emit(io, opts, renderSweepMarkdown(sensitivity, inputs.backbones[0]!.name, target.name, config.name, opts), json);
    return;
  }

  const gather = plan(config);
  const rows = projectTable4({
    system,
    backbones,
    workload,
    engine,
    placements: backbones.map((b) => placeEngram(config, b, engine.maxNumBatchedTokens, opts.hbmCacheBytes, engine.maxNumSeqs)),
    gather: gather.plan,
    compareWithPaper: target.name === 'h800-sxm' && config.name === 'offload-100b' && opts.tier === 'dram' && opts.hbmCacheBytes === 0 && opts.rowZipf === 0 && opts.seqs === TABLE4_WORKLOAD.numSeqs,
  });
  const json = { ...table4Json(rows), skipped, system: { kind: system.kind, model: system.model }, paperSource: PAPER_TABLE4_SOURCE, inputs: inputsJson(inputs, target, workload) };
  const context: Table4Context = { target: target.name, config, workload, tier: opts.tier, tierCapacityBytes: gather.tierCapacityBytes, hbmCacheBytes: opts.hbmCacheBytes, hbmHitRate: gather.hbmHitRate, rowZipf: opts.rowZipf, cachePolicy: opts.cachePolicy, seed: opts.seed, fast: opts.fast === true, model: system.model, skipped };
  emit(io, opts, renderTable4Markdown(rows, context), json);
}

function runSweep(
  name: SweepName,
  inputs: Inputs,
  workload: ReturnType<typeof benchWorkload>,
  system: ReturnType<typeof servingSystem>,
  plan: (cfg: EngramConfig, overrides?: GatherOverrides) => { plan: GatherPlan; tierCapacityBytes: number },
): Sensitivity {
  const backbone = inputs.backbones[0]!;
  const base = { system, backbone, workload, engine: inputs.engine };
  const at = (cfg: EngramConfig, engine: EngineSettings = inputs.engine, overrides: GatherOverrides = {}) => {
    const { plan: gather, tierCapacityBytes } = plan(cfg, overrides);
    const cacheBytes = overrides.hbmCacheBytes ?? inputs.opts.hbmCacheBytes;
    return { ...base, engine, engram: { placement: placeEngram(cfg, backbone, engine.maxNumBatchedTokens, cacheBytes, engine.maxNumSeqs), gather }, tierCapacityBytes };
  };
  switch (name) {
    case 'table-size':
      return sweepPenalty('table size', 'parameters', [1e10, 3e10, 1e11, 3e11, 1e12], (p) => at(withTableParams(inputs.config, p)));
    case 'layer':
      return sweepPenalty('Engram layer (0-based block)', 'block', [0, 1, 2, 3, 5, 8, 15], (l) => at(withLayer(inputs.config, l)));
    case 'batch':
      return sweepPenalty('max_num_seqs', 'sequences', [32, 64, 128, 256, 512], (n) => at(inputs.config, { ...inputs.engine, maxNumSeqs: n }));
    case 'link-bandwidth':
      return sweepPenalty('host link lanes (3.94 GB/s each at Gen5)', 'lanes', [1, 2, 4, 8, 16], (lanes) => at(inputs.config, inputs.engine, { linkLanes: lanes }));
    case 'link-latency':
      return sweepPenalty('added one-way link latency', 'ns', [0, 1000, 4000, 16000, 64000], (ns) => at(inputs.config, inputs.engine, { extraLinkLatencyNs: ns }));
    case 'hbm-cache':
      return sweepPenalty('HBM hot-row cache', 'bytes', [0, 1e9, 4e9, 16e9, 32e9], (bytes) => at(inputs.config, inputs.engine, { hbmCacheBytes: bytes }));
    case 'row-zipf': {
      // The cache as given, or 4 GB: the penalty against how concentrated the rows are (uniform = bench.py's ids).
      const bytes = inputs.opts.hbmCacheBytes > 0 ? inputs.opts.hbmCacheBytes : ROW_ZIPF_CACHE_BYTES;
      return sweepPenalty(`Zipf exponent of row popularity (${bytes / 1e9} GB HBM cache, ${inputs.opts.cachePolicy})`, 'exponent', ROW_ZIPF_S, (s) => at(inputs.config, inputs.engine, { hbmCacheBytes: bytes, rowZipfS: s }));
    }
    case 'resident-table':
      // The HBM cache holds the whole table, so no row crosses the host link: the case a locality-aware cache
      // approaches. Its bytes come out of the KV cache, which is what stops it paying for large tables.
      return sweepPenalty('table size, held whole in the HBM cache', 'parameters', RESIDENT_TABLE_PARAMS, (p) => {
        const cfg = withTableParams(inputs.config, p);
        const tableBytes = placeEngram(cfg, backbone, inputs.engine.maxNumBatchedTokens, 0, inputs.engine.maxNumSeqs).tableBytes;
        return at(cfg, inputs.engine, { hbmCacheBytes: tableBytes });
      });
    case 'runtime-reserve':
      // The assumed device memory outside PyTorch's tensors sets the KV cache of a KV-bound backbone to the block.
      return sweepPenalty('runtime reservation (device memory before weights)', 'bytes', RESERVE_GIB.map((g) => g * 2 ** 30), (bytes) => ({
        ...at(inputs.config),
        system: { ...system, serving: { ...system.serving, memory: { ...system.serving.memory, runtimeReservedBytes: bytes } } },
      }));
  }
}

function inputsJson(inputs: Inputs, target: unknown, workload: ReturnType<typeof benchWorkload>) {
  const { opts } = inputs;
  return {
    seed: opts.seed,
    mode: opts.fast === true ? 'fast (closed-form gather for every step)' : `sampled (cycle-level gather on ${CYCLE_SAMPLES.prefill} prefill and ${CYCLE_SAMPLES.decode} decode steps, at most ${CYCLE_SAMPLES.maxRowsPerStep} rows each)`,
    tier: opts.tier,
    hbmCacheBytes: opts.hbmCacheBytes,
    rowZipf: opts.rowZipf,
    cachePolicy: opts.cachePolicy,
    workload: { ...workload.spec, totalPromptTokens: workload.totalPromptTokens, totalOutputTokens: workload.totalOutputTokens },
    engine: inputs.engine,
    target,
    backbones: inputs.backbones,
    config: inputs.config,
  };
}

function emit(io: CliIo, opts: ProjectOptions, markdown: string, json: unknown): void {
  const jsonText = `${JSON.stringify(json, null, 2)}\n`;
  if (opts.out !== undefined) {
    const dir = path.resolve(io.cwd, opts.out);
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'result.md'), markdown);
      writeFileSync(path.join(dir, 'result.json'), jsonText);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'write error';
      throw new UsageError(`--out: cannot write ${showValue(opts.out)} (${code})`, { cause: error });
    }
  }
  // The report reads the result as `engram-dse report` would read result.json, through its schema.
  if (opts.report !== undefined) writeReport([parseProjectResult(JSON.parse(jsonText), 'engram-dse project')], opts.report, io.cwd, '--report');
  io.out(opts.json === true ? jsonText : markdown);
}


// Rendering: one Markdown text serves the terminal and result.md.

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits = 2) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const signed = (n: number, digits = 2) => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;
const seconds = (ns: number) => (ns / 1e9).toFixed(3);
const micro = (ns: number) => `${(ns / 1e3).toFixed(1)} us`;
const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;

function table(header: readonly string[], rows: readonly (readonly string[])[], right: (c: number) => boolean): string {
  const align = header.map((_, c) => (right(c) ? '---:' : '---'));
  return [header, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

interface Table4Context {
  readonly target: string;
  readonly config: EngramConfig;
  readonly workload: ReturnType<typeof benchWorkload>;
  readonly tier: GatherTier;
  readonly tierCapacityBytes: number;
  readonly hbmCacheBytes: number;
  readonly hbmHitRate: number;
  readonly rowZipf: number;
  readonly cachePolicy: AnalyticCachePolicy;
  readonly seed: number;
  readonly fast: boolean;
  /** What runs where (ServingSystem.model). */
  readonly model: readonly string[];
  /** Default backbones the device cannot hold. */
  readonly skipped: readonly { readonly backbone: string; readonly reason: string }[];
}

export function renderTable4Markdown(rows: readonly Table4Row[], c: Table4Context): string {
  const first = rows[0]!.engram.engram!;
  const spec = c.workload.spec;
  const lines = [
    rows.some((r) => r.paper !== null) ? '# Engram serving projection: Table 4 of arXiv 2601.07372 (§6.4)' : `# Engram serving projection: the workload of arXiv 2601.07372's Table 4 on ${c.target}`,
    '',
    `- System: ${c.target}, nano-vLLM engine (max_num_seqs ${BENCH_ENGINE.maxNumSeqs}, max_num_batched_tokens ${BENCH_ENGINE.maxNumBatchedTokens}, KV blocks of ${BENCH_ENGINE.blockSize}, gpu_memory_utilization ${BENCH_ENGINE.gpuMemoryUtilization}).`,
    ...c.model.map((line) => `- ${line}`),
    ...c.skipped.map((x) => `- Not projected: ${x.reason}.`),
    `- Engram: ${c.config.name}, ${first.layerIds.length} layer(s) at block(s) ${first.layerIds.join(', ')} (0-based), ${first.rowsPerToken} rows x ${first.rowBytes} B per token, ${gb(first.tableBytes)} table in ${c.tier} (${gb(c.tierCapacityBytes)} tier${first.tableBytes > c.tierCapacityBytes ? ': the preset is too small to hold it; capacity does not enter the timing' : ''})${c.hbmCacheBytes > 0 ? `, ${gb(c.hbmCacheBytes)} HBM hot-row cache serving ${fixed(100 * c.hbmHitRate, 1)}% of lookups (${c.rowZipf > 0 ? `rows of Zipf(${c.rowZipf}) popularity per head, ${c.cachePolicy === 'lru' ? "LRU by Che's approximation" : 'the hottest cached'}` : "bench.py's ids hash uniformly"})` : ', no HBM cache (as in the paper)'}.`,
    `- Workload: nano-vLLM bench.py, seed(${spec.seed}), ${spec.numSeqs} sequences, prompt and output lengths randint(${spec.minInputLen}, ${spec.maxInputLen}): ${int(c.workload.totalPromptTokens)} prompt and ${int(c.workload.totalOutputTokens)} output tokens; tok/s = output tokens / wall time including prefill.`,
    `- Gather: ${first.gatherModel}.`,
    '',
    table(
      ['backbone', 'role', 'baseline paper', 'ours', 'dev', '+Engram paper', 'ours', 'dev', 'penalty paper', 'ours', 'dev'],
      rows.map((r) => [
        r.backbone,
        r.role,
        r.paper === null ? '-' : fixed(r.paper.baselineTokPerS),
        fixed(r.baselineTokPerS),
        r.deviation === null ? '-' : `${signed(r.deviation.baselinePct)}%`,
        r.paper === null ? '-' : fixed(r.paper.engramTokPerS),
        fixed(r.engramTokPerS),
        r.deviation === null ? '-' : `${signed(r.deviation.engramPct)}%`,
        r.paper === null ? '-' : `${r.paper.penaltyPct.toFixed(2)}%`,
        `${r.penaltyPct.toFixed(2)}%`,
        r.deviation === null ? '-' : `${signed(r.deviation.penaltyPp)} pp`,
      ]),
      (col) => col >= 2,
    ),
    '',
    'Throughput in output tokens per second; dev = ours against the paper. The calibration row reproduces its own fit; the prediction rows are the check.',
    '',
    '## Where the time goes (seconds of wall time)',
    '',
    breakdownTable(rows.flatMap((r) => [[`${r.backbone}`, r.baseline] as const, [`${r.backbone} +Engram`, r.engram] as const])),
    '',
    '## Why the penalty is not 0',
    '',
    ...rows.map((r) => whyLine(r)),
    ...samplingLines(rows),
  ];
  return `${lines.join('\n')}\n`;
}

type Named = readonly (readonly [string, ServingRun])[];

function breakdownTable(runs: Named): string {
  const sum = (run: ServingRun, pick: (p: PhaseBreakdown) => number) => pick(run.prefill) + pick(run.decode);
  const line = (label: string, value: (run: ServingRun) => string): string[] => [label, ...runs.map(([, run]) => value(run))];
  const secs = (label: string, pick: (run: ServingRun) => number) => line(label, (run) => seconds(pick(run)));
  const rows = [
    line('prefill steps / tokens', (r) => `${r.prefill.steps} / ${int(r.prefill.tokens)}`),
    secs('prefill GEMMs', (r) => r.prefill.gemmNs),
    secs('prefill attention', (r) => r.prefill.attentionNs),
    secs('prefill element-wise, head, sampler, launch', (r) => r.prefill.elementwiseNs + r.prefill.lmHeadNs + r.prefill.samplerNs + r.prefill.launchBoundNs),
    line('decode steps / mean batch', (r) => `${r.decode.steps} / ${r.schedule.meanDecodeBatch.toFixed(1)}`),
    secs('decode GEMMs', (r) => r.decode.gemmNs),
    secs('decode attention (KV reads)', (r) => r.decode.attentionNs),
    secs('decode element-wise', (r) => r.decode.elementwiseNs),
    secs('decode output head + sampler', (r) => r.decode.lmHeadNs + r.decode.samplerNs),
    secs('host: scheduler, inputs, postprocess', (r) => sum(r, (p) => p.hostSchedulerNs + p.hostPrefillPrepNs)),
    secs('host: launch + sync', (r) => sum(r, (p) => p.hostLaunchNs + p.hostSyncNs)),
    secs('Engram layer compute', (r) => sum(r, (p) => p.engramComputeNs)),
    secs('Engram exposed: fetch stalls', (r) => sum(r, (p) => p.engramStallNs)),
    secs('Engram exposed: synchronisation', (r) => sum(r, (p) => p.engramSyncNs)),
    secs('wall', (r) => r.wallNs),
    line('KV blocks / preemptions / recomputed tokens', (r) => `${r.kvCache.numBlocks} / ${r.schedule.preemptions} / ${int(r.schedule.recomputedTokens)}`),
  ];
  return table(['', ...runs.map(([name]) => name)], rows, (col) => col > 0);
}

function whyLine(r: Table4Row): string {
  const e = r.engram.engram!;
  const extra = r.engram.wallNs - r.baseline.wallNs;
  const sync = r.engram.prefill.engramSyncNs + r.engram.decode.engramSyncNs;
  const stall = r.engram.prefill.engramStallNs + r.engram.decode.engramStallNs;
  const compute = r.engram.prefill.engramComputeNs + r.engram.decode.engramComputeNs;
  const schedule = extra - sync - stall - compute;
  return (
    `- ${r.backbone}: +${seconds(extra)} s. A decode step fetches in ${micro(e.meanDecodeFetchNs)} (hash + gather + transfer) against a ${micro(e.meanDecodeWindowNs)} window ` +
    `(blocks before the Engram layer); a prefill step ${micro(e.meanPrefillFetchNs)} against ${micro(e.meanPrefillWindowNs)}; ${e.stalledSteps} step(s) stalled (${seconds(stall)} s). ` +
    `Synchronisation (per step, the target's serving.engram.syncNs) ${seconds(sync)} s, Engram compute ${seconds(compute)} s, and ${seconds(schedule)} s from the schedule ` +
    `(${r.engram.kvCache.numBlocks - r.baseline.kvCache.numBlocks} KV blocks, ${r.engram.schedule.preemptions - r.baseline.schedule.preemptions} preemptions against the baseline).`
  );
}

function samplingLines(rows: readonly Table4Row[]): string[] {
  const s = rows[0]!.engram.engram!.sampling;
  if (s === null) return [];
  const stratum = (name: string, x: { sampledSteps: number; totalSteps: number; meanRatio: number; stdErrRatio: number }) =>
    `${name} ${x.sampledSteps} of ${x.totalSteps} steps, cycle/closed-form ratio ${x.meanRatio.toFixed(3)} +- ${x.stdErrRatio.toFixed(3)}`;
  return ['', `Sampling: ${s.cycleModel} on ${stratum('prefill', s.prefill)}; ${stratum('decode', s.decode)}.`];
}

export function table4Json(rows: readonly Table4Row[]) {
  const breakdown = (run: ServingRun) => ({
    wallNs: run.wallNs,
    tokPerS: run.tokPerS,
    prefill: run.prefill,
    decode: run.decode,
    kvCache: run.kvCache,
    schedule: run.schedule,
    engram: run.engram,
  });
  return {
    rows: rows.map((r) => ({
      backbone: r.backbone,
      role: r.role,
      baselineTokPerS: r.baselineTokPerS,
      engramTokPerS: r.engramTokPerS,
      penaltyPct: r.penaltyPct,
      paper: r.paper,
      deviation: r.deviation,
      breakdown: { baseline: breakdown(r.baseline), engram: breakdown(r.engram) },
    })),
  };
}

export function renderSweepMarkdown(s: Sensitivity, backbone: string, target: string, config: string, opts: ProjectOptions): string {
  const lines = [
    `# Engram penalty against ${s.parameter}`,
    '',
    `${backbone} on ${target}, ${config} in ${opts.tier}, ${opts.seqs} sequences, seed ${opts.seed}${opts.fast === true ? ', closed-form gather' : ''}.`,
    '',
    table(
      [`${s.parameter} (${s.unit})`, 'baseline tok/s', '+Engram tok/s', 'penalty', 'exposed s', 'decode fetch', 'decode window', 'table', 'fits tier'],
      s.points.map((p) => [
        p.value.toLocaleString('en-US'),
        fixed(p.baselineTokPerS),
        fixed(p.engramTokPerS),
        `${p.penaltyPct.toFixed(2)}%`,
        seconds(p.exposedNs),
        micro(p.meanDecodeFetchNs),
        micro(p.meanDecodeWindowNs),
        gb(p.tableBytes),
        p.fitsTier === null ? '-' : p.fitsTier ? 'yes' : 'no',
      ]),
      (col) => col < 8,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
