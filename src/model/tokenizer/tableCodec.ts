// On-disk form of a compressed tokenizer table (engram-spec.md §2.1) and its cache key; bytes only, the CLI does I/O.
import { SpecError, canonicalJson, sha256Hex } from '../../core/index.ts';
import type { CompressedTable } from './types.ts';

const MAGIC = 'ENGRAMCT';
const VERSION = 1;
const HEADER_BYTES = 24;
const FLAG_KEYS = 1;
/** Bump when the table-building rule changes, so old cache entries stop matching. */
const BUILD_RULE_VERSION = 1;

/**
 * Cache key of a table built from some vocabulary content. The Unicode version of the runtime is part of the key
 * because NFKC/NFD, \p{M} and lowercasing follow it.
 */
export function compressedTableCacheKey(source: { kind: string; contentSha256: string; unicodeVersion: string }): string {
  return sha256Hex(canonicalJson({ format: MAGIC, formatVersion: VERSION, buildRule: BUILD_RULE_VERSION, ...source }));
}

/**
 * Layout, little-endian: "ENGRAMCT", u32 version, u32 V, u32 V', u32 flags, i32 lookup[V]; then, when flags bit 0
 * says there are keys, u32 keyLengthUnits[V'] and the keys' UTF-16 code units (exact even for lone surrogates).
 */
export function encodeCompressedTable(table: CompressedTable): Uint8Array {
  const keys = table.keys;
  let keyUnits = 0;
  if (keys !== null) for (const key of keys) keyUnits += key.length;
  const keyBytes = keys === null ? 0 : 4 * keys.length + 2 * keyUnits;
  const bytes = new Uint8Array(HEADER_BYTES + 4 * table.rawVocabSize + keyBytes);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < MAGIC.length; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, table.rawVocabSize, true);
  view.setUint32(16, table.compressedVocabSize, true);
  view.setUint32(20, keys === null ? 0 : FLAG_KEYS, true);
  let at = HEADER_BYTES;
  for (const id of table.lookup) {
    view.setInt32(at, id, true);
    at += 4;
  }
  if (keys !== null) {
    for (const key of keys) {
      view.setUint32(at, key.length, true);
      at += 4;
    }
    for (const key of keys) {
      for (let i = 0; i < key.length; i++) {
        view.setUint16(at, key.charCodeAt(i), true);
        at += 2;
      }
    }
  }
  return bytes;
}

/** Decodes and fully re-validates a table (a damaged cache file must not yield a wrong P); `source` names it in errors. */
export function decodeCompressedTable(bytes: Uint8Array, source: string): CompressedTable {
  const fail = (field: string, detail: string): never => {
    throw new SpecError(source, field, detail);
  };
  if (bytes.length < HEADER_BYTES) fail('header', `expected at least ${HEADER_BYTES} bytes, got ${bytes.length}`);
  const magic = String.fromCharCode(...bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) fail('magic', `expected ${JSON.stringify(MAGIC)}, got ${JSON.stringify(magic)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== VERSION) fail('version', `expected ${VERSION}, got ${version}`);
  const n = view.getUint32(12, true);
  const compressed = view.getUint32(16, true);
  const flags = view.getUint32(20, true);
  if ((flags & ~FLAG_KEYS) !== 0) fail('flags', `expected 0 or ${FLAG_KEYS}, got ${flags}`);
  if (n < 1 || compressed < 1 || compressed > n) fail('sizes', `expected 1 <= V' <= V, got V = ${n}, V' = ${compressed}`);
  let at = HEADER_BYTES;
  if (bytes.length < at + 4 * n) fail('lookup', `expected ${4 * n} bytes for V = ${n}, got ${bytes.length - at}`);
  const lookup = new Int32Array(n);
  let nextNew = 0;
  for (let i = 0; i < n; i++, at += 4) {
    const id = view.getInt32(at, true);
    // First-seen numbering: each raw id maps to an earlier canonical id or to the next new one.
    if (id < 0 || id > nextNew) fail(`lookup[${i}]`, `expected a canonical id in [0, ${nextNew}] (first-seen order), got ${id}`);
    if (id === nextNew) nextNew++;
    lookup[i] = id;
  }
  if (nextNew !== compressed) fail('lookup', `uses ${nextNew} canonical ids, expected V' = ${compressed}`);
  let keys: string[] | null = null;
  if ((flags & FLAG_KEYS) !== 0) {
    if (bytes.length < at + 4 * compressed) fail('keys', `expected ${4 * compressed} bytes of key lengths, got ${bytes.length - at}`);
    const lengths = new Uint32Array(compressed);
    let totalUnits = 0;
    for (let k = 0; k < compressed; k++, at += 4) {
      lengths[k] = view.getUint32(at, true);
      totalUnits += lengths[k] as number;
    }
    if (bytes.length !== at + 2 * totalUnits) fail('keys', `expected ${2 * totalUnits} bytes of key text, got ${bytes.length - at}`);
    keys = new Array<string>(compressed);
    const seen = new Set<string>();
    for (let k = 0; k < compressed; k++) {
      let key = '';
      for (let u = 0; u < (lengths[k] as number); u++, at += 2) key += String.fromCharCode(view.getUint16(at, true));
      if (seen.has(key)) fail(`keys[${k}]`, `duplicate key ${JSON.stringify(key)}; expected distinct keys`);
      seen.add(key);
      keys[k] = key;
    }
  } else if (bytes.length !== at) {
    fail('lookup', `expected the file to end after the lookup, got ${bytes.length - at} more bytes`);
  }
  return Object.freeze({ rawVocabSize: n, compressedVocabSize: compressed, lookup, keys: keys === null ? null : Object.freeze(keys) });
}
