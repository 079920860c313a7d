import test from 'ava';
import { ModelError } from '../../src/core/index.ts';
import { activationBytesPerToken, kvCacheSizing, type KvCacheOptions } from '../../src/project/index.ts';
import { loadBackbone } from '../../src/cli/backbones.ts';
import { loadTarget } from '../../src/cli/targets.ts';

const serving = (() => {
  const t = loadTarget('h800-sxm');
  if (t.kind !== 'gpu' || t.serving === undefined) throw new Error('h800-sxm has no serving section');
  return t.serving;
})();
const options: KvCacheOptions = { blockSize: 256, gpuMemoryUtilization: 0.9, maxNumBatchedTokens: 16384, maxNumSeqs: 512, maxModelLen: 4096, extraDeviceBytes: 0, extraActivationBytesPerToken: 0 };

test('kvCache: blocks = (visible x 0.9 - reserved - weights - warm-up peak) // block bytes, by hand for dense-8b', (t) => {
  const b = loadBackbone('dense-8b');
  // Qwen3-8B: 2 (K, V) x 36 layers x 8 KV heads x 128 x 2 B = 147,456 B per token; warm-up 4 x 4096 tokens.
  t.is(b.derived.kvBytesPerToken, 147456);
  const s = kvCacheSizing(b, serving, options);
  t.is(s.warmupTokens, 16384);
  t.is(s.activationPeakBytes, 16384 * 2 * (2 * 4096 + 3 * 12288));
  const free = Math.floor(serving.memory.visibleBytes * 0.9) - serving.memory.runtimeReservedBytes - b.derived.weightBytes - s.activationPeakBytes;
  t.is(s.numBlocks, Math.floor(free / (256 * 147456)));
  t.is(s.capacityTokens, s.numBlocks * 256);
});

test('kvCache: an extra device module takes blocks, and its activations count only when they exceed the backbone\'s', (t) => {
  const b = loadBackbone('dense-4b');
  const base = kvCacheSizing(b, serving, options);
  const blockBytes = 256 * b.derived.kvBytesPerToken;
  const withWeights = kvCacheSizing(b, serving, { ...options, extraDeviceBytes: 3 * blockBytes });
  t.is(withWeights.numBlocks, base.numBlocks - 3);
  const smallActs = kvCacheSizing(b, serving, { ...options, extraActivationBytesPerToken: activationBytesPerToken(b) / 2 });
  t.is(smallActs.numBlocks, base.numBlocks);
});

test('kvCache: refuses a device that cannot hold one block after the weights, naming the sizes', (t) => {
  const b = loadBackbone('dense-8b');
  const tiny = { ...serving, memory: { ...serving.memory, visibleBytes: 17e9 } };
  t.snapshot(t.throws(() => kvCacheSizing(b, tiny, options), { instanceOf: ModelError })?.message);
});
