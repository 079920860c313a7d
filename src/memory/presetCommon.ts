// Steps every memory preset resolver shares: load a named preset, validate it against its schema and check that
// it names itself, plus the unit conversions of the serial-link presets (PCIe, CXL and NVMe host links).
import type { z } from 'zod';
import { SpecError } from '../core/index.ts';
import { parseDocument } from '../spec/index.ts';

/** Loads preset `name`, validates it and checks its `name` field equals the name it was asked for. */
export function loadNamedPreset<S extends z.ZodType<{ name: string }>>(
  schema: S,
  name: string,
  load: (name: string) => { data: unknown; file: string },
): { doc: z.output<S>; file: string } {
  const { data, file } = load(name);
  const doc = parseDocument(schema, data, file);
  if (doc.name !== name) throw new SpecError(file, 'name', `expected ${JSON.stringify(name)} (the file name), got ${JSON.stringify(doc.name)}`);
  return { doc, file };
}

export const nsToPs = (ns: number): number => Math.round(ns * 1000);

/** Picoseconds one payload byte occupies a serial link: 8 bits over lanes x GT/s, stretched by the line code. */
export function serialPsPerWireByte(phy: { transferRateGTps: number; lanes: number; encodingBlockBits: number; encodingPayloadBits: number }): number {
  return (8000 / (phy.transferRateGTps * phy.lanes)) * (phy.encodingBlockBits / phy.encodingPayloadBits);
}
