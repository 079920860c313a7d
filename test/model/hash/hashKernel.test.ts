import test from 'ava';
import fc from 'fast-check';
import { hashString64 } from '../../../src/core/index.ts';
import { buildLayerKernel, hashSequenceInto } from '../../../src/model/hash/hashKernel.ts';
import { hashBatchReference, type HashMapping, type LayerHashMapping } from '../../../src/model/index.ts';

/** A per-test fast-check seed derived from the title, so runs replay (style.md convention 11). */
function seedFor(title: string): number {
  return Number(hashString64(title) & 0x7fffffffn);
}

/** A hand-built single-layer mapping: the kernel must be exact for any multipliers and moduli, not only primes. */
function handMapping(multipliers: bigint[], moduli: number[], nHeadPerNgram: number, padCompressed: number): HashMapping {
  const layer: LayerHashMapping = { layerId: 0, multipliers, primes: moduli, rowOffsets: [], totalRows: 0 };
  return { maxNgramSize: multipliers.length, nHeadPerNgram, compressedVocabSize: 2 ** 31, padCompressed, layers: [layer] };
}

function kernelHash(mapping: HashMapping, ids: Int32Array): Int32Array {
  const layer = mapping.layers[0]!;
  const out = new Int32Array(ids.length * layer.primes.length);
  hashSequenceInto(buildLayerKernel(layer, mapping.nHeadPerNgram), ids, mapping.padCompressed, out);
  return out;
}

const EXTREME_IDS = Int32Array.from([-(2 ** 31), 2 ** 31 - 1, -1, 0, 1, 65535, 65536, -65536, 2 ** 31 - 1, -(2 ** 31)]);
const EXTREME_MULTIPLIERS = [2n ** 63n - 1n, 2n ** 64n - 1n, 0x8000000000000001n, 0xffffffffn, 0x100000000n, 1n];

test('hashKernel: equals the BigInt reference at the extremes of ids, multipliers and moduli up to 2^31', (t) => {
  const moduli = [2 ** 31 - 1, 2147483629, 2, 3, 65537, 2 ** 31 - 5, 1000003, 7, 11, 13];
  const mapping = handMapping(EXTREME_MULTIPLIERS, moduli, 2, -7);
  t.false(buildLayerKernel(mapping.layers[0]!, 2).narrow);
  t.deepEqual(kernelHash(mapping, EXTREME_IDS), hashBatchReference(mapping, [EXTREME_IDS]).get(0)![0]);
});

test('hashKernel: equals the BigInt reference at the extremes when every modulus is below 2^21', (t) => {
  const moduli = [2 ** 21 - 1, 2 ** 21 - 9, 1, 2, 3, 646403, 65537, 2 ** 20 + 7, 11, 13];
  const mapping = handMapping(EXTREME_MULTIPLIERS, moduli, 2, 2 ** 31 - 1);
  t.true(buildLayerKernel(mapping.layers[0]!, 2).narrow);
  t.deepEqual(kernelHash(mapping, EXTREME_IDS), hashBatchReference(mapping, [EXTREME_IDS]).get(0)![0]);
});

test('hashKernel: equals the BigInt reference for random 64-bit multipliers, moduli and int32 ids', (t) => {
  const arb = fc.record({
    order: fc.integer({ min: 2, max: 5 }),
    heads: fc.integer({ min: 1, max: 3 }),
    seedMultipliers: fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { minLength: 5, maxLength: 5 }),
    // Half the cases keep every modulus below 2^21, which selects the narrow reduction.
    seedModuli: fc.oneof(
      fc.array(fc.integer({ min: 1, max: 2 ** 31 - 1 }), { minLength: 12, maxLength: 12 }),
      fc.array(fc.integer({ min: 1, max: 2 ** 21 - 1 }), { minLength: 12, maxLength: 12 }),
    ),
    ids: fc.array(fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -3, max: 200_000 })), { maxLength: 24 }),
    pad: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  });
  const property = fc.property(arb, ({ order, heads, seedMultipliers, seedModuli, ids, pad }) => {
    const moduli = seedModuli.slice(0, (order - 1) * heads);
    const mapping = handMapping(seedMultipliers.slice(0, order), moduli, heads, pad);
    const input = Int32Array.from(ids);
    const expected = hashBatchReference(mapping, [input]).get(0)![0]!;
    const actual = kernelHash(mapping, input);
    return actual.length === expected.length && actual.every((v, i) => v === expected[i]);
  });
  t.notThrows(() => fc.assert(property, { numRuns: 400, seed: seedFor(t.title) }));
});

test('hashKernel: kernel constants hold the limbs of the multipliers and the residues of 2^48 and 2^32', (t) => {
  const kernel = buildLayerKernel(handMapping([0x123456789abcdef1n, -3n], [1000003, 2 ** 21], 2, 0).layers[0]!, 2);
  t.deepEqual([...kernel.multiplierHi], [0x12345678, 0xffffffff]);
  t.deepEqual([...kernel.multiplierLo], [0x9abcdef1, 0xfffffffd]);
  t.deepEqual([...kernel.headConstants.subarray(0, 4)], [1000003, Number(2n ** 48n % 1000003n), Number(2n ** 32n % 1000003n), 1 / 1000003]);
  // 2^21 itself is outside the narrow range.
  t.false(kernel.narrow);
});
