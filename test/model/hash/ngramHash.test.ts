import test from 'ava';
import fc from 'fast-check';
import { hashString64, Rng } from '../../../src/core/index.ts';
import { resolveEngramConfig } from '../../../src/spec/index.ts';
import { buildHashMapping, hashBatch, hashBatchReference, hashMappingParams, type HashMapping, type HashMappingParams } from '../../../src/model/index.ts';
import { GOLDEN, GOLDEN_BATCH, GOLDEN_PARAMS } from './golden.ts';

const DEFAULT_PARAMS: HashMappingParams = {
  layerIds: [1, 15],
  maxNgramSize: 3,
  nHeadPerNgram: 8,
  engramVocabSize: [646400, 646400],
  seed: 0,
  compressedVocabSize: 98627,
  padCompressed: 2,
};
const DEMO_IDS = Int32Array.from([0, 1134, 15695, 237, 2049, 1260, 85761, 237, 12071, 36, 9745, 20232, 290, 16]);

function seedFor(title: string): number {
  return Number(hashString64(title) & 0x7fffffffn);
}

function sameArrays(a: readonly Int32Array[], b: readonly Int32Array[]): boolean {
  return a.length === b.length && a.every((x, i) => x.length === b[i]!.length && x.every((v, j) => v === b[i]![j]));
}

test('ngramHash: head 0 of each order equals the worked example of engram-spec §3.7', (t) => {
  const mapping = buildHashMapping(DEFAULT_PARAMS);
  const hashes = hashBatch(mapping, [DEMO_IDS]).get(1)![0]!;
  // 16 heads per token: order 2 at offsets 0..7, order 3 at 8..15.
  const head0 = [0, 1, 2].map((pos) => [hashes[pos * 16], hashes[pos * 16 + 8]]);
  t.deepEqual(head0, [
    [525894, 167317],
    [590896, 28226],
    [72209, 215899],
  ]);
});

test('ngramHash: default mapping has the multipliers, primes and packed row offsets of engram-spec §1', (t) => {
  const mapping = buildHashMapping(DEFAULT_PARAMS);
  const [layer1, layer15] = mapping.layers;
  t.deepEqual(mapping.layers.map((l) => l.layerId), [1, 15]);
  t.deepEqual(layer1!.multipliers, [76993395940407n, 4862694818241n, 36129212583461n]);
  t.deepEqual(layer15!.multipliers, [29055444938695n, 56284491166079n, 54183298291715n]);
  t.is(layer1!.totalRows, 10_344_164);
  t.is(layer15!.totalRows, 10_348_242);
  t.deepEqual(layer1!.rowOffsets.slice(0, 3), [0, 646403, 646403 + 646411]);
  for (const layer of mapping.layers) {
    t.is(layer.rowOffsets.length, 16);
    t.is(layer.rowOffsets[15]! + layer.primes[15]!, layer.totalRows);
  }
  t.true(Object.isFrozen(mapping) && Object.isFrozen(layer1) && Object.isFrozen(layer1!.primes));
});

test('ngramHash: parameters taken from a resolved config equal the hand-written defaults', (t) => {
  const provenance = { source: 'engram-spec.md §1' };
  const config = resolveEngramConfig(
    {
      schemaVersion: 1,
      name: 'demo-v1',
      description: 'Engram demo defaults',
      tokenizer: 'deepseek-v3',
      engram: { engramVocabSize: [646400, 646400], maxNgramSize: 3, nEmbedPerNgram: 512, nHeadPerNgram: 8, layerIds: [1, 15], padId: 2, seed: 0, kernelSize: 4, tableBytesPerValue: 2, provenance },
      backbone: { hiddenSize: 1024, hcMult: 4, vocabSize: 129280, numLayers: 30, provenance },
    },
    'demo-v1.json',
  );
  t.deepEqual(hashMappingParams(config, 98627, 2), DEFAULT_PARAMS);
});

test('ngramHash: fast path equals numpy golden vectors with negative ids and N = 4', (t) => {
  const result = hashBatch(buildHashMapping(GOLDEN_PARAMS), GOLDEN_BATCH.map((s) => Int32Array.from(s)));
  for (const layerId of [3, 0]) {
    t.deepEqual(result.get(layerId)!.map((seq) => Array.from(seq)), GOLDEN[layerId]!.map((seq) => seq.flat()), `layer ${layerId}`);
  }
});

const configArb = fc.record({
  layerIds: fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 3 }),
  maxNgramSize: fc.integer({ min: 2, max: 5 }),
  nHeadPerNgram: fc.integer({ min: 1, max: 4 }),
  engramVocabSize: fc.array(fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 2 ** 31 - 50_000, max: 2 ** 31 - 5000 })), { minLength: 4, maxLength: 4 }),
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  compressedVocabSize: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 1_073_741_823 })),
});

/** A mapping plus a batch whose ids are in range: below V', or negative pass-through ids. */
const caseArb = configArb.chain((cfg) => {
  const idArb = fc.oneof(fc.integer({ min: 0, max: cfg.compressedVocabSize - 1 }), fc.integer({ min: -(2 ** 31), max: -1 }));
  return fc.record({
    params: fc.record({ padCompressed: fc.integer({ min: 0, max: cfg.compressedVocabSize - 1 }) }).map((p) => ({ ...cfg, ...p })),
    batch: fc.array(fc.array(idArb, { maxLength: 12 }), { minLength: 1, maxLength: 3 }),
  });
});

test('ngramHash: fast path equals the BigInt reference on random configs and ids, negative ids included', (t) => {
  const property = fc.property(caseArb, ({ params, batch }) => {
    const mapping = buildHashMapping(params);
    const ids = batch.map((s) => Int32Array.from(s));
    const fast = hashBatch(mapping, ids);
    const reference = hashBatchReference(mapping, ids);
    return params.layerIds.every((id) => sameArrays(fast.get(id)!, reference.get(id)!));
  });
  t.notThrows(() => fc.assert(property, { numRuns: 150, seed: seedFor(t.title) }));
});

test('ngramHash: hashes of a prefix are the prefix of the hashes when a sequence is extended', (t) => {
  const property = fc.property(caseArb, fc.nat(), ({ params, batch }, cut) => {
    const mapping = buildHashMapping(params);
    const perToken = (params.maxNgramSize - 1) * params.nHeadPerNgram;
    const full = batch.map((s) => Int32Array.from(s));
    const prefixes = full.map((s) => s.slice(0, cut % (s.length + 1)));
    const whole = hashBatch(mapping, full);
    const part = hashBatch(mapping, prefixes);
    return params.layerIds.every((id) => part.get(id)!.every((p, b) => sameArrays([p], [whole.get(id)![b]!.slice(0, prefixes[b]!.length * perToken)])));
  });
  t.notThrows(() => fc.assert(property, { numRuns: 100, seed: seedFor(t.title) }));
});

test('ngramHash: every head index is in [0, p) and repeated calls give identical output', (t) => {
  const mapping = buildHashMapping(DEFAULT_PARAMS);
  const rng = new Rng(t.title);
  const batch = [0, 1, 2].map(() => Int32Array.from({ length: 300 }, () => rng.nextInt(98627)));
  const first = hashBatch(mapping, batch);
  const second = hashBatch(buildHashMapping(DEFAULT_PARAMS), batch);
  for (const layer of mapping.layers) {
    t.true(sameArrays(first.get(layer.layerId)!, second.get(layer.layerId)!));
    const outOfRange = first.get(layer.layerId)!.flatMap((seq) => Array.from(seq).filter((z, i) => z < 0 || z >= layer.primes[i % 16]!));
    t.deepEqual(outOfRange, []);
  }
});

test('ngramHash: each sequence is padded at its own start, whatever the batch around it', (t) => {
  const mapping: HashMapping = buildHashMapping(DEFAULT_PARAMS);
  const short = Int32Array.from([5, 6]);
  const alone = hashBatch(mapping, [DEMO_IDS]).get(15)![0]!;
  const batched = hashBatch(mapping, [short, DEMO_IDS, new Int32Array(0)]).get(15)!;
  t.deepEqual(batched.map((s) => s.length), [2 * 16, DEMO_IDS.length * 16, 0]);
  t.deepEqual(batched[1], alone);
});

test('ngramHash: ids at or above V\' and bad mapping parameters are rejected with the value named', (t) => {
  const mapping = buildHashMapping(DEFAULT_PARAMS);
  t.snapshot(t.throws(() => hashBatch(mapping, [DEMO_IDS, Int32Array.from([1, 98627])]))?.message);
  t.snapshot(t.throws(() => hashBatchReference(mapping, [Int32Array.from([98627])]))?.message);
  t.snapshot(t.throws(() => hashBatch(mapping, [[1, 2] as unknown as Int32Array]))?.message);
  t.snapshot(t.throws(() => buildHashMapping({ ...DEFAULT_PARAMS, padCompressed: 98627 }))?.message);
  t.snapshot(t.throws(() => buildHashMapping({ ...DEFAULT_PARAMS, compressedVocabSize: 0 }))?.message);
  t.snapshot(t.throws(() => buildHashMapping({ ...DEFAULT_PARAMS, layerIds: [] }))?.message);
  t.snapshot(t.throws(() => buildHashMapping({ ...DEFAULT_PARAMS, layerIds: [1, -2] }))?.message);
  t.snapshot(t.throws(() => buildHashMapping({ ...DEFAULT_PARAMS, seed: -1 }))?.message);
  t.snapshot(t.throws(() => buildHashMapping({ ...DEFAULT_PARAMS, engramVocabSize: [2 ** 31, 646400] }))?.message);
});
