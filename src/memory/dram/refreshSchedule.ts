// Refresh of one channel: every bank refreshed once per tREFI, as REFab (JESD79-4), same-bank REFsb
// (JESD79-5) or per-bank REFSB/REFpb (JESD235, JESD238), staggered across ranks and channels.
import type { ResolvedDramPreset } from './resolvePreset.ts';

/**
 * What the schedule needs from its channel's bank tables.
 * Contract: closeAt/holdUntil only ever move a bank's earliest ACT later, and mark its candidate dirty.
 */
export interface RefreshTarget {
  isOpen(b: number): boolean;
  markDirty(b: number): void;
  earliestAct(b: number): number;
  earliestPre(b: number): number;
  closeAt(b: number, cycle: number): void;
  /** Bursts queued for bank b. */
  queuedAt(b: number): number;
  holdUntil(b: number, cycle: number): void;
  readonly counters: { refreshes: number };
}

/**
 * Refresh bookkeeping. A rank's refresh becomes due every `interval` cycles (tREFI / slices); from then
 * on the banks of its current slice take no new ACT, open ones are precharged, and REF issues once all
 * are closed and past tRP; REF holds them for tRFC.
 *
 * Per-bank and same-bank schemes refresh every slice once per round in any order (JESD235, JESD238,
 * JESD79-5 leave the order to the controller), so the schedule picks the unrefreshed slice with the
 * fewest queued bursts: a stream keeps its banks while idle banks take the refresh.
 *
 * Contract: `catchUp` may only be called while the channel has no queued burst and no pending refresh;
 * it replays the refreshes an idle channel would have issued at their due cycles.
 */
export class RefreshSchedule {
  /** Earliest cycle a pending REF with all banks closed can issue (valid after readyRank). */
  nextReady = Infinity;
  /** The rank `nextReady` belongs to, or -1. */
  nextReadyRank = -1;
  private readonly slices: Int32Array[];
  private readonly banksPerRank: number;
  private readonly due: Float64Array;
  private readonly pending: Uint8Array;
  private readonly slice: Int32Array;
  /** Per rank and slice: 1 once refreshed in the current round. */
  private readonly done: Uint8Array;
  private readonly leftInRound: Int32Array;
  /** Per bank: 1 while it is owed a refresh (no new ACT); read by the channel's candidate fill. */
  readonly blocked: Uint8Array;
  private readonly interval: number;
  private readonly tRfc: number;
  private pendingCount = 0;

  constructor(p: ResolvedDramPreset, channelIndex: number) {
    this.banksPerRank = p.bankGroups * p.banksPerGroup;
    const slices: number[][] = [];
    if (p.refresh.scheme === 'all-bank') slices.push(Array.from({ length: this.banksPerRank }, (_, b) => b));
    else if (p.refresh.scheme === 'per-bank') for (let b = 0; b < this.banksPerRank; b++) slices.push([b]);
    else for (let k = 0; k < p.banksPerGroup; k++) slices.push(Array.from({ length: p.bankGroups }, (_, g) => g * p.banksPerGroup + k));
    this.slices = slices.map((s) => Int32Array.from(s));
    // Round down so every bank is refreshed at least once per tREFI.
    this.interval = Math.floor(p.timing.tRefiCycles / this.slices.length);
    this.tRfc = p.timing.tRfcCycles;
    this.due = new Float64Array(p.ranks);
    this.pending = new Uint8Array(p.ranks);
    this.slice = new Int32Array(p.ranks);
    this.done = new Uint8Array(p.ranks * this.slices.length);
    this.leftInRound = new Int32Array(p.ranks).fill(this.slices.length);
    this.blocked = new Uint8Array(p.ranks * this.banksPerRank);
    // Stagger ranks and channels over one interval so they do not all refresh in the same cycle.
    const units = p.channels * p.ranks;
    for (let r = 0; r < p.ranks; r++) this.due[r] = this.interval + Math.floor((this.interval * (channelIndex * p.ranks + r)) / units);
    this.updateNextStart();
  }

  anyPending(): boolean {
    return this.pendingCount > 0;
  }

  /** Earliest due cycle of a refresh not yet started (kept current by every state change). */
  nextStart = 0;

  private updateNextStart(): void {
    let next = Infinity;
    for (let r = 0; r < this.due.length; r++) if (this.pending[r] === 0 && this.due[r]! < next) next = this.due[r]!;
    this.nextStart = next;
  }

  /** Starts every refresh due at `now`: its banks stop taking activates. */
  startDue(now: number, ch: RefreshTarget): void {
    for (let r = 0; r < this.due.length; r++) {
      if (this.pending[r] === 1 || this.due[r]! > now) continue;
      this.pending[r] = 1;
      this.pendingCount++;
      this.slice[r] = this.pickSlice(r, ch);
      const base = r * this.banksPerRank;
      for (const k of this.slices[this.slice[r]!]!) {
        this.blocked[base + k] = 1;
        ch.markDirty(base + k);
      }
    }
    this.updateNextStart();
  }

  /** A rank whose REF can issue at `now`, or -1; updates `nextReady`. */
  readyRank(now: number, rowBusFree: number, ch: RefreshTarget): number {
    this.nextReady = Infinity;
    this.nextReadyRank = -1;
    if (this.pendingCount === 0) return -1;
    for (let r = 0; r < this.due.length; r++) {
      if (this.pending[r] === 0) continue;
      const ready = this.sliceReady(r, rowBusFree, ch);
      if (ready <= now) return r;
      if (ready < this.nextReady) {
        this.nextReady = ready;
        this.nextReadyRank = r;
      }
    }
    return -1;
  }

  /** Issues rank r's REF at `now`. */
  issue(r: number, now: number, ch: RefreshTarget): void {
    const base = r * this.banksPerRank;
    for (const k of this.slices[this.slice[r]!]!) {
      ch.holdUntil(base + k, now + this.tRfc);
      this.blocked[base + k] = 0;
    }
    this.pending[r] = 0;
    this.pendingCount--;
    this.advance(r, 1);
    this.updateNextStart();
  }

  /** Replays, at their due cycles, the refreshes an idle channel owed up to `now`. */
  catchUp(now: number, ch: RefreshTarget): void {
    const n = this.slices.length;
    for (let r = 0; r < this.due.length; r++) {
      if (this.due[r]! > now) continue;
      // Only the last round can still hold a bank; earlier ones are long over.
      const owed = Math.floor((now - this.due[r]!) / this.interval) + 1;
      if (owed > 2 * n) {
        // Whole rounds that ended before the last one leave no trace; start a fresh round.
        const skip = owed - n;
        this.due[r] = this.due[r]! + skip * this.interval;
        ch.counters.refreshes += skip;
        this.done.fill(0, r * n, (r + 1) * n);
        this.leftInRound[r] = n;
      }
      const base = r * this.banksPerRank;
      while (this.due[r]! <= now) {
        const at = this.due[r]!;
        this.slice[r] = this.pickSlice(r, ch);
        let refAt = at;
        for (const k of this.slices[this.slice[r]!]!) {
          if (ch.isOpen(base + k)) ch.closeAt(base + k, Math.max(at, ch.earliestPre(base + k)));
          refAt = Math.max(refAt, ch.earliestAct(base + k));
        }
        for (const k of this.slices[this.slice[r]!]!) ch.holdUntil(base + k, refAt + this.tRfc);
        ch.counters.refreshes++;
        this.advance(r, 1);
      }
    }
    this.updateNextStart();
  }

  private sliceReady(r: number, rowBusFree: number, ch: RefreshTarget): number {
    const base = r * this.banksPerRank;
    let ready = rowBusFree;
    for (const k of this.slices[this.slice[r]!]!) {
      if (ch.isOpen(base + k)) return Infinity; // its PRE candidate drives the next event
      const a = ch.earliestAct(base + k);
      if (a > ready) ready = a;
    }
    return ready;
  }

  /** Marks rank r's current slice refreshed and schedules the next refresh one interval later. */
  private advance(r: number, steps: number): void {
    const n = this.slices.length;
    this.done[r * n + this.slice[r]!] = 1;
    if (--this.leftInRound[r]! === 0) {
      this.done.fill(0, r * n, (r + 1) * n);
      this.leftInRound[r] = n;
    }
    this.due[r] = this.due[r]! + steps * this.interval;
  }

  /** The unrefreshed slice of rank r with the fewest queued bursts (open banks count half a burst). */
  private pickSlice(r: number, ch: RefreshTarget): number {
    const n = this.slices.length;
    if (n === 1) return 0;
    const base = r * this.banksPerRank;
    let best = -1;
    let bestLoad = Infinity;
    for (let i = 0; i < n; i++) {
      // Scan from the last pick so equal loads rotate through the slices.
      const s = (this.slice[r]! + 1 + i) % n;
      if (this.done[r * n + s] === 1) continue;
      let load = 0;
      for (const k of this.slices[s]!) load += ch.queuedAt(base + k) + (ch.isOpen(base + k) ? 0.5 : 0);
      if (load < bestLoad) {
        bestLoad = load;
        best = s;
      }
    }
    return best;
  }
}
