// The one dispatch from a target's kind to its GEMM cost model (style.md convention 9). Later,
// src/project/system.ts will be the system-level switch; this stays the GEMM-level one.
import { ModelError, showValue } from '../core/index.ts';
import type { ResolvedTarget } from '../spec/index.ts';
import { fpgaGemmCost } from './fpgaDspArray.ts';
import { gpuGemmCost } from './gpuTensorCore.ts';
import { systolicGemmCost } from './systolicArray.ts';
import type { GemmCost, GemmCostOptions, GemmShape } from './types.ts';

/** Cost of one GEMM on a resolved target: pure, deterministic, no state kept. */
export function gemmCost(shape: GemmShape, target: ResolvedTarget, options: GemmCostOptions = {}): GemmCost {
  switch (target.kind) {
    case 'gpu':
      if (options.dataflow !== undefined) {
        throw new ModelError(`gemmCost: dataflow: target ${target.name} is a gpu, which has no dataflow choice; expected no dataflow, got ${showValue(options.dataflow)}`);
      }
      return gpuGemmCost(shape, target);
    case 'systolic':
      return systolicGemmCost(shape, target, options.dataflow);
    case 'fpga':
      return fpgaGemmCost(shape, target, options.dataflow);
  }
}
