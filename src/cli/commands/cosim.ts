// `engram-dse cosim`: streams seeded random tokens through the Verilog hash/gather unit (rtl/, simulated by
// Verilator as WebAssembly or a native harness) and checks every vector bit for bit against the functional
// model (src/model) and every handshake cycle for cycle against the cycle model (src/cosim).
import type { Command } from 'commander';
import path from 'node:path';
import { showValue } from '../../core/index.ts';
import {
  CosimSession, DEFAULT_UNIT_PARAMS, describeMismatch, fullRateTokensPerCycle, openDut, randomTokenStream, sliceStream, streamSequences,
  type DutBackend, type EnvConfig, type LayerTableConfig, type Mismatch, type UnitParams,
} from '../../cosim/index.ts';
import { buildHashMapping, hashBatch, hashMappingParams, type HashMapping, type LayerHashMapping } from '../../model/index.ts';
import type { EngramConfig } from '../../spec/index.ts';
import { loadConfig } from '../configs.ts';
import { CliExit, type CliIo } from '../context.ts';
import { parseIntOption, UsageError } from '../parse.ts';
import { resolveTokenizer } from '../tokenizerSource.ts';

/** Tokens per harness call: bounds the output buffers (about 200 bytes per token) and the check latency. */
const CHUNK_TOKENS = 65536;
const MAX_BACKPRESSURE = 0.95;

interface CosimOptions {
  config: string;
  layer?: number;
  tokens: number;
  seed: number;
  ports: number;
  memLatency: number;
  backpressure: number;
  sequenceLength: number;
  backend: string;
  vcd?: string;
  json?: boolean;
}

function parseProbability(option: string, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > max) {
      throw new UsageError(`${option}: expected a probability in [0, ${max}], got ${showValue(text)}`);
    }
    return value;
  };
}

/** The unit's build parameters for a configuration: the defaults, widened where the layer needs more. */
export function unitParamsFor(config: EngramConfig, ports: number, compressedVocabSize: number): UnitParams {
  const idBits = Math.max(DEFAULT_UNIT_PARAMS.idBits, Math.ceil(Math.log2(compressedVocabSize)));
  const rowBytes = config.derived.headDim * config.engram.tableBytesPerValue;
  return Object.freeze({
    ...DEFAULT_UNIT_PARAMS,
    maxN: Math.max(DEFAULT_UNIT_PARAMS.maxN, config.engram.maxNgramSize),
    heads: Math.max(DEFAULT_UNIT_PARAMS.heads, config.engram.nHeadPerNgram),
    ports: Math.max(DEFAULT_UNIT_PARAMS.ports, ports),
    idBits,
    rowBytesMax: Math.max(DEFAULT_UNIT_PARAMS.rowBytesMax, rowBytes),
  });
}

/**
 * The unit's view of one layer: its hash constants plus where its table sits. Each layer's table is placed
 * at 2^32 · (its position in layerIds + 1), so addresses use both 32-bit halves.
 */
export function layerTableConfig(config: EngramConfig, mapping: HashMapping, layer: LayerHashMapping): LayerTableConfig {
  const position = mapping.layers.indexOf(layer);
  return {
    multipliers: layer.multipliers,
    primes: layer.primes,
    rowOffsets: layer.rowOffsets,
    headsPerOrder: mapping.nHeadPerNgram,
    padCompressed: mapping.padCompressed,
    tableBase: BigInt(position + 1) << 32n,
    rowBytes: config.derived.headDim * config.engram.tableBytesPerValue,
  };
}

/** Head indices of one layer for a stream, [token][head], from the functional model. */
export function expectedLayerIndices(mapping: HashMapping, layerId: number, sequences: Int32Array[], tokens: number): Int32Array {
  const perSequence = hashBatch(mapping, sequences).get(layerId)!;
  const heads = (mapping.maxNgramSize - 1) * mapping.nHeadPerNgram;
  const out = new Int32Array(tokens * heads);
  let at = 0;
  for (const seq of perSequence) {
    out.set(seq, at);
    at += seq.length;
  }
  return out;
}

export function register(program: Command, io: CliIo): void {
  program
    .command('cosim')
    .description('co-simulate the Verilog hash/gather unit: vectors bit-exact against the functional model, cycles exact against the cycle model')
    .option('--config <name|file>', 'Engram configuration (targets/configs) or a path to one', 'demo')
    .option('--layer <id>', 'Engram layer id to load into the unit (default: the first of the configuration)', parseIntOption('--layer', 0))
    .option('--tokens <n>', 'random tokens to stream', parseIntOption('--tokens', 1, 100_000_000), 100_000)
    .option('--seed <n>', 'seed of the token stream and of the back-pressure coins', parseIntOption('--seed', 0, 2 ** 32 - 1), 1)
    .option('--ports <n>', `memory ports (a build with more than ${DEFAULT_UNIT_PARAMS.ports} is made on first use)`, parseIntOption('--ports', 1, 64), DEFAULT_UNIT_PARAMS.ports)
    .option('--mem-latency <cycles>', 'cycles from a request being accepted to its response', parseIntOption('--mem-latency', 1, 1_000_000), 20)
    .option('--backpressure <p>', `probability that the source, the sink and each memory port's request and response channels stall in a cycle (0..${MAX_BACKPRESSURE})`, parseProbability('--backpressure', MAX_BACKPRESSURE), 0)
    .option('--sequence-length <n>', 'mean tokens per sequence (restarts with first-of-sequence at random)', parseIntOption('--sequence-length', 1), 128)
    .option('--backend <name>', 'wasm, native or auto (wasm when emscripten is installed)', 'auto')
    .option('--vcd <file>', 'write a VCD waveform of the run (a separate traced build; keep --tokens small)')
    .option('--json', 'machine-readable output')
    .action(async (opts: CosimOptions) => {
      if (!['wasm', 'native', 'auto'].includes(opts.backend)) throw new UsageError(`--backend: expected wasm, native or auto, got ${showValue(opts.backend)}`);
      const config = loadConfig(opts.config, io.cwd);
      const tokenizer = await resolveTokenizer({ tokenizer: config.tokenizer }, io);
      const vocab = tokenizer.table.compressedVocabSize;
      const mapping = buildHashMapping(hashMappingParams(config, vocab, tokenizer.table.lookup[config.engram.padId]!));
      const layerId = opts.layer ?? config.engram.layerIds[0]!;
      const layer = mapping.layers.find((l) => l.layerId === layerId);
      if (layer === undefined) throw new UsageError(`--layer: expected one of the configuration's layers ${config.engram.layerIds.join(', ')}, got ${layerId}`);
      const params = unitParamsFor(config, opts.ports, vocab);
      const table = layerTableConfig(config, mapping, layer);
      const heads = layer.primes.length;
      const env: EnvConfig = {
        seed: opts.seed, memLatencyCycles: opts.memLatency, activePorts: opts.ports, inputGapProb: opts.backpressure, outputStallProb: opts.backpressure,
        requestStallProb: opts.backpressure, responseStallProb: opts.backpressure, logRequests: false,
      };

      const stream = randomTokenStream(`cosim:${opts.seed}`, opts.tokens, vocab, opts.sequenceLength);
      const expected = expectedLayerIndices(mapping, layerId, streamSequences(stream), opts.tokens);

      const dut = await openDut({ backend: opts.backend as DutBackend | 'auto', params, trace: opts.vcd !== undefined });
      let cycles = 0;
      let predictedCycles = 0;
      let dutMs = 0;
      let vectors = 0;
      let mismatch: Mismatch | null = null;
      try {
        const session = new CosimSession(dut);
        await session.begin(table, env);
        if (opts.vcd !== undefined) await dut.openTrace(path.resolve(io.cwd, opts.vcd));
        for (let from = 0; from < opts.tokens && mismatch === null; from += CHUNK_TOKENS) {
          const to = Math.min(opts.tokens, from + CHUNK_TOKENS);
          const chunk = await session.feed(sliceStream(stream, from, to), expected.subarray(from * heads, to * heads));
          cycles += chunk.run.cycles;
          predictedCycles += chunk.predicted.cycles;
          dutMs += chunk.dutMs;
          vectors += chunk.run.produced;
          mismatch = chunk.mismatch;
        }
        if (opts.vcd !== undefined) await dut.closeTrace();
      } finally {
        await dut.close();
      }

      const report = {
        config: config.name, layer: layerId, backend: dut.backend, params, tokens: opts.tokens, seed: opts.seed, ports: opts.ports,
        memLatencyCycles: opts.memLatency, backpressure: opts.backpressure, heads, vectors, cycles, predictedCycles,
        tokensPerCycle: vectors / cycles, fullRateTokensPerCycle: fullRateTokensPerCycle(opts.ports, heads),
        cyclesPerSecond: cycles / (dutMs / 1e3), simSeconds: dutMs / 1e3,
        mismatch: mismatch === null ? null : describeMismatch(mismatch, opts.seed),
        ...(opts.vcd === undefined ? {} : { vcd: opts.vcd }),
      };
      if (opts.json === true) io.out(`${JSON.stringify(report)}\n`);
      else io.out(humanReport(report));
      if (mismatch !== null) throw new CliExit(1);
    });
}

function humanReport(r: {
  config: string; layer: number; backend: string; params: UnitParams; tokens: number; seed: number; ports: number; memLatencyCycles: number;
  backpressure: number; heads: number; vectors: number; cycles: number; predictedCycles: number; tokensPerCycle: number; fullRateTokensPerCycle: number;
  cyclesPerSecond: number; simSeconds: number; mismatch: string | null; vcd?: string;
}): string {
  const p = r.params;
  const lines = [
    `cosim ${r.config} layer ${r.layer}: ${r.tokens} tokens, seed ${r.seed}, ${r.ports} ports, memory latency ${r.memLatencyCycles} cycles, back-pressure ${r.backpressure}`,
    `  unit            MAX_N ${p.maxN}, ${p.heads} heads/order, ${p.ports} ports, depth ${p.depth}, DATA_W ${p.dataBits} (${r.backend})`,
    `  vectors         ${r.vectors} of ${r.tokens}, ${r.heads} heads each`,
    `  cycles          ${r.cycles} (cycle model ${r.predictedCycles}${r.cycles === r.predictedCycles ? ', exact' : ', DIFFERENT'})`,
    `  tokens/cycle    ${r.tokensPerCycle.toFixed(4)} (full-rate bound min(1, ${r.ports}/${r.heads}) = ${r.fullRateTokensPerCycle.toFixed(4)})`,
    `  check           ${r.mismatch === null ? 'bit-exact indices, addresses and gathered data; every handshake as the cycle model predicts' : `first mismatch: ${r.mismatch}`}`,
    `  speed           ${(r.cyclesPerSecond / 1e6).toFixed(2)} M cycles/s (batched ${r.backend}, ${r.simSeconds.toFixed(2)} s simulated)`,
  ];
  if (r.vcd !== undefined) lines.push(`  waveform        ${r.vcd}`);
  return `${lines.join('\n')}\n`;
}
