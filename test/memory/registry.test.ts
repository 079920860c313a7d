import test from 'ava';
import { SpecError } from '../../src/core/index.ts';
import { createMemoryDevice, memoryRegistry, resolveMemoryPreset } from '../../src/memory/index.ts';
import { loadPresetFile, preset } from './helpers.ts';

test('registry: maps the dram kind to its resolver and factory when presets are device or system documents', (t) => {
  t.deepEqual(Object.keys(memoryRegistry), ['dram', 'pcie-link', 'cxl', 'nvme']);
  t.deepEqual(memoryRegistry.dram.documentKinds, ['dram', 'dram-system']);
  t.is(createMemoryDevice(preset('ddr5-4800-8ch'), { mergeDuplicates: 'off' }).kind, 'dram');
});

test('registry: lists the known kinds when a preset document has an unknown kind', (t) => {
  const loader = (name: string) => ({ ...loadPresetFile(name), data: { ...(loadPresetFile(name).data as object), kind: 'cxl' } });
  const error = t.throws(() => resolveMemoryPreset('ddr4-3200', loader), { instanceOf: SpecError });
  t.snapshot(error?.message.replace(/^.*targets\/memory\//, 'targets/memory/'));
});
