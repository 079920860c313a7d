import test from 'ava';
import { SpecError } from '../../../src/core/index.ts';
import { pciePresetName, resolveMemorySystem } from '../../../src/memory/index.ts';
import { editedDocument, h100, h100System, loaderWith, loadPresetFile } from '../systemHelpers.ts';

test('system: a GPU target gives its host DRAM preset, its PCIe link by generation and lanes, and host DRAM as the only tier', (t) => {
  const s = h100System();
  t.is(pciePresetName(h100()), 'pcie-gen5-x16');
  t.is(s.hostDram.name, 'ddr5-4800-rdimm64-8ch');
  t.is(s.pcie.name, 'pcie-gen5-x16');
  t.deepEqual(s.tiers.map((x) => x.kind), ['host-dram']);
  t.is(s.transfer, 'zero-copy');
  t.is(s.hbmCache, null);
  t.is(s.hbm.bandwidthGBps, 3350);
});

test('system: tiers resolve their presets in placement order, NVMe with GDS keeps no page cache', (t) => {
  const s = h100System({ tiers: [{ kind: 'host-dram', capacityBytes: 2 ** 30 }, { kind: 'cxl', preset: 'cxl2-x8-asic', capacityBytes: 2 ** 30 }, { kind: 'nvme', preset: 'nvme-gen5', pageCacheBytes: 2 ** 30, gds: true }] });
  t.deepEqual(s.tiers.map((x) => x.name), ['ddr5-4800-rdimm64-8ch', 'cxl2-x8-asic', 'nvme-gen5']);
  const nvme = s.tiers[2]!;
  t.true(nvme.kind === 'nvme' && nvme.pageCacheBytes === 0);
});

const errors: [string, () => unknown][] = [
  ['a tier before the last has no capacity', () => h100System({ tiers: [{ kind: 'host-dram' }, { kind: 'nvme', preset: 'nvme-gen5', pageCacheBytes: 4096, gds: false }] })],
  ['the HBM cache exceeds the GPU\'s HBM', () => h100System({ hbmCache: { capacityBytes: 1e12, policy: 'lru' } })],
  ['the host tier and page cache exceed host DRAM', () => h100System({ tiers: [{ kind: 'host-dram', capacityBytes: 2 ** 40 }, { kind: 'nvme', preset: 'nvme-gen5', pageCacheBytes: 4096, gds: false }] })],
  ['the link preset is not the target\'s generation and width', () => resolveMemorySystem(h100(), loaderWith({ 'pcie-gen5-x16': editedDocument('pcie-gen5-x16', { 'phy.lanes': 8 }) }), {})],
  ['an NVMe tier without GDS has no page cache', () => h100System({ tiers: [{ kind: 'nvme', preset: 'nvme-gen5', pageCacheBytes: 0, gds: false }] })],
];
for (const [when, build] of errors) {
  test(`system: names the field and the limit when ${when}`, (t) => {
    const error = t.throws(build, { instanceOf: SpecError });
    t.snapshot(error?.message.replace(/^.*targets\/memory\//, 'targets/memory/'));
  });
}

test('system: the default loader resolves every preset the H100 system names', (t) => {
  t.notThrows(() => resolveMemorySystem(h100(), loadPresetFile, { transfer: 'staging' }));
});
