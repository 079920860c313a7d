import test from 'ava';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { renderReportHtml } from '../../src/report/index.ts';
import { loadVegaBundles, projectVersion } from '../../src/cli/commands/report.ts';
import { loadFixtures } from './fixtures.ts';

// Debian's chromium (toolchain.md §6); CI installs it through ENGRAM_TOOLS in .ci/run.
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const browserTest = existsSync(CHROMIUM) ? test : test.skip;
const title = existsSync(CHROMIUM)
  ? 'report.html: every figure renders offline without console errors when opened in headless Chromium'
  : `report.html: every figure renders offline without console errors when opened in headless Chromium (skipped: ${CHROMIUM} is absent)`;

browserTest(title, async (t) => {
  const results = loadFixtures();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'engram-report-browser-'));
  const htmlFile = path.join(dir, 'report.html');
  writeFileSync(htmlFile, renderReportHtml(results, { version: projectVersion(), bundles: loadVegaBundles() }));
  const profile = mkdtempSync(path.join(os.tmpdir(), 'engram-chromium-profile-'));
  // A new empty profile (playwright passes it as --user-data-dir).
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1000, height: 800 } });
  try {
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    const requests: string[] = [];
    const failed: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    page.on('requestfailed', (r) => failed.push(`${r.url()} (${r.failure()?.errorText ?? 'failed'})`));
    await page.goto(pathToFileURL(htmlFile).href);
    await page.waitForFunction(() => (globalThis as unknown as { engramReport?: unknown }).engramReport !== undefined, undefined, { timeout: 30_000 });
    const status = await page.evaluate(() => (globalThis as unknown as { engramReport: { rendered: number; failed: number } }).engramReport);
    const charts = await page.$$eval('.chart', (els) => els.map((el) => ({ id: el.id, marks: el.querySelectorAll('svg .mark-rect path, svg .mark-rect, svg .mark-line path, svg .mark-symbol path').length })));
    t.deepEqual(charts.map((c) => c.id), ['fig-table4', 'fig-breakdown', 'fig-sweep-table-size', 'fig-sweep-host-link-lanes']);
    for (const c of charts) t.true(c.marks > 0, `${c.id} drew no marks`);
    t.deepEqual(status, { rendered: 4, failed: 0 });
    t.deepEqual(consoleErrors, []);
    t.deepEqual(pageErrors, []);
    t.deepEqual(failed, []);
    t.deepEqual(requests.filter((u) => u !== pathToFileURL(htmlFile).href), [], 'the page fetched something besides itself');
    const png = path.join(dir, 'report.png');
    await page.screenshot({ path: png, fullPage: true });
    t.true(statSync(png).size > 10_000, `screenshot ${png} is too small`);
    t.log(`screenshot: ${png}`);
  } finally {
    await browser.close();
  }
});
