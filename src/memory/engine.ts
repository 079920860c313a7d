// The clock owner of the memory model (style.md convention 7): an event-skipping loop that owns
// nowCycles, jumps straight to the next cycle where the source or the device has work, and commits
// completions only after every device has computed the cycle (two phases).
import { SimError } from '../core/index.ts';
import type { CompletionSink, MemoryDevice, RequestSource } from './types.ts';
import { grown } from './grown.ts';

export interface EngineResult {
  /** Cycle of the last step the engine took (the last completion when the run ends normally). */
  readonly finalCycle: number;
  /** Cycles at which the engine stepped (a measure of the work event skipping saved). */
  readonly steps: number;
}

/** Completions gathered during a device tick, delivered to the source in the commit phase. */
class CompletionBuffer implements CompletionSink {
  private ids = new Float64Array(256);
  private cycles = new Float64Array(256);
  private size = 0;

  complete(id: number, completionCycle: number): void {
    if (this.size === this.ids.length) {
      this.ids = grown(this.ids, this.size * 2);
      this.cycles = grown(this.cycles, this.size * 2);
    }
    this.ids[this.size] = id;
    this.cycles[this.size++] = completionCycle;
  }

  drainTo(sink: CompletionSink): void {
    for (let i = 0; i < this.size; i++) sink.complete(this.ids[i]!, this.cycles[i]!);
    this.size = 0;
  }
}

/**
 * Runs `source` against `device` until the source is done. Per step at cycle `now`:
 * 1. the source issues what is due (a refusal blocks it until the device next does work);
 * 2. compute: the device ticks and its completions are buffered;
 * 3. commit: the buffered completions reach the source, which may make new requests due at `now`.
 * Throws SimError when the source waits for completions that can never come.
 */
export function runEngine(device: MemoryDevice, source: RequestSource): EngineResult {
  const buffer = new CompletionBuffer();
  let now = 0;
  let steps = 0;
  let blocked = false;
  for (;;) {
    const tSource = blocked ? Infinity : source.nextIssueCycle();
    const tDevice = device.nextEventCycle();
    let t = tSource < tDevice ? tSource : tDevice;
    if (t === Infinity) {
      if (source.done()) break;
      throw new SimError(
        `runEngine: ${device.name} stalled at cycle ${now}: the source ${blocked ? 'was refused and ' : ''}waits for completions but the device has no pending event (${device.outstandingRequests()} requests outstanding)`,
      );
    }
    if (t < now) t = now;
    now = t;
    steps++;
    const deviceDue = tDevice <= now;
    if (!blocked && tSource <= now) blocked = !source.issueDue(now, device);
    device.tick(now, buffer);
    // Queue space frees only when the device does work, so a refused source retries after that.
    if (deviceDue) blocked = false;
    buffer.drainTo(source);
  }
  return { finalCycle: now, steps };
}
