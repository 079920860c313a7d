// The seam between the serving simulator and the memory hierarchy (src/memory): how long one Engram layer's
// rows for one step take from the tier holding them to device memory. src/project holds no DRAM or link model
// of its own; the adapters that implement this interface wrap src/memory's estimate and simulation.

/** One step's rows for one Engram layer. */
export interface GatherBatch {
  readonly rows: number;
  readonly rowBytes: number;
  /** Distinct rows among `rows` (duplicates are fetched once). */
  readonly uniqueRows: number;
  /** Absolute row ids within the layer's packed table, when a model needs the addresses. */
  readonly rowIds?: Uint32Array;
}

/**
 * Contract: gatherNs is the time from the host issuing the batch (hash done) to its last byte in device memory:
 * the tier's reads, any host-side copy, and the link transfer. It is pure for a given batch and never negative.
 */
export interface EngramGatherModel {
  /** Names the model and its fidelity in reports, e.g. "memory.estimateGatherNs (analytic)". */
  readonly name: string;
  /** Whether gatherNs needs `rowIds` (a cycle-level model) or only the counts (a closed form). */
  readonly needsRowIds: boolean;
  gatherNs(batch: GatherBatch): number;
}
