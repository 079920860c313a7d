import test from 'ava';
import { SimError } from '../../../src/core/index.ts';
import { LinkDirection, PostedWriteChannel, type ResolvedPcieLinkPreset } from '../../../src/memory/index.ts';
import { anyPreset, oneRead } from '../systemHelpers.ts';

test('postedWriteChannel: a 4 KiB peer write crosses as 16 MWr TLPs after the forwarding latency', (t) => {
  const p = anyPreset('pcie-gen5-x16') as ResolvedPcieLinkPreset;
  const direction = new LinkDirection('down', p.psPerWireByte);
  const channel = new PostedWriteChannel('gds', p, direction, 100_000);
  const latency = oneRead(channel, 0, 4096, 0, true);
  const wire = 16 * (4 + 16 + 256 + 4);
  t.is(direction.wireBytes, wire);
  t.is(latency, 100_000 + Math.ceil(wire * p.psPerWireByte) + p.latencyPs.link);
});

test('postedWriteChannel: refuses reads, naming the field', (t) => {
  const p = anyPreset('pcie-gen5-x16') as ResolvedPcieLinkPreset;
  const channel = new PostedWriteChannel('gds', p, new LinkDirection('down', p.psPerWireByte), 0);
  const error = t.throws(() => channel.issue({ id: 1, addr: 0, isWrite: false, sizeBytes: 64, arrivalCycle: 0 }, 0), { instanceOf: SimError });
  t.snapshot(error?.message);
});
