import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCaptured } from '../../helpers/fakeIo.ts';

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
  const dir = mkdtempSync(path.join(os.tmpdir(), 'engram-project-'));
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

const usageErrors: readonly [string, string[]][] = [
  ['an unknown backbone, naming the known ones', ['project', '--fast', '--backbone', 'dense-70b']],
  ['an unknown tier', ['project', '--fast', '--tier', 'tape']],
  ['a TPU target, which has no serving model', ['project', '--fast', '--target', 'tpu-v5e']],
  ['an HBM cache larger than the HBM', ['project', '--fast', '--hbm-cache-bytes', '100000000000']],
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
