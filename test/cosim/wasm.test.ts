// Co-simulation of the Verilog unit built to WebAssembly: bit-exact against the functional model,
// cycle-exact against the cycle model. Skipped, with the reason in the title, when Verilator or
// emscripten is not installed (CI installs both, scripts/install-tools.sh).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CosimSession, DEFAULT_UNIT_PARAMS, HEAD_FIELD, REG, WasmDut, configWrites, describeMismatch, fullRateTokensPerCycle, openDut,
  randomTokenStream, runPerCycle, singleTokenLatencyCycles, sliceStream, type EnvConfig, type TokenStream,
} from '../../src/cosim/index.ts';
import { gatedTest } from '../helpers/toolGate.ts';
import { WASM_MISSING, env, expectedFor, layerOf, namedCase, seedFor, tinyPrimeCase, titled, type CosimCase } from './fixtures.ts';
import { makeTempDir } from '../helpers/tempDir.ts';

const wasmTest = gatedTest(WASM_MISSING);

async function wasmDut(trace = false): Promise<WasmDut> {
  const dut = await openDut({ backend: 'wasm', trace });
  if (!(dut instanceof WasmDut)) throw new Error('expected the wasm backend');
  return dut;
}

/**
 * Streams `tokens` seeded tokens of every layer of `c` through a fresh unit and returns the first mismatch
 * (bit-exact against the model, cycle-exact against the cycle model) as a line naming the seed, or null.
 */
async function checkCase(c: CosimCase, seed: number, tokens: number, environment: EnvConfig, layers = c.mapping.layers.length): Promise<string | null> {
  const dut = await wasmDut();
  try {
    const session = new CosimSession(dut);
    for (let i = 0; i < layers; i++) {
      const { layer, table } = layerOf(c, i);
      const stream = randomTokenStream(seed, tokens, c.vocab, 40);
      await session.begin(table, environment);
      // Two chunks, so state carried from one run to the next is checked too.
      const half = Math.floor(tokens / 2);
      const expected = expectedFor(c, layer, stream);
      const heads = layer.primes.length;
      for (const [from, to] of [[0, half], [half, tokens]] as const) {
        const result = await session.feed(sliceStream(stream, from, to), expected.subarray(from * heads, to * heads));
        if (result.mismatch !== null) return `${c.name} layer ${layer.layerId}: ${describeMismatch(result.mismatch, seed)}`;
        if (result.run.produced !== to - from) return `${c.name} layer ${layer.layerId}: ${result.run.produced} of ${to - from} vectors (seed ${seed})`;
      }
    }
    return null;
  } finally {
    await dut.close();
  }
}

wasmTest(titled('cosim: demo layers 1 and 15 are bit-exact and cycle-exact when source, sink and every memory port stall at random', WASM_MISSING), async (t) => {
  const seed = seedFor(t.title);
  t.is(await checkCase(namedCase('demo'), seed, 3000, env(seed)), null);
});

wasmTest(titled('cosim: paper-27b layers 2 and 15 are bit-exact and cycle-exact when memory answers after one cycle', WASM_MISSING), async (t) => {
  const seed = seedFor(t.title);
  t.is(await checkCase(namedCase('paper-27b'), seed, 3000, env(seed, { memLatencyCycles: 1, inputGapProb: 0.05 })), null);
});

wasmTest(titled('cosim: tiny primes 2..53 are bit-exact and cycle-exact when responses are slow and sequences short', WASM_MISSING), async (t) => {
  const seed = seedFor(t.title);
  t.is(await checkCase(tinyPrimeCase(), seed, 3000, env(seed, { memLatencyCycles: 23, responseStallProb: 0.5 })), null);
});

wasmTest(titled('cosim: a 2-gram layer with 5 heads on 3 of 4 ports is exact when the active heads and ports are below the build', WASM_MISSING), async (t) => {
  const seed = seedFor(t.title);
  t.is(await checkCase(tinyPrimeCase(2, 5, 'two-gram-5'), seed, 3000, env(seed, { activePorts: 3, outputStallProb: 0.4 })), null);
});

wasmTest(titled('cosim: head 0 indices equal the worked example of engram-spec §3.7 when the demo sentence is streamed twice', WASM_MISSING), async (t) => {
  const demo = namedCase('demo');
  const { table } = layerOf(demo);
  // §3.7: compressed ids of "Only Alexander the Great could tame the horse Bucephalus." with BOS.
  const sentence = [0, 1134, 15695, 237, 2049, 1260, 85761, 237, 12071, 36, 9745, 20232, 290, 16];
  const ids = Uint32Array.from([...sentence, ...sentence]);
  const first = new Uint8Array(ids.length);
  first[0] = 1;
  first[sentence.length] = 1;
  const dut = await wasmDut();
  try {
    const session = new CosimSession(dut);
    await session.begin(table, env(1, { inputGapProb: 0, outputStallProb: 0, requestStallProb: 0, responseStallProb: 0 }));
    const { run } = await session.feed({ ids, first }, null);
    const head0 = (t0: number): [number, number] => [run.indices[t0 * 16]!, run.indices[t0 * 16 + 8]!];
    t.deepEqual([head0(0), head0(1), head0(2)], [[525894, 167317], [590896, 28226], [72209, 215899]]);
    // The first-of-sequence flag restarts the history with pad', so the repeat hashes identically.
    t.deepEqual(run.indices.slice(sentence.length * 16), run.indices.slice(0, sentence.length * 16));
  } finally {
    await dut.close();
  }
});

wasmTest(titled('cosim: a reset in mid-stream drops the tokens in flight and the restarted stream is exact', WASM_MISSING), async (t) => {
  const seed = seedFor(t.title);
  const demo = namedCase('demo');
  const { layer, table } = layerOf(demo, 1);
  const environment = env(seed);
  const dut = await wasmDut();
  try {
    const session = new CosimSession(dut);
    await session.begin(table, environment);
    const stream = randomTokenStream(seed, 1200, demo.vocab, 50);
    const expected = expectedFor(demo, layer, stream);
    // Cut the run while tokens are inside the unit; what came out must still be exact and on time.
    const cut = await session.feed(stream, expected, 2500);
    t.true(cut.run.consumed > cut.run.produced, `consumed ${cut.run.consumed}, produced ${cut.run.produced}`);
    t.is(cut.mismatch === null ? null : describeMismatch(cut.mismatch, seed), null);
    // Reset (session.begin) and stream a new sequence that does not start with a first flag: the unit
    // restarts its history after reset anyway.
    await session.begin(table, environment);
    const again = randomTokenStream(seed + 1, 800, demo.vocab, 50);
    const noFlag: TokenStream = { ids: again.ids, first: Uint8Array.from(again.first, (f, i) => (i === 0 ? 0 : f)) };
    const after = await session.feed(noFlag, expectedFor(demo, layer, again));
    t.is(after.mismatch === null ? null : describeMismatch(after.mismatch, seed), null);
    t.is(after.run.produced, 800);
  } finally {
    await dut.close();
  }
});

wasmTest(titled('cosim: RTL sustains min(1, ports / heads) tokens per cycle and a lone token the documented latency when memory never stalls', WASM_MISSING), async (t) => {
  const tiny = tinyPrimeCase();
  const { table } = layerOf(tiny);
  const dut = await wasmDut();
  try {
    const session = new CosimSession(dut);
    const noStall = { inputGapProb: 0, outputStallProb: 0, requestStallProb: 0, responseStallProb: 0, logRequests: false };
    for (const ports of [1, 3, 4]) {
      const heads = table.primes.length;
      const extra = heads * ports * 4;
      const cycles: number[] = [];
      for (const tokens of [300, 300 + extra]) {
        await session.begin(table, env(1, { ...noStall, activePorts: ports, memLatencyCycles: 2 }));
        cycles.push((await session.feed(randomTokenStream(ports, tokens, tiny.vocab, 64), null)).run.cycles);
      }
      t.is(cycles[1]! - cycles[0]!, extra / fullRateTokensPerCycle(ports, heads), `${ports} ports`);
      await session.begin(table, env(1, { ...noStall, activePorts: ports, memLatencyCycles: 11 }));
      const lone = await session.feed(randomTokenStream(ports, 1, tiny.vocab, 1), null);
      t.is(lone.run.outputCycles[0], singleTokenLatencyCycles(heads, ports, 11), `${ports} ports, one token`);
    }
  } finally {
    await dut.close();
  }
});

wasmTest(titled('cosim: per-cycle driving from TypeScript gives the batched run\'s vectors, cycles and requests', WASM_MISSING), async (t) => {
  const seed = seedFor(t.title);
  const demo = namedCase('demo');
  const { table } = layerOf(demo);
  const environment = env(seed);
  const stream = randomTokenStream(seed, 600, demo.vocab, 30);
  const runs = [];
  for (const perCycle of [false, true]) {
    const dut = await wasmDut();
    try {
      await dut.reset();
      await dut.writeRegs(configWrites(dut.params, table, environment.activePorts));
      await dut.setEnv(environment);
      runs.push(perCycle ? runPerCycle(dut, stream, environment) : dut.runSync(stream));
    } finally {
      await dut.close();
    }
  }
  const [batched, stepped] = runs as [NonNullable<(typeof runs)[0]>, NonNullable<(typeof runs)[0]>];
  t.is(stepped.produced, 600);
  t.is(stepped.cycles, batched.cycles);
  t.deepEqual(stepped.outputCycles, batched.outputCycles);
  t.deepEqual(stepped.indices, batched.indices);
  t.deepEqual(stepped.data, batched.data);
  t.deepEqual(stepped.requestLog, batched.requestLog);
});

wasmTest(titled('cosim: every head register reads back what was written and the identification registers describe the build', WASM_MISSING), async (t) => {
  const { table } = layerOf(namedCase('paper-27b'));
  const dut = await wasmDut();
  try {
    await dut.reset();
    const writes = configWrites(dut.params, table, 2);
    await dut.writeRegs(writes);
    const back: Array<[number, number]> = [];
    for (const [address] of writes) back.push([address, await dut.readReg(address)]);
    t.deepEqual(back, writes.map(([a, v]) => [a, v >>> 0]));
    t.is(await dut.readReg(REG.params0), 0x03080410);
    t.is(await dut.readReg(REG.headBase + 8 * 3 + HEAD_FIELD.order), 0);
    // Out-of-range counts are clamped: 0 heads reads back as 1, 99 ports as the build's 4.
    await dut.writeRegs([[REG.activeHeads, 0], [REG.activePorts, 99]]);
    t.deepEqual([await dut.readReg(REG.activeHeads), await dut.readReg(REG.activePorts)], [1, DEFAULT_UNIT_PARAMS.ports]);
    // Reset restores the counts to the build's maxima and keeps the table configuration.
    await dut.reset();
    t.deepEqual([await dut.readReg(REG.activeHeads), await dut.readReg(REG.headBase + HEAD_FIELD.prime)], [16, table.primes[0]]);
  } finally {
    await dut.close();
  }
});

wasmTest(titled('cosim: a VCD waveform of the unit\'s ports and state is written when a trace is requested', WASM_MISSING), async (t) => {
  const demo = namedCase('demo');
  const { layer, table } = layerOf(demo);
  const file = path.join(makeTempDir('engram-vcd-'), 'run.vcd');
  const dut = await wasmDut(true);
  try {
    t.true(dut.traceCapable);
    const session = new CosimSession(dut);
    await session.begin(table, env(3));
    await dut.openTrace(file);
    const stream = randomTokenStream(3, 40, demo.vocab, 10);
    const result = await session.feed(stream, expectedFor(demo, layer, stream));
    await dut.closeTrace();
    t.is(result.mismatch, null);
    t.true(existsSync(file));
    const vcd = readFileSync(file, 'utf8');
    for (const signal of ['clk_i', 'in_valid_i', 'mem_req_addr_o', 'vec_valid_o', 'valid_q']) t.true(vcd.includes(` ${signal} `), signal);
    t.regex(vcd, new RegExp(`\\n#${2 * result.run.cycles}`));
  } finally {
    await dut.close();
  }
});

wasmTest(titled('cosim: batches of growing and shrinking size on one unit are exact while the results are views of reused wasm buffers', WASM_MISSING), async (t) => {
  const seed = seedFor(t.title);
  const demo = namedCase('demo');
  const { layer, table } = layerOf(demo);
  const stream = randomTokenStream(seed, 1300, demo.vocab, 40);
  const expected = expectedFor(demo, layer, stream);
  const heads = layer.primes.length;
  const dut = await wasmDut();
  try {
    const session = new CosimSession(dut);
    await session.begin(table, env(seed));
    // 10, then 600 (the buffers grow), then 90 (reused), then 600 (grown once more or reused).
    let from = 0;
    const buffers: ArrayBufferLike[] = [];
    for (const size of [10, 600, 90, 600]) {
      const to = from + size;
      const result = await session.feed(sliceStream(stream, from, to), expected.subarray(from * heads, to * heads));
      t.is(result.mismatch, null, `tokens ${from}..${to}: ${result.mismatch === null ? '' : describeMismatch(result.mismatch, seed)}`);
      t.is(result.run.produced, size);
      buffers.push(result.run.data.buffer);
      from = to;
    }
    // No copy: the results lie in the wasm heap (one buffer unless the heap grew in between).
    t.true(buffers.every((b) => b.byteLength >= 16 * 2 ** 20));
  } finally {
    await dut.close();
  }
});
