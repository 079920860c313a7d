// Single-token decoding of a Hugging Face byte-level BPE tokenizer.json, equal to transformers-4.x
// PreTrainedTokenizerFast.decode([id], skip_special_tokens=False) (engram-spec.md §2.1 step 1, §2.5).
import { z } from 'zod';
import { SpecError, showValue } from '../../core/index.ts';
import { parseDocument } from '../../spec/index.ts';
import type { VocabEntry } from './types.ts';
import { decodeUtf8Lossy } from './utf8Lossy.ts';

// Only the parts the decoder reads are checked; tokenizer.json is a third-party format with many other keys.
const tokenizerJsonSchema = z.object({
  added_tokens: z.array(z.object({ id: z.number().int().nonnegative(), content: z.string() })),
  decoder: z.object({ type: z.literal('ByteLevel') }),
  model: z.object({
    type: z.literal('BPE'),
    vocab: z.record(z.string(), z.number().int().nonnegative()),
  }),
});

/**
 * GPT-2's bytes_to_unicode: byteToChar[b] is the printable character that stands for byte b in byte-level vocab
 * strings. Printable Latin-1 bytes stand for themselves; the other 68 bytes take U+0100.. in byte order.
 */
export function bytesToUnicode(): string[] {
  const byteToChar = new Array<string>(256);
  let next = 0x100;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    byteToChar[b] = String.fromCharCode(printable ? b : next++);
  }
  return byteToChar;
}

/** The inverse map as a dense table over U+0000..U+0143: charToByte[codeUnit] = byte, or -1. */
function charToByteTable(): Int16Array {
  const table = new Int16Array(0x144).fill(-1);
  bytesToUnicode().forEach((ch, b) => {
    table[ch.charCodeAt(0)] = b;
  });
  return table;
}

/**
 * tokenizers' ByteLevel decoder on one token: map every character back to its byte and decode the bytes lossily.
 * If any character is outside the byte alphabet the token's own text is used unchanged (Rust falls back to the
 * token's UTF-8 bytes, which decode to the same string).
 */
function decodeByteLevelToken(token: string, charToByte: Int16Array): string {
  const bytes = new Uint8Array(token.length);
  for (let i = 0; i < token.length; i++) {
    const unit = token.charCodeAt(i);
    const b = unit < charToByte.length ? (charToByte[unit] as number) : -1;
    if (b < 0) return token;
    bytes[i] = b;
  }
  return decodeUtf8Lossy(bytes);
}

/**
 * Decodes every id of a byte-level BPE tokenizer.json on its own. The result is indexed by raw id.
 * Added tokens (special or not) decode to their literal content and take precedence over a vocabulary entry with the
 * same id, as tokenizers' id_to_token does; ids over vocabulary and added tokens must be exactly 0..n-1.
 */
export function decodeSingleTokens(tokenizerJson: unknown, file = 'tokenizer.json'): VocabEntry[] {
  const doc = parseDocument(tokenizerJsonSchema, tokenizerJson, file);
  const vocab = Object.entries(doc.model.vocab);
  const added = doc.added_tokens;
  // n ids can only be dense if the largest id is below the number of distinct entries; checked before allocating.
  let maxId = -1;
  for (const [, id] of vocab) maxId = Math.max(maxId, id);
  for (const tok of added) maxId = Math.max(maxId, tok.id);
  if (maxId < 0) throw new SpecError(file, 'model.vocab', 'expected at least one token, got an empty vocabulary and no added tokens');
  if (maxId >= vocab.length + added.length) {
    throw new SpecError(file, 'model.vocab', `ids must be dense 0..n-1, but the highest id is ${maxId} with only ${vocab.length + added.length} tokens`);
  }
  const n = maxId + 1;
  const tokens = new Array<string | undefined>(n);
  for (const [token, id] of vocab) {
    const previous = tokens[id];
    if (previous !== undefined) {
      throw new SpecError(file, `model.vocab[${JSON.stringify(token)}]`, `id ${id} is already used by ${showValue(previous)}; expected unique ids`);
    }
    tokens[id] = token;
  }
  const isAdded = new Uint8Array(n);
  added.forEach((tok, index) => {
    if (isAdded[tok.id] === 1) {
      throw new SpecError(file, `added_tokens[${index}].id`, `id ${tok.id} is already used by another added token; expected unique ids`);
    }
    isAdded[tok.id] = 1;
    tokens[tok.id] = tok.content;
  });
  const charToByte = charToByteTable();
  const entries = new Array<VocabEntry>(n);
  for (let id = 0; id < n; id++) {
    const token = tokens[id];
    if (token === undefined) {
      throw new SpecError(file, 'model.vocab', `ids must be dense 0..${n - 1}, but id ${id} is neither a vocabulary entry nor an added token`);
    }
    // Added tokens bypass the decoder: their content is emitted as is (tokenizers' added-vocabulary path).
    entries[id] = { text: isAdded[id] === 1 ? token : decodeByteLevelToken(token, charToByte), token };
  }
  return entries;
}
