// Outstanding client requests of one device as parallel typed arrays (an object pool without objects):
// each entry counts the bursts still in flight and reports the request when its last burst completes.
import type { CompletionSink } from './types.ts';
import { grown } from './grown.ts';

export class RequestTable {
  private id = new Float64Array(256);
  private remaining = new Int32Array(256);
  private freeList = new Int32Array(256);
  private freeCount = 0;
  private capacity = 0;
  /** Entries allocated and not yet completed. */
  outstanding = 0;

  /** Allocates an entry for request `id` that completes after `bursts` calls to burstDone. */
  alloc(id: number, bursts: number): number {
    if (this.freeCount === 0) this.grow();
    const slot = this.freeList[--this.freeCount]!;
    this.id[slot] = id;
    this.remaining[slot] = bursts;
    this.outstanding++;
    return slot;
  }

  /** One burst of entry `slot` finished at `cycle`; the request is reported when it was the last. */
  burstDone(slot: number, cycle: number, sink: CompletionSink): void {
    const left = --this.remaining[slot]!;
    if (left === 0) {
      sink.complete(this.id[slot]!, cycle);
      this.freeList[this.freeCount++] = slot;
      this.outstanding--;
    }
  }

  private grow(): void {
    const old = this.capacity;
    const next = old === 0 ? 256 : old * 2;
    if (next > this.id.length) {
      this.id = grown(this.id, next);
      this.remaining = grown(this.remaining, next);
      this.freeList = new Int32Array(next);
    }
    // Hand out low slots first so hot entries stay close together.
    for (let s = next - 1; s >= old; s--) this.freeList[this.freeCount++] = s;
    this.capacity = next;
  }
}
