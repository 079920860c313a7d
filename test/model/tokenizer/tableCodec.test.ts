import test from 'ava';
import { compressedTableCacheKey, decodeCompressedTable, encodeCompressedTable } from '../../../src/model/tokenizer/tableCodec.ts';
import { buildCompressedTable, identityTable } from '../../../src/model/tokenizer/compressedTokenizer.ts';
import { SpecError } from '../../../src/core/index.ts';

const texts = ['<s>', ' ', 'Hello', 'hello', '\uD800', '\u{1F600}', '\x0c', 'ा', 'x'.repeat(300)];
const table = buildCompressedTable(texts.map((text) => ({ text, token: text })));

test('decodeCompressedTable: round-trips a table with keys when given its encoding', (t) => {
  const back = decodeCompressedTable(encodeCompressedTable(table), 'cache.bin');
  t.deepEqual(Array.from(back.lookup), Array.from(table.lookup));
  t.deepEqual(back.keys, table.keys, 'lone surrogates and astral characters survive');
  t.is(back.compressedVocabSize, table.compressedVocabSize);
  t.is(back.rawVocabSize, 9);
});

test('decodeCompressedTable: round-trips an identity table without keys when given its encoding', (t) => {
  const bytes = encodeCompressedTable(identityTable(5));
  t.is(bytes.length, 24 + 5 * 4);
  const back = decodeCompressedTable(bytes, 'cache.bin');
  t.deepEqual(Array.from(back.lookup), [0, 1, 2, 3, 4]);
  t.is(back.keys, null);
});

test('decodeCompressedTable: throws SpecError naming the field when the bytes are damaged', (t) => {
  const good = encodeCompressedTable(table);
  const damaged = (edit: (b: Uint8Array, v: DataView) => void, length = good.length): Uint8Array => {
    const b = good.slice(0, length);
    edit(b, new DataView(b.buffer));
    return b;
  };
  const cases: [string, Uint8Array][] = [
    ['too short', good.slice(0, 10)],
    ['bad magic', damaged((b) => { b[0] = 0x58; })],
    ['bad version', damaged((_b, v) => v.setUint32(8, 9, true))],
    ['lookup not first-seen', damaged((_b, v) => v.setInt32(24 + 4, 5, true))],
    ['V prime mismatch', damaged((_b, v) => v.setUint32(16, 3, true))],
    ['truncated keys', good.slice(0, good.length - 2)],
    // Keys are '<s>', ' ', 'hello', '\uD800', 😀, '\x0c', 'ा', 'x'*300: 314 units; turn key 1 (' ') into '\x0c'.
    ['duplicate keys', damaged((_b, v) => v.setUint16(good.length - 2 * 314 + 2 * 3, 0x0c, true))],
  ];
  for (const [label, bytes] of cases) {
    const error = t.throws(() => decodeCompressedTable(bytes, 'cache.bin'), { instanceOf: SpecError }, label);
    t.snapshot(error?.message, label);
  }
});

test('compressedTableCacheKey: changes with content and Unicode version and is stable otherwise', (t) => {
  const base = { kind: 'vocab', contentSha256: 'ab', unicodeVersion: '15.1' };
  const key = compressedTableCacheKey(base);
  t.regex(key, /^[0-9a-f]{64}$/);
  t.is(compressedTableCacheKey({ ...base }), key);
  t.not(compressedTableCacheKey({ ...base, contentSha256: 'ac' }), key);
  t.not(compressedTableCacheKey({ ...base, unicodeVersion: '16.0' }), key);
  t.not(compressedTableCacheKey({ ...base, kind: 'hf-tokenizer.json' }), key);
});
