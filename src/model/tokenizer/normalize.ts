// The key normaliser of the compressed tokenizer: HF tokenizers' normalizers.Sequence of NFKC, NFD, StripAccents,
// Lowercase, whitespace collapse, lone-space sentinel, Strip, sentinel restore (engram-spec.md §2.2, steps 1-8).

/** Private-use code point that protects a lone space from Strip (step 6). */
export const SPACE_SENTINEL = '\uE000';

/** Rust char::is_whitespace (Unicode White_Space), the set HF's Strip uses; not JS trim()'s set (no U+FEFF) and not Python's (no 0x1C-0x1F). */
export function isUnicodeWhiteSpace(codePoint: number): boolean {
  return (
    (codePoint >= 0x09 && codePoint <= 0x0d) ||
    codePoint === 0x20 ||
    codePoint === 0x85 ||
    codePoint === 0xa0 ||
    codePoint === 0x1680 ||
    (codePoint >= 0x2000 && codePoint <= 0x200a) ||
    codePoint === 0x2028 ||
    codePoint === 0x2029 ||
    codePoint === 0x202f ||
    codePoint === 0x205f ||
    codePoint === 0x3000
  );
}

/** Step 3: StripAccents removes every General_Category M* code point (Mn, Mc and Me), not only Mn. */
export function stripMarks(text: string): string {
  return text.replace(/\p{M}/gu, '');
}

/**
 * Step 4: lowercase each code point on its own (full mapping, e.g. U+0130 -> "i\u0307"). Doing it per code point
 * switches off the Final_Sigma context rule that String.prototype.toLowerCase applies, so Σ always becomes σ.
 */
export function lowercasePerCodePoint(text: string): string {
  let out = '';
  for (const ch of text) {
    const unit = ch.charCodeAt(0);
    // ASCII fast path; the bulk of a BPE vocabulary.
    if (ch.length === 1 && unit < 0x80) out += unit >= 0x41 && unit <= 0x5a ? String.fromCharCode(unit + 32) : ch;
    else out += ch.toLowerCase();
  }
  return out;
}

/** Step 7: strip leading and trailing White_Space (both ends only; interior runs stay). */
export function stripUnicodeWhiteSpace(text: string): string {
  // Every White_Space code point is in the BMP, so scanning UTF-16 units is exact.
  let start = 0;
  let end = text.length;
  while (start < end && isUnicodeWhiteSpace(text.charCodeAt(start))) start++;
  while (end > start && isUnicodeWhiteSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** Steps 1-8 in order. May return "" (the caller then keys by the raw text). */
export function normalizeToken(text: string): string {
  let s = text.normalize('NFKC').normalize('NFD');
  s = stripMarks(s);
  s = lowercasePerCodePoint(s);
  // Only these four characters collapse; other White_Space such as U+000B or U+2028 is left for step 7.
  s = s.replace(/[ \t\r\n]+/g, ' ');
  if (s === ' ') s = SPACE_SENTINEL;
  s = stripUnicodeWhiteSpace(s);
  // HF's Replace rewrites every occurrence, including a U+E000 that was in the token itself.
  return s.replaceAll(SPACE_SENTINEL, ' ');
}
