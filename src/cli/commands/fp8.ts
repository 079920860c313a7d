// `engram-dse fp8 encode|decode|accum-table|error`: OCP OFP8 v1.0 E4M3/E5M2 conversions, the FP8 GEMM
// accumulation-fidelity table of DeepSeek-V3 (arXiv 2412.19437 §3.3.2), and the fused Engram projection's FP8 error.
import type { Command } from 'commander';
import { showValue } from '../../core/index.ts';
import {
  DEEPSEEK_V3_PROMOTION_INTERVAL,
  DEFAULT_FIDELITY_KS,
  EXACT_ACCUMULATION,
  FP8_FORMATS,
  FP8_FORMAT_NAMES,
  INPUT_DISTRIBUTIONS,
  accumulationFidelity,
  classifyFp8,
  decodeFp8,
  encodeFromFloat64,
  hopperAccumulation,
  type AccumulationFidelityTable,
  type Fp8FormatName,
  type InputDistribution,
  type OverflowMode,
  type ScaleEncoding,
} from '../../fp8/index.ts';
import {
  activeBackendName, DEEPGEMM_DIFF_LIMIT, DEEPSEEK_V3_SCALE_BLOCK, fp8ProjectionError, fp8ProjectionInput, selectBackend, TF_BACKEND_ORDER,
  type Fp8ProjectionErrorReport, type MatrixError, type MemorySource, type TfBackendName,
} from '../../model/index.ts';
import { loadConfig } from '../configs.ts';
import type { CliIo } from '../context.ts';
import { parseChoice, parseIntList, parseIntOption, UsageError } from '../parse.ts';

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

const ACCUMULATION_NAMES = ['exact', 'hopper'] as const;
type AccumulationName = (typeof ACCUMULATION_NAMES)[number];
const SCALE_ENCODINGS: readonly ScaleEncoding[] = ['float32', 'ue8m0'];
/** Default tokens: quantising the paper-27b weights twice (fused and separate, 2 x 16.4M values) takes ~4 s of the run. */
const DEFAULT_ERROR_TOKENS = 16;
const MAX_ERROR_TOKENS = 16384;
const MAX_D_MEM = 65536;

interface ErrorOptions {
  config: string;
  layer?: number;
  tokens: number;
  k?: number;
  accum: AccumulationName;
  nc?: number;
  format: Fp8FormatName;
  scales: ScaleEncoding;
  seed?: number;
  backend?: TfBackendName;
  json?: boolean;
}

async function runError(opts: ErrorOptions, io: CliIo): Promise<void> {
  if (opts.nc !== undefined && opts.accum !== 'hopper') throw new UsageError(`--nc: applies only to --accum hopper, got --accum ${opts.accum}`);
  const nc = opts.nc ?? DEEPSEEK_V3_PROMOTION_INTERVAL;
  // A promotion applies one scale per chunk, so chunks must not cross a 128-wide K tile.
  if (DEEPSEEK_V3_SCALE_BLOCK % nc !== 0) throw new UsageError(`--nc: expected a divisor of the ${DEEPSEEK_V3_SCALE_BLOCK}-element K scale tile, got ${nc}`);
  const config = loadConfig(opts.config, io.cwd);
  if (opts.layer !== undefined && !config.engram.layerIds.includes(opts.layer)) {
    throw new UsageError(`--layer: expected one of the configuration's layers ${config.engram.layerIds.join(', ')}, got ${opts.layer}`);
  }
  const input = fp8ProjectionInput(config, {
    tokens: opts.tokens, ...(opts.layer === undefined ? {} : { layerId: opts.layer }), ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    ...(opts.k === undefined ? {} : { dMem: opts.k }),
  });
  const backend = await selectBackend(opts.backend);
  const accumulation = opts.accum === 'exact' ? EXACT_ACCUMULATION : hopperAccumulation(nc);
  const report = fp8ProjectionError(backend, input, { accumulation, format: opts.format, scaleEncoding: opts.scales });
  const context = { config: config.name, layerId: input.layerId, seed: input.seed, memorySource: input.memorySource, backend: activeBackendName(backend) };
  if (opts.json === true) io.out(`${JSON.stringify({ ...context, ...report }, null, 2)}\n`);
  else io.out(formatError(context, report));
}

/** Three significant digits, in exponent form below 0.01 so that 1e-7 and 3e-2 read alike. */
function sig(value: number): string {
  if (value === 0) return '0';
  return Math.abs(value) < 0.01 ? value.toExponential(2) : value.toPrecision(3);
}

const MEMORY_TEXT: Readonly<Record<MemorySource, string>> = Object.freeze({
  table: 'rows of the layer\'s N(0,1) table, one per head, head indices drawn uniformly (as hashed tokens land)',
  normal: 'iid N(0,1) rows (synthetic d_mem, no table geometry)',
});

function accumulationText(r: Fp8ProjectionErrorReport): string {
  const a = r.accumulation;
  if (a.kind === 'exact') return 'exact products summed in float32 (mode a)';
  return `Hopper-like ${a.accumulatorBits}-bit truncating accumulator, groups of ${a.alignmentGroup}, promoted to float32 every ${a.promotionInterval} (mode b)`;
}

function errorRow(label: string, errors: readonly MatrixError[], pick: (e: MatrixError) => number): string[] {
  return [label, ...errors.map((e) => sig(pick(e)))];
}

function formatError(c: { config: string; layerId: number; seed: number; memorySource: MemorySource; backend: string }, r: Fp8ProjectionErrorReport): string {
  const { fusion, projection: p } = r;
  const blocks = fusion.weightBlocks;
  const aligned = blocks.aligned
    ? `yes (hidden ${r.hidden} = ${r.hidden / blocks.blockRows} x ${blocks.blockRows})`
    : `NO: hidden ${r.hidden} is not a multiple of ${blocks.blockRows}; fused blocks straddle rows ${blocks.straddledBoundaries.join(', ') || '(none)'} and each separate W ends in a ${blocks.partialBlockRows}-row block`;
  const lines = [
    `FP8 fused Engram projection: config ${c.config}, layer ${c.layerId}, seed ${c.seed}`,
    `  e [${r.tokens} x ${r.dMem}] x [W_V; W_K^(1..${r.hcMult})]^T [${r.fusedN} x ${r.dMem}], one GEMM of N = (${r.hcMult} + 1) x ${r.hidden}`,
    `  e: ${MEMORY_TEXT[c.memorySource]}; h: iid N(0,1); weights: PyTorch default init from the seed`,
    `  ${r.format}, ${r.scaleEncoding} scales, activations 1x${r.activationTile.cols} tiles, weights ${r.weightBlock.rows}x${r.weightBlock.cols} blocks`,
    `  accumulation: ${accumulationText(r)}`,
    `  reference: float32 tfjs matMul (${c.backend}) on the unquantised e and weights; gate (spec §5) in float64 on both`,
    '',
    `fused GEMM against ${r.hcMult + 1} separate GEMMs`,
    table([
      ['  weight blocks start on every projection boundary', aligned],
      ['  quantised weight elements that differ', `${fusion.differingWeightElements} of ${r.fusedN * r.dMem}`],
      ['  bit-identical outputs', `${fusion.bitIdentical ? 'yes' : 'NO'} (${fusion.differingOutputs} of ${fusion.outputs} differ)`],
    ], [false, false]),
    '',
    table([
      ['FP8 against float32', 'all outputs', 'value W_V', `keys W_K`],
      errorRow('  relative Frobenius error', [p.all, p.value, p.keys], (e) => e.relFrobenius),
      errorRow('  max abs error', [p.all, p.value, p.keys], (e) => e.maxAbsError),
      errorRow('  max abs reference', [p.all, p.value, p.keys], (e) => e.maxAbsReference),
      errorRow(`  DeepGEMM diff (tests need < ${DEEPGEMM_DIFF_LIMIT})`, [p.all, p.value, p.keys], (e) => e.deepGemmDiff),
    ], [false, true, true, true]),
    `  parts: quantisation of e ${sig(r.quantisation.activationRelFrobenius)} and of W ${sig(r.quantisation.weightRelFrobenius)} (relative Frobenius);`,
    `  accumulation alone (against float64 of the FP8 operands): relative Frobenius ${sig(r.accumulationOnly.relFrobenius)}, max abs ${sig(r.accumulationOnly.maxAbsError)}`,
    '',
    table([
      ['downstream', 'mean abs change', 'max abs change'],
      ['  gate alpha', sig(r.gate.alpha.mean), sig(r.gate.alpha.max)],
      ['  gated value alpha*v', sig(r.gate.gatedValue.mean), sig(r.gate.gatedValue.max)],
    ], [false, true, true]),
    `  (${r.tokens * r.hcMult} gates, mean alpha ${sig(r.gate.meanAlphaReference)} on float32)`,
  ];
  return `${lines.join('\n')}\n`;
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
  fp8
    .command('error')
    .description('FP8 error of the fused Engram projection e x [W_V; W_K^(1..M)]^T: fused vs separate GEMMs, vs float32, and on the gate')
    .option('--config <name|file>', 'Engram configuration (targets/configs) or a path to one', 'paper-27b')
    .option('--layer <id>', 'Engram layer whose table and weights are used (default: the first)', parseIntOption('--layer', 0))
    .option('--tokens <n>', 'tokens T (rows of e)', parseIntOption('--tokens', 1, MAX_ERROR_TOKENS), DEFAULT_ERROR_TOKENS)
    .option('--k <n>', 'override d_mem (GEMM K) for a synthetic study: e is then N(0,1), weights keep the init rule', parseIntOption('--k', 1, MAX_D_MEM))
    .option('--accum <mode>', `accumulation (${ACCUMULATION_NAMES.join(', ')})`, parseChoice('--accum', ACCUMULATION_NAMES), 'hopper')
    .option('--nc <n>', `promotion interval N_C of --accum hopper (default ${DEEPSEEK_V3_PROMOTION_INTERVAL})`, parseIntOption('--nc', 1, DEEPSEEK_V3_SCALE_BLOCK))
    .option('--format <name>', `FP8 format of both operands (${FP8_FORMAT_NAMES.join(', ')})`, parseFormat, 'e4m3')
    .option('--scales <encoding>', `scale encoding (${SCALE_ENCODINGS.join(', ')})`, parseChoice('--scales', SCALE_ENCODINGS), 'float32')
    .option('--seed <n>', 'seed of table, weights, row draws and hidden states (default: the configuration\'s seed)', parseIntOption('--seed', 0, 2 ** 32 - 1))
    .option('--backend <name>', `tfjs backend of the float32 reference (${TF_BACKEND_ORDER.join(', ')}; default: the first that loads)`, parseChoice('--backend', TF_BACKEND_ORDER))
    .option('--json', 'machine-readable output')
    .action((opts: ErrorOptions) => runError(opts, io));
}
