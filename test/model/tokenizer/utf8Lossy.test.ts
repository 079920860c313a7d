import test from 'ava';
import fc from 'fast-check';
import { decodeUtf8Lossy } from '../../../src/model/tokenizer/utf8Lossy.ts';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
// WHATWG's decoder also substitutes maximal subparts; ignoreBOM keeps U+FEFF as Rust does.
const whatwg = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

test('decodeUtf8Lossy: decodes well-formed UTF-8 exactly when given any encoded string', (t) => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => decodeUtf8Lossy(new TextEncoder().encode(s)) === s),
    { numRuns: 500, seed: 7 },
  );
  t.is(decodeUtf8Lossy(bytes(0xf0, 0x9f, 0x98, 0x80)), '\u{1F600}');
});

test('decodeUtf8Lossy: agrees with the WHATWG decoder when given arbitrary bytes', (t) => {
  // Bytes biased towards lead and continuation bytes, where the replacement rules live.
  const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0x80, max: 0xbf }), fc.integer({ min: 0xc0, max: 0xff }));
  fc.assert(
    fc.property(fc.array(byte, { maxLength: 24 }), (arr) => {
      const b = Uint8Array.from(arr);
      return decodeUtf8Lossy(b) === whatwg.decode(b);
    }),
    { numRuns: 3000, seed: 11 },
  );
  t.is(decodeUtf8Lossy(bytes()), '');
});

test('decodeUtf8Lossy: one U+FFFD per maximal subpart when given the Unicode Table 3-8 example', (t) => {
  // Unicode Standard §3.9, Table 3-8: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64.
  const input = bytes(0x61, 0xf1, 0x80, 0x80, 0xe1, 0x80, 0xc2, 0x62, 0x80, 0x63, 0x80, 0xbf, 0x64);
  t.is(decodeUtf8Lossy(input), 'a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd');
});

test('decodeUtf8Lossy: truncated, overlong and surrogate sequences give the expected replacement count when decoded', (t) => {
  t.is(decodeUtf8Lossy(bytes(0xc3)), '\uFFFD', 'lone lead byte of a 2-byte sequence');
  t.is(decodeUtf8Lossy(bytes(0xe4, 0xbd)), '\uFFFD', 'truncated 3-byte sequence is one subpart');
  t.is(decodeUtf8Lossy(bytes(0xc0, 0xaf)), '\uFFFD\uFFFD', 'overlong lead C0 is never valid');
  t.is(decodeUtf8Lossy(bytes(0xe0, 0x80, 0xaf)), '\uFFFD\uFFFD\uFFFD', 'E0 needs A0..BF next');
  t.is(decodeUtf8Lossy(bytes(0xed, 0xa0, 0x80)), '\uFFFD\uFFFD\uFFFD', 'encoded surrogate D800');
  t.is(decodeUtf8Lossy(bytes(0xf4, 0x90, 0x80, 0x80)), '\uFFFD\uFFFD\uFFFD\uFFFD', 'above U+10FFFF');
  t.is(decodeUtf8Lossy(bytes(0xf0, 0x9f, 0x98, 0x41)), '\uFFFDA', 'broken 4-byte sequence resumes at the breaking byte');
});

test('decodeUtf8Lossy: keeps a leading byte order mark when the input starts with EF BB BF', (t) => {
  t.is(decodeUtf8Lossy(bytes(0xef, 0xbb, 0xbf)), '\uFEFF');
});
