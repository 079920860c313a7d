import test from 'ava';
import fc from 'fast-check';
import {
  isUnicodeWhiteSpace, lowercasePerCodePoint, normalizeToken, stripMarks, stripUnicodeWhiteSpace,
} from '../../../src/model/tokenizer/normalize.ts';

test('normalizeToken: lowercases without the final-sigma rule when given capital sigma at a word end', (t) => {
  t.is(normalizeToken('ΟΔΟΣ'), 'οδοσ');
  t.is(normalizeToken('ΟΔΟΣ ΟΔΟΣ'), 'οδοσ οδοσ');
  // The contrast: JS (like Python) applies Final_Sigma on whole strings.
  t.is('ΟΔΟΣ'.toLowerCase(), 'οδος');
  t.is(lowercasePerCodePoint('Σ'), 'σ');
});

test('normalizeToken: strips every M* mark after NFD when given accented, Indic and kana text', (t) => {
  t.is(normalizeToken('İ'), 'i', 'NFD splits off the dot above, which is then stripped');
  t.is(normalizeToken('ガ'), 'カ', 'dakuten is Mn');
  t.is(normalizeToken('ｶﾞ'), 'カ', 'halfwidth kana become fullwidth under NFKC');
  t.is(normalizeToken('का'), 'क', 'the vowel sign AA is Mc, not Mn');
  t.is(normalizeToken('ा'), '', 'a lone mark normalises to nothing');
  t.is(normalizeToken('Café'), 'cafe');
  t.is(stripMarks('a\u20DD'), 'a', 'enclosing circle is Me');
});

test('normalizeToken: applies NFKC compatibility folding when given fullwidth, ligature and numeral forms', (t) => {
  t.is(normalizeToken('ＡＢＣ１２'), 'abc12');
  t.is(normalizeToken('ﬁ'), 'fi');
  t.is(normalizeToken('Ⅻ'), 'xii');
  t.is(normalizeToken('①'), '1');
  t.is(normalizeToken('ß'), 'ß', 'no case folding: sharp s stays');
  t.is(normalizeToken('<｜begin▁of▁sentence｜>'), '<|begin▁of▁sentence|>');
});

test('normalizeToken: maps any run of space, tab, CR and LF to a single space when the token is only those', (t) => {
  for (const s of [' ', '  ', '\t', '\n', '\r\n', ' \t\r\n ', '\n\n\n\n']) t.is(normalizeToken(s), ' ', JSON.stringify(s));
  t.is(normalizeToken('\u00A0'), ' ', 'NBSP becomes a space under NFKC first');
  t.is(normalizeToken('\u3000\u3000'), ' ', 'ideographic spaces too');
});

test('normalizeToken: trims White_Space and collapses inner runs when given padded words', (t) => {
  t.is(normalizeToken('  Hello   World \n'), 'hello world');
  t.is(normalizeToken('a\t\tb'), 'a b');
  t.is(normalizeToken('x\u2028'), 'x');
  t.is(normalizeToken('\u0085a'), 'a');
  t.is(normalizeToken('a\u2028\u2028b'), 'a\u2028\u2028b', 'interior U+2028 is not collapsed');
});

test('normalizeToken: returns the empty string when the token is other White_Space only', (t) => {
  t.is(normalizeToken('\u2028'), '');
  t.is(normalizeToken('\u2029\u2029'), '');
  t.is(normalizeToken(' \u2028 '), '', 'not a lone space after collapsing, so Strip removes it all');
  t.is(normalizeToken('\x0b'), '');
  t.is(normalizeToken('\x0c'), '');
});

test('normalizeToken: keeps characters outside White_Space when given 0x1C-0x1F, ZWSP and BOM', (t) => {
  t.is(normalizeToken('\x1c'), '\x1c', 'Python strip() would remove it; Rust is_whitespace does not');
  t.is(normalizeToken('\x1f'), '\x1f');
  t.is(normalizeToken('\u200B'), '\u200B');
  t.is(normalizeToken('\uFEFF'), '\uFEFF', 'JS trim() would remove it');
});

test('normalizeToken: turns every U+E000 into a space when the token itself contains the sentinel', (t) => {
  t.is(normalizeToken('a\uE000b'), 'a b');
  t.is(normalizeToken(' \uE000'), ' ', 'the leading space is stripped, then the sentinel restored');
});

test('isUnicodeWhiteSpace: matches the White_Space set of engram-spec.md §2.2 when given every BMP code point', (t) => {
  const set = new Set([9, 10, 11, 12, 13, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);
  for (let cp = 0x2000; cp <= 0x200a; cp++) set.add(cp);
  const found: number[] = [];
  for (let cp = 0; cp <= 0xffff; cp++) if (isUnicodeWhiteSpace(cp)) found.push(cp);
  t.deepEqual(found, [...set].sort((a, b) => a - b));
  // The runtime's own \p{White_Space} agrees: the set has been stable since Unicode 6.3.
  const disagreements: number[] = [];
  for (let cp = 0; cp <= 0xffff; cp++) {
    if (/\p{White_Space}/u.test(String.fromCharCode(cp)) !== isUnicodeWhiteSpace(cp)) disagreements.push(cp);
  }
  t.deepEqual(disagreements, []);
});

test('stripUnicodeWhiteSpace: result never starts or ends with White_Space when given random strings', (t) => {
  const ws = fc.constantFrom(' ', '\t', '\u2028', '\u3000', '\x85', '\x1c', 'a', 'Σ', '\uE000');
  fc.assert(
    fc.property(fc.array(ws, { maxLength: 12 }).map((a) => a.join('')), (s) => {
      const out = stripUnicodeWhiteSpace(s);
      return out === '' || (!isUnicodeWhiteSpace(out.charCodeAt(0)) && !isUnicodeWhiteSpace(out.charCodeAt(out.length - 1)) && s.includes(out));
    }),
    { numRuns: 500, seed: 3 },
  );
  t.is(stripUnicodeWhiteSpace('\x1c a \x1c'), '\x1c a \x1c');
});
