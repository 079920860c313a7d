import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { renderReportHtml } from '../../src/report/index.ts';
import { fp8ErrorTable, loadVegaBundles, projectVersion, readSweepDb } from '../../src/cli/commands/report.ts';
import { gatedTest } from '../helpers/toolGate.ts';
import { loadFixtures, loadHierarchyFixture, loadRtlFixture, tinySweepDir } from './fixtures.ts';
import { makeTempDir } from '../helpers/tempDir.ts';

// Debian's chromium (toolchain.md §6); CI installs it through ENGRAM_TOOLS in .ci/run.
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const browserTest = gatedTest(existsSync(CHROMIUM) ? null : `${CHROMIUM} is absent`);
const title = existsSync(CHROMIUM)
  ? 'report.html: every figure of every input renders offline without console errors when opened in headless Chromium'
  : `report.html: every figure of every input renders offline without console errors when opened in headless Chromium (skipped: ${CHROMIUM} is absent)`;

const CHARTS = [
  'fig-table4',
  'fig-breakdown',
  'fig-fetch',
  'fig-sweep-table-size',
  'fig-sweep-host-link-lanes',
  'fig-tiny-projection-pareto',
  'fig-tiny-projection-costusd-vs-hbmcachebytes',
  'fig-tiny-projection-costusd-vs-tableparams',
  'fig-tiny-projection-engramtokpers-vs-hbmcachebytes',
  'fig-tiny-projection-engramtokpers-vs-tableparams',
  'fig-tiers',
  'fig-links',
  'fig-fp8-error-vs-k',
];

browserTest(title, async (t) => {
  // Every kind of input: project results, a sweep database made by the real sweep code, a hierarchy run, FP8 error
  // against K (the report command's default inputs) and an RTL report.
  const sweepDir = await tinySweepDir(t);
  const inputs = {
    projects: loadFixtures(),
    sweeps: [readSweepDb('sweep.db', sweepDir)],
    hierarchies: [loadHierarchyFixture()],
    fp8: fp8ErrorTable(),
    rtl: [loadRtlFixture()],
  };
  const dir = makeTempDir('engram-report-browser-');
  const htmlFile = path.join(dir, 'report.html');
  writeFileSync(htmlFile, renderReportHtml(inputs, { version: projectVersion(), bundles: loadVegaBundles() }));
  const profile = makeTempDir('engram-chromium-profile-');
  // A new empty profile (playwright passes it as --user-data-dir).
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1100, height: 800 } });
  try {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    const consoleWarnings: string[] = [];
    const pageErrors: string[] = [];
    const requests: string[] = [];
    const failed: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
      if (m.type() === 'warning') consoleWarnings.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    page.on('requestfailed', (r) => failed.push(`${r.url()} (${r.failure()?.errorText ?? 'failed'})`));
    await page.goto(pathToFileURL(htmlFile).href);
    await page.waitForFunction(() => (globalThis as unknown as { engramReport?: unknown }).engramReport !== undefined, undefined, { timeout: 60_000 });
    const status = await page.evaluate(() => (globalThis as unknown as { engramReport: { rendered: number; failed: number } }).engramReport);
    const charts = await page.$$eval('.chart', (els) =>
      els.map((el) => ({ id: el.id, marks: el.querySelectorAll('svg .mark-rect path, svg .mark-rect, svg .mark-line path, svg .mark-symbol path').length, svgs: el.querySelectorAll('svg').length })),
    );
    t.deepEqual(charts.map((c) => c.id), CHARTS);
    for (const c of charts) {
      t.is(c.svgs, 1, `${c.id} has no chart`);
      t.true(c.marks > 0, `${c.id} drew no marks`);
    }
    // The frontier draws every feasible point as a symbol (12) and joins the front with a line.
    const pareto = await page.$$eval('#fig-tiny-projection-pareto svg .mark-symbol.role-mark path', (els) => els.length);
    t.is(pareto, 12);
    t.is(await page.$$eval('#fig-tiny-projection-pareto svg .mark-line.role-mark path', (els) => els.length), 1);
    // Tables: the best points of the sweep and the RTL cost, with their rows.
    t.true((await page.$$eval('#table-tiny-projection-best tr', (els) => els.length)) > 1);
    t.is(await page.$$eval('#table-rtl-cost tr', (els) => els.length), 14);
    t.deepEqual(status, { rendered: CHARTS.length, failed: 0 });
    t.deepEqual(consoleErrors, []);
    t.deepEqual(consoleWarnings, [], 'vega warns about specs it cannot fully apply');
    t.deepEqual(pageErrors, []);
    t.deepEqual(failed, []);
    t.deepEqual(requests.filter((u) => u !== pathToFileURL(htmlFile).href), [], 'the page fetched something besides itself');
    // Kept where a person can look at it (out/ is ignored by git); each run overwrites it.
    const shots = path.resolve(import.meta.dirname, '..', '..', 'out', 'test');
    mkdirSync(shots, { recursive: true });
    const png = path.join(shots, 'report-browser.png');
    await page.screenshot({ path: png, fullPage: true });
    t.true(statSync(png).size > 10_000, `screenshot ${png} is too small`);
    t.log(`screenshot: ${png}`);
  } finally {
    await browser.close();
  }
});
