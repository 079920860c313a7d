// `npm run test:long` (not part of `npm test`: *.long.ts files match no ava glob and run only when named):
// 1,048,576 seeded random tokens per case through the WebAssembly unit in 64 Ki-token runs, every vector
// bit-exact against the functional model and every handshake cycle-exact against the cycle model.
import { CosimSession, describeMismatch, openDut, randomTokenStream, singleTokenLatencyCycles, sliceStream } from '../../src/cosim/index.ts';
import { gatedTest } from '../helpers/toolGate.ts';
import { WASM_MISSING, env, expectedFor, layerOf, namedCase, seedFor, tinyPrimeCase, titled, type CosimCase } from './fixtures.ts';

const TOKENS = 1 << 20;
const CHUNK = 1 << 16;
const wasmTest = gatedTest(WASM_MISSING);

async function longRun(c: CosimCase, seed: number, backpressure: number): Promise<{ mismatch: string | null; vectors: number; cycles: number }> {
  const { layer, table } = layerOf(c);
  const stream = randomTokenStream(seed, TOKENS, c.vocab, 256);
  const expected = expectedFor(c, layer, stream);
  const heads = layer.primes.length;
  const dut = await openDut({ backend: 'wasm' });
  let vectors = 0;
  let cycles = 0;
  try {
    const session = new CosimSession(dut);
    await session.begin(table, env(seed, {
      inputGapProb: backpressure, outputStallProb: backpressure, requestStallProb: backpressure, responseStallProb: backpressure, logRequests: false, memLatencyCycles: 31,
    }));
    for (let from = 0; from < TOKENS; from += CHUNK) {
      const to = Math.min(TOKENS, from + CHUNK);
      const r = await session.feed(sliceStream(stream, from, to), expected.subarray(from * heads, to * heads));
      vectors += r.run.produced;
      cycles += r.run.cycles;
      if (r.mismatch !== null) return { mismatch: describeMismatch(r.mismatch, seed), vectors, cycles };
    }
    return { mismatch: null, vectors, cycles };
  } finally {
    await dut.close();
  }
}

wasmTest(titled(`cosim: ${TOKENS} random tokens on demo layer 1 are bit-exact and cycle-exact when every channel stalls 10% of cycles`, WASM_MISSING), async (t) => {
  const r = await longRun(namedCase('demo'), seedFor(t.title), 0.1);
  t.deepEqual([r.mismatch, r.vectors], [null, TOKENS]);
});

wasmTest(titled(`cosim: ${TOKENS} random tokens on tiny primes are bit-exact and cycle-exact when memory answers at full rate`, WASM_MISSING), async (t) => {
  const r = await longRun(tinyPrimeCase(), seedFor(t.title), 0);
  t.deepEqual([r.mismatch, r.vectors], [null, TOKENS]);
  // At full rate 16 heads on 4 ports take 4 cycles a token; each run adds one token's latency (plus the
  // cycle in which its vector is taken) to its last token.
  let expectedCycles = 0;
  for (let from = 0; from < TOKENS; from += CHUNK) expectedCycles += 4 * (Math.min(CHUNK, TOKENS - from) - 1) + singleTokenLatencyCycles(16, 4, 31) + 1;
  t.is(r.cycles, expectedCycles);
});
