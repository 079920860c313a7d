import test from 'ava';
import { MAX_INLINE_CSV_ROWS, renderReportHtml, scriptSafe } from '../../src/report/index.ts';
import { allInputs, loadFixtures, syntheticSweep } from './fixtures.ts';

const bundles = { vega: 'window.vega={/*vega*/};', vegaLite: 'window.vegaLite={"x":"</script>"};', vegaEmbed: 'window.vegaEmbed=function(){};' };

test('renderReportHtml: inlines the three bundles and one chart container per figure when given results', (t) => {
  const html = renderReportHtml({ projects: loadFixtures() }, { version: '0.1.0', bundles });
  t.true(html.startsWith('<!DOCTYPE html>\n'));
  t.true(html.includes('<script>window.vega={/*vega*/};</script>'));
  t.true(html.includes('<script>window.vegaEmbed=function(){};</script>'));
  t.deepEqual([...html.matchAll(/<div class="chart" id="([^"]+)"><\/div>/g)].map((m) => m[1]), ['fig-table4', 'fig-breakdown', 'fig-fetch', 'fig-sweep-table-size', 'fig-sweep-host-link-lanes']);
  t.is([...html.matchAll(/<figcaption>[^<]*seed 0\.( [^<]*)? Data: [a-z0-9-]+\.csv\.<\/figcaption>/g)].length, 5);
});

test('renderReportHtml: references nothing outside the page when rendered', (t) => {
  const html = renderReportHtml({ projects: loadFixtures() }, { version: '0.1.0', bundles });
  t.notRegex(html, /<script[^>]+src=/);
  t.notRegex(html, /<link[^>]+href=/);
  t.notRegex(html, /https?:\/\/(?!vega\.github\.io\/schema\/)/);
});

test('renderReportHtml: escapes a closing script tag inside a bundle when inlining it', (t) => {
  const html = renderReportHtml({ projects: loadFixtures() }, { version: '0.1.0', bundles });
  t.true(html.includes('window.vegaLite={"x":"<\\/script>"};'));
  t.is(scriptSafe('a</SCRIPT>b'), 'a<\\/SCRIPT>b');
});

test('renderReportHtml: gives byte-identical pages when rendering the same results twice', (t) => {
  t.is(renderReportHtml({ projects: loadFixtures() }, { version: '0.1.0', bundles }), renderReportHtml({ projects: loadFixtures() }, { version: '0.1.0', bundles }));
});

test('renderReportHtml: one section per input kind, with the sweep facts, its spec and the tables on the page', (t) => {
  const html = renderReportHtml(allInputs(), { version: '0.1.0', bundles });
  t.deepEqual([...html.matchAll(/<section id="([^"]+)">\n<h2>([^<]+)<\/h2>/g)].map((m) => [m[1], m[2]]), [
    ['projection', 'Serving projection'],
    ['sweep-1', 'Design-space sweep synthetic'],
    ['hierarchy-1', 'Memory hierarchy: h800-sxm'],
    ['fp8', 'FP8 accumulation error'],
    ['rtl', 'RTL cost'],
  ]);
  t.regex(html, /<tr><th>points<\/th><td>16 enumerated, 16 stored: 13 feasible, 2 infeasible, 1 rejected by the model<\/td><\/tr>/);
  t.regex(html, /<details><summary>sweep spec \(as stored, defaults filled in\)<\/summary><pre>\{\n[^<]*&quot;evaluator&quot;: &quot;projection&quot;/);
  t.regex(html, /<div class="scroll" id="table-synthetic-best"><table>\n<tr><th>rank<\/th><th>costUsd<\/th><th>tokPerS<\/th>/);
  t.regex(html, /<div class="scroll" id="table-rtl-cost"><table>\n<tr><th><\/th><th>MAX_N 3, 8 heads\/order, 4 ports, depth 16, DATA_W 64<\/th><\/tr>\n<tr><td>UltraScale\+ LUT<\/td><td class="num">64096<\/td><\/tr>\n/);
  t.deepEqual([...html.matchAll(/<div class="chart" id="([^"]+)"><\/div>/g)].map((m) => m[1]), [
    'fig-table4', 'fig-breakdown', 'fig-fetch', 'fig-sweep-table-size', 'fig-sweep-host-link-lanes',
    'fig-synthetic-pareto', 'fig-synthetic-costusd-vs-lanes', 'fig-synthetic-costusd-vs-sizebytes', 'fig-synthetic-tokpers-vs-lanes', 'fig-synthetic-tokpers-vs-sizebytes',
    'fig-tiers', 'fig-links', 'fig-fp8-error-vs-k',
  ]);
});

test('renderReportHtml: every caption names the project version and a seed and its CSV when given every input kind', (t) => {
  const html = renderReportHtml(allInputs(), { version: '0.1.0', bundles });
  const captions = [...html.matchAll(/<figcaption>([^<]*)<\/figcaption>/g)].map((m) => m[1]!);
  t.is(captions.length, 15);
  captions.forEach((c, i) => {
    t.true(c.startsWith(`Figure ${i + 1}: `), c);
    t.regex(c, /engram-codesign 0\.1\.0; /);
    t.regex(c, /\bseeds?\b/);
    t.regex(c, /Data: [a-z0-9-]+\.csv\.$/);
  });
});

test('renderReportHtml: keeps a large series\' data out of the page when it has more rows than the inline limit', (t) => {
  const sweep = syntheticSweep();
  const rows = Array.from({ length: Math.ceil((MAX_INLINE_CSV_ROWS + 1) / 13) }, (_, copy) => sweep.rows.map((r) => ({ ...r, key: `${copy}${r.key}`.slice(0, 64), idx: r.idx + copy * 100 }))).flat();
  const html = renderReportHtml({ sweeps: [{ ...sweep, rows }] }, { version: '0.1.0', bundles });
  t.notRegex(html, /<summary>data \(synthetic-pareto\.csv/);
  t.regex(html, /<summary>data \(synthetic-best\.csv/);
});
