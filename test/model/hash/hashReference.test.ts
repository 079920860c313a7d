import test from 'ava';
import { buildHashMapping, hashBatchReference, mixValues } from '../../../src/model/index.ts';
import { GOLDEN, GOLDEN_BATCH, GOLDEN_PARAMS } from './golden.ts';

const LAYER1_MULTIPLIERS = [76993395940407n, 4862694818241n, 36129212583461n];
// engram-spec §3.7: "Only Alexander the Great could tame the horse Bucephalus." after BOS, compressed.
const DEMO_IDS = [0, 1134, 15695, 237, 2049, 1260, 85761, 237, 12071, 36, 9745, 20232, 290, 16];

test('hashReference: mixes of the worked example equal engram-spec §3.7 for t = 0..2', (t) => {
  const mixes = mixValues(LAYER1_MULTIPLIERS, DEMO_IDS, 2);
  t.deepEqual(mixes.slice(0, 3), [
    [9725389636482n, 80743902912456n],
    [87310510996421538n, 87382335864629224n],
    [1213355617126763287n, 1213355617126763287n],
  ]);
});

test('hashReference: the 3-gram mix equals the 2-gram mix XOR the term two back', (t) => {
  const mixes = mixValues(LAYER1_MULTIPLIERS, DEMO_IDS, 2);
  for (let pos = 0; pos < DEMO_IDS.length; pos++) {
    const twoBack = pos >= 2 ? DEMO_IDS[pos - 2]! : 2;
    t.is(mixes[pos]![1], mixes[pos]![0]! ^ (BigInt(twoBack) * LAYER1_MULTIPLIERS[2]!));
  }
});

test('hashReference: a negative id wraps its product mod 2^64 like numpy int64', (t) => {
  // -2^31 · (2^62 + 1) overflows int64; numpy keeps the low 64 bits as a signed value.
  const [[mix]] = mixValues([2n ** 62n + 1n, 1n], [-(2 ** 31)], 0) as [[bigint]];
  t.is(mix, BigInt.asIntN(64, -(2n ** 31n) * (2n ** 62n + 1n)));
  t.true(mix < 0n);
});

test('hashReference: equals numpy golden vectors with negative ids, N = 4 and reversed layer order', (t) => {
  const mapping = buildHashMapping(GOLDEN_PARAMS);
  t.deepEqual(mapping.layers.map((l) => l.primes), [
    [1009, 1013, 1019, 2003, 2011, 2017, 3001, 3011, 3019],
    [1021, 1031, 1033, 2027, 2029, 2039, 3023, 3037, 3041],
  ]);
  t.deepEqual(mapping.layers[0]!.multipliers, [203979632325961n, 798077856796405n, 184192464340455n, 1103695017296393n]);
  t.deepEqual(mapping.layers[1]!.multipliers, [1484968291291895n, 1490387697497987n, 950607873918517n, 527210491439893n]);
  const result = hashBatchReference(mapping, GOLDEN_BATCH.map((s) => Int32Array.from(s)));
  for (const layerId of [3, 0]) {
    t.deepEqual(result.get(layerId)!.map((seq) => Array.from(seq)), GOLDEN[layerId]!.map((seq) => seq.flat()), `layer ${layerId}`);
  }
});

test('hashReference: rejects too few multipliers and a non-integer pad', (t) => {
  t.snapshot(t.throws(() => mixValues([1n], [1], 0))?.message);
  t.snapshot(t.throws(() => mixValues(LAYER1_MULTIPLIERS, [1], 0.5))?.message);
});
