import test from 'ava';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCaptured } from '../../helpers/fakeIo.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../report/fixtures/${name}`, import.meta.url));
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'engram-report-cli-'));

test('report: writes report.html, report.md and one CSV per series and lists them when given a Table 4 run and a sweep', async (t) => {
  const dir = tmp();
  const r = await runCaptured(['report', '--project', fixture('table4.json'), '--project', fixture('sweep-link-bandwidth.json'), '--out', dir]);
  t.is(r.code, 0, r.err);
  const names = ['report.html', 'report.md', 'table4.csv', 'breakdown.csv', 'sweep-host-link-lanes.csv'];
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
  const r = await runCaptured(['report', '--project', fixture('sweep-table-size.json'), '--out', dir, '--json']);
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
  t.deepEqual(direct, ['breakdown.csv', 'report.html', 'report.md', 'table4.csv']);
  for (const name of direct) t.is(readFileSync(path.join(dir, 'direct', name), 'utf8'), readFileSync(path.join(dir, 'via-report', name), 'utf8'), name);
});

const badFile = (name: string, text: string) => {
  const file = path.join(tmp(), name);
  writeFileSync(file, text);
  return file;
};

const errors: readonly [string, () => string[]][] = [
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
];

for (const [what, argv] of errors) {
  test(`report: exits 2 with a one-line message when given ${what}`, async (t) => {
    const r = await runCaptured(argv());
    t.is(r.code, 2);
    t.is(r.out, '');
    t.is(r.err.trimEnd().split('\n').length, 1, r.err);
    // Temporary folders differ between runs; the message keeps the file's base name.
    t.snapshot(r.err.replace(/\S*engram-report-cli-\w+\//g, '<tmp>/'));
  });
}
