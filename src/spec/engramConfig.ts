// Schema of a named Engram configuration (targets/configs/*.json): the hash, table and backbone
// parameters of engram-spec.md §1, each number set with its provenance. Unknown keys are errors.
import { z } from 'zod';
import { SpecError } from '../core/index.ts';
import { parseDocument } from './parse.ts';

const provenance = z.strictObject({
  source: z.string().min(1),
  note: z.string().min(1).optional(),
});

const posInt = z.number().int().positive();

export const engramConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    schemaVersion: z.literal(1),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case name of letters, digits and dashes'),
    description: z.string().min(1),
    /** Tokenizer whose compressed vocabulary V' seeds the multipliers (spec §2, §3.1). */
    tokenizer: z.enum(['deepseek-v3']),
    engram: z.strictObject({
      /** Prime-search start per head, one entry per order n = 2..N (spec §3.5). */
      engramVocabSize: z.array(posInt).min(1),
      maxNgramSize: z.number().int().min(2).max(8),
      /** Embedding width per order, split over the heads of that order. */
      nEmbedPerNgram: posInt,
      /** Heads per order (not per layer): a layer has (N-1) * heads tables. */
      nHeadPerNgram: posInt,
      /** 0-based block indices of the Engram layers; order matters for the prime search. */
      layerIds: z.array(z.number().int().min(0)).min(1),
      /** Raw tokenizer id of the pad token (remapped through the compressor). */
      padId: z.number().int().min(0),
      seed: z.number().int().min(0).max(2 ** 32 - 1),
      kernelSize: posInt,
      /** Bytes per stored table value (2 = bf16, 1 = fp8, 4 = fp32); used by traces and memory models. */
      tableBytesPerValue: z.union([z.literal(1), z.literal(2), z.literal(4)]),
      provenance,
    }),
    backbone: z.strictObject({
      hiddenSize: posInt,
      hcMult: posInt,
      vocabSize: posInt,
      numLayers: posInt,
      provenance,
    }),
  })
  .superRefine((cfg, ctx) => {
    const orders = cfg.engram.maxNgramSize - 1;
    if (cfg.engram.engramVocabSize.length < orders) {
      ctx.addIssue({
        code: 'custom',
        path: ['engram', 'engramVocabSize'],
        message: `expected at least maxNgramSize-1 = ${orders} entries, got ${cfg.engram.engramVocabSize.length}`,
        input: cfg.engram.engramVocabSize,
      });
    }
    if (cfg.engram.nEmbedPerNgram % cfg.engram.nHeadPerNgram !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['engram', 'nEmbedPerNgram'],
        message: `expected a multiple of nHeadPerNgram (${cfg.engram.nHeadPerNgram}), got ${cfg.engram.nEmbedPerNgram}`,
        input: cfg.engram.nEmbedPerNgram,
      });
    }
    if (new Set(cfg.engram.layerIds).size !== cfg.engram.layerIds.length) {
      ctx.addIssue({ code: 'custom', path: ['engram', 'layerIds'], message: 'expected distinct layer ids', input: cfg.engram.layerIds });
    }
    for (const [i, id] of cfg.engram.layerIds.entries()) {
      if (id >= cfg.backbone.numLayers) {
        ctx.addIssue({ code: 'custom', path: ['engram', 'layerIds', i], message: `expected a block index below backbone.numLayers = ${cfg.backbone.numLayers}`, input: id });
      }
    }
  });

export type EngramConfigDocument = z.output<typeof engramConfigSchema>;

/** The resolved, frozen configuration every model takes (derived sizes precomputed). */
export interface EngramConfig extends EngramConfigDocument {
  readonly derived: {
    /** Orders n = 2..N. */
    readonly numOrders: number;
    /** Tables (heads) per layer: (N-1) * nHeadPerNgram. */
    readonly headsPerLayer: number;
    /** Embedding width per head D_h = nEmbedPerNgram / nHeadPerNgram. */
    readonly headDim: number;
    /** Memory vector width per token: (N-1) * nEmbedPerNgram. */
    readonly engramHiddenSize: number;
  };
}

/** Parses and resolves a configuration document; `file` names it in errors. */
export function resolveEngramConfig(data: unknown, file: string): EngramConfig {
  const doc = parseDocument(engramConfigSchema, data, file);
  const numOrders = doc.engram.maxNgramSize - 1;
  if (numOrders < 1) throw new SpecError(file, 'engram.maxNgramSize', `expected at least 2, got ${doc.engram.maxNgramSize}`);
  return Object.freeze({
    ...doc,
    derived: Object.freeze({
      numOrders,
      headsPerLayer: numOrders * doc.engram.nHeadPerNgram,
      headDim: doc.engram.nEmbedPerNgram / doc.engram.nHeadPerNgram,
      engramHiddenSize: numOrders * doc.engram.nEmbedPerNgram,
    }),
  });
}
