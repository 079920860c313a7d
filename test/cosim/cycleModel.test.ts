import test from 'ava';
import { CycleModel, DEFAULT_UNIT_PARAMS, HASH_STAGES, fullRateTokensPerCycle, singleTokenLatencyCycles, type EnvConfig } from '../../src/cosim/index.ts';

const FULL_RATE: Omit<EnvConfig, 'activePorts' | 'memLatencyCycles'> = {
  seed: 1, inputGapProb: 0, outputStallProb: 0, requestStallProb: 0, responseStallProb: 0, logRequests: false,
};

function model(heads: number, ports: number, memLatencyCycles: number): CycleModel {
  const m = new CycleModel({ ...DEFAULT_UNIT_PARAMS, ports: Math.max(ports, DEFAULT_UNIT_PARAMS.ports) });
  m.setActiveHeads(heads);
  m.setEnv({ ...FULL_RATE, activePorts: ports, memLatencyCycles });
  return m;
}

// (heads per token, ports): dividing, non-dividing, fewer heads than ports, one port.
const SHAPES: ReadonlyArray<readonly [number, number]> = [[16, 4], [16, 1], [16, 3], [16, 8], [5, 3], [7, 4], [15, 7], [3, 2], [2, 4], [1, 4]];

test('cycle model: steady state sustains exactly min(1, ports / heads) tokens per cycle when memory answers at full rate', (t) => {
  for (const [heads, ports] of SHAPES) {
    // Over heads·ports·4 more tokens the added cycles are exactly tokens / rate (an integer here).
    const extra = heads * ports * 4;
    const base = model(heads, ports, 1).run(200).cycles;
    const longer = model(heads, ports, 1).run(200 + extra).cycles;
    t.is(longer - base, extra / fullRateTokensPerCycle(ports, heads), `${heads} heads on ${ports} ports`);
  }
});

test('cycle model: a lone token leaves after the documented per-stage latency when nothing stalls', (t) => {
  for (const [heads, ports] of SHAPES) {
    for (const latency of [1, 9]) {
      const run = model(heads, ports, latency).run(1);
      t.is(run.outputCycles[0], singleTokenLatencyCycles(heads, ports, latency), `${heads} heads, ${ports} ports, latency ${latency}`);
    }
  }
  t.is(singleTokenLatencyCycles(16, 4, 20), 34);
});

test('cycle model: throughput is bounded by depth / round trip when memory latency exceeds what the buffer covers', (t) => {
  // 16 slots, one head per token on 4 ports: the formula allows 1 token/cycle, but a token holds its slot
  // from the move into issue (cycle 8) to the output load (one cycle before it leaves), so tokens/cycle
  // falls to depth / hold as latency grows.
  const tokens = 4000;
  const rates = [4, 32, 128].map((latency) => tokens / model(1, 4, latency).run(tokens).cycles);
  t.true(rates[0]! > 0.99, `latency 4: ${rates[0]}`);
  t.true(rates[1]! < rates[0]! && rates[2]! < rates[1]!, rates.join(' > '));
  const hold = singleTokenLatencyCycles(1, 4, 128) - 1 - HASH_STAGES;
  t.true(Math.abs(rates[2]! - 16 / hold) < 0.002, `latency 128: ${rates[2]} against ${16 / hold}`);
});

test('cycle model: back-pressure coins are drawn only when some probability is non-zero', (t) => {
  const a = model(16, 4, 5).run(500);
  const m = new CycleModel(DEFAULT_UNIT_PARAMS);
  m.setActiveHeads(16);
  m.setEnv({ ...FULL_RATE, seed: 99, activePorts: 4, memLatencyCycles: 5 });
  t.is(m.run(500).cycles, a.cycles);
});
