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
export { simulate, type SimulationSummary } from './simulate.ts';
export { AddressDecoder, type MappingDimensions } from './dram/addressMapping.ts';
export { mappingDimensions } from './dram/resolvePreset.ts';
