// Public surface of gemm/: GEMM cost models (roofline, GPU tiles and waves, systolic folds, FPGA DSP
// arrays) as pure functions of (shape, resolved target), and the fused Engram projection built on them.
export { gemmCost } from './costModel.ts';
export { gpuGemmCost } from './gpuTensorCore.ts';
export { systolicGemmCost } from './systolicArray.ts';
export { fpgaGemmCost } from './fpgaDspArray.ts';
export { roofline, classifyBound, flopsToNs, bytesToNs } from './roofline.ts';
export { foldCycles, foldSequenceCycles, spatialMapping, sramTraffic, systolicMapping, type ArrayGeometry } from './systolicCycles.ts';
export { blockSizes, blockedDramTraffic, type BufferSpec } from './blockedTraffic.ts';
export {
  ACCUMULATOR_BYTES,
  OPERAND_BYTES,
  OUTPUT_BYTES,
  SCALE_BYTES,
  aPanelBytes,
  bPanelBytes,
  compulsoryTraffic,
  gemmFlops,
  trafficWithReads,
} from './operandBytes.ts';
export {
  ENGRAM_SWEEP_TOKENS,
  engramProjectionCost,
  engramProjectionShapes,
  engramProjectionSweep,
  type EngramProjectionCost,
  type EngramProjectionShapes,
  type UnfusedCost,
} from './engramProjection.ts';
export type {
  ArrayMapping,
  DramBlocking,
  DramTraffic,
  FpgaDetail,
  GemmBound,
  GemmCost,
  GemmCostOptions,
  GemmShape,
  GpuDetail,
  Roofline,
  SramTraffic,
  SystolicDetail,
} from './types.ts';
