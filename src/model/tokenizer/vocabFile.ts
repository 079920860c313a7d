// A user vocabulary file for the compressed tokenizer: one JSON entry per raw id, either the decoded text or
// {"text", "token"} (engram-spec.md §2.1; the token is the key of a text holding U+FFFD).
import { z } from 'zod';
import { SpecError } from '../../core/index.ts';
import { parseDocument } from '../../spec/index.ts';
import { buildCompressedTable } from './compressedTokenizer.ts';
import type { CompressedTable, VocabEntry } from './types.ts';

const vocabFileSchema = z
  .array(z.union([z.string(), z.strictObject({ text: z.string(), token: z.string().optional() })], {
    error: 'expected the decoded text as a string or an object {"text": string, "token"?: string}',
  }))
  .min(1, 'expected at least one vocabulary entry');

/** Parses a vocabulary document (already JSON-parsed) into entries indexed by raw id. */
export function parseVocabJson(json: unknown, file: string): VocabEntry[] {
  const doc = parseDocument(vocabFileSchema, json, file);
  return doc.map((item, index) => {
    if (typeof item === 'string') {
      if (item.includes('\uFFFD')) {
        throw new SpecError(file, `[${index}]`, 'text contains U+FFFD, so the entry must be {"text": ..., "token": ...} with the raw vocabulary string as "token"');
      }
      return { text: item, token: item };
    }
    if (item.token === undefined) {
      if (item.text.includes('\uFFFD')) {
        throw new SpecError(file, `[${index}].token`, 'text contains U+FFFD, so "token" (the raw vocabulary string used as its key) is required, but it is missing');
      }
      return { text: item.text, token: item.text };
    }
    return { text: item.text, token: item.token };
  });
}

/** Builds the compressed table of a vocabulary document. */
export function tableFromVocabJson(json: unknown, file: string): CompressedTable {
  return buildCompressedTable(parseVocabJson(json, file));
}
