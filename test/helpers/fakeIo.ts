// An in-memory CliIo for running the CLI inside a test, with captured stdout/stderr.
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/context.ts';

export interface CapturedRun {
  code: number;
  out: string;
  err: string;
}

export function fakeIo(overrides: Partial<CliIo> = {}): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    out: (s) => void stdout.push(s),
    err: (s) => void stderr.push(s),
    isTty: false,
    cwd: process.cwd(),
    cacheDir: path.join(os.tmpdir(), 'engram-codesign-test-cache'),
    stdout,
    stderr,
    ...overrides,
  };
}

/** Runs the CLI in-process and returns exit code and captured output. */
export async function runCaptured(argv: readonly string[], overrides: Partial<CliIo> = {}): Promise<CapturedRun> {
  const io = fakeIo(overrides);
  const code = await runCli(argv, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}
