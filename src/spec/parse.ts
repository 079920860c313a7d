// Parse -> validate -> freeze (style.md convention 4): turns untrusted JSON into a frozen typed value
// or throws a SpecError naming the file, the field path, the bad value and what was expected.
import { z } from 'zod';
import { SpecError, showValue } from '../core/index.ts';

/** Formats a zod issue path like `memory[0].stacks`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): { path: string; detail: string } {
  if (issue.code === 'unrecognized_keys') {
    return {
      path: formatPath(issue.path),
      detail: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (not in the schema)`,
    };
  }
  const got = valueAt(data, issue.path);
  const path = formatPath(issue.path);
  if (got === undefined && issue.code === 'invalid_type') return { path, detail: `${issue.message.replace(/, received undefined$/, '')}, but it is missing` };
  return { path, detail: `${issue.message.replace(/^Invalid input: /, '')}, got ${showValue(got)}` };
}

/** Validates `data` against `schema`; throws SpecError for the first issue. Returns a deep-frozen copy. */
export function parseDocument<S extends z.ZodType>(schema: S, data: unknown, file: string): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const first = result.error.issues[0];
    if (first === undefined) throw new SpecError(file, '', 'invalid document');
    const { path, detail } = describeIssue(first, data);
    throw new SpecError(file, path, detail);
  }
  return deepFreeze(result.data);
}

/** Parses JSON text, mapping syntax errors to SpecError. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SpecError(file, '', `not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
