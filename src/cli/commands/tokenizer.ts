// `engram-dse tokenizer stats`: size of the compressed vocabulary and its largest merge groups (engram-spec.md §2.6).
import type { Command } from 'commander';
import { reductionPct, topMergeGroups } from '../../model/index.ts';
import type { CliIo } from '../context.ts';
import { parseIntOption } from '../parse.ts';
import { TOKENIZER_NAMES, resolveTokenizer } from '../tokenizerSource.ts';

interface StatsOptions {
  tokenizer?: string;
  vocab?: string;
  identity?: number;
  top: number;
  json?: boolean;
}

const DEFAULT_TOP = 10;
const REDUCTION_DECIMALS = 3;

/** Shows a key on one terminal line: JSON escapes, plus \u escapes for other invisible or line-breaking characters. */
export function escapeKey(key: string): string {
  return JSON.stringify(key).replace(/[\p{C}\p{Z}]/gu, (ch) => {
    if (ch === ' ') return ch;
    const cp = ch.codePointAt(0) as number;
    return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  });
}

export function register(program: Command, io: CliIo): void {
  const tokenizer = program.command('tokenizer').description('compressed tokenizer (raw id -> canonical id) tools');
  tokenizer
    .command('stats')
    .description("raw vocabulary size V, compressed size V', reduction and the largest merge groups")
    .option('--tokenizer <name>', `named tokenizer (${TOKENIZER_NAMES.join(', ')}); the default when no source is given`)
    .option('--vocab <file>', 'vocabulary JSON: one entry per raw id, a string or {"text", "token"}')
    .option('--identity <n>', 'identity table over n raw ids (no compression)', parseIntOption('--identity', 1, 0x7fffffff))
    .option('--top <k>', 'number of merge groups to list', parseIntOption('--top', 0, 1_000_000), DEFAULT_TOP)
    .option('--json', 'machine-readable output')
    .action(async (opts: StatsOptions) => {
      const handle = await resolveTokenizer({ tokenizer: opts.tokenizer, vocab: opts.vocab, identity: opts.identity }, io);
      const { table } = handle;
      const groups = topMergeGroups(table, opts.top);
      const reduction = reductionPct(table);
      if (opts.json === true) {
        io.out(`${JSON.stringify({
          tokenizer: handle.name,
          rawVocabSize: table.rawVocabSize,
          compressedVocabSize: table.compressedVocabSize,
          reductionPct: reduction,
          topMergeGroups: groups,
        }, null, 2)}\n`);
        return;
      }
      const lines = [
        `tokenizer: ${handle.name}`,
        `raw vocabulary V:          ${table.rawVocabSize}`,
        `compressed vocabulary V':  ${table.compressedVocabSize}`,
        `reduction:                 ${reduction.toFixed(REDUCTION_DECIMALS)}%`,
      ];
      if (groups.length > 0) {
        lines.push(`top ${groups.length} merge groups (size, canonical id, key):`);
        const width = String(groups[0]?.size ?? 0).length;
        for (const g of groups) lines.push(`  ${String(g.size).padStart(width)}  ${String(g.compressedId).padStart(6)}  ${g.key === null ? '(no key)' : escapeKey(g.key)}`);
      }
      io.out(`${lines.join('\n')}\n`);
    });
}
