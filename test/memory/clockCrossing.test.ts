import test from 'ava';
import { ClockCrossing, DramDevice, type ResolvedDramPreset } from '../../src/memory/index.ts';
import { oneRead } from './systemHelpers.ts';
import { preset } from './helpers.ts';

const ddr5 = (): ResolvedDramPreset => preset('ddr5-4800') as ResolvedDramPreset;
const closedBank = (p: ResolvedDramPreset): number => p.commandBus.actCycles - 1 + p.timing.tRcdCycles + p.timing.tClCycles + p.timing.burstCycles;

test('clockCrossing: a read that arrives on a DRAM clock edge takes the DRAM cycles times tCK, rounded up to whole ps', (t) => {
  const p = ddr5();
  const latency = oneRead(new ClockCrossing(new DramDevice(p, { mergeDuplicates: 'off' })), 4096, 64, 0);
  t.is(latency, Math.ceil(closedBank(p) * p.tCkPs - 1e-3));
});

test('clockCrossing: a read that arrives between edges waits for the next DRAM clock edge', (t) => {
  const p = ddr5();
  // 1000 ps lies between edges 2 (833.3 ps) and 3 (1250 ps).
  const latency = oneRead(new ClockCrossing(new DramDevice(p, { mergeDuplicates: 'off' })), 4096, 64, 1000);
  t.is(latency + 1000, Math.ceil((3 + closedBank(p)) * p.tCkPs - 1e-3));
});

test('clockCrossing: cycle and picosecond conversions invert each other when tCK is a fraction of a ps', (t) => {
  const cdc = new ClockCrossing(new DramDevice(ddr5(), { mergeDuplicates: 'off' }));
  for (let c = 0; c < 5000; c += 7) t.is(cdc.cycleAt(cdc.toPs(c)), c);
  t.is(cdc.tCkPs, 1);
  t.true(cdc.minReadLatencyCycles >= ddr5().tCkPs);
});
