// The conformance suite's unloaded-latency check for the kinds that are not DRAM: a fresh device built
// through the registry completes one access between its declared minimum and the kind's closed-form bound.
import test from 'ava';
import { SimError } from '../../src/core/index.ts';
import { asDramPreset, createMemoryDevice, unloadedReadBoundCycles } from '../../src/memory/index.ts';
import { anyPreset, oneRead } from './systemHelpers.ts';

for (const name of ['pcie-gen5-x16', 'cxl2-x16-asic', 'cxl2-x8-asic', 'nvme-gen5', 'ddr5-4800']) {
  test(`presetBounds: ${name}: an unloaded one-access read lies between the device minimum and the closed-form bound`, (t) => {
    const preset = anyPreset(name);
    const dev = createMemoryDevice(preset, { mergeDuplicates: 'off' });
    const latency = oneRead(dev, 4096, dev.accessBytes);
    t.true(latency >= dev.minReadLatencyCycles, `${latency} below ${dev.minReadLatencyCycles}`);
    t.true(latency <= unloadedReadBoundCycles(preset), `${latency} above ${unloadedReadBoundCycles(preset)}`);
  });
}

test('presetBounds: narrowing a link preset to DRAM names the kind found', (t) => {
  const error = t.throws(() => asDramPreset(anyPreset('pcie-gen5-x16'), 'test'), { instanceOf: SimError });
  t.snapshot(error?.message);
  t.is(asDramPreset(anyPreset('ddr4-3200'), 'test').kind, 'dram');
});
