// A binary min-heap of timed events in typed arrays (no per-event objects): time in ps, two integer
// payload words, and an insertion sequence so events at the same time pop in the order they were pushed.
import { grown } from './grown.ts';

export class EventHeap {
  private time = new Float64Array(64);
  private seq = new Float64Array(64);
  private a = new Float64Array(64);
  private b = new Float64Array(64);
  private nextSeq = 0;
  size = 0;
  /** Payload of the last pop. */
  poppedA = 0;
  poppedB = 0;

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this.size === 0 ? Infinity : this.time[0]!;
  }

  push(time: number, a: number, b: number): void {
    if (this.size === this.time.length) this.grow();
    let i = this.size++;
    const s = this.nextSeq++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(time, s, parent)) break;
      this.move(parent, i);
      i = parent;
    }
    this.set(i, time, s, a, b);
  }

  /** Removes the earliest event; its payload is left in poppedA/poppedB and its time returned. */
  pop(): number {
    const t0 = this.time[0]!;
    this.poppedA = this.a[0]!;
    this.poppedB = this.b[0]!;
    const last = --this.size;
    if (last > 0) {
      const t = this.time[last]!;
      const s = this.seq[last]!;
      const a = this.a[last]!;
      const b = this.b[last]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= last) break;
        const r = l + 1;
        const c = r < last && this.lessAt(r, l) ? r : l;
        if (!this.before(this.time[c]!, this.seq[c]!, -1, t, s)) break;
        this.move(c, i);
        i = c;
      }
      this.set(i, t, s, a, b);
    }
    return t0;
  }

  private before(time: number, s: number, at: number, t2 = this.time[at]!, s2 = this.seq[at]!): boolean {
    return time < t2 || (time === t2 && s < s2);
  }

  private lessAt(i: number, j: number): boolean {
    return this.before(this.time[i]!, this.seq[i]!, j);
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from]!;
    this.seq[to] = this.seq[from]!;
    this.a[to] = this.a[from]!;
    this.b[to] = this.b[from]!;
  }

  private set(i: number, time: number, s: number, a: number, b: number): void {
    this.time[i] = time;
    this.seq[i] = s;
    this.a[i] = a;
    this.b[i] = b;
  }

  private grow(): void {
    const n = this.time.length * 2;
    this.time = grown(this.time, n);
    this.seq = grown(this.seq, n);
    this.a = grown(this.a, n);
    this.b = grown(this.b, n);
  }
}
