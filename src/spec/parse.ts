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
  const protoPath = protoKeyPath(data);
  if (protoPath !== undefined) {
    // JSON.parse and the YAML reader keep it as an own key; a parsed record (or any assignment) would make its
    // value the object's prototype and lose it without a word (an objective named so vanished from a sweep).
    throw new SpecError(file, protoPath, 'expected no key named "__proto__" (JavaScript makes it an object\'s prototype, so its value would be lost); rename it');
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const first = result.error.issues[0];
    if (first === undefined) throw new SpecError(file, '', 'invalid document');
    const { path, detail } = describeIssue(first, data);
    throw new SpecError(file, path, detail);
  }
  return deepFreeze(result.data);
}

/** The dotted path of the first own "__proto__" key in a decoded document, or undefined (no copies on the way). */
function protoKeyPath(value: unknown): string | undefined {
  const reversed = protoKeySegments(value);
  return reversed === undefined ? undefined : reversed.reverse().join('.');
}

/** The path's segments, innermost first. */
function protoKeySegments(value: unknown): string[] | undefined {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = protoKeySegments(value[i]);
      if (found !== undefined) return (found.push(String(i)), found);
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (key === '__proto__') return [key];
    const found = protoKeySegments((value as Record<string, unknown>)[key]);
    if (found !== undefined) return (found.push(key), found);
  }
  return undefined;
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
