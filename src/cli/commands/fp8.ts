// `engram-dse fp8 encode|decode|accum-table`: OCP OFP8 v1.0 E4M3/E5M2 conversions, and the FP8 GEMM
// accumulation-fidelity table of DeepSeek-V3 (arXiv 2412.19437 §3.3.2) from the src/fp8 emulation.
import type { Command } from 'commander';
import { showValue } from '../../core/index.ts';
import {
  DEFAULT_FIDELITY_KS,
  FP8_FORMATS,
  FP8_FORMAT_NAMES,
  INPUT_DISTRIBUTIONS,
  accumulationFidelity,
  classifyFp8,
  decodeFp8,
  encodeFromFloat64,
  type AccumulationFidelityTable,
  type Fp8FormatName,
  type InputDistribution,
  type OverflowMode,
} from '../../fp8/index.ts';
import type { CliIo } from '../context.ts';
import { parseIntList, parseIntOption, UsageError } from '../parse.ts';

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;
const SPECIAL_VALUES: Readonly<Record<string, number>> = Object.freeze({
  nan: NaN, '+nan': NaN, '-nan': NaN,
  inf: Infinity, '+inf': Infinity, infinity: Infinity, '+infinity': Infinity,
  '-inf': -Infinity, '-infinity': -Infinity,
});
const HEX_CODE = /^0x[0-9a-f]{1,2}$/i;
const DECIMAL_CODE = /^\d{1,3}$/;
/** Percent with 3 significant digits keeps small exact-mode errors readable next to 25% ones. */
const PERCENT_DIGITS = 3;
const MAX_MATRIX_ROWS = 4096;
const MAX_K = 1 << 20;

function parseFormat(text: string): Fp8FormatName {
  const name = text.trim().toLowerCase();
  if (!(FP8_FORMAT_NAMES as readonly string[]).includes(name)) throw new UsageError(`--format: expected one of ${FP8_FORMAT_NAMES.join(', ')}, got ${showValue(text)}`);
  return name as Fp8FormatName;
}

function parseDistribution(text: string): InputDistribution {
  if (!(INPUT_DISTRIBUTIONS as readonly string[]).includes(text)) throw new UsageError(`--distribution: expected one of ${INPUT_DISTRIBUTIONS.join(', ')}, got ${showValue(text)}`);
  return text as InputDistribution;
}

function splitList(option: string, text: string, what: string): string[] {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.some((p) => p === '')) throw new UsageError(`${option}: expected a comma-separated list of ${what}, got ${showValue(text)}`);
  return parts;
}

/** Values are read as float64 (JS numbers), so encoding rounds once from the decimal's nearest double. */
function parseValueList(text: string): number[] {
  return splitList('--values', text, 'numbers').map((p, i) => {
    const special = SPECIAL_VALUES[p.toLowerCase()];
    if (special !== undefined) return special;
    if (!DECIMAL.test(p)) throw new UsageError(`--values[${i}]: expected a decimal number, inf, -inf or nan, got ${showValue(p)}`);
    return Number(p);
  });
}

function parseCodeList(text: string): number[] {
  return splitList('--codes', text, 'codes').map((p, i) => {
    const code = HEX_CODE.test(p) ? Number.parseInt(p.slice(2), 16) : DECIMAL_CODE.test(p) ? Number(p) : NaN;
    if (!(code >= 0 && code <= 0xff)) throw new UsageError(`--codes[${i}]: expected an FP8 code in [0x00, 0xff], as 0x-prefixed hex or decimal, got ${showValue(p)}`);
    return code;
  });
}

function hex(code: number): string {
  return `0x${code.toString(16).padStart(2, '0')}`;
}

/** OFP8 notation S.EEEE.MMM. */
function bitFields(format: Fp8FormatName, code: number): string {
  const { exponentBits, mantissaBits } = FP8_FORMATS[format];
  const bits = code.toString(2).padStart(8, '0');
  return `${bits[0]}.${bits.slice(1, 1 + exponentBits)}.${bits.slice(1 + exponentBits, 1 + exponentBits + mantissaBits)}`;
}

function showNumber(value: number): string {
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

/** JSON has no NaN, infinity or -0: those are given as strings. */
function jsonNumber(value: number): number | string {
  return Number.isFinite(value) && !Object.is(value, -0) ? value : showNumber(value);
}

interface CodeRow {
  code: number;
  bits: string;
  class: string;
  decoded: number;
}

function describeCode(format: Fp8FormatName, code: number): CodeRow {
  return { code, bits: bitFields(format, code), class: classifyFp8(format, code), decoded: decodeFp8(format, code) };
}

function table(rows: string[][], rightAligned: readonly boolean[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n');
}

interface EncodeOptions {
  format: Fp8FormatName;
  values: number[];
  saturate?: boolean;
  json?: boolean;
}

interface DecodeOptions {
  format: Fp8FormatName;
  codes: number[];
  json?: boolean;
}

interface AccumTableOptions {
  ks: number[];
  m: number;
  n: number;
  seed: number;
  distribution: InputDistribution;
  json?: boolean;
}

function runEncode(opts: EncodeOptions, io: CliIo): void {
  const mode: OverflowMode = opts.saturate === false ? 'overflow' : 'saturate';
  const rows = opts.values.map((value) => ({ value, ...describeCode(opts.format, encodeFromFloat64(opts.format, value, mode)) }));
  if (opts.json === true) {
    const entries = rows.map((r) => ({ value: jsonNumber(r.value), code: hex(r.code), bits: r.bits, class: r.class, decoded: jsonNumber(r.decoded) }));
    io.out(`${JSON.stringify({ format: opts.format, overflowMode: mode, entries }, null, 2)}\n`);
    return;
  }
  const header = `${opts.format}, overflow mode ${mode}, round to nearest even (OCP OFP8 v1.0)`;
  const cells = [['value', 'code', 'bits', 'class', 'decoded'], ...rows.map((r) => [showNumber(r.value), hex(r.code), r.bits, r.class, showNumber(r.decoded)])];
  io.out(`${header}\n${table(cells, [true, false, false, false, true])}\n`);
}

function runDecode(opts: DecodeOptions, io: CliIo): void {
  const rows = opts.codes.map((code) => describeCode(opts.format, code));
  if (opts.json === true) {
    const entries = rows.map((r) => ({ code: hex(r.code), bits: r.bits, class: r.class, decoded: jsonNumber(r.decoded) }));
    io.out(`${JSON.stringify({ format: opts.format, entries }, null, 2)}\n`);
    return;
  }
  const cells = [['code', 'bits', 'class', 'decoded'], ...rows.map((r) => [hex(r.code), r.bits, r.class, showNumber(r.decoded)])];
  io.out(`${opts.format} (OCP OFP8 v1.0)\n${table(cells, [false, false, false, true])}\n`);
}

const DISTRIBUTION_TEXT: Readonly<Record<InputDistribution, string>> = Object.freeze({
  uniform01: 'iid uniform [0, 1)',
  normal01: 'iid normal N(0, 1)',
});

function formatFidelity(result: AccumulationFidelityTable): string {
  const header = [
    'FP8 GEMM accumulation fidelity: max relative error against a float64 reference of the same quantised E4M3 inputs',
    `A [${result.m} x K], B [${result.n} x K], ${DISTRIBUTION_TEXT[result.distribution]}, seed ${result.seed}`,
  ];
  const cells = [
    ['K', ...result.columns.map((c) => c.name)],
    ...result.rows.map((r) => [String(r.k), ...result.columns.map((c) => `${((r.maxRelError[c.name] ?? NaN) * 100).toPrecision(PERCENT_DIGITS)}%`)]),
  ];
  const legend = result.columns.map((c) => `  ${c.name}: ${c.description}`);
  return `${header.join('\n')}\n${table(cells, cells[0]!.map(() => true))}\ncolumns:\n${legend.join('\n')}\n`;
}

function runAccumTable(opts: AccumTableOptions, io: CliIo): void {
  const result = accumulationFidelity({ ks: opts.ks, m: opts.m, n: opts.n, seed: opts.seed, distribution: opts.distribution });
  if (opts.json === true) io.out(`${JSON.stringify(result, null, 2)}\n`);
  else io.out(formatFidelity(result));
}

export function register(program: Command, io: CliIo): void {
  const fp8 = program.command('fp8').description('OCP FP8 (E4M3, E5M2) conversions and FP8 GEMM accumulation fidelity');
  fp8
    .command('encode')
    .description('round values to FP8 codes (round to nearest even) and show what they decode to')
    .requiredOption('--format <name>', `FP8 format (${FP8_FORMAT_NAMES.join(', ')})`, parseFormat)
    .requiredOption('--values <list>', 'comma-separated decimal numbers, inf, -inf or nan', parseValueList)
    .option('--saturate', 'overflow and infinities go to the largest finite value (default)')
    .option('--no-saturate', 'overflow goes to NaN (e4m3) or infinity (e5m2)')
    .option('--json', 'machine-readable output')
    .action((opts: EncodeOptions) => runEncode(opts, io));
  fp8
    .command('decode')
    .description('show the value, bit fields and class of FP8 codes')
    .requiredOption('--format <name>', `FP8 format (${FP8_FORMAT_NAMES.join(', ')})`, parseFormat)
    .requiredOption('--codes <list>', 'comma-separated codes, 0x-prefixed hex (0x7e) or decimal (126)', parseCodeList)
    .option('--json', 'machine-readable output')
    .action((opts: DecodeOptions) => runDecode(opts, io));
  fp8
    .command('accum-table')
    .description('max relative error of 14-bit (Hopper-like) and float32 FP8 GEMM accumulation versus K (DeepSeek-V3 §3.3.2)')
    .option('--ks <list>', 'inner dimensions K', parseIntList('--ks', 1, MAX_K), [...DEFAULT_FIDELITY_KS])
    .option('--m <n>', 'rows of A', parseIntOption('--m', 1, MAX_MATRIX_ROWS), 8)
    .option('--n <n>', 'rows of B', parseIntOption('--n', 1, MAX_MATRIX_ROWS), 8)
    .option('--seed <n>', 'input seed', parseIntOption('--seed', 0), 0)
    .option('--distribution <name>', `input distribution (${INPUT_DISTRIBUTIONS.join(', ')})`, parseDistribution, 'uniform01')
    .option('--json', 'machine-readable output')
    .action((opts: AccumTableOptions) => runAccumTable(opts, io));
}
