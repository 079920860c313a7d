import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listConfigNames, loadConfig } from '../../src/cli/configs.ts';
import { makeTempDir } from '../helpers/tempDir.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

function demoDocument(): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(repoRoot, 'targets/configs/demo.json'), 'utf8'));
}

/** Writes `doc` to a temp file and returns its path. */
function writeTemp(doc: unknown): string {
  const dir = makeTempDir('engram-configs-');
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

test('configs: lists the named configurations in sorted order', (t) => {
  const names = listConfigNames();
  t.deepEqual(names, [...names].sort());
  for (const name of ['demo', 'offload-100b', 'paper-27b', 'paper-40b']) t.true(names.includes(name), name);
});

test('configs: every file in targets/configs parses, points at the generated schema and names itself', (t) => {
  for (const name of listConfigNames()) {
    const config = loadConfig(name);
    t.is(config.name, name);
    t.is(config.$schema, '../schemas/engram-config.schema.json');
    t.true(Object.isFrozen(config.engram));
  }
});

test('configs: demo derives 16 heads of width 64 and a 1024-wide memory vector', (t) => {
  const { derived, engram, backbone } = loadConfig('demo');
  t.deepEqual(derived, { numOrders: 2, headsPerLayer: 16, headDim: 64, engramHiddenSize: 1024 });
  t.deepEqual(engram.layerIds, [1, 15]);
  t.is(engram.tableBytesPerValue, 4);
  t.deepEqual([backbone.hiddenSize, backbone.hcMult, backbone.vocabSize, backbone.numLayers], [1024, 4, 129280, 30]);
});

test('configs: paper-27b and paper-40b derive heads of width 80 and a 1280-wide memory vector', (t) => {
  for (const name of ['paper-27b', 'paper-40b']) {
    const { derived, engram, backbone } = loadConfig(name);
    t.is(derived.headDim, 80);
    t.is(derived.engramHiddenSize, 1280);
    t.is(derived.headsPerLayer, 16);
    t.deepEqual(engram.layerIds, [2, 15]);
    t.is(backbone.hiddenSize, 2560);
  }
  t.deepEqual(loadConfig('paper-27b').engram.engramVocabSize, [2262400, 2262400]);
  t.deepEqual(loadConfig('paper-40b').engram.engramVocabSize, [7239680, 7239680]);
});

test('configs: offload-100b holds 100e9 nominal parameters in one layer in the second block', (t) => {
  const { derived, engram } = loadConfig('offload-100b');
  t.deepEqual(engram.layerIds, [1]);
  // Primes sit just above the per-head start, so the nominal size is a tight lower bound.
  const params = derived.headsPerLayer * engram.engramVocabSize[0]! * derived.headDim;
  t.is(params, 100e9);
});

test('configs: a config given by path loads relative to the working folder', (t) => {
  const file = writeTemp(demoDocument());
  const config = loadConfig(path.basename(file), path.dirname(file));
  t.is(config.derived.headDim, 64);
});

test('configs: an unknown name is a usage error listing the known names', (t) => {
  const error = t.throws(() => loadConfig('paper-99b'));
  t.is(error?.name, 'UsageError');
  t.snapshot(error?.message);
});

test('configs: a missing file is a usage error naming the path as given', (t) => {
  const error = t.throws(() => loadConfig('no/such/config.json', os.tmpdir()));
  t.is(error?.name, 'UsageError');
  t.snapshot(error?.message);
});

test('configs: an unknown key is rejected with a message naming the key and its place', (t) => {
  const doc = demoDocument();
  (doc.engram as Record<string, unknown>).nHeadsPerNgram = 8;
  const file = writeTemp(doc);
  const error = t.throws(() => loadConfig(file));
  t.is(error?.name, 'SpecError');
  t.snapshot(error?.message.replace(file, '<file>'));
});

test('configs: a value of the wrong type is rejected with a message naming its field path', (t) => {
  const doc = demoDocument();
  (doc.engram as Record<string, unknown>).layerIds = [1, '15'];
  const file = writeTemp(doc);
  const error = t.throws(() => loadConfig(file));
  t.is(error?.name, 'SpecError');
  t.snapshot(error?.message.replace(file, '<file>'));
  (doc.backbone as Record<string, unknown>).hiddenSize = 1024.5;
  (doc.engram as Record<string, unknown>).layerIds = [1, 15];
  const file2 = writeTemp(doc);
  t.snapshot(t.throws(() => loadConfig(file2))?.message.replace(file2, '<file>'));
});
