import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Rng } from '../../../src/core/index.ts';
import { runEngramLayer, selectBackend } from '../../../src/model/index.ts';
import { resolveEngramConfig } from '../../../src/spec/index.ts';
import { tinyConfig } from './tinyConfig.ts';

// Small primes stand in for the hash mapping's: the layer only needs table sizes and offsets.
const PRIMES = [11, 13, 17, 19];
const OFFSETS = [0, 11, 24, 41];

function headIndices(numTokens: number, seed: number, primes: readonly number[] = PRIMES): Int32Array {
  const rng = new Rng(seed);
  return new Int32Array(numTokens * primes.length).map((_, i) => rng.nextInt(primes[i % primes.length]!));
}

test.serial('runEngramLayer: runs each sequence with absolute row ids and a gate per token and branch', async (t) => {
  const backend = await selectBackend('wasm');
  const config = tinyConfig(3);
  const z = [headIndices(5, 1), headIndices(2, 2)];
  const run = runEngramLayer(backend, { config, layerId: 1, primes: PRIMES, rowOffsets: OFFSETS, headIndices: z });
  t.is(run.backend, 'wasm');
  t.is(run.tableKind, 'materialized');
  t.is(run.tableRows, 60);
  t.deepEqual(run.sequences.map((s) => s.numTokens), [5, 2]);
  const first = run.sequences[0]!;
  t.deepEqual([...first.rowIds.subarray(0, 4)], [...z[0]!.subarray(0, 4)].map((v, h) => v + OFFSETS[h]!));
  t.is(first.alpha.length, 5 * 3);
  t.is(first.output.length, 5 * 3 * 32);
  t.true(first.alpha.every((a) => a > 0 && a < 1));
});

test.serial('runEngramLayer: virtual and materialized tables give bit-identical results and reruns repeat', async (t) => {
  const backend = await selectBackend('wasm');
  const input = { config: tinyConfig(2), layerId: 3, primes: PRIMES, rowOffsets: OFFSETS, headIndices: [headIndices(8, 3)] };
  const materialized = runEngramLayer(backend, input);
  const virtual = runEngramLayer(backend, { ...input, virtualThresholdValues: 0 });
  t.is(virtual.tableKind, 'virtual');
  t.deepEqual(virtual.sequences, materialized.sequences);
  t.deepEqual(runEngramLayer(backend, input).sequences, materialized.sequences);
  t.notDeepEqual(runEngramLayer(backend, { ...input, seed: 1 }).sequences[0]!.output, materialized.sequences[0]!.output);
});

test.serial('runEngramLayer: the demo configuration runs on a virtual table of 10.3M rows', async (t) => {
  const backend = await selectBackend('wasm');
  const file = path.resolve(import.meta.dirname, '../../../targets/configs/demo.json');
  const config = resolveEngramConfig(JSON.parse(readFileSync(file, 'utf8')), 'demo.json');
  // Layer 1's primes (engram-spec.md §1) total 10,344,164 rows; exact values do not matter for the layout.
  const primes = [646403, 646411, 646421, 646423, 646433, 646453, 646519, 646523, 646537, 646543, 646549, 646571, 646573, 646577, 646609, 646619];
  const rowOffsets = primes.map((_, h) => primes.slice(0, h).reduce((a, b) => a + b, 0));
  const run = runEngramLayer(backend, { config, layerId: 1, primes, rowOffsets, headIndices: [headIndices(14, 4, primes)] });
  t.is(run.tableKind, 'virtual');
  t.is(run.tableRows, 10344164);
  t.is(run.sequences[0]!.alpha.length, 14 * 4);
  t.is(run.sequences[0]!.output.length, 14 * 4 * 1024);
  t.true(run.sequences[0]!.output.every((v) => Number.isFinite(v)));
});

test.serial('runEngramLayer: rejects offsets that are not the prefix sums of the primes and out-of-range head indices', async (t) => {
  const backend = await selectBackend('wasm');
  const input = { config: tinyConfig(2), layerId: 1, primes: PRIMES, rowOffsets: OFFSETS, headIndices: [headIndices(3, 5)] };
  t.snapshot(t.throws(() => runEngramLayer(backend, { ...input, rowOffsets: [0, 11, 25, 41] }))?.message);
  t.snapshot(t.throws(() => runEngramLayer(backend, { ...input, primes: PRIMES.slice(1) }))?.message);
  const bad = headIndices(3, 5);
  bad[6] = 17;
  t.snapshot(t.throws(() => runEngramLayer(backend, { ...input, headIndices: [bad] }))?.message);
  t.snapshot(t.throws(() => runEngramLayer(backend, { ...input, headIndices: [new Int32Array(5)] }))?.message);
});
