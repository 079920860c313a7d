// Systolic-array chip (TPU v5e-like: several R x C MXUs sharing VMEM and HBM): the target's arrays, clock,
// VMEM and HBM fed to the fold model of arrayCost.ts. A format with k MACs per PE per cycle widens the
// columns k-fold; v5e runs FP8 at the BF16 rate (targets/tpu-v5e.json).
import type { Dataflow, ResolvedSystolicTarget } from '../spec/index.ts';
import { arrayGemmCost, chooseDataflow } from './arrayCost.ts';
import type { GemmCost, GemmShape } from './types.ts';

export function systolicGemmCost(shape: GemmShape, target: ResolvedSystolicTarget, dataflow?: Dataflow): GemmCost {
  const chosen = chooseDataflow(target.name, target.dataflow.supported, dataflow);
  const { cost, mapping, sram, blocking } = arrayGemmCost(
    shape,
    {
      target: target.name,
      kind: 'systolic',
      geometry: {
        rows: target.array.rows,
        cols: target.array.cols * target.numerics.macsPerPePerCycle[shape.dtype],
        arrays: target.array.count,
        foldOverlap: target.dataflow.foldOverlap,
      },
      clockMHz: target.clock.clockMHz,
      peakTflops: target.derived.peakTflops[shape.dtype],
      hbmBandwidthGBps: target.memory.hbmBandwidthGBps,
      bufferBytes: target.derived.bufferBytes,
    },
    chosen,
  );
  return { ...cost, detail: { kind: 'systolic', ...mapping, sram, blocking } };
}
