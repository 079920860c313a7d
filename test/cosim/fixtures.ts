// Shared fixtures of the co-simulation tests: the configurations the unit is checked on, the expected
// head indices from the functional model, and the environments (memory latency, back-pressure).
import { hashString64 } from '../../src/core/index.ts';
import { loadConfig } from '../../src/cli/configs.ts';
import { expectedLayerIndices, layerTableConfig } from '../../src/cli/commands/cosim.ts';
import { buildHashMapping, hashMappingParams, type HashMapping, type LayerHashMapping } from '../../src/model/index.ts';
import { resolveEngramConfig, type EngramConfig } from '../../src/spec/index.ts';
import { missingTools, streamSequences, type EnvConfig, type LayerTableConfig, type TokenStream } from '../../src/cosim/index.ts';

/** V' and pad' of the DeepSeek-V3 tokenizer (engram-spec.md §2.6 and §2.1: raw pad 2 maps to 2). */
export const DEEPSEEK_V3_COMPRESSED_VOCAB = 98627;
export const DEEPSEEK_V3_PAD_COMPRESSED = 2;

export interface CosimCase {
  readonly name: string;
  readonly config: EngramConfig;
  readonly mapping: HashMapping;
  readonly vocab: number;
}

/** A named configuration from targets/configs with the DeepSeek-V3 compressed vocabulary. */
export function namedCase(name: string): CosimCase {
  const config = loadConfig(name);
  const mapping = buildHashMapping(hashMappingParams(config, DEEPSEEK_V3_COMPRESSED_VOCAB, DEEPSEEK_V3_PAD_COMPRESSED));
  return { name, config, mapping, vocab: DEEPSEEK_V3_COMPRESSED_VOCAB };
}

/**
 * Tiny primes: prime-search starts of 2, so the heads reduce mod 2, 3, 5, 7, ... 53 (the Barrett constant
 * of p = 2 is 2^63, the edge of its range), over a 37-id vocabulary whose multipliers are near 2^62.
 */
export function tinyPrimeCase(maxNgramSize = 3, nHeadPerNgram = 8, name = 'tiny-prime'): CosimCase {
  const provenance = { source: 'test fixture: the smallest primes' };
  const config = resolveEngramConfig(
    {
      schemaVersion: 1, name, description: 'co-simulation fixture with the smallest primes', tokenizer: 'deepseek-v3',
      engram: {
        engramVocabSize: Array.from({ length: maxNgramSize - 1 }, () => 2), maxNgramSize, nEmbedPerNgram: 4 * nHeadPerNgram, nHeadPerNgram,
        layerIds: [0], padId: 2, seed: 7, kernelSize: 4, tableBytesPerValue: 2, provenance,
      },
      backbone: { hiddenSize: 64, hcMult: 2, vocabSize: 64, numLayers: 2, provenance },
    },
    `${name}.json`,
  );
  const vocab = 37;
  const mapping = buildHashMapping(hashMappingParams(config, vocab, 2));
  return { name, config, mapping, vocab };
}

export function layerOf(c: CosimCase, index = 0): { layer: LayerHashMapping; table: LayerTableConfig } {
  const layer = c.mapping.layers[index]!;
  return { layer, table: layerTableConfig(c.config, c.mapping, layer) };
}

/** The functional model's head indices of `layer` for the stream, [token][head]. */
export function expectedFor(c: CosimCase, layer: LayerHashMapping, stream: TokenStream): Int32Array {
  return expectedLayerIndices(c.mapping, layer.layerId, streamSequences(stream), stream.ids.length);
}

/** A per-test seed derived from the test title (style.md convention 11). */
export function seedFor(title: string): number {
  return Number(hashString64(title) & 0xffffffffn);
}

export function env(seed: number, overrides: Partial<EnvConfig> = {}): EnvConfig {
  return {
    seed, memLatencyCycles: 7, activePorts: 4, inputGapProb: 0.15, outputStallProb: 0.15, requestStallProb: 0.2, responseStallProb: 0.2,
    logRequests: true, ...overrides,
  };
}

/** Skip reason for tests that need a backend's tools; null when they are installed. */
export const WASM_MISSING = missingTools('wasm');
export const NATIVE_MISSING = missingTools('native');

/** The title of a tool-dependent test: states why it is skipped when it is. */
export function titled(title: string, missing: string | null): string {
  return missing === null ? title : `${title} (skipped: ${missing})`;
}
