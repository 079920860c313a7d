// The unit's register map (rtl/engram_hg_cfg_regs.sv, rtl/README.md) and the register writes that load
// one Engram layer's configuration, including the Barrett constants mu = floor(2^64 / p) per head.
import { SimError, showValue } from '../core/index.ts';
import { unitHeads, type LayerTableConfig, type UnitParams } from './types.ts';

/** Word addresses of the 32-bit configuration registers. */
export const REG = Object.freeze({
  id: 0x000,
  params0: 0x001,
  params1: 0x002,
  activeHeads: 0x004,
  activePorts: 0x005,
  pad: 0x006,
  rowBytes: 0x007,
  baseLo: 0x008,
  baseHi: 0x009,
  status: 0x00a,
  /** Multiplier k: lo at multBase + 2k, hi at multBase + 2k + 1. */
  multBase: 0x010,
  /** Head a: fields at headBase + 8a + field. */
  headBase: 0x100,
});

/** Fields of a head's register block. */
export const HEAD_FIELD = Object.freeze({ prime: 0, muLo: 1, muHi: 2, offsetLo: 3, offsetHi: 4, order: 5 });

/** Value of the read-only ID register for this register-map revision. */
export const REGISTER_MAP_ID = 0xe6a90001;

const TWO_64 = 1n << 64n;
const MASK32 = 0xffffffffn;

/**
 * Barrett constant of a head: mu = floor(2^64 / p). With it, q = floor(x · mu / 2^64) is floor(x / p) or
 * one less for every 64-bit x, so x - q·p lies in [0, 2p) and one conditional subtraction gives x mod p.
 */
export function barrettMu(prime: number): bigint {
  if (!Number.isSafeInteger(prime) || prime < 2 || prime >= 2 ** 31) {
    throw new SimError(`barrettMu: prime: expected an integer in [2, 2^31), got ${showValue(prime)}`);
  }
  return TWO_64 / BigInt(prime);
}

/** x mod p exactly as the RTL computes it (stages 4-7 of engram_hg_mod.sv), for 0 <= x < 2^64. */
export function barrettReduce(x: bigint, prime: number): bigint {
  const p = BigInt(prime);
  const mu = barrettMu(prime);
  const q = (x * mu) >> 64n;
  const r0 = x - q * p;
  return r0 >= p ? r0 - p : r0;
}

function lo32(v: bigint): number {
  return Number(v & MASK32);
}
function hi32(v: bigint): number {
  return Number((v >> 32n) & MASK32);
}

/**
 * Register writes [address, value] that load `layer` into a unit with `params`, using `activePorts` ports.
 * Throws a SimError naming the field when the layer does not fit the unit.
 */
export function configWrites(params: UnitParams, layer: LayerTableConfig, activePorts: number): Array<[number, number]> {
  const heads = layer.primes.length;
  const maxHeads = unitHeads(params);
  const orders = layer.multipliers.length - 1;
  const where = 'cosim config';
  if (orders < 1 || orders > params.maxN - 1) {
    throw new SimError(`${where}: multipliers: expected 2..${params.maxN} multipliers (MAX_N = ${params.maxN}), got ${layer.multipliers.length}`);
  }
  if (!Number.isInteger(layer.headsPerOrder) || layer.headsPerOrder < 1 || layer.headsPerOrder > params.heads) {
    throw new SimError(`${where}: headsPerOrder: expected an integer in [1, ${params.heads}] (HEADS), got ${showValue(layer.headsPerOrder)}`);
  }
  if (heads !== orders * layer.headsPerOrder || heads > maxHeads || layer.rowOffsets.length !== heads) {
    throw new SimError(
      `${where}: primes: expected (N-1)·H = ${orders * layer.headsPerOrder} heads (at most ${maxHeads}) with as many rowOffsets, got ${heads} primes and ${layer.rowOffsets.length} offsets`,
    );
  }
  if (!Number.isInteger(activePorts) || activePorts < 1 || activePorts > params.ports) {
    throw new SimError(`${where}: activePorts: expected an integer in [1, ${params.ports}] (PORTS), got ${showValue(activePorts)}`);
  }
  if (!Number.isInteger(layer.padCompressed) || layer.padCompressed < 0 || layer.padCompressed >= 2 ** params.idBits) {
    throw new SimError(`${where}: padCompressed: expected an id in [0, 2^${params.idBits}) (ID_BITS), got ${showValue(layer.padCompressed)}`);
  }
  if (!Number.isInteger(layer.rowBytes) || layer.rowBytes < 1 || layer.rowBytes > params.rowBytesMax) {
    throw new SimError(`${where}: rowBytes: expected an integer in [1, ${params.rowBytesMax}] (ROW_BYTES), got ${showValue(layer.rowBytes)}`);
  }
  if (layer.tableBase < 0n || layer.tableBase >= TWO_64) {
    throw new SimError(`${where}: tableBase: expected a 64-bit address, got ${showValue(layer.tableBase)}`);
  }
  const writes: Array<[number, number]> = [
    [REG.activeHeads, heads],
    [REG.activePorts, activePorts],
    [REG.pad, layer.padCompressed],
    [REG.rowBytes, layer.rowBytes],
    [REG.baseLo, lo32(layer.tableBase)],
    [REG.baseHi, hi32(layer.tableBase)],
  ];
  for (let k = 0; k < params.maxN; k++) {
    const m = k < layer.multipliers.length ? layer.multipliers[k]! : 0n;
    if (m < 0n || m >= TWO_64) throw new SimError(`${where}: multipliers[${k}]: expected a value in [0, 2^64), got ${showValue(m)}`);
    writes.push([REG.multBase + 2 * k, lo32(m)], [REG.multBase + 2 * k + 1, hi32(m)]);
  }
  for (let a = 0; a < heads; a++) {
    const prime = layer.primes[a]!;
    if (!Number.isSafeInteger(prime) || prime < 2 || prime >= 2 ** 31) {
      throw new SimError(`${where}: primes[${a}]: expected an integer in [2, 2^31), got ${showValue(prime)}`);
    }
    const offset = layer.rowOffsets[a]!;
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + prime > 2 ** 40) {
      throw new SimError(`${where}: rowOffsets[${a}]: expected offset + prime <= 2^40 (40-bit row numbers), got ${showValue(offset)}`);
    }
    const mu = barrettMu(prime);
    const block = REG.headBase + 8 * a;
    writes.push(
      [block + HEAD_FIELD.prime, prime],
      [block + HEAD_FIELD.muLo, lo32(mu)],
      [block + HEAD_FIELD.muHi, hi32(mu)],
      [block + HEAD_FIELD.offsetLo, offset % 2 ** 32],
      [block + HEAD_FIELD.offsetHi, Math.floor(offset / 2 ** 32)],
      [block + HEAD_FIELD.order, Math.floor(a / layer.headsPerOrder)],
    );
  }
  return writes;
}

/** PARAMS0 / PARAMS1 register values a unit built with `params` reports. */
export function expectedParamRegisters(params: UnitParams): { params0: number; params1: number } {
  const pitchBits = Math.ceil(Math.log2(params.rowBytesMax + 1));
  return {
    params0: ((params.maxN << 24) | (params.heads << 16) | (params.ports << 8) | params.depth) >>> 0,
    params1: ((params.idBits << 24) | (pitchBits << 16) | params.dataBits) >>> 0,
  };
}
