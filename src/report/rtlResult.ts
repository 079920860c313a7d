// The RTL cost table from `engram-dse rtl report --json` (yosys synthesis of the hash/gather unit, read from a
// file: the report never runs yosys): the zod schema of the fields shown, its parser, and one table row per file.
import { z } from 'zod';
import { parseDocument } from '../spec/index.ts';
import type { Cell, Series, UniqueName } from './series.ts';

const count = z.number().int().nonnegative();

export const rtlReportSchema = z.object({
  params: z.object({ maxN: count, heads: count, idBits: count, rowBytesMax: count, dataBits: count, ports: count, depth: count }),
  yosys: z.string().min(1),
  command: z.string().min(1),
  ultrascalePlus: z.object({ luts: count, flipFlops: count, dsps: count, bram36: z.number().nonnegative(), lutRamCells: count, carryCells: count }),
  generic: z.object({ cells: count, transistors: count.nullable() }),
  ice40: z.object({
    params: z.string(),
    luts: count,
    flipFlops: count,
    fmaxMHz: z.number().positive().nullable(),
    logicCells: z.object({ used: count, available: count }).nullable(),
    error: z.string().nullable(),
  }),
  peak: z.object({ clockMHz: z.number().positive(), headsPerToken: count, tokensPerCycle: z.number().nonnegative(), lookupsPerSecond: z.number().nonnegative(), tokensPerSecond: z.number().nonnegative() }),
});

export type RtlReport = z.output<typeof rtlReportSchema>;

export interface RtlInput {
  readonly file: string;
  readonly report: RtlReport;
}

/** Validates parsed JSON from `file` (the output of `engram-dse rtl report --json`); throws SpecError naming the field. */
export function parseRtlReport(data: unknown, file: string): RtlReport {
  return parseDocument(rtlReportSchema, data, file);
}

export function rtlConfiguration(r: RtlReport): string {
  const p = r.params;
  return `MAX_N ${p.maxN}, ${p.heads} heads/order, ${p.ports} ports, depth ${p.depth}, DATA_W ${p.dataBits}`;
}

export const RTL_COLUMNS = [
  'configuration', 'lut', 'ff', 'dsp48e2', 'bram36', 'lutRamCells', 'carryCells', 'genericCells',
  'ice40IssueLut4', 'ice40IssueDff', 'ice40FmaxMHz', 'clockMHz', 'peakLookupsPerS', 'peakTokensPerS',
] as const;

/** What each column means, for the page and the Markdown (which show one row per column, one column per report). */
export const RTL_LABELS: Readonly<Record<(typeof RTL_COLUMNS)[number], string>> = {
  configuration: 'configuration',
  lut: 'UltraScale+ LUT',
  ff: 'UltraScale+ FF',
  dsp48e2: 'UltraScale+ DSP48E2',
  bram36: 'UltraScale+ BRAM36',
  lutRamCells: 'UltraScale+ LUTRAM cells',
  carryCells: 'UltraScale+ carry cells',
  genericCells: 'generic cells (yosys synth)',
  ice40IssueLut4: 'iCE40 issue stage LUT4',
  ice40IssueDff: 'iCE40 issue stage DFF',
  ice40FmaxMHz: 'iCE40 issue stage Fmax (MHz)',
  clockMHz: 'assumed clock (MHz)',
  peakLookupsPerS: 'peak lookups/s',
  peakTokensPerS: 'peak tokens/s',
};

/** The RTL table turned on its side: one row per measure, one column per report (the CSV keeps a row per report). */
export function rtlTransposed(s: Series): { columns: string[]; rows: Cell[][] } {
  return {
    columns: s.rows.map((r) => String(r[0])),
    rows: s.columns.slice(1).map((c, i): Cell[] => [RTL_LABELS[c as (typeof RTL_COLUMNS)[number]] ?? c, ...s.rows.map((r) => r[i + 1]!)]),
  };
}

/** One table of every RTL report given (several compare configurations). */
export function rtlSeries(inputs: readonly RtlInput[], unique: UniqueName): Series {
  const tools = [...new Set(inputs.map((i) => i.report.yosys))].join(', ');
  const commands = inputs.map((i) => `${i.file}: ${i.report.command}`).join('; ');
  const clocks = [...new Set(inputs.map((i) => i.report.peak.clockMHz))].join(', ');
  return {
    name: unique('rtl-cost'),
    title: 'RTL cost of the hash/gather unit (UltraScale+ and iCE40 synthesis)',
    kind: 'rtl',
    display: 'table',
    columns: [...RTL_COLUMNS],
    rows: inputs.map(({ report: r }): Cell[] => [
      rtlConfiguration(r),
      r.ultrascalePlus.luts,
      r.ultrascalePlus.flipFlops,
      r.ultrascalePlus.dsps,
      r.ultrascalePlus.bram36,
      r.ultrascalePlus.lutRamCells,
      r.ultrascalePlus.carryCells,
      r.generic.cells,
      r.ice40.luts,
      r.ice40.flipFlops,
      r.ice40.fmaxMHz ?? '',
      r.peak.clockMHz,
      r.peak.lookupsPerSecond,
      r.peak.tokensPerSecond,
    ]),
    inputs: `engram-dse rtl report --json (${tools}); ${commands}; synthesis has no random inputs (no seed); peak rates at an assumed ${clocks} MHz clock`,
    note:
      'UltraScale+: synth_xilinx -family xcup, whole unit; generic: yosys internal cells; iCE40: the issue stage alone (' +
      `${[...new Set(inputs.map((i) => i.report.ice40.params))].join(', ')}) through nextpnr-ice40 on an HX8K; an empty Fmax: it did not place and route.`,
  };
}
