// Burst address -> slot map in typed arrays (open addressing, linear probing, backward-shift deletion):
// the duplicate-merging index of one channel, without Map lookups or boxed entries per command.

/** `get` result when the key is absent. */
export const ABSENT = -1;

/**
 * Keys are non-negative integers below 2^53 (burst addresses), values non-negative int32 (slots).
 * The table doubles when half full, so a probe sequence stays short.
 */
export class BurstIndex {
  private keys = new Float64Array(64);
  private values = new Int32Array(64).fill(ABSENT);
  private mask = 63;
  private size = 0;

  get(key: number): number {
    for (let i = this.home(key); ; i = (i + 1) & this.mask) {
      const v = this.values[i]!;
      if (v === ABSENT || this.keys[i] === key) return v;
    }
  }

  /** Maps `key` to `value`, replacing an older value. */
  set(key: number, value: number): void {
    let i = this.home(key);
    while (this.values[i] !== ABSENT && this.keys[i] !== key) i = (i + 1) & this.mask;
    if (this.values[i] === ABSENT) {
      this.keys[i] = key;
      if (++this.size * 2 > this.mask + 1) {
        this.values[i] = value;
        this.grow();
        return;
      }
    }
    this.values[i] = value;
  }

  delete(key: number): void {
    const mask = this.mask, keys = this.keys, values = this.values;
    let i = this.home(key);
    while (values[i] !== ABSENT && keys[i] !== key) i = (i + 1) & mask;
    if (values[i] === ABSENT) return;
    this.size--;
    // Backward shift: move later entries of the probe run into the hole unless their home lies after it.
    for (let j = (i + 1) & mask; values[j] !== ABSENT; j = (j + 1) & mask) {
      const h = this.home(keys[j]!);
      const between = i <= j ? i < h && h <= j : i < h || h <= j;
      if (between) continue;
      keys[i] = keys[j]!;
      values[i] = values[j]!;
      i = j;
    }
    values[i] = ABSENT;
  }

  /** Slot of `key`: its low and high 32-bit halves mixed by two multiplications. */
  private home(key: number): number {
    const lo = key >>> 0;
    const hi = (key / 4294967296) | 0;
    const h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
    return (h ^ (h >>> 15)) & this.mask;
  }

  private grow(): void {
    const oldKeys = this.keys, oldValues = this.values;
    const capacity = (this.mask + 1) * 2;
    this.keys = new Float64Array(capacity);
    this.values = new Int32Array(capacity).fill(ABSENT);
    this.mask = capacity - 1;
    this.size = 0;
    for (let i = 0; i < oldValues.length; i++) if (oldValues[i] !== ABSENT) this.set(oldKeys[i]!, oldValues[i]!);
  }
}
