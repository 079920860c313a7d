// In-order queue of (burst slot, completion cycle): a channel's reads leave its data bus in issue order
// (fixed CL), as do its writes (fixed CWL), so each kind needs only a FIFO, not a heap.

export class CompletionFifo {
  private slots = new Int32Array(64);
  private cycles = new Float64Array(64);
  private head = 0;
  size = 0;
  /** Completion cycle of the oldest entry, or Infinity when empty (a field: read on every tick). */
  headCycle = Infinity;

  push(slot: number, cycle: number): void {
    if (this.size === this.slots.length) this.grow();
    const at = (this.head + this.size) & (this.slots.length - 1);
    this.slots[at] = slot;
    this.cycles[at] = cycle;
    if (this.size++ === 0) this.headCycle = cycle;
  }

  /** Removes the oldest entry and returns its slot. */
  shift(): number {
    const slot = this.slots[this.head]!;
    this.head = (this.head + 1) & (this.slots.length - 1);
    this.headCycle = --this.size === 0 ? Infinity : this.cycles[this.head]!;
    return slot;
  }

  private grow(): void {
    const n = this.slots.length;
    const slots = new Int32Array(n * 2);
    const cycles = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      slots[i] = this.slots[(this.head + i) & (n - 1)]!;
      cycles[i] = this.cycles[(this.head + i) & (n - 1)]!;
    }
    this.slots = slots;
    this.cycles = cycles;
    this.head = 0;
  }
}
