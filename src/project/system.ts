// The one system-level switch on a target's kind (style.md convention 9): which serving model a resolved target
// gets. GPUs run the nano-vLLM serving model with their serving calibration; other kinds have none yet.
import { ModelError } from '../core/index.ts';
import type { ResolvedGpuTarget, ResolvedTarget, ServingCalibration } from '../spec/index.ts';

/** A device the serving simulator can cost steps on, with the calibration it needs. */
export interface ServingSystem {
  readonly kind: 'gpu';
  readonly target: ResolvedGpuTarget;
  readonly serving: ServingCalibration;
}

export function servingSystem(target: ResolvedTarget): ServingSystem {
  switch (target.kind) {
    case 'gpu':
      if (target.serving === undefined) {
        throw new ModelError(`servingSystem: target ${target.name}: serving: expected a serving calibration section (engine, memory, efficiency, overheads, engram), but it is missing`);
      }
      return { kind: 'gpu', target, serving: target.serving };
    case 'systolic':
    case 'fpga':
      throw new ModelError(
        `servingSystem: target ${target.name}: kind: the serving model covers GPUs running nano-vLLM; expected a gpu target, got ${target.kind} (its GEMM cost is available through engram-dse gemm)`,
      );
  }
}
