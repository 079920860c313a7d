// nano-vLLM's scheduler (engine/scheduler.py; facts.md §C) run to completion on a workload: prefill first while
// waiting sequences fit (max_num_seqs, max_num_batched_tokens, free KV blocks), otherwise one decode step over the
// running sequences, preempting the newest when a block is missing. Scheduling does not depend on step times
// (every request is there at t = 0), so the schedule is computed once and costed afterwards.
import { ModelError, showValue } from '../core/index.ts';
import { BlockManager, type BlockOwner } from './blockManager.ts';

export interface SchedulerLimits {
  readonly maxNumSeqs: number;
  readonly maxNumBatchedTokens: number;
  readonly blockSize: number;
  readonly numKvBlocks: number;
}

/** nano-vLLM's Config defaults (max_num_seqs 512, max_num_batched_tokens 16384, kvcache_block_size 256). */
export const NANO_VLLM_LIMITS = Object.freeze({ maxNumSeqs: 512, maxNumBatchedTokens: 16384, blockSize: 256, gpuMemoryUtilization: 0.9 });

/** A sequence as the scheduler needs it: lengths only (what the tokens are does not change the schedule). */
export interface SequenceSpec {
  readonly promptLen: number;
  readonly maxTokens: number;
}

/** One engine step: which sequences ran, which token positions each computed. */
export interface ScheduledStep {
  readonly isPrefill: boolean;
  /** Workload index of each scheduled sequence, in batch order. */
  readonly seqs: Int32Array;
  /** First position computed per sequence (prefill: its cached tokens; decode: len - 1). */
  readonly firstPos: Int32Array;
  /** Positions computed per sequence (decode: 1). */
  readonly newTokens: Int32Array;
  /** Sum of newTokens: the rows of every linear layer this step. */
  readonly numTokens: number;
  /** Sum over sequences of the KV length its last query attends to (decode: the KV read per layer, in tokens). */
  readonly contextTokens: number;
  /** Query-key pairs of causal attention summed over sequences (prefill FLOPs per head and layer / (4 x headDim)). */
  readonly causalPairs: number;
}

export interface ScheduleResult {
  readonly steps: readonly ScheduledStep[];
  readonly prefillSteps: number;
  readonly decodeSteps: number;
  readonly preemptions: number;
  /** Tokens prefilled again after a preemption (beyond the prompts). */
  readonly recomputedTokens: number;
  readonly outputTokens: number;
  readonly peakUsedBlocks: number;
  readonly limits: SchedulerLimits;
}

class SequenceState implements BlockOwner {
  numTokens: number;
  numCachedTokens = 0;
  numCompletion = 0;
  readonly blockTable: number[] = [];
  constructor(
    readonly id: number,
    readonly spec: SequenceSpec,
  ) {
    this.numTokens = spec.promptLen;
  }
}

export function simulateSchedule(sequences: readonly SequenceSpec[], limits: SchedulerLimits): ScheduleResult {
  checkLimits(limits);
  for (const [i, s] of sequences.entries()) {
    if (!Number.isSafeInteger(s.promptLen) || s.promptLen < 1 || !Number.isSafeInteger(s.maxTokens) || s.maxTokens < 1) {
      throw new ModelError(`simulateSchedule: sequences[${i}]: expected positive integer promptLen and maxTokens, got ${showValue(s)}`);
    }
  }
  const blocks = new BlockManager(limits.numKvBlocks, limits.blockSize);
  let waiting: SequenceState[] = sequences.map((s, i) => new SequenceState(i, s));
  let running: SequenceState[] = [];
  const steps: ScheduledStep[] = [];
  let preemptions = 0;
  let recomputedTokens = 0;
  let outputTokens = 0;
  let peakUsedBlocks = 0;
  let prefillSteps = 0;

  const preempt = (seq: SequenceState, into: SequenceState[]): void => {
    blocks.deallocate(seq);
    into.unshift(seq);
    preemptions++;
  };

  while (waiting.length > 0 || running.length > 0) {
    const scheduled: SequenceState[] = [];
    let isPrefill = false;
    // Prefill: whole sequences, in order, while they fit.
    let batched = 0;
    let taken = 0;
    while (taken < waiting.length && scheduled.length < limits.maxNumSeqs) {
      const seq = waiting[taken]!;
      if (batched + seq.numTokens > limits.maxNumBatchedTokens || !blocks.canAllocate(seq)) break;
      blocks.allocate(seq);
      if (seq.numCompletion > 0) recomputedTokens += seq.numTokens - seq.numCachedTokens;
      batched += seq.numTokens - seq.numCachedTokens;
      scheduled.push(seq);
      taken++;
    }
    if (scheduled.length > 0) {
      isPrefill = true;
      waiting = waiting.slice(taken);
      running.push(...scheduled);
      prefillSteps++;
    } else {
      // Decode: running sequences from the left; a missing block preempts from the right (newest first).
      let right = running.length;
      let i = 0;
      const preempted: SequenceState[] = [];
      while (i < right && scheduled.length < limits.maxNumSeqs) {
        const seq = running[i++]!;
        let keep = true;
        while (!blocks.canAppend(seq)) {
          if (i < right) {
            preempt(running[--right]!, preempted);
          } else {
            preempt(seq, preempted);
            keep = false;
            break;
          }
        }
        if (keep) {
          blocks.mayAppend(seq);
          scheduled.push(seq);
        }
      }
      if (scheduled.length === 0) {
        const stuck = waiting[0] ?? preempted[0]!;
        throw new ModelError(
          `simulateSchedule: sequence ${stuck.id} (${stuck.numTokens} tokens) cannot run with numKvBlocks ${limits.numKvBlocks} x ${limits.blockSize} tokens and maxNumBatchedTokens ${limits.maxNumBatchedTokens}; expected limits that hold one whole sequence`,
        );
      }
      running = [...scheduled, ...running.slice(i, right)];
      // Python's appendleft one at a time leaves the last preempted at the front.
      waiting = [...preempted, ...waiting];
    }
    steps.push(describeStep(scheduled, isPrefill));
    peakUsedBlocks = Math.max(peakUsedBlocks, blocks.usedBlocks);
    // Postprocess: every scheduled sequence gains one token; finished ones free their blocks.
    let finished = false;
    for (const seq of scheduled) {
      seq.numTokens++;
      seq.numCompletion++;
      outputTokens++;
      if (seq.numCompletion === seq.spec.maxTokens) {
        blocks.deallocate(seq);
        finished = true;
      }
    }
    if (finished) running = running.filter((seq) => seq.numCompletion < seq.spec.maxTokens);
  }
  return Object.freeze({
    steps: Object.freeze(steps),
    prefillSteps,
    decodeSteps: steps.length - prefillSteps,
    preemptions,
    recomputedTokens,
    outputTokens,
    peakUsedBlocks,
    limits,
  });
}

function describeStep(scheduled: readonly SequenceState[], isPrefill: boolean): ScheduledStep {
  const n = scheduled.length;
  const seqs = new Int32Array(n);
  const firstPos = new Int32Array(n);
  const newTokens = new Int32Array(n);
  let numTokens = 0;
  let contextTokens = 0;
  let causalPairs = 0;
  for (let i = 0; i < n; i++) {
    const seq = scheduled[i]!;
    const first = isPrefill ? seq.numCachedTokens : seq.numTokens - 1;
    const q = seq.numTokens - first;
    seqs[i] = seq.id;
    firstPos[i] = first;
    newTokens[i] = q;
    numTokens += q;
    contextTokens += seq.numTokens;
    causalPairs += q * first + (q * (q + 1)) / 2;
  }
  return { isPrefill, seqs, firstPos, newTokens, numTokens, contextTokens, causalPairs };
}

function checkLimits(limits: SchedulerLimits): void {
  for (const key of ['maxNumSeqs', 'maxNumBatchedTokens', 'blockSize', 'numKvBlocks'] as const) {
    if (!Number.isSafeInteger(limits[key]) || limits[key] < 1) throw new ModelError(`simulateSchedule: ${key}: expected a positive integer, got ${showValue(limits[key])}`);
  }
}
