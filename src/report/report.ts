// Every file of a report as (name, text) pairs: report.html, report.md and one CSV per plotted series.
import { renderSeriesCsv } from './csv.ts';
import { renderReportHtml, type VegaBundles } from './html.ts';
import { renderReportMarkdown } from './markdown.ts';
import type { ProjectResult } from './projectResult.ts';
import { reportSeries } from './series.ts';

export interface ReportFile {
  /** File name relative to the report folder. */
  readonly name: string;
  readonly text: string;
}

export interface RenderedReport {
  readonly files: readonly ReportFile[];
}

/** Renders the whole report; the same results, version and bundles give byte-identical files. */
export function renderReport(results: readonly ProjectResult[], options: { readonly version: string; readonly bundles: VegaBundles }): RenderedReport {
  return {
    files: [
      { name: 'report.html', text: renderReportHtml(results, options) },
      { name: 'report.md', text: renderReportMarkdown(results, options) },
      ...reportSeries(results).map((s) => ({ name: `${s.name}.csv`, text: renderSeriesCsv(s) })),
    ],
  };
}
