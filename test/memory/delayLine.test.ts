import test from 'ava';
import { DelayLine, HbmServer } from '../../src/memory/index.ts';
import { oneRead } from './systemHelpers.ts';

test('delayLine: a read costs the inbound path, the device and the outbound path when the device is idle', (t) => {
  const inner = new HbmServer('hbm', 1000, 50_000);
  const direct = oneRead(new HbmServer('hbm', 1000, 50_000), 0, 64);
  const line = new DelayLine('cpu', inner, 30_000, 20_000);
  t.is(oneRead(line, 0, 64), 30_000 + direct + 20_000);
  t.is(line.minReadLatencyCycles, 30_000 + inner.minReadLatencyCycles + 20_000);
});
