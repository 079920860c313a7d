// The compiled core of a DRAM trace replay: sim/dramcore/dram_core.cpp, the same algorithm as simulate() with a
// DramDevice (runEngine, TraceDriver, DramDevice and the channel model, ported line by line), compiled to
// WebAssembly. This file drives one run: it writes the resolved preset into the module's parameter block, feeds
// it the stream's records in blocks through the module's one import (dc_refill), and turns its result block into
// the SimulationSummary simulate() returns. The module comes from the caller (the CLI builds and loads it), so
// nothing here touches the file system. Results equal the TypeScript model's field for field
// (test/memory/compiledCore.test.ts); only speed differs. The parameter block, the record checks (RecordFeeder)
// and the result decoding (summaryFromCore) are shared with the native build of the same core (nativeCore.ts).
import { SimError, showValue } from '../core/index.ts';
import { AddressDecoder } from './dram/addressMapping.ts';
import type { DramOptions } from './dram/dramDevice.ts';
import { mappingDimensions, type ResolvedDramPreset } from './dram/resolvePreset.ts';
import { LatencyHistogram } from './histogram.ts';
import { summarizeRun, type SimulationSummary } from './simulate.ts';
import type { RequestStream, TraceDriverOptions, TraceRecord } from './traceDriver.ts';

/** Names of the parameter block's entries, in the order of sim/dramcore/dram_core_layout.h (P_*). */
const PARAMS = [
  'channels', 'ranks', 'bankGroups', 'banksPerGroup', 'actCycles', 'casCycles', 'split', 'queueDepth', 'rowHitCap',
  'closedPage', 'refreshScheme', 'merge', 'batched', 'window', 'burstBytes',
  'tRcdCycles', 'tRcdWrCycles', 'tClCycles', 'tCwlCycles', 'tRpCycles', 'tRasCycles', 'tRcCycles', 'tCcdSCycles', 'tCcdLCycles',
  'tCcdLWrCycles', 'tRrdSCycles', 'tRrdLCycles', 'tFawCycles', 'tWtrSCycles', 'tWtrLCycles', 'tRtpCycles', 'tWrCycles',
  'tRtrsCycles', 'tRtwTurnaroundCycles', 'burstCycles', 'tRefiCycles', 'tRfcCycles',
  'capacityBursts', 'pow2', 'parts',
] as const;
const PART_DOUBLES = 8;
const MAX_PARTS = 16;
const PARAM_COUNT = PARAMS.length + PART_DOUBLES * MAX_PARTS;

/** Names of the result block's entries, in the order of dram_core_layout.h (R_*). */
export const RESULTS = [
  'status', 'steps', 'finalCycle', 'requests', 'reads', 'writes', 'bytes', 'firstArrival', 'lastCompletion', 'occupancy',
  'devRequests', 'devReads', 'devWrites', 'devBytes', 'mergedRequests', 'wrappedRequests', 'refused',
  'activates', 'precharges', 'refreshes', 'readBursts', 'writeBursts', 'mergedBursts', 'rowHits', 'rowMisses', 'rowConflicts',
  'histCount', 'histSum', 'histMin', 'histMax', 'batches', 'outstanding', 'blocked',
] as const;
type ResultName = (typeof RESULTS)[number];
const STATUS_DONE = 0;
const STATUS_STALLED = 1;
/** Doubles per record in the core's input block. */
export const RECORD_DOUBLES = 5;
const REFRESH_SCHEMES = ['all-bank', 'per-bank', 'same-bank'] as const;
const MAX_ADDR = 2 ** 53;

// The slice of the WebAssembly JS API used here (the project's ES2023 lib declares no WebAssembly types).
interface WasmImportDescriptor {
  readonly module: string;
  readonly name: string;
}
interface WasmApi {
  Module: { new (bytes: Uint8Array): object; imports(module: object): WasmImportDescriptor[] };
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: unknown };
}
const WASM = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A compiled dram_core.wasm (a WebAssembly.Module), ready to instantiate once per run. */
export interface CompiledCore {
  readonly module: object;
}

/** Compiles the bytes of sim/dramcore's dram_core.wasm; throws SimError when they are not a WebAssembly module. */
export function compileCore(bytes: Uint8Array, where: string): CompiledCore {
  try {
    return { module: new WASM.Module(bytes) };
  } catch (error) {
    throw new SimError(`${where}: expected a WebAssembly module (sim/dramcore/build.sh wasm), got ${bytes.length} bytes that do not compile: ${(error as Error).message}`, { cause: error });
  }
}

/** The exports of dram_core.wasm this file uses. */
interface CoreExports {
  memory: { readonly buffer: ArrayBuffer };
  _initialize(): void;
  dc_layout(which: number): number;
  dc_params(): number;
  dc_input(): number;
  dc_result(): number;
  dc_histogram(): number;
  dc_batches(): number;
  dc_run(): number;
}

/** Why the compiled core cannot run this preset with these options, or null when it can. */
export function compiledCoreUnsupported(preset: ResolvedDramPreset, options: DramOptions): string | null {
  if (!(REFRESH_SCHEMES as readonly string[]).includes(preset.refresh.scheme)) return `refresh scheme ${showValue(preset.refresh.scheme)} is not one the compiled core knows`;
  const parts = (options.addressMapping ?? preset.addressMapping).length;
  if (parts > MAX_PARTS) return `the address mapping has ${parts} entries; the compiled core takes at most ${MAX_PARTS}`;
  return null;
}

/**
 * Replays `stream` on a DRAM device built from `preset` and `dramOptions` in the compiled core `module`
 * (sim/dramcore/dram_core.wasm), with the driver `options`; returns what simulate() returns for the same run.
 * Throws SimError for the same bad input as the TypeScript model (a record's address or size, times going
 * backwards in timed mode), for a module whose layout does not match this file, and when the run stalls.
 */
export function simulateCompiled(
  core: CompiledCore,
  preset: ResolvedDramPreset,
  dramOptions: DramOptions,
  stream: RequestStream,
  options: TraceDriverOptions,
): SimulationSummary {
  checkCoreRun(preset, dramOptions, options);
  const feeder = new RecordFeeder(stream, options.mode === 'batched', preset.name);
  let exports: CoreExports | null = null;
  const refill = (): number => {
    const c = exports!;
    const capacity = c.dc_layout(3);
    // The heap may have grown (and its buffer moved) since the last call.
    return feeder.fill(new Float64Array(c.memory.buffer, c.dc_input(), capacity * RECORD_DOUBLES), capacity);
  };
  const imports: Record<string, Record<string, unknown>> = {};
  for (const imp of WASM.Module.imports(core.module)) {
    const fn =
      imp.name === 'dc_refill' ? refill
      : imp.name === 'emscripten_notify_memory_growth' ? (): void => {}
      : (...args: unknown[]): never => {
          throw new SimError(`compiled memsim core (${preset.name}): the module called ${imp.module}.${imp.name}(${args.map((a) => showValue(a)).join(', ')}); expected only dc_refill`);
        };
    (imports[imp.module] ??= {})[imp.name] = fn;
  }
  const c = (exports = new WASM.Instance(core.module, imports).exports as CoreExports);
  c._initialize();
  checkCoreLayout([c.dc_layout(0), c.dc_layout(1)], 'a build from another version of sim/dramcore; rebuild with bash sim/dramcore/build.sh');
  new Float64Array(c.memory.buffer, c.dc_params(), PARAM_COUNT).set(coreParameterBlock(preset, dramOptions, options));
  c.dc_run();
  const res = new Float64Array(c.memory.buffer, c.dc_result(), RESULTS.length);
  const histogram = new Float64Array(c.memory.buffer, c.dc_histogram(), c.dc_layout(2));
  const batches = new Float64Array(c.memory.buffer, c.dc_batches(), res[RESULTS.indexOf('batches')]!);
  return summaryFromCore(preset, options, res, histogram, batches);
}

/** The checks every compiled run makes before it starts: the preset is one the core models, the window is valid. */
export function checkCoreRun(preset: ResolvedDramPreset, dramOptions: DramOptions, options: TraceDriverOptions): void {
  const unsupported = compiledCoreUnsupported(preset, dramOptions);
  if (unsupported !== null) throw new SimError(`compiled memsim core (${preset.name}): ${unsupported}`);
  if (!(options.window >= 1)) throw new SimError(`TraceDriver: window: expected at least 1 or Infinity, got ${showValue(options.window)}`);
}

/** The sizes of the parameter and result blocks a build of the core reports, checked against this file's layout. */
export function checkCoreLayout(sizes: readonly number[], remedy: string): void {
  const expected = [PARAM_COUNT, RESULTS.length];
  for (let i = 0; i < expected.length; i++) {
    if (sizes[i] !== expected[i]) throw new SimError(`compiled memsim core: ${i === 0 ? 'parameter' : 'result'} block: expected ${expected[i]} entries, got ${sizes[i]} (${remedy})`);
  }
}

/**
 * The SimulationSummary of a finished core run, from its result block, histogram buckets and batch times
 * (the wasm module's memory or the native core's output); throws SimError for a stalled or failed run.
 */
export function summaryFromCore(preset: ResolvedDramPreset, options: TraceDriverOptions, res: Float64Array, histogram: Float64Array, batches: Float64Array): SimulationSummary {
  const get = (name: ResultName): number => res[RESULTS.indexOf(name)]!;
  if (get('status') === STATUS_STALLED) {
    throw new SimError(
      `runEngine: ${preset.name} stalled at cycle ${get('finalCycle')}: the source ${get('blocked') === 1 ? 'was refused and ' : ''}waits for completions but the device has no pending event (${get('outstanding')} requests outstanding)`,
    );
  }
  if (get('status') !== STATUS_DONE) throw new SimError(`compiled memsim core (${preset.name}): run failed with status ${get('status')}; expected ${STATUS_DONE}`);
  const latency = LatencyHistogram.fromBuckets(histogram, get('histCount'), get('histSum'), get('histMin'), get('histMax'));
  const driver = {
    requests: get('requests'),
    reads: get('reads'),
    writes: get('writes'),
    bytes: get('bytes'),
    latency,
    batchCycles: batches.slice(),
    firstArrivalCycle: get('firstArrival'),
    lastCompletionCycle: get('lastCompletion'),
    occupancyCycles: get('occupancy'),
  };
  const extra = {
    activates: get('activates'), precharges: get('precharges'), refreshes: get('refreshes'), readBursts: get('readBursts'),
    writeBursts: get('writeBursts'), mergedBursts: get('mergedBursts'), rowHits: get('rowHits'), rowMisses: get('rowMisses'),
    rowConflicts: get('rowConflicts'), refusedIssues: get('refused'),
  };
  const stats = {
    requests: get('devRequests'),
    reads: get('devReads'),
    writes: get('devWrites'),
    bytesRequested: get('devBytes'),
    busBytes: (extra.readBursts + extra.writeBursts) * preset.burstBytes,
    mergedRequests: get('mergedRequests'),
    wrappedRequests: get('wrappedRequests'),
    extra,
  };
  return summarizeRun(preset, options.mode, driver, get('steps'), stats);
}

/**
 * The parameter block: organisation, controller, driver options, timing in cycles, then the compiled mapping
 * (also what the native build reads first: nativeCore.ts pipes it, the bench writes it to a file).
 */
export function coreParameterBlock(p: ResolvedDramPreset, o: DramOptions, options: TraceDriverOptions): Float64Array {
  const mapping = o.addressMapping ?? p.addressMapping;
  const decoder = new AddressDecoder(mapping, mappingDimensions(p), { file: `device ${p.name}`, path: 'addressMapping' });
  const queueDepth = o.queueDepth ?? p.controller.queueDepth;
  if (!Number.isInteger(queueDepth) || queueDepth < 1) throw new SimError(`DramDevice: queueDepth: expected a positive integer, got ${showValue(queueDepth)}`);
  const form = decoder.compiledForm();
  const named: Record<(typeof PARAMS)[number], number> = {
    channels: p.channels,
    ranks: p.ranks,
    bankGroups: p.bankGroups,
    banksPerGroup: p.banksPerGroup,
    actCycles: p.commandBus.actCycles,
    casCycles: p.commandBus.casCycles,
    split: p.commandBus.splitRowColumn ? 1 : 0,
    queueDepth,
    rowHitCap: o.rowHitCap ?? p.controller.rowHitCap,
    closedPage: (o.pagePolicy ?? p.controller.pagePolicy) === 'closed' ? 1 : 0,
    refreshScheme: REFRESH_SCHEMES.indexOf(p.refresh.scheme),
    merge: o.mergeDuplicates === 'controller' ? 1 : 0,
    batched: options.mode === 'batched' ? 1 : 0,
    window: options.window,
    burstBytes: p.burstBytes,
    ...p.timing,
    capacityBursts: decoder.capacityBursts,
    pow2: form.bits === null ? 0 : 1,
    parts: form.radix.length,
  };
  const block = new Float64Array(PARAM_COUNT);
  PARAMS.forEach((name, i) => (block[i] = named[name]));
  for (let i = 0; i < form.radix.length; i++) {
    const at = PARAMS.length + i * PART_DOUBLES;
    block[at] = form.radix[i]!;
    block[at + 1] = form.inverse[i]!;
    block[at + 2] = form.field[i]!;
    block[at + 3] = form.weight[i]!;
    for (let k = 0; k < 4; k++) block[at + 4 + k] = form.bits === null ? 0 : form.bits[i * 4 + k]!;
  }
  return block;
}

/**
 * The stream's records in the core's input layout (5 doubles each: addr, sizeBytes, isWrite, cycle, batch), checked
 * as TraceDriver and DramDevice.issue check them (the messages name the record, counted from 1).
 */
export class RecordFeeder {
  private readonly rec: TraceRecord = { addr: 0, isWrite: false, sizeBytes: 0, cycle: 0, batch: 0 };
  private index = 0;
  private lastCycle = -Infinity;
  private ended = false;

  constructor(private readonly stream: RequestStream, private readonly batched: boolean, private readonly presetName: string) {}

  /** Writes up to `capacity` records into `input` from its start; returns how many, 0 once the stream has ended. */
  fill(input: Float64Array, capacity: number): number {
    if (this.ended) return 0;
    const rec = this.rec;
    let n = 0;
    while (n < capacity) {
      if (!this.stream.next(rec)) {
        this.ended = true;
        break;
      }
      const index = ++this.index;
      const { addr, sizeBytes, cycle } = rec;
      if (!this.batched) {
        if (cycle < this.lastCycle) throw new SimError(`TraceDriver: request ${index}: cycle ${cycle} is before the previous request's cycle ${this.lastCycle}; expected non-decreasing times`);
        this.lastCycle = cycle;
      }
      if (!Number.isInteger(addr) || addr < 0 || addr >= MAX_ADDR) throw this.bad('addr', addr, 'an integer in [0, 2^53)');
      if (!Number.isInteger(sizeBytes) || sizeBytes < 1 || addr + sizeBytes > MAX_ADDR) throw this.bad('sizeBytes', sizeBytes, 'a positive integer with addr + sizeBytes <= 2^53');
      const at = n * RECORD_DOUBLES;
      input[at] = addr;
      input[at + 1] = sizeBytes;
      input[at + 2] = rec.isWrite ? 1 : 0;
      input[at + 3] = cycle;
      input[at + 4] = rec.batch;
      n++;
    }
    return n;
  }

  private bad(field: string, value: number, expected: string): SimError {
    return new SimError(`DramDevice.issue (${this.presetName}): record ${this.index}: ${field}: expected ${expected}, got ${showValue(value)}`);
  }
}
