import test from 'ava';
import { createMemoryDevice, memoryRegistry } from '../../src/memory/index.ts';
import { anyPreset } from './systemHelpers.ts';

test('registry: maps PCIe link, CXL Type-3 and NVMe documents to their entries and builds their devices', (t) => {
  t.deepEqual(memoryRegistry['pcie-link'].documentKinds, ['pcie-link']);
  t.deepEqual(memoryRegistry.cxl.documentKinds, ['cxl-type3']);
  t.deepEqual(memoryRegistry.nvme.documentKinds, ['nvme']);
  const kinds = ['pcie-gen5-x16', 'cxl2-x16-asic', 'nvme-gen5'].map((name) => {
    const preset = anyPreset(name);
    const dev = createMemoryDevice(preset, { mergeDuplicates: 'off' });
    t.is(dev.name, name);
    t.is(dev.tCkPs, 1);
    return [preset.kind, dev.kind];
  });
  t.deepEqual(kinds, [['pcie-link', 'pcie-link'], ['cxl', 'cxl'], ['nvme', 'nvme']]);
});
