import test from 'ava';
import { runCaptured } from '../../helpers/fakeIo.ts';

test('gemm: prints time, bound, utilisation, roofline and tile detail for one GEMM on the H800', async (t) => {
  const r = await runCaptured(['gemm', '--target', 'h800-sxm', '--m', '4096', '--n', '7168', '--k', '16384']);
  t.is(r.code, 0, r.err);
  t.snapshot(r.out);
});

test('gemm: --json gives the cost object with the systolic fold detail when the target is a TPU', async (t) => {
  const r = await runCaptured(['gemm', '--target', 'tpu-v5e', '--m', '512', '--n', '12800', '--k', '1280', '--dataflow', 'os', '--json']);
  t.is(r.code, 0, r.err);
  const cost = JSON.parse(r.out);
  t.is(cost.kind, 'systolic');
  t.is(cost.detail.dataflow, 'os');
  t.is(cost.detail.folds, 400);
  t.true(cost.timeNs >= cost.roofline.timeNs);
});

test('gemm: --engram compares the fused projection with its separate GEMMs and details the fused one', async (t) => {
  const r = await runCaptured(['gemm', '--target', 'h800-sxm', '--engram', 'paper-27b', '--tokens', '4096']);
  t.is(r.code, 0, r.err);
  t.snapshot(r.out);
});

test('gemm: --unfused details one of the M + 1 separate GEMMs instead', async (t) => {
  const r = await runCaptured(['gemm', '--target', 'alveo-u55c', '--engram', 'paper-27b', '--tokens', '1', '--unfused', '--json']);
  t.is(r.code, 0, r.err);
  const p = JSON.parse(r.out);
  t.is(p.selected, 'unfused');
  t.deepEqual(p.shapes.unfusedEach, { m: 1, n: 2560, k: 1280, dtype: 'fp8' });
  t.is(p.unfused.gemms, 5);
  t.true(p.speedup >= 1);
});

test('gemm: --sweep-tokens prints fused against unfused for T = 1..16384 on the H800', async (t) => {
  const r = await runCaptured(['gemm', '--target', 'h800-sxm', '--engram', 'paper-27b', '--sweep-tokens']);
  t.is(r.code, 0, r.err);
  t.snapshot(r.out);
});

test('gemm: --sweep-tokens --json gives one row per token count', async (t) => {
  const r = await runCaptured(['gemm', '--target', 'tpu-v5e', '--engram', 'paper-27b', '--sweep-tokens', '--dtype', 'bf16', '--json']);
  t.is(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as { tokens: number; speedup: number; fused: { bound: string } }[];
  t.deepEqual(rows.map((row) => row.tokens), Array.from({ length: 15 }, (_, i) => 2 ** i));
  t.true(rows.every((row) => row.speedup >= 1));
});

const usageErrors: readonly [string, string[]][] = [
  ['an unknown target, naming the known ones', ['gemm', '--target', 'b200', '--m', '1', '--n', '1', '--k', '1']],
  ['--m without --n and --k', ['gemm', '--target', 'h800-sxm', '--m', '64']],
  ['a bad --dtype', ['gemm', '--target', 'h800-sxm', '--m', '1', '--n', '1', '--k', '1', '--dtype', 'fp16']],
  ['a bad --dataflow', ['gemm', '--target', 'tpu-v5e', '--m', '1', '--n', '1', '--k', '1', '--dataflow', 'is']],
  ['neither a shape nor --engram', ['gemm', '--target', 'h800-sxm']],
  ['both a shape and --engram', ['gemm', '--target', 'h800-sxm', '--m', '1', '--n', '1', '--k', '1', '--engram', 'paper-27b', '--tokens', '1']],
  ['--engram without --tokens', ['gemm', '--target', 'h800-sxm', '--engram', 'paper-27b']],
  ['--tokens with --sweep-tokens', ['gemm', '--target', 'h800-sxm', '--engram', 'paper-27b', '--tokens', '8', '--sweep-tokens']],
  ['--unfused with a plain shape', ['gemm', '--target', 'h800-sxm', '--m', '1', '--n', '1', '--k', '1', '--unfused']],
  ['a zero dimension', ['gemm', '--target', 'h800-sxm', '--m', '0', '--n', '1', '--k', '1']],
  ['an unknown Engram config', ['gemm', '--target', 'h800-sxm', '--engram', 'paper-99b', '--tokens', '1']],
  ['a dataflow asked of a GPU', ['gemm', '--target', 'h800-sxm', '--m', '1', '--n', '1', '--k', '1', '--dataflow', 'ws']],
];

for (const [what, argv] of usageErrors) {
  test(`gemm: exits 2 with a one-line message when given ${what}`, async (t) => {
    const r = await runCaptured(argv);
    t.is(r.code, 2);
    t.is(r.out, '');
    t.is(r.err.trimEnd().split('\n').length, 1, r.err);
    t.snapshot(r.err);
  });
}
