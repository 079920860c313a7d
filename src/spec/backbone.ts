// Schema of a dense transformer backbone (targets/backbones/*.json): the dimensions a serving model needs
// (layers, hidden, attention and KV heads, head dim, MLP, vocabulary, dtype), each set with its provenance.
import { z } from 'zod';
import { parseDocument } from './parse.ts';
import { gradedProvenanceSchema } from './provenance.ts';

const provenanceSchema = gradedProvenanceSchema;

const posInt = z.number().int().positive();

/** Weight and KV-cache formats a backbone may be served in, with their bytes per value. */
export const BACKBONE_DTYPES = ['bf16', 'fp16', 'fp8'] as const;
export type BackboneDtype = (typeof BACKBONE_DTYPES)[number];
const DTYPE_BYTES: Readonly<Record<BackboneDtype, number>> = { bf16: 2, fp16: 2, fp8: 1 };

/** Attention families the serving model knows: grouped-query attention (nano-vLLM's Qwen3 code). */
export const ATTENTION_KINDS = ['gqa'] as const;

export const backboneSchema = z
  .strictObject({
    $schema: z.string().optional(),
    schemaVersion: z.literal(1),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case name of letters, digits and dashes'),
    description: z.string().min(1),
    architecture: z.strictObject({
      attention: z.enum(ATTENTION_KINDS),
      numLayers: posInt,
      hiddenSize: posInt,
      numAttentionHeads: posInt,
      numKeyValueHeads: posInt,
      headDim: posInt,
      /** SwiGLU MLP: gate and up projections of this width, then down. */
      intermediateSize: posInt,
      vocabSize: posInt,
      /** Whether the output head shares the token-embedding matrix (no separate weights, same GEMM). */
      tieWordEmbeddings: z.boolean(),
      /** Per-head RMSNorm of q and k (Qwen3). */
      qkNorm: z.boolean(),
      provenance: provenanceSchema,
    }),
    /** Format of weights and of the KV cache. */
    numerics: z.strictObject({ weightDtype: z.enum(BACKBONE_DTYPES), kvCacheDtype: z.enum(BACKBONE_DTYPES), provenance: provenanceSchema }),
  })
  .superRefine((doc, ctx) => {
    const a = doc.architecture;
    if (a.numAttentionHeads % a.numKeyValueHeads !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['architecture', 'numKeyValueHeads'],
        message: `expected a divisor of numAttentionHeads (${a.numAttentionHeads}): grouped-query attention shares each KV head among a whole group`,
        input: a.numKeyValueHeads,
      });
    }
  });

export type BackboneDocument = z.output<typeof backboneSchema>;

/** Sizes every serving model reads; computed once here so no model re-derives them. */
export interface BackboneDerived {
  readonly weightBytesPerValue: number;
  readonly kvBytesPerValue: number;
  /** Width of the concatenated q projection output: heads x head dim. */
  readonly qDim: number;
  /** Width of the k (and of the v) projection output: KV heads x head dim. */
  readonly kvDim: number;
  /** Weights of one block: q, k, v, o projections, gate, up, down, and the norms. */
  readonly paramsPerLayer: number;
  readonly embeddingParams: number;
  /** Output-head weights stored apart from the embedding (0 when tied). */
  readonly lmHeadParams: number;
  readonly totalParams: number;
  readonly weightBytes: number;
  /** K and V of one token in one layer. */
  readonly kvBytesPerTokenPerLayer: number;
  /** K and V of one token over all layers (what a KV-cache slot holds). */
  readonly kvBytesPerToken: number;
}

export interface Backbone extends BackboneDocument {
  readonly derived: BackboneDerived;
}

/** Parses, validates and resolves a backbone document; `file` names it in errors. Returns a deep-frozen value. */
export function resolveBackbone(data: unknown, file: string): Backbone {
  const doc = parseDocument(backboneSchema, data, file);
  const a = doc.architecture;
  const qDim = a.numAttentionHeads * a.headDim;
  const kvDim = a.numKeyValueHeads * a.headDim;
  const attentionParams = a.hiddenSize * (qDim + 2 * kvDim) + qDim * a.hiddenSize;
  const mlpParams = 3 * a.hiddenSize * a.intermediateSize;
  const normParams = 2 * a.hiddenSize + (a.qkNorm ? 2 * a.headDim : 0);
  const paramsPerLayer = attentionParams + mlpParams + normParams;
  const embeddingParams = a.vocabSize * a.hiddenSize;
  const lmHeadParams = a.tieWordEmbeddings ? 0 : a.vocabSize * a.hiddenSize;
  // The final RMSNorm adds hiddenSize.
  const totalParams = a.numLayers * paramsPerLayer + embeddingParams + lmHeadParams + a.hiddenSize;
  const weightBytesPerValue = DTYPE_BYTES[doc.numerics.weightDtype];
  const kvBytesPerValue = DTYPE_BYTES[doc.numerics.kvCacheDtype];
  const kvBytesPerTokenPerLayer = 2 * kvDim * kvBytesPerValue;
  return Object.freeze({
    ...doc,
    derived: Object.freeze({
      weightBytesPerValue,
      kvBytesPerValue,
      qDim,
      kvDim,
      paramsPerLayer,
      embeddingParams,
      lmHeadParams,
      totalParams,
      weightBytes: totalParams * weightBytesPerValue,
      kvBytesPerTokenPerLayer,
      kvBytesPerToken: kvBytesPerTokenPerLayer * a.numLayers,
    }),
  });
}
