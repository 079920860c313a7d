// Pins the DRAM scheduler's decisions: a hash of every request's completion cycle on a mixed workload per
// preset and controller setting. Speed work on the controller (issue 5) must leave these unchanged; the
// SystemC model is cross-checked against the same decisions.
import { createHash } from 'node:crypto';
import test from 'ava';
import { Rng } from '../../../src/core/index.ts';
import { runEngine, type MemoryDevice, type RequestSource } from '../../../src/memory/index.ts';
import { device } from '../helpers.ts';

interface Arrival {
  addr: number;
  isWrite: boolean;
  sizeBytes: number;
  cycle: number;
}

/**
 * Reads and writes (25%) of one or two bursts over a few thousand rows, a new request every 0-7 cycles
 * and an idle gap of 20,000 cycles every 500, so queues fill, rows hit and miss, and refreshes run both
 * under load and after idle stretches.
 */
function workload(seed: string, count: number): Arrival[] {
  const rng = new Rng(seed);
  let cycle = 0;
  return Array.from({ length: count }, (_, i) => {
    cycle += i % 500 === 499 ? 20_000 : rng.nextInt(8);
    return { addr: rng.nextInt(1 << 14) * 64 * (1 + rng.nextInt(3)), isWrite: rng.nextFloat() < 0.25, sizeBytes: 64 * (1 + rng.nextInt(2)), cycle };
  });
}

/** Issues the arrivals in order at their cycles (later under back-pressure); records completion cycles. */
class PinSource implements RequestSource {
  readonly completions: Float64Array;
  private next = 0;
  private outstanding = 0;
  constructor(private readonly arrivals: readonly Arrival[]) {
    this.completions = new Float64Array(arrivals.length).fill(-1);
  }
  nextIssueCycle(): number {
    return this.arrivals[this.next]?.cycle ?? Infinity;
  }
  issueDue(now: number, dev: MemoryDevice): boolean {
    for (let a = this.arrivals[this.next]; a !== undefined && a.cycle <= now; a = this.arrivals[this.next]) {
      if (!dev.issue({ id: this.next, addr: a.addr, isWrite: a.isWrite, sizeBytes: a.sizeBytes, arrivalCycle: now }, now)) return false;
      this.next++;
      this.outstanding++;
    }
    return true;
  }
  complete(id: number, cycle: number): void {
    this.completions[id] = cycle;
    this.outstanding--;
  }
  done(): boolean {
    return this.next === this.arrivals.length && this.outstanding === 0;
  }
}

/** Runs the workload; returns a hash of the completion cycles in request order and how many were reported. */
function schedule(name: string, options: Parameters<typeof device>[1]): { hash: string; completed: number } {
  const source = new PinSource(workload(`schedule-pin:${name}`, 3000));
  runEngine(device(name, options), source);
  return {
    hash: createHash('sha256').update(new Uint8Array(source.completions.buffer)).digest('hex').slice(0, 16),
    completed: source.completions.filter((c) => c >= 0).length,
  };
}

// Computed with the controller as it stood before the issue-5 speed work (commit b0a3fff).
const PINS: [string, 'open' | 'closed', 'off' | 'controller', string][] = [
  ['hbm2-2000', 'open', 'off', '65f51ace5774d41c'],
  ['hbm2-2000', 'closed', 'controller', 'ed86c018556c0cd5'],
  ['hbm3-6400', 'open', 'off', '71450675e1ec803e'],
  ['hbm3-6400', 'closed', 'controller', '9519348703641129'],
  ['ddr4-3200', 'open', 'off', '4852e05de218cce4'],
  ['ddr4-3200', 'closed', 'controller', '331726f350646544'],
  ['ddr5-4800', 'open', 'off', '1969ee2f730894ee'],
  ['ddr5-4800', 'closed', 'controller', '012cafadff2c7329'],
  ['ddr5-4800-rdimm64', 'open', 'off', '2402a77d6e4f76d6'],
  ['ddr5-4800-rdimm64', 'closed', 'controller', 'ee7120e4529297aa'],
];

for (const [name, pagePolicy, mergeDuplicates, pin] of PINS) {
  test(`schedulePin: ${name}, ${pagePolicy} page, merging ${mergeDuplicates}: every completion cycle stays as pinned`, (t) => {
    const { hash, completed } = schedule(name, { pagePolicy, mergeDuplicates });
    t.is(completed, 3000);
    t.is(hash, pin);
  });
}
