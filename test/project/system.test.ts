import test from 'ava';
import { ModelError } from '../../src/core/index.ts';
import {
  BENCH_ENGINE,
  ENGRAM_LIVE_HIDDEN_TENSORS,
  activationBytesPerToken,
  engramGatherSetup,
  hashNs,
  hashUnitFillCycles,
  kvCacheSizing,
  placeEngram,
  servingMisfit,
  servingSystem,
} from '../../src/project/index.ts';
import { resolveTarget, type ServingCalibration } from '../../src/spec/index.ts';
import { loadBackbone } from '../../src/cli/backbones.ts';
import { loadConfig } from '../../src/cli/configs.ts';
import { presetLoader } from '../../src/cli/commands/memsim.ts';
import { loadTarget } from '../../src/cli/targets.ts';

const config = loadConfig('offload-100b');
const dense4b = loadBackbone('dense-4b');
const dense8b = loadBackbone('dense-8b');
/** Float sums of a few terms. */
const TOL_NS = 1e-6;

test('engramLayer: the device bytes are the projections, conv taps and norms, one prefill of rows and a conv state per sequence slot', (t) => {
  const p = placeEngram(config, dense8b, 16384, 0, 512);
  // Value + one key projection of 1,280 -> 4,096 in BF16.
  t.is(p.device.projectionBytes, 2 * 4096 * 1280 * 2);
  // Kernel 4 taps + 3 RMSNorms per channel.
  t.is(p.device.convNormBytes, (4 + 3) * 4096 * 2);
  t.is(p.device.stagingBytes, 16384 * 16 * 160);
  // (kernel 4 - 1) x dilation 3 = 9 past positions of 4,096 values for each of 512 slots.
  t.is(p.device.convStateBytes, 512 * 9 * 4096 * 2);
  t.is(p.deviceBytes, p.device.projectionBytes + p.device.convNormBytes + p.device.stagingBytes + p.device.convStateBytes);
  t.is(placeEngram(config, dense8b, 16384, 0, 128).device.convStateBytes, 128 * 9 * 4096 * 2);
});

test('engramLayer: the warm-up peak inside the layer is the residual pair plus the demo forward\'s live tensors, below the MLP\'s', (t) => {
  for (const b of [dense4b, dense8b]) {
    const p = placeEngram(config, b, 16384);
    t.is(p.activationBytesPerToken, (2 + ENGRAM_LIVE_HIDDEN_TENSORS) * b.architecture.hiddenSize * 2);
    // Qwen3-8B's MLP peak is 2 x 4,096 + 3 x 12,288 = 11 x 4,096 values against the layer's 10 x 4,096.
    t.true(p.activationBytesPerToken < activationBytesPerToken(b), b.name);
  }
});

test('engramLayer: the KV-bound dense-8b loses whole KV blocks to the Engram buffers', (t) => {
  const serving = servingSystem(loadTarget('h800-sxm')).serving;
  const options = { blockSize: 256, gpuMemoryUtilization: 0.9, maxNumBatchedTokens: 16384, maxNumSeqs: 512, maxModelLen: 4096, extraDeviceBytes: 0, extraActivationBytesPerToken: 0 };
  const p = placeEngram(config, dense8b, 16384);
  const base = kvCacheSizing(dense8b, serving, options).numBlocks;
  const withEngram = kvCacheSizing(dense8b, serving, { ...options, extraDeviceBytes: p.deviceBytes, extraActivationBytesPerToken: p.activationBytesPerToken }).numBlocks;
  const blockBytes = 256 * dense8b.derived.kvBytesPerToken;
  t.true(base - withEngram >= Math.floor(p.deviceBytes / blockBytes));
  t.true(base - withEngram <= Math.ceil(p.deviceBytes / blockBytes));
});

test('engramLayer: refuses a non-integer number of sequence slots', (t) => {
  t.snapshot(t.throws(() => placeEngram(config, dense4b, 16384, 0, 0.5), { instanceOf: ModelError })?.message);
});

test('engramPath: the host hashes at its measured rate and the RTL unit at min(1, ports / heads) tokens per cycle plus its fill', (t) => {
  const host = servingSystem(loadTarget('h800-sxm')).serving;
  t.true(Math.abs(hashNs(host, 1000, 16) - (1000 * 16 * 1e9) / host.engram.hostHashHeadIndicesPerS) < TOL_NS);
  const unit: ServingCalibration = { ...host, engram: { ...host.engram, hashUnit: { ports: 4, clockMHz: 250, provenance: { source: 'test', confidence: 'ASSUMPTION' } } } };
  // 16 heads on 4 ports: 0.25 tokens per cycle; fill 11 + (4 - 1) cycles; 4 ns per cycle.
  t.is(hashUnitFillCycles(4, 16), 14);
  t.true(Math.abs(hashNs(unit, 1000, 16) - (4000 + 14) * 4) < TOL_NS);
  // More ports than heads: one token per cycle, and the fill's max(1, ...) term.
  t.is(hashUnitFillCycles(32, 16), 12);
  t.is(hashNs(unit, 0, 16), 0);
});

test('system: every target kind with a serving section gets a serving model that says what runs where', (t) => {
  for (const [name, kind] of [
    ['h800-sxm', 'gpu'],
    ['tpu-v5e', 'systolic'],
    ['alveo-u55c', 'fpga'],
  ] as const) {
    const s = servingSystem(loadTarget(name));
    t.is(s.kind, kind);
    t.true(s.model.length === 2 && s.model[1]!.startsWith('Engram: '), name);
  }
  t.regex(servingSystem(loadTarget('alveo-u55c')).model[1]!, /hash\/gather unit \(rtl\/: 4 ports at 250 MHz\).*zero-copy/);
  t.regex(servingSystem(loadTarget('tpu-v5e')).model[0]!, /carried over from h800-sxm/);
});

test('system: a target without a serving section is refused with the section named', (t) => {
  const doc = JSON.parse(JSON.stringify(loadTarget('tpu-v5e'))) as Record<string, unknown>;
  delete doc.serving;
  delete doc.derived;
  const bare = resolveTarget(doc, 'bare-tpu');
  t.snapshot(t.throws(() => servingSystem(bare), { instanceOf: ModelError })?.message);
});

test('serving: dense-8b\'s 16.4 GB of weights do not fit a 16 GB TPU v5e or a 16 GiB U55C; dense-4b fits both', (t) => {
  for (const name of ['tpu-v5e', 'alveo-u55c']) {
    const system = servingSystem(loadTarget(name));
    t.is(servingMisfit(system, dense4b, BENCH_ENGINE, placeEngram(config, dense4b, 16384)), null);
    t.regex(servingMisfit(system, dense8b, BENCH_ENGINE, placeEngram(config, dense8b, 16384)) ?? '', new RegExp(`^dense-8b does not fit ${name}: 16\\.4 GB of weights`));
  }
});

test('memoryGather: a Gen3 or Gen4 host link is the Gen5 preset at that generation\'s rate, with the target\'s transfer path', (t) => {
  const placement = placeEngram(config, dense4b, 16384);
  const fpga = engramGatherSetup({ target: loadTarget('alveo-u55c'), tier: 'dram', hbmCacheBytes: 0, placement, presets: presetLoader() });
  t.is(fpga.system.pcie.name, 'pcie-gen3-x16');
  t.is(fpga.system.transfer, 'zero-copy');
  t.true(Math.abs(fpga.system.pcie.peakBandwidthGBps - 15.75) < 0.01);
  const tpu = engramGatherSetup({ target: loadTarget('tpu-v5e'), tier: 'dram', hbmCacheBytes: 0, placement, presets: presetLoader() });
  t.is(tpu.system.pcie.name, 'pcie-gen4-x16');
  t.is(tpu.system.transfer, 'staging');
  const gpu = engramGatherSetup({ target: loadTarget('h800-sxm'), tier: 'dram', hbmCacheBytes: 0, placement, presets: presetLoader() });
  // The same batch over half and a quarter of the link rate takes longer.
  const batch = { rows: 4096, rowBytes: 160, uniqueRows: 4096 };
  t.true(tpu.analytic.gatherNs(batch) > gpu.analytic.gatherNs(batch));
});
