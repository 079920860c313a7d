import test from 'ava';
import fc from 'fast-check';
import { SimError } from '../../src/core/index.ts';
import { barrettMu, barrettReduce, configWrites, DEFAULT_UNIT_PARAMS, HEAD_FIELD, REG } from '../../src/cosim/index.ts';
import { layerOf, namedCase, tinyPrimeCase } from './fixtures.ts';

const TWO_64 = 1n << 64n;

test('registerMap: Barrett reduction equals x mod p for 64-bit x when p is any prime the configurations use', (t) => {
  const primes = [...namedCase('demo').mapping.layers, ...namedCase('paper-40b').mapping.layers, ...tinyPrimeCase().mapping.layers].flatMap((l) => l.primes);
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: TWO_64 - 1n }), fc.constantFrom(...primes), (x, p) => barrettReduce(x, p) === x % BigInt(p)),
    { seed: 20261122, numRuns: 2000 },
  );
  t.is(primes.length, 16 * 2 + 16 * 2 + 16);
});

test('registerMap: Barrett reduction is exact at the edges of x and p when x is 0, 2^63-1 or 2^64-1', (t) => {
  for (const p of [2, 3, 5, 646403, 2 ** 31 - 1]) {
    for (const x of [0n, 1n, BigInt(p) - 1n, BigInt(p), (1n << 63n) - 1n, TWO_64 - 1n]) t.is(barrettReduce(x, p), x % BigInt(p), `x ${x} p ${p}`);
  }
  t.is(barrettMu(2), 1n << 63n);
});

test('registerMap: Barrett constant is refused when the prime is outside [2, 2^31)', (t) => {
  for (const bad of [1, 2 ** 31, 2.5]) t.throws(() => barrettMu(bad), { instanceOf: SimError, message: /prime: expected an integer in \[2, 2\^31\)/ });
});

test('registerMap: config writes place each head block at 0x100 + 8a in spec order when loading demo layer 1', (t) => {
  const { table } = layerOf(namedCase('demo'));
  const writes = new Map(configWrites(DEFAULT_UNIT_PARAMS, table, 4));
  t.is(writes.get(REG.activeHeads), 16);
  t.is(writes.get(REG.rowBytes), 256);
  for (let a = 0; a < 16; a++) {
    const base = REG.headBase + 8 * a;
    t.is(writes.get(base + HEAD_FIELD.prime), table.primes[a]);
    t.is(writes.get(base + HEAD_FIELD.order), Math.floor(a / 8));
    const mu = (BigInt(writes.get(base + HEAD_FIELD.muHi)!) << 32n) | BigInt(writes.get(base + HEAD_FIELD.muLo)!);
    t.is(mu, barrettMu(table.primes[a]!));
  }
});

test('registerMap: config writes are refused with the field named when the layer does not fit the unit', (t) => {
  const { table } = layerOf(namedCase('demo'));
  t.throws(() => configWrites(DEFAULT_UNIT_PARAMS, table, 5), { instanceOf: SimError, message: 'cosim config: activePorts: expected an integer in [1, 4] (PORTS), got 5' });
  t.throws(() => configWrites(DEFAULT_UNIT_PARAMS, { ...table, rowBytes: 4096 }, 4), { message: /rowBytes: expected an integer in \[1, 1024\] \(ROW_BYTES\), got 4096/ });
  t.throws(() => configWrites({ ...DEFAULT_UNIT_PARAMS, heads: 4 }, table, 4), { message: /headsPerOrder: expected an integer in \[1, 4\] \(HEADS\), got 8/ });
});
