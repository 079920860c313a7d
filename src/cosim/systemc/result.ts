// The SystemC model's result (sim/systemc/model/system.cpp writes it), checked by a strict schema so a
// model change that breaks the contract fails loudly instead of producing NaNs downstream.
import { z } from 'zod';
import { SimError } from '../../core/index.ts';

const tierSchema = z.strictObject({
  kind: z.string(),
  name: z.string(),
  lookups: z.number().int().nonnegative(),
  fetches: z.number().int().nonnegative(),
  latencyMeanPs: z.number().nonnegative(),
  latencyP50Ps: z.number().nonnegative(),
  latencyP99Ps: z.number().nonnegative(),
});

const linkSchema = z.strictObject({ name: z.string(), wireBytes: z.number().nonnegative(), payloadBytes: z.number().nonnegative(), busyPs: z.number().nonnegative() });

const deviceSchema = z.strictObject({
  role: z.string(),
  name: z.string(),
  requests: z.number().int().nonnegative(),
  busBytes: z.number().nonnegative(),
  activates: z.number().int().nonnegative().optional(),
  rowHits: z.number().int().nonnegative().optional(),
  refreshes: z.number().int().nonnegative().optional(),
  peakBandwidthGBps: z.number().positive(),
});

const common = {
  model: z.literal('systemc'),
  systemcVersion: z.string(),
  simulatedPs: z.number().nonnegative(),
  deltaCycles: z.number().int().nonnegative(),
  wallSeconds: z.number().nonnegative(),
  batches: z.number().int().nonnegative(),
  gatherPs: z.array(z.number().nonnegative()),
  tiers: z.array(tierSchema).min(2),
  links: z.array(linkSchema),
  devices: z.array(deviceSchema),
  pcieRequests: z.number().int().nonnegative(),
  pciePieces: z.number().int().nonnegative(),
  pcieMaxTagsInUse: z.number().int().nonnegative(),
};

export const systemcRowResultSchema = z.strictObject({
  ...common,
  mode: z.literal('rows'),
  lookups: z.number().int().nonnegative(),
  mergedLookups: z.number().int().nonnegative(),
  hbmHits: z.number().int().nonnegative(),
  exposedPs: z.array(z.number().nonnegative()),
});

export const systemcTokenResultSchema = z.strictObject({
  ...common,
  mode: z.literal('tokens'),
  tokens: z.number().int().nonnegative(),
  produced: z.number().int().nonnegative(),
  cycles: z.number().int().nonnegative(),
  clockPs: z.number().positive(),
  requests: z.number().int().nonnegative(),
  inputStallCycles: z.number().int().nonnegative(),
  requestStallCycles: z.number().int().nonnegative(),
  vectorDigest: z.string().regex(/^[0-9a-f]{16}$/),
  vectorIndices: z.array(z.number().int().nonnegative()),
  vectorData: z.array(z.number().int().nonnegative()),
});

export const systemcResultSchema = z.discriminatedUnion('mode', [systemcRowResultSchema, systemcTokenResultSchema]);

export type SystemcRowResult = z.infer<typeof systemcRowResultSchema>;
export type SystemcTokenResult = z.infer<typeof systemcTokenResultSchema>;
export type SystemcResult = z.infer<typeof systemcResultSchema>;

/** Parses the model's JSON text; `source` names the backend in errors. */
export function parseSystemcResult(text: string, source: string): SystemcResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SimError(`${source}: result: expected JSON, got ${JSON.stringify(text.slice(0, 120))}`, { cause: error });
  }
  const parsed = systemcResultSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SimError(`${source}: result.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
