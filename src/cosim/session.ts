// A co-simulation session: configures the unit for one Engram layer, streams tokens through it in
// chunks, and checks each chunk bit for bit against expected head indices and cycle for cycle against
// the cycle model run on the same stimulus. The expected indices come from the caller (the functional
// model in src/model); this folder never imports it.
import { SimError, showValue } from '../core/index.ts';
import { checkCycles, checkRequestAddresses, checkVectors, RowAddresses, type Mismatch } from './check.ts';
import { CycleModel, type CycleModelRun } from './cycleModel.ts';
import type { HashGatherDut } from './dut.ts';
import { configWrites, expectedParamRegisters, REG, REGISTER_MAP_ID } from './registerMap.ts';
import { unitHeads, type DutRun, type EnvConfig, type LayerTableConfig, type TokenStream } from './types.ts';

export interface ChunkResult {
  /** The DUT's run: its arrays may be views into the model's memory, valid until the next feed or begin. */
  readonly run: DutRun;
  readonly predicted: CycleModelRun;
  /** The first mismatch of this chunk (bit-exact checks first, then cycle checks), or null. */
  readonly mismatch: Mismatch | null;
  /** Wall time of the DUT run alone, in milliseconds. */
  readonly dutMs: number;
}

export interface SessionOptions {
  /** Compare every handshake with the cycle model (default true). */
  readonly predictCycles?: boolean;
}

function log2Ceil(v: number): number {
  let r = 0;
  while (2 ** r < v) r++;
  return r;
}

export class CosimSession {
  readonly model: CycleModel;
  private layer: LayerTableConfig | null = null;
  private addresses: RowAddresses | null = null;
  private tokens = 0;
  private slotRequests: Int32Array;
  private truncated = false;
  private readonly predictCycles: boolean;

  constructor(readonly dut: HashGatherDut, options: SessionOptions = {}) {
    this.model = new CycleModel(dut.params);
    this.slotRequests = new Int32Array(dut.params.depth);
    this.predictCycles = options.predictCycles ?? true;
  }

  /** Tokens fed since the last `begin`. */
  get tokensFed(): number {
    return this.tokens;
  }

  /**
   * Resets the unit (mid-stream if tokens are in flight), loads `layer`, checks the identification
   * registers and one read-back, and sets the environment. Starts a new stream.
   */
  async begin(layer: LayerTableConfig, env: EnvConfig): Promise<void> {
    const { dut } = this;
    await dut.reset();
    const writes = configWrites(dut.params, layer, env.activePorts);
    await dut.writeRegs(writes);
    const id = await dut.readReg(REG.id);
    if (id !== REGISTER_MAP_ID) throw new SimError(`cosim: ID register: expected 0x${REGISTER_MAP_ID.toString(16)}, got 0x${id.toString(16)}`);
    const want = expectedParamRegisters(dut.params);
    const params0 = await dut.readReg(REG.params0);
    const params1 = await dut.readReg(REG.params1);
    if (params0 !== want.params0 || params1 !== want.params1) {
      throw new SimError(`cosim: PARAMS registers: expected 0x${want.params0.toString(16)}/0x${want.params1.toString(16)} for ${showValue(dut.params)}, got 0x${params0.toString(16)}/0x${params1.toString(16)}`);
    }
    const lastWrite = writes[writes.length - 1]!;
    const readBack = await dut.readReg(lastWrite[0]);
    if (readBack !== lastWrite[1] >>> 0) {
      throw new SimError(`cosim: register 0x${lastWrite[0].toString(16)}: wrote ${lastWrite[1]}, read back ${readBack}`);
    }
    await dut.setEnv(env);
    this.model.reset();
    this.model.setActiveHeads(layer.primes.length);
    this.model.setEnv(env);
    this.layer = layer;
    this.addresses = new RowAddresses(layer);
    this.tokens = 0;
    this.slotRequests = new Int32Array(dut.params.depth);
    this.truncated = false;
  }

  /**
   * Streams `stream` through the unit and checks it. `expected` holds the layer's head indices for these
   * tokens ([token][head]); pass null to skip the bit-exact checks. A run cut short by `maxCycles` leaves
   * tokens in flight: only `begin` (a reset) may follow it.
   */
  async feed(stream: TokenStream, expected: Int32Array | null, maxCycles?: number): Promise<ChunkResult> {
    const layer = this.layer;
    if (layer === null || this.addresses === null) throw new SimError('cosim: feed: call begin() first');
    if (this.truncated) throw new SimError('cosim: feed: the previous run was cut short by maxCycles; call begin() to reset first');
    for (let t = 0; t < stream.ids.length; t++) {
      if (stream.ids[t]! >= 2 ** this.dut.params.idBits) {
        throw new SimError(`cosim: feed: ids[${t}]: expected a compressed id below 2^${this.dut.params.idBits} (ID_BITS), got ${stream.ids[t]}`);
      }
    }
    const started = performance.now();
    const run = await this.dut.run(stream, maxCycles);
    const dutMs = performance.now() - started;
    const predicted = this.predictCycles ? this.model.run(stream.ids.length, maxCycles) : emptyPrediction(run);
    const { params } = this.dut;
    const firstToken = this.tokens;
    let mismatch: Mismatch | null = null;
    if (expected !== null) {
      mismatch = checkVectors(layer, unitHeads(params), params.dataBits / 32, expected, run, firstToken, this.addresses);
      mismatch ??= checkRequestAddresses(layer, params.depth, log2Ceil(unitHeads(params)), expected, run, firstToken, this.slotRequests, this.addresses);
    }
    if (this.predictCycles) mismatch ??= checkCycles(run, predicted, firstToken);
    this.tokens += run.consumed;
    this.truncated = run.produced < stream.ids.length;
    return { run, predicted, mismatch, dutMs };
  }
}

function emptyPrediction(run: DutRun): CycleModelRun {
  return { consumed: run.consumed, produced: run.produced, cycles: run.cycles, outputCycles: run.outputCycles, requestLog: new Uint32Array(0) };
}
