import test from 'ava';
import {
  BENCH_ENGINE,
  benchWorkload,
  engramGatherSetup,
  placeEngram,
  servingSystem,
  sweepPenalty,
  withLayer,
  withTableParams,
  TABLE4_WORKLOAD,
} from '../../src/project/index.ts';
import type { EngramConfig } from '../../src/spec/index.ts';
import { loadBackbone } from '../../src/cli/backbones.ts';
import { loadConfig } from '../../src/cli/configs.ts';
import { presetLoader } from '../../src/cli/commands/memsim.ts';
import { loadTarget } from '../../src/cli/targets.ts';

const target = loadTarget('h800-sxm');
const system = servingSystem(target);
const backbone = loadBackbone('dense-4b');
const config = loadConfig('offload-100b');
/** A small bench workload keeps each projection in tens of milliseconds. */
const workload = benchWorkload({ ...TABLE4_WORKLOAD, numSeqs: 64 });
/** Penalties of table sizes differ only through hash collisions, far below this. */
const FLAT_TOL_PP = 1e-3;

function at(cfg: EngramConfig, linkLanes?: number) {
  const placement = placeEngram(cfg, backbone, BENCH_ENGINE.maxNumBatchedTokens);
  const setup = engramGatherSetup({ target, tier: 'dram', hbmCacheBytes: 0, placement, presets: presetLoader(), ...(linkLanes === undefined ? {} : { linkLanes }) });
  return { system, backbone, workload, engine: BENCH_ENGINE, engram: { placement, gather: { mode: 'analytic' as const, model: setup.analytic } }, tierCapacityBytes: setup.tierCapacityBytes };
}

test('sensitivity: withTableParams sizes every head so the table holds the asked parameters', (t) => {
  const c = withTableParams(config, 1e12);
  const placement = placeEngram(c, backbone, 16384);
  t.true(Math.abs(placement.tableBytes / (1e12 * 2) - 1) < 1e-6);
  t.deepEqual(placement.layerIds, [1]);
});

test('sensitivity: the penalty stays flat from 10B to 1T parameters while the tier is unchanged', (t) => {
  const s = sweepPenalty('table size', 'parameters', [1e10, 1e11, 1e12], (p) => at(withTableParams(config, p)));
  const penalties = s.points.map((p) => p.penaltyPct);
  t.true(Math.max(...penalties) - Math.min(...penalties) < FLAT_TOL_PP, `${penalties}`);
  // 10B and 100B parameters (20 and 200 GB) fit the 512 GiB host; 1T (2 TB) does not.
  t.deepEqual(s.points.map((p) => p.fitsTier), [true, true, false]);
});

test('sensitivity: an Engram layer in block 0 has no window and costs more than one in block 1', (t) => {
  const s = sweepPenalty('layer', 'block', [0, 1], (l) => at(withLayer(config, l)));
  t.true(s.points[0]!.meanDecodeWindowNs < s.points[1]!.meanDecodeWindowNs);
  t.true(s.points[0]!.penaltyPct > s.points[1]!.penaltyPct);
});

test('sensitivity: one PCIe lane stretches the fetch and raises the penalty over sixteen', (t) => {
  const s = sweepPenalty('lanes', 'lanes', [1, 16], (lanes) => at(config, lanes));
  t.true(s.points[0]!.meanDecodeFetchNs > s.points[1]!.meanDecodeFetchNs);
  t.true(s.points[0]!.penaltyPct >= s.points[1]!.penaltyPct);
  // Baselines are shared: the link does not change the run without Engram.
  t.is(s.points[0]!.baselineTokPerS, s.points[1]!.baselineTokPerS);
});
