// Point sources: the full grid in a fixed order (parameters sorted by name, the last varying fastest), seeded
// uniform random draws, and Latin hypercube samples (McKay, Beckman and Conover, Technometrics 1979).
import { Rng, SpecError, recordShape, showValue } from '../core/index.ts';
import type { SamplerSpec } from '../spec/index.ts';
import { valueAt, type ResolvedParameter } from './parameters.ts';
import type { ParameterValue, SweepPoint } from './types.ts';

/** Largest grid a sweep may enumerate; a bigger space calls for a random or Latin hypercube sampler. */
export const MAX_GRID_POINTS = 10_000_000;

/** Enumerates a sweep's points by index, 0 <= index < count; the same spec always gives the same points. */
export interface PointSource {
  readonly count: number;
  /** Whether distinct indices are guaranteed to give distinct points (true for the grid). */
  readonly unique: boolean;
  pointAt(index: number): SweepPoint;
}

export function createPointSource(parameters: readonly ResolvedParameter[], sampler: SamplerSpec, file: string): PointSource {
  switch (sampler.kind) {
    case 'grid':
      return gridSource(parameters, file);
    case 'random':
      return drawnSource(parameters, sampler.count, (p) => uniformDraws(new Rng(sampler.seed).child(`random:${p.name}`), sampler.count));
    case 'latin-hypercube':
      return drawnSource(parameters, sampler.count, (p) => latinHypercubeDraws(new Rng(sampler.seed).child(`latin-hypercube:${p.name}`), sampler.count));
  }
}

function gridSource(parameters: readonly ResolvedParameter[], file: string): PointSource {
  const axes = parameters.map((p) => {
    if (p.kind === 'continuous') {
      throw new SpecError(file, `parameters.${p.name}`, 'a range without step or count has no grid values; expected step or count, or sampler kind random or latin-hypercube');
    }
    return p.values;
  });
  const count = axes.reduce((n, values) => n * values.length, 1);
  if (count > MAX_GRID_POINTS) {
    throw new SpecError(file, 'sampler', `the grid has ${showValue(count)} points, more than ${MAX_GRID_POINTS}; expected fewer values, or sampler kind random or latin-hypercube with a count`);
  }
  const shape = pointShape(parameters);
  const scratch: ParameterValue[] = parameters.map(() => 0);
  return {
    count,
    unique: true,
    pointAt(index) {
      let rest = index;
      for (let a = axes.length - 1; a >= 0; a--) {
        const values = axes[a]!;
        scratch[a] = values[rest % values.length]!;
        rest = Math.floor(rest / values.length);
      }
      return shape.fromValues(scratch);
    },
  };
}

/** Each parameter gets its own stream of u in [0, 1), so adding a parameter does not move the others' draws. */
function drawnSource(parameters: readonly ResolvedParameter[], count: number, draws: (p: ResolvedParameter) => Float64Array): PointSource {
  const us = parameters.map(draws);
  const shape = pointShape(parameters);
  const scratch: ParameterValue[] = parameters.map(() => 0);
  return {
    count,
    unique: false,
    pointAt(index) {
      for (let i = 0; i < parameters.length; i++) scratch[i] = valueAt(parameters[i]!, us[i]![index]!);
      return shape.fromValues(scratch);
    },
  };
}

/** Points hold the parameters in their (sorted) order, built as one object literal (core/recordShape.ts). */
function pointShape(parameters: readonly ResolvedParameter[]) {
  return recordShape<ParameterValue>(parameters.map((p) => p.name));
}

function uniformDraws(rng: Rng, count: number): Float64Array {
  const u = new Float64Array(count);
  for (let i = 0; i < count; i++) u[i] = rng.nextFloat();
  return u;
}

/** Point i falls in stratum perm[i] of [0, 1) split into `count`, at a uniform offset within it. */
function latinHypercubeDraws(rng: Rng, count: number): Float64Array {
  const perm = Uint32Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  const u = new Float64Array(count);
  for (let i = 0; i < count; i++) u[i] = (perm[i]! + rng.nextFloat()) / count;
  return u;
}
