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
