// Report inputs for the tests: the project results, hierarchy run and RTL report in test/report/fixtures/ (see
// its README) through the report's schemas; a small FP8 error table computed by src/fp8; a synthetic sweep held
// in memory; and a real sweep database made by running a tiny projection spec through `engram-dse sweep`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalJson, sha256Hex } from '../../src/core/index.ts';
import { accumulationFidelity } from '../../src/fp8/index.ts';
import {
  parseHierarchyResult, parseProjectResult, parseRtlReport,
  type Fp8ErrorTable, type HierarchyInput, type ProjectResult, type ReportInputs, type RtlInput, type SweepReportInput, type SweepRow,
} from '../../src/report/index.ts';
import { parseSweepSpec } from '../../src/spec/index.ts';
import { runCaptured } from '../helpers/fakeIo.ts';

export const FIXTURES = ['table4.json', 'sweep-table-size.json', 'sweep-link-bandwidth.json'] as const;

const fixtureText = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

export function loadFixture(name: (typeof FIXTURES)[number]): ProjectResult {
  return parseProjectResult(JSON.parse(fixtureText(name)), `test/report/fixtures/${name}`);
}

export function loadFixtures(): ProjectResult[] {
  return FIXTURES.map(loadFixture);
}

export function loadHierarchyFixture(): HierarchyInput {
  const file = 'test/report/fixtures/hierarchy-4tier.json';
  return { file, result: parseHierarchyResult(JSON.parse(fixtureText('hierarchy-4tier.json')), file) };
}

export function loadRtlFixture(): RtlInput {
  const file = 'test/report/fixtures/rtl-default.json';
  return { file, report: parseRtlReport(JSON.parse(fixtureText('rtl-default.json')), file) };
}

/** A small FP8 error table (two K values, 4 x 4 outputs), computed as the report command does. */
export function smallFp8Table(): Fp8ErrorTable {
  return accumulationFidelity({ ks: [128, 2048], m: 4, n: 4, seed: 0, distribution: 'uniform01' });
}

/**
 * A grid sweep held in memory: tier (fast, slow) x sizeBytes (1e3 .. 1e6) x lanes (1, 2), with throughput falling
 * with size on the slow tier and cost rising with size; one point rejected by the model, one infeasible.
 */
export function syntheticSweep(overrides: Partial<SweepReportInput> = {}): SweepReportInput {
  // As a database stores it: canonical JSON (keys sorted), so parameters and objectives come in name order.
  const spec = parseSweepSpec(
    JSON.parse(canonicalJson({
      schemaVersion: 1,
      name: 'synthetic',
      description: 'synthetic sweep (test)',
      evaluator: 'projection',
      parameters: { tier: ['fast', 'slow'], sizeBytes: [1e3, 1e4, 1e5, 1e6], lanes: [1, 2], target: ['h800-sxm'] },
      objectives: { tokPerS: { expression: 'tokPerS', goal: 'max' }, costUsd: { expression: 'costUsd', goal: 'min' } },
      constraints: ['costUsd < 2000'],
    })),
    'synthetic.json',
  );
  const rows: SweepRow[] = [];
  let idx = 0;
  for (const tier of ['fast', 'slow']) {
    for (const sizeBytes of [1e3, 1e4, 1e5, 1e6]) {
      for (const lanes of [1, 2]) {
        const point = { lanes, sizeBytes, target: 'h800-sxm', tier };
        const key = sha256Hex(JSON.stringify(point));
        const rejected = tier === 'slow' && sizeBytes === 1e6 && lanes === 1;
        const tokPerS = (tier === 'fast' ? 1000 : 800 - 100 * Math.log10(sizeBytes)) * (lanes === 2 ? 1.1 : 1);
        const costUsd = (tier === 'fast' ? 1000 : 400) + sizeBytes / 1e3 + 50 * lanes;
        rows.push({
          key,
          idx: idx++,
          point,
          seed: key.slice(0, 16),
          result: rejected ? {} : { tokPerS, costUsd, bound: tier === 'fast' ? 'compute' : 'memory' },
          error: rejected ? 'projection evaluator: the table does not fit' : null,
          objectives: rejected ? {} : { tokPerS, costUsd },
          feasible: !rejected && costUsd < 2000,
        });
      }
    }
  }
  return {
    file: 'synthetic.db',
    meta: {
      specName: 'synthetic',
      specSha256: '0'.repeat(64),
      specFile: 'synthetic.json',
      evaluator: 'projection',
      evaluatorVersion: '1',
      contextSha256: '1'.repeat(64),
      samplerCount: rows.length,
      shards: ['1/1'],
    },
    spec,
    rows,
    ...overrides,
  };
}

/** Dense-4B serving at three table sizes in host DRAM or NVMe, with and without an HBM cache, 32 sequences: 12 points. */
export const TINY_PROJECTION_SPEC = {
  schemaVersion: 1,
  name: 'tiny-projection',
  description: 'Engram table size per tier, with and without a 16 GB HBM cache (test)',
  evaluator: 'projection',
  parameters: {
    target: ['h800-sxm'],
    backbone: ['dense-4b'],
    config: ['offload-100b'],
    tableParams: [1e10, 1e11, 1e12],
    tier: ['dram', 'nvme'],
    hbmCacheBytes: [0, 16e9],
    seqs: [32],
  },
  objectives: { engramTokPerS: { expression: 'engramTokPerS', goal: 'max' }, costUsd: { expression: 'costUsd', goal: 'min' } },
};

/**
 * A folder (removed after the test) holding `spec.json` and `sweep.db`, the database the real sweep code path
 * (`engram-dse sweep`, on the main thread) writes for TINY_PROJECTION_SPEC.
 */
export async function tinySweepDir(t: { teardown(fn: () => void): void }): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'engram-report-sweep-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(TINY_PROJECTION_SPEC));
  const r = await runCaptured(['sweep', 'spec.json', '--db', 'sweep.db', '--workers', '0'], { cwd: dir });
  if (r.code !== 0) throw new Error(`engram-dse sweep failed (${r.code}): ${r.err}`);
  return dir;
}

/** One of every input kind, all in memory: project results, the synthetic sweep, a hierarchy run, FP8 error, RTL. */
export function allInputs(): ReportInputs {
  return { projects: loadFixtures(), sweeps: [syntheticSweep()], hierarchies: [loadHierarchyFixture()], fp8: smallFp8Table(), rtl: [loadRtlFixture()] };
}
