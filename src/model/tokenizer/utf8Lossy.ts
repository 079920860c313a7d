// UTF-8 decoding with U+FFFD for ill-formed input, as Rust's String::from_utf8_lossy does it (the ByteLevel
// decoder's last step, engram-spec.md §2.1): one U+FFFD per maximal subpart (Unicode ch. 3, "U+FFFD substitution").

const REPLACEMENT = 0xfffd;

/**
 * The valid range of the second byte for each lead byte (Unicode Table 3-7); later continuation bytes are always
 * 0x80..0xBF. Returns [sequence length, lowest, highest] or null for a byte that cannot start a sequence.
 */
function leadInfo(lead: number): readonly [number, number, number] | null {
  if (lead >= 0xc2 && lead <= 0xdf) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf];
  // 0xED's range excludes the UTF-16 surrogates D800..DFFF.
  if (lead === 0xed) return [3, 0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf];
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f];
  return null;
}

/**
 * Decodes UTF-8 bytes; each maximal subpart of an ill-formed sequence (a lead byte followed by as many valid
 * continuation bytes as fit before the sequence breaks) becomes one U+FFFD, and decoding resumes at the byte that
 * broke it. A leading BOM is kept as U+FEFF (TextDecoder would drop it unless told ignoreBOM).
 */
export function decodeUtf8Lossy(bytes: Uint8Array): string {
  const units: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      units.push(lead);
      i += 1;
      continue;
    }
    const info = leadInfo(lead);
    if (info === null) {
      units.push(REPLACEMENT);
      i += 1;
      continue;
    }
    const [length, secondLow, secondHigh] = info;
    let codePoint = lead & (length === 2 ? 0x1f : length === 3 ? 0x0f : 0x07);
    let taken = 1;
    while (taken < length && i + taken < bytes.length) {
      const b = bytes[i + taken] as number;
      const low = taken === 1 ? secondLow : 0x80;
      const high = taken === 1 ? secondHigh : 0xbf;
      if (b < low || b > high) break;
      codePoint = (codePoint << 6) | (b & 0x3f);
      taken += 1;
    }
    if (taken === length) {
      if (codePoint >= 0x10000) {
        const v = codePoint - 0x10000;
        units.push(0xd800 | (v >> 10), 0xdc00 | (v & 0x3ff));
      } else {
        units.push(codePoint);
      }
    } else {
      units.push(REPLACEMENT);
    }
    i += taken;
  }
  let out = '';
  // fromCharCode with a spread is limited by the argument count; chunk it.
  for (let start = 0; start < units.length; start += 8192) {
    out += String.fromCharCode(...units.slice(start, start + 8192));
  }
  return out;
}
