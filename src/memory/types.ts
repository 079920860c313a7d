// Shared contracts of the cycle-level memory model: requests, the MemoryDevice interface every technology
// implements, and the request source the engine drives (style.md conventions 7 and 8).

/** One read or write as the client sees it; a device splits it into bursts internally. */
export interface MemoryRequest {
  /** Caller-chosen identifier, reported back on completion; unique among outstanding requests. */
  id: number;
  /** Byte address, a non-negative integer below 2^53. */
  addr: number;
  isWrite: boolean;
  /** Bytes requested, at least 1; the device moves whole bursts, so bus bytes may be more. */
  sizeBytes: number;
  /** Cycle at which the client handed the request over; latency is measured from here. */
  arrivalCycle: number;
}

/**
 * Receives request completions.
 *
 * Contract: called once per accepted request with its id and completion cycle; calls arrive in
 * non-decreasing cycle order from one device.
 */
export interface CompletionSink {
  complete(id: number, completionCycle: number): void;
}

/** Counters every device reports; technology-specific ones go in `extra`. */
export interface MemoryDeviceStats {
  readonly requests: number;
  readonly reads: number;
  readonly writes: number;
  /** Bytes the client asked for. */
  readonly bytesRequested: number;
  /** Bytes that crossed the device's data bus (whole bursts, duplicates merged away). */
  readonly busBytes: number;
  /** Requests served by merging with an identical in-flight read. */
  readonly mergedRequests: number;
  /** Requests whose address lay beyond the device capacity and wrapped around. */
  readonly wrappedRequests: number;
  readonly extra: Readonly<Record<string, number>>;
}

/**
 * A cycle-level memory device driven by one clock owner (engine.ts).
 *
 * Contract:
 * - The device keeps no free-running clock. Every call receives `nowCycles` from the owner, and
 *   `nowCycles` never decreases from one call to the next.
 * - `issue` either accepts the whole request (true) or nothing (false: back-pressure; retry after a
 *   later `tick`). It copies the fields it needs, so the caller may reuse the request object.
 * - `tick(now, sink)` performs every state change due at cycle `now` and reports each request whose
 *   completion cycle is `now` to `sink`, exactly once. A request never completes before
 *   arrivalCycle + minReadLatencyCycles (reads) or + minWriteLatencyCycles (writes), except a read
 *   merged with an in-flight duplicate: it completes with that read, later than its own arrival.
 * - `tick` may be called several times for the same `now` (for example after new requests arrive);
 *   work already done is not repeated.
 * - `nextEventCycle()` is the earliest cycle at which `tick` has something to do, or Infinity when the
 *   device holds no outstanding work. The owner may skip every cycle before it.
 * - A device never calls back into the client from `issue`; completions flow only through `tick`'s sink.
 */
export interface MemoryDevice {
  /** Registry kind, e.g. "dram". */
  readonly kind: string;
  /** Preset name, e.g. "hbm2-2000". */
  readonly name: string;
  /** Clock period of the device's cycles in picoseconds (converts cycles to time at the edges). */
  readonly tCkPs: number;
  /** Smallest unit the device moves (bytes per burst). */
  readonly accessBytes: number;
  readonly peakBandwidthGBps: number;
  readonly minReadLatencyCycles: number;
  readonly minWriteLatencyCycles: number;
  issue(req: MemoryRequest, nowCycles: number): boolean;
  tick(nowCycles: number, sink: CompletionSink): void;
  nextEventCycle(): number;
  /** Requests accepted and not yet completed. */
  outstandingRequests(): number;
  stats(): MemoryDeviceStats;
}

/**
 * What the engine drives a device with: a workload that issues requests and hears completions.
 *
 * Contract:
 * - `nextIssueCycle()` is the earliest cycle at which the source wants to issue, or Infinity when it
 *   is waiting for completions or is exhausted.
 * - `issueDue(now, device)` issues requests due at `now`, in order, and returns false if the device
 *   refused one (that request stays first in line and is retried after the device's next event).
 * - `complete` is called by the engine in the commit phase, after every device has ticked for `now`.
 * - `done()` is true once every request has been issued and completed.
 */
export interface RequestSource extends CompletionSink {
  nextIssueCycle(): number;
  issueDue(nowCycles: number, device: MemoryDevice): boolean;
  done(): boolean;
}
