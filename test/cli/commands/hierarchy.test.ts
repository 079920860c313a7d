import test from 'ava';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeTrace, type Trace } from '../../../src/spec/index.ts';
import { runCaptured } from '../../helpers/fakeIo.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const tempDir = (): string => makeTempDir('engram-hierarchy-');

/** A small demo-configuration trace: two layers of two heads, a hot set of rows that repeats. */
function traceFile(dir: string, tokens = 600): string {
  const layers = [{ layerId: 1, primes: [1009, 1013], rowOffsets: [0, 1009] }, { layerId: 15, primes: [1019, 1021], rowOffsets: [0, 1019] }];
  const trace: Trace = {
    header: { formatVersion: 1, config: 'demo', source: 'unit', tokenizer: 'identity', tokens, sequenceLengths: [tokens], rowBytes: 256, layers },
    rows: layers.map((l) => Uint32Array.from({ length: tokens * 2 }, (_, i) => (i % 2) * l.primes[0]! + ((i * 7919) % 97))),
  };
  writeFileSync(path.join(dir, 'gather.trace'), encodeTrace(trace));
  return 'gather.trace';
}

interface Report {
  batches: number;
  lookups: number;
  fetches: number;
  gatherNs: { mean: number; p50: number; p99: number };
  exposedNs: { total: number };
  hitRates: { hbmCache: number | null; pageCache: number | null };
  tiers: { kind: string; lookups: number }[];
  links: { name: string }[];
  profile: string;
  estimate: { totalNs: number; bound: string };
  wallSeconds: number;
}

test('hierarchy: --zipf gives one layer\'s lookups per batch on the target\'s host DRAM with the analytic limit alongside', async (t) => {
  const args = ['hierarchy', '--target', 'h100-sxm', '--config', 'demo', '--zipf', '1.0', '--batches', '2', '--batch-tokens', '32', '--json'];
  const r = await runCaptured(args);
  t.is(r.code, 0, r.err);
  const report = JSON.parse(r.out) as Report;
  // demo: 2 orders x 8 heads per layer.
  t.is(report.batches, 2);
  t.is(report.lookups, 2 * 32 * 16);
  t.deepEqual(report.tiers.map((x) => x.kind), ['hbm', 'host-dram']);
  t.true(report.gatherNs.mean > 0 && report.estimate.totalNs > 0);
  const again = JSON.parse((await runCaptured(args)).out) as Report;
  t.deepEqual({ ...again, wallSeconds: 0 }, { ...report, wallSeconds: 0 });
});

test('hierarchy: --trace with a static HBM cache profiles the trace\'s first part, measures the rest and writes a Perfetto trace', async (t) => {
  const dir = tempDir();
  const file = traceFile(dir);
  const r = await runCaptured(['hierarchy', '--target', 'h100-sxm', '--config', 'demo', '--trace', file, '--hbm-cache-bytes', '65536', '--policy', 'static',
    '--batch-tokens', '100', '--prefetch-ns', '5000', '--perfetto', 'window.json', '--json'], { cwd: dir });
  t.is(r.code, 0, r.err);
  const report = JSON.parse(r.out) as Report;
  t.regex(report.profile, /first 150 tokens/);
  // 450 measured tokens in chunks of 100, two layers each: 5 chunks x 2 batches.
  t.is(report.batches, 10);
  t.true(report.hitRates.hbmCache! > 0.5, 'the trace repeats a small hot set');
  t.true(existsSync(path.join(dir, 'window.json')));
  const events = JSON.parse(readFileSync(path.join(dir, 'window.json'), 'utf8')) as { name: string; ph: string; ts: number; dur: number; pid: number; tid: number }[];
  t.true(events.some((e) => e.ph === 'X' && e.name === 'batch 0 compute window' && e.dur === 5));
  t.true(events.filter((e) => e.ph === 'X').every((e) => ['name', 'ph', 'ts', 'dur', 'pid', 'tid'].every((k) => k in e)));
});

test('hierarchy: prints gather, exposed time, tiers, links and hit rates when --json is absent', async (t) => {
  const r = await runCaptured(['hierarchy', '--target', 'h100-sxm', '--config', 'demo', '--zipf', '0.9', '--batches', '1', '--batch-tokens', '16',
    '--tiers', 'host-dram:1000000,nvme', '--transfer', 'staging', '--prefetch-ns', '1000']);
  t.is(r.code, 0, r.err);
  for (const word of ['hierarchy: h100-sxm, staging over pcie-gen5-x16', 'gather:', 'analytic limit', 'exposed:', 'page cache', 'nvme-gen5', 'pcie-gen5-x16 downstream', 'nvme-gen5 to host', 'engine steps']) {
    t.true(r.out.includes(word), word);
  }
});

test('hierarchy: one line naming the option, the value and what was expected when the input is bad', async (t) => {
  const dir = tempDir();
  const file = traceFile(dir, 20);
  const cases: [string, string[]][] = [
    ['both workload sources', ['--target', 'h100-sxm', '--config', 'demo', '--zipf', '1', '--trace', file]],
    ['no workload source', ['--target', 'h100-sxm', '--config', 'demo']],
    ['a target without a host', ['--target', 'tpu-v5e', '--config', 'demo', '--zipf', '1']],
    ['an unknown tier kind', ['--target', 'h100-sxm', '--config', 'demo', '--zipf', '1', '--tiers', 'tape']],
    ['a trace of another configuration', ['--target', 'h100-sxm', '--config', 'paper-27b', '--trace', file]],
    ['an unknown CXL preset', ['--target', 'h100-sxm', '--config', 'demo', '--zipf', '1', '--tiers', 'cxl', '--cxl-preset', 'cxl9']],
    ['a zipf exponent out of range', ['--target', 'h100-sxm', '--config', 'demo', '--zipf', '-1']],
  ];
  for (const [what, args] of cases) {
    const r = await runCaptured(['hierarchy', ...args], { cwd: dir });
    t.is(r.code, 2, what);
    t.is(r.err.trim().split('\n').length, 1, what);
    t.notRegex(r.err, /\n\s+at /);
    t.snapshot(r.err, what);
  }
});
