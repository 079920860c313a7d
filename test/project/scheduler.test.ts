import test from 'ava';
import { ModelError } from '../../src/core/index.ts';
import { simulateSchedule, type SchedulerLimits } from '../../src/project/index.ts';

const roomy: SchedulerLimits = { maxNumSeqs: 512, maxNumBatchedTokens: 16384, blockSize: 256, numKvBlocks: 10000 };

test('scheduler: prefill packs whole sequences up to max_num_batched_tokens, then decodes when nothing waits', (t) => {
  // 3 x 6000 tokens: two fit in 16384, the third waits for the next prefill step.
  const r = simulateSchedule(
    [
      { promptLen: 6000, maxTokens: 3 },
      { promptLen: 6000, maxTokens: 3 },
      { promptLen: 6000, maxTokens: 3 },
    ],
    roomy,
  );
  t.deepEqual(r.steps.map((s) => [s.isPrefill, s.seqs.length, s.numTokens]), [
    [true, 2, 12000],
    [true, 1, 6000],
    [false, 3, 3],
    [false, 3, 3],
  ]);
  t.is(r.outputTokens, 9);
});

test('scheduler: prefill stops at max_num_seqs sequences when tokens would still fit', (t) => {
  const r = simulateSchedule(Array.from({ length: 5 }, () => ({ promptLen: 10, maxTokens: 1 })), { ...roomy, maxNumSeqs: 2 });
  t.deepEqual(r.steps.map((s) => s.seqs.length), [2, 2, 1]);
  t.true(r.steps.every((s) => s.isPrefill));
});

test('scheduler: decode steps equal output tokens over the batch when every sequence runs to the same length', (t) => {
  // 8 sequences, 100 tokens each: one prefill step makes the first token, then 99 decode steps of 8.
  const r = simulateSchedule(Array.from({ length: 8 }, () => ({ promptLen: 50, maxTokens: 100 })), roomy);
  t.is(r.prefillSteps, 1);
  t.is(r.decodeSteps, (8 * 100 - 8) / 8);
  t.true(r.steps.slice(1).every((s) => !s.isPrefill && s.seqs.length === 8 && s.numTokens === 8));
  // Decode attends over the whole sequence so far: prompt + generated.
  t.is(r.steps[1]!.contextTokens, 8 * 51);
  t.is(r.steps[99]!.contextTokens, 8 * 149);
});

test('scheduler: a finished sequence leaves the batch and decode continues with the others', (t) => {
  const r = simulateSchedule(
    [
      { promptLen: 10, maxTokens: 2 },
      { promptLen: 10, maxTokens: 5 },
    ],
    roomy,
  );
  t.deepEqual(r.steps.map((s) => s.seqs.length), [2, 2, 1, 1, 1]);
  t.is(r.outputTokens, 7);
});

test('scheduler: prefill causal pairs are q(q+1)/2 per sequence when nothing is cached', (t) => {
  const r = simulateSchedule([{ promptLen: 4, maxTokens: 1 }, { promptLen: 3, maxTokens: 1 }], roomy);
  t.is(r.steps[0]!.causalPairs, 10 + 6);
});

test('scheduler: a full KV cache preempts the newest sequence, which is prefilled again with its generated tokens', (t) => {
  // Blocks of 4 tokens, 4 blocks. Two sequences of 7 prompt tokens take 2 blocks each; the first token that
  // opens a third block for sequence 0 finds no free block and preempts sequence 1 (the newest).
  const r = simulateSchedule(
    [
      { promptLen: 7, maxTokens: 4 },
      { promptLen: 7, maxTokens: 4 },
    ],
    { maxNumSeqs: 512, maxNumBatchedTokens: 16384, blockSize: 4, numKvBlocks: 4 },
  );
  t.is(r.preemptions, 1);
  t.is(r.outputTokens, 8);
  const kinds = r.steps.map((s) => (s.isPrefill ? `P${s.seqs.length}` : `D${s.seqs.length}`));
  // Prefill both; decode both (length 8 fills each second block); seq 0's 9th token needs a block -> seq 1 (newest)
  // is preempted, its blocks [2, 3] freed as [3, 2]; seq 0 takes block 3 and runs alone to its 4th token; seq 1 is
  // prefilled again over its 9 tokens: its first full block (2) is still in the free list, so 4 tokens are cached.
  t.deepEqual(kinds, ['P2', 'D2', 'D1', 'D1', 'P1', 'D1']);
  t.is(r.steps[4]!.seqs[0], 1);
  t.is(r.steps[4]!.firstPos[0], 4);
  t.is(r.recomputedTokens, 5);
});

test('scheduler: a preempted sequence reuses its own full blocks still in the free list (prefix cache)', (t) => {
  // As above with 5 blocks and longer outputs: the re-prefill skips whole cached blocks only.
  const r = simulateSchedule(
    [
      { promptLen: 7, maxTokens: 10 },
      { promptLen: 7, maxTokens: 10 },
    ],
    { maxNumSeqs: 512, maxNumBatchedTokens: 16384, blockSize: 4, numKvBlocks: 5 },
  );
  t.true(r.preemptions >= 1);
  const reprefill = r.steps.find((s, i) => i > 0 && s.isPrefill)!;
  t.true(reprefill.firstPos[0]! > 0, 'cached full blocks are skipped');
  t.is(reprefill.firstPos[0]! % 4, 0);
});

test('scheduler: refuses limits that cannot hold one whole sequence, naming the sequence and the limits', (t) => {
  const error = t.throws(() => simulateSchedule([{ promptLen: 100, maxTokens: 1 }], { ...roomy, blockSize: 16, numKvBlocks: 2 }), { instanceOf: ModelError });
  t.snapshot(error?.message);
});
