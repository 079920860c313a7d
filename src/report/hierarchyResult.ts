// Per-tier bandwidth and hit rates from `engram-dse hierarchy --json`: the zod schema of the fields the report
// plots, its parser (a SpecError naming the file and field), and two figures: each tier's share of the lookups
// (the HBM cache's share is its hit rate) beside its payload and media bandwidth, and each link's bandwidth.
import { z } from 'zod';
import { parseDocument } from '../spec/index.ts';
import { formatNumber, type Cell, type Series, type UniqueName } from './series.ts';

const nonNegative = z.number().nonnegative();
const share = z.number().min(0).max(1);

const tierSchema = z.object({
  kind: z.string().min(1),
  name: z.string().min(1),
  lookups: nonNegative,
  lookupShare: share,
  fetches: nonNegative,
  latencyNs: z.object({ mean: nonNegative, p50: nonNegative, p99: nonNegative }),
  bandwidthGBps: nonNegative,
  mediaBandwidthGBps: nonNegative,
  utilisation: nonNegative,
  readAmplification: nonNegative.nullable(),
});

const linkSchema = z.object({ name: z.string().min(1), wireGBps: nonNegative, payloadGBps: nonNegative, utilisation: nonNegative });

export const hierarchyResultSchema = z.object({
  system: z.string().min(1),
  transfer: z.string(),
  workload: z.string(),
  rowBytes: z.number().positive(),
  mergeDuplicates: z.string(),
  prefetchNs: nonNegative,
  batches: z.number().int().nonnegative(),
  lookups: nonNegative,
  fetches: nonNegative,
  hitRates: z.object({ hbmCache: share.nullable(), pageCache: share.nullable() }),
  tiers: z.array(tierSchema).min(1),
  links: z.array(linkSchema),
  profile: z.string(),
});

export type HierarchyResult = z.output<typeof hierarchyResultSchema>;

/** A hierarchy run and the file it came from (named on its figures). */
export interface HierarchyInput {
  readonly file: string;
  readonly result: HierarchyResult;
}

/** Validates parsed JSON from `file` (the output of `engram-dse hierarchy --json`); throws SpecError naming the field. */
export function parseHierarchyResult(data: unknown, file: string): HierarchyResult {
  return parseDocument(hierarchyResultSchema, data, file);
}

const pct = (x: number | null) => (x === null ? 'none' : `${(100 * x).toFixed(1)} %`);

/** What produced a hierarchy run: system, transfer, workload (with its seed), prefetch and the overall hit rates. */
export function hierarchyInputs(h: HierarchyInput): string {
  const r = h.result;
  const seed = /\bseed\b/.test(r.workload) ? '' : '; no random draws (trace replay)';
  return (
    `engram-dse hierarchy (${h.file}) on ${r.system}, ${r.transfer} transfer; ${r.workload}${seed}; ${r.rowBytes}-byte rows; ` +
    `prefetch ${formatNumber(r.prefetchNs)} ns; duplicates merged: ${r.mergeDuplicates}; ${r.batches} batches, ${r.lookups} lookups; ` +
    `hit rates: HBM cache ${pct(r.hitRates.hbmCache)}, page cache ${pct(r.hitRates.pageCache)}; ${r.profile}`
  );
}

/** Per tier and per link: the hierarchy figures of one run. */
export function hierarchySeries(h: HierarchyInput, unique: UniqueName): Series[] {
  const r = h.result;
  const inputs = hierarchyInputs(h);
  const tiers: Series = {
    name: unique('tiers'),
    title: `Per-tier hit rates and bandwidth, ${r.system}`,
    kind: 'tiers',
    display: 'chart',
    columns: ['tier', 'kind', 'lookupShare', 'payloadGBps', 'mediaGBps', 'utilisation', 'readAmplification', 'meanLatencyNs', 'p99LatencyNs', 'lookups', 'fetches'],
    rows: r.tiers.map((t): Cell[] => [
      t.name,
      t.kind,
      t.lookupShare,
      t.bandwidthGBps,
      t.mediaBandwidthGBps,
      t.utilisation,
      t.readAmplification ?? '',
      t.latencyNs.mean,
      t.latencyNs.p99,
      t.lookups,
      t.fetches,
    ]),
    inputs,
    note: "lookupShare: the share of lookups each tier served (the HBM cache's is its hit rate); payload: row bytes delivered from the tier per second; media: bytes its media moved per second (utilisation: media against the tier's peak); read amplification: media bytes read per row byte delivered.",
  };
  if (r.links.length === 0) return [tiers];
  const links: Series = {
    name: unique('links'),
    title: `Per-link bandwidth, ${r.system}`,
    kind: 'links',
    display: 'chart',
    columns: ['link', 'payloadGBps', 'wireGBps', 'utilisation'],
    rows: r.links.map((l): Cell[] => [l.name, l.payloadGBps, l.wireGBps, l.utilisation]),
    inputs,
    note: 'wire counts headers, flits and requests; payload only row bytes.',
  };
  return [tiers, links];
}
