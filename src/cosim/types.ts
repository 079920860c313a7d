// Shapes shared by the co-simulation: the unit's build parameters, its run-time configuration, the
// environment around it and what one run returns.

/** Verilog parameters the model was built with (rtl/engram_hash_gather.sv). */
export interface UnitParams {
  /** Largest n-gram order; orders 2..maxN are hashed. */
  readonly maxN: number;
  /** Heads per order. */
  readonly heads: number;
  readonly idBits: number;
  /** Largest row pitch in bytes. */
  readonly rowBytesMax: number;
  /** Bits one memory response (one head's gathered data) carries. */
  readonly dataBits: number;
  readonly ports: number;
  /** Reassembly buffer depth in tokens. */
  readonly depth: number;
}

/** The unit's default parameters (sim/rtl-model.sh; sim/synth.sh and the synthesis report use the same). */
export const DEFAULT_UNIT_PARAMS: UnitParams = Object.freeze({
  maxN: 3, heads: 8, idBits: 17, rowBytesMax: 1024, dataBits: 64, ports: 4, depth: 16,
});

/** Head positions of the unit: (maxN - 1) · heads. */
export function unitHeads(params: UnitParams): number {
  return (params.maxN - 1) * params.heads;
}

/**
 * One Engram layer's hash and table layout as the unit sees it (engram-spec.md §3-§4). Structurally a
 * subset of model/'s LayerHashMapping plus the table placement, so a layer mapping can be passed in.
 */
export interface LayerTableConfig {
  /** m_0..m_{N-1}. */
  readonly multipliers: readonly bigint[];
  /** Per head in spec order: orders 2..N, heads 0..H-1 within each order. */
  readonly primes: readonly number[];
  readonly rowOffsets: readonly number[];
  /** Heads per order H (the order of head a is floor(a / H) + 2). */
  readonly headsPerOrder: number;
  /** pad' = P(pad_id). */
  readonly padCompressed: number;
  /** Byte address of row 0 of the layer's packed table. */
  readonly tableBase: bigint;
  /** Bytes between consecutive rows (D_h · bytes per value). */
  readonly rowBytes: number;
}

/** The environment of one run: memory behaviour and back-pressure (sim/harness/hg_harness.h). */
export interface EnvConfig {
  /** Seed of the harness's random stream. */
  readonly seed: number;
  /** Cycles from a request being accepted to its response being presented (at least 1). */
  readonly memLatencyCycles: number;
  /** Ports in use (1..params.ports); the unit's ACTIVE_PORTS register is set to match. */
  readonly activePorts: number;
  /** Probability that the token source pauses in a cycle (an offered token stays offered). */
  readonly inputGapProb: number;
  /** Probability that the vector consumer is not ready in a cycle. */
  readonly outputStallProb: number;
  /** Probability that a memory port refuses a request in a cycle. */
  readonly requestStallProb: number;
  /** Probability that a due response is held back one more cycle. */
  readonly responseStallProb: number;
  /** Record every accepted request (cycle, port, tag, address). */
  readonly logRequests: boolean;
}

/** A stream of compressed ids with first-of-sequence flags. */
export interface TokenStream {
  readonly ids: Uint32Array;
  readonly first: Uint8Array;
}

/**
 * What one run of the harness returns. From the wasm backend, `indices`, `data` and `outputCycles` are views
 * into the model's memory, valid until the next call on the same DUT (HashGatherDut.run).
 */
export interface DutRun {
  readonly consumed: number;
  readonly produced: number;
  readonly cycles: number;
  /** [produced][heads] head indices. */
  readonly indices: Uint32Array;
  /** [produced][heads][dataBits / 32] gathered words. */
  readonly data: Uint32Array;
  /** Cycle (from the start of the run) at which each vector was taken. */
  readonly outputCycles: Uint32Array;
  /** Five words per accepted request: cycle, port, tag, address lo, address hi (empty unless logged). */
  readonly requestLog: Uint32Array;
}
