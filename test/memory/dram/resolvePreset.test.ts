import test from 'ava';
import { SpecError } from '../../../src/core/index.ts';
import { resolveDramPreset, type PresetLoader } from '../../../src/memory/index.ts';
import { loadPresetFile, preset } from '../helpers.ts';

test('resolvePreset: derives the peak bandwidth the standards quote when resolving every preset', (t) => {
  const peaks = Object.fromEntries(['hbm2-2000', 'hbm3-6400', 'ddr4-3200', 'ddr5-4800', 'ddr5-4800-8ch', 'ddr5-4800-12ch'].map((n) => [n, Math.round(preset(n).peakBandwidthGBps * 10) / 10]));
  t.deepEqual(peaks, { 'hbm2-2000': 256, 'hbm3-6400': 819.2, 'ddr4-3200': 25.6, 'ddr5-4800': 38.4, 'ddr5-4800-8ch': 307.2, 'ddr5-4800-12ch': 460.8 });
});

test('resolvePreset: derives tCK, burst geometry and refresh cycles when the preset gives data rate and ns', (t) => {
  const hbm3 = preset('hbm3-6400');
  t.is(hbm3.tCkPs, 625);
  t.is(hbm3.burstBytes, 32);
  t.is(hbm3.timing.burstCycles, 2);
  t.is(hbm3.channels, 32);
  t.is(hbm3.timing.tRefiCycles, 6240);
  const ddr5 = preset('ddr5-4800');
  t.is(ddr5.burstBytes, 64);
  t.is(ddr5.timing.burstCycles, 8);
  t.is(ddr5.timing.tRfcCycles, 312);
  t.is(preset('ddr5-4800-12ch').channels, 24);
  t.is(preset('ddr5-4800-12ch').provenance[0]!.what, 'system (12 x ddr5-4800)');
});

test('resolvePreset: derives 64 GiB per 2Rx4 RDIMM from its organisation, so 8 channels hold a ~200 GB table', (t) => {
  const dimm = preset('ddr5-4800-rdimm64');
  // 2 sub-channels x 2 ranks x 32 banks x 65536 rows x 8 KiB rows.
  t.is(dimm.capacityBytes, 64 * 2 ** 30);
  t.is(dimm.ranks, 2);
  t.is(dimm.peakBandwidthGBps, 38.4);
  const host8 = preset('ddr5-4800-rdimm64-8ch');
  t.is(host8.capacityBytes, 512 * 2 ** 30);
  t.is(host8.channels, 16);
  t.true(host8.capacityBytes > 200e9 && preset('ddr5-4800-8ch').capacityBytes < 200e9);
  t.is(preset('ddr5-4800-rdimm64-12ch').capacityBytes, 768 * 2 ** 30);
  t.is(Math.round(preset('ddr5-4800-rdimm64-12ch').peakBandwidthGBps * 10) / 10, 460.8);
});

test('resolvePreset: returns a frozen preset when resolution succeeds, so models cannot change it', (t) => {
  const p = preset('ddr4-3200');
  t.true(Object.isFrozen(p) && Object.isFrozen(p.timing));
});

function withChange(name: string, change: (doc: Record<string, unknown>) => void): PresetLoader {
  return (n) => {
    const { data, file } = loadPresetFile(n);
    const copy = structuredClone(data) as Record<string, unknown>;
    if (n === name) change(copy);
    return { data: copy, file };
  };
}

test('resolvePreset: names the file, field and value when a preset is wrong', (t) => {
  const cases: [string, (d: Record<string, unknown>) => void][] = [
    ['unknown key', (d) => { (d['timing'] as Record<string, unknown>)['tCasCycles'] = 3; }],
    ['tRC below tRAS + tRP', (d) => { (d['timing'] as Record<string, unknown>)['tRcCycles'] = 10; }],
    ['mapping misses a field', (d) => { d['addressMapping'] = ['channel', 'bankGroup', 'column', 'bank', 'rank']; }],
    ['name differs from the file', (d) => { d['name'] = 'other'; }],
  ];
  for (const [what, change] of cases) {
    const error = t.throws(() => resolveDramPreset('ddr4-3200', withChange('ddr4-3200', change)), { instanceOf: SpecError });
    t.snapshot(error?.message.replace(/^.*targets\/memory\//, 'targets/memory/'), what);
  }
  const system = t.throws(() => resolveDramPreset('ddr5-4800-8ch', withChange('ddr5-4800-8ch', (d) => { d['device'] = 'ddr5-4800-12ch'; })), { instanceOf: SpecError });
  t.snapshot(system?.message.replace(/^.*targets\/memory\//, 'targets/memory/'), 'system built on a system');
});
