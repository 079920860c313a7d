// The engram-dse command line: commander program, error-to-exit-code mapping, and the process entry point.
import { Command, CommanderError } from 'commander';
import path from 'node:path';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { EngramError } from '../core/index.ts';
import { CliExit, type CliIo } from './context.ts';
import { commands } from './commands/index.ts';

export function buildProgram(io: CliIo): Command {
  const program = new Command('engram-dse')
    .description('Engram conditional-memory co-design: functional model, hashing, traces, memory and throughput models')
    .version('0.1.0')
    .showHelpAfterError(false)
    .configureOutput(output(io))
    .exitOverride();
  for (const register of commands) register(program, io);
  // Sub-commands inherit output routing and exit behaviour.
  const configure = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      sub.configureOutput(output(io)).exitOverride();
      configure(sub);
    }
  };
  configure(program);
  return program;
}

/** Routes commander's output to io; usage errors become one line `engram-dse <cmd>: <what> (see --help)`. */
function output(io: CliIo) {
  return {
    writeOut: (s: string) => io.out(s),
    writeErr: (s: string) => io.err(s),
    outputError: (s: string, write: (s: string) => void) => write(`engram-dse: ${s.trim().replace(/^error: /, '')} (see --help)\n`),
  };
}

/** Runs the CLI on argv (without node and script) and returns the exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return exitCodeFor(error, io);
  }
}

function exitCodeFor(error: unknown, io: CliIo): number {
  if (error instanceof CliExit) return error.code;
  if (error instanceof CommanderError) {
    // help and version exit 0; commander already printed its one-line message for usage errors.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    return 2;
  }
  if (error instanceof EngramError) {
    io.err(`engram-dse: ${error.message}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`engram-dse: internal error: ${message}\n`);
  return 1;
}

export function processIo(): CliIo {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    isTty: process.stdout.isTTY === true,
    cwd: process.cwd(),
    cacheDir: process.env.ENGRAM_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'engram-codesign'),
  };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
const viaLauncher = process.argv[1] !== undefined && /engram-dse(\.mjs)?$/.test(process.argv[1]);
if (invokedDirectly || viaLauncher) {
  const code = await runCli(process.argv.slice(2), processIo());
  process.exitCode = code;
}
