// Address mapping as data: a list of fields from low to high address digits above the burst offset,
// decoded as a mixed-radix number so non-power-of-two channel counts (12-channel hosts) interleave too.
import { SpecError, showValue } from '../../core/index.ts';
import { MAPPING_FIELDS, type MappingField } from './presetSchema.ts';

/** Index of each field in a decoded address (`DecodedAddress` slots). */
export const FIELD_CHANNEL = 0;
export const FIELD_RANK = 1;
export const FIELD_BANK_GROUP = 2;
export const FIELD_BANK = 3;
export const FIELD_ROW = 4;
export const FIELD_COLUMN = 5;
const FIELD_INDEX: Record<MappingField, number> = {
  channel: FIELD_CHANNEL,
  rank: FIELD_RANK,
  bankGroup: FIELD_BANK_GROUP,
  bank: FIELD_BANK,
  row: FIELD_ROW,
  column: FIELD_COLUMN,
};

/** Sizes of each field: channel count, ranks, bank groups, banks per group, rows, bursts per row. */
export type MappingDimensions = Record<MappingField, number>;

/**
 * A compiled mapping. `decode` writes the six fields of one burst address into `out` (indices above)
 * and returns false when the address lies beyond the device capacity (the row digit wrapped).
 */
export class AddressDecoder {
  private readonly radix: Float64Array;
  private readonly inverse: Float64Array;
  private readonly field: Int32Array;
  private readonly weight: Float64Array;
  /**
   * Bit-field form when every digit has a power-of-two radix: per part, at i * 4, the digit's shift in
   * the burst index, its mask, its field and its shift within the field; null otherwise.
   */
  private readonly bits: Int32Array | null;
  readonly capacityBursts: number;

  constructor(
    readonly entries: readonly string[],
    dims: MappingDimensions,
    where: { file: string; path: string },
  ) {
    const parts = compile(entries, dims, where);
    this.radix = Float64Array.from(parts.map((p) => p.radix));
    this.inverse = Float64Array.from(parts.map((p) => 1 / p.radix));
    this.field = Int32Array.from(parts.map((p) => FIELD_INDEX[p.field]));
    this.weight = Float64Array.from(parts.map((p) => p.weight));
    this.capacityBursts = parts.reduce((a, p) => a * p.radix, 1);
    let pow2 = true;
    const bits = new Int32Array(parts.length * 4);
    let shift = 0;
    parts.forEach((p, i) => {
      const log = Math.round(Math.log2(p.radix));
      if (2 ** log !== p.radix) pow2 = false;
      // A digit at bit 31 or above is 0 for the indices the bit-field path takes (below 2^31).
      bits[i * 4] = shift < 31 ? shift : 0;
      bits[i * 4 + 1] = shift < 31 ? p.radix - 1 : 0;
      bits[i * 4 + 2] = FIELD_INDEX[p.field];
      bits[i * 4 + 3] = Math.log2(p.weight);
      shift += log;
    });
    this.bits = pow2 ? bits : null;
  }

  /**
   * The compiled mapping as plain numbers, for the compiled memsim core (src/memory/compiledCore.ts), which
   * decodes with the same digits in the same order: per digit its radix, 1/radix, field and weight, and the
   * bit-field form (shift, mask, field, shift within the field per digit) or null.
   */
  compiledForm(): { radix: Float64Array; inverse: Float64Array; field: Int32Array; weight: Float64Array; bits: Int32Array | null } {
    return { radix: this.radix, inverse: this.inverse, field: this.field, weight: this.weight, bits: this.bits };
  }

  /** Inverse of decode: the burst index of the given field values (each below its field size). */
  encode(fields: Readonly<Record<MappingField, number>>): number {
    const byIndex = [fields.channel, fields.rank, fields.bankGroup, fields.bank, fields.row, fields.column];
    let x = 0;
    for (let i = this.radix.length - 1; i >= 0; i--) {
      const value = byIndex[this.field[i]!]!;
      x = x * this.radix[i]! + (Math.floor(value / this.weight[i]!) % this.radix[i]!);
    }
    return x;
  }

  /** Decodes burst index `burst` (byte address / burst bytes, an integer below 2^53). */
  decode(burst: number, out: Int32Array): boolean {
    out[0] = 0; out[1] = 0; out[2] = 0; out[3] = 0; out[4] = 0; out[5] = 0;
    const bits = this.bits;
    // Power-of-two digits of a burst index below 2^31: shifts and masks (the same digits as below).
    if (bits !== null && burst <= 0x7fffffff) {
      const end = bits.length;
      for (let i = 0; i < end; i += 4) {
        const f = bits[i + 2]!;
        out[f] = out[f]! | (((burst >>> bits[i]!) & bits[i + 1]!) << bits[i + 3]!);
      }
      return burst < this.capacityBursts;
    }
    let x = burst;
    const n = this.radix.length;
    for (let i = 0; i < n; i++) {
      const r = this.radix[i]!;
      // A product with 1/r is within one of the quotient for x < 2^48 (burst indices: 2^53 bytes /
      // >= 32-byte bursts), so one correction step makes the digit exact; cheaper than x / r or `%`.
      let q = Math.floor(x * this.inverse[i]!);
      let digit = x - q * r;
      if (digit < 0) { q--; digit += r; } else if (digit >= r) { q++; digit -= r; }
      x = q;
      const f = this.field[i]!;
      out[f] = out[f]! + digit * this.weight[i]!;
    }
    return x === 0;
  }
}

interface Part {
  field: MappingField;
  radix: number;
  weight: number;
}

function compile(entries: readonly string[], dims: MappingDimensions, where: { file: string; path: string }): Part[] {
  const fail = (i: number | null, detail: string): never => {
    throw new SpecError(where.file, i === null ? where.path : `${where.path}[${i}]`, detail);
  };
  const explicit = new Map<MappingField, number>();
  const bare = new Map<MappingField, number>();
  const parsed = entries.map((entry, i) => {
    const [name, bitsText] = entry.split(':') as [string, string | undefined];
    if (!(MAPPING_FIELDS as readonly string[]).includes(name)) fail(i, `expected a field among ${MAPPING_FIELDS.join(', ')}, got ${showValue(entry)}`);
    const field = name as MappingField;
    if (bitsText === undefined) {
      if (bare.has(field)) fail(i, `field "${field}" appears twice without a bit count; only one entry may take the remaining digits`);
      bare.set(field, i);
      return { field, bits: null };
    }
    const bits = Number(bitsText);
    explicit.set(field, (explicit.get(field) ?? 1) * 2 ** bits);
    return { field, bits };
  });
  for (const field of MAPPING_FIELDS) {
    const size = dims[field];
    const taken = explicit.get(field) ?? 1;
    if (size % taken !== 0) fail(null, `field "${field}" has ${size} values but the entries with bit counts take ${taken}; expected a divisor of ${size}`);
    if (!bare.has(field) && taken !== size) fail(null, `field "${field}" has ${size} values but the mapping covers ${taken}; add "${field}" to take the rest`);
  }
  // Weights: each part of a split field counts in units of the product of its lower parts.
  const weightSoFar = new Map<MappingField, number>();
  return parsed.map(({ field, bits }) => {
    const radix = bits === null ? dims[field] / (explicit.get(field) ?? 1) : 2 ** bits;
    const weight = weightSoFar.get(field) ?? 1;
    weightSoFar.set(field, weight * radix);
    return { field, radix, weight };
  });
}
