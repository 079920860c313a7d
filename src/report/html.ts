// The self-contained HTML report: vega, vega-lite and vega-embed inlined (their text is passed in; this
// folder reads no files), one vega-lite spec per figure, a caption per figure; nothing is fetched at view time.
import { renderSeriesCsv } from './csv.ts';
import { provenanceLine, reportSeries } from './series.ts';
import type { ProjectResult } from './projectResult.ts';
import { vegaLiteSpec } from './vegaSpecs.ts';

/** The minified browser bundles' text (node_modules/{vega,vega-lite,vega-embed}/build/*.min.js). */
export interface VegaBundles {
  readonly vega: string;
  readonly vegaLite: string;
  readonly vegaEmbed: string;
}

export interface HtmlReportOptions {
  /** package.json's version, printed on every figure. */
  readonly version: string;
  readonly bundles: VegaBundles;
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** Makes script text safe inside <script>: no `</script` can end the element early. */
export function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1');
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}
figure{margin:2em 0}figcaption{font-size:.85em;color:#555;margin-top:.5em}
details pre{font-size:.8em;background:#f6f6f6;padding:.5em;overflow:auto}`;

/**
 * Renders the results as one HTML page. The page sets `window.engramReport = {rendered, failed}` once every
 * figure's vegaEmbed promise has settled, so a headless browser can wait for it.
 */
export function renderReportHtml(results: readonly ProjectResult[], options: HtmlReportOptions): string {
  const series = reportSeries(results);
  const specs = series.map((s) => ({ id: `fig-${s.name}`, spec: vegaLiteSpec(s, options.version) }));
  const figures = series.map(
    (s, i) =>
      `<figure id="figure-${s.name}">\n<div class="chart" id="fig-${s.name}"></div>\n` +
      `<figcaption>Figure ${i + 1}: ${escapeHtml(s.title)}. ${escapeHtml(provenanceLine(s.source, options.version))}. Data: ${escapeHtml(s.name)}.csv.</figcaption>\n` +
      `<details><summary>data (${escapeHtml(s.name)}.csv)</summary><pre>${escapeHtml(renderSeriesCsv(s))}</pre></details>\n</figure>`,
  );
  const sources = [...new Set(results.map((r) => r.paperSource).filter((s): s is string => s !== undefined))];
  const boot = `(function(){
var specs=${scriptSafe(JSON.stringify(specs))};
var done;
try{done=specs.map(function(f){return vegaEmbed('#'+f.id,f.spec,{actions:false,renderer:'svg'}).then(function(){return true},function(e){console.error(f.id+': '+e);return false})})}
catch(e){console.error('report: '+e);done=specs.map(function(){return false})}
Promise.all(done).then(function(ok){window.engramReport={rendered:ok.filter(Boolean).length,failed:ok.filter(function(x){return !x}).length}});
})();`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>Engram serving projection (engram-codesign ${escapeHtml(options.version)})</title>`,
    `<style>${STYLE}</style>`,
    `<script>${scriptSafe(options.bundles.vega)}</script>`,
    `<script>${scriptSafe(options.bundles.vegaLite)}</script>`,
    `<script>${scriptSafe(options.bundles.vegaEmbed)}</script>`,
    '</head>',
    '<body>',
    '<h1>Engram serving projection</h1>',
    `<p>engram-codesign ${escapeHtml(options.version)}; the serving projection of arXiv 2601.07372 (§6.4). ${series.length} figure(s); each caption names its inputs and seed.</p>`,
    ...sources.map((s) => `<p>Paper numbers: ${escapeHtml(s)}</p>`),
    ...figures,
    `<script>${boot}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
