// Public surface of report/: project results, sweep databases (as read by the CLI), hierarchy runs, FP8 error
// tables and RTL reports rendered to HTML, Markdown and CSV strings (no file I/O here).
export { parseProjectResult, projectResultSchema, type ProjectInputs, type ProjectPhase, type ProjectResult, type ProjectRow, type ProjectRun, type ProjectSweep } from './projectResult.ts';
export {
  BREAKDOWN_COMPONENTS, figureProvenance, formatNumber, projectInputs, projectSeries, provenanceLine, slug, uniqueNames, wantsLogScale,
  type Axis, type Cell, type Row, type Series, type SeriesKind, type UniqueName,
} from './series.ts';
export {
  BEST_TABLE_ROWS, MAX_GROUPS, MAX_OBJECTIVE_FIGURES, MAX_PLOTTED_POINTS, resolveObjectives, sweepCounts, sweepFacts, sweepInputs, sweepSeries, sweptParameters,
  type ObjectiveChoice, type ObjectiveSource, type ResolvedObjective, type SweepMetaInfo, type SweepReportInput, type SweepRow,
} from './sweepSeries.ts';
export { hierarchyInputs, hierarchyResultSchema, hierarchySeries, parseHierarchyResult, type HierarchyInput, type HierarchyResult } from './hierarchyResult.ts';
export { fp8Command, fp8Inputs, fp8Series, type Fp8ErrorTable } from './fp8Error.ts';
export { parseRtlReport, RTL_COLUMNS, RTL_LABELS, rtlConfiguration, rtlReportSchema, rtlSeries, rtlTransposed, type RtlInput, type RtlReport } from './rtlResult.ts';
export { reportSections, reportSeries, type ReportInputs, type ReportSection } from './sections.ts';
export { renderSeriesCsv } from './csv.ts';
export { vegaLiteSpec, wrapText, type VegaLiteSpec } from './vegaSpecs.ts';
export { escapeHtml, MAX_INLINE_CSV_ROWS, renderReportHtml, renderSectionsHtml, scriptSafe, type HtmlReportOptions, type VegaBundles } from './html.ts';
export { MARKDOWN_MAX_POINTS, renderReportMarkdown, renderSectionsMarkdown } from './markdown.ts';
export { renderReport, type RenderedReport, type ReportFile } from './report.ts';
