import test from 'ava';
import { ModelError } from '../../src/core/index.ts';
import { benchWorkload, TABLE4_WORKLOAD } from '../../src/project/index.ts';

test('benchWorkload: 256 sequences of seed 0 total 133,966 output tokens, the figure of nano-vLLM\'s README', (t) => {
  // facts.md §C (HIGH): "vLLM 133,966 tokens in 98.37 s"; bench.py's draws reproduce it exactly.
  const w = benchWorkload({ ...TABLE4_WORKLOAD, numSeqs: 256 });
  t.is(w.totalOutputTokens, 133966);
  t.is(w.totalPromptTokens, 142827);
});

test('benchWorkload: Table 4\'s 512 sequences draw 291,939 prompt and 284,413 output tokens with bench.py\'s first ids', (t) => {
  const w = benchWorkload(TABLE4_WORKLOAD);
  t.is(w.totalPromptTokens, 291939);
  t.is(w.totalOutputTokens, 284413);
  t.is(w.promptLens[0], 964);
  t.deepEqual(Array.from(w.promptTokenIds[0]!.subarray(0, 5)), [6311, 6890, 663, 4242, 8376]);
  t.deepEqual(Array.from(w.maxTokens.subarray(0, 5)), [234, 801, 430, 732, 468]);
  t.true(w.promptLens.every((n) => n >= 100 && n <= 1024) && w.maxTokens.every((n) => n >= 100 && n <= 1024));
});

test('benchWorkload: rejects an inverted length range naming the field', (t) => {
  const error = t.throws(() => benchWorkload({ ...TABLE4_WORKLOAD, maxInputLen: 50 }), { instanceOf: ModelError });
  t.snapshot(error?.message);
});
