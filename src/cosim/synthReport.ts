// Reads the logs of sim/synth.sh (yosys `stat` and nextpnr-ice40) into resource counts and Fmax. Pure
// text parsing: the CLI reads the files and passes their contents in.
import { SimError } from '../core/index.ts';

/** Cell counts of the last `stat` block of a yosys log (the whole design, after flattening). */
export function parseYosysStat(log: string, file: string): { cells: number; byType: Map<string, number>; transistors: number | null } {
  const start = log.lastIndexOf('Number of cells:');
  if (start < 0) throw new SimError(`${file}: expected a yosys stat block ("Number of cells:"), found none`);
  const block = log.slice(start);
  const cells = Number(/Number of cells:\s+(\d+)/.exec(block)![1]);
  const byType = new Map<string, number>();
  for (const line of block.split('\n').slice(1)) {
    const m = /^\s+(\$?[A-Za-z_][\w$]*)\s+(\d+)\s*$/.exec(line);
    if (m === null) {
      if (line.trim() === '' || /^\s+\S/.test(line)) continue;
      break;
    }
    byType.set(m[1]!, (byType.get(m[1]!) ?? 0) + Number(m[2]));
  }
  const transistors = /Estimated number of transistors:\s+(\d+)/.exec(block);
  return { cells, byType, transistors: transistors === null ? null : Number(transistors[1]) };
}

export interface XilinxResources {
  readonly luts: number;
  readonly flipFlops: number;
  readonly dsps: number;
  /** RAMB36 equivalents (a RAMB18 counts one half). */
  readonly bram36: number;
  /** LUTs used as distributed RAM (RAM32M16/RAM32M/RAM64M... cells). */
  readonly lutRamCells: number;
  readonly carryCells: number;
}

const sum = (m: Map<string, number>, names: readonly string[]): number => names.reduce((s, n) => s + (m.get(n) ?? 0), 0);

/** LUT, FF, DSP and BRAM counts of a synth_xilinx log. */
export function xilinxResources(log: string, file: string): XilinxResources {
  const { byType } = parseYosysStat(log, file);
  const lutRam = [...byType.keys()].filter((k) => /^RAM(32|64|128|256)[MSX]/.test(k));
  return {
    luts: sum(byType, ['LUT1', 'LUT2', 'LUT3', 'LUT4', 'LUT5', 'LUT6']),
    flipFlops: sum(byType, ['FDRE', 'FDSE', 'FDCE', 'FDPE', 'LDCE', 'LDPE']),
    dsps: sum(byType, ['DSP48E1', 'DSP48E2']),
    bram36: sum(byType, ['RAMB36E1', 'RAMB36E2']) + 0.5 * sum(byType, ['RAMB18E1', 'RAMB18E2']),
    lutRamCells: sum(byType, lutRam),
    carryCells: sum(byType, ['CARRY4', 'CARRY8']),
  };
}

export interface GenericGates {
  readonly cells: number;
  readonly transistors: number | null;
}

export function genericGates(log: string, file: string): GenericGates {
  const { cells, transistors } = parseYosysStat(log, file);
  return { cells, transistors };
}

export interface Ice40Result {
  readonly luts: number;
  readonly flipFlops: number;
  /** nextpnr's achieved Fmax, or null when the design did not place and route. */
  readonly fmaxMHz: number | null;
  /** Logic cells used and available, as nextpnr reports them; null when it stopped before. */
  readonly logicCells: { used: number; available: number } | null;
  /** nextpnr's first error line when it failed. */
  readonly error: string | null;
}

/** LUT4/DFF counts of a synth_ice40 log and the placement and timing result of nextpnr-ice40. */
export function ice40Result(yosysLog: string, nextpnrLog: string, file: string): Ice40Result {
  const { byType } = parseYosysStat(yosysLog, file);
  const flipFlops = [...byType].filter(([k]) => /^SB_DFF/.test(k)).reduce((s, [, n]) => s + n, 0);
  const fmax = [...nextpnrLog.matchAll(/Max frequency for clock\s+'[^']*':\s+([\d.]+) MHz/g)].pop();
  const lc = [...nextpnrLog.matchAll(/ICESTORM_LC:\s+(\d+)\/\s*(\d+)/g)].pop();
  // nextpnr reports a missed --freq target as an ERROR line too; that is still a measured Fmax.
  const error = /^ERROR: (?!Max frequency)(.*)$/m.exec(nextpnrLog);
  return {
    luts: byType.get('SB_LUT4') ?? 0,
    flipFlops,
    fmaxMHz: fmax === undefined || error !== null ? null : Number(fmax[1]),
    logicCells: lc === undefined ? null : { used: Number(lc[1]), available: Number(lc[2]) },
    error: error === null ? null : error[1]!.trim(),
  };
}
