import test from 'ava';
import { ClockCrossing, DramDevice, SharedDevice, type CompletionSink, type ResolvedDramPreset, type SharedPort } from '../../src/memory/index.ts';
import { preset } from './helpers.ts';

test('sharedDevice: each port hears only its own completions when ports reuse the same request ids', (t) => {
  const shared = new SharedDevice(new ClockCrossing(new DramDevice(preset('ddr5-4800') as ResolvedDramPreset, { mergeDuplicates: 'off' })), 2, ['a', 'b']);
  const [a, b] = shared.ports as [SharedPort, SharedPort];
  const heard: Record<string, number[]> = { a: [], b: [] };
  const sink = (name: string): CompletionSink => ({ complete: (id) => void heard[name]!.push(id) });
  t.true(a.issue({ id: 1, addr: 0, isWrite: false, sizeBytes: 64, arrivalCycle: 0 }, 0));
  t.true(b.issue({ id: 1, addr: 1 << 20, isWrite: false, sizeBytes: 64, arrivalCycle: 0 }, 0));
  t.true(b.issue({ id: 2, addr: 2 << 20, isWrite: true, sizeBytes: 64, arrivalCycle: 0 }, 0));
  for (let guard = 0; guard < 1000 && heard['a']!.length + heard['b']!.length < 3; guard++) {
    const now = Math.min(a.nextEventCycle(), b.nextEventCycle());
    if (a.nextEventCycle() <= now) a.tick(now, sink('a'));
    if (b.nextEventCycle() <= now) b.tick(now, sink('b'));
  }
  t.deepEqual(heard, { a: [1], b: [1, 2] });
  t.is(a.stats().requests, 1);
  t.is(b.stats().writes, 1);
  t.is(shared.stats().requests, 3);
  t.is(a.name, 'a');
});
