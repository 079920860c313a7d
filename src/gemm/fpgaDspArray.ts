// FPGA DSP array (Alveo U55C-like): an R x C grid of DSP48E2s at the kernel clock, each packing several
// FP8 (or BF16) significand products that share one operand, so the grid acts as an R x (C x packing)
// systolic array (targets/alveo-u55c.json states the packing assumption). Tiles are staged in BRAM + URAM;
// a GEMM whose blocks do not fit is re-read from HBM (blockedTraffic.ts).
import type { Dataflow, ResolvedFpgaTarget } from '../spec/index.ts';
import { arrayGemmCost, chooseDataflow } from './arrayCost.ts';
import type { GemmCost, GemmShape } from './types.ts';

export function fpgaGemmCost(shape: GemmShape, target: ResolvedFpgaTarget, dataflow?: Dataflow): GemmCost {
  const chosen = chooseDataflow(target.name, target.dataflow.supported, dataflow);
  const { cost, mapping, sram, blocking } = arrayGemmCost(
    shape,
    {
      target: target.name,
      kind: 'fpga',
      geometry: { rows: target.array.rows, cols: target.derived.arrayCols[shape.dtype], arrays: 1, foldOverlap: target.dataflow.foldOverlap },
      clockMHz: target.clock.clockMHz,
      peakTflops: target.derived.peakTflops[shape.dtype],
      hbmBandwidthGBps: target.memory.hbmBandwidthGBps,
      bufferBytes: target.derived.bufferBytes,
    },
    chosen,
  );
  return {
    ...cost,
    detail: { kind: 'fpga', ...mapping, dspsUsed: target.derived.dspsUsed, macsPerDsp: target.numerics.macsPerDspPerCycle[shape.dtype], sram, blocking },
  };
}
