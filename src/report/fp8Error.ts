// FP8 GEMM error against K: the table `accumulationFidelity` (src/fp8/fidelity.ts, `engram-dse fp8 accum-table`)
// computes, plotted as one line per accumulation model. The CLI computes the table (report/ does not import fp8/)
// and passes it in; this file only turns it into a series.
import { formatNumber, wantsLogScale, type Cell, type Series, type UniqueName } from './series.ts';

/** The shape of src/fp8's AccumulationFidelityTable (the fields plotted). */
export interface Fp8ErrorTable {
  readonly m: number;
  readonly n: number;
  readonly seed: string;
  readonly distribution: string;
  readonly columns: readonly { readonly name: string; readonly description: string }[];
  readonly rows: readonly { readonly k: number; readonly maxRelError: Readonly<Record<string, number>> }[];
}

/** The command that recomputes the same table. */
export function fp8Command(t: Fp8ErrorTable): string {
  return `engram-dse fp8 accum-table --ks ${t.rows.map((r) => r.k).join(',')} --m ${t.m} --n ${t.n} --seed ${t.seed} --distribution ${t.distribution}`;
}

export function fp8Inputs(t: Fp8ErrorTable): string {
  return (
    `FP8 GEMM (${t.m} x K) x (K x ${t.n}), E4M3 inputs drawn ${t.distribution}, max relative error against a float64 reference of the same quantised inputs ` +
    `(DeepSeek-V3 §3.3.2); K in ${t.rows.map((r) => formatNumber(r.k)).join(', ')}; seed ${t.seed}; recompute with: ${fp8Command(t)}`
  );
}

export function fp8Series(t: Fp8ErrorTable, unique: UniqueName): Series {
  const rows = t.rows.flatMap((r) => t.columns.map((c): Cell[] => [r.k, c.name, r.maxRelError[c.name]!]));
  return {
    name: unique('fp8-error-vs-k'),
    title: 'FP8 GEMM error against K, per accumulation model',
    kind: 'fp8',
    display: 'chart',
    columns: ['k', 'accumulation', 'maxRelError'],
    rows,
    inputs: fp8Inputs(t),
    x: { field: 'k', title: 'inner dimension K', log: wantsLogScale(t.rows.map((r) => r.k), 1) },
    y: { field: 'maxRelError', title: 'max relative error', log: wantsLogScale(rows.map((r) => r[2] as number), 1) },
    color: { field: 'accumulation', title: 'accumulation' },
    lines: true,
    note: `${t.columns.map((c) => `${c.name}: ${c.description}`).join('; ')}.`,
  };
}
