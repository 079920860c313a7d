// A TypeScript cycle model of the hash/gather unit together with its co-simulation environment. It holds
// only the control state of rtl/ (stage valid bits, the issue window, port queues, slot counters, the
// output register) and replays the harness's random draws (sim/harness/hg_harness.h), so for the same
// stimulus, memory latency and back-pressure it predicts every handshake: the run's cycle count, the
// cycle each vector leaves, and the cycle, port and tag of each memory request.
import { SimError, showValue } from '../core/index.ts';
import { HarnessRng, coinThreshold } from './harnessEnv.ts';
import { unitHeads, type EnvConfig, type UnitParams } from './types.ts';

/** Pipeline stages before issue: window, products, mix, 4 modulo stages, address (stage 8 is token B). */
export const HASH_STAGES = 8;

/**
 * Cycles from a lone token's input handshake (cycle 0) to the cycle its vector is taken, with no stalls:
 * 8 hash stages; token B moves to issue and pushes its first requests in cycle 8; the last of its
 * `heads` requests is pushed max(1, ceil(heads / ports) - 1) cycles later (B pushes at most heads - 1);
 * the port accepts it the next cycle, the response comes memLatency cycles after that, the slot completes
 * on that edge, and the output register loads one cycle later.
 */
export function singleTokenLatencyCycles(heads: number, ports: number, memLatencyCycles: number): number {
  return HASH_STAGES + 3 + Math.max(1, Math.ceil(heads / ports) - 1) + memLatencyCycles;
}

export interface CycleModelRun {
  readonly consumed: number;
  readonly produced: number;
  readonly cycles: number;
  readonly outputCycles: Uint32Array;
  /** Three words per accepted request: cycle, port, tag (the harness log without the address). */
  readonly requestLog: Uint32Array;
}

function log2Ceil(v: number): number {
  let r = 0;
  while (2 ** r < v) r++;
  return r;
}

export class CycleModel {
  private readonly depth: number;
  private readonly portCount: number;
  private readonly posBits: number;
  private readonly maxHeads: number;
  private activeHeads: number;
  private activePorts = 1;
  private latency = 1;
  private thrIn = 0;
  private thrOut = 0;
  private thrReq = 0;
  private thrRsp = 0;
  private logRequests = false;
  private rng = new HarnessRng(0);

  // Hash pipeline: valid[1..HASH_STAGES].
  private readonly valid = new Uint8Array(HASH_STAGES + 2);
  // Issue window.
  private aValid = false;
  private aPos = 0;
  private aSlot = 0;
  private alloc = 0;
  private used = 0;
  // Two-entry request queue per port, holding tags.
  private readonly fifoCount: Uint8Array;
  private readonly fifoHead: Int32Array;
  private readonly fifoTail: Int32Array;
  // Reassembly buffer.
  private readonly rcv: Int32Array;
  private rd = 0;
  private outValid = false;
  // Memory model: per port a ring of outstanding requests (tag, due cycle).
  private readonly memTag: Int32Array[];
  private readonly memDue: Float64Array[];
  private readonly memHead: Int32Array;
  private readonly memCount: Int32Array;
  private readonly memCap: number;
  private inHold = false;
  /** Rising edges since construction (the harness's `cycle`). */
  private cycle = 0;

  constructor(params: UnitParams) {
    this.depth = params.depth;
    this.portCount = params.ports;
    this.maxHeads = unitHeads(params);
    this.posBits = log2Ceil(this.maxHeads);
    this.activeHeads = this.maxHeads;
    this.activePorts = params.ports;
    this.fifoCount = new Uint8Array(this.portCount);
    this.fifoHead = new Int32Array(this.portCount);
    this.fifoTail = new Int32Array(this.portCount);
    this.rcv = new Int32Array(this.depth);
    // Outstanding requests never exceed the tokens holding slots times their heads.
    this.memCap = this.depth * this.maxHeads + 4;
    this.memTag = Array.from({ length: this.portCount }, () => new Int32Array(this.memCap));
    this.memDue = Array.from({ length: this.portCount }, () => new Float64Array(this.memCap));
    this.memHead = new Int32Array(this.portCount);
    this.memCount = new Int32Array(this.portCount);
  }

  /** The unit's ACTIVE_HEADS register (clamped like the RTL). */
  setActiveHeads(heads: number): void {
    this.activeHeads = Math.min(Math.max(heads, 1), this.maxHeads);
  }

  /** Environment and ACTIVE_PORTS, as the harness's hg_set_env plus the register write. */
  setEnv(env: EnvConfig): void {
    if (!Number.isInteger(env.memLatencyCycles) || env.memLatencyCycles < 1) {
      throw new SimError(`cycle model: memLatencyCycles: expected an integer >= 1, got ${showValue(env.memLatencyCycles)}`);
    }
    this.activePorts = Math.min(Math.max(env.activePorts, 1), this.portCount);
    this.latency = env.memLatencyCycles;
    this.thrIn = coinThreshold('inputGapProb', env.inputGapProb);
    this.thrOut = coinThreshold('outputStallProb', env.outputStallProb);
    this.thrReq = coinThreshold('requestStallProb', env.requestStallProb);
    this.thrRsp = coinThreshold('responseStallProb', env.responseStallProb);
    this.logRequests = env.logRequests;
    this.rng = new HarnessRng(env.seed);
  }

  /** Reset: every control register and the memory model's outstanding requests are cleared. */
  reset(): void {
    this.valid.fill(0);
    this.aValid = false;
    this.aPos = 0;
    this.aSlot = 0;
    this.alloc = 0;
    this.used = 0;
    this.fifoCount.fill(0);
    this.rcv.fill(0);
    this.rd = 0;
    this.outValid = false;
    this.memHead.fill(0);
    this.memCount.fill(0);
    this.inHold = false;
  }

  /** The harness's run(): streams `tokens` tokens until as many vectors came out or maxCycles passed. */
  run(tokens: number, maxCycles = Number.MAX_SAFE_INTEGER): CycleModelRun {
    const P = this.portCount;
    const pa = this.activePorts;
    const heads = this.activeHeads;
    const depth = this.depth;
    const valid = this.valid;
    const outputCycles = new Uint32Array(tokens);
    const log: number[] = [];
    const reqReady = new Uint8Array(P);
    const rspStall = new Uint8Array(P);
    const shown = new Uint8Array(P);
    const push = new Uint8Array(P);
    const pushTag = new Int32Array(P);
    const ready = new Uint8Array(HASH_STAGES + 2);
    const answers = new Int32Array(depth);
    const rank = new Int32Array(P);
    const draws = this.thrIn !== 0 || this.thrOut !== 0 || this.thrReq !== 0 || this.thrRsp !== 0;
    reqReady.fill(1, 0, pa);
    const start = this.cycle;
    let consumed = 0;
    let produced = 0;

    while (produced < tokens && this.cycle - start < maxCycles) {
      // 1. Coins, in the harness's order; none are drawn when no coin can fire (as in the harness).
      let gap = false;
      let outStall = false;
      if (draws) {
        gap = this.rng.next() < this.thrIn;
        outStall = this.rng.next() < this.thrOut;
        for (let p = 0; p < pa; p++) reqReady[p] = this.rng.next() < this.thrReq ? 0 : 1;
        for (let p = 0; p < pa; p++) rspStall[p] = this.rng.next() < this.thrRsp ? 1 : 0;
      }

      // 2. Inputs.
      const inValid = consumed < tokens && (this.inHold || !gap);
      const vecReady = !outStall;
      for (let p = 0; p < pa; p++) {
        shown[p] = this.memCount[p]! > 0 && this.memDue[p]![this.memHead[p]!]! <= this.cycle && rspStall[p] === 0 ? 1 : 0;
      }

      // 3. The unit's combinational control (engram_hg_issue.sv, engram_hash_gather.sv, engram_hg_reorder.sv).
      let nLoad = 0;
      for (let p = 0; p < P; p++) {
        const loadable = this.fifoCount[p] !== 2 && p < pa;
        rank[p] = loadable ? nLoad : -1;
        if (loadable) nLoad++;
      }
      const remA = this.aValid ? heads - this.aPos : 0;
      const kA = Math.min(nLoad, remA);
      const aDone = this.aValid && kA === remA;
      const slotAvail = this.used < depth;
      const bMove = valid[HASH_STAGES] === 1 && slotAvail && (!this.aValid || aDone);
      const kB = bMove ? Math.min(nLoad - kA, heads - 1) : 0;
      for (let p = 0; p < P; p++) {
        const r = rank[p]!;
        push[p] = r >= 0 && r < kA + kB ? 1 : 0;
        if (push[p] === 1) {
          const fromA = r < kA;
          const pos = fromA ? this.aPos + r : r - kA;
          const slot = fromA ? this.aSlot : this.alloc;
          pushTag[p] = slot * 2 ** this.posBits + pos;
        }
      }
      ready[HASH_STAGES + 1] = bMove ? 1 : 0;
      for (let i = HASH_STAGES; i >= 1; i--) ready[i] = valid[i] === 0 || ready[i + 1] === 1 ? 1 : 0;
      const inReady = ready[1] === 1;
      const load = this.rcv[this.rd] === heads && (!this.outValid || vecReady);

      // 4. Handshakes seen by the harness.
      const c = this.cycle - start;
      if (inValid && inReady) {
        consumed++;
        this.inHold = false;
      } else {
        this.inHold = inValid;
      }
      if (this.outValid && vecReady) outputCycles[produced++] = c;
      answers.fill(0);
      for (let p = 0; p < pa; p++) {
        if (this.fifoCount[p]! > 0 && reqReady[p] === 1) {
          const tag = this.fifoHead[p]!;
          const cap = this.memCap;
          const at = (this.memHead[p]! + this.memCount[p]!) % cap;
          this.memTag[p]![at] = tag;
          this.memDue[p]![at] = this.cycle + this.latency;
          this.memCount[p]!++;
          if (this.logRequests) log.push(c, p, tag);
        }
        if (shown[p] === 1) {
          const tag = this.memTag[p]![this.memHead[p]!]!;
          answers[tag >> this.posBits]!++;
          this.memHead[p] = (this.memHead[p]! + 1) % this.memCap;
          this.memCount[p]!--;
        }
      }

      // 5. Rising edge: every register from the values above.
      for (let i = HASH_STAGES; i >= 2; i--) if (ready[i] === 1) valid[i] = valid[i - 1]!;
      if (inReady) valid[1] = inValid ? 1 : 0;
      if (bMove) {
        this.aValid = true;
        this.aPos = kB;
        this.aSlot = this.alloc;
        this.alloc = (this.alloc + 1) % depth;
      } else if (aDone) {
        this.aValid = false;
      } else {
        this.aPos += kA;
      }
      this.used += (bMove ? 1 : 0) - (load ? 1 : 0);
      for (let p = 0; p < P; p++) {
        const pop = this.fifoCount[p]! > 0 && p < pa && reqReady[p] === 1;
        if (pop) {
          this.fifoHead[p] = this.fifoTail[p]!;
          this.fifoCount[p]!--;
        }
        if (push[p] === 1) {
          if (this.fifoCount[p] === 0) this.fifoHead[p] = pushTag[p]!;
          else this.fifoTail[p] = pushTag[p]!;
          this.fifoCount[p]!++;
        }
      }
      for (let s = 0; s < depth; s++) this.rcv[s]! += answers[s]!;
      if (load) {
        this.rcv[this.rd] = 0;
        this.rd = (this.rd + 1) % depth;
        this.outValid = true;
      } else if (vecReady) {
        this.outValid = false;
      }
      this.cycle++;
    }
    return {
      consumed,
      produced,
      cycles: this.cycle - start,
      outputCycles: outputCycles.subarray(0, produced),
      requestLog: Uint32Array.from(log),
    };
  }
}
