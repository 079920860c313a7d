import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCaptured } from '../../helpers/fakeIo.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

test('project: --fast --json gives one row per backbone with ours and the paper\'s numbers and every input', async (t) => {
  const r = await runCaptured(['project', '--fast', '--json']);
  t.is(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  t.deepEqual(out.rows.map((row: { backbone: string }) => row.backbone), ['dense-4b', 'dense-8b']);
  for (const row of out.rows) {
    for (const key of ['baselineTokPerS', 'engramTokPerS', 'penaltyPct']) t.is(typeof row[key], 'number');
    t.deepEqual(Object.keys(row.paper).sort(), ['baselineTokPerS', 'engramTokPerS', 'penaltyPct']);
    t.is(typeof row.breakdown.engram.decode.engramSyncNs, 'number');
  }
  t.is(out.inputs.seed, 0);
  t.is(out.inputs.workload.totalOutputTokens, 284413);
  t.is(out.inputs.target.name, 'h800-sxm');
  t.is(out.inputs.config.name, 'offload-100b');
});

test('project: prints Table 4 side by side with a breakdown when run with --fast', async (t) => {
  const r = await runCaptured(['project', '--fast']);
  t.is(r.code, 0, r.err);
  t.regex(r.out, /\| dense-4b \| calibration \| 9,031\.62 \|/);
  t.regex(r.out, /\| dense-8b \| prediction \| 6,315\.52 \|/);
  t.regex(r.out, /## Where the time goes/);
  t.regex(r.out, /Engram exposed: synchronisation/);
});

test('project: --out writes result.md and result.json equal to what it prints', async (t) => {
  const dir = makeTempDir('engram-project-');
  const r = await runCaptured(['project', '--fast', '--backbone', 'dense-4b', '--json', '--out', dir]);
  t.is(r.code, 0, r.err);
  t.is(readFileSync(path.join(dir, 'result.json'), 'utf8'), r.out);
  t.regex(readFileSync(path.join(dir, 'result.md'), 'utf8'), /^# Engram serving projection/);
});

test('project: the table on CXL or NVMe behind a page cache costs at least what host DRAM does', async (t) => {
  const penalty = async (tier: string) => {
    const r = await runCaptured(['project', '--fast', '--backbone', 'dense-4b', '--tier', tier, '--json']);
    t.is(r.code, 0, r.err);
    return JSON.parse(r.out).rows[0].penaltyPct as number;
  };
  const dram = await penalty('dram');
  t.true((await penalty('cxl')) >= dram);
  t.true((await penalty('nvme')) >= dram);
});

test('project: --sweep link-bandwidth lowers the penalty as lanes are added', async (t) => {
  const r = await runCaptured(['project', '--fast', '--backbone', 'dense-4b', '--sweep', 'link-bandwidth', '--json']);
  t.is(r.code, 0, r.err);
  const points = JSON.parse(r.out).sweep.points as { value: number; penaltyPct: number }[];
  t.deepEqual(points.map((p) => p.value), [1, 2, 4, 8, 16]);
  for (let i = 1; i < points.length; i++) t.true(points[i]!.penaltyPct <= points[i - 1]!.penaltyPct);
});

test('project: --sweep resident-table: a small table held whole in HBM costs only its compute, a large one costs KV cache', async (t) => {
  const r = await runCaptured(['project', '--fast', '--backbone', 'dense-4b', '--sweep', 'resident-table', '--json']);
  t.is(r.code, 0, r.err);
  const points = JSON.parse(r.out).sweep.points as { value: number; penaltyPct: number; exposedNs: number }[];
  t.deepEqual(points.map((p) => p.value), [1e9, 2e9, 5e9, 1e10, 2e10]);
  // No row crosses the host link, so nothing is exposed; what is left is the layer's own compute (< 0.5 %) ...
  for (const p of points) t.is(p.exposedNs, 0);
  t.true(points[0]!.penaltyPct > 0 && points[0]!.penaltyPct < 0.5, `${points[0]!.penaltyPct}`);
  // ... until the table's HBM pushes the KV cache below what the schedule needs (dense-4b peaks near 1,633 blocks).
  t.true(points.at(-1)!.penaltyPct > 2, `${points.at(-1)!.penaltyPct}`);
});

test('project: --sweep row-zipf: more concentrated rows let a 4 GB cache hide more of the NVMe tier, down to the host-DRAM penalty', async (t) => {
  const r = await runCaptured(['project', '--fast', '--backbone', 'dense-4b', '--tier', 'nvme', '--sweep', 'row-zipf', '--json']);
  t.is(r.code, 0, r.err);
  const points = JSON.parse(r.out).sweep.points as { value: number; penaltyPct: number; meanDecodeFetchNs: number }[];
  t.deepEqual(points.map((p) => p.value), [0, 0.25, 0.51, 0.77, 1, 1.25]);
  for (let i = 1; i < points.length; i++) t.true(points[i]!.meanDecodeFetchNs < points[i - 1]!.meanDecodeFetchNs);
  for (let i = 1; i < points.length; i++) t.true(points[i]!.penaltyPct <= points[i - 1]!.penaltyPct);
  // Once the fetch fits the window, what is left is the per-step synchronisation of the host path (Table 4's 1.92 %).
  t.true(Math.abs(points.at(-1)!.penaltyPct - 1.92) < 0.01, `${points.at(-1)!.penaltyPct}`);
});

test('project: a TPU v5e-like host projects dense-4b with the paper\'s host path and says dense-8b does not fit', async (t) => {
  const r = await runCaptured(['project', '--fast', '--target', 'tpu-v5e', '--json']);
  t.is(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  t.deepEqual(out.rows.map((row: { backbone: string; role: string; paper: unknown }) => [row.backbone, row.role, row.paper]), [['dense-4b', 'prediction', null]]);
  t.deepEqual(out.skipped.map((x: { backbone: string }) => x.backbone), ['dense-8b']);
  t.is(out.system.kind, 'systolic');
  const row = out.rows[0];
  t.true(row.penaltyPct > 0);
  t.regex(row.breakdown.engram.engram.gatherModel, /pcie-gen4-x16, staging/);
  // The H800's per-step handover is carried over: the exposed time is synchronisation.
  t.true(row.breakdown.engram.decode.engramSyncNs > 0);
});

test('project: an Alveo U55C-like card hashes on the RTL unit, reads rows over Gen3 itself and pays no host synchronisation', async (t) => {
  const r = await runCaptured(['project', '--fast', '--target', 'alveo-u55c', '--json']);
  t.is(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  t.is(out.system.kind, 'fpga');
  t.regex(out.system.model[1], /hash\/gather unit/);
  const row = out.rows[0];
  t.is(row.backbone, 'dense-4b');
  t.regex(row.breakdown.engram.engram.gatherModel, /pcie-gen3-x16, zero-copy/);
  t.is(row.breakdown.engram.decode.engramSyncNs + row.breakdown.engram.prefill.engramSyncNs, 0);
  t.is(row.breakdown.engram.engram.stalledSteps, 0);
  // A decode step's 16 rows per token hash in tens of ns per token on the unit, far below the host's 320 ns.
  t.true(row.breakdown.engram.engram.hashNs / (row.breakdown.engram.engram.rows / 16) < 100);
});

test('project: --sweep runtime-reserve moves the KV-bound dense-8b and leaves dense-4b\'s baseline alone', async (t) => {
  const sweep = async (backbone: string) => {
    const r = await runCaptured(['project', '--fast', '--backbone', backbone, '--sweep', 'runtime-reserve', '--json']);
    t.is(r.code, 0, r.err);
    return JSON.parse(r.out).sweep.points as { value: number; baselineTokPerS: number }[];
  };
  const four = await sweep('dense-4b');
  t.true(four.every((p) => p.baselineTokPerS === four[0]!.baselineTokPerS));
  const eight = await sweep('dense-8b');
  t.true(eight[eight.length - 1]!.baselineTokPerS < eight[0]!.baselineTokPerS);
});

const usageErrors: readonly [string, string[]][] = [
  ['an unknown backbone, naming the known ones', ['project', '--fast', '--backbone', 'dense-70b']],
  ['an unknown tier', ['project', '--fast', '--tier', 'tape']],
  ['a backbone the target cannot hold (dense-8b on a 16 GB TPU v5e)', ['project', '--fast', '--target', 'tpu-v5e', '--backbone', 'dense-8b']],
  ['an HBM cache larger than the HBM', ['project', '--fast', '--hbm-cache-bytes', '100000000000']],
  ['a cache policy without a closed form', ['project', '--fast', '--cache-policy', 'lfu']],
  ['a Zipf exponent out of range', ['project', '--fast', '--row-zipf', '4']],
  ['an unknown sweep', ['project', '--fast', '--sweep', 'voltage']],
  ['zero sequences', ['project', '--fast', '--seqs', '0']],
];

for (const [what, argv] of usageErrors) {
  test(`project: exits 2 with a one-line message when given ${what}`, async (t) => {
    const r = await runCaptured(argv);
    t.is(r.code, 2);
    t.is(r.out, '');
    t.is(r.err.trimEnd().split('\n').length, 1, r.err);
    t.snapshot(r.err);
  });
}
