// The SystemC model of the Engram memory system (sim/systemc/model) against the TypeScript model (src/memory)
// on the same batch workloads: mean batch gather time within 5% and identical request counts per tier; and
// the Verilated hash/gather unit inside the SystemC system, bit-exact against the functional model. Each
// cross-check logs both figures and the deviation. Without the tools the tests skip with the reason in the
// title; with CI set they fail instead.
import type { ExecutionContext } from 'ava';
import { missingFor, toolTest as gated } from './tools.ts';
import {
  DEFAULT_UNIT_PARAMS, buildSystemc, checkDumpedVectors, compareWithTypescript, configWrites, randomTokenStream, runSystemc, runTypescriptModel,
  streamSequences, systemcInput, unitHeads, vectorDigest,
  type SystemcBackend, type SystemcRowResult, type SystemcRowWorkload, type SystemcRunOptions, type SystemcTokenResult,
} from '../../src/cosim/index.ts';
import { resolveDramPreset, zipfBatches, type MemorySystemSpec, type ResolvedMemorySystem } from '../../src/memory/index.ts';
import { buildHashMapping, type HashMappingParams } from '../../src/model/index.ts';
import { expectedLayerIndices } from '../../src/cli/commands/cosim.ts';
import { h100System, loadPresetFile } from '../memory/systemHelpers.ts';

/** The acceptance bound of issue 8: batch gather time within 5%. */
const MAX_DEVIATION_PCT = 5;

const MISSING = { native: missingFor(['native']) };
const toolTest = (backend: SystemcBackend, title: string, body: (t: ExecutionContext) => Promise<void>): void => gated([backend], title, body);

const builds = new Map<SystemcBackend, Promise<string>>();
const built = (backend: SystemcBackend): Promise<string> => {
  if (!builds.has(backend)) builds.set(backend, buildSystemc(backend));
  return builds.get(backend)!;
};

/** Per layer the head tables of a paper-style layer: 16 heads of primes near 7.8 M rows (offload-100b scale). */
const TABLES = [[7812521, 7812523, 7812551, 7812553, 7812569, 7812577, 7812581, 7812583, 7812589, 7812599, 7812607, 7812631, 7812643, 7812647, 7812659, 7812661]];
const ROW_BYTES = 160;

function rows(seed: string, batches: number, exponent: number, batchTokens = 512): Uint32Array[] {
  return [...zipfBatches({ tables: TABLES, exponent, batchTokens, batches, seed })];
}

const OPTIONS: SystemcRunOptions = { mergeDuplicates: 'gather', prefetchNs: 0 };

async function crossCheck(t: ExecutionContext, backend: SystemcBackend, system: ResolvedMemorySystem, workload: SystemcRowWorkload, options = OPTIONS): Promise<void> {
  const dir = await built(backend);
  const sc = (await runSystemc(backend, dir, systemcInput(system, workload, options))) as SystemcRowResult;
  const c = compareWithTypescript(system, workload, options, sc);
  t.log(`SystemC ${c.systemc.gatherNs.mean.toFixed(1)} ns, TypeScript ${c.typescript.gatherNs.mean.toFixed(1)} ns per batch: ${c.deviationPct.toFixed(3)}% (p99 ${c.p99DeviationPct.toFixed(3)}%); counts ${c.requestCountsMatch ? 'identical' : c.firstCountMismatch}`);
  t.true(c.requestCountsMatch, c.firstCountMismatch ?? '');
  t.true(Math.abs(c.deviationPct) <= MAX_DEVIATION_PCT, `deviation ${c.deviationPct}% beyond ${MAX_DEVIATION_PCT}%`);
  // The link carries the same packets in both models: wire bytes are identical, not just close.
  t.deepEqual(c.systemc.links.map((l) => Math.round(l.wireBytes)), c.typescript.links.map((l) => Math.round(l.wireBytes)));
}

/** The h100-sxm system with its host DRAM replaced by `dram` (a DRAM-bound host). */
function withHostDram(dram: string, spec: MemorySystemSpec = {}): ResolvedMemorySystem {
  const base = h100System(spec);
  const hostDram = resolveDramPreset(dram, loadPresetFile);
  return { ...base, hostDram, tiers: base.tiers.map((tier) => (tier.kind === 'host-dram' ? { ...tier, name: hostDram.name } : tier)) };
}

for (const backend of ['native', 'wasm'] as const) {
  toolTest(backend, `${backend}: host DRAM over PCIe (the paper's placement): within 5% of the TypeScript model, same requests`, async (t) => {
    await crossCheck(t, backend, h100System(), { kind: 'rows', rowBytes: ROW_BYTES, batches: rows('host', 3, 0.8) });
  });
}

toolTest('native', 'native: host DRAM and CXL split by row range: within 5%, same requests per tier', async (t) => {
  const system = h100System({ tiers: [{ kind: 'host-dram', capacityBytes: 8e9 }, { kind: 'cxl', preset: 'cxl2-x16-asic' }] });
  await crossCheck(t, 'native', system, { kind: 'rows', rowBytes: ROW_BYTES, batches: rows('cxl', 3, 0.8) });
});

toolTest('native', 'native: CXL only, x8 expander: within 5%, same requests', async (t) => {
  const system = h100System({ tiers: [{ kind: 'cxl', preset: 'cxl2-x8-asic' }] });
  await crossCheck(t, 'native', system, { kind: 'rows', rowBytes: ROW_BYTES, batches: rows('cxl8', 2, 0.8) });
});

toolTest('native', 'native: NVMe with GPUDirect Storage behind host DRAM (pages, queue depth, flash, posted writes): within 5%, same requests', async (t) => {
  const system = h100System({ tiers: [{ kind: 'host-dram', capacityBytes: 8e9 }, { kind: 'nvme', preset: 'nvme-gen5', pageCacheBytes: 0, gds: true }] });
  await crossCheck(t, 'native', system, { kind: 'rows', rowBytes: ROW_BYTES, batches: rows('nvme', 2, 0.8) });
});

toolTest('native', 'native: the host page-cache NVMe path is refused with the field named', async (t) => {
  const system = h100System({ tiers: [{ kind: 'host-dram', capacityBytes: 8e9 }, { kind: 'nvme', preset: 'nvme-gen5', pageCacheBytes: 2 ** 30, gds: false }] });
  t.throws(() => systemcInput(system, { kind: 'rows', rowBytes: ROW_BYTES, batches: [] }, OPTIONS), { message: /system\.tiers\[1\]\.gds: the SystemC model reads NVMe with GPUDirect Storage only/ });
});

for (const policy of ['lru', 'lfu', 'static'] as const) {
  toolTest('native', `native: HBM hot-row cache (${policy}) in front of host DRAM: same hits per tier, within 5%`, async (t) => {
    const system = h100System({ hbmCache: { capacityBytes: 64 * 1024 * 1024, policy } });
    await crossCheck(t, 'native', system, { kind: 'rows', rowBytes: ROW_BYTES, batches: rows(`cache-${policy}`, 4, 1.1), profile: rows(`cache-${policy}/profile`, 4, 1.1) });
  });
}

for (const dram of ['ddr4-3200', 'ddr5-4800', 'hbm2-2000']) {
  toolTest('native', `native: DRAM-bound host (one ${dram}): the bank-level DRAM models agree within 5%`, async (t) => {
    await crossCheck(t, 'native', withHostDram(dram), { kind: 'rows', rowBytes: ROW_BYTES, batches: rows(dram, 2, 0.5, 1024) });
  });
}

toolTest('native', 'native: a prefetch window longer than the gather: the next batch waits for it in both models', async (t) => {
  const options = { mergeDuplicates: 'off' as const, prefetchNs: 60_000 };
  const workload: SystemcRowWorkload = { kind: 'rows', rowBytes: ROW_BYTES, batches: rows('prefetch', 3, 0.8) };
  const dir = await built('native');
  const sc = (await runSystemc('native', dir, systemcInput(h100System(), workload, options))) as SystemcRowResult;
  // Three batches, each starting 60 us after the previous (the gather takes less): the last ends after 120 us.
  t.true(sc.simulatedPs >= 120_000_000 + sc.gatherPs[2]! - 1, `simulated ${sc.simulatedPs} ps`);
  t.true(sc.exposedPs.every((e) => e === 0), 'no exposed time with a window longer than the gather');
  await crossCheck(t, 'native', h100System(), workload, options);
});

toolTest('native', 'native: a bad input is one error naming the key', async (t) => {
  const dir = await built('native');
  const text = systemcInput(h100System(), { kind: 'rows', rowBytes: ROW_BYTES, batches: rows('bad', 1, 0.8, 4) }, OPTIONS).replace(/^pcie\.requester\.tags=.*$/m, 'pcie.requester.tags=many');
  const error = await t.throwsAsync(runSystemc('native', dir, text));
  t.regex(error.message, /pcie\.requester\.tags: expected a finite number, got 'many'/);
});

toolTest('wasm', 'wasm: a bad input is one error naming the key, and wasm equals native on the same input', async (t) => {
  const text = systemcInput(h100System({ tiers: [{ kind: 'host-dram', capacityBytes: 8e9 }, { kind: 'cxl', preset: 'cxl2-x16-asic' }] }), { kind: 'rows', rowBytes: ROW_BYTES, batches: rows('same', 2, 0.8) }, OPTIONS);
  const error = await t.throwsAsync(runSystemc('wasm', await built('wasm'), text.replace(/^rowBytes=.*$/m, 'rowBytes=0')));
  t.regex(error.message, /rowBytes: expected an integer in \[1, 1048576\], got '0'/);
  if (MISSING.native !== null) return;
  const [a, b] = await Promise.all([runSystemc('wasm', await built('wasm'), text), runSystemc('native', await built('native'), text)]);
  const strip = ({ wallSeconds: _w, ...rest }: SystemcRowResult): object => rest;
  t.deepEqual(strip(a as SystemcRowResult), strip(b as SystemcRowResult));
});

// The unit with the spec's §1 demo hash parameters over a small vocabulary, rows of 160 bytes.
const DEMO: HashMappingParams = { layerIds: [1], maxNgramSize: 3, nHeadPerNgram: 8, engramVocabSize: [646400, 646400], seed: 0, compressedVocabSize: 98627, padCompressed: 2 };

for (const backend of ['native', 'wasm'] as const) {
  toolTest(backend, `${backend}: tokens through the Verilated unit inside the SystemC system: vectors bit-exact, requests per tier as the rows imply`, async (t) => {
    const mapping = buildHashMapping(DEMO);
    const layer = mapping.layers[0]!;
    const table = { multipliers: layer.multipliers, primes: layer.primes, rowOffsets: layer.rowOffsets, headsPerOrder: 8, padCompressed: 2, tableBase: 1n << 32n, rowBytes: ROW_BYTES };
    const tokens = 3000;
    const stream = randomTokenStream(`systemc-test:${backend}`, tokens, DEMO.compressedVocabSize, 64);
    const expected = expectedLayerIndices(mapping, 1, streamSequences(stream), tokens);
    // Rows of the first 5 heads' tables in host DRAM, the rest on CXL; an LRU HBM cache in front.
    const hostRows = layer.rowOffsets[5]!;
    const system = h100System({ hbmCache: { capacityBytes: 1024 * ROW_BYTES, policy: 'lru' }, tiers: [{ kind: 'host-dram', capacityBytes: hostRows * ROW_BYTES }, { kind: 'cxl', preset: 'cxl2-x16-asic' }] });
    const workload = {
      kind: 'tokens' as const, rowBytes: ROW_BYTES, ids: stream.ids, first: stream.first, batchTokens: 512, tableBaseBytes: 2 ** 32,
      cfgWrites: configWrites(DEFAULT_UNIT_PARAMS, table, DEFAULT_UNIT_PARAMS.ports), clockPs: 3333, dumpVectors: 1000,
    };
    const sc = (await runSystemc(backend, await built(backend), systemcInput(system, workload, OPTIONS))) as SystemcTokenResult;
    t.is(sc.produced, tokens);
    t.is(sc.requests, tokens * 16);
    t.is(checkDumpedVectors(table, unitHeads(DEFAULT_UNIT_PARAMS), 2, expected, sc), null);
    t.is(sc.vectorDigest, vectorDigest(table, unitHeads(DEFAULT_UNIT_PARAMS), 2, expected, tokens));
    // Every request is one row; the same rows through the TypeScript hierarchy (no merging: the unit reads
    // once per head) land on the same tiers, the LRU cache included.
    const batches: Uint32Array[] = [];
    for (let from = 0; from < tokens; from += workload.batchTokens) {
      const n = Math.min(tokens, from + workload.batchTokens) - from;
      batches.push(Uint32Array.from({ length: n * 16 }, (_, i) => layer.rowOffsets[i % 16]! + expected[from * 16 + i]!));
    }
    const ts = runTypescriptModel(system, { kind: 'rows', rowBytes: ROW_BYTES, batches }, { mergeDuplicates: 'off', prefetchNs: 0 });
    t.deepEqual(sc.tiers.map((x) => [x.lookups, x.fetches]), ts.tiers.map((x) => [x.lookups, x.fetches]));
    t.true(sc.tiers[0]!.fetches > 0 && sc.tiers[1]!.fetches > 0 && sc.tiers[2]!.fetches > 0, 'cache, host DRAM and CXL all serve rows');
    t.log(`${sc.cycles} unit cycles (${(sc.produced / sc.cycles).toFixed(3)} tokens/cycle), ${sc.wallSeconds.toFixed(2)} s wall`);
  });
}
