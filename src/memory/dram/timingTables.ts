// JEDEC timing of one DRAM channel as "earliest next command" tables per bank, bank group and rank
// (JESD79-4 DDR4, JESD79-5 DDR5, JESD235 HBM2, JESD238 HBM3), updated as each command issues.
import type { ResolvedDramPreset } from './resolvePreset.ts';

// Command kinds; they index the per-level tables (stride 4).
export const ACT = 0;
export const PRE = 1;
export const RD = 2;
export const WR = 3;

/**
 * Tables hold the earliest *last* cycle of the next command of each kind: JEDEC counts multi-cycle
 * commands (DDR5 ACT/RD/WR, HBM ACT) from their final cycle, so a command of kind k may issue
 * cmdOff[k] cycles before the table value. Bus-free cycles are issue cycles.
 *
 * Contract: every on* method is called once per issued command, with non-decreasing `now`, after the
 * caller checked readyCycle(kind, bank) <= now; values only ever grow.
 */
export class TimingTables {
  readonly bankNext: Float64Array;
  readonly groupNext: Float64Array;
  readonly rankNext: Float64Array;
  readonly cmdOff: Float64Array;
  /** Offsets of bank b's group and rank rows in the stride-4 tables. */
  readonly groupOff: Int32Array;
  readonly rankOff: Int32Array;
  /**
   * Per bank group (index groupOff / 4), the group and rank part of an ACT's ready cycle, already less
   * cmdOff[ACT]: max(groupNext[ACT], rankNext[ACT]) - (actCycles - 1). Only onActivate moves those
   * terms, so it keeps this current; the last entry is -Infinity, the gate of commands without one.
   */
  readonly actGate: Float64Array;
  /** Index of the always-open entry of actGate. */
  readonly noGate: number;
  rowBusFree = 0;
  colBusFree = 0;
  readonly split: boolean;
  readonly actCycles: number;
  readonly casCycles: number;
  private readonly fawRing: Float64Array;
  private readonly fawPos: Int32Array;
  private readonly ranks: number;
  private readonly t: ResolvedDramPreset['timing'];
  private readonly sameRankGap: number;
  private readonly bankGroups: number;

  constructor(p: ResolvedDramPreset) {
    const banksPerRank = p.bankGroups * p.banksPerGroup;
    const nBanks = p.ranks * banksPerRank;
    this.t = p.timing;
    this.ranks = p.ranks;
    this.split = p.commandBus.splitRowColumn;
    this.actCycles = p.commandBus.actCycles;
    this.casCycles = p.commandBus.casCycles;
    this.bankNext = new Float64Array(nBanks * 4);
    this.groupNext = new Float64Array(p.ranks * p.bankGroups * 4);
    this.rankNext = new Float64Array(p.ranks * 4);
    this.cmdOff = Float64Array.of(this.actCycles - 1, 0, this.casCycles - 1, this.casCycles - 1);
    this.groupOff = Int32Array.from({ length: nBanks }, (_, b) => Math.floor(b / p.banksPerGroup) * 4);
    this.rankOff = Int32Array.from({ length: nBanks }, (_, b) => Math.floor(b / banksPerRank) * 4);
    this.fawRing = new Float64Array(p.ranks * 4).fill(-Infinity);
    this.fawPos = new Int32Array(p.ranks);
    this.bankGroups = p.bankGroups;
    this.noGate = p.ranks * p.bankGroups;
    this.actGate = new Float64Array(this.noGate + 1).fill(-(this.actCycles - 1));
    this.actGate[this.noGate] = -Infinity;
    // Back-to-back bursts of one rank: tCCD_S, but never closer than the burst itself.
    this.sameRankGap = Math.max(p.timing.tCcdSCycles, p.timing.burstCycles);
  }

  /** Earliest issue cycle of a command of kind `cmd` to bank b. */
  readyCycle(cmd: number, b: number): number {
    let ready = this.bankNext[b * 4 + cmd]!;
    const g = this.groupNext[this.groupOff[b]! + cmd]!;
    if (g > ready) ready = g;
    const r = this.rankNext[this.rankOff[b]! + cmd]!;
    if (r > ready) ready = r;
    ready -= this.cmdOff[cmd]!;
    const bus = cmd >= RD ? this.colBusFree : this.rowBusFree;
    return bus > ready ? bus : ready;
  }

  onActivate(b: number, now: number): void {
    const t = this.t, bn = this.bankNext, b4 = b * 4, g4 = this.groupOff[b]!, r4 = this.rankOff[b]!, r = r4 >> 2;
    const te = now + this.actCycles - 1;
    bn[b4 + RD] = Math.max(bn[b4 + RD]!, te + t.tRcdCycles);
    bn[b4 + WR] = Math.max(bn[b4 + WR]!, te + t.tRcdWrCycles);
    bn[b4 + PRE] = Math.max(bn[b4 + PRE]!, te + t.tRasCycles);
    bn[b4 + ACT] = Math.max(bn[b4 + ACT]!, te + t.tRcCycles);
    this.groupNext[g4 + ACT] = Math.max(this.groupNext[g4 + ACT]!, te + t.tRrdLCycles);
    let rankAct = Math.max(this.rankNext[r4 + ACT]!, te + t.tRrdSCycles);
    // Four-activate window: the fifth ACT waits tFAW after the first of the last four.
    const pos = this.fawPos[r]!;
    this.fawRing[r4 + pos] = te;
    const oldest = this.fawRing[r4 + ((pos + 1) & 3)]!;
    this.fawPos[r] = (pos + 1) & 3;
    if (oldest + t.tFawCycles > rankAct) rankAct = oldest + t.tFawCycles;
    this.rankNext[r4 + ACT] = rankAct;
    // The rank term moved for every group of the rank, the group term for b's group.
    const gn = this.groupNext, gate = this.actGate, off = this.actCycles - 1;
    for (let g = r * this.bankGroups, end = g + this.bankGroups; g < end; g++) {
      const gAct = gn[g * 4 + ACT]!;
      gate[g] = (gAct > rankAct ? gAct : rankAct) - off;
    }
    this.takeRowBus(now, this.actCycles);
  }

  onPrecharge(b: number, now: number): void {
    this.closeAt(b, now);
    this.takeRowBus(now, 1);
  }

  /** A RD to bank b at `now`; returns the cycle its burst has crossed the data bus. */
  onRead(b: number, now: number): number {
    const t = this.t, bn = this.bankNext, gn = this.groupNext, rn = this.rankNext, nBl = t.burstCycles;
    const te = now + this.casCycles - 1, b4 = b * 4, g4 = this.groupOff[b]!, r = this.rankOff[b]! >> 2;
    bn[b4 + PRE] = Math.max(bn[b4 + PRE]!, te + t.tRtpCycles);
    gn[g4 + RD] = Math.max(gn[g4 + RD]!, te + t.tCcdLCycles);
    for (let q = 0; q < this.ranks; q++) {
      const other = q === r ? 0 : t.tRtrsCycles;
      rn[q * 4 + RD] = Math.max(rn[q * 4 + RD]!, te + (q === r ? this.sameRankGap : nBl + other));
      // The write burst may start only after the read burst has left the bus plus the turnaround.
      rn[q * 4 + WR] = Math.max(rn[q * 4 + WR]!, te + t.tClCycles + nBl + t.tRtwTurnaroundCycles + other - t.tCwlCycles);
    }
    this.takeColumnBus(now);
    return te + t.tClCycles + nBl;
  }

  /** A WR to bank b at `now`; returns the cycle its burst has crossed the data bus. */
  onWrite(b: number, now: number): number {
    const t = this.t, bn = this.bankNext, gn = this.groupNext, rn = this.rankNext, nBl = t.burstCycles;
    const te = now + this.casCycles - 1, b4 = b * 4, g4 = this.groupOff[b]!, r = this.rankOff[b]! >> 2;
    bn[b4 + PRE] = Math.max(bn[b4 + PRE]!, te + t.tCwlCycles + nBl + t.tWrCycles);
    gn[g4 + WR] = Math.max(gn[g4 + WR]!, te + t.tCcdLWrCycles);
    gn[g4 + RD] = Math.max(gn[g4 + RD]!, te + t.tCwlCycles + nBl + t.tWtrLCycles);
    for (let q = 0; q < this.ranks; q++) {
      if (q === r) {
        rn[q * 4 + WR] = Math.max(rn[q * 4 + WR]!, te + this.sameRankGap);
        rn[q * 4 + RD] = Math.max(rn[q * 4 + RD]!, te + t.tCwlCycles + nBl + t.tWtrSCycles);
      } else {
        rn[q * 4 + WR] = Math.max(rn[q * 4 + WR]!, te + nBl + t.tRtrsCycles);
        rn[q * 4 + RD] = Math.max(rn[q * 4 + RD]!, te + t.tCwlCycles + nBl + t.tRtrsCycles - t.tClCycles);
      }
    }
    this.takeColumnBus(now);
    return te + t.tCwlCycles + nBl;
  }

  /** Auto-precharge (RDA/WRA): bank b closes at its earliest legal PRE without a command slot. */
  onAutoPrecharge(b: number): void {
    this.closeAt(b, this.bankNext[b * 4 + PRE]!);
  }

  /** Bank b precharged at `cycle`: the next ACT waits tRP. */
  closeAt(b: number, cycle: number): void {
    this.bankNext[b * 4 + ACT] = Math.max(this.bankNext[b * 4 + ACT]!, cycle + this.t.tRpCycles);
  }

  /** No ACT (or REF) to bank b before `cycle`. */
  holdUntil(b: number, cycle: number): void {
    this.bankNext[b * 4 + ACT] = Math.max(this.bankNext[b * 4 + ACT]!, cycle);
  }

  earliestAct(b: number): number {
    return this.bankNext[b * 4 + ACT]!;
  }

  earliestPre(b: number): number {
    return this.bankNext[b * 4 + PRE]!;
  }

  takeRowBus(now: number, cycles: number): void {
    this.rowBusFree = now + cycles;
    if (!this.split) this.colBusFree = this.rowBusFree;
  }

  private takeColumnBus(now: number): void {
    this.colBusFree = now + this.casCycles;
    if (!this.split) this.rowBusFree = this.colBusFree;
  }
}
