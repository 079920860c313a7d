// Option-value parsers shared by commands: each throws a UsageError naming the option, the value and what was expected.
import { EngramError, showValue } from '../core/index.ts';

export class UsageError extends EngramError {
  override readonly name = 'UsageError';
}

export function parseIntOption(option: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new UsageError(`${option}: expected an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '2^53-1' : max}], got ${showValue(text)}`);
    }
    return value;
  };
}

/** A finite number in [min, max]. */
export function parseNumberOption(option: string, min: number, max = Infinity) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
      throw new UsageError(`${option}: expected a number in [${min}, ${max === Infinity ? 'inf' : max}], got ${showValue(text)}`);
    }
    return value;
  };
}

/** One of `choices`, as written. */
export function parseChoice<T extends string>(option: string, choices: readonly T[]) {
  return (text: string): T => {
    if (!(choices as readonly string[]).includes(text)) throw new UsageError(`${option}: expected one of ${choices.join(', ')}, got ${showValue(text)}`);
    return text as T;
  };
}

export function parseIntList(option: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number[] => {
    const parts = text.split(',').map((s) => s.trim());
    if (parts.length === 0 || parts.some((p) => p === '')) {
      throw new UsageError(`${option}: expected a comma-separated list of integers, got ${showValue(text)}`);
    }
    return parts.map((p, i) => {
      const value = Number(p);
      if (!/^-?\d+$/.test(p) || !Number.isSafeInteger(value) || value < min || value > max) {
        throw new UsageError(`${option}[${i}]: expected an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '2^53-1' : max}], got ${showValue(p)}`);
      }
      return value;
    });
  };
}
