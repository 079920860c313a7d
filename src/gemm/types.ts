// Shared types of the GEMM cost models: the shape asked about and the result every target kind returns
// (style.md convention 7: pure (shape, resolved target) => result, nothing stored on objects).
import type { ComputeDtype, Dataflow, FoldOverlap, TargetKind } from '../spec/index.ts';

/** C[m x n] = A[m x k] * B[k x n]; `dtype` is the operand format (outputs are BF16). */
export interface GemmShape {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly dtype: ComputeDtype;
}

/** Choices a caller may make; a target that has no such choice rejects it (costModel.ts). */
export interface GemmCostOptions {
  /** Systolic and FPGA targets only; defaults to the target's first supported dataflow. */
  readonly dataflow?: Dataflow;
}

/**
 * What sets the time:
 * - 'memory': DRAM/HBM traffic over bandwidth exceeds compute time;
 * - 'compute': useful work at peak is the larger share of the compute time;
 * - 'wave-quantised' (GPU): idle SM slots from tile padding and the partial last wave outweigh useful work;
 * - 'array-quantised' (systolic, FPGA): idle PEs from fold padding, fill and drain outweigh useful work.
 */
export type GemmBound = 'compute' | 'memory' | 'wave-quantised' | 'array-quantised';

/** Bytes moved between DRAM (HBM) and the chip. */
export interface DramTraffic {
  readonly aBytes: number;
  readonly bBytes: number;
  readonly cBytes: number;
  /** FP8 dequantisation scales (DeepSeek-V3 1x128 activation tiles, 128x128 weight blocks), float32. */
  readonly scaleBytes: number;
  readonly totalBytes: number;
}

/** The pure roofline: FLOPs at peak against compulsory bytes at full bandwidth. */
export interface Roofline {
  readonly computeNs: number;
  readonly memoryNs: number;
  readonly timeNs: number;
  readonly bound: 'compute' | 'memory';
  /** FLOPs per compulsory DRAM byte. */
  readonly arithmeticIntensityFlopPerByte: number;
}

export interface GpuDetail {
  readonly kind: 'gpu';
  readonly blockM: number;
  readonly blockN: number;
  readonly blockK: number;
  readonly tiles: number;
  readonly waves: number;
  /** Tiles in the last wave (SM count when the last wave is full). */
  readonly lastWaveTiles: number;
  /** Whether A, B and their scales fit in L2 together; when not, re-reads are assumed to hit L2 anyway. */
  readonly operandsFitL2: boolean;
}

/** How DRAM traffic was blocked to fit an on-chip buffer (blockedTraffic.ts). */
export interface DramBlocking {
  readonly strategy: 'resident-b' | 'resident-a' | 'blocked';
  readonly blockM: number;
  readonly blockN: number;
  /** Times all of A (B) is read from DRAM. */
  readonly aReads: number;
  readonly bReads: number;
  readonly bufferBytes: number;
  /** Bytes of the buffer the chosen blocking occupies. */
  readonly bufferUsedBytes: number;
}

/** Bytes moved between on-chip SRAM and the PE array (SCALE-Sim's SRAM reads/writes, in bytes). */
export interface SramTraffic {
  readonly aReadBytes: number;
  readonly bReadBytes: number;
  /** Partial-sum reads (float32) when K is folded over several array passes (weight-stationary). */
  readonly psumReadBytes: number;
  readonly outputWriteBytes: number;
}

/** Cycle-level view of a fold-based array mapping (systolicCycles.ts). */
export interface ArrayMapping {
  readonly dataflow: Dataflow;
  readonly foldOverlap: FoldOverlap;
  readonly rows: number;
  readonly cols: number;
  readonly arrays: number;
  /** Spatial extents mapped on rows and columns, and the streamed (temporal) extent T. */
  readonly spatialRows: number;
  readonly spatialCols: number;
  readonly temporal: number;
  readonly folds: number;
  /** Folds on the busiest array. */
  readonly foldsPerArray: number;
  readonly computeCycles: number;
}

export interface SystolicDetail extends ArrayMapping {
  readonly kind: 'systolic';
  readonly sram: SramTraffic;
  readonly blocking: DramBlocking;
}

export interface FpgaDetail extends ArrayMapping {
  readonly kind: 'fpga';
  readonly dspsUsed: number;
  readonly macsPerDsp: number;
  readonly sram: SramTraffic;
  readonly blocking: DramBlocking;
}

export interface GemmCost {
  readonly target: string;
  readonly kind: TargetKind;
  readonly shape: GemmShape;
  readonly flops: number;
  readonly peakTflops: number;
  readonly clockMHz: number;
  readonly roofline: Roofline;
  /** Compute time with the target's quantisation (tiles and waves, or folds with fill and drain). */
  readonly computeNs: number;
  /** Modelled DRAM traffic over bandwidth. */
  readonly memoryNs: number;
  /** max(computeNs, memoryNs): compute and DRAM transfers are assumed to overlap fully. */
  readonly timeNs: number;
  readonly cycles: number;
  readonly bound: GemmBound;
  /** Useful FLOPs over (time x peak), in percent. */
  readonly utilisationPct: number;
  readonly dram: DramTraffic;
  readonly detail: GpuDetail | SystolicDetail | FpgaDetail;
}
