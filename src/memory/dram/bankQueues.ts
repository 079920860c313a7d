// The bursts a channel controller holds, as a pool of parallel typed arrays (no per-burst objects), and
// one arrival-ordered FIFO per bank linked through the pool, which FR-FCFS searches for row hits.

/** No slot / end of a list. */
export const NIL = -1;

/**
 * Contract: a slot is either free, in exactly one bank FIFO (queued), or held by the caller (issued or
 * merged) until `release`. `seq` grows with every `alloc`, so it orders bursts by arrival.
 */
export class BankQueues {
  parent = new Int32Array(0);
  row = new Int32Array(0);
  seq = new Float64Array(0);
  next = new Int32Array(0);
  prev = new Int32Array(0);
  write = new Uint8Array(0);
  key = new Float64Array(0);
  /** First read merged into this one (a chain through `next`), or NIL. */
  follow = new Int32Array(0);
  /** Cycle the burst's data transfer ends, once its column command issued; Infinity before. */
  doneAt = new Float64Array(0);
  readonly head: Int32Array;
  readonly tail: Int32Array;
  readonly count: Int32Array;
  /** Bursts in all FIFOs. */
  queued = 0;
  private freeList = new Int32Array(0);
  private freeCount = 0;
  private seqCounter = 0;

  constructor(banks: number) {
    this.head = new Int32Array(banks).fill(NIL);
    this.tail = new Int32Array(banks).fill(NIL);
    this.count = new Int32Array(banks);
    this.grow(64);
  }

  alloc(parent: number, row: number, isWrite: boolean, key: number): number {
    if (this.freeCount === 0) this.grow(this.parent.length * 2);
    const s = this.freeList[--this.freeCount]!;
    this.parent[s] = parent;
    this.row[s] = row;
    this.write[s] = isWrite ? 1 : 0;
    this.key[s] = key;
    this.seq[s] = this.seqCounter++;
    this.follow[s] = NIL;
    this.doneAt[s] = Infinity;
    return s;
  }

  release(s: number): void {
    this.freeList[this.freeCount++] = s;
  }

  /** Appends slot s to bank b's FIFO. */
  append(b: number, s: number): void {
    const t = this.tail[b]!;
    this.prev[s] = t;
    this.next[s] = NIL;
    if (t === NIL) this.head[b] = s;
    else this.next[t] = s;
    this.tail[b] = s;
    this.count[b]!++;
    this.queued++;
  }

  /** Removes slot s from bank b's FIFO (a row hit may leave from the middle). */
  unlink(b: number, s: number): void {
    const p = this.prev[s]!, n = this.next[s]!;
    if (p === NIL) this.head[b] = n;
    else this.next[p] = n;
    if (n === NIL) this.tail[b] = p;
    else this.prev[n] = p;
    this.next[s] = NIL;
    this.count[b]!--;
    this.queued--;
  }

  /** The oldest queued burst of bank b for `row`, or NIL. */
  firstHit(b: number, row: number): number {
    let s = this.head[b]!;
    while (s !== NIL && this.row[s] !== row) s = this.next[s]!;
    return s;
  }

  private grow(size: number): void {
    const old = this.parent.length;
    const grown = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const out = make(size);
      out.set(a);
      return out;
    };
    this.parent = grown(this.parent, (n) => new Int32Array(n));
    this.row = grown(this.row, (n) => new Int32Array(n));
    this.seq = grown(this.seq, (n) => new Float64Array(n));
    this.next = grown(this.next, (n) => new Int32Array(n));
    this.prev = grown(this.prev, (n) => new Int32Array(n));
    this.write = grown(this.write, (n) => new Uint8Array(n));
    this.key = grown(this.key, (n) => new Float64Array(n));
    this.follow = grown(this.follow, (n) => new Int32Array(n));
    this.doneAt = grown(this.doneAt, (n) => new Float64Array(n));
    // Only called with an empty free list, so the new list holds just the new slots.
    this.freeList = new Int32Array(size);
    this.freeCount = 0;
    for (let s = size - 1; s >= old; s--) this.freeList[this.freeCount++] = s;
  }
}
