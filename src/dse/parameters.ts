// A sweep's parameters checked against the evaluator's domains and turned into value sets: lists as written,
// stepped or counted ranges as their values, continuous ranges as intervals that only the random samplers draw from.
import { SpecError, showValue } from '../core/index.ts';
import { isRangeParameter, type ParameterSpec, type RangeParameter, type SweepSpec } from '../spec/index.ts';
import type { ParameterDomain, ParameterValue } from './types.ts';

export type ResolvedParameter =
  | { readonly name: string; readonly kind: 'discrete'; readonly values: readonly ParameterValue[] }
  | { readonly name: string; readonly kind: 'continuous'; readonly from: number; readonly to: number; readonly scale: 'linear' | 'log'; readonly integer: boolean };

/** Range values are rounded to 12 significant digits, so 0.1 + 2 x 0.1 is stored as 0.3. */
const SIGNIFICANT_DIGITS = 12;

export function roundSignificant(x: number): number {
  return Number(x.toPrecision(SIGNIFICANT_DIGITS));
}

/**
 * Checks every parameter of `spec` against `domains` and returns all of the evaluator's parameters sorted by
 * name, those the spec leaves out at their default. Throws SpecError naming the parameter and what it accepts.
 */
export function resolveParameters(spec: SweepSpec, file: string, domains: Readonly<Record<string, ParameterDomain>>): ResolvedParameter[] {
  const known = Object.keys(domains).sort();
  for (const name of Object.keys(spec.parameters)) {
    if (domains[name] === undefined) {
      throw new SpecError(file, `parameters.${name}`, `unknown parameter of evaluator ${showValue(spec.evaluator)}; expected one of ${known.join(', ')}`);
    }
  }
  return known.map((name) => {
    const domain = domains[name]!;
    const given = spec.parameters[name];
    if (given === undefined) {
      if (domain.default === undefined) {
        throw new SpecError(file, 'parameters', `missing ${name} (${domain.description}), which evaluator ${showValue(spec.evaluator)} needs: expected ${describeDomain(domain)}`);
      }
      return { name, kind: 'discrete', values: [domain.default] };
    }
    return resolveOne(name, given, domain, file);
  });
}

function resolveOne(name: string, given: ParameterSpec, domain: ParameterDomain, file: string): ResolvedParameter {
  const path = `parameters.${name}`;
  if (!isRangeParameter(given)) {
    given.forEach((value, i) => checkValue(value, domain, file, `${path}[${i}]`));
    return { name, kind: 'discrete', values: unique(given) };
  }
  if (domain.kind === 'choice') throw new SpecError(file, path, `expected a list of names (${describeDomain(domain)}), got a range`);
  for (const end of ['from', 'to'] as const) {
    if (given[end] < domain.min || given[end] > domain.max) {
      throw new SpecError(file, `${path}.${end}`, `expected a number in [${domain.min}, ${domain.max}], got ${showValue(given[end])}`);
    }
  }
  if (given.step === undefined && given.count === undefined) {
    if (domain.kind === 'integer' && !given.integer) {
      throw new SpecError(file, `${path}.integer`, `expected true: ${name} is an integer parameter and a continuous range draws real numbers`);
    }
    return { name, kind: 'continuous', from: given.from, to: given.to, scale: given.scale, integer: given.integer };
  }
  const values = rangeValues(given);
  if (domain.kind === 'integer') {
    const bad = values.find((v) => !Number.isInteger(v));
    if (bad !== undefined) throw new SpecError(file, path, `expected integer values (${name} is an integer parameter; add integer: true), but the range gives ${showValue(bad)}`);
  }
  return { name, kind: 'discrete', values };
}

function checkValue(value: ParameterValue, domain: ParameterDomain, file: string, path: string): void {
  if (domain.kind === 'choice') {
    if (typeof value !== 'string' || !domain.values.includes(value)) throw new SpecError(file, path, `expected one of ${domain.values.join(', ')} (${domain.description}), got ${showValue(value)}`);
    return;
  }
  const integer = domain.kind === 'integer';
  if (typeof value !== 'number' || value < domain.min || value > domain.max || (integer && !Number.isInteger(value))) {
    throw new SpecError(file, path, `expected ${integer ? 'an integer' : 'a number'} in [${domain.min}, ${domain.max}], got ${showValue(value)}`);
  }
}

function describeDomain(domain: ParameterDomain): string {
  if (domain.kind === 'choice') return `one of ${domain.values.join(', ')}`;
  return `${domain.kind === 'integer' ? 'an integer' : 'a number'} in [${domain.min}, ${domain.max}]`;
}

/** The values of a stepped or counted range, ascending, rounded as `integer` asks, duplicates removed. */
export function rangeValues(range: RangeParameter): number[] {
  const { from, to } = range;
  if (from === to) return [range.integer ? Math.round(from) : from];
  const raw: number[] = [];
  if (range.step !== undefined) {
    // The epsilon keeps `to` when (to - from) / step is an integer up to rounding (0.1 steps).
    const n = Math.floor((to - from) / range.step + 1e-9) + 1;
    for (let i = 0; i < n; i++) raw.push(roundSignificant(from + i * range.step));
  } else {
    const count = range.count ?? 1;
    for (let i = 0; i < count; i++) {
      if (i === 0) raw.push(from);
      else if (i === count - 1) raw.push(to);
      else if (range.scale === 'log') raw.push(roundSignificant(Math.exp(Math.log(from) + (i * (Math.log(to) - Math.log(from))) / (count - 1))));
      else raw.push(roundSignificant(from + (i * (to - from)) / (count - 1)));
    }
  }
  // Rounding to 12 digits may step past an end of a range narrower than that; clamping keeps it inside and ascending.
  return unique(range.integer ? raw.map((v) => clampInt(Math.round(v), from, to)) : raw.map((v) => Math.min(to, Math.max(from, v))));
}

function clampInt(v: number, from: number, to: number): number {
  return Math.min(Math.floor(to), Math.max(Math.ceil(from), v));
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** The value at u in [0, 1): a discrete parameter's floor(u n)-th value, or a point of the continuous range. */
export function valueAt(parameter: ResolvedParameter, u: number): ParameterValue {
  if (parameter.kind === 'discrete') return parameter.values[Math.min(parameter.values.length - 1, Math.floor(u * parameter.values.length))]!;
  const { from, to, scale, integer } = parameter;
  if (scale === 'log') {
    const x = Math.exp(Math.log(from) + u * (Math.log(to) - Math.log(from)));
    return integer ? clampInt(Math.round(x), from, to) : roundSignificant(Math.min(to, x));
  }
  if (integer) {
    const lo = Math.ceil(from);
    return Math.min(Math.floor(to), lo + Math.floor(u * (Math.floor(to) - lo + 1)));
  }
  return roundSignificant(from + u * (to - from));
}
