// The FR-FCFS decision state of one channel (Rixner et al., "Memory Access Scheduling", ISCA 2000): one
// candidate command per bank, and per command bus class the candidate that can issue first.
import { NIL } from './bankQueues.ts';
import { ACT, RD, type TimingTables } from './timingTables.ts';

/**
 * Who decides a bank's candidate from its row-buffer state and queue (the channel controller).
 * Contract: fillCandidate(b) writes cmd[b] (NONE, ACT, PRE, RD or WR), slot[b] and seq[b] and nothing else.
 */
export interface CandidateSource {
  fillCandidate(b: number): void;
}

/** Candidate kind of a bank with nothing to issue. */
export const NONE = 4;
export const CLASS_NONE = 0;
export const CLASS_ROW = 1;
export const CLASS_COL = 2;

/**
 * Candidates live in dense row (ACT/PRE) and column (RD/WR) lists, so a scan visits only banks of one
 * class. Seen from cycle `now`, the plan per class is the candidate with the earliest ready cycle
 * (never before `now`), ties to the oldest request (smallest seq): exactly what cycle-by-cycle FR-FCFS
 * would issue first, since every candidate ready by then competes in that cycle.
 *
 * The row list keeps, per list position, all its scan reads, so the scan touches no per-bank table:
 * - `rowOwn`: the bank's own term of the ready cycle, less cmdOff. It holds until the bank's candidate
 *   is recomputed, because every change to a bank's timing row marks the bank dirty.
 * - `rowGate`: index of the shared group-and-rank term in `timing.actGate` (kept current by every
 *   ACT); a PRE has no such term (TimingTables never sets one), so it points at the -Infinity entry.
 * - `rowSeq`: the candidate's age.
 * Removal moves the last position into the hole (in the list and these arrays alike), so the list
 * order, which breaks ties between equally old refresh PREs, is the order of class changes.
 *
 * Contract: after a bank's state changes the owner calls markDirty(b); `flush` then asks the owner's
 * `fillCandidate(b)` for the new candidate (it writes cmd, slot and seq). Scans read `timing`.
 */
export class FrfcfsPlan {
  readonly cmd: Uint8Array;
  readonly slot: Int32Array;
  readonly seq: Float64Array;
  readonly classOf: Uint8Array;
  /** Banks made dirty since the last flush; after a flush, dirtyList[0..n) names the banks it recomputed. */
  readonly dirtyList: Int32Array;
  colBank = NIL;
  colReady = Infinity;
  colSeq = Infinity;
  rowBank = NIL;
  rowReady = Infinity;
  rowBestSeq = Infinity;
  private readonly dirty: Uint8Array;
  private dirtyCount = 0;
  private readonly listPos: Int32Array;
  private readonly rowList: Int32Array;
  private readonly rowOwn: Float64Array;
  private readonly rowGate: Int32Array;
  private readonly rowSeq: Float64Array;
  /** Shared-gate index of bank b's ACT (its bank group across ranks). */
  private readonly gateOfBank: Int32Array;
  private rowCount = 0;
  private readonly colList: Int32Array;
  private colCount = 0;

  constructor(banks: number, private readonly timing: TimingTables, private readonly owner: CandidateSource) {
    this.cmd = new Uint8Array(banks).fill(NONE);
    this.slot = new Int32Array(banks).fill(NIL);
    this.seq = new Float64Array(banks);
    this.classOf = new Uint8Array(banks);
    this.dirty = new Uint8Array(banks);
    this.dirtyList = new Int32Array(banks);
    this.listPos = new Int32Array(banks);
    this.rowList = new Int32Array(banks);
    this.rowOwn = new Float64Array(banks);
    this.rowGate = new Int32Array(banks);
    this.rowSeq = new Float64Array(banks);
    this.gateOfBank = Int32Array.from(timing.groupOff, (g4) => g4 >> 2);
    this.colList = new Int32Array(banks);
  }

  markDirty(b: number): void {
    if (this.dirty[b] === 0) {
      this.dirty[b] = 1;
      this.dirtyList[this.dirtyCount++] = b;
    }
  }

  /** True while bank b's candidate awaits recomputation (cmd, slot and seq may be out of date). */
  isDirty(b: number): boolean {
    return this.dirty[b] === 1;
  }

  /** Recomputes the candidates of dirty banks; returns how many. */
  flush(): number {
    const n = this.dirtyCount;
    for (let i = 0; i < n; i++) {
      const b = this.dirtyList[i]!;
      this.dirty[b] = 0;
      this.owner.fillCandidate(b);
      const cmd = this.cmd[b]!;
      const cls = cmd === NONE ? CLASS_NONE : cmd >= RD ? CLASS_COL : CLASS_ROW;
      this.setClass(b, cls);
      if (cls === CLASS_ROW) {
        const pos = this.listPos[b]!, t = this.timing;
        this.rowOwn[pos] = t.bankNext[b * 4 + cmd]! - t.cmdOff[cmd]!;
        this.rowGate[pos] = cmd === ACT ? this.gateOfBank[b]! : t.noGate;
        this.rowSeq[pos] = this.seq[b]!;
      }
    }
    this.dirtyCount = 0;
    return n;
  }

  // The two scans are the simulator's hottest loops, so readyCycle is inlined in each.
  scanColumns(now: number): void {
    let best = NIL, bestReady = Infinity, bestSeq = Infinity;
    const list = this.colList, n = this.colCount, cmds = this.cmd, seqs = this.seq, t = this.timing;
    const bankNext = t.bankNext, groupNext = t.groupNext, rankNext = t.rankNext, groupOff = t.groupOff, rankOff = t.rankOff;
    // Nothing issues before the bus is free or before `now`; candidates ready earlier tie there.
    const bus = t.colBusFree > now ? t.colBusFree : now, off = t.casCycles - 1;
    for (let i = 0; i < n; i++) {
      const b = list[i]!;
      const cmd = cmds[b]!;
      let ready = bankNext[b * 4 + cmd]!;
      const g = groupNext[groupOff[b]! + cmd]!;
      if (g > ready) ready = g;
      const r = rankNext[rankOff[b]! + cmd]!;
      if (r > ready) ready = r;
      ready -= off;
      if (bus > ready) ready = bus;
      const seq = seqs[b]!;
      if (ready < bestReady || (ready === bestReady && seq < bestSeq)) { best = b; bestReady = ready; bestSeq = seq; }
    }
    this.colBank = best; this.colReady = bestReady; this.colSeq = bestSeq;
  }

  scanRows(now: number): void {
    let best = -1, bestReady = Infinity, bestSeq = Infinity;
    const n = this.rowCount, own = this.rowOwn, gateOf = this.rowGate, seqs = this.rowSeq, gates = this.timing.actGate;
    const bus = this.timing.rowBusFree > now ? this.timing.rowBusFree : now;
    for (let i = 0; i < n; i++) {
      let ready = own[i]!;
      const g = gates[gateOf[i]!]!;
      if (g > ready) ready = g;
      if (bus > ready) ready = bus;
      const seq = seqs[i]!;
      if (ready < bestReady || (ready === bestReady && seq < bestSeq)) { best = i; bestReady = ready; bestSeq = seq; }
    }
    this.rowBank = best < 0 ? NIL : this.rowList[best]!; this.rowReady = bestReady; this.rowBestSeq = bestSeq;
  }

  /** Folds bank b's fresh candidate, as seen at cycle `now`, into the plan of its class. */
  offer(b: number, now: number): void {
    const cmd = this.cmd[b]!;
    if (cmd === NONE) return;
    const r = this.timing.readyCycle(cmd, b);
    const ready = r > now ? r : now;
    const seq = this.seq[b]!;
    if (cmd >= RD) {
      if (ready < this.colReady || (ready === this.colReady && seq < this.colSeq)) { this.colBank = b; this.colReady = ready; this.colSeq = seq; }
    } else if (ready < this.rowReady || (ready === this.rowReady && seq < this.rowBestSeq)) { this.rowBank = b; this.rowReady = ready; this.rowBestSeq = seq; }
  }

  /** Moves bank b between the dense row and column lists. */
  private setClass(b: number, cls: number): void {
    const old = this.classOf[b]!;
    if (old === cls) return;
    if (old !== CLASS_NONE) {
      const list = old === CLASS_ROW ? this.rowList : this.colList;
      const last = old === CLASS_ROW ? --this.rowCount : --this.colCount;
      const pos = this.listPos[b]!;
      const moved = list[last]!;
      list[pos] = moved;
      this.listPos[moved] = pos;
      if (old === CLASS_ROW) {
        this.rowOwn[pos] = this.rowOwn[last]!;
        this.rowGate[pos] = this.rowGate[last]!;
        this.rowSeq[pos] = this.rowSeq[last]!;
      }
    }
    if (cls === CLASS_ROW) { this.listPos[b] = this.rowCount; this.rowList[this.rowCount++] = b; }
    else if (cls === CLASS_COL) { this.listPos[b] = this.colCount; this.colList[this.colCount++] = b; }
    this.classOf[b] = cls;
  }
}
