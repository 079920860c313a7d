// Drives the WebAssembly model one cycle per call from TypeScript, with the environment (token source,
// sink, memory model, coins) run in TypeScript: the same loop as the harness's batched run()
// (sim/harness/hg_harness.h), so both must give identical vectors, cycles and requests.
import { SimError } from '../core/index.ts';
import { HarnessRng, coinThreshold, rowWord } from './harnessEnv.ts';
import { unitHeads, type DutRun, type EnvConfig, type TokenStream } from './types.ts';
import type { WasmDut } from './wasmDut.ts';

/** Streams `stream` through `dut` with one `step()` per cycle; `env` as the harness would apply it. */
export function runPerCycle(dut: WasmDut, stream: TokenStream, env: EnvConfig, maxCycles = Number.MAX_SAFE_INTEGER): DutRun {
  const { params, layout: L } = dut;
  const heads = unitHeads(params);
  const dataWords = params.dataBits / 32;
  const posBits = Math.ceil(Math.log2(heads));
  const tagBits = posBits + Math.ceil(Math.log2(params.depth));
  if (tagBits > 32) throw new SimError(`runPerCycle: tags of ${tagBits} bits do not fit a word`);
  const pa = Math.min(env.activePorts, params.ports);
  const thr = {
    in: coinThreshold('inputGapProb', env.inputGapProb),
    out: coinThreshold('outputStallProb', env.outputStallProb),
    req: coinThreshold('requestStallProb', env.requestStallProb),
    rsp: coinThreshold('responseStallProb', env.responseStallProb),
  };
  const draws = thr.in !== 0 || thr.out !== 0 || thr.req !== 0 || thr.rsp !== 0;
  const rng = new HarnessRng(env.seed);
  const n = stream.ids.length;
  const indices = new Uint32Array(n * heads);
  const data = new Uint32Array(n * heads * dataWords);
  const outputCycles = new Uint32Array(n);
  const log: number[] = [];
  // Memory model: per port FIFO of [tag, address lo, address hi, due cycle].
  const mem: number[][][] = Array.from({ length: pa }, () => []);
  let consumed = 0;
  let produced = 0;
  let hold = false;
  let c = 0;
  while (produced < n && c < maxCycles) {
    let gap = false;
    let outStall = false;
    let reqReady = (2 ** pa - 1) >>> 0;
    let rspStall = 0;
    if (draws) {
      gap = rng.next() < thr.in;
      outStall = rng.next() < thr.out;
      for (let p = 0; p < pa; p++) if (rng.next() < thr.req) reqReady &= ~(1 << p);
      for (let p = 0; p < pa; p++) if (rng.next() < thr.rsp) rspStall |= 1 << p;
    }
    // The heap view is re-taken each cycle: memory growth may move it (it does not during a step).
    const io: Uint32Array = dut.io();
    const inValid: boolean = consumed < n && (hold || !gap);
    io[L.inValid] = inValid ? 1 : 0;
    io[L.inId] = inValid ? stream.ids[consumed]! : 0;
    io[L.inFirst] = inValid ? stream.first[consumed]! : 0;
    io[L.vecReady] = outStall ? 0 : 1;
    io[L.reqReady] = reqReady;
    let rspValid = 0;
    for (let p = 0; p < pa; p++) {
      const head = mem[p]![0];
      if (head !== undefined && head[3]! <= c && ((rspStall >> p) & 1) === 0) {
        io[L.rspTag + p] = head[0]!;
        for (let w = 0; w < dataWords; w++) io[L.rspData + p * dataWords + w] = rowWord(head[1]!, head[2]!, w);
        rspValid |= 1 << p;
      }
    }
    io[L.rspValid] = rspValid;
    dut.step();
    const out: Uint32Array = dut.io();
    if (inValid && out[L.inReady] === 1) {
      consumed++;
      hold = false;
    } else {
      hold = inValid;
    }
    if (out[L.vecValid] === 1 && !outStall) {
      indices.set(out.subarray(L.vecIndex, L.vecIndex + heads), produced * heads);
      data.set(out.subarray(L.vecData, L.vecData + heads * dataWords), produced * heads * dataWords);
      outputCycles[produced++] = c;
    }
    const accepted = out[L.reqValid]! & reqReady;
    for (let p = 0; p < pa; p++) {
      if (((accepted >> p) & 1) === 1) {
        const tag = out[L.reqTag + p]!;
        const lo = out[L.reqAddr + 2 * p]!;
        const hi = out[L.reqAddr + 2 * p + 1]!;
        mem[p]!.push([tag, lo, hi, c + env.memLatencyCycles]);
        if (env.logRequests) log.push(c, p, tag, lo, hi);
      }
      if (((rspValid >> p) & 1) === 1) mem[p]!.shift();
    }
    c++;
  }
  return {
    consumed, produced, cycles: c,
    indices: indices.subarray(0, produced * heads), data: data.subarray(0, produced * heads * dataWords),
    outputCycles: outputCycles.subarray(0, produced), requestLog: Uint32Array.from(log),
  };
}
