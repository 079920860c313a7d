// Provenance of a number set in a link, CXL or NVMe preset: the source, facts.md's confidence grade and,
// for DERIVED or ASSUMPTION values, the arithmetic or the reason (style.md convention 3).
import { z } from 'zod';
import { gradedProvenanceSchema, type GradedProvenance } from '../spec/index.ts';

export { gradedProvenanceSchema, type GradedProvenance };

/** One provenance line of a resolved preset: which number set it covers, where it comes from, how sure. */
export interface GradedProvenanceEntry extends GradedProvenance {
  readonly what: string;
}

export const presetNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case name of letters, digits and dashes');

/** Collects the `provenance` of every section of a parsed preset, in key order. */
export function collectProvenance(doc: Readonly<Record<string, unknown>>): GradedProvenanceEntry[] {
  const out: GradedProvenanceEntry[] = [];
  for (const [what, section] of Object.entries(doc)) {
    if (section !== null && typeof section === 'object' && 'provenance' in section) {
      out.push({ what, ...(section as { provenance: GradedProvenance }).provenance });
    }
  }
  return out;
}
