// Public surface of report/: project results rendered to HTML, Markdown and CSV strings (no file I/O here).
export { parseProjectResult, projectResultSchema, type ProjectInputs, type ProjectPhase, type ProjectResult, type ProjectRow, type ProjectRun, type ProjectSweep } from './projectResult.ts';
export { reportSeries, provenanceLine, slug, BREAKDOWN_COMPONENTS, type Cell, type Series } from './series.ts';
export { renderSeriesCsv } from './csv.ts';
export { vegaLiteSpec, type VegaLiteSpec } from './vegaSpecs.ts';
export { renderReportHtml, scriptSafe, type HtmlReportOptions, type VegaBundles } from './html.ts';
export { renderReportMarkdown } from './markdown.ts';
export { renderReport, type RenderedReport, type ReportFile } from './report.ts';
