// Fidelity: the closed-form fold counts of src/gemm/systolicCycles.ts against a register-level simulation
// of one fold (operands skewed in, moving one PE per cycle), which also checks that the fold computes A*B.
import test from 'ava';
import { Rng } from '../../src/core/index.ts';
import { foldCycles, systolicMapping } from '../../src/gemm/index.ts';

/** Cycle counts are integers in both models: they must agree exactly. */
const TOL_CYCLES = 0;

interface Fidelity {
  expected: number;
  measured: number;
  deviationPct: number;
}

function fidelity(expected: number, measured: number): Fidelity {
  return { expected, measured, deviationPct: (100 * (measured - expected)) / expected };
}

function randomMatrix(rng: Rng, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.nextInt(19) - 9));
}

function product(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((sum, v, k) => sum + v * b[k]![j]!, 0)));
}

interface Tagged {
  tag: number;
  value: number;
}

/**
 * Weight-stationary fold on an R x C array: W (R x C) shifts in from the top, one row per cycle (R cycles);
 * then row t of A (T x R) enters row i at cycle R + t + i and moves right; partial sums move down and
 * leave the bottom row. Returns the cycle count (last output's cycle + 1) and the outputs (T x C).
 */
function simulateWs(a: number[][], w: number[][]): { cycles: number; out: number[][] } {
  const rows = w.length;
  const cols = w[0]!.length;
  const temporal = a.length;
  const weights: (number | undefined)[][] = Array.from({ length: rows }, () => Array<number | undefined>(cols).fill(undefined));
  let cycle = 0;
  for (; cycle < rows; cycle++) {
    for (let i = rows - 1; i > 0; i--) weights[i] = [...weights[i - 1]!];
    weights[0] = [...w[rows - 1 - cycle]!];
  }
  const streamStart = cycle;
  let aReg: (Tagged | undefined)[][] = Array.from({ length: rows }, () => Array<Tagged | undefined>(cols).fill(undefined));
  let psum: (Tagged | undefined)[][] = Array.from({ length: rows }, () => Array<Tagged | undefined>(cols).fill(undefined));
  const out = Array.from({ length: temporal }, () => Array<number>(cols).fill(NaN));
  let emitted = 0;
  let lastOutput = -1;
  for (; emitted < temporal * cols; cycle++) {
    const nextA = aReg.map((row, i) =>
      row.map((_, j) => {
        if (j > 0) return aReg[i]![j - 1];
        const t = cycle - streamStart - i;
        return t >= 0 && t < temporal ? { tag: t, value: a[t]![i]! } : undefined;
      }),
    );
    const nextPsum = nextA.map((row, i) =>
      row.map((input, j) => {
        if (input === undefined) return undefined;
        const above = i === 0 ? { tag: input.tag, value: 0 } : psum[i - 1]![j];
        if (above === undefined || above.tag !== input.tag) throw new Error(`skew broken at PE(${i}, ${j}), cycle ${cycle}`);
        return { tag: input.tag, value: above.value + input.value * weights[i]![j]! };
      }),
    );
    aReg = nextA;
    psum = nextPsum;
    for (let j = 0; j < cols; j++) {
      const leaving = psum[rows - 1]![j];
      if (leaving !== undefined) {
        out[leaving.tag]![j] = leaving.value;
        emitted++;
        lastOutput = cycle;
      }
    }
  }
  return { cycles: lastOutput + 1, out };
}

/**
 * Output-stationary fold: A (R x T) enters row i skewed by i, B (T x C) enters column j skewed by j; each
 * PE accumulates its output; after the last MAC the outputs shift down and out, one row per cycle.
 */
function simulateOs(a: number[][], b: number[][]): { cycles: number; out: number[][] } {
  const rows = a.length;
  const cols = b[0]!.length;
  const temporal = b.length;
  let aReg: (Tagged | undefined)[][] = Array.from({ length: rows }, () => Array<Tagged | undefined>(cols).fill(undefined));
  let bReg: (Tagged | undefined)[][] = Array.from({ length: rows }, () => Array<Tagged | undefined>(cols).fill(undefined));
  const acc = Array.from({ length: rows }, () => Array<number>(cols).fill(0));
  let macs = 0;
  let cycle = 0;
  for (; macs < rows * cols * temporal; cycle++) {
    const nextA = aReg.map((row, i) =>
      row.map((_, j) => {
        if (j > 0) return aReg[i]![j - 1];
        const k = cycle - i;
        return k >= 0 && k < temporal ? { tag: k, value: a[i]![k]! } : undefined;
      }),
    );
    const nextB = bReg.map((row, i) =>
      row.map((_, j) => {
        if (i > 0) return bReg[i - 1]![j];
        const k = cycle - j;
        return k >= 0 && k < temporal ? { tag: k, value: b[k]![j]! } : undefined;
      }),
    );
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const x = nextA[i]![j];
        const y = nextB[i]![j];
        if ((x === undefined) !== (y === undefined) || (x !== undefined && x.tag !== y!.tag)) throw new Error(`skew broken at PE(${i}, ${j})`);
        if (x !== undefined) {
          acc[i]![j]! += x.value * y!.value;
          macs++;
        }
      }
    }
    aReg = nextA;
    bReg = nextB;
  }
  // Drain: the bottom row leaves first; R shifts empty the array.
  const out = Array.from({ length: rows }, () => Array<number>(cols).fill(NaN));
  for (let shift = 0; shift < rows; shift++, cycle++) out[rows - 1 - shift] = [...acc[rows - 1 - shift]!];
  return { cycles: cycle, out };
}

const CASES: readonly { rows: number; cols: number; temporal: number }[] = [
  { rows: 4, cols: 4, temporal: 4 },
  { rows: 4, cols: 4, temporal: 8 },
  { rows: 4, cols: 4, temporal: 3 },
  { rows: 3, cols: 5, temporal: 7 },
  { rows: 5, cols: 2, temporal: 1 },
  { rows: 1, cols: 1, temporal: 6 },
];

test('fidelity gemmSystolic: a simulated weight-stationary fold takes exactly 2R + C + T - 2 cycles and computes A*W', (t) => {
  const rng = new Rng('fidelity:gemmSystolic:ws');
  for (const { rows, cols, temporal } of CASES) {
    const a = randomMatrix(rng, temporal, rows);
    const w = randomMatrix(rng, rows, cols);
    const sim = simulateWs(a, w);
    t.deepEqual(sim.out, product(a, w));
    const check = fidelity(foldCycles(rows, cols, temporal), sim.cycles);
    t.true(Math.abs(check.measured - check.expected) <= TOL_CYCLES, `${rows}x${cols}, T=${temporal}: ${JSON.stringify(check)}`);
  }
});

test('fidelity gemmSystolic: a simulated output-stationary fold with its drain takes exactly 2R + C + T - 2 cycles and computes A*B', (t) => {
  const rng = new Rng('fidelity:gemmSystolic:os');
  for (const { rows, cols, temporal } of CASES) {
    const a = randomMatrix(rng, rows, temporal);
    const b = randomMatrix(rng, temporal, cols);
    const sim = simulateOs(a, b);
    t.deepEqual(sim.out, product(a, b));
    const check = fidelity(foldCycles(rows, cols, temporal), sim.cycles);
    t.true(Math.abs(check.measured - check.expected) <= TOL_CYCLES, `${rows}x${cols}, T=${temporal}: ${JSON.stringify(check)}`);
  }
});

test('fidelity gemmSystolic: serial folds of a padded 8x8x8 GEMM on a 4x4 array cost four simulated folds', (t) => {
  const rng = new Rng('fidelity:gemmSystolic:folds');
  const single = simulateOs(randomMatrix(rng, 4, 8), randomMatrix(rng, 8, 4)).cycles;
  const model = systolicMapping({ rows: 4, cols: 4, arrays: 1, foldOverlap: 'serial' }, 'os', { m: 8, n: 8, k: 8 });
  t.deepEqual(fidelity(4 * single, model.computeCycles), { expected: 72, measured: 72, deviationPct: 0 });
});
