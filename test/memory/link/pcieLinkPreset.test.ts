import test from 'ava';
import { SpecError } from '../../../src/core/index.ts';
import { resolvePcieLinkPreset } from '../../../src/memory/index.ts';
import { editedDocument, loaderWith, loadPresetFile } from '../systemHelpers.ts';

test('pcieLinkPreset: resolves the x16 link\'s byte time, per-direction rate and stand-alone memory when loaded from targets/memory', (t) => {
  const p = resolvePcieLinkPreset('pcie-gen5-x16', loadPresetFile);
  // 8 bits / (32 GT/s x 16 lanes) x 130/128 = 15.869140625 ps, exact in binary.
  t.is(p.psPerWireByte, 15.869140625);
  t.true(Math.abs(p.peakBandwidthGBps - 63.0154) < 1e-3);
  t.is(p.standaloneMemory.name, 'ddr5-4800-8ch');
  t.is(p.latencyPs.link, 70_000);
  t.true(p.provenance.some((e) => e.what === 'phy' && e.confidence === 'HIGH'));
});

test('pcieLinkPreset: names the field and the limit when completions exceed the max payload size', (t) => {
  const load = loaderWith({ 'pcie-gen5-x16': editedDocument('pcie-gen5-x16', { 'transfer.completionBytes': 512 }) });
  const error = t.throws(() => resolvePcieLinkPreset('pcie-gen5-x16', load), { instanceOf: SpecError });
  t.snapshot(error?.message);
});

test('pcieLinkPreset: requires a note when a number set is an ASSUMPTION', (t) => {
  const doc = editedDocument('pcie-gen5-x16', {});
  delete ((doc['requester'] as Record<string, unknown>)['provenance'] as Record<string, unknown>)['note'];
  const error = t.throws(() => resolvePcieLinkPreset('pcie-gen5-x16', loaderWith({ 'pcie-gen5-x16': doc })), { instanceOf: SpecError });
  t.snapshot(error?.message);
});
