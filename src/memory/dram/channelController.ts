// One DRAM (sub-)channel controller: per-bank row-buffer state machines, FR-FCFS scheduling (row hits
// first, then oldest; Rixner et al., ISCA 2000) with an optional hit cap, open or closed page policy.
//
// Everything the per-command path touches is a flat typed array owned by this class (no per-burst
// objects, no callbacks, no Map lookups; duplicate merging uses a typed-array hash, `BurstIndex`):
// - burst storage, struct of arrays indexed by slot: `burstParent`, `burstRow`, `burstSeq`, ...;
// - per-bank FIFOs as ring buffers of slots in one array `ring` (bank b owns [b << ringShift, +ringCap));
// - per-bank candidate command `candCmd`/`candSlot`/`candOff`/`candSeq` (one per bank, FR-FCFS order);
// - dense row (ACT/PRE) and column (RD/WR) candidate lists; the row list keeps each candidate's own
//   ready term, its shared ACT gate index and its age side by side per list position (`rowKeys`), so
//   a row scan reads one dense array and the gate table (see `scanRows`).
import type { CompletionSink } from '../types.ts';
import type { RequestTable } from '../requestTable.ts';
import { ABSENT, BurstIndex } from './burstIndex.ts';
import { CompletionFifo } from './completionFifo.ts';
import { RefreshSchedule, type RefreshTarget } from './refreshSchedule.ts';
import type { ResolvedDramPreset } from './resolvePreset.ts';
import { ACT, PRE, RD, TimingTables, WR } from './timingTables.ts';
import { grown } from '../grown.ts';

/** No slot / no bank. */
const NIL = -1;
/** openRow value of a precharged bank. */
const CLOSED = -1;
/** Candidate kind of a bank with nothing to issue (ACT, PRE, RD, WR are 0-3). */
const NONE = 4;
// Candidate classes: which dense list (and which command bus) a bank's candidate belongs to.
const CLASS_NONE = 0;
const CLASS_ROW = 1;
const CLASS_COL = 2;
/** Initial ring capacity per bank (a power of two); rings double when one bank's FIFO is full. */
const RING_SHIFT_INITIAL = 3;

export interface ChannelCounters {
  activates: number;
  precharges: number;
  refreshes: number;
  readBursts: number;
  writeBursts: number;
  mergedBursts: number;
  rowHits: number;
  rowMisses: number;
  rowConflicts: number;
}

export interface ChannelOptions {
  pagePolicy: 'open' | 'closed';
  rowHitCap: number;
  mergeDuplicates: 'off' | 'controller';
}

/**
 * A channel controller. The owning device calls `enqueue` for each burst and `tick(now)` whenever
 * `nextEvent <= now`; between those calls nothing can happen in this channel.
 *
 * Each bank has one candidate command (ACT, PRE, RD or WR for its oldest row hit or oldest burst). The
 * plan holds, per bus class, the candidate that can issue first: seen from cycle `now`, the candidate
 * with the earliest ready cycle (never before `now`), ties to the oldest request (smallest seq), which
 * is exactly what cycle-by-cycle FR-FCFS would issue first. FR-FCFS issues the column candidate first
 * when both are ready on a shared command bus. Refresh PREs all have age -1; among them the row list
 * order decides in a scan (list removal moves the last entry into the hole) and the incumbent in an
 * offer.
 *
 * Contract: `tick` issues at most one command per command bus per cycle, never violates a timing term,
 * and reports each burst to the request table exactly once, at the cycle its data transfer ends.
 */
export class ChannelController implements RefreshTarget {
  /** Earliest cycle at which `tick` has work; Infinity when idle. */
  nextEvent = Infinity;
  /** Bursts waiting for their column command (in all bank FIFOs). */
  queued = 0;
  readonly counters: ChannelCounters = { activates: 0, precharges: 0, refreshes: 0, readBursts: 0, writeBursts: 0, mergedBursts: 0, rowHits: 0, rowMisses: 0, rowConflicts: 0 };

  private readonly timing: TimingTables;
  private readonly refresh: RefreshSchedule;
  /** refresh.blocked: 1 for a bank owed a refresh (its candidate is a PRE or nothing). */
  private readonly blocked: Uint8Array;
  private readonly readsDone = new CompletionFifo();
  private readonly writesDone = new CompletionFifo();
  private readonly closedPage: boolean;
  private readonly split: boolean;
  private readonly rowHitCap: number;
  /** Queued or in-flight reads by burst address, for mergeDuplicates = 'controller'; null when off. */
  private readonly pendingReads: BurstIndex | null;

  // Burst storage, indexed by slot. A slot is free, queued in one bank ring, or held (issued or merged).
  private burstParent = new Int32Array(0);
  private burstRow = new Int32Array(0);
  /** Arrival order within the channel (grows with every alloc). */
  private burstSeq = new Float64Array(0);
  private burstWrite = new Uint8Array(0);
  private burstKey = new Float64Array(0);
  /** First read merged into this one (a chain through burstNextMerged), or NIL. */
  private burstFollow = new Int32Array(0);
  private burstNextMerged = new Int32Array(0);
  /** Cycle the burst's data transfer ends, once its column command issued; Infinity before. */
  private burstDoneCycle = new Float64Array(0);
  private freeSlots = new Int32Array(0);
  private freeCount = 0;
  private seqCounter = 0;

  // Per-bank FIFOs of slots: bank b's entries are ring[(b << ringShift) + ((ringHead[b] + i) & ringMask)].
  private ring: Int32Array;
  private ringShift = RING_SHIFT_INITIAL;
  private ringMask = (1 << RING_SHIFT_INITIAL) - 1;
  private readonly ringHead: Int32Array;
  private readonly ringCount: Int32Array;

  // Row-buffer state per bank.
  private readonly openRow: Int32Array;
  private readonly columnsSinceAct: Int32Array;
  private readonly hitStreak: Int32Array;
  private readonly openedForConflict: Uint8Array;

  // Candidate per bank: command, its burst slot and that burst's offset in the bank's FIFO, its age.
  private readonly candCmd: Uint8Array;
  private readonly candSlot: Int32Array;
  private readonly candOff: Int32Array;
  private readonly candSeq: Float64Array;
  private readonly candClass: Uint8Array;
  /** Position of bank b in the dense list of its class. */
  private readonly listPos: Int32Array;
  // Dense row list and, per list position, the scan keys.
  private readonly rowList: Int32Array;
  /** Per row-list position i, at i * 4: own ready term (cycle), ACT gate index, age (seq); i * 4 + 3 is unused. */
  private readonly rowKeys: Float64Array;
  private rowCount = 0;
  private readonly colList: Int32Array;
  private colCount = 0;
  /** Shared ACT-gate index of bank b (its bank group, see TimingTables.actGate). */
  private readonly gateOfBank: Int32Array;
  // Banks whose candidate awaits recomputation, in the order they changed (the order fixes list order).
  private readonly dirty: Uint8Array;
  private readonly dirtyList: Int32Array;
  private dirtyCount = 0;

  // The plan: per class the best candidate as seen at the last (re)plan, and the refresh that can go.
  private colBank = NIL;
  private colReady = Infinity;
  private colSeq = Infinity;
  private rowBank = NIL;
  private rowReady = Infinity;
  private rowSeqBest = Infinity;
  // The plan is stale after refresh or a change to a planned bank; planAt is when its first command can go.
  private planStale = true;
  private planAt = Infinity;
  private planRefRank = -1;
  private planRefReady = Infinity;

  constructor(p: ResolvedDramPreset, index: number, options: ChannelOptions, private readonly table: RequestTable) {
    const nBanks = p.ranks * p.bankGroups * p.banksPerGroup;
    this.timing = new TimingTables(p);
    this.refresh = new RefreshSchedule(p, index);
    this.blocked = this.refresh.blocked;
    this.closedPage = options.pagePolicy === 'closed';
    this.split = this.timing.split;
    this.rowHitCap = options.rowHitCap;
    this.pendingReads = options.mergeDuplicates === 'controller' ? new BurstIndex() : null;
    this.ring = new Int32Array(nBanks << RING_SHIFT_INITIAL);
    this.ringHead = new Int32Array(nBanks);
    this.ringCount = new Int32Array(nBanks);
    this.openRow = new Int32Array(nBanks).fill(CLOSED);
    this.columnsSinceAct = new Int32Array(nBanks);
    this.hitStreak = new Int32Array(nBanks);
    this.openedForConflict = new Uint8Array(nBanks);
    this.candCmd = new Uint8Array(nBanks).fill(NONE);
    this.candSlot = new Int32Array(nBanks).fill(NIL);
    this.candOff = new Int32Array(nBanks);
    this.candSeq = new Float64Array(nBanks);
    this.candClass = new Uint8Array(nBanks);
    this.listPos = new Int32Array(nBanks);
    this.rowList = new Int32Array(nBanks);
    this.rowKeys = new Float64Array(nBanks * 4);
    this.colList = new Int32Array(nBanks);
    this.gateOfBank = Int32Array.from(this.timing.groupOff, (g4) => g4 >> 2);
    this.dirty = new Uint8Array(nBanks);
    this.dirtyList = new Int32Array(nBanks);
    this.growSlots(64);
  }

  /**
   * Queues one burst of request-table entry `parent` for bank `bank` (index within the channel), row
   * `row`; `key` is the global burst address. Returns true if it merged with a queued read.
   */
  enqueue(parent: number, bank: number, row: number, isWrite: boolean, key: number, now: number): boolean {
    const refresh = this.refresh;
    if (this.queued === 0 && !refresh.anyPending()) {
      refresh.catchUp(now, this);
      this.planStale = true;
    }
    const merge = this.pendingReads;
    if (merge !== null && this.mergeOrRecord(merge, parent, row, isWrite, key, now)) return true;
    const s = this.alloc(parent, row, isWrite, key);
    if (merge !== null && !isWrite) merge.set(key, s);
    const cmd = this.candCmd[bank]!;
    this.append(bank, s);
    // A burst behind others leaves its bank's candidate as it was (the oldest hit, or the head's ACT
    // or PRE), unless it is the first hit for an open bank that planned a PRE; a refresh or a stale
    // candidate goes the long way. An unchanged candidate cannot change the plan: it was weighed when
    // it last changed, and its ready cycle only grows. A replan would find the same plan too, since
    // without refresh every candidate has its own age and the plan is the unique (ready, age) minimum;
    // a pending refresh keeps the replan, whose scan order breaks ties between refresh PREs.
    const planned = bank === this.colBank || bank === this.rowBank;
    if (!this.planStale && cmd !== NONE && this.dirty[bank] === 0 && this.blocked[bank] === 0 && !(cmd === PRE && row === this.openRow[bank])) {
      if (!planned) return false;
      if (!refresh.anyPending()) {
        // Same visit as the replan it replaces (a tick at `now`), so clock owners step alike.
        this.nextEvent = now;
        return false;
      }
    }
    // An arrival changes only its bank's candidate: fold that into the plan unless it was planned.
    if (planned) this.planStale = true;
    if (this.planStale) {
      this.markDirty(bank);
      this.nextEvent = now;
      return false;
    }
    // A fresh plan leaves no dirty bank, so this fill is the flush a replan would do.
    this.fill(bank);
    this.offer(bank, now);
    this.updatePlanAt();
    this.updateNextEvent();
    return false;
  }

  /**
   * mergeDuplicates = 'controller': a read joins a queued or in-flight read of burst `key` (returns
   * true); a write ends merging with that read. Kept out of `enqueue` so the common path stays small.
   */
  private mergeOrRecord(merge: BurstIndex, parent: number, row: number, isWrite: boolean, key: number, now: number): boolean {
    const primary = merge.get(key);
    // A read whose data is on the bus this very cycle is too late to join.
    if (primary === ABSENT || this.burstDoneCycle[primary]! <= now) return false;
    if (!isWrite) {
      const s = this.alloc(parent, row, false, key);
      this.burstNextMerged[s] = this.burstFollow[primary]!;
      this.burstFollow[primary] = s;
      this.counters.mergedBursts++;
      return true;
    }
    // A write ends merging with the older read: later reads must see the new data.
    merge.delete(key);
    return false;
  }

  /** Completes bursts due at `now`, then issues the commands FR-FCFS planned for `now`. */
  tick(now: number, sink: CompletionSink): void {
    const reads = this.readsDone;
    while (reads.headCycle <= now) this.finish(reads.shift(), now, sink);
    const writes = this.writesDone;
    while (writes.headCycle <= now) this.finish(writes.shift(), now, sink);
    const refresh = this.refresh;
    if (refresh.nextStart <= now && (this.queued > 0 || refresh.anyPending())) {
      refresh.startDue(now, this);
      this.planStale = true;
    }
    if (this.planStale) this.replan(now);
    if (this.planAt <= now) this.issueRound(now);
    this.updateNextEvent();
  }

  private finish(slot: number, now: number, sink: CompletionSink): void {
    const merge = this.pendingReads;
    if (merge !== null) {
      // The read is no longer in flight, so later duplicates need their own access.
      if (this.burstWrite[slot] === 0 && merge.get(this.burstKey[slot]!) === slot) merge.delete(this.burstKey[slot]!);
      for (let f = this.burstFollow[slot]!; f !== NIL; ) {
        const nextF = this.burstNextMerged[f]!;
        this.table.burstDone(this.burstParent[f]!, now, sink);
        this.freeSlots[this.freeCount++] = f;
        f = nextF;
      }
    }
    this.table.burstDone(this.burstParent[slot]!, now, sink);
    this.freeSlots[this.freeCount++] = slot;
  }

  /** Recomputes every dirty candidate, then both class plans and the refresh plan, as seen at `now`. */
  private replan(now: number): void {
    this.planStale = false;
    this.flush();
    this.scanColumns(now);
    this.scanRows(now);
    this.planRefresh();
  }

  /**
   * Issues what the plan holds for `now` (planAt <= now), at most one command per command bus, then
   * replans. With split row and column buses a column command moves only column timing (and its own
   * bank) and a row command only row timing, so the other class's plan stays exact and just takes in
   * the banks that changed; a shared bus or a refresh replans everything.
   */
  private issueRound(now: number): void {
    const refReady = this.planRefReady <= now;
    if (!this.split) {
      // Refresh first; then row hits (the "first-ready" of FR-FCFS); a waiting row command goes when the bus frees.
      if (refReady) this.issueRefresh(this.planRefRank, now);
      else if (this.colReady <= now) this.issueColumn(this.colBank, now);
      else if (this.rowReady <= now) this.issueRow(this.rowBank, now);
      this.replan(now);
      return;
    }
    const colBank = this.colBank, rowBank = this.rowBank;
    const col = this.colReady <= now;
    if (col) this.issueColumn(colBank, now);
    if (refReady) {
      this.issueRefresh(this.planRefRank, now);
      this.replan(now);
      return;
    }
    // A changed bank whose new class was not rescanned joins that class's plan by an offer.
    if (this.rowReady <= now) {
      this.issueRow(rowBank, now);
      this.scanRows(now);
      if (col) this.scanColumns(now);
      else if (this.candClass[rowBank] === CLASS_COL) this.offer(rowBank, now);
    } else {
      // planAt <= now with neither a refresh nor a row command ready: the column command went.
      this.scanColumns(now);
      if (this.candClass[colBank] === CLASS_ROW) this.offer(colBank, now);
    }
    if (this.refresh.anyPending()) this.planRefresh();
    else this.updatePlanAt();
  }

  private planRefresh(): void {
    const refresh = this.refresh;
    this.planRefRank = -1;
    this.planRefReady = Infinity;
    if (refresh.anyPending()) {
      // A refresh whose banks are all closed outranks every request (JEDEC: REF within tREFI).
      refresh.readyRank(-Infinity, this.timing.rowBusFree, this);
      this.planRefRank = refresh.nextReadyRank;
      this.planRefReady = refresh.nextReady;
    }
    this.updatePlanAt();
  }

  private updatePlanAt(): void {
    const rowSide = this.planRefReady < this.rowReady ? this.planRefReady : this.rowReady;
    this.planAt = this.colReady < rowSide ? this.colReady : rowSide;
  }

  private updateNextEvent(): void {
    let next = this.planAt;
    const refresh = this.refresh;
    if ((this.queued > 0 || refresh.anyPending()) && refresh.nextStart < next) next = refresh.nextStart;
    const r = this.readsDone.headCycle;
    if (r < next) next = r;
    const w = this.writesDone.headCycle;
    this.nextEvent = w < next ? w : next;
  }

  // ---- Candidates and the plan ----

  /** Recomputes the candidates of dirty banks in the order they changed. */
  private flush(): void {
    const n = this.dirtyCount;
    for (let i = 0; i < n; i++) {
      const b = this.dirtyList[i]!;
      this.dirty[b] = 0;
      this.fill(b);
    }
    this.dirtyCount = 0;
  }

  /** Bank b's candidate from its row-buffer state and FIFO; moves b to its class's list. */
  private fill(b: number): void {
    const open = this.openRow[b]!;
    const count = this.ringCount[b]!;
    let cmd: number;
    if (this.blocked[b] === 1) {
      // The bank is owed a refresh: close it and hold new activates until REF has run.
      cmd = open === CLOSED ? NONE : PRE;
      this.candSeq[b] = -1;
    } else if (count === 0) {
      cmd = NONE;
    } else {
      const ring = this.ring, base = b << this.ringShift, head = this.ringHead[b]!, mask = this.ringMask;
      let slot = ring[base + head]!;
      let off = 0;
      if (open === CLOSED) {
        cmd = ACT;
      } else {
        // The oldest hit; the cap stops a stream of hits from starving an older burst for another row.
        const rows = this.burstRow;
        let i = 0;
        while (i < count && rows[ring[base + ((head + i) & mask)]!] !== open) i++;
        if (i < count && (i === 0 || this.hitStreak[b]! < this.rowHitCap)) {
          slot = ring[base + ((head + i) & mask)]!;
          off = i;
          cmd = this.burstWrite[slot] === 1 ? WR : RD;
        } else {
          cmd = PRE;
        }
      }
      this.candSlot[b] = slot;
      this.candOff[b] = off;
      this.candSeq[b] = this.burstSeq[slot]!;
    }
    this.candCmd[b] = cmd;
    const cls = cmd === NONE ? CLASS_NONE : cmd >= RD ? CLASS_COL : CLASS_ROW;
    if (this.candClass[b] !== cls) this.setClass(b, cls);
    if (cls === CLASS_ROW) {
      const pos = this.listPos[b]!, t = this.timing;
      const k = this.rowKeys, at = pos << 2;
      k[at] = t.bankNext[b * 4 + cmd]! - t.cmdOff[cmd]!;
      k[at + 1] = cmd === ACT ? this.gateOfBank[b]! : t.noGate;
      k[at + 2] = this.candSeq[b]!;
    }
  }

  /** Moves bank b between the dense row and column lists (removal moves the last entry into the hole). */
  private setClass(b: number, cls: number): void {
    const old = this.candClass[b]!;
    if (old === CLASS_ROW) {
      const last = --this.rowCount, pos = this.listPos[b]!, moved = this.rowList[last]!;
      this.rowList[pos] = moved;
      this.listPos[moved] = pos;
      const k = this.rowKeys;
      k[pos << 2] = k[last << 2]!;
      k[(pos << 2) + 1] = k[(last << 2) + 1]!;
      k[(pos << 2) + 2] = k[(last << 2) + 2]!;
    } else if (old === CLASS_COL) {
      const last = --this.colCount, pos = this.listPos[b]!, moved = this.colList[last]!;
      this.colList[pos] = moved;
      this.listPos[moved] = pos;
    }
    if (cls === CLASS_ROW) { this.listPos[b] = this.rowCount; this.rowList[this.rowCount++] = b; }
    else if (cls === CLASS_COL) { this.listPos[b] = this.colCount; this.colList[this.colCount++] = b; }
    this.candClass[b] = cls;
  }

  // The two scans are the simulator's hottest loops, so the ready cycle is inlined in each.
  private scanColumns(now: number): void {
    let best = NIL, bestReady = Infinity, bestSeq = Infinity;
    const list = this.colList, n = this.colCount, cmds = this.candCmd, seqs = this.candSeq, t = this.timing;
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

  /**
   * Row scan over `rowKeys`: per position the bank's own ready term less cmdOff (valid until the bank's
   * candidate is refilled, since every change to a bank's timing refills it or rewrites the term), the
   * index of the shared group-and-rank term in `timing.actGate` (a PRE points at its -Infinity entry),
   * and the candidate's age. Ties go to the first position (list order), as refresh PREs need.
   */
  private scanRows(now: number): void {
    let best = -1, bestReady = Infinity, bestSeq = Infinity;
    const end = this.rowCount << 2, keys = this.rowKeys, gates = this.timing.actGate;
    const bus = this.timing.rowBusFree > now ? this.timing.rowBusFree : now;
    for (let at = 0; at < end; at += 4) {
      let ready = keys[at]!;
      const g = gates[keys[at + 1]!]!;
      if (g > ready) ready = g;
      if (bus > ready) ready = bus;
      const seq = keys[at + 2]!;
      if (ready < bestReady || (ready === bestReady && seq < bestSeq)) { best = at; bestReady = ready; bestSeq = seq; }
    }
    this.rowBank = best < 0 ? NIL : this.rowList[best >> 2]!; this.rowReady = bestReady; this.rowSeqBest = bestSeq;
  }


  /** Folds bank b's fresh candidate, as seen at cycle `now`, into the plan of its class (incumbent wins ties). */
  private offer(b: number, now: number): void {
    const cmd = this.candCmd[b]!;
    if (cmd === NONE) return;
    const r = this.timing.readyCycle(cmd, b);
    const ready = r > now ? r : now;
    const seq = this.candSeq[b]!;
    if (cmd >= RD) {
      if (ready < this.colReady || (ready === this.colReady && seq < this.colSeq)) { this.colBank = b; this.colReady = ready; this.colSeq = seq; }
    } else if (ready < this.rowReady || (ready === this.rowReady && seq < this.rowSeqBest)) { this.rowBank = b; this.rowReady = ready; this.rowSeqBest = seq; }
  }

  // ---- Commands ----

  private issueRow(b: number, now: number): void {
    if (this.candCmd[b] === ACT) {
      this.openRow[b] = this.burstRow[this.candSlot[b]!]!;
      this.columnsSinceAct[b] = 0;
      this.hitStreak[b] = 0;
      this.timing.onActivate(b, now);
      this.counters.activates++;
    } else {
      this.openRow[b] = CLOSED;
      // Row-conflict statistic: the PRE served a queued burst for another row, not a refresh.
      this.openedForConflict[b] = this.blocked[b] === 1 ? 0 : 1;
      this.timing.onPrecharge(b, now);
      this.counters.precharges++;
    }
    this.rowIssued(b);
  }

  /**
   * Bank b's candidate after its row command, as `fill` would compute it: an ACT opened the head's row,
   * so the head is the first hit (RD or WR, same slot and age); a PRE for a queued burst leaves the
   * head's ACT (same slot and age, new own term); a refresh PRE leaves nothing.
   */
  private rowIssued(b: number): void {
    const cmd = this.candCmd[b]!;
    if (cmd === ACT) {
      this.candCmd[b] = this.burstWrite[this.candSlot[b]!] === 1 ? WR : RD;
      this.setClass(b, CLASS_COL);
    } else if (this.candSeq[b]! >= 0) {
      this.candCmd[b] = ACT;
      const pos = this.listPos[b]!, t = this.timing;
      this.rowKeys[pos << 2] = t.bankNext[b * 4 + ACT]! - t.cmdOff[ACT]!;
      this.rowKeys[(pos << 2) + 1] = this.gateOfBank[b]!;
    } else {
      this.fill(b);
    }
  }

  private issueColumn(b: number, now: number): void {
    const s = this.candSlot[b]!;
    const write = this.burstWrite[s] === 1;
    this.removeAt(b, this.candOff[b]!);
    const c = this.counters;
    if (this.columnsSinceAct[b] === 0) {
      if (this.openedForConflict[b] === 1) c.rowConflicts++;
      else c.rowMisses++;
    } else c.rowHits++;
    this.columnsSinceAct[b]!++;
    this.hitStreak[b]!++;
    if (write) {
      c.writeBursts++;
      this.writesDone.push(s, this.timing.onWrite(b, now));
    } else {
      c.readBursts++;
      const done = this.timing.onRead(b, now);
      this.burstDoneCycle[s] = done;
      this.readsDone.push(s, done);
    }
    if (this.closedPage && !this.hasHit(b, this.openRow[b]!)) {
      // Closed page: RDA/WRA when no queued burst wants this row.
      this.openRow[b] = CLOSED;
      this.openedForConflict[b] = 0;
      this.timing.onAutoPrecharge(b);
      c.precharges++;
    }
    this.fill(b);
  }

  private issueRefresh(rank: number, now: number): void {
    this.refresh.issue(rank, now, this);
    this.timing.takeRowBus(now, 1);
    this.counters.refreshes++;
  }

  // ---- Burst storage and bank FIFOs ----

  private alloc(parent: number, row: number, isWrite: boolean, key: number): number {
    if (this.freeCount === 0) this.growSlots(this.burstParent.length * 2);
    const s = this.freeSlots[--this.freeCount]!;
    this.burstParent[s] = parent;
    this.burstRow[s] = row;
    this.burstWrite[s] = isWrite ? 1 : 0;
    this.burstKey[s] = key;
    this.burstSeq[s] = this.seqCounter++;
    this.burstFollow[s] = NIL;
    this.burstDoneCycle[s] = Infinity;
    return s;
  }

  /** Appends slot s to bank b's FIFO. */
  private append(b: number, s: number): void {
    const count = this.ringCount[b]!;
    if (count > this.ringMask) this.growRings();
    this.ring[(b << this.ringShift) + ((this.ringHead[b]! + count) & this.ringMask)] = s;
    this.ringCount[b] = count + 1;
    this.queued++;
  }

  /** Removes the entry at offset `off` from the head of bank b's FIFO (a row hit may leave from the middle). */
  private removeAt(b: number, off: number): void {
    const count = this.ringCount[b]!, head = this.ringHead[b]!, mask = this.ringMask;
    if (off === 0) {
      this.ringHead[b] = (head + 1) & mask;
    } else {
      const ring = this.ring, base = b << this.ringShift;
      for (let i = off; i < count - 1; i++) ring[base + ((head + i) & mask)] = ring[base + ((head + i + 1) & mask)]!;
    }
    this.ringCount[b] = count - 1;
    this.queued--;
  }

  /** True when bank b's FIFO holds a burst for `row`. */
  private hasHit(b: number, row: number): boolean {
    const ring = this.ring, base = b << this.ringShift, head = this.ringHead[b]!, mask = this.ringMask, count = this.ringCount[b]!;
    for (let i = 0; i < count; i++) if (this.burstRow[ring[base + ((head + i) & mask)]!] === row) return true;
    return false;
  }

  private growRings(): void {
    const nBanks = this.ringHead.length, oldShift = this.ringShift, oldMask = this.ringMask, old = this.ring;
    this.ringShift = oldShift + 1;
    this.ringMask = (1 << this.ringShift) - 1;
    this.ring = new Int32Array(nBanks << this.ringShift);
    for (let b = 0; b < nBanks; b++) {
      const head = this.ringHead[b]!;
      for (let i = 0; i < this.ringCount[b]!; i++) this.ring[(b << this.ringShift) + i] = old[(b << oldShift) + ((head + i) & oldMask)]!;
      this.ringHead[b] = 0;
    }
  }

  private growSlots(size: number): void {
    const old = this.burstParent.length;
    this.burstParent = grown(this.burstParent, size);
    this.burstRow = grown(this.burstRow, size);
    this.burstSeq = grown(this.burstSeq, size);
    this.burstWrite = grown(this.burstWrite, size);
    this.burstKey = grown(this.burstKey, size);
    this.burstFollow = grown(this.burstFollow, size);
    this.burstNextMerged = grown(this.burstNextMerged, size);
    this.burstDoneCycle = grown(this.burstDoneCycle, size);
    // Only called with an empty free list, so the new list holds just the new slots.
    this.freeSlots = new Int32Array(size);
    this.freeCount = 0;
    for (let s = size - 1; s >= old; s--) this.freeSlots[this.freeCount++] = s;
  }

  // ---- RefreshTarget: RefreshSchedule owns refresh timing but not the bank tables ----

  isOpen(b: number): boolean {
    return this.openRow[b] !== CLOSED;
  }
  queuedAt(b: number): number {
    return this.ringCount[b]!;
  }
  markDirty(b: number): void {
    if (this.dirty[b] === 0) {
      this.dirty[b] = 1;
      this.dirtyList[this.dirtyCount++] = b;
    }
  }
  earliestAct(b: number): number {
    return this.timing.earliestAct(b);
  }
  earliestPre(b: number): number {
    return this.timing.earliestPre(b);
  }
  closeAt(b: number, cycle: number): void {
    this.openRow[b] = CLOSED;
    this.openedForConflict[b] = 0;
    this.timing.closeAt(b, cycle);
    this.counters.precharges++;
    this.markDirty(b);
  }
  holdUntil(b: number, cycle: number): void {
    this.timing.holdUntil(b, cycle);
    this.markDirty(b);
  }
}
