// The evaluator contract of the sweep engine and the records that flow through a sweep: a point, its
// content key and seed, and its outcome (result, objectives, feasibility) as stored by the CLI.
import type { EvaluatorContext, EvaluatorParameter } from '../project/index.ts';

export type { EvaluatorContext };

/** A parameter value: a number or a name (target, config, dtype...). */
export type ParameterValue = number | string;
/** One design point: every parameter of the evaluator, defaults filled in. */
export type SweepPoint = Readonly<Record<string, ParameterValue>>;
export type ResultValue = number | string;
export type ResultRecord = Readonly<Record<string, ResultValue>>;

/**
 * Contract: a pure function of (point, seed). Same point and seed, same result, on any thread and in any
 * order; nothing is kept between calls. It throws an EngramError (ModelError...) for a point its model
 * rejects (stored as that point's error) and anything else only for a bug (which stops the sweep).
 * Numbers in the result are finite.
 */
export type Evaluator = (point: SweepPoint, seed: bigint) => ResultRecord;

export type ParameterDomain = EvaluatorParameter;

export interface ResultField {
  readonly type: 'number' | 'string';
  readonly description: string;
}

/**
 * A named, versioned evaluator. `version` changes whenever results for the same point change; stored sweeps
 * refuse to resume or merge across versions. `parameters` and `fields` let a sweep be checked before it runs.
 */
export interface EvaluatorDefinition {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly fields: Readonly<Record<string, ResultField>>;
  parameters(context: EvaluatorContext): Readonly<Record<string, ParameterDomain>>;
  create(context: EvaluatorContext): Evaluator;
}

/** A point scheduled for evaluation: its enumeration index, content key (sha256 hex) and seed (16 hex digits). */
export interface PendingPoint {
  readonly index: number;
  readonly key: string;
  readonly seedHex: string;
  readonly point: SweepPoint;
  /** The point's canonical JSON (its key is the hash of this text, and the database stores it). */
  readonly pointJson: string;
}

/** What a sweep stores per point. `error` is set (and `result` empty) when the evaluator rejected the point. */
export interface PointOutcome extends PendingPoint {
  readonly result: ResultRecord;
  readonly error: string | null;
  /** Named objective values; null where the expression gave a non-finite number. */
  readonly objectives: Readonly<Record<string, number | null>>;
  /** All constraints hold and there is no error. */
  readonly feasible: boolean;
}

/**
 * A point as the CLI stores it: JSON columns are canonical JSON text (sorted keys), so equal content is equal
 * text and two databases compare row by row. Built in the thread that evaluated the point.
 */
export interface StoredPoint {
  readonly key: string;
  /** Enumeration index in the spec's sampler. */
  readonly idx: number;
  readonly point: string;
  readonly seed: string;
  readonly result: string;
  readonly error: string | null;
  readonly objectives: string;
  readonly feasible: 0 | 1;
}

/**
 * What a sweep database records about its sweep (its meta table): enough to refuse resuming or merging anything
 * that would mix different results, and what a report names as the sweep's inputs.
 */
export interface SweepMeta {
  readonly format: string;
  readonly specName: string;
  /** Canonical JSON of the parsed spec (defaults filled in). */
  readonly spec: string;
  readonly specSha256: string;
  /** The spec's path as given when the sweep started (informational). */
  readonly specFile: string;
  readonly evaluator: string;
  readonly evaluatorVersion: string;
  /** sha256 of the canonical JSON of everything evaluators read besides the point (targets, configs, costs). */
  readonly contextSha256: string;
  /** Points the sampler enumerates (before sharding and de-duplication). */
  readonly samplerCount: number;
  /** The shards stored here, as "K/N"; one for a sweep's own file, several after a merge. */
  readonly shards: readonly string[];
}
