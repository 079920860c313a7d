import test from 'ava';
import { Rng } from '../../src/core/index.ts';
import { EventHeap } from '../../src/memory/index.ts';

test('eventHeap: pops events in time order and same-time events in push order when thousands are mixed', (t) => {
  const heap = new EventHeap();
  const rng = new Rng('eventHeap');
  const pushed: [number, number][] = [];
  for (let i = 0; i < 5000; i++) {
    const time = rng.nextInt(200);
    heap.push(time, i, time * 2);
    pushed.push([time, i]);
  }
  const expected = [...pushed].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const popped: [number, number][] = [];
  while (heap.size > 0) {
    const time = heap.pop();
    t.is(heap.poppedB, time * 2);
    popped.push([time, heap.poppedA]);
  }
  t.deepEqual(popped, expected);
  t.is(heap.peekTime(), Infinity);
});
