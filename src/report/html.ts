// The self-contained HTML report: vega, vega-lite and vega-embed inlined (their text is passed in; this
// folder reads no files), one section per kind of input with its facts, one vega-lite spec per chart and an
// HTML table per table series, a caption per figure; nothing is fetched at view time.
import { renderSeriesCsv } from './csv.ts';
import { rtlTransposed } from './rtlResult.ts';
import { reportSections, type ReportInputs, type ReportSection } from './sections.ts';
import { figureProvenance, formatNumber, type Cell, type Series } from './series.ts';
import { BEST_TABLE_ROWS } from './sweepSeries.ts';
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

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** Makes script text safe inside <script>: no `</script` can end the element early. */
export function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1');
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em auto;max-width:64em;color:#222}
figure{margin:2em 0}figcaption{font-size:.85em;color:#555;margin-top:.5em}
details pre{font-size:.8em;background:#f6f6f6;padding:.5em;overflow:auto;max-height:30em}
table{border-collapse:collapse;font-size:.85em}td,th{border-bottom:1px solid #ddd;padding:.2em .5em;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}.scroll{overflow-x:auto}
table.facts th{vertical-align:top;white-space:nowrap;color:#555;font-weight:normal}`;

/** Series with more rows than this keep their data in the CSV only (large sweeps would double the page). */
export const MAX_INLINE_CSV_ROWS = 2000;

/** Table rows shown on the page for a table series (the CSV holds all). */
function shownRows(s: Series): readonly (readonly Cell[])[] {
  return s.kind === 'sweep-best' ? s.rows.slice(0, BEST_TABLE_ROWS) : s.rows;
}

function cellHtml(cell: Cell): string {
  return typeof cell === 'number' ? `<td class="num">${escapeHtml(formatNumber(cell))}</td>` : `<td>${escapeHtml(cell)}</td>`;
}

function tableHtml(s: Series): string {
  // The RTL table reads down a column per configuration; the others read across a row per point.
  const turned = s.kind === 'rtl' ? rtlTransposed(s) : undefined;
  const columns = turned === undefined ? s.columns : ['', ...turned.columns];
  const rows = turned === undefined ? shownRows(s) : turned.rows;
  const head = `<tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map(cellHtml).join('')}</tr>`);
  return `<div class="scroll" id="table-${s.name}"><table>\n${[head, ...body].join('\n')}\n</table></div>`;
}

function factsHtml(section: ReportSection): string[] {
  if (section.facts.length === 0) return [];
  return [`<table class="facts">\n${section.facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}\n</table>`];
}

/**
 * Renders the inputs as one HTML page. The page sets `window.engramReport = {rendered, failed}` once every
 * chart's vegaEmbed promise has settled, so a headless browser can wait for it.
 */
export function renderReportHtml(inputs: ReportInputs, options: HtmlReportOptions): string {
  return renderSectionsHtml(reportSections(inputs), options);
}

export function renderSectionsHtml(sections: readonly ReportSection[], options: HtmlReportOptions): string {
  const series = sections.flatMap((s) => s.series);
  const charts = series.filter((s) => s.display === 'chart');
  const specs = charts.map((s) => ({ id: `fig-${s.name}`, spec: vegaLiteSpec(s, options.version) }));
  let figureNumber = 0;
  const body = sections.flatMap((section) => [
    `<section id="${escapeHtml(section.id)}">`,
    `<h2>${escapeHtml(section.title)}</h2>`,
    ...factsHtml(section),
    ...(section.details === undefined ? [] : [`<details><summary>${escapeHtml(section.details.summary)}</summary><pre>${escapeHtml(section.details.text)}</pre></details>`]),
    ...section.series.map((s) => {
      figureNumber++;
      const content = s.display === 'chart' ? `<div class="chart" id="fig-${s.name}"></div>` : tableHtml(s);
      const note = s.note === undefined ? '' : ` ${escapeHtml(s.note)}`;
      return (
        `<figure id="figure-${s.name}">\n${content}\n` +
        `<figcaption>Figure ${figureNumber}: ${escapeHtml(s.title)}. ${escapeHtml(figureProvenance(s, options.version))}.${note} Data: ${escapeHtml(s.name)}.csv.</figcaption>\n` +
        (s.rows.length <= MAX_INLINE_CSV_ROWS ? `<details><summary>data (${escapeHtml(s.name)}.csv, ${s.rows.length} rows)</summary><pre>${escapeHtml(renderSeriesCsv(s))}</pre></details>\n` : '') +
        '</figure>'
      );
    }),
    '</section>',
  ]);
  const boot = `(function(){
var specs=${scriptSafe(JSON.stringify(specs))};
var done;
try{done=specs.map(function(f){return vegaEmbed('#'+f.id,f.spec,{actions:false,renderer:'svg'}).then(function(){return true},function(e){console.error(f.id+': '+e);return false})})}
catch(e){console.error('report: '+e);done=specs.map(function(){return false})}
Promise.all(done).then(function(ok){window.engramReport={rendered:ok.filter(Boolean).length,failed:ok.filter(function(x){return !x}).length}});
})();`;
  const contents = sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join(' · ');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>Engram co-design report (engram-codesign ${escapeHtml(options.version)})</title>`,
    `<style>${STYLE}</style>`,
    `<script>${scriptSafe(options.bundles.vega)}</script>`,
    `<script>${scriptSafe(options.bundles.vegaLite)}</script>`,
    `<script>${scriptSafe(options.bundles.vegaEmbed)}</script>`,
    '</head>',
    '<body>',
    '<h1>Engram co-design report</h1>',
    `<p>engram-codesign ${escapeHtml(options.version)}. ${series.length} figure(s), ${charts.length} of them charts; each caption names its inputs and seed, and each figure's data is in a CSV beside this page.</p>`,
    `<p>${contents}</p>`,
    ...body,
    `<script>${boot}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
