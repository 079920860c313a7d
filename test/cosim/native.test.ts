// The native fallback (g++ build of the same harness, spawned over stdin/stdout): the same checks as the
// WebAssembly build on one configuration. Skipped, with the reason in the title, without Verilator or g++.
import { CosimSession, NativeDut, describeMismatch, openDut, randomTokenStream } from '../../src/cosim/index.ts';
import { gatedTest } from '../helpers/toolGate.ts';
import { NATIVE_MISSING, env, expectedFor, layerOf, namedCase, seedFor, titled } from './fixtures.ts';

const nativeTest = gatedTest(NATIVE_MISSING);

nativeTest(titled('cosim: the native harness is bit-exact and cycle-exact on demo layer 15 when every channel stalls at random', NATIVE_MISSING), async (t) => {
  const seed = seedFor(t.title);
  const demo = namedCase('demo');
  const { layer, table } = layerOf(demo, 1);
  const dut = await openDut({ backend: 'native' });
  try {
    t.true(dut instanceof NativeDut);
    const session = new CosimSession(dut);
    await session.begin(table, env(seed));
    const stream = randomTokenStream(seed, 2000, demo.vocab, 60);
    const result = await session.feed(stream, expectedFor(demo, layer, stream));
    t.is(result.mismatch === null ? null : describeMismatch(result.mismatch, seed), null);
    t.is(result.run.produced, 2000);
    t.is(result.run.requestLog.length, 2000 * 16 * 5);
  } finally {
    await dut.close();
  }
});
