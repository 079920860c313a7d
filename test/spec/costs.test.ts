import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTarget } from '../../src/cli/targets.ts';
import { MEMORY_TIERS, resolveCosts } from '../../src/spec/index.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const FILE = 'targets/costs/default.json';
const document = (): Record<string, unknown> => JSON.parse(readFileSync(path.join(repoRoot, FILE), 'utf8'));

test('costs: the shipped cost figures parse, price every shipped target and every memory tier with provenance', (t) => {
  const costs = resolveCosts(document(), FILE);
  for (const name of ['h800-sxm', 'h100-sxm', 'tpu-v5e', 'alveo-u55c']) {
    t.is(loadTarget(name).name, name);
    t.true(costs.devices[name]!.priceUsd > 0, name);
    t.true(costs.devices[name]!.provenance.source.length > 0, name);
  }
  for (const tier of MEMORY_TIERS) t.true(costs.memory[tier].usdPerGB > 0, tier);
  t.true(Object.isFrozen(costs.devices));
});

test('costs: an assumption without a note is refused, naming its path', (t) => {
  const doc = document() as { memory: { cxl: { provenance: Record<string, unknown> } } };
  delete doc.memory.cxl.provenance.note;
  t.snapshot(t.throws(() => resolveCosts(doc, FILE))?.message);
});

test('costs: a negative price is refused, naming the device', (t) => {
  const doc = document() as { devices: Record<string, { priceUsd: number }> };
  doc.devices['tpu-v5e']!.priceUsd = -1;
  t.snapshot(t.throws(() => resolveCosts(doc, FILE))?.message);
});
