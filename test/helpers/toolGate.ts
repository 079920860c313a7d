// Tests that need a system tool (Verilator, emscripten, yosys, chromium, the SystemC builds): they run when the
// tool is there; without it they skip, with the reason in their title, except under CI, where .ci/run has
// installed every tool (scripts/install-tools.sh), so a missing one fails the test instead of hiding it.
import test, { type ExecutionContext } from 'ava';

export const IN_CI = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false' && process.env['CI'] !== '0';

type Body = (t: ExecutionContext) => void | Promise<void>;

/**
 * A `test` for tests that need tools: `missing` is why they cannot run here (null: they can). The caller's
 * title states the reason when skipping (cosim's `titled`); `serial` runs them one at a time.
 */
export function gatedTest(missing: string | null, options: { serial?: boolean } = {}): (title: string, body: Body) => void {
  return (title, body) => {
    if (missing === null) (options.serial === true ? test.serial : test)(title, body);
    else if (IN_CI) test(`${title} (tools missing under CI)`, (t) => t.fail(`CI is set but ${missing}`));
    else test.skip(title, body);
  };
}
