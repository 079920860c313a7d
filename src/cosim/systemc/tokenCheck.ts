// Checks a token-workload SystemC run (the RTL unit inside the SystemC memory system) against the
// functional model: the digest of every gathered vector, the vectors returned in full, and the requests
// per tier that the rows' placement implies.
import type { DutRun, LayerTableConfig } from '../types.ts';
import { RowAddresses, checkVectors, type Mismatch } from '../check.ts';
import { rowWord } from '../harnessEnv.ts';
import type { SystemcTokenResult } from './result.ts';

/** FNV-1a (64-bit) over every vector's head indices then data words, bytes little-endian: sim/systemc/model/rtl_unit.cpp. */
export function vectorDigest(layer: LayerTableConfig, unitHeadCount: number, dataWords: number, expected: Int32Array, tokens: number): string {
  const heads = layer.primes.length;
  const addresses = new RowAddresses(layer);
  // 64-bit state in two 32-bit halves; the prime is 2^40 + 0x1b3, so h x prime = h x 0x1b3 + (h << 40).
  let lo = 0x84222325;
  let hi = 0xcbf29ce4;
  const mix = (v: number): void => {
    for (let b = 0; b < 4; b++) {
      lo = (lo ^ ((v >>> (8 * b)) & 0xff)) >>> 0;
      const t = lo * 0x1b3;
      const carry = Math.floor(t / 2 ** 32);
      hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
      lo = t >>> 0;
    }
  };
  for (let t = 0; t < tokens; t++) {
    for (let a = 0; a < unitHeadCount; a++) mix(a < heads ? expected[t * heads + a]! >>> 0 : 0);
    for (let a = 0; a < unitHeadCount; a++) {
      const [lo, hi] = a < heads ? addresses.of(a, expected[t * heads + a]!) : [0, 0];
      for (let w = 0; w < dataWords; w++) mix(a < heads ? rowWord(lo, hi, w) : 0);
    }
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/** The first vector the SystemC run returned in full that differs from the functional model, or null. */
export function checkDumpedVectors(layer: LayerTableConfig, unitHeadCount: number, dataWords: number, expected: Int32Array, sc: SystemcTokenResult): Mismatch | null {
  const produced = sc.vectorIndices.length / unitHeadCount;
  const run: DutRun = {
    consumed: produced,
    produced,
    cycles: sc.cycles,
    indices: Uint32Array.from(sc.vectorIndices),
    data: Uint32Array.from(sc.vectorData),
    outputCycles: new Uint32Array(produced),
    requestLog: new Uint32Array(0),
  };
  return checkVectors(layer, unitHeadCount, dataWords, expected, run, 0);
}
