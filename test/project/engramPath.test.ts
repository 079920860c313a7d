import test from 'ava';
import {
  engramComputeNs,
  engramGatherTimes,
  expectedUniqueRows,
  gpuCostContext,
  hbmHitRate,
  placeEngram,
  simulateSchedule,
  stepEngramCost,
  stepGpuCost,
  type EngramGatherModel,
  type ScheduledStep,
} from '../../src/project/index.ts';
import type { ResolvedGpuTarget } from '../../src/spec/index.ts';
import { ModelError } from '../../src/core/index.ts';
import { loadBackbone } from '../../src/cli/backbones.ts';
import { loadConfig } from '../../src/cli/configs.ts';
import { loadTarget } from '../../src/cli/targets.ts';

const target = loadTarget('h800-sxm') as ResolvedGpuTarget;
const backbone = loadBackbone('dense-4b');
const config = loadConfig('offload-100b');
const ctx = gpuCostContext(backbone, target, target.serving!, 512);
const placement = placeEngram(config, backbone, 16384);
/** Differences of sums of float terms. */
const TOL_NS = 1e-6;

function decodeStep(batch: number): ScheduledStep {
  return {
    isPrefill: false,
    seqs: Int32Array.from({ length: batch }, (_, i) => i),
    firstPos: new Int32Array(batch).fill(500),
    newTokens: new Int32Array(batch).fill(1),
    numTokens: batch,
    contextTokens: batch * 501,
    causalPairs: batch * 501,
  };
}

test('engramPath: offload-100b places 16 rows of 160 B per token in block 1 with a ~200 GB table', (t) => {
  t.deepEqual(placement.layerIds, [1]);
  t.is(placement.rowsPerToken, 16);
  t.is(placement.rowBytes, 160);
  t.is(placement.bytesPerTokenPerLayer, 2560);
  t.true(Math.abs(placement.tableBytes / 200e9 - 1) < 1e-5);
});

test('engramPath: a fetch shorter than the window of block 0 costs only the synchronisation', (t) => {
  const step = decodeStep(512);
  const gpu = stepGpuCost(ctx, step);
  const window = gpu.blocksBeforeNs(1);
  const hashNs = (512 * 16 * 1e9) / target.serving!.engram.hostHashHeadIndicesPerS;
  const e = stepEngramCost(ctx, placement, step, gpu, [window - hashNs - 1000]);
  t.is(e.stallNs, 0);
  t.is(e.exposedNs, target.serving!.engram.syncNs);
  t.is(e.rows, 512 * 16);
  t.is(e.computeNs, engramComputeNs(ctx, placement, 512));
});

test('engramPath: a table held whole in the HBM cache has no host path, so no synchronisation; one byte less keeps it', (t) => {
  const small = loadConfig('demo');
  const tableBytes = placeEngram(small, backbone, 16384).tableBytes;
  const step = decodeStep(256);
  const gpu = stepGpuCost(ctx, step);
  const layers = small.engram.layerIds.length;
  const noGather = small.engram.layerIds.map(() => 0);
  const resident = stepEngramCost(ctx, placeEngram(small, backbone, 16384, tableBytes), step, gpu, noGather);
  t.is(resident.syncNs, 0);
  t.is(resident.exposedNs, 0);
  const almost = stepEngramCost(ctx, placeEngram(small, backbone, 16384, tableBytes - 1), step, gpu, noGather);
  t.is(almost.syncNs, layers * target.serving!.engram.syncNs);
});

test('hbmHitRate: cache / table for uniform rows, the hottest rows\' Zipf share otherwise, 1 for a resident table', (t) => {
  const quarter = Math.round(placement.tableBytes / 4);
  t.true(Math.abs(hbmHitRate(placement, quarter) - 0.25) < 1e-9);
  const mild = hbmHitRate(placement, quarter, 0.51);
  const steep = hbmHitRate(placement, quarter, 0.77);
  t.true(mild > 0.25 && steep > mild && steep < 1, `${mild} ${steep}`);
  // Zipf(s) over n ranks: the top quarter holds (1/4)^(1 - s) of lookups in the continuum limit.
  t.true(Math.abs(steep - 0.25 ** 0.23) < 0.01, `${steep} vs ${0.25 ** 0.23}`);
  t.is(hbmHitRate(placement, placement.tableBytes, 0.77), 1);
  t.is(hbmHitRate(placement, 0, 0.77), 0);
  t.throws(() => hbmHitRate(placement, quarter, -1), { instanceOf: ModelError, message: /rowZipfS/ });
});

test('engramPath: a fetch longer than the window stalls the device by the difference', (t) => {
  const step = decodeStep(512);
  const gpu = stepGpuCost(ctx, step);
  const hashNs = (512 * 16 * 1e9) / target.serving!.engram.hostHashHeadIndicesPerS;
  const gatherNs = 5e6;
  const e = stepEngramCost(ctx, placement, step, gpu, [gatherNs]);
  t.true(Math.abs(e.stallNs - (hashNs + gatherNs - gpu.blocksBeforeNs(1))) < TOL_NS * 1e6);
  t.is(e.windowNs, gpu.blocksBeforeNs(1));
});

test('engramPath: expected distinct rows of uniform hashing lose about rows^2 / 2p to collisions', (t) => {
  const heads = [1000003];
  const u = expectedUniqueRows(1000, heads);
  t.true(Math.abs(1000 - u - (1000 * 1000) / (2 * 1000003)) < 0.01);
  t.is(expectedUniqueRows(0, heads), 0);
});

test('engramPath: analytic gather times follow the closed-form model step by step', (t) => {
  const schedule = simulateSchedule([{ promptLen: 100, maxTokens: 3 }, { promptLen: 50, maxTokens: 2 }], { maxNumSeqs: 512, maxNumBatchedTokens: 16384, blockSize: 256, numKvBlocks: 100 });
  const calls: number[] = [];
  const model: EngramGatherModel = { name: 'linear', needsRowIds: false, gatherNs: (b) => (calls.push(b.rows), 10 * b.uniqueRows) };
  const g = engramGatherTimes(placement, schedule, { mode: 'analytic', model });
  t.deepEqual(calls, [150 * 16, 2 * 16, 16]);
  t.is(g.sampling, null);
  // 2 tokens x 16 heads, less the expected collisions in tables of ~78M rows (~4e-7 rows).
  t.true(Math.abs(g.perStep[1]![0]! - 320) < 1e-3);
});
