// `engram-dse rtl report`: hardware cost of the Verilog hash/gather unit (rtl/) from yosys (UltraScale+
// LUT/FF/DSP/BRAM, a generic gate count) and nextpnr-ice40 (Fmax of the issue stage), and the unit's peak
// lookup rate at a target clock. The synthesis runs in sim/synth.sh, cached by a hash of its inputs.
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimError } from '../../core/index.ts';
import {
  DEFAULT_UNIT_PARAMS, fullRateTokensPerCycle, genericGates, ice40Result, peakLookupsPerSecond, unitHeads, xilinxResources, type UnitParams,
} from '../../cosim/index.ts';
import type { CliIo } from '../context.ts';
import { parseIntOption, UsageError } from '../parse.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** A clock an UltraScale+ design with pipelined DSP multipliers commonly closes at; an assumption, printed as such. */
const DEFAULT_CLOCK_MHZ = 250;

interface RtlReportOptions {
  maxN: number;
  heads: number;
  ports: number;
  depth: number;
  dataW: number;
  clockMhz: number;
  json?: boolean;
}

function synthArgs(p: UnitParams): string[] {
  return [
    `MAX_N=${p.maxN}`, `HEADS=${p.heads}`, `ID_BITS=${p.idBits}`, `ROW_BYTES=${p.rowBytesMax}`, `DATA_W=${p.dataBits}`, `PORTS=${p.ports}`, `DEPTH=${p.depth}`,
  ];
}

/** Runs sim/synth.sh (cached) and returns its output folder. */
function runSynth(args: readonly string[], io: CliIo): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(REPO_ROOT, 'sim', 'synth.sh'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8');
      if (io.isTty) io.err(d.toString('utf8'));
    });
    child.on('error', (error) => reject(new SimError(`sim/synth.sh: cannot start bash (${error.message})`, { cause: error })));
    child.on('close', (code) => {
      if (code === 0) resolve(out.trim().split('\n').pop()!);
      else if (code === 3) reject(new UsageError(`rtl report: ${err.trim().split('\n').pop()}`));
      else reject(new SimError(`sim/synth.sh failed (exit ${code}): ${err.trim().split('\n').slice(-8).join('\n')}`));
    });
  });
}

export function register(program: Command, io: CliIo): void {
  const rtl = program.command('rtl').description('the Verilog hash/gather unit (rtl/): hardware cost');
  rtl
    .command('report')
    .description('yosys UltraScale+ LUT/FF/DSP/BRAM, a generic gate count, iCE40 Fmax of the issue stage, and peak lookups/s at a clock')
    .option('--max-n <n>', 'MAX_N: largest n-gram order', parseIntOption('--max-n', 2, 8), DEFAULT_UNIT_PARAMS.maxN)
    .option('--heads <n>', 'HEADS: heads per order', parseIntOption('--heads', 1, 64), DEFAULT_UNIT_PARAMS.heads)
    .option('--ports <n>', 'PORTS: memory ports', parseIntOption('--ports', 1, 64), DEFAULT_UNIT_PARAMS.ports)
    .option('--depth <n>', 'DEPTH: reassembly slots (a power of two)', parseIntOption('--depth', 2, 1024), DEFAULT_UNIT_PARAMS.depth)
    .option('--data-w <bits>', 'DATA_W: bits per memory response (a multiple of 32)', parseIntOption('--data-w', 32, 4096), DEFAULT_UNIT_PARAMS.dataBits)
    .option('--clock-mhz <mhz>', `target clock for the peak rate (default ${DEFAULT_CLOCK_MHZ}, an assumption)`, parseIntOption('--clock-mhz', 1, 2000), DEFAULT_CLOCK_MHZ)
    .option('--json', 'machine-readable output')
    .action(async (opts: RtlReportOptions) => {
      if ((opts.depth & (opts.depth - 1)) !== 0) throw new UsageError(`--depth: expected a power of two, got ${opts.depth}`);
      if (opts.dataW % 32 !== 0) throw new UsageError(`--data-w: expected a multiple of 32, got ${opts.dataW}`);
      if ((opts.maxN - 1) * opts.heads < 2) throw new UsageError(`--max-n, --heads: expected (MAX_N-1)·HEADS >= 2, got ${(opts.maxN - 1) * opts.heads}`);
      const params: UnitParams = { ...DEFAULT_UNIT_PARAMS, maxN: opts.maxN, heads: opts.heads, ports: opts.ports, depth: opts.depth, dataBits: opts.dataW };
      const args = synthArgs(params);
      if (io.isTty) io.err('engram-dse: synthesising with yosys (minutes on first run, cached in sim/build afterwards)\n');
      const dir = await runSynth(args, io);
      const read = (name: string): string => readFileSync(path.join(dir, name), 'utf8');
      const xilinx = xilinxResources(read('xilinx.log'), 'xilinx.log');
      const generic = genericGates(read('generic.log'), 'generic.log');
      const ice40 = ice40Result(read('ice40.log'), read('nextpnr.log'), 'ice40.log');
      const ice40Params = (JSON.parse(read('params.json')) as { ice40Params: string }).ice40Params;
      const yosys = (JSON.parse(read('params.json')) as { yosys: string }).yosys;
      const heads = unitHeads(params);
      const report = {
        params, yosys, command: `bash sim/synth.sh ${args.join(' ')}`, buildDir: path.relative(REPO_ROOT, dir),
        ultrascalePlus: xilinx, generic, ice40: { params: ice40Params, ...ice40 },
        peak: {
          clockMHz: opts.clockMhz, headsPerToken: heads,
          tokensPerCycle: fullRateTokensPerCycle(opts.ports, heads),
          lookupsPerSecond: peakLookupsPerSecond(opts.ports, heads, opts.clockMhz),
          tokensPerSecond: fullRateTokensPerCycle(opts.ports, heads) * opts.clockMhz * 1e6,
        },
      };
      io.out(opts.json === true ? `${JSON.stringify(report)}\n` : humanReport(report));
    });
}

const n = (x: number): string => x.toLocaleString('en-US');

function humanReport(r: {
  params: UnitParams; yosys: string; command: string; buildDir: string;
  ultrascalePlus: ReturnType<typeof xilinxResources>; generic: ReturnType<typeof genericGates>;
  ice40: ReturnType<typeof ice40Result> & { params: string };
  peak: { clockMHz: number; headsPerToken: number; tokensPerCycle: number; lookupsPerSecond: number; tokensPerSecond: number };
}): string {
  const p = r.params;
  const x = r.ultrascalePlus;
  const ice = r.ice40;
  const iceLine = ice.fmaxMHz !== null
    ? `Fmax ${ice.fmaxMHz.toFixed(1)} MHz, ${ice.logicCells === null ? '?' : `${n(ice.logicCells.used)}/${n(ice.logicCells.available)}`} logic cells`
    : `does not place and route (${ice.error ?? 'no timing report'})`;
  return [
    `rtl report: engram_hash_gather, MAX_N ${p.maxN}, ${p.heads} heads/order, ${p.ports} ports, depth ${p.depth}, DATA_W ${p.dataBits} (${r.yosys})`,
    `  UltraScale+ (synth_xilinx -family xcup)  LUT ${n(x.luts)}, FF ${n(x.flipFlops)}, DSP48E2 ${n(x.dsps)}, BRAM36 ${x.bram36} (LUTRAM cells ${n(x.lutRamCells)}, carry cells ${n(x.carryCells)})`,
    `  generic (yosys synth, internal gates)   ${n(r.generic.cells)} cells${r.generic.transistors === null ? '' : `, ~${n(r.generic.transistors)} transistors`}`,
    `  iCE40 HX8K, issue stage (${ice.params}; even a two-head unit needs ~31k LUT4s and does not fit)`,
    `                                          LUT4 ${n(ice.luts)}, DFF ${n(ice.flipFlops)}; ${iceLine}`,
    `  peak at ${r.peak.clockMHz} MHz (--clock-mhz)        ${(r.peak.lookupsPerSecond / 1e9).toFixed(3)} G lookups/s = ${(r.peak.tokensPerSecond / 1e6).toFixed(1)} M tokens/s x ${r.peak.headsPerToken} heads (min(1, ${p.ports}/${r.peak.headsPerToken}) tokens/cycle)`,
    `  produced by: ${r.command} (cached in ${r.buildDir})`,
  ].join('\n') + '\n';
}
