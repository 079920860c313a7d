// One DRAM (sub-)channel controller: per-bank row-buffer state machines, FR-FCFS scheduling (row hits
// first, then oldest; Rixner et al., ISCA 2000) with an optional hit cap, open or closed page policy.
import type { CompletionSink } from '../types.ts';
import type { RequestTable } from '../requestTable.ts';
import { BankQueues, NIL } from './bankQueues.ts';
import { CompletionFifo } from './completionFifo.ts';
import { RefreshSchedule, type RefreshTarget } from './refreshSchedule.ts';
import type { ResolvedDramPreset } from './resolvePreset.ts';
import { CLASS_COL, CLASS_ROW, FrfcfsPlan, NONE, type CandidateSource } from './frfcfsPlan.ts';
import { ACT, PRE, RD, TimingTables, WR } from './timingTables.ts';

/** openRow value of a precharged bank. */
const CLOSED = -1;
// What an issue round did.
const ISSUED_COL = 1;
const ISSUED_ROW = 2;
const ISSUED_REF = 4;

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
 * plan holds, per bus class, the candidate that can issue first (ties to the oldest request); FR-FCFS
 * issues the column candidate first when both are ready on a shared command bus.
 *
 * Contract: `tick` issues at most one command per command bus per cycle, never violates a timing term,
 * and reports each burst to the request table exactly once, at the cycle its data transfer ends.
 */
export class ChannelController implements RefreshTarget, CandidateSource {
  /** Earliest cycle at which `tick` has work; Infinity when idle. */
  nextEvent = Infinity;
  readonly counters: ChannelCounters = { activates: 0, precharges: 0, refreshes: 0, readBursts: 0, writeBursts: 0, mergedBursts: 0, rowHits: 0, rowMisses: 0, rowConflicts: 0 };

  private readonly timing: TimingTables;
  private readonly q: BankQueues;
  private readonly refresh: RefreshSchedule;
  private readonly readsDone = new CompletionFifo();
  private readonly writesDone = new CompletionFifo();
  private readonly closedPage: boolean;
  private readonly rowHitCap: number;
  /** Queued or in-flight reads by burst address, for mergeDuplicates = 'controller'; null when off. */
  private readonly pendingReads: Map<number, number> | null;

  // Row-buffer state per bank.
  private readonly openRow: Int32Array;
  private readonly columnsSinceAct: Int32Array;
  private readonly hitStreak: Int32Array;
  private readonly openedForConflict: Uint8Array;

  private readonly plan: FrfcfsPlan;
  // The plan is stale after refresh or a change to a planned bank; planAt is when its first command can go.
  private planStale = true;
  private planAt = Infinity;
  private planRefRank = -1;
  private planRefReady = Infinity;

  constructor(p: ResolvedDramPreset, index: number, options: ChannelOptions, private readonly table: RequestTable) {
    const nBanks = p.ranks * p.bankGroups * p.banksPerGroup;
    this.timing = new TimingTables(p);
    this.q = new BankQueues(nBanks);
    this.refresh = new RefreshSchedule(p, index);
    this.closedPage = options.pagePolicy === 'closed';
    this.rowHitCap = options.rowHitCap;
    this.pendingReads = options.mergeDuplicates === 'controller' ? new Map() : null;
    this.openRow = new Int32Array(nBanks).fill(CLOSED);
    this.columnsSinceAct = new Int32Array(nBanks);
    this.hitStreak = new Int32Array(nBanks);
    this.openedForConflict = new Uint8Array(nBanks);
    this.plan = new FrfcfsPlan(nBanks, this.timing, this);
  }

  /** Bursts waiting for their column command. */
  get queued(): number {
    return this.q.queued;
  }

  /**
   * Queues one burst of request-table entry `parent` for bank `bank` (index within the channel), row
   * `row`; `key` is the global burst address. Returns true if it merged with a queued read.
   */
  enqueue(parent: number, bank: number, row: number, isWrite: boolean, key: number, now: number): boolean {
    const q = this.q;
    if (q.queued === 0 && !this.refresh.anyPending()) {
      this.refresh.catchUp(now, this);
      this.planStale = true;
    }
    const merge = this.pendingReads;
    if (merge !== null && this.mergeOrRecord(merge, parent, row, isWrite, key, now)) return true;
    const s = q.alloc(parent, row, isWrite, key);
    if (merge !== null && !isWrite) merge.set(key, s);
    const plan = this.plan;
    const cmd = plan.cmd[bank]!;
    q.append(bank, s);
    // A burst behind others leaves its bank's candidate as it was (the oldest hit, or the head's ACT
    // or PRE), unless it is the first hit for an open bank that planned a PRE; a refresh or a stale
    // candidate goes the long way. An unchanged candidate cannot change the plan: it was weighed when
    // it last changed, and its ready cycle only grows. A replan would find the same plan too, since
    // without refresh every candidate has its own age and the plan is the unique (ready, age) minimum;
    // a pending refresh keeps the replan, whose scan order breaks ties between refresh PREs.
    if (!this.planStale && cmd !== NONE && !plan.isDirty(bank) && !this.refresh.isBlocked(bank) && !(cmd === PRE && row === this.openRow[bank])) {
      if (bank !== plan.colBank && bank !== plan.rowBank) return false;
      if (!this.refresh.anyPending()) {
        // Same visit as the replan it replaces (a tick at `now`), so clock owners step alike.
        this.nextEvent = now;
        return false;
      }
    }
    plan.markDirty(bank);
    // An arrival changes only its bank's candidate: fold that into the plan unless it was planned.
    if (!this.planStale && (bank === this.plan.colBank || bank === this.plan.rowBank)) this.planStale = true;
    if (this.planStale) {
      this.nextEvent = now;
      return false;
    }
    this.plan.flush();
    this.plan.offer(bank, now);
    this.updatePlanAt();
    this.updateNextEvent();
    return false;
  }

  /**
   * mergeDuplicates = 'controller': a read joins a queued or in-flight read of burst `key` (returns
   * true); a write ends merging with that read. Kept out of `enqueue` so the common path stays small.
   */
  private mergeOrRecord(merge: Map<number, number>, parent: number, row: number, isWrite: boolean, key: number, now: number): boolean {
    const q = this.q;
    const primary = merge.get(key);
    // A read whose data is on the bus this very cycle is too late to join.
    if (primary === undefined || q.doneAt[primary]! <= now) return false;
    if (!isWrite) {
      const s = q.alloc(parent, row, false, key);
      q.next[s] = q.follow[primary]!;
      q.follow[primary] = s;
      this.counters.mergedBursts++;
      return true;
    }
    // A write ends merging with the older read: later reads must see the new data.
    merge.delete(key);
    return false;
  }

  /** Completes bursts due at `now`, then issues the commands FR-FCFS planned for `now`. */
  tick(now: number, sink: CompletionSink): void {
    while (this.readsDone.headCycle <= now) this.finish(this.readsDone.shift(), now, sink);
    while (this.writesDone.headCycle <= now) this.finish(this.writesDone.shift(), now, sink);
    const refresh = this.refresh;
    if (refresh.nextStart <= now && (this.q.queued > 0 || refresh.anyPending())) {
      refresh.startDue(now, this);
      this.planStale = true;
    }
    if (this.planStale) this.replan(now);
    if (this.planAt <= now) this.replanAfter(this.issuePlanned(now), now);
    this.updateNextEvent();
  }

  private finish(slot: number, now: number, sink: CompletionSink): void {
    const q = this.q;
    // The read is no longer in flight, so later duplicates need their own access.
    if (this.pendingReads !== null && q.write[slot] === 0 && this.pendingReads.get(q.key[slot]!) === slot) this.pendingReads.delete(q.key[slot]!);
    for (let f = q.follow[slot]!; f !== NIL; ) {
      const nextF = q.next[f]!;
      this.table.burstDone(q.parent[f]!, now, sink);
      q.release(f);
      f = nextF;
    }
    this.table.burstDone(q.parent[slot]!, now, sink);
    q.release(slot);
  }

  private replan(now: number): void {
    this.planStale = false;
    this.plan.flush();
    this.plan.scanColumns(now);
    this.plan.scanRows(now);
    this.planRefresh();
  }

  /**
   * Replans after an issue round. With split row and column buses a column command moves only column
   * timing (and its own bank) and a row command only row timing, so the other class's plan stays exact
   * and just takes in the banks that changed; a shared bus or a refresh replans everything.
   */
  private replanAfter(issued: number, now: number): void {
    if ((issued & ISSUED_REF) !== 0 || !this.timing.split) {
      this.replan(now);
      return;
    }
    const plan = this.plan;
    const changed = plan.flush();
    if ((issued & ISSUED_COL) !== 0) plan.scanColumns(now);
    if ((issued & ISSUED_ROW) !== 0) plan.scanRows(now);
    for (let i = 0; i < changed; i++) {
      const b = plan.dirtyList[i]!;
      const cls = plan.classOf[b]!;
      if ((cls === CLASS_COL && (issued & ISSUED_COL) === 0) || (cls === CLASS_ROW && (issued & ISSUED_ROW) === 0)) plan.offer(b, now);
    }
    this.planRefresh();
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
    const rowSide = this.planRefReady < this.plan.rowReady ? this.planRefReady : this.plan.rowReady;
    this.planAt = this.plan.colReady < rowSide ? this.plan.colReady : rowSide;
  }

  /** Issues what the plan holds for `now` (planAt <= now): at most one command per command bus. */
  private issuePlanned(now: number): number {
    const plan = this.plan;
    const colReady = plan.colReady <= now;
    const refReady = this.planRefReady <= now;
    const rowReady = plan.rowReady <= now;
    if (this.timing.split) {
      let issued = 0;
      if (colReady) { this.issueColumn(plan.colBank, now); issued |= ISSUED_COL; }
      if (refReady) { this.issueRefresh(this.planRefRank, now); issued |= ISSUED_REF; }
      else if (rowReady) { this.issueRow(plan.rowBank, now); issued |= ISSUED_ROW; }
      return issued;
    }
    if (refReady) { this.issueRefresh(this.planRefRank, now); return ISSUED_REF; }
    // Row hits first (the "first-ready" of FR-FCFS); a waiting row command goes when the bus frees.
    if (colReady) { this.issueColumn(plan.colBank, now); return ISSUED_COL; }
    if (rowReady) { this.issueRow(plan.rowBank, now); return ISSUED_ROW; }
    return 0;
  }

  private updateNextEvent(): void {
    let next = this.planAt;
    const refresh = this.refresh;
    if ((this.q.queued > 0 || refresh.anyPending()) && refresh.nextStart < next) next = refresh.nextStart;
    const r = this.readsDone.headCycle;
    if (r < next) next = r;
    const w = this.writesDone.headCycle;
    this.nextEvent = w < next ? w : next;
  }

  /** Writes bank b's candidate command, slot and age into the plan. */
  fillCandidate(b: number): void {
    const open = this.openRow[b]!;
    const q = this.q;
    let cmd: number;
    const blocked = this.refresh.isBlocked(b);
    if (blocked) {
      // The bank is owed a refresh: close it and hold new activates until REF has run.
      cmd = open === CLOSED ? NONE : PRE;
    } else if (q.head[b] === NIL) {
      cmd = NONE;
    } else if (open === CLOSED) {
      cmd = ACT;
      this.plan.slot[b] = q.head[b]!;
    } else {
      const hit = q.firstHit(b, open);
      // The cap stops a stream of hits from starving an older burst that needs another row.
      if (hit !== NIL && (hit === q.head[b] || this.hitStreak[b]! < this.rowHitCap)) {
        cmd = q.write[hit] === 1 ? WR : RD;
        this.plan.slot[b] = hit;
      } else {
        cmd = PRE;
        this.plan.slot[b] = q.head[b]!;
      }
    }
    // A refresh PRE is older than any request; a request's candidate has the age of its burst.
    if (blocked) this.plan.seq[b] = -1;
    else if (cmd !== NONE) this.plan.seq[b] = q.seq[this.plan.slot[b]!]!;
    this.plan.cmd[b] = cmd;
  }

  private issueRow(b: number, now: number): void {
    if (this.plan.cmd[b] === ACT) {
      this.openRow[b] = this.q.row[this.plan.slot[b]!]!;
      this.columnsSinceAct[b] = 0;
      this.hitStreak[b] = 0;
      this.timing.onActivate(b, now);
      this.counters.activates++;
    } else {
      this.openRow[b] = CLOSED;
      // Row-conflict statistic: the PRE served a queued burst for another row, not a refresh.
      this.openedForConflict[b] = this.refresh.isBlocked(b) ? 0 : 1;
      this.timing.onPrecharge(b, now);
      this.counters.precharges++;
    }
    this.markDirty(b);
  }

  private issueColumn(b: number, now: number): void {
    const q = this.q;
    const s = this.plan.slot[b]!;
    const write = q.write[s] === 1;
    q.unlink(b, s);
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
      q.doneAt[s] = done;
      this.readsDone.push(s, done);
    }
    if (this.closedPage && q.firstHit(b, this.openRow[b]!) === NIL) {
      // Closed page: RDA/WRA when no queued burst wants this row.
      this.openRow[b] = CLOSED;
      this.openedForConflict[b] = 0;
      this.timing.onAutoPrecharge(b);
      c.precharges++;
    }
    this.markDirty(b);
  }

  private issueRefresh(rank: number, now: number): void {
    this.refresh.issue(rank, now, this);
    this.timing.takeRowBus(now, 1);
    this.counters.refreshes++;
  }

  // RefreshTarget: RefreshSchedule owns refresh timing but not the bank tables.
  isOpen(b: number): boolean {
    return this.openRow[b] !== CLOSED;
  }
  queuedAt(b: number): number {
    return this.q.count[b]!;
  }
  markDirty(b: number): void {
    this.plan.markDirty(b);
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
