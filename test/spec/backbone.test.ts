import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SpecError } from '../../src/core/index.ts';
import { resolveBackbone } from '../../src/spec/index.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

function document(name: string): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(path.join(repoRoot, 'targets', 'backbones', `${name}.json`), 'utf8'));
}

test('backbone: dense-8b resolves to Qwen3-8B\'s 8.19e9 parameters and 144 KiB of KV cache per token', (t) => {
  const b = resolveBackbone(document('dense-8b'), 'dense-8b.json');
  // 36 x (4096 x (4096 + 2 x 1024) + 4096 x 4096 + 3 x 4096 x 12288 + 2 x 4096 + 2 x 128) + 2 x 151936 x 4096 + 4096.
  t.is(b.derived.totalParams, 8190735360);
  t.is(b.derived.kvBytesPerToken, 2 * 36 * 8 * 128 * 2);
  t.is(b.derived.weightBytes, 2 * 8190735360);
  t.true(Object.isFrozen(b) && Object.isFrozen(b.derived));
});

test('backbone: dense-4b keeps the paper\'s 30 blocks of 2560 and 4.07e9 parameters outside the token embedding', (t) => {
  const b = resolveBackbone(document('dense-4b'), 'dense-4b.json');
  t.is(b.architecture.numLayers, 30);
  t.is(b.architecture.hiddenSize, 2560);
  const outsideEmbedding = b.derived.totalParams - b.derived.embeddingParams;
  // Table 1: 4.1B excluding the token embedding (rounded to 0.1B).
  t.true(Math.abs(outsideEmbedding - 4.1e9) <= 0.05e9, `${outsideEmbedding}`);
  t.is(b.derived.kvBytesPerTokenPerLayer, 2 * 8 * 128 * 2);
});

test('backbone: a tied output head adds no weights', (t) => {
  const doc = document('dense-4b');
  doc.architecture!.tieWordEmbeddings = true;
  const b = resolveBackbone(doc, 'tied.json');
  t.is(b.derived.lmHeadParams, 0);
});

test('backbone: KV heads that do not divide the attention heads are rejected with the path and the rule', (t) => {
  const doc = document('dense-8b');
  doc.architecture!.numKeyValueHeads = 5;
  t.snapshot(t.throws(() => resolveBackbone(doc, 'targets/backbones/x.json'), { instanceOf: SpecError })?.message);
});

test('backbone: an unknown key and an ASSUMPTION without a note are rejected naming the field', (t) => {
  const extra = document('dense-8b');
  (extra.architecture as Record<string, unknown>).slidingWindow = 4096;
  t.snapshot(t.throws(() => resolveBackbone(extra, 'targets/backbones/x.json'), { instanceOf: SpecError })?.message);
  const bare = document('dense-4b');
  delete (bare.numerics!.provenance as Record<string, unknown>).note;
  t.snapshot(t.throws(() => resolveBackbone(bare, 'targets/backbones/x.json'), { instanceOf: SpecError })?.message);
});
