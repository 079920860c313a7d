// Schema of the cost figures (targets/costs/default.json) that evaluators turn into costUsd: a price per hardware
// target and a price per GB per memory tier, each an assumption with its provenance that a user may replace.
import { z } from 'zod';
import { parseDocument } from './parse.ts';
import { gradedProvenanceSchema } from './provenance.ts';

const provenanceSchema = gradedProvenanceSchema;

const usd = z.number().positive();

/** Memory tiers a table or cache may be placed in; HBM is priced with the device that carries it. */
export const MEMORY_TIERS = ['dram', 'cxl', 'nvme'] as const;
export type MemoryTier = (typeof MEMORY_TIERS)[number];

export const costsSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  description: z.string().min(1),
  /** Price of one device (GPU, TPU chip, FPGA board) keyed by target name (targets/<name>.json). */
  devices: z.record(
    z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a target name'),
    z.strictObject({ priceUsd: usd, provenance: provenanceSchema }),
  ),
  /** Price per decimal GB (1e9 bytes) of capacity in each tier. */
  memory: z.strictObject({
    dram: z.strictObject({ usdPerGB: usd, provenance: provenanceSchema }),
    cxl: z.strictObject({ usdPerGB: usd, provenance: provenanceSchema }),
    nvme: z.strictObject({ usdPerGB: usd, provenance: provenanceSchema }),
  }),
});

export type Costs = z.output<typeof costsSchema>;
export type CostsDocument = z.input<typeof costsSchema>;

/** Parses and validates a costs document; `file` names it in errors. Returns a deep-frozen value. */
export function resolveCosts(data: unknown, file: string): Costs {
  return parseDocument(costsSchema, data, file);
}
