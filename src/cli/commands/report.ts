// `engram-dse report`: renders engram-dse results into report.html (self-contained, vega inlined), report.md and
// one CSV per figure under --out. Inputs: project results (--project), sweep databases (--from), hierarchy runs
// (--hierarchy) and RTL reports (--rtl); the FP8 error against K is computed here with src/fp8 (--no-fp8 leaves it out).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Command } from 'commander';
import { showValue } from '../../core/index.ts';
import { accumulationFidelity, DEFAULT_FIDELITY_KS, type InputDistribution } from '../../fp8/index.ts';
import {
  parseHierarchyResult, parseProjectResult, parseRtlReport, renderReport,
  type Fp8ErrorTable, type HierarchyInput, type ObjectiveChoice, type ProjectResult, type ReportInputs, type RtlInput, type SweepReportInput, type SweepRow, type VegaBundles,
} from '../../report/index.ts';
import { parseJsonText, parseSweepSpec } from '../../spec/index.ts';
import type { CliIo } from '../context.ts';
import { parseIntList, parseIntOption, UsageError } from '../parse.ts';
import { SweepStore } from '../workers/resultStore.ts';
import { parseObjectives } from './pareto.ts';

/** The FP8 figure's inputs. The defaults are those of `engram-dse fp8 accum-table` (about 0.5 s). */
export interface Fp8Settings {
  readonly ks: readonly number[];
  readonly m: number;
  readonly n: number;
  readonly seed: number;
  readonly distribution: InputDistribution;
}

export const DEFAULT_FP8_SETTINGS: Fp8Settings = Object.freeze({ ks: DEFAULT_FIDELITY_KS, m: 8, n: 8, seed: 0, distribution: 'uniform01' });
/** Largest K the report computes (the accum-table command allows more; a report should stay quick). */
const MAX_REPORT_K = 65536;

interface ReportOptions {
  project: string[];
  from: string[];
  objectives?: ObjectiveChoice[];
  hierarchy: string[];
  rtl: string[];
  fp8: boolean;
  fp8Ks?: number[];
  fp8Seed?: number;
  out: string;
  json?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function register(program: Command, io: CliIo): void {
  program
    .command('report')
    .description('Render engram-dse results (project results, sweep databases, hierarchy runs, RTL reports) as report.html, report.md and one CSV per figure')
    .option('--project <file>', 'result JSON of engram-dse project, a Table 4 run or a --sweep run (repeatable)', collect, [])
    .option('--from <db>', 'sweep database written by engram-dse sweep or merge (repeatable)', collect, [])
    .option('--objectives <list>', "with --from: comma-separated NAME:max|min to plot (default: the spec's objectives)", parseObjectives)
    .option('--hierarchy <file>', 'output of engram-dse hierarchy --json: per-tier bandwidth and hit rates (repeatable)', collect, [])
    .option('--rtl <file>', 'output of engram-dse rtl report --json: the RTL cost table (repeatable; yosys is not run here)', collect, [])
    .option('--fp8-ks <list>', `K values of the FP8 error figure (default ${DEFAULT_FP8_SETTINGS.ks.join(',')})`, parseIntList('--fp8-ks', 1, MAX_REPORT_K))
    .option('--fp8-seed <n>', `seed of the FP8 error figure's inputs (default ${DEFAULT_FP8_SETTINGS.seed})`, parseIntOption('--fp8-seed', 0, 2 ** 32 - 1))
    .option('--no-fp8', 'leave out the FP8 error figure')
    .requiredOption('--out <dir>', 'folder to write report.html, report.md and <series>.csv into')
    .option('--json', 'print the written files as JSON')
    .action((opts: ReportOptions) => run(opts, io));
}

function run(opts: ReportOptions, io: CliIo): void {
  if (opts.project.length + opts.from.length + opts.hierarchy.length + opts.rtl.length === 0) {
    throw new UsageError('report: expected at least one input: --project, --from, --hierarchy or --rtl');
  }
  if (opts.objectives !== undefined && opts.from.length === 0) throw new UsageError('--objectives: applies to --from only (a sweep database)');
  if (!opts.fp8 && (opts.fp8Ks !== undefined || opts.fp8Seed !== undefined)) throw new UsageError('--no-fp8: not used with --fp8-ks or --fp8-seed');
  const inputs: ReportInputs = {
    projects: opts.project.map((file) => parseProjectResult(readJson(file, '--project', io.cwd), file)),
    sweeps: opts.from.map((file) => readSweepDb(file, io.cwd, opts.objectives)),
    hierarchies: opts.hierarchy.map((file): HierarchyInput => ({ file, result: parseHierarchyResult(readJson(file, '--hierarchy', io.cwd), file) })),
    rtl: opts.rtl.map((file): RtlInput => ({ file, report: parseRtlReport(readJson(file, '--rtl', io.cwd), file) })),
  };
  const fp8 = opts.fp8 ? { ...DEFAULT_FP8_SETTINGS, ...(opts.fp8Ks === undefined ? {} : { ks: opts.fp8Ks }), ...(opts.fp8Seed === undefined ? {} : { seed: opts.fp8Seed }) } : null;
  const written = writeReportFiles(inputs, fp8, opts.out, io.cwd, '--out');
  io.out(opts.json === true ? `${JSON.stringify({ out: opts.out, files: written }, null, 2)}\n` : written.map((f) => `wrote ${path.join(opts.out, f)}\n`).join(''));
}

function readJson(file: string, option: string, cwd: string): unknown {
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new UsageError(`${option}: cannot read ${showValue(file)} (${code})`, { cause: error });
  }
  return parseJsonText(text, file);
}

/** Reads a sweep database (meta and every row, JSON columns decoded) for the report. */
export function readSweepDb(file: string, cwd: string, objectives?: readonly ObjectiveChoice[]): SweepReportInput {
  const store = SweepStore.openReadOnly(path.resolve(cwd, file), file);
  try {
    const meta = store.meta()!;
    const spec = parseSweepSpec(parseJsonText(meta.spec, `${file}: meta.spec`), `${file}: meta.spec`);
    const json = <T>(text: string, column: string, key: string): T => parseJsonText(text, `${file}: points[${key.slice(0, 12)}].${column}`) as T;
    const rows: SweepRow[] = [];
    for (const r of store.rows()) {
      rows.push({
        key: r.key,
        idx: r.idx,
        point: json(r.point, 'point', r.key),
        seed: r.seed,
        result: json(r.result, 'result', r.key),
        error: r.error,
        objectives: json(r.objectives, 'objectives', r.key),
        feasible: r.feasible === 1,
      });
    }
    return { file, meta, spec, rows, ...(objectives === undefined ? {} : { objectives, objectivesFrom: '--objectives' }) };
  } finally {
    store.close();
  }
}

/** The FP8 error table of the report, computed with src/fp8 (the code of `engram-dse fp8 accum-table`). */
export function fp8ErrorTable(settings: Fp8Settings = DEFAULT_FP8_SETTINGS): Fp8ErrorTable {
  return accumulationFidelity({ ks: settings.ks, m: settings.m, n: settings.n, seed: settings.seed, distribution: settings.distribution });
}

const require = createRequire(import.meta.url);

/** The folder of an installed package (found through its resolved entry point, since exports may hide files). */
function packageDir(name: string): string {
  const entry = require.resolve(name);
  const marker = `${path.sep}node_modules${path.sep}${name}${path.sep}`;
  const at = entry.lastIndexOf(marker);
  if (at < 0) throw new UsageError(`report: cannot locate the installed package ${showValue(name)} (resolved to ${showValue(entry)})`);
  return entry.slice(0, at + marker.length);
}

/** The three minified browser bundles, inlined into report.html. */
export function loadVegaBundles(): VegaBundles {
  const read = (name: string, file: string) => readFileSync(path.join(packageDir(name), 'build', file), 'utf8');
  return { vega: read('vega', 'vega.min.js'), vegaLite: read('vega-lite', 'vega-lite.min.js'), vegaEmbed: read('vega-embed', 'vega-embed.min.js') };
}

/** package.json's version, printed on every figure. */
export function projectVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new UsageError('report: package.json: version: expected a string');
  return pkg.version;
}

/**
 * Renders and writes the report of `inputs` into `outDir`, with the FP8 error figure computed from `fp8` (null:
 * none); returns the file names written, in order. `option` names the folder's option in errors.
 */
export function writeReportFiles(inputs: ReportInputs, fp8: Fp8Settings | null, outDir: string, cwd: string, option: string): string[] {
  const report = renderReport({ ...inputs, ...(fp8 === null ? {} : { fp8: fp8ErrorTable(fp8) }) }, { version: projectVersion(), bundles: loadVegaBundles() });
  const dir = path.resolve(cwd, outDir);
  try {
    mkdirSync(dir, { recursive: true });
    for (const file of report.files) writeFileSync(path.join(dir, file.name), file.text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'write error';
    throw new UsageError(`${option}: cannot write ${showValue(outDir)} (${code})`, { cause: error });
  }
  return report.files.map((f) => f.name);
}

/** The report of project results (what `engram-dse project --report DIR` writes): their figures and the FP8 error figure. */
export function writeReport(results: readonly ProjectResult[], outDir: string, cwd: string, option = '--out'): string[] {
  return writeReportFiles({ projects: results }, DEFAULT_FP8_SETTINGS, outDir, cwd, option);
}
