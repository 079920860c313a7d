import test from 'ava';
import Database from 'better-sqlite3';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCaptured } from '../../helpers/fakeIo.ts';
import { tinySweepDir } from '../../report/fixtures.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../report/fixtures/${name}`, import.meta.url));
const tmp = () => makeTempDir('engram-report-cli-');

/** Parses a CSV written by the report (RFC 4180: quoted fields may hold commas and doubled quotes). */
function csvRows(file: string): Record<string, string>[] {
  const parse = (line: string): string[] => [...line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)].map((m) => (m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2]!));
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const columns = parse(header!);
  return lines.map((line) => Object.fromEntries(parse(line).map((v, i) => [columns[i]!, v])));
}

// One real sweep database (TINY_PROJECTION_SPEC through `engram-dse sweep`), read-only for every test below.
let sweepDir = '';
const teardowns: (() => void)[] = [];
test.before(async () => {
  sweepDir = await tinySweepDir({ teardown: (fn) => teardowns.push(fn) });
});
test.after.always(() => {
  for (const fn of teardowns) fn();
});
/** A fresh output folder for a run in sweepDir. */
const outIn = () => path.relative(sweepDir, tmp());

test('report: writes report.html, report.md and one CSV per series and lists them when given a Table 4 run and a sweep', async (t) => {
  const dir = tmp();
  const r = await runCaptured(['report', '--project', fixture('table4.json'), '--project', fixture('sweep-link-bandwidth.json'), '--out', dir]);
  t.is(r.code, 0, r.err);
  const names = ['report.html', 'report.md', 'table4.csv', 'breakdown.csv', 'fetch.csv', 'sweep-host-link-lanes.csv', 'fp8-error-vs-k.csv'];
  t.is(r.out, names.map((n) => `wrote ${path.join(dir, n)}\n`).join(''));
  t.deepEqual(readdirSync(dir).sort(), [...names].sort());
  const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
  t.true(html.length > 500_000, 'the vega bundles are inlined');
  t.regex(html, /engram-codesign 0\.1\.0/);
  t.regex(readFileSync(path.join(dir, 'table4.csv'), 'utf8'), /^backbone,run,source,tokPerS\n/);
});

test('report: writes byte-identical files when run twice on the same result', async (t) => {
  const [a, b] = [tmp(), tmp()];
  for (const dir of [a, b]) t.is((await runCaptured(['report', '--project', fixture('table4.json'), '--out', dir])).code, 0);
  for (const name of readdirSync(a)) t.is(readFileSync(path.join(a, name), 'utf8'), readFileSync(path.join(b, name), 'utf8'), name);
});

test('report: --json prints the folder and the files written', async (t) => {
  const dir = tmp();
  const r = await runCaptured(['report', '--project', fixture('sweep-table-size.json'), '--out', dir, '--json', '--no-fp8']);
  t.is(r.code, 0, r.err);
  t.deepEqual(JSON.parse(r.out), { out: dir, files: ['report.html', 'report.md', 'sweep-table-size.csv'] });
});

test('project: --report writes the same report as engram-dse report on its result.json', async (t) => {
  const dir = tmp();
  const r = await runCaptured(['project', '--fast', '--out', path.join(dir, 'result'), '--report', path.join(dir, 'direct')]);
  t.is(r.code, 0, r.err);
  const again = await runCaptured(['report', '--project', path.join(dir, 'result', 'result.json'), '--out', path.join(dir, 'via-report')]);
  t.is(again.code, 0, again.err);
  const direct = readdirSync(path.join(dir, 'direct')).sort();
  t.deepEqual(direct, ['breakdown.csv', 'fetch.csv', 'fp8-error-vs-k.csv', 'report.html', 'report.md', 'table4.csv']);
  for (const name of direct) t.is(readFileSync(path.join(dir, 'direct', name), 'utf8'), readFileSync(path.join(dir, 'via-report', name), 'utf8'), name);
});

test('report --from: reports a sweep database: its inputs, best points, frontier and objectives against table size per tier', async (t) => {
  const sweep = sweepDir;
  const outDir = outIn();
  const r = await runCaptured(['report', '--from', 'sweep.db', '--out', outDir, '--no-fp8', '--json'], { cwd: sweep });
  t.is(r.code, 0, r.err);
  t.deepEqual(JSON.parse(r.out).files, [
    'report.html',
    'report.md',
    'tiny-projection-best.csv',
    'tiny-projection-pareto.csv',
    'tiny-projection-costusd-vs-hbmcachebytes.csv',
    'tiny-projection-costusd-vs-tableparams.csv',
    'tiny-projection-engramtokpers-vs-hbmcachebytes.csv',
    'tiny-projection-engramtokpers-vs-tableparams.csv',
  ]);
  const out = path.join(sweep, outDir);
  // The best points are the front `engram-dse pareto` prints for the same objectives, in the same order.
  const pareto = await runCaptured(['pareto', 'sweep.db', '--json'], { cwd: sweep });
  t.is(pareto.code, 0, pareto.err);
  const front = (JSON.parse(pareto.out) as { front: { key: string }[] }).front.map((f) => f.key.slice(0, 12));
  t.true(front.length > 0);
  t.deepEqual(csvRows(path.join(out, 'tiny-projection-best.csv')).map((row) => row.key), front);
  // Throughput against table size: one line per (HBM cache, tier), three table sizes each, every point of the sweep.
  const lines = csvRows(path.join(out, 'tiny-projection-engramtokpers-vs-tableparams.csv'));
  t.is(lines.length, 12);
  t.deepEqual([...new Set(lines.map((row) => row.group))].sort(), ['hbmCacheBytes=0, tier=dram', 'hbmCacheBytes=0, tier=nvme', 'hbmCacheBytes=1.6e10, tier=dram', 'hbmCacheBytes=1.6e10, tier=nvme']);
  for (const row of lines) t.true(Number(row.engramTokPerS) > 0);
  const md = readFileSync(path.join(out, 'report.md'), 'utf8');
  t.regex(md, /^- evaluator: projection version 2; inputs \(targets, configurations, costs\) sha256 [0-9a-f]{16}$/m);
  t.regex(md, /^- points: 12 enumerated, 12 stored: 12 feasible, 0 infeasible, 0 rejected by the model$/m);
  t.regex(md, /^engram-codesign 0\.1\.0; sweep tiny-projection \(sweep\.db\); evaluator projection version 2; grid sampler, 12 of 12 points stored; per-point seeds from point content\. Data: `tiny-projection-pareto\.csv`\.$/m);
  t.regex(readFileSync(path.join(out, 'report.html'), 'utf8'), /<h2>Design-space sweep tiny-projection<\/h2>/);
});

test('report --from --objectives: plots the named result fields and parameters instead of the spec\'s objectives', async (t) => {
  const sweep = sweepDir;
  const outDir = outIn();
  const r = await runCaptured(['report', '--from', 'sweep.db', '--objectives', 'penaltyPct:min,tableParams:max', '--out', outDir, '--no-fp8', '--json'], { cwd: sweep });
  t.is(r.code, 0, r.err);
  t.deepEqual(JSON.parse(r.out).files.slice(2), ['tiny-projection-best.csv', 'tiny-projection-pareto.csv', 'tiny-projection-penaltypct-vs-hbmcachebytes.csv', 'tiny-projection-penaltypct-vs-tableparams.csv']);
  t.is(readFileSync(path.join(sweep, outDir, 'tiny-projection-pareto.csv'), 'utf8').split('\n')[0], 'key,penaltyPct,tableParams,set,hbmCacheBytes,tier');
});

test('report: puts a sweep, project results, a hierarchy run, FP8 error and the RTL cost on one page when given them all', async (t) => {
  const sweep = sweepDir;
  const outDir = outIn();
  const r = await runCaptured(
    ['report', '--from', 'sweep.db', '--project', fixture('table4.json'), '--hierarchy', fixture('hierarchy-4tier.json'), '--rtl', fixture('rtl-default.json'), '--fp8-ks', '256,4096', '--fp8-seed', '7', '--out', outDir],
    { cwd: sweep },
  );
  t.is(r.code, 0, r.err);
  const out = path.join(sweep, outDir);
  const html = readFileSync(path.join(out, 'report.html'), 'utf8');
  t.deepEqual([...html.matchAll(/<section id="[^"]+">\n<h2>([^<]+)<\/h2>/g)].map((m) => m[1]), ['Serving projection', 'Design-space sweep tiny-projection', 'Memory hierarchy: h800-sxm', 'FP8 accumulation error', 'RTL cost']);
  t.deepEqual(csvRows(path.join(out, 'fp8-error-vs-k.csv')).map((row) => row.k), ['256', '256', '256', '256', '4096', '4096', '4096', '4096']);
  t.regex(readFileSync(path.join(out, 'report.md'), 'utf8'), /K in 256, 4096; seed 7; recompute with: engram-dse fp8 accum-table --ks 256,4096 --m 8 --n 8 --seed 7 --distribution uniform01\./);
  t.deepEqual(csvRows(path.join(out, 'tiers.csv')).map((row) => row.kind), ['hbm', 'host-dram', 'cxl', 'nvme']);
  t.is(csvRows(path.join(out, 'rtl-cost.csv'))[0]!.lut, '64096');
});

const badFile = (name: string, text: string) => {
  const file = path.join(tmp(), name);
  writeFileSync(file, text);
  return file;
};

/** An SQLite file with tables but no sweep metadata. */
function foreignDb(): string {
  const file = path.join(tmp(), 'other.db');
  const db = new Database(file);
  db.exec('CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL); CREATE TABLE t (x INTEGER);');
  db.close();
  return path.relative(process.cwd(), file);
}

const errors: readonly [string, () => string[] | Promise<string[]>][] = [
  ['a result file that does not exist', () => ['report', '--project', 'no/such/result.json', '--out', tmp()]],
  ['a file that is not JSON', () => ['report', '--project', path.relative(process.cwd(), badFile('notjson.json', '{ rows: ')), '--out', tmp()]],
  [
    'a row without its Engram throughput',
    () => {
      const raw = JSON.parse(readFileSync(fixture('table4.json'), 'utf8'));
      delete raw.rows[0].engramTokPerS;
      return ['report', '--project', path.relative(process.cwd(), badFile('norow.json', JSON.stringify(raw))), '--out', tmp()];
    },
  ],
  ['no --out', () => ['report', '--project', fixture('table4.json')]],
  ['no input at all', () => ['report', '--out', tmp()]],
  ['a sweep database that does not exist', () => ['report', '--from', 'no/such/sweep.db', '--out', tmp()]],
  ['a --from file that is not a database', () => ['report', '--from', path.relative(process.cwd(), badFile('notdb.db', 'this is not SQLite\n')), '--out', tmp()]],
  ['a database that is not a sweep database', () => ['report', '--from', foreignDb(), '--out', tmp()]],
  ['--objectives without --from', () => ['report', '--project', fixture('table4.json'), '--objectives', 'costUsd:min', '--out', tmp()]],
  ['--no-fp8 with --fp8-ks', () => ['report', '--project', fixture('table4.json'), '--no-fp8', '--fp8-ks', '512', '--out', tmp()]],
  ['a bad --fp8-ks value', () => ['report', '--project', fixture('table4.json'), '--fp8-ks', '512,zero', '--out', tmp()]],
  ['a hierarchy run without tiers', () => ['report', '--hierarchy', path.relative(process.cwd(), badFile('h.json', JSON.stringify({ ...JSON.parse(readFileSync(fixture('hierarchy-4tier.json'), 'utf8')), tiers: [] }))), '--out', tmp()]],
  ['an RTL report that does not exist', () => ['report', '--rtl', 'no/such/rtl.json', '--out', tmp()]],
];

for (const [what, argv] of errors) {
  test(`report: exits 2 with a one-line message when given ${what}`, async (t) => {
    const r = await runCaptured(await argv());
    t.is(r.code, 2);
    t.is(r.out, '');
    t.is(r.err.trimEnd().split('\n').length, 1, r.err);
    t.regex(r.err, /^engram-dse: |^error: /);
    // Temporary folders differ between runs; the message keeps the file's base name.
    t.snapshot(r.err.replace(/\S*engram-report-cli-\w+\//g, '<tmp>/'));
  });
}

const objectiveErrors: readonly [string, string][] = [
  ['a goal other than max or min', 'engramTokPerS:highest'],
  ['an unknown name, listing the known ones', 'throughput:max'],
  ['a text-valued field', 'tier:max'],
  ['the same name twice', 'costUsd:min,costUsd:max'],
];

for (const [what, objectives] of objectiveErrors) {
  test(`report --from: exits 2 with a one-line message when --objectives has ${what}`, async (t) => {
    const sweep = sweepDir;
    const outDir = outIn();
    const r = await runCaptured(['report', '--from', 'sweep.db', '--objectives', objectives, '--out', outDir], { cwd: sweep });
    t.is(r.code, 2);
    t.is(r.out, '');
    t.is(r.err.trimEnd().split('\n').length, 1, r.err);
    t.snapshot(r.err);
  });
}
