// A point's identity: the sha256 of its canonical JSON is its database key, and the key's first 64 bits its
// seed (style.md convention 11), so results depend on the point's content only, never on order or threads.
import { canonicalJson, sha256Hex } from '../core/index.ts';
import type { SweepPoint } from './types.ts';

/** 64 hex digits; equal content (whatever the key order) gives the same key. */
export function pointKey(point: SweepPoint): string {
  return pointKeyOfJson(canonicalJson(point));
}

/** The key of a point whose canonical JSON is at hand (a sweep stores that text too). */
export function pointKeyOfJson(pointJson: string): string {
  return sha256Hex(pointJson);
}

/** The seed as 16 hex digits: the first 64 bits of the key. */
export function seedHexOf(key: string): string {
  return key.slice(0, 16);
}

export function seedFromHex(seedHex: string): bigint {
  return BigInt(`0x${seedHex}`);
}
