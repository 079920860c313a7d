// The roofline bound (Williams, Waterman and Patterson, CACM 2009) of one GEMM, and the rule that names the
// bound of a quantised estimate. Every target's estimate is checked against this (test/fidelity/gemm*.test.ts).
import { compulsoryTraffic, gemmFlops } from './operandBytes.ts';
import type { GemmBound, GemmShape, Roofline } from './types.ts';

/** 1 TFLOPS = 1e12 FLOP/s = 1e3 FLOP/ns. */
const FLOP_PER_NS_PER_TFLOPS = 1e3;

export function flopsToNs(flops: number, peakTflops: number): number {
  return flops / (peakTflops * FLOP_PER_NS_PER_TFLOPS);
}

/** Bytes over bandwidth: 1 GB/s is 1 byte per ns. */
export function bytesToNs(bytes: number, bandwidthGBps: number): number {
  return bytes / bandwidthGBps;
}

export function roofline(shape: GemmShape, peakTflops: number, bandwidthGBps: number): Roofline {
  const flops = gemmFlops(shape);
  const bytes = compulsoryTraffic(shape).totalBytes;
  const computeNs = flopsToNs(flops, peakTflops);
  const memoryNs = bytesToNs(bytes, bandwidthGBps);
  return {
    computeNs,
    memoryNs,
    timeNs: Math.max(computeNs, memoryNs),
    bound: memoryNs > computeNs ? 'memory' : 'compute',
    arithmeticIntensityFlopPerByte: flops / bytes,
  };
}

/**
 * Names the bound of an estimate whose time is max(quantisedComputeNs, memoryNs). When compute sets the
 * time, it splits into useful work at peak (usefulComputeNs) and idle slots; whichever is larger names it,
 * so no threshold is tuned.
 */
export function classifyBound(
  usefulComputeNs: number,
  quantisedComputeNs: number,
  memoryNs: number,
  quantisedBound: 'wave-quantised' | 'array-quantised',
): GemmBound {
  if (memoryNs >= quantisedComputeNs) return 'memory';
  return quantisedComputeNs - usefulComputeNs > usefulComputeNs ? quantisedBound : 'compute';
}
