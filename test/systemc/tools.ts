// Tool gating of the SystemC tests (test/helpers/toolGate.ts): a test that needs a build runs, skips with the
// reason in its title, or, when CI is set, fails with it (CI installs the tools, so there it must run).
import type { ExecutionContext } from 'ava';
import { missingSystemcTools, type SystemcBackend } from '../../src/cosim/index.ts';
import { gatedTest } from '../helpers/toolGate.ts';

/** Why the builds for `backends` cannot be made here, or null. */
export function missingFor(backends: readonly SystemcBackend[]): string | null {
  const reasons = backends.map((b) => missingSystemcTools(b)).filter((r): r is string => r !== null);
  return reasons.length === 0 ? null : [...new Set(reasons)].join('; ');
}

/** A serial test that needs the SystemC builds of `backends` (fails instead of skipping under CI). */
export function toolTest(backends: readonly SystemcBackend[], title: string, body: (t: ExecutionContext) => Promise<void>): void {
  const missing = missingFor(backends);
  gatedTest(missing, { serial: true })(missing === null ? title : `${title} (skipped: ${missing})`, body);
}
