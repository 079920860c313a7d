// Every file of a report as (name, text) pairs: report.html, report.md and one CSV per series.
import { renderSeriesCsv } from './csv.ts';
import { renderSectionsHtml, type VegaBundles } from './html.ts';
import { renderSectionsMarkdown } from './markdown.ts';
import { reportSections, type ReportInputs } from './sections.ts';

export interface ReportFile {
  /** File name relative to the report folder. */
  readonly name: string;
  readonly text: string;
}

export interface RenderedReport {
  readonly files: readonly ReportFile[];
}

/** Renders the whole report; the same inputs, version and bundles give byte-identical files. */
export function renderReport(inputs: ReportInputs, options: { readonly version: string; readonly bundles: VegaBundles }): RenderedReport {
  const sections = reportSections(inputs);
  return {
    files: [
      { name: 'report.html', text: renderSectionsHtml(sections, options) },
      { name: 'report.md', text: renderSectionsMarkdown(sections, options) },
      ...sections.flatMap((s) => s.series).map((s) => ({ name: `${s.name}.csv`, text: renderSeriesCsv(s) })),
    ],
  };
}
