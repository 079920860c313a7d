// Tool gating shared by the SystemC tests: a test that needs a build runs, skips with the reason in its title,
// or, when CI is set, fails with it (CI installs the tools, so there it must run).
import test, { type ExecutionContext } from 'ava';
import { missingSystemcTools, type SystemcBackend } from '../../src/cosim/index.ts';

export const IN_CI = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false' && process.env['CI'] !== '0';

/** Why the builds for `backends` cannot be made here, or null. */
export function missingFor(backends: readonly SystemcBackend[]): string | null {
  const reasons = backends.map((b) => missingSystemcTools(b)).filter((r): r is string => r !== null);
  return reasons.length === 0 ? null : [...new Set(reasons)].join('; ');
}

/** A serial test that needs the SystemC builds of `backends`. */
export function toolTest(backends: readonly SystemcBackend[], title: string, body: (t: ExecutionContext) => Promise<void>): void {
  const missing = missingFor(backends);
  if (missing === null) test.serial(title, body);
  else if (IN_CI) test(`${title} (tools missing under CI)`, (t) => t.fail(`CI is set but ${missing}`));
  else test.skip(`${title} (skipped: ${missing})`, body);
}
