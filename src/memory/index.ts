// Public surface of memory/: the MemoryDevice contract, the clock-owning engine, the registry of
// technologies and their presets, and the request sources that replay traces against a device.
export type { MemoryRequest, MemoryDevice, MemoryDeviceStats, CompletionSink, RequestSource } from './types.ts';
export { runEngine, type EngineResult } from './engine.ts';
export { LatencyHistogram, summarize, type Percentiles } from './histogram.ts';
export { TraceDriver, type TraceRecord, type RequestStream, type TraceDriverOptions, type TraceDriverResult } from './traceDriver.ts';
export { Dramsim3TraceStream, type ChunkReader, type Dramsim3TraceOptions } from './dramsim3Trace.ts';
export { EngramGatherStream, DEFAULT_BATCH_TOKENS, type EngramGatherOptions } from './engramGather.ts';
export { memoryRegistry, resolveMemoryPreset, createMemoryDevice, type MemoryKind, type ResolvedMemoryPreset, type MemoryDeviceOptions } from './registry.ts';
export { DramDevice, type DramOptions } from './dram/dramDevice.ts';
export { resolveDramPreset, type ResolvedDramPreset, type PresetLoader, type PagePolicy, type RefreshScheme, type ProvenanceEntry } from './dram/resolvePreset.ts';
export { memoryPresetSchema, dramDeviceSchema, dramSystemSchema, MAPPING_FIELDS, type MemoryPresetDocument } from './dram/presetSchema.ts';
export { simulate, summarizeRun, type SimulationSummary, type RunDevice } from './simulate.ts';
export { simulateCompiled, compiledCoreUnsupported, compileCore, coreParameterBlock, type CompiledCore } from './compiledCore.ts';
export { simulateNative } from './nativeCore.ts';
export { AddressDecoder, type MappingDimensions } from './dram/addressMapping.ts';
export { mappingDimensions } from './dram/resolvePreset.ts';
// Links, CXL, NVMe and the tiered hierarchy for Engram gathers (issue 5 §1 links/NVMe, §2).
export { ClockCrossing } from './clockCrossing.ts';
export { SharedDevice, SharedPort } from './sharedDevice.ts';
export { AddressRouter, type AddressWindow } from './addressRouter.ts';
export { DelayLine } from './delayLine.ts';
export { EventHeap } from './eventHeap.ts';
export { gradedProvenanceSchema, type GradedProvenance, type GradedProvenanceEntry } from './presetProvenance.ts';
export { LinkDirection } from './link/linkDirection.ts';
export { pcieLinkSchema, resolvePcieLinkPreset, type ResolvedPcieLinkPreset, type PcieLinkDocument } from './link/pcieLinkPreset.ts';
export {
  tlpWireBytes, dwordSpan, completionSizes, readPieces, downstreamWireBytesPerRead, readPayloadEfficiency, rawLaneGBps,
  readPayloadBandwidthGBps, readRoundTripPs, unloadedReadLatencyPs, littleBandwidthGBps,
} from './link/pcieFormulas.ts';
export { PcieLinkDevice, createPcieLinkDevice, type PcieLinkOptions } from './link/pcieLinkDevice.ts';
export { PostedWriteChannel } from './link/postedWriteChannel.ts';
export { cxlPresetSchema, resolveCxlPreset, cxlWireBytes, cxlMessageSlots, cxlReadEfficiency, cxlUnloadedReadPs, type ResolvedCxlPreset, type CxlPresetDocument } from './link/cxlPreset.ts';
export { CxlDevice, createCxlDevice, type CxlOptions } from './link/cxlDevice.ts';
export { nvmePresetSchema, resolveNvmePreset, nvmePageWireBytes, nvmeUnloadedReadPs, nvmeRandomReadIopsBound, type ResolvedNvmePreset, type NvmePresetDocument } from './nvme/nvmePreset.ts';
export { NvmeDevice, createNvmeDevice, type NvmeOptions } from './nvme/nvmeDevice.ts';
export { PageCache, type PageLookup } from './nvme/pageCache.ts';
export { ZipfSampler, zipfHarmonic, zipfTopShare } from './hierarchy/zipf.ts';
export { ANALYTIC_CACHE_POLICIES, zipfCacheHitRate, type AnalyticCachePolicy } from './hierarchy/cacheHitRate.ts';
export { traceBatches, traceLayerBases, zipfBatches, type GatherWorkload, type TraceBatchOptions, type ZipfWorkloadOptions } from './hierarchy/workload.ts';
export { HotRowCache, HOT_ROW_POLICIES, type HotRowPolicy } from './hierarchy/hotRowCache.ts';
export {
  resolveMemorySystem, pciePresetName, DEFAULT_HBM_HIT_LATENCY_NS, TRANSFER_PATHS,
  type MemorySystemSpec, type ResolvedMemorySystem, type ResolvedTier, type TierSpec, type TransferPath,
} from './hierarchy/system.ts';
export { HbmServer } from './hierarchy/hbmServer.ts';
export { buildSystemDevices, WINDOW, WINDOW_BYTES, CXL_BASE_BYTES, type SystemDevices } from './hierarchy/systemDevices.ts';
export { GatherSource, type GatherMerge } from './hierarchy/gatherSource.ts';
export { TierStats, type LatencyBins } from './hierarchy/tierStats.ts';
export { TraceRecorder, type TraceEvent } from './hierarchy/traceEvents.ts';
export { simulateEngramGather, type GatherRunOptions, type GatherRunResult, type TierResult, type LinkResult } from './hierarchy/simulateGather.ts';
export { estimateGather, estimateGatherNs, dramClosedBankPs, dramRandomReadPs, type GatherEstimate, type GatherEstimateInput } from './hierarchy/estimate.ts';
export { unloadedReadBoundCycles, asDramPreset, dramClosedBankCycles } from './presetBounds.ts';
