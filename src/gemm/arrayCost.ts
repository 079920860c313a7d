// Cost of a GEMM on fold-based PE arrays (TPU MXUs, an FPGA DSP grid): exact compute cycles from
// systolicCycles.ts, DRAM traffic from blockedTraffic.ts, and time = max(compute, DRAM) with transfers
// double-buffered behind compute (SCALE-Sim v2's double-buffered SRAM; no DRAM stalls modelled).
import { ModelError, showValue } from '../core/index.ts';
import type { Dataflow, TargetKind } from '../spec/index.ts';
import { blockedDramTraffic } from './blockedTraffic.ts';
import { checkShape, gemmFlops } from './operandBytes.ts';
import { bytesToNs, classifyBound, roofline } from './roofline.ts';
import { sramTraffic, systolicMapping, type ArrayGeometry } from './systolicCycles.ts';
import type { ArrayMapping, DramBlocking, GemmCost, GemmShape, SramTraffic } from './types.ts';

/** What an array target contributes, already resolved for the shape's dtype. */
export interface ArrayMachine {
  readonly target: string;
  readonly kind: TargetKind;
  readonly geometry: ArrayGeometry;
  readonly clockMHz: number;
  readonly peakTflops: number;
  readonly hbmBandwidthGBps: number;
  readonly bufferBytes: number;
}

export interface ArrayCost {
  readonly cost: Omit<GemmCost, 'detail'>;
  readonly mapping: ArrayMapping;
  readonly sram: SramTraffic;
  readonly blocking: DramBlocking;
}

/** The requested dataflow, or the target's default; throws when the target does not support it. */
export function chooseDataflow(target: string, supported: readonly Dataflow[], requested: Dataflow | undefined): Dataflow {
  if (requested === undefined) return supported[0]!;
  if (!supported.includes(requested)) {
    throw new ModelError(`gemmCost: dataflow: target ${target} supports ${supported.join(', ')}, got ${showValue(requested)}`);
  }
  return requested;
}

export function arrayGemmCost(shape: GemmShape, machine: ArrayMachine, dataflow: Dataflow): ArrayCost {
  checkShape(shape, `${machine.kind}GemmCost`);
  const mapping = systolicMapping(machine.geometry, dataflow, shape);
  const { rows, cols, arrays } = machine.geometry;
  const { traffic, blocking } = blockedDramTraffic(shape, {
    bufferBytes: machine.bufferBytes,
    granularityM: rows,
    granularityN: cols * arrays,
    granularityK: rows,
  });
  const bound = roofline(shape, machine.peakTflops, machine.hbmBandwidthGBps);
  const computeNs = (mapping.computeCycles * 1e3) / machine.clockMHz;
  const memoryNs = bytesToNs(traffic.totalBytes, machine.hbmBandwidthGBps);
  const timeNs = Math.max(computeNs, memoryNs);
  const memoryCycles = Math.ceil((memoryNs * machine.clockMHz) / 1e3);
  return {
    cost: {
      target: machine.target,
      kind: machine.kind,
      shape,
      flops: gemmFlops(shape),
      peakTflops: machine.peakTflops,
      clockMHz: machine.clockMHz,
      roofline: bound,
      computeNs,
      memoryNs,
      timeNs,
      cycles: Math.max(mapping.computeCycles, memoryCycles),
      bound: classifyBound(bound.computeNs, computeNs, memoryNs, 'array-quantised'),
      utilisationPct: (100 * bound.computeNs) / timeNs,
      dram: traffic,
    },
    mapping,
    sram: sramTraffic(machine.geometry, dataflow, shape),
    blocking,
  };
}
