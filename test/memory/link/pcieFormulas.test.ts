import test from 'ava';
import {
  completionSizes, downstreamWireBytesPerRead, dwordSpan, littleBandwidthGBps, readPayloadEfficiency, readPieces, tlpWireBytes, type ResolvedPcieLinkPreset,
} from '../../../src/memory/index.ts';
import { anyPreset } from '../systemHelpers.ts';

const p = (): ResolvedPcieLinkPreset => anyPreset('pcie-gen5-x16') as ResolvedPcieLinkPreset;

test('pcieFormulas: a TLP costs framing, header, payload and LCRC on the wire when ECRC is off', (t) => {
  t.is(tlpWireBytes(p(), 12, 256), 4 + 12 + 256 + 4);
  t.is(tlpWireBytes(p(), 16, 0), 24);
});

test('pcieFormulas: completions are cut at completion-size boundaries and payloads round to DWORDs', (t) => {
  t.deepEqual(completionSizes(p(), 0, 512), [256, 256]);
  t.deepEqual(completionSizes(p(), 200, 160), [56, 104]);
  t.deepEqual(completionSizes(p(), 2, 3), [8]);
  t.is(dwordSpan(2, 3), 8);
});

test('pcieFormulas: a requester cuts reads at aligned request-size boundaries', (t) => {
  t.deepEqual(readPieces(320, 160, 128), [[320, 64], [384, 96]]);
  t.deepEqual(readPieces(0, 1024, 512), [[0, 512], [512, 512]]);
});

test('pcieFormulas: read efficiency counts the root port\'s Acks and UpdateFCs for the read request itself', (t) => {
  const preset = p();
  t.is(downstreamWireBytesPerRead(preset, 512), 2 * 276 + 8 / 4 + 8 / 4);
  t.true(Math.abs(readPayloadEfficiency(preset, 512) - (512 / 556) * (128 / 130)) < 1e-12);
  t.true(readPayloadEfficiency(preset, 64) < readPayloadEfficiency(preset, 512));
});

test('pcieFormulas: Little\'s law gives outstanding x bytes per round trip in GB/s', (t) => {
  t.is(littleBandwidthGBps(256, 128, 500_000), 65.536);
});
