// What a command needs from the outside world: output streams and the working/cache folders.
// Commands never touch process.stdout directly, so tests can run the CLI in-process.

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is an interactive terminal (progress bars only then). */
  isTty: boolean;
  cwd: string;
  /** Folder for on-disk caches (tokenizer tables, RTL builds). */
  cacheDir: string;
}

/** Thrown by a command to exit with a code after having printed what it wanted. */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
