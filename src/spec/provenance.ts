// Provenance of a number set in a data file (style.md convention 3): its source, facts.md's confidence grade,
// and for DERIVED or ASSUMPTION values the arithmetic or the reason.
import { z } from 'zod';

/** facts.md's confidence scale, plus ASSUMPTION for modelling choices that no source states. */
export const CONFIDENCES = ['HIGH', 'MED', 'LOW', 'DERIVED', 'ASSUMPTION'] as const;

export const gradedProvenanceSchema = z
  .strictObject({
    source: z.string().min(1),
    confidence: z.enum(CONFIDENCES),
    note: z.string().min(1).optional(),
  })
  .refine((p) => (p.confidence !== 'DERIVED' && p.confidence !== 'ASSUMPTION') || p.note !== undefined, {
    message: 'expected a note (the arithmetic, or the reason) when confidence is DERIVED or ASSUMPTION',
    path: ['note'],
  });

export type GradedProvenance = z.output<typeof gradedProvenanceSchema>;
