// `engram-dse hash`: n-gram hash head indices of token sequences (engram-spec.md §3), after compressing
// the raw ids through a tokenizer table (§2.4); prints a table per layer or the full JSON.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SpecError, showValue } from '../../core/index.ts';
import { parseJsonText } from '../../spec/index.ts';
import { buildHashMapping, compressIds, hashBatch, type CompressedTable, type HashMapping } from '../../model/index.ts';
import { resolveTokenizer, TOKENIZER_NAMES } from '../tokenizerSource.ts';
import type { CliIo } from '../context.ts';
import { parseIntList, parseIntOption, UsageError } from '../parse.ts';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
/** Largest V' whose multiplier draw uses numpy's 64-bit path (engram-spec.md §3.1). */
const MAX_COMPRESSED_VOCAB = 1_073_741_823;

export interface HashCommandOptions {
  text?: string;
  ids?: number[];
  idsFile?: string;
  tokenizer?: string;
  vocab?: string;
  identity?: number;
  layers: number[];
  maxNgram: number;
  heads: number;
  vocabSizes: number[];
  seed: number;
  padId: number;
  json?: boolean;
}

/** What the hash command needs from a tokenizer: a raw -> canonical table, a name, and an encoder for --text. */
export interface HashTokenizer {
  readonly name: string;
  readonly table: CompressedTable;
  readonly encode?: (text: string) => number[];
}

/** Defaults of the demo configuration, engram-spec.md §1. */
const DEMO = { layers: [1, 15], maxNgram: 3, heads: 8, vocabSizes: [646400, 646400], seed: 0, padId: 2 } as const;

export function register(program: Command, io: CliIo): void {
  program
    .command('hash')
    .description('n-gram hash head indices [B][T][(N-1)*H] of token sequences, per Engram layer (engram-spec.md §3)')
    .option('--text <string>', 'text to tokenize (deepseek-v3 only; BOS is prepended as transformers-4.x does)')
    .option('--ids <list>', 'one sequence of raw token ids, comma-separated (negative ids pass through)', parseIntList('--ids', INT32_MIN, INT32_MAX))
    .option('--ids-file <file>', 'JSON array of sequences (arrays of raw token ids), hashed as one batch')
    .option('--tokenizer <name>', `named tokenizer (${TOKENIZER_NAMES.join(', ')}; the default when no source is given)`)
    .option('--vocab <file>', 'vocabulary JSON file: one entry per raw id, a string or {"text", "token"}')
    .option('--identity <n>', "identity tokenizer over n raw ids, so V' = n", parseIntOption('--identity', 1, MAX_COMPRESSED_VOCAB))
    .option('--layers <list>', '0-based Engram layer ids, in prime-search order', parseIntList('--layers', 0), [...DEMO.layers])
    .option('--max-ngram <n>', 'largest n-gram order N (orders 2..N are hashed)', parseIntOption('--max-ngram', 2, 8), DEMO.maxNgram)
    .option('--heads <n>', 'heads (prime-sized tables) per order', parseIntOption('--heads', 1, 1024), DEMO.heads)
    .option('--vocab-sizes <list>', 'prime-search start per order n = 2..N', parseIntList('--vocab-sizes', 1, INT32_MAX), [...DEMO.vocabSizes])
    .option('--seed <n>', 'multiplier seed', parseIntOption('--seed', 0, 2 ** 32 - 1), DEMO.seed)
    .option('--pad-id <n>', 'raw id of the pad token (compressed like any id)', parseIntOption('--pad-id', 0, INT32_MAX), DEMO.padId)
    .option('--json', 'machine-readable output')
    .action(async (opts: HashCommandOptions) => {
      const tokenizer: HashTokenizer = await resolveTokenizer({ tokenizer: opts.tokenizer, vocab: opts.vocab, identity: opts.identity }, io);
      const rawBatch = readBatch(opts, io, tokenizer);
      if (new Set(opts.layers).size !== opts.layers.length) throw new UsageError(`--layers: expected distinct layer ids, got ${showValue(opts.layers.join(','))}`);
      if (opts.vocabSizes.length < opts.maxNgram - 1) {
        throw new UsageError(`--vocab-sizes: expected at least --max-ngram - 1 = ${opts.maxNgram - 1} sizes, got ${showValue(opts.vocabSizes.join(','))}`);
      }
      const { table } = tokenizer;
      checkRawIds(rawBatch.sequences, table, rawBatch.locate);
      if (opts.padId >= table.rawVocabSize) throw new UsageError(`--pad-id: token id ${opts.padId} is not in [0, ${table.rawVocabSize - 1}]`);
      const compressed = rawBatch.sequences.map((seq) => compressIds(table, seq));
      const padCompressed = table.lookup[opts.padId]!;
      const mapping = buildHashMapping({
        layerIds: opts.layers,
        maxNgramSize: opts.maxNgram,
        nHeadPerNgram: opts.heads,
        engramVocabSize: opts.vocabSizes,
        seed: opts.seed,
        compressedVocabSize: table.compressedVocabSize,
        padCompressed,
      });
      const hashes = hashBatch(mapping, compressed);
      if (opts.json === true) io.out(`${JSON.stringify(jsonReport(mapping, compressed, hashes))}\n`);
      else io.out(humanReport(tokenizer, mapping, compressed, hashes));
    });
}

interface RawBatch {
  sequences: number[][];
  /** Names sequence b, position t in an error message. */
  locate: (b: number, t: number) => string;
}

function readBatch(opts: HashCommandOptions, io: CliIo, tokenizer: HashTokenizer): RawBatch {
  const given = (['text', 'ids', 'idsFile'] as const).filter((key) => opts[key] !== undefined);
  if (given.length !== 1) {
    throw new UsageError(`--text, --ids, --ids-file: expected exactly one of them, got ${given.length === 0 ? 'none' : given.length}`);
  }
  if (opts.text !== undefined) {
    if (tokenizer.encode === undefined) throw new UsageError(`--text: tokenizer ${tokenizer.name} cannot encode text; use --tokenizer deepseek-v3 or give --ids`);
    return { sequences: [tokenizer.encode(opts.text)], locate: (_b, t) => `--text token ${t}` };
  }
  if (opts.ids !== undefined) return { sequences: [opts.ids], locate: (_b, t) => `--ids[${t}]` };
  const shownAs = opts.idsFile as string;
  let text: string;
  try {
    text = readFileSync(path.resolve(io.cwd, shownAs), 'utf8');
  } catch (error) {
    throw new SpecError(shownAs, '', `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  const data = parseJsonText(text, shownAs);
  if (!Array.isArray(data) || data.length === 0) throw new SpecError(shownAs, '', `expected a non-empty array of sequences, got ${showValue(data)}`);
  const sequences = data.map((seq: unknown, b) => {
    if (!Array.isArray(seq)) throw new SpecError(shownAs, `[${b}]`, `expected an array of token ids, got ${showValue(seq)}`);
    return seq.map((id: unknown, t) => {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < INT32_MIN || id > INT32_MAX) {
        throw new SpecError(shownAs, `[${b}][${t}]`, `expected an integer token id in [-2^31, 2^31-1], got ${showValue(id)}`);
      }
      return id;
    });
  });
  return { sequences, locate: (b, t) => `${shownAs}: [${b}][${t}]` };
}

/** Ids at or above the raw vocabulary size are errors (upstream raises IndexError); negative ids pass through. */
function checkRawIds(sequences: readonly number[][], table: CompressedTable, locate: (b: number, t: number) => string): void {
  for (const [b, seq] of sequences.entries()) {
    for (const [t, id] of seq.entries()) {
      if (id >= table.rawVocabSize) throw new UsageError(`${locate(b, t)}: token id ${id} is not in [0, ${table.rawVocabSize - 1}] (negative ids pass through)`);
    }
  }
}

function chunk(flat: Int32Array, width: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < flat.length; i += width) rows.push(Array.from(flat.subarray(i, i + width)));
  return rows;
}

function jsonReport(mapping: HashMapping, compressed: Int32Array[], hashes: Map<number, Int32Array[]>): unknown {
  const headsPerLayer = (mapping.maxNgramSize - 1) * mapping.nHeadPerNgram;
  const layers: Record<string, unknown> = {};
  for (const layer of mapping.layers) {
    layers[String(layer.layerId)] = {
      // Multipliers reach 2^63, beyond what a JSON number holds exactly.
      multipliers: layer.multipliers.map(String),
      primes: layer.primes,
      rowOffsets: layer.rowOffsets,
      hashes: hashes.get(layer.layerId)!.map((seq) => chunk(seq, headsPerLayer)),
    };
  }
  return { compressedIds: compressed.map((seq) => Array.from(seq)), padCompressed: mapping.padCompressed, layers };
}

/** Right-aligns every column of a table of cells. */
function alignColumns(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
}

function humanReport(tokenizer: HashTokenizer, mapping: HashMapping, compressed: Int32Array[], hashes: Map<number, Int32Array[]>): string {
  const { maxNgramSize: n, nHeadPerNgram: heads } = mapping;
  const lines = [
    `tokenizer ${tokenizer.name}: V' = ${mapping.compressedVocabSize}, pad' = ${mapping.padCompressed}`,
    `${compressed.length} sequence${compressed.length === 1 ? '' : 's'}, orders 2..${n}, ${heads} head${heads === 1 ? '' : 's'} per order`,
  ];
  const header = ['t', "id'"];
  for (let order = 2; order <= n; order++) for (let j = 0; j < heads; j++) header.push(`n${order}h${j}`);
  for (const layer of mapping.layers) {
    lines.push('', `layer ${layer.layerId}`, `  multipliers  ${layer.multipliers.join(' ')}`);
    for (let order = 2; order <= n; order++) {
      lines.push(`  primes n=${order}   ${layer.primes.slice((order - 2) * heads, (order - 1) * heads).join(' ')}`);
    }
    lines.push(`  total rows   ${layer.totalRows}`);
    for (const [b, seq] of hashes.get(layer.layerId)!.entries()) {
      lines.push(`  sequence ${b} (${compressed[b]!.length} tokens)`);
      const rows = chunk(seq, (n - 1) * heads).map((row, t) => [String(t), String(compressed[b]![t]), ...row.map(String)]);
      for (const line of alignColumns([header, ...rows])) lines.push(`    ${line}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
