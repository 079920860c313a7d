// GPU tensor-core GEMM: roofline with tile and wave quantisation over the SMs, as a persistent FP8 kernel
// such as DeepGEMM (facts.md §B) runs it on Hopper. Peaks and bandwidth from the target (facts.md §D1).
//
// For each output block bm x bn offered by the target (K padded to blockK):
//   tiles = ceil(M / bm) * ceil(N / bn),  waves = ceil(tiles / SMs)
//   computeNs = waves * SMs * (2 * bm * bn * Kpad) / peak
// i.e. every SM slot of every wave costs one full tile at the per-SM peak (peak / SMs), busy or not.
// The block with the least computeNs is kept (ties: larger block, then larger bm).
// DRAM traffic is compulsory (A, B, scales read once, C written once): re-reads of operand panels are
// assumed to hit L2 under the kernel's tile swizzle; `operandsFitL2` says when that is doubtful.
// time = max(computeNs, memoryNs), i.e. TMA loads fully overlapped with tensor-core work.
import type { ResolvedGpuTarget } from '../spec/index.ts';
import { aPanelBytes, bPanelBytes, checkShape, compulsoryTraffic, gemmFlops } from './operandBytes.ts';
import { bytesToNs, classifyBound, flopsToNs, roofline } from './roofline.ts';
import type { GemmCost, GemmShape, GpuDetail } from './types.ts';

interface BlockChoice {
  readonly blockM: number;
  readonly blockN: number;
  readonly tiles: number;
  readonly waves: number;
  /** FLOPs the occupied SM slots could have done: waves x SMs x one tile. */
  readonly slotFlops: number;
}

function bestBlock(shape: GemmShape, target: ResolvedGpuTarget): BlockChoice {
  const sms = target.compute.smCount;
  const { blockK } = target.tiling;
  const kPadded = Math.ceil(shape.k / blockK) * blockK;
  let best: BlockChoice | undefined;
  for (const blockM of target.tiling.blockMCandidates) {
    for (const blockN of target.tiling.blockNCandidates) {
      const tiles = Math.ceil(shape.m / blockM) * Math.ceil(shape.n / blockN);
      const waves = Math.ceil(tiles / sms);
      const slotFlops = waves * sms * 2 * blockM * blockN * kPadded;
      const area = blockM * blockN;
      const better =
        best === undefined ||
        slotFlops < best.slotFlops ||
        (slotFlops === best.slotFlops && (area > best.blockM * best.blockN || (area === best.blockM * best.blockN && blockM > best.blockM)));
      if (better) best = { blockM, blockN, tiles, waves, slotFlops };
    }
  }
  // The schema guarantees at least one candidate of each.
  return best!;
}

export function gpuGemmCost(shape: GemmShape, target: ResolvedGpuTarget): GemmCost {
  checkShape(shape, 'gpuGemmCost');
  const peakTflops = target.derived.peakTflops[shape.dtype];
  const bandwidthGBps = target.memory.hbmBandwidthGBps;
  const bound = roofline(shape, peakTflops, bandwidthGBps);
  const block = bestBlock(shape, target);
  const computeNs = flopsToNs(block.slotFlops, peakTflops);
  const dram = compulsoryTraffic(shape);
  const memoryNs = bytesToNs(dram.totalBytes, bandwidthGBps);
  const timeNs = Math.max(computeNs, memoryNs);
  const sms = target.compute.smCount;
  const detail: GpuDetail = {
    kind: 'gpu',
    blockM: block.blockM,
    blockN: block.blockN,
    blockK: target.tiling.blockK,
    tiles: block.tiles,
    waves: block.waves,
    lastWaveTiles: block.tiles - (block.waves - 1) * sms,
    operandsFitL2: aPanelBytes(shape.m, shape.k, shape.dtype) + bPanelBytes(shape.n, shape.k, shape.dtype) <= target.memory.l2Bytes,
  };
  return {
    target: target.name,
    kind: 'gpu',
    shape,
    flops: gemmFlops(shape),
    peakTflops,
    clockMHz: target.compute.clockMHz,
    roofline: bound,
    computeNs,
    memoryNs,
    timeNs,
    cycles: Math.ceil((timeNs * target.compute.clockMHz) / 1e3),
    bound: classifyBound(bound.computeNs, computeNs, memoryNs, 'wave-quantised'),
    utilisationPct: (100 * bound.computeNs) / timeNs,
    dram,
    detail,
  };
}
