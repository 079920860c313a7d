// Error-message formatting for numeric fields (style.md convention 5).
import { showValue } from '../core/index.ts';

/** Like core's showValue, but prints NaN and ±Infinity by name (JSON would print them as null). */
export function showNumber(value: unknown): string {
  return typeof value === 'number' ? String(Object.is(value, -0) ? '-0' : value) : showValue(value);
}
