// `engram-dse gemm`: the GEMM cost models of src/gemm on a named target, for one GEMM (--m --n --k) or
// for Engram's fused key/value projection against its M + 1 separate GEMMs (arXiv 2601.07372 §2.4).
import type { Command } from 'commander';
import {
  engramProjectionCost,
  engramProjectionSweep,
  gemmCost,
  type EngramProjectionCost,
  type GemmCost,
  type GemmCostOptions,
} from '../../gemm/index.ts';
import { COMPUTE_DTYPES, DATAFLOWS, type ComputeDtype, type Dataflow } from '../../spec/index.ts';
import { loadConfig } from '../configs.ts';
import type { CliIo } from '../context.ts';
import { parseChoice, parseIntOption, UsageError } from '../parse.ts';
import { loadTarget } from '../targets.ts';

/** Largest dimension or token count the command accepts; the model itself refuses 2mnk above 2^53. */
const MAX_DIM = 1 << 24;

interface GemmOptions {
  target: string;
  m?: number;
  n?: number;
  k?: number;
  engram?: string;
  tokens?: number;
  unfused?: boolean;
  sweepTokens?: boolean;
  dtype: ComputeDtype;
  dataflow?: Dataflow;
  json?: boolean;
}

export function register(program: Command, io: CliIo): void {
  program
    .command('gemm')
    .description('GEMM cost on a hardware target (roofline, GPU tiles and waves, systolic folds, FPGA DSP array), or Engram\'s fused projection against its separate GEMMs')
    .requiredOption('--target <name>', 'target name in targets/ (e.g. h800-sxm, tpu-v5e, alveo-u55c) or a path to a target .json')
    .option('--m <n>', 'rows of A and C', parseIntOption('--m', 1, MAX_DIM))
    .option('--n <n>', 'columns of B and C', parseIntOption('--n', 1, MAX_DIM))
    .option('--k <n>', 'inner dimension', parseIntOption('--k', 1, MAX_DIM))
    .option('--engram <config>', 'Engram configuration name in targets/configs or a path: cost e[T x d_mem] x [W_V; W_K^(1..M)]')
    .option('--tokens <n>', 'tokens T of the Engram projection', parseIntOption('--tokens', 1, MAX_DIM))
    .option('--unfused', 'detail the M + 1 separate GEMMs instead of the fused one')
    .option('--sweep-tokens', 'fused against unfused for T = 1, 2, 4, ..., 16384')
    .option('--dtype <name>', `operand format (${COMPUTE_DTYPES.join(', ')})`, parseChoice('--dtype', COMPUTE_DTYPES), 'fp8')
    .option('--dataflow <name>', `systolic and FPGA targets: ${DATAFLOWS.join(', ')} (default: the target's first)`, parseChoice('--dataflow', DATAFLOWS))
    .option('--json', 'machine-readable output')
    .action((opts: GemmOptions) => run(opts, io));
}

/** Commander knows no option groups, so the exclusive forms of the command are checked here. */
function checkCombination(opts: GemmOptions): void {
  const dims = (['m', 'n', 'k'] as const).filter((d) => opts[d] !== undefined);
  if (dims.length > 0 && dims.length < 3) {
    const missing = (['m', 'n', 'k'] as const).filter((d) => opts[d] === undefined);
    throw new UsageError(`--${missing.join(', --')}: missing; --m, --n and --k go together (got --${dims.join(', --')})`);
  }
  const shapeGiven = dims.length === 3;
  if (shapeGiven === (opts.engram !== undefined)) {
    throw new UsageError(`--m/--n/--k, --engram: expected exactly one of them, got ${shapeGiven ? 'both' : 'neither'}`);
  }
  if (shapeGiven) {
    for (const flag of ['tokens', 'unfused', 'sweepTokens'] as const) {
      if (opts[flag] !== undefined) throw new UsageError(`${optionName(flag)}: applies to --engram only, not to --m/--n/--k`);
    }
    return;
  }
  if (opts.sweepTokens === true) {
    if (opts.tokens !== undefined) throw new UsageError('--tokens, --sweep-tokens: expected one of them, got both');
    if (opts.unfused === true) throw new UsageError('--unfused: not used with --sweep-tokens, whose table shows both');
  } else if (opts.tokens === undefined) {
    throw new UsageError('--tokens: missing; --engram needs --tokens T or --sweep-tokens');
  }
}

function optionName(flag: 'tokens' | 'unfused' | 'sweepTokens'): string {
  return flag === 'sweepTokens' ? '--sweep-tokens' : `--${flag}`;
}

function run(opts: GemmOptions, io: CliIo): void {
  checkCombination(opts);
  const target = loadTarget(opts.target, io.cwd);
  const options: GemmCostOptions = opts.dataflow === undefined ? {} : { dataflow: opts.dataflow };
  if (opts.engram === undefined) {
    const cost = gemmCost({ m: opts.m!, n: opts.n!, k: opts.k!, dtype: opts.dtype }, target, options);
    io.out(opts.json === true ? `${JSON.stringify(cost, null, 2)}\n` : describeGemm(cost));
    return;
  }
  const config = loadConfig(opts.engram, io.cwd);
  if (opts.sweepTokens === true) {
    const rows = engramProjectionSweep(config, target, opts.dtype, options);
    io.out(opts.json === true ? `${JSON.stringify(rows.map(sweepRow), null, 2)}\n` : describeSweep(rows));
    return;
  }
  // Both sides are always costed (the speed-up needs both); --unfused only picks which one is detailed.
  const result = engramProjectionCost(config, target, opts.tokens!, opts.dtype, options);
  const selected = opts.unfused === true ? 'unfused' : 'fused';
  if (opts.json === true) {
    io.out(`${JSON.stringify({ selected, ...result }, null, 2)}\n`);
    return;
  }
  const detailed = selected === 'fused' ? result.fused : result.unfused.each;
  const heading = selected === 'fused' ? 'fused GEMM' : `one of the ${result.unfused.gemms} separate GEMMs`;
  io.out(`${describeProjection(result)}\nDetail of the ${heading}:\n${describeGemm(detailed)}`);
}

/** Times span ns (tiny GEMMs) to ms (FPGA prefill), so the unit follows the magnitude. */
function formatNs(ns: number): string {
  if (ns < 1e3) return `${ns.toFixed(2)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(2)} us`;
  return `${(ns / 1e6).toFixed(3)} ms`;
}

function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

function formatFlops(flops: number): string {
  return flops >= 1e12 ? `${(flops / 1e12).toFixed(3)} TFLOP` : flops >= 1e9 ? `${(flops / 1e9).toFixed(3)} GFLOP` : `${(flops / 1e6).toFixed(3)} MFLOP`;
}

function rows(cells: readonly (readonly [string, string])[]): string {
  const width = Math.max(...cells.map(([label]) => label.length));
  return cells.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
}

/** Flattens the kind-specific detail generically (no switch on the target kind here). */
function flatten(value: unknown, prefix: string, out: [string, string][]): void {
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix === '' ? key : `${prefix}.${key}`, out);
  } else if (prefix !== 'kind') {
    out.push([prefix, String(value)]);
  }
}

function describeGemm(cost: GemmCost): string {
  const { m, n, k, dtype } = cost.shape;
  const r = cost.roofline;
  const d = cost.dram;
  const header = `${cost.target} (${cost.kind}): C[${m} x ${n}] = A[${m} x ${k}] * B[${k} x ${n}], ${dtype} operands, bf16 output`;
  const summary = rows([
    ['FLOPs', formatFlops(cost.flops)],
    ['time', `${formatNs(cost.timeNs)} (${cost.cycles} cycles at ${cost.clockMHz} MHz)`],
    ['bound', cost.bound],
    ['utilisation', `${cost.utilisationPct.toFixed(1)}% of ${cost.peakTflops} TFLOPS`],
    ['roofline', `${formatNs(r.timeNs)} (${r.bound}-bound: compute ${formatNs(r.computeNs)}, memory ${formatNs(r.memoryNs)}, ${r.arithmeticIntensityFlopPerByte.toFixed(1)} FLOP/B)`],
    ['compute', `${formatNs(cost.computeNs)} with quantisation`],
    ['memory', `${formatNs(cost.memoryNs)} for ${formatMB(d.totalBytes)} (A ${formatMB(d.aBytes)}, B ${formatMB(d.bBytes)}, C ${formatMB(d.cBytes)}, scales ${formatMB(d.scaleBytes)})`],
  ]);
  const detail: [string, string][] = [];
  flatten(cost.detail, '', detail);
  return `${header}\n${summary}\n  detail:\n${rows(detail.map(([label, value]) => [`  ${label}`, value]))}\n`;
}

function describeProjection(p: EngramProjectionCost): string {
  const { shapes } = p;
  const header = `Engram projection, ${p.config} on ${p.target}: e[T=${p.tokens} x d_mem=${shapes.dMem}] x [W_V; W_K^(1..${shapes.projections - 1})], ${shapes.fused.dtype}`;
  const table = [
    ['', 'GEMMs', 'm x n x k', 'time', 'cycles', 'util', 'bound'],
    ['fused', '1', `${shapes.fused.m} x ${shapes.fused.n} x ${shapes.fused.k}`, formatNs(p.fused.timeNs), String(p.fused.cycles), `${p.fused.utilisationPct.toFixed(1)}%`, p.fused.bound],
    ['unfused', String(p.unfused.gemms), `${shapes.unfusedEach.m} x ${shapes.unfusedEach.n} x ${shapes.unfusedEach.k}`, formatNs(p.unfused.timeNs), String(p.unfused.cycles), `${p.unfused.utilisationPct.toFixed(1)}%`, p.unfused.bound],
  ];
  return `${header}\n${align(table, [false, true, true, true, true, true, false])}\n  speed-up of fusion (unfused / fused time): ${p.speedup.toFixed(3)}x\n`;
}

/** The sweep's JSON keeps the per-T summary; the full GemmCost of every point is one --tokens call away. */
function sweepRow(p: EngramProjectionCost) {
  const side = (c: { timeNs: number; cycles: number; utilisationPct: number; bound: string }) => ({
    timeNs: c.timeNs,
    cycles: c.cycles,
    utilisationPct: c.utilisationPct,
    bound: c.bound,
  });
  return { tokens: p.tokens, fused: side(p.fused), unfused: { gemms: p.unfused.gemms, ...side(p.unfused) }, speedup: p.speedup };
}

function describeSweep(list: readonly EngramProjectionCost[]): string {
  const first = list[0]!;
  const { shapes } = first;
  const header =
    `Engram projection sweep, ${first.config} on ${first.target}, ${shapes.fused.dtype}: ` +
    `fused = 1 GEMM of N = ${shapes.fused.n}, unfused = ${shapes.projections} GEMMs of N = ${shapes.unfusedEach.n}, K = ${shapes.dMem}`;
  const table = [
    ['tokens', 'fused time', 'cycles', 'util', 'bound', 'unfused time', 'cycles', 'util', 'bound', 'speed-up'],
    ...list.map((p) => [
      String(p.tokens),
      formatNs(p.fused.timeNs),
      String(p.fused.cycles),
      `${p.fused.utilisationPct.toFixed(1)}%`,
      p.fused.bound,
      formatNs(p.unfused.timeNs),
      String(p.unfused.cycles),
      `${p.unfused.utilisationPct.toFixed(1)}%`,
      p.unfused.bound,
      `${p.speedup.toFixed(3)}x`,
    ]),
  ];
  return `${header}\n${align(table, [true, true, true, true, false, true, true, true, false, true])}\n`;
}

function align(table: readonly (readonly string[])[], rightAligned: readonly boolean[]): string {
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  return table
    .map((row) => `  ${row.map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd()}`)
    .join('\n');
}
