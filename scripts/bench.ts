// Micro-benchmarks of the project's hot paths (`npm run bench [name-filter]`), one named case per entry.
// Each case reports its own throughput lines; inputs come from seeded generators, so runs are comparable.
import { readFileSync } from 'node:fs';
import { Rng } from '../src/core/index.ts';
import { createMemoryDevice, resolveMemoryPreset, simulate, type RequestStream, type TraceRecord } from '../src/memory/index.ts';
import { buildHashMapping, hashBatch, hashBatchReference, type HashMapping, type HashMappingParams } from '../src/model/index.ts';
import { EXACT_ACCUMULATION, PER_TENSOR_LAYOUT, encodeArray, gemmFp8, hopperAccumulation, quantizeMatrix } from '../src/fp8/index.ts';

interface BenchCase {
  name: string;
  description: string;
  run: () => string[];
}

/** Wall time of `fn` in seconds: one warm-up call, then the median of `reps` calls. */
function timeMedianS(fn: () => void, reps: number): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function formatRate(perS: number): string {
  return `${(perS / 1e6).toFixed(1)} M/s`;
}

// engram-spec.md §1 demo configuration; V' = 98,627 is the compressed DeepSeek-V3 vocabulary (§2.6).
const DEMO_HASH: HashMappingParams = {
  layerIds: [1, 15],
  maxNgramSize: 3,
  nHeadPerNgram: 8,
  engramVocabSize: [646400, 646400],
  seed: 0,
  compressedVocabSize: 98627,
  padCompressed: 2,
};

function randomBatch(seed: string, sequences: number, tokens: number, vocab: number): Int32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: sequences }, () => Int32Array.from({ length: tokens }, () => rng.nextInt(vocab)));
}

function headIndices(mapping: HashMapping, batch: readonly Int32Array[]): number {
  const perToken = (mapping.maxNgramSize - 1) * mapping.nHeadPerNgram * mapping.layers.length;
  return batch.reduce((sum, seq) => sum + seq.length * perToken, 0);
}

function sameResult(a: Map<number, Int32Array[]>, b: Map<number, Int32Array[]>): boolean {
  return [...a].every(([layer, seqs]) => seqs.every((seq, i) => seq.every((v, j) => v === b.get(layer)![i]![j])));
}

const BATCH_SEQUENCES = 512;
const BATCH_TOKENS = 1024;
/** The BigInt baseline is ~50x slower, so it runs on a slice of the batch and is extrapolated per index. */
const BASELINE_SEQUENCES = 16;

const hashCase: BenchCase = {
  name: 'ngram-hash',
  description: `n-gram hash, ${BATCH_SEQUENCES} x ${BATCH_TOKENS} tokens, layers [${DEMO_HASH.layerIds.join(', ')}], N=${DEMO_HASH.maxNgramSize}, ${DEMO_HASH.nHeadPerNgram} heads/order`,
  run: () => {
    const mapping = buildHashMapping(DEMO_HASH);
    const batch = randomBatch('bench:ngram-hash', BATCH_SEQUENCES, BATCH_TOKENS, DEMO_HASH.compressedVocabSize);
    const subset = batch.slice(0, BASELINE_SEQUENCES);
    const fastS = timeMedianS(() => hashBatch(mapping, batch), 5);
    const baselineS = timeMedianS(() => hashBatchReference(mapping, subset), 3);
    const fastRate = headIndices(mapping, batch) / fastS;
    const baselineRate = headIndices(mapping, subset) / baselineS;
    const equal = sameResult(hashBatch(mapping, subset), hashBatchReference(mapping, subset));
    return [
      `fast path (32-bit limbs):  ${formatRate(fastRate)} head indices (${headIndices(mapping, batch)} in ${(fastS * 1e3).toFixed(0)} ms, median of 5)`,
      `BigInt baseline:           ${formatRate(baselineRate)} head indices (measured on ${BASELINE_SEQUENCES} of ${BATCH_SEQUENCES} sequences, extrapolated per index)`,
      `speed-up:                  ${(fastRate / baselineRate).toFixed(1)}x`,
      `fast == baseline on the measured slice: ${equal ? 'yes' : 'NO'}`,
    ];
  },
};

const FP8_GEMM = { m: 64, n: 64, k: 4096 } as const;

const fp8GemmCase: BenchCase = {
  name: 'fp8-gemm',
  description: `FP8 GEMM emulation (src/fp8), E4M3 per-tensor, M=${FP8_GEMM.m} N=${FP8_GEMM.n} K=${FP8_GEMM.k}, N(0,1) inputs`,
  run: () => {
    const { m, n, k } = FP8_GEMM;
    const rng = new Rng('bench:fp8-gemm');
    const a = Float32Array.from({ length: m * k }, () => rng.nextNormal());
    const b = Float32Array.from({ length: n * k }, () => rng.nextNormal());
    const scheme = { format: 'e4m3', layout: PER_TENSOR_LAYOUT, scaleEncoding: 'float32' } as const;
    const qa = quantizeMatrix(a, m, k, scheme);
    const qb = quantizeMatrix(b, n, k, scheme);
    const modes = [
      ['hopper, promotion every 128', hopperAccumulation(128)],
      ['hopper, no promotion', hopperAccumulation(Infinity)],
      ['exact float32', EXACT_ACCUMULATION],
    ] as const;
    const lines = modes.map(([label, accumulation]) => {
      const s = timeMedianS(() => gemmFp8(qa, qb, { accumulation }), 3);
      return `${`${label}:`.padEnd(30)} ${formatRate((m * n * k) / s)} multiply-accumulates (${(s * 1e3).toFixed(0)} ms, median of 3)`;
    });
    const codes = new Uint8Array(a.length);
    const encodeS = timeMedianS(() => encodeArray('e4m3', a, 'saturate', codes), 3);
    lines.push(`${'encodeArray e4m3:'.padEnd(30)} ${formatRate(a.length / encodeS)} values`);
    return lines;
  },
};

const MEMORY_REQUESTS = 1_000_000;

/** Random aligned 64-byte reads over the whole device, drawn before timing so the case measures the simulator. */
class RandomGather implements RequestStream {
  private i = 0;
  constructor(private readonly addrs: Float64Array) {}
  next(into: TraceRecord): boolean {
    if (this.i >= this.addrs.length) return false;
    into.addr = this.addrs[this.i++]!;
    into.isWrite = false;
    into.sizeBytes = 64;
    into.cycle = 0;
    into.batch = 0;
    return true;
  }
}

const memoryCase: BenchCase = {
  name: 'memory-hbm2-random-gather',
  description: `cycle-level DRAM model (src/memory), hbm2-2000, ${MEMORY_REQUESTS} random 64-byte reads, queues kept full (DRAMsim3/Ramulator: 0.1-0.6 M/s)`,
  run: () => {
    const presetDir = new URL('../targets/memory/', import.meta.url);
    const preset = resolveMemoryPreset('hbm2-2000', (name) => {
      const file = new URL(`${name}.json`, presetDir);
      return { data: JSON.parse(readFileSync(file, 'utf8')) as unknown, file: file.pathname };
    });
    const rng = new Rng('bench:memory-hbm2-random-gather');
    const lines = Math.min(preset.capacityBytes / 64, 2 ** 32);
    const addrs = Float64Array.from({ length: MEMORY_REQUESTS }, () => rng.nextInt(lines) * 64);
    let last = simulate(createMemoryDevice(preset, { mergeDuplicates: 'off' }), new RandomGather(addrs), { mode: 'timed', window: Infinity });
    const s = timeMedianS(() => {
      last = simulate(createMemoryDevice(preset, { mergeDuplicates: 'off' }), new RandomGather(addrs), { mode: 'timed', window: Infinity });
    }, 3);
    return [
      `simulated requests: ${formatRate(MEMORY_REQUESTS / s)} per wall second (${(s * 1e3).toFixed(0)} ms, median of 3)`,
      `simulated device:   ${last.bandwidthGBps.toFixed(1)} GB/s of ${last.peakBandwidthGBps} GB/s peak, mean latency ${last.latencyNs.mean.toFixed(1)} ns, p99 ${last.latencyNs.p99.toFixed(1)} ns`,
    ];
  },
};

const CASES: readonly BenchCase[] = [hashCase, fp8GemmCase, memoryCase];

const filter = process.argv[2];
const selected = CASES.filter((c) => filter === undefined || c.name.includes(filter));
if (selected.length === 0) {
  console.error(`bench: no case matches ${JSON.stringify(filter)}; cases: ${CASES.map((c) => c.name).join(', ')}`);
  process.exitCode = 2;
}
console.log(`node ${process.version}, ${process.arch}; one core, single-threaded`);
for (const c of selected) {
  console.log(`\n[${c.name}] ${c.description}`);
  for (const line of c.run()) console.log(`  ${line}`);
}
