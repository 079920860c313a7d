// Public surface of spec/: schemas, static types and the parse -> resolve -> freeze pipeline.
export { parseDocument, parseJsonText, formatPath, deepFreeze } from './parse.ts';
export { engramConfigSchema, resolveEngramConfig, type EngramConfig, type EngramConfigDocument } from './engramConfig.ts';
export {
  encodeTrace,
  encodeTraceHeader,
  decodeTrace,
  decodeTraceLayout,
  traceHeaderLength,
  traceRows,
  traceHeaderSchema,
  TRACE_MAGIC,
  TRACE_PREFIX_BYTES,
  type Trace,
  type TraceHeader,
  type TraceLayout,
  type TraceRows,
} from './traceFormat.ts';
export {
  COMPUTE_DTYPES,
  CONFIDENCES,
  DATAFLOWS,
  FOLD_OVERLAPS,
  TARGET_KINDS,
  resolveTarget,
  targetSchema,
  type ComputeDtype,
  type Dataflow,
  type FoldOverlap,
  type ResolvedFpgaTarget,
  type ResolvedGpuTarget,
  type ResolvedSystolicTarget,
  type ResolvedTarget,
  type ServingCalibration,
  type TargetDocument,
  type TargetKind,
} from './target.ts';
export {
  ATTENTION_KINDS,
  BACKBONE_DTYPES,
  backboneSchema,
  resolveBackbone,
  type Backbone,
  type BackboneDerived,
  type BackboneDocument,
  type BackboneDtype,
} from './backbone.ts';
export {
  OBJECTIVE_GOALS,
  RANGE_SCALES,
  SAMPLER_KINDS,
  isRangeParameter,
  parseSweepSpec,
  sweepSpecSchema,
  type ListParameter,
  type ObjectiveGoal,
  type ObjectiveSpec,
  type ParameterSpec,
  type RangeParameter,
  type SamplerKind,
  type SamplerSpec,
  type SweepSpec,
  type SweepSpecDocument,
} from './sweep.ts';
export { MEMORY_TIERS, costsSchema, resolveCosts, type Costs, type CostsDocument, type MemoryTier } from './costs.ts';
export { gradedProvenanceSchema, type GradedProvenance } from './provenance.ts';
