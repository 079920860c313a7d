// Temporary folders for a test file, removed when the file's tests are done (pass or fail), so repeated runs do
// not pile up folders under the OS temp dir. Importing this module registers the cleanup hook (ava wants hooks
// declared while the test file loads).
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

test.after.always('remove temporary folders', () => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new folder under the OS temp dir whose name starts with `prefix`; removed after this file's tests. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
