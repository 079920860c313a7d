// The hash/gather unit verilated and compiled to WebAssembly (sim/build.sh wasm), driven through the
// plain C exports of sim/harness/hg_wasm.cpp. Batches run inside wasm; `step` drives one cycle from
// TypeScript. The module object comes from the emscripten factory (loadArtifacts.ts reads the files).
import { SimError, showValue } from '../core/index.ts';
import { envWords } from './harnessEnv.ts';
import { paramsFromWords, type HashGatherDut } from './dut.ts';
import { unitHeads, type DutRun, type EnvConfig, type TokenStream, type UnitParams } from './types.ts';

/** The exports of hash_gather.js/.wasm that this file uses. */
export interface HashGatherModule {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  _hg_param(which: number): number;
  _hg_reset(cycles: number): void;
  _hg_write_reg(address: number, value: number): void;
  _hg_read_reg(address: number): number;
  _hg_set_env(seed: number, thrIn: number, thrOut: number, thrReq: number, thrRsp: number, latency: number, activePorts: number, log: number): void;
  _hg_run(ids: number, first: number, n: number, maxLo: number, maxHi: number, outIdx: number, outData: number, outCycle: number): void;
  _hg_result(which: number): number;
  _hg_log_words(): number;
  _hg_log_ptr(): number;
  _hg_io_ptr(): number;
  _hg_step(): void;
  _hg_trace_open(path: number): number;
  _hg_trace_close(): void;
}

export type HashGatherFactory = (options: { wasmBinary: Uint8Array }) => Promise<HashGatherModule>;

/** Word offsets of the per-cycle I/O block (hg::io in sim/harness/hg_harness.h). */
export interface StepLayout {
  readonly inValid: number;
  readonly inId: number;
  readonly inFirst: number;
  readonly vecReady: number;
  readonly reqReady: number;
  readonly rspValid: number;
  readonly rspTag: number;
  readonly rspData: number;
  readonly inReady: number;
  readonly vecValid: number;
  readonly reqValid: number;
  readonly reqTag: number;
  readonly reqAddr: number;
  readonly vecIndex: number;
  readonly vecData: number;
  readonly words: number;
}

export function stepLayout(params: UnitParams): StepLayout {
  const ports = params.ports;
  const dataWords = params.dataBits / 32;
  const rspTag = 6;
  const rspData = rspTag + ports;
  const out = rspData + ports * dataWords;
  const reqTag = out + 3;
  const reqAddr = reqTag + ports;
  const vecIndex = reqAddr + 2 * ports;
  const vecData = vecIndex + unitHeads(params);
  return Object.freeze({
    inValid: 0, inId: 1, inFirst: 2, vecReady: 3, reqReady: 4, rspValid: 5, rspTag, rspData,
    inReady: out, vecValid: out + 1, reqValid: out + 2, reqTag, reqAddr, vecIndex, vecData,
    words: vecData + unitHeads(params) * dataWords,
  });
}

/** Heap addresses of one batch's inputs and outputs, sized for `tokens` tokens. */
interface RunBuffers {
  readonly tokens: number;
  readonly ids: number;
  readonly first: number;
  readonly idx: number;
  readonly data: number;
  readonly cycle: number;
}

const MAX_CYCLES_DEFAULT = Number.MAX_SAFE_INTEGER;

export class WasmDut implements HashGatherDut {
  readonly backend = 'wasm' as const;
  readonly params: UnitParams;
  readonly traceCapable: boolean;
  readonly layout: StepLayout;
  private readonly ioPtr: number;
  private buffers: RunBuffers | null = null;

  private constructor(private readonly m: HashGatherModule) {
    const words = Array.from({ length: 9 }, (_, i) => m._hg_param(i) >>> 0);
    const { params, ioWords, trace } = paramsFromWords(words);
    this.params = params;
    this.traceCapable = trace;
    this.layout = stepLayout(params);
    if (this.layout.words !== ioWords) {
      throw new SimError(`wasm model: step I/O block: expected ${this.layout.words} words for these parameters, the module reports ${ioWords}`);
    }
    this.ioPtr = m._hg_io_ptr() >>> 0;
  }

  static async create(factory: HashGatherFactory, wasmBinary: Uint8Array): Promise<WasmDut> {
    return new WasmDut(await factory({ wasmBinary }));
  }

  async reset(cycles = 2): Promise<void> {
    this.resetSync(cycles);
  }
  resetSync(cycles = 2): void {
    this.m._hg_reset(cycles);
  }

  async writeRegs(writes: ReadonlyArray<readonly [number, number]>): Promise<void> {
    for (const [address, value] of writes) this.m._hg_write_reg(address, value >>> 0);
  }

  async readReg(address: number): Promise<number> {
    return this.m._hg_read_reg(address) >>> 0;
  }

  async setEnv(env: EnvConfig): Promise<void> {
    this.m._hg_set_env(...envWords(env));
  }

  async run(stream: TokenStream, maxCycles = MAX_CYCLES_DEFAULT): Promise<DutRun> {
    return this.runSync(stream, maxCycles);
  }

  /**
   * Runs a batch inside wasm. `indices`, `data` and `outputCycles` of the result are views into the model's
   * memory, not copies (copying a 200,000-token result cost about a fifth of the run): they are valid until
   * the next call on this DUT, which reuses the buffers or may move the heap (see `HashGatherDut.run`).
   */
  runSync(stream: TokenStream, maxCycles = MAX_CYCLES_DEFAULT): DutRun {
    const n = stream.ids.length;
    if (stream.first.length !== n) throw new SimError(`wasm model: run: first: expected ${n} flags, got ${stream.first.length}`);
    if (!Number.isSafeInteger(maxCycles) || maxCycles < 0) throw new SimError(`wasm model: run: maxCycles: expected a non-negative integer, got ${showValue(maxCycles)}`);
    const heads = unitHeads(this.params);
    const dataWords = this.params.dataBits / 32;
    const m = this.m;
    const b = this.buffersFor(n);
    m.HEAPU32.set(stream.ids, b.ids >>> 2);
    m.HEAPU8.set(stream.first, b.first);
    m._hg_run(b.ids, b.first, n, maxCycles % 2 ** 32, Math.floor(maxCycles / 2 ** 32), b.idx, b.data, b.cycle);
    const produced = m._hg_result(1) >>> 0;
    // Memory growth replaces the heap buffer, so views are taken after the call.
    const heap = m.HEAPU32;
    const logWords = m._hg_log_words() >>> 0;
    const logPtr = m._hg_log_ptr() >>> 0;
    return {
      consumed: m._hg_result(0) >>> 0,
      produced,
      cycles: (m._hg_result(2) >>> 0) + (m._hg_result(3) >>> 0) * 2 ** 32,
      indices: heap.subarray(b.idx >>> 2, (b.idx >>> 2) + produced * heads),
      data: heap.subarray(b.data >>> 2, (b.data >>> 2) + produced * heads * dataWords),
      outputCycles: heap.subarray(b.cycle >>> 2, (b.cycle >>> 2) + produced),
      // The log lives in a C++ vector that the next run clears: copied (it is only kept when asked for).
      requestLog: logWords === 0 ? new Uint32Array(0) : heap.slice(logPtr >>> 2, (logPtr >>> 2) + logWords),
    };
  }

  /** Heap buffers for a batch of `n` tokens, kept between runs and grown (doubling) when a batch is larger. */
  private buffersFor(n: number): RunBuffers {
    if (this.buffers !== null && this.buffers.tokens >= n) return this.buffers;
    const m = this.m;
    const previous = this.buffers?.tokens ?? 0;
    if (this.buffers !== null) {
      for (const ptr of [this.buffers.ids, this.buffers.first, this.buffers.idx, this.buffers.data, this.buffers.cycle]) m._free(ptr);
      this.buffers = null;
    }
    const tokens = Math.max(n, 2 * previous, 1);
    const heads = unitHeads(this.params);
    const dataWords = this.params.dataBits / 32;
    const alloc = (bytes: number): number => {
      const ptr = m._malloc(bytes) >>> 0;
      if (ptr === 0) throw new SimError(`wasm model: run: cannot allocate ${bytes} bytes in the wasm heap`);
      return ptr;
    };
    this.buffers = {
      tokens,
      ids: alloc(4 * tokens),
      first: alloc(tokens),
      idx: alloc(4 * tokens * heads),
      data: alloc(4 * tokens * heads * dataWords),
      cycle: alloc(4 * tokens),
    };
    return this.buffers;
  }

  /**
   * The per-cycle I/O block: write inputs at layout offsets, call `step()`, read outputs. The view is
   * re-taken on every call because memory growth may move the heap.
   */
  io(): Uint32Array {
    return this.m.HEAPU32.subarray(this.ioPtr >>> 2, (this.ioPtr >>> 2) + this.layout.words);
  }

  /** One clock cycle with the inputs currently in `io()`; outputs are sampled before the clock edge. */
  step(): void {
    this.m._hg_step();
  }

  async openTrace(path: string): Promise<void> {
    if (!this.traceCapable) throw new SimError('wasm model: openTrace: this build has no VCD support (build target wasm-trace)');
    const bytes = new TextEncoder().encode(path);
    const ptr = this.m._malloc(bytes.length + 1) >>> 0;
    try {
      this.m.HEAPU8.set(bytes, ptr);
      this.m.HEAPU8[ptr + bytes.length] = 0;
      if ((this.m._hg_trace_open(ptr) >>> 0) !== 1) throw new SimError(`wasm model: openTrace: cannot open ${showValue(path)} for writing`);
    } finally {
      this.m._free(ptr);
    }
  }

  async closeTrace(): Promise<void> {
    this.m._hg_trace_close();
  }

  async close(): Promise<void> {
    if (this.traceCapable) this.m._hg_trace_close();
  }
}
