// Public surface of core/: domain-free basics shared by every other folder.
export { EngramError, SpecError, ModelError, SimError, showValue } from './errors.ts';
export { Rng, hashString64 } from './rng.ts';
export { canonicalJson, sha256Hex } from './hash.ts';
export * from './units.ts';
export { memoBounded, memoOwned } from './memo.ts';
export { recordShape, mergedShape, type RecordShape, type MergedShape } from './recordShape.ts';
