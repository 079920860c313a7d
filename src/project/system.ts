// The one system-level switch on a target's kind (style.md convention 9): which serving model a resolved target
// gets and what runs where. Every kind runs nano-vLLM's scheduling with its device's step costs (src/gemm and the
// target's HBM) and its serving section; the kinds differ in where the Engram hash runs and how rows arrive.
import { ModelError } from '../core/index.ts';
import type { ResolvedTarget, ServingCalibration, TargetKind } from '../spec/index.ts';

/** A device the serving simulator can cost steps on, with the serving figures it needs. */
export interface ServingSystem {
  readonly kind: TargetKind;
  readonly target: ResolvedTarget;
  readonly serving: ServingCalibration;
  /** One line per part of the deployment: what runs where (for reports). */
  readonly model: readonly string[];
}

function describe(target: ResolvedTarget, serving: ServingCalibration): string[] {
  const hash =
    serving.engram.hashUnit === undefined
      ? `n-gram hash on the host CPU (${serving.engram.hostHashHeadIndicesPerS / 1e6} M head indices/s)`
      : `n-gram hash and row addresses on the on-device hash/gather unit (rtl/: ${serving.engram.hashUnit.ports} ports at ${serving.engram.hashUnit.clockMHz} MHz)`;
  const transfer =
    (serving.engram.transfer ?? 'staging') === 'staging'
      ? 'the host CPU gathers rows into pinned memory and one DMA crosses the host link'
      : 'the device reads rows from host memory over the host link itself (zero-copy reads)';
  const calibration =
    serving.carriedOverFrom === undefined
      ? `host time per sequence and Engram synchronisation fitted on ${serving.calibratedOn}`
      : `nothing measured on this target: host overheads carried over from ${serving.carriedOverFrom} (fitted there on ${serving.calibratedOn}), other figures assumed (see the target file)`;
  switch (target.kind) {
    case 'gpu':
      return [`Backbone on the GPU's tensor cores (src/gemm, ${target.derived.peakTflops.bf16} TFLOPS BF16) and HBM (${target.memory.hbmBandwidthGBps} GB/s); nano-vLLM's Python engine on the host; ${calibration}.`, `Engram: ${hash}; ${transfer}.`];
    case 'systolic':
      return [
        `Backbone on ${target.array.count} systolic arrays of ${target.array.rows} x ${target.array.cols} (src/gemm systolic model, ${target.derived.peakTflops.bf16.toFixed(0)} TFLOPS BF16) and HBM (${target.memory.hbmBandwidthGBps} GB/s); the same nano-vLLM scheduling on the host, each step one compiled program; ${calibration}.`,
        `Engram: ${hash}; ${transfer}.`,
      ];
    case 'fpga':
      return [
        `Backbone on a ${target.array.rows} x ${target.array.cols} DSP array (src/gemm FPGA model, ${target.derived.peakTflops.bf16.toFixed(1)} TFLOPS BF16 at ${target.clock.clockMHz} MHz) and HBM (${target.memory.hbmBandwidthGBps} GB/s); the same nano-vLLM scheduling on the host; ${calibration}.`,
        `Engram: ${hash}; ${transfer}.`,
      ];
  }
}

export function servingSystem(target: ResolvedTarget): ServingSystem {
  if (target.serving === undefined) {
    throw new ModelError(`servingSystem: target ${target.name}: serving: expected a serving section (engine, memory, efficiency, overheads, engram), but it is missing`);
  }
  return { kind: target.kind, target, serving: target.serving, model: describe(target, target.serving) };
}
