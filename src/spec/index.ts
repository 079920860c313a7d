// Public surface of spec/: schemas, static types and the parse -> resolve -> freeze pipeline.
export { parseDocument, parseJsonText, formatPath, deepFreeze } from './parse.ts';
export { engramConfigSchema, resolveEngramConfig, type EngramConfig, type EngramConfigDocument } from './engramConfig.ts';
export { encodeTrace, decodeTrace, traceHeaderSchema, TRACE_MAGIC, type Trace, type TraceHeader } from './traceFormat.ts';
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
  type TargetDocument,
  type TargetKind,
} from './target.ts';
