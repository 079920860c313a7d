// Small resolved configurations for the forward tests (hidden 32, 4 heads of D_h 8), kept tiny so the
// float64 oracle and both tfjs backends run in well under a second.
import { resolveEngramConfig, type EngramConfig } from '../../../src/spec/index.ts';

export function tinyConfig(hcMult = 2, hiddenSize = 32): EngramConfig {
  const provenance = { source: 'test fixture' };
  return resolveEngramConfig(
    {
      schemaVersion: 1,
      name: 'tiny',
      description: 'forward test fixture',
      tokenizer: 'deepseek-v3',
      engram: {
        engramVocabSize: [11, 11], maxNgramSize: 3, nEmbedPerNgram: 16, nHeadPerNgram: 2, layerIds: [1, 3],
        padId: 2, seed: 0, kernelSize: 4, tableBytesPerValue: 4, provenance,
      },
      backbone: { hiddenSize, hcMult, vocabSize: 100, numLayers: 4, provenance },
    },
    'tiny.json',
  );
}
