// Explicit list of the CLI's commands (no registration by side effect).
import type { Command } from 'commander';
import type { CliIo } from '../context.ts';
import { register as registerTokenizer } from './tokenizer.ts';
import { register as registerHash } from './hash.ts';

export type RegisterCommand = (program: Command, io: CliIo) => void;

export const commands: RegisterCommand[] = [registerTokenizer, registerHash];
