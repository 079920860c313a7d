// Explicit list of the CLI's commands (no registration by side effect).
import type { Command } from 'commander';
import type { CliIo } from '../context.ts';

export type RegisterCommand = (program: Command, io: CliIo) => void;

export const commands: RegisterCommand[] = [];
