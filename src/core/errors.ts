// Typed errors thrown by library code. Only src/cli turns them into a message and an exit code.
// Every message names where (file or function), which field, the bad value and what was expected.

/** Base class: an error caused by the user's input, reported as one line with exit code 2. */
export class EngramError extends Error {
  override readonly name: string = 'EngramError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A document (target, config, vocabulary, sweep) that violates its schema. */
export class SpecError extends EngramError {
  override readonly name = 'SpecError';
  constructor(
    readonly file: string,
    readonly path: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${path === '' ? '(root)' : path}: ${detail}`, options);
  }
}

/** A model was called with values outside its domain (e.g. a token id not in the vocabulary). */
export class ModelError extends EngramError {
  override readonly name = 'ModelError';
}

/** A simulator (event engine, RTL harness, SystemC wasm) failed or was driven wrongly. */
export class SimError extends EngramError {
  override readonly name = 'SimError';
}

/** Formats a value for an error message: strings quoted, long values cut. */
export function showValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (value === undefined) text = 'undefined';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
