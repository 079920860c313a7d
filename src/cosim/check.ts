// Bit-exact and cycle-exact checks of one co-simulation run: head indices against the functional model,
// row addresses (from the request log), gathered data (which the memory model derives from the address),
// and every handshake against the cycle model. Each check returns the first mismatch or null.
import { SimError } from '../core/index.ts';
import type { CycleModelRun } from './cycleModel.ts';
import { rowWord } from './harnessEnv.ts';
import type { DutRun, LayerTableConfig } from './types.ts';

export type MismatchField = 'index' | 'data' | 'address' | 'request' | 'vector count' | 'cycles' | 'output cycle' | 'request count';

export interface Mismatch {
  readonly field: MismatchField;
  /** Token number counted from the start of the checked stream, when the mismatch belongs to one. */
  readonly token: number | null;
  /** Head position in spec order (orders 2..N, heads 0..H-1). */
  readonly head: number | null;
  readonly expected: string;
  readonly got: string;
}

/** One line: where, what was expected, what came out, and the seed that replays it. */
export function describeMismatch(m: Mismatch, seed: number | string): string {
  const where = [m.token === null ? null : `token ${m.token}`, m.head === null ? null : `head ${m.head}`].filter((s) => s !== null).join(', ');
  return `${m.field} mismatch${where === '' ? '' : ` at ${where}`}: expected ${m.expected}, got ${m.got} (seed ${seed})`;
}

const TWO_32 = 2 ** 32;

/** Row addresses of a layer's heads, in Numbers when every address stays below 2^53, else BigInt. */
export class RowAddresses {
  private readonly headBase: number[] | null;
  private readonly headBaseBig: bigint[];
  private readonly rowBytes: number;

  constructor(layer: LayerTableConfig) {
    this.rowBytes = layer.rowBytes;
    this.headBaseBig = layer.rowOffsets.map((off) => layer.tableBase + BigInt(off) * BigInt(layer.rowBytes));
    const last = layer.primes.length - 1;
    const top = last < 0 ? layer.tableBase : this.headBaseBig[last]! + BigInt(layer.primes[last]!) * BigInt(layer.rowBytes);
    this.headBase = top < 2n ** 53n ? this.headBaseBig.map(Number) : null;
  }

  /** [lo, hi] 32-bit halves of the address of `index` in head `head`. */
  of(head: number, index: number): [number, number] {
    if (this.headBase !== null) {
      const a = this.headBase[head]! + index * this.rowBytes;
      return [a % TWO_32, Math.floor(a / TWO_32)];
    }
    const a = BigInt.asUintN(64, this.headBaseBig[head]! + BigInt(index) * BigInt(this.rowBytes));
    return [Number(a & 0xffffffffn), Number(a >> 32n)];
  }
}

function hex(lo: number, hi: number): string {
  return `0x${hi.toString(16).padStart(8, '0')}${lo.toString(16).padStart(8, '0')}`;
}

/**
 * Vectors of `run` against the expected head indices ([token][head], the active heads of the layer):
 * the index of every head and every gathered data word. `firstToken` numbers the run's first token.
 */
export function checkVectors(
  layer: LayerTableConfig, unitHeadCount: number, dataWords: number, expected: Int32Array, run: DutRun, firstToken: number,
  addresses: RowAddresses = new RowAddresses(layer),
): Mismatch | null {
  const heads = layer.primes.length;
  if (expected.length < run.produced * heads) {
    throw new SimError(`checkVectors: expected: need ${run.produced * heads} indices for ${run.produced} vectors, got ${expected.length}`);
  }
  for (let t = 0; t < run.produced; t++) {
    for (let h = 0; h < unitHeadCount; h++) {
      const got = run.indices[t * unitHeadCount + h]!;
      // Heads beyond the layer's count read as zero (rtl/engram_hg_reorder.sv).
      const want = h < heads ? expected[t * heads + h]! : 0;
      if (got !== want) return { field: 'index', token: firstToken + t, head: h, expected: String(want), got: String(got) };
      const [lo, hi] = h < heads ? addresses.of(h, want) : [0, 0];
      for (let w = 0; w < dataWords; w++) {
        const gotWord = run.data[(t * unitHeadCount + h) * dataWords + w]!;
        const wantWord = h < heads ? rowWord(lo, hi, w) : 0;
        if (gotWord !== wantWord) {
          return { field: 'data', token: firstToken + t, head: h, expected: `word ${w} = 0x${wantWord.toString(16)} (row at ${hex(lo, hi)})`, got: `0x${gotWord.toString(16)}` };
        }
      }
    }
  }
  return null;
}

/**
 * Request addresses of `run` (its log: cycle, port, tag, lo, hi) against the expected indices. Tags are
 * {slot, head}; token g of the stream owns slot g mod depth, and each token sends exactly one request per
 * head, so the k-th request on a slot belongs to token slot + depth · floor(k / heads). `slotRequests`
 * carries the per-slot request counts from earlier runs of the same stream.
 */
export function checkRequestAddresses(
  layer: LayerTableConfig, depth: number, posBits: number, expected: Int32Array, run: DutRun, firstToken: number,
  slotRequests: Int32Array, addresses: RowAddresses = new RowAddresses(layer),
): Mismatch | null {
  const heads = layer.primes.length;
  const log = run.requestLog;
  for (let i = 0; i + 4 < log.length; i += 5) {
    const tag = log[i + 2]!;
    const slot = tag >>> posBits;
    const head = tag & ((1 << posBits) - 1);
    const token = slot + depth * Math.floor(slotRequests[slot]! / heads);
    slotRequests[slot]!++;
    const t = token - firstToken;
    if (t < 0 || t * heads >= expected.length || head >= heads) {
      return { field: 'request', token, head, expected: `a request of tokens ${firstToken}..${firstToken + expected.length / heads - 1}`, got: `tag 0x${tag.toString(16)} on port ${log[i + 1]} at cycle ${log[i]}` };
    }
    const [lo, hi] = addresses.of(head, expected[t * heads + head]!);
    if (log[i + 3] !== lo || log[i + 4] !== hi) {
      return { field: 'address', token, head, expected: hex(lo, hi), got: `${hex(log[i + 3]!, log[i + 4]!)} (port ${log[i + 1]}, cycle ${log[i]})` };
    }
  }
  return null;
}

/** The run's handshakes against the cycle model's prediction for the same stimulus and environment. */
export function checkCycles(run: DutRun, predicted: CycleModelRun, firstToken: number): Mismatch | null {
  if (run.produced !== predicted.produced) {
    return { field: 'vector count', token: null, head: null, expected: String(predicted.produced), got: String(run.produced) };
  }
  for (let t = 0; t < run.produced; t++) {
    if (run.outputCycles[t] !== predicted.outputCycles[t]) {
      return { field: 'output cycle', token: firstToken + t, head: null, expected: String(predicted.outputCycles[t]), got: String(run.outputCycles[t]) };
    }
  }
  if (run.cycles !== predicted.cycles) return { field: 'cycles', token: null, head: null, expected: String(predicted.cycles), got: String(run.cycles) };
  if (run.requestLog.length > 0) {
    const n = run.requestLog.length / 5;
    if (n !== predicted.requestLog.length / 3) {
      return { field: 'request count', token: null, head: null, expected: String(predicted.requestLog.length / 3), got: String(n) };
    }
    for (let i = 0; i < n; i++) {
      const [c, p, tag] = [run.requestLog[5 * i]!, run.requestLog[5 * i + 1]!, run.requestLog[5 * i + 2]!];
      const [pc, pp, ptag] = [predicted.requestLog[3 * i]!, predicted.requestLog[3 * i + 1]!, predicted.requestLog[3 * i + 2]!];
      if (c !== pc || p !== pp || tag !== ptag) {
        return { field: 'request', token: null, head: null, expected: `request ${i}: cycle ${pc}, port ${pp}, tag 0x${ptag.toString(16)}`, got: `cycle ${c}, port ${p}, tag 0x${tag.toString(16)}` };
      }
    }
  }
  return null;
}
