// `engram-dse memsim`: replays a DRAMsim3 text trace or an Engram row-access trace on a memory preset
// from targets/memory/ and reports bandwidth, latency percentiles and batch gather times.
import { Command, Option } from 'commander';
import { closeSync, fstatSync, openSync, readFileSync, readSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { showValue } from '../../core/index.ts';
import {
  compiledCoreUnsupported,
  createMemoryDevice,
  Dramsim3TraceStream,
  EngramGatherStream,
  resolveMemoryPreset,
  simulate,
  simulateCompiled,
  simulateNative,
  type DramOptions,
  type PresetLoader,
  type ResolvedMemoryPreset,
  type RequestStream,
  type SimulationSummary,
  type TraceDriverOptions,
} from '../../memory/index.ts';
import { parseJsonText } from '../../spec/index.ts';
import { loadCompiledCore, loadNativeCore } from '../compiledCoreLoader.ts';
import { openTraceRows } from '../traceFile.ts';
import type { CliIo } from '../context.ts';
import { UsageError, parseIntOption } from '../parse.ts';

/** Folder of the memory presets, found from this file so the CLI works from any directory. */
export const MEMORY_PRESET_DIR = fileURLToPath(new URL('../../../targets/memory/', import.meta.url));

/** Bytes per line of a DRAMsim3 trace: one 64-byte transaction, DRAMsim3's usual request size. */
const DRAMSIM3_REQUEST_BYTES = 64;
const CHUNK_BYTES = 1 << 20;

export function memoryPresetNames(dir = MEMORY_PRESET_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** A PresetLoader over a folder of `<name>.json` files; unknown names list the known ones. */
export function presetLoader(dir = MEMORY_PRESET_DIR, option = '--device'): PresetLoader {
  return (name) => {
    const known = memoryPresetNames(dir);
    if (!known.includes(name)) throw new UsageError(`${option}: unknown memory preset ${showValue(name)}; expected one of ${known.join(', ')}`);
    const file = path.join(dir, `${name}.json`);
    return { data: parseJsonText(readFileSync(file, 'utf8'), file), file };
  };
}

interface MemsimOptions {
  device: string;
  trace: string;
  traceFormat: 'dramsim3' | 'engram';
  window?: number;
  batchRequests?: number;
  tsUnit: 'cycles' | 'ns';
  mergeDuplicates: 'on' | 'off';
  engine: 'auto' | EngineName;
  json?: boolean;
}

type EngineName = 'native' | 'wasm' | 'typescript';

/** The replay function memsim runs: the compiled core (native or WebAssembly) or the TypeScript model, and why. */
interface Engine {
  readonly name: EngineName;
  /** Why --engine auto did not pick the native core; null when it did, or when the user chose. */
  readonly fallback: string | null;
  run(stream: RequestStream, options: TraceDriverOptions): Promise<SimulationSummary>;
}

const ENGINE_LABEL: Record<EngineName, string> = {
  native: 'native (sim/dramcore built with g++, a child process fed while the trace is read)',
  wasm: 'wasm (sim/dramcore as WebAssembly)',
  typescript: 'typescript (src/memory)',
};

/**
 * --engine: `native` and `wasm` replay DRAM presets in sim/dramcore's compiled core (the same algorithm and
 * results; native 2.1-2.7x the TypeScript model's requests per second, with the trace parsed on another core;
 * WebAssembly about 1.8x), `typescript` in src/memory's model; `auto` takes the first of native, wasm and
 * typescript that can run here.
 */
function chooseEngine(choice: MemsimOptions['engine'], preset: ResolvedMemoryPreset, dram: DramOptions): Engine {
  const typescript: Engine = { name: 'typescript', fallback: null, run: (stream, options) => Promise.resolve(simulate(createMemoryDevice(preset, dram), stream, options)) };
  if (choice === 'typescript') return typescript;
  const reasons: string[] = [];
  if (preset.kind !== 'dram') reasons.push(`the compiled core models DRAM presets only, and ${preset.name} is ${preset.kind}`);
  else {
    const unsupported = compiledCoreUnsupported(preset, dram);
    if (unsupported !== null) reasons.push(unsupported);
    else {
      // Each compiled engine's replay function, or why it cannot run here (building it when its build is missing).
      const compiled: Record<'native' | 'wasm', () => Engine['run'] | string> = {
        native: () => {
          const load = loadNativeCore();
          return 'binary' in load ? (stream, options) => simulateNative(load.binary, preset, dram, stream, options) : load.unavailable;
        },
        wasm: () => {
          const load = loadCompiledCore();
          return 'core' in load ? (stream, options) => Promise.resolve(simulateCompiled(load.core, preset, dram, stream, options)) : load.unavailable;
        },
      };
      for (const name of choice === 'auto' ? (['native', 'wasm'] as const) : [choice]) {
        const run = compiled[name]();
        if (typeof run !== 'string') return { name, fallback: reasons.length === 0 ? null : reasons.join('; '), run };
        reasons.push(run);
      }
    }
  }
  if (choice !== 'auto') throw new UsageError(`--engine: ${choice} cannot run here: ${reasons.join('; ')}; expected --engine auto or typescript`);
  return { ...typescript, fallback: reasons.join('; ') };
}

export function register(program: Command, io: CliIo): void {
  program
    .command('memsim')
    .description('Replay a memory trace on a cycle-level DRAM model (presets in targets/memory/)')
    .requiredOption('--device <preset>', `memory preset (${memoryPresetNames().join(', ')})`)
    .requiredOption('--trace <file>', 'trace file: DRAMsim3 text ("0xADDR READ|WRITE TIME" per line) or an Engram .trace')
    .addOption(new Option('--trace-format <format>', 'trace file format').choices(['dramsim3', 'engram']).default('dramsim3'))
    .option('--window <n>', 'most requests outstanding at once (default: only the device queues limit)', parseIntOption('--window', 1))
    .option('--batch-requests <n>', 'engram format: requests per batch, with a barrier between batches (default: 512 tokens of one layer)', parseIntOption('--batch-requests', 1))
    .addOption(new Option('--ts-unit <unit>', 'dramsim3 format: unit of the TIME column').choices(['cycles', 'ns']).default('cycles'))
    .addOption(new Option('--merge-duplicates <mode>', 'let a read join a queued or in-flight read of the same burst at the controller').choices(['on', 'off']).default('off'))
    .addOption(
      new Option('--engine <engine>', 'native or wasm: the compiled core (sim/dramcore; same results, faster) built with g++ or as WebAssembly; typescript: the src/memory model; auto: the first of native, wasm, typescript that can run')
        .choices(['auto', 'native', 'wasm', 'typescript'])
        .default('auto'),
    )
    .option('--json', 'print the result as JSON')
    .action((opts: MemsimOptions, cmd: Command) => runMemsim(opts, cmd.getOptionValueSource('tsUnit') === 'cli', io));
}

async function runMemsim(opts: MemsimOptions, tsUnitGiven: boolean, io: CliIo): Promise<void> {
  if (opts.traceFormat === 'dramsim3' && opts.batchRequests !== undefined) {
    throw new UsageError('--batch-requests: applies to --trace-format engram only (dramsim3 traces are timed by their TIME column)');
  }
  if (opts.traceFormat === 'engram' && tsUnitGiven) {
    throw new UsageError(`--ts-unit: applies to --trace-format dramsim3 only (engram traces carry no times), got ${showValue(opts.tsUnit)}`);
  }
  const tracePath = path.resolve(io.cwd, opts.trace);
  if (!existsSync(tracePath)) throw new UsageError(`--trace: no such file ${showValue(opts.trace)}`);
  const preset = resolveMemoryPreset(opts.device, presetLoader());
  const engine = chooseEngine(opts.engine, preset, { mergeDuplicates: opts.mergeDuplicates === 'on' ? 'controller' : 'off' });
  const window = opts.window ?? Infinity;
  const started = performance.now();
  let summary: SimulationSummary;
  if (opts.traceFormat === 'engram') {
    // Read as the replay goes, a chunk of one layer at a time: memory stays bounded however long the trace.
    const fd = openSync(tracePath, 'r');
    try {
      const trace = openTraceRows(fd, fstatSync(fd).size, opts.trace);
      const stream = new EngramGatherStream(trace, opts.batchRequests === undefined ? { file: opts.trace } : { file: opts.trace, batchRequests: opts.batchRequests });
      summary = await engine.run(stream, { mode: 'batched', window });
    } finally {
      closeSync(fd);
    }
  } else {
    const fd = openSync(tracePath, 'r');
    try {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      // Each call copies one chunk out, so the parser may keep it while the buffer is refilled.
      const read = (): Uint8Array | null => {
        const n = readSync(fd, chunk, 0, CHUNK_BYTES, null);
        return n === 0 ? null : Uint8Array.prototype.slice.call(chunk, 0, n);
      };
      const stream: RequestStream = new Dramsim3TraceStream(read, { file: opts.trace, tsUnit: opts.tsUnit, tCkPs: preset.tCkPs, requestBytes: DRAMSIM3_REQUEST_BYTES });
      summary = await engine.run(stream, { mode: 'timed', window });
    } finally {
      closeSync(fd);
    }
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const result = {
    requests: summary.requests,
    bytes: summary.bytes,
    simulatedNs: round(summary.simulatedNs),
    bandwidthGBps: round(summary.bandwidthGBps),
    busBandwidthGBps: round(summary.busBandwidthGBps),
    latencyNs: roundAll(summary.latencyNs),
    ...(summary.batchNs === null ? {} : { batchNs: roundAll(summary.batchNs) }),
    simulatedCycles: summary.simulatedCycles,
    wallSeconds: round(wallSeconds),
    requestsPerWallSecond: Math.round(wallSeconds > 0 ? summary.requests / wallSeconds : 0),
    engine: engine.name,
  };
  if (opts.json === true) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const extra = summary.deviceStats.extra;
  const pct = summary.peakBandwidthGBps > 0 ? (100 * summary.busBandwidthGBps) / summary.peakBandwidthGBps : 0;
  const lines = [
    `memsim: ${preset.name} (${preset.kind === 'dram' ? `${preset.standard}), ${preset.channels} channels x ${preset.channelWidthBits} bit` : `${preset.kind})`}, peak ${fmt(preset.peakBandwidthGBps)} GB/s`,
    `trace: ${opts.trace} (${opts.traceFormat}${opts.traceFormat === 'dramsim3' ? `, times in ${opts.tsUnit}` : ''}), window ${opts.window ?? 'unlimited'}, merge-duplicates ${opts.mergeDuplicates}`,
    `requests:  ${summary.requests} (${summary.reads} reads, ${summary.writes} writes), ${summary.bytes} bytes`,
    `simulated: ${summary.simulatedCycles} cycles = ${fmt(summary.simulatedNs)} ns`,
    `bandwidth: ${fmt(summary.bandwidthGBps)} GB/s requested, ${fmt(summary.busBandwidthGBps)} GB/s on the bus (${fmt(pct)}% of peak)`,
    `latency:   mean ${fmt(summary.latencyNs.mean)} ns, p50 ${fmt(summary.latencyNs.p50)} ns, p99 ${fmt(summary.latencyNs.p99)} ns`,
    ...(summary.batchNs === null ? [] : [`batches:   ${summary.batches}, gather time mean ${fmt(summary.batchNs.mean)} ns, p50 ${fmt(summary.batchNs.p50)} ns, p99 ${fmt(summary.batchNs.p99)} ns`]),
    preset.kind === 'dram'
      ? `rows:      ${extra['rowHits']} hits, ${extra['rowMisses']} misses, ${extra['rowConflicts']} conflicts; ${extra['activates']} ACT, ${extra['refreshes']} REF; ${summary.deviceStats.mergedRequests} merged, ${summary.deviceStats.wrappedRequests} beyond capacity (wrapped)`
      : `device:    ${Object.entries(extra).map(([k, v]) => `${k} ${fmt(v)}`).join(', ') || 'no further counters'}; ${summary.deviceStats.mergedRequests} merged, ${summary.deviceStats.wrappedRequests} beyond capacity (wrapped)`,
    `speed:     ${fmt(wallSeconds)} s wall, ${result.requestsPerWallSecond} requests per wall second`,
    `engine:    ${ENGINE_LABEL[engine.name]}${engine.fallback === null ? '' : `: ${engine.fallback}`}`,
  ];
  io.out(`${lines.join('\n')}\n`);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const roundAll = (p: { mean: number; p50: number; p99: number }) => ({ mean: round(p.mean), p50: round(p.p50), p99: round(p.p99) });
const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(x >= 100 ? 1 : 2));
