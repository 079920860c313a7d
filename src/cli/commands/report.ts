// `engram-dse report`: renders `engram-dse project` results (result.json, repeatable --project) into report.html
// (self-contained, vega inlined), report.md and one CSV per plotted series under --out.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Command } from 'commander';
import { showValue } from '../../core/index.ts';
import { parseProjectResult, renderReport, type ProjectResult, type VegaBundles } from '../../report/index.ts';
import { parseJsonText } from '../../spec/index.ts';
import type { CliIo } from '../context.ts';
import { UsageError } from '../parse.ts';

interface ReportOptions {
  project: string[];
  out: string;
  json?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function register(program: Command, io: CliIo): void {
  program
    .command('report')
    .description('Render engram-dse project results (--json output or result.json) as report.html, report.md and one CSV per figure')
    .requiredOption('--project <file>', 'result JSON of engram-dse project, a Table 4 run or a --sweep run (repeatable)', collect, [])
    .requiredOption('--out <dir>', 'folder to write report.html, report.md and <series>.csv into')
    .option('--json', 'print the written files as JSON')
    .action((opts: ReportOptions) => run(opts, io));
}

function run(opts: ReportOptions, io: CliIo): void {
  if (opts.project.length === 0) throw new UsageError('--project: expected at least one result file');
  const results = opts.project.map((file) => readResult(file, io.cwd));
  const written = writeReport(results, opts.out, io.cwd);
  io.out(opts.json === true ? `${JSON.stringify({ out: opts.out, files: written }, null, 2)}\n` : written.map((f) => `wrote ${path.join(opts.out, f)}\n`).join(''));
}

function readResult(file: string, cwd: string): ProjectResult {
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new UsageError(`--project: cannot read ${showValue(file)} (${code})`, { cause: error });
  }
  return parseProjectResult(parseJsonText(text, file), file);
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

/** Renders and writes the report for `results` into `outDir`; returns the file names written, in order. */
export function writeReport(results: readonly ProjectResult[], outDir: string, cwd: string, option = '--out'): string[] {
  const report = renderReport(results, { version: projectVersion(), bundles: loadVegaBundles() });
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
