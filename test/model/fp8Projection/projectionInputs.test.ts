import test from 'ava';
import { ModelError, Rng } from '../../../src/core/index.ts';
import { fp8ProjectionInput, initEngramLayerParams, searchLayerPrimes, VirtualTable } from '../../../src/model/index.ts';
import { tinyConfig } from '../forward/tinyConfig.ts';

test('fp8ProjectionInput: weights are runEngramLayer\'s for the seed and each e_t is one table row per head', (t) => {
  const config = tinyConfig(2, 32);
  const input = fp8ProjectionInput(config, { tokens: 5, seed: 9, layerId: 3 });
  t.is(input.memorySource, 'table');
  t.is(input.layerId, 3);
  t.deepEqual(input.params, initEngramLayerParams(config, 3, new Rng(9).child('engram-layer/3').child('params')));
  const { layerIds, maxNgramSize, nHeadPerNgram, engramVocabSize } = config.engram;
  const primes = searchLayerPrimes({ layerIds, maxNgramSize, nHeadPerNgram, engramVocabSize }).get(3)!;
  const total = primes.reduce((a, b) => a + b, 0);
  const table = new VirtualTable(total, config.derived.headDim, { seed: 9, layerId: 3 });
  const dim = config.derived.headDim;
  const row = new Float32Array(dim);
  // Every head slice of every e_t must be some row of that head's range of the table.
  for (let tt = 0; tt < 5; tt++) {
    let offset = 0;
    for (let h = 0; h < primes.length; h++) {
      const slice = Array.from(input.memory.subarray((tt * primes.length + h) * dim, (tt * primes.length + h + 1) * dim));
      let found = false;
      for (let r = offset; r < offset + primes[h]! && !found; r++) {
        table.fillRow(r, row, 0);
        found = slice.every((v, i) => v === row[i]);
      }
      t.true(found, `token ${tt} head ${h}`);
      offset += primes[h]!;
    }
  }
  t.is(input.hidden.length, 5 * 2 * 32);
});

test('fp8ProjectionInput: a d_mem override gives N(0,1) rows and weights of that width with the same init rule', (t) => {
  const config = tinyConfig(2, 32);
  const input = fp8ProjectionInput(config, { tokens: 3, dMem: 48 });
  t.is(input.memorySource, 'normal');
  t.is(input.params.engramHiddenSize, 48);
  t.is(input.params.valueWeight.length, 48 * 32);
  t.is(input.memory.length, 3 * 48);
  const bound = 1 / Math.sqrt(48);
  t.true(input.params.keyWeight.every((w) => Math.abs(w) <= bound));
  // The same width as the config is no override: table rows again.
  t.is(fp8ProjectionInput(config, { tokens: 1, dMem: config.derived.engramHiddenSize }).memorySource, 'table');
});

test('fp8ProjectionInput: bad tokens, layer and d_mem are ModelErrors naming the field', (t) => {
  const config = tinyConfig(2, 32);
  const messages = [
    t.throws(() => fp8ProjectionInput(config, { tokens: 0 }), { instanceOf: ModelError })?.message,
    t.throws(() => fp8ProjectionInput(config, { tokens: 1, layerId: 2 }), { instanceOf: ModelError })?.message,
    t.throws(() => fp8ProjectionInput(config, { tokens: 1, dMem: 1.5 }), { instanceOf: ModelError })?.message,
  ];
  t.snapshot(messages);
});
