// Benchmark of the SystemC model (issue 8): simulated time and cycles per wall second for the WebAssembly
// and native builds side by side, on the row workload the cross-check uses (the paper's placement) and on
// tokens through the Verilated hash/gather unit, with the TypeScript model on the same rows as the baseline.
import { readFileSync } from 'node:fs';
import {
  DEFAULT_UNIT_PARAMS, buildSystemc, configWrites, missingSystemcTools, randomTokenStream, runSystemc, runTypescriptModel, systemcInput,
  type SystemcBackend, type SystemcRowWorkload,
} from '../../src/cosim/index.ts';
import { resolveMemorySystem, zipfBatches, type PresetLoader } from '../../src/memory/index.ts';
import { buildHashMapping } from '../../src/model/index.ts';
import { resolveTarget, type ResolvedGpuTarget } from '../../src/spec/index.ts';

const load: PresetLoader = (name) => {
  const file = new URL(`../../targets/memory/${name}.json`, import.meta.url);
  return { data: JSON.parse(readFileSync(file, 'utf8')), file: file.pathname };
};

export async function systemcBench(): Promise<string[]> {
  const backends = (['native', 'wasm'] as const).filter((b) => missingSystemcTools(b) === null);
  if (backends.length === 0) return [`skipped: ${missingSystemcTools('native')}; ${missingSystemcTools('wasm')}`];
  const targetFile = new URL('../../targets/h800-sxm.json', import.meta.url);
  const target = resolveTarget(JSON.parse(readFileSync(targetFile, 'utf8')), targetFile.pathname) as ResolvedGpuTarget;
  const system = resolveMemorySystem(target, load, {});
  const tables = [Array.from({ length: 16 }, (_, h) => 7812521 + 2 * h)];
  const workload: SystemcRowWorkload = { kind: 'rows', rowBytes: 160, batches: [...zipfBatches({ tables, exponent: 0.8, batchTokens: 512, batches: 4, seed: 'bench' })] };
  const options = { mergeDuplicates: 'gather' as const, prefetchNs: 0 };
  const rowsInput = systemcInput(system, workload, options);
  const tsStart = process.hrtime.bigint();
  const ts = runTypescriptModel(system, workload, options);
  const tsS = Number(process.hrtime.bigint() - tsStart) / 1e9;
  const simulatedNs = ts.simulatedNs;
  const dramCycles = simulatedNs * 1000 / system.hostDram.tCkPs;
  const lines = [`rows: ${workload.batches.length} batches of 512 tokens (16 heads) on h800-sxm, ${(simulatedNs / 1000).toFixed(1)} us simulated, ${Math.round(dramCycles)} DRAM command-clock cycles`];
  lines.push(`  TypeScript model (baseline): ${tsS.toFixed(2)} s wall, ${(dramCycles / tsS / 1e6).toFixed(2)} M DRAM cycles/s`);
  const mapping = buildHashMapping({ layerIds: [1], maxNgramSize: 3, nHeadPerNgram: 8, engramVocabSize: [646400, 646400], seed: 0, compressedVocabSize: 98627, padCompressed: 2 });
  const layer = mapping.layers[0]!;
  const table = { multipliers: layer.multipliers, primes: layer.primes, rowOffsets: layer.rowOffsets, headsPerOrder: 8, padCompressed: 2, tableBase: 1n << 32n, rowBytes: 160 };
  const stream = randomTokenStream('bench-systemc', 4000, 98627, 128);
  const tokensInput = systemcInput(system, {
    kind: 'tokens', rowBytes: 160, ids: stream.ids, first: stream.first, batchTokens: 512, tableBaseBytes: 2 ** 32,
    cfgWrites: configWrites(DEFAULT_UNIT_PARAMS, table, DEFAULT_UNIT_PARAMS.ports), clockPs: 3333, dumpVectors: 0,
  }, options);
  const rtlLines: string[] = [];
  for (const backend of backends as SystemcBackend[]) {
    const dir = await buildSystemc(backend);
    await runSystemc(backend, dir, rowsInput);  // warm-up (page cache, JIT of the wasm)
    const rows = await runSystemc(backend, dir, rowsInput);
    lines.push(`  SystemC ${backend.padEnd(6)}: ${rows.wallSeconds.toFixed(2)} s in the model, ${(dramCycles / rows.wallSeconds / 1e6).toFixed(2)} M DRAM cycles/s (${(tsS / rows.wallSeconds).toFixed(1)}x the TypeScript model), ${rows.deltaCycles} delta cycles`);
    const rtl = await runSystemc(backend, dir, tokensInput);
    if (rtl.mode === 'tokens') rtlLines.push(`  SystemC ${backend.padEnd(6)}: ${rtl.cycles} unit cycles in ${rtl.wallSeconds.toFixed(2)} s, ${(rtl.cycles / rtl.wallSeconds / 1e3).toFixed(1)} k unit cycles/s (${(rtl.wallSeconds * 1e6 / rtl.cycles).toFixed(1)} us per cycle)`);
  }
  return [...lines, 'tokens through the Verilated unit (4000 tokens, 300 MHz unit clock) into the same memory system:', ...rtlLines];
}
