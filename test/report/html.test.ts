import test from 'ava';
import { renderReportHtml, scriptSafe } from '../../src/report/index.ts';
import { loadFixtures } from './fixtures.ts';

const bundles = { vega: 'window.vega={/*vega*/};', vegaLite: 'window.vegaLite={"x":"</script>"};', vegaEmbed: 'window.vegaEmbed=function(){};' };

test('renderReportHtml: inlines the three bundles and one chart container per figure when given results', (t) => {
  const html = renderReportHtml(loadFixtures(), { version: '0.1.0', bundles });
  t.true(html.startsWith('<!DOCTYPE html>\n'));
  t.true(html.includes('<script>window.vega={/*vega*/};</script>'));
  t.true(html.includes('<script>window.vegaEmbed=function(){};</script>'));
  t.deepEqual([...html.matchAll(/<div class="chart" id="([^"]+)"><\/div>/g)].map((m) => m[1]), ['fig-table4', 'fig-breakdown', 'fig-sweep-table-size', 'fig-sweep-host-link-lanes']);
  t.is([...html.matchAll(/<figcaption>[^<]*seed 0\. Data: [a-z0-9-]+\.csv\.<\/figcaption>/g)].length, 4);
});

test('renderReportHtml: references nothing outside the page when rendered', (t) => {
  const html = renderReportHtml(loadFixtures(), { version: '0.1.0', bundles });
  t.notRegex(html, /<script[^>]+src=/);
  t.notRegex(html, /<link[^>]+href=/);
  t.notRegex(html, /https?:\/\/(?!vega\.github\.io\/schema\/)/);
});

test('renderReportHtml: escapes a closing script tag inside a bundle when inlining it', (t) => {
  const html = renderReportHtml(loadFixtures(), { version: '0.1.0', bundles });
  t.true(html.includes('window.vegaLite={"x":"<\\/script>"};'));
  t.is(scriptSafe('a</SCRIPT>b'), 'a<\\/SCRIPT>b');
});

test('renderReportHtml: gives byte-identical pages when rendering the same results twice', (t) => {
  t.is(renderReportHtml(loadFixtures(), { version: '0.1.0', bundles }), renderReportHtml(loadFixtures(), { version: '0.1.0', bundles }));
});
