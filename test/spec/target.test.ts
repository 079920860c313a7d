import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveTarget, type ResolvedFpgaTarget, type ResolvedSystolicTarget } from '../../src/spec/index.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const TARGET_FILES = ['h800-sxm', 'h100-sxm', 'tpu-v5e', 'alveo-u55c'];

function document(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(repoRoot, 'targets', `${name}.json`), 'utf8'));
}

function messageOf(t: { throws: (fn: () => unknown) => Error | undefined }, doc: unknown): string | undefined {
  return t.throws(() => resolveTarget(doc, 'targets/x.json'))?.message;
}

test('target: every shipped target parses, resolves and is deeply frozen', (t) => {
  for (const name of TARGET_FILES) {
    const target = resolveTarget(document(name), `targets/${name}.json`);
    t.is(target.name, name);
    t.true(Object.isFrozen(target));
    t.true(Object.isFrozen(target.derived));
  }
});

test('target: the H800 SXM has the H100 SXM tensor-core peaks, SMs and HBM when read from facts.md §D1', (t) => {
  const h800 = resolveTarget(document('h800-sxm'), 'h800');
  const h100 = resolveTarget(document('h100-sxm'), 'h100');
  if (h800.kind !== 'gpu' || h100.kind !== 'gpu') return t.fail('expected gpu targets');
  const numbers = (g: typeof h800) => ({ ...g.compute, provenance: undefined, memory: { ...g.memory, provenance: undefined } });
  t.deepEqual(numbers(h800), numbers(h100));
  t.deepEqual(h800.derived.peakTflops, { fp8: 1979, bf16: 989.5 });
  t.is(h800.compute.provenance.confidence, 'MED');
  t.is(h100.compute.provenance.confidence, 'HIGH');
});

test('target: tpu-v5e derives 4 x 128 x 128 MACs per cycle and 196.6 TFLOPS at 1500 MHz for both formats', (t) => {
  const tpu = resolveTarget(document('tpu-v5e'), 'tpu') as ResolvedSystolicTarget;
  t.deepEqual(tpu.derived.macsPerCycle, { fp8: 65536, bf16: 65536 });
  t.is(tpu.derived.peakTflops.bf16, 196.608);
  t.is(tpu.derived.bufferBytes, 128 * 2 ** 20);
});

test('target: alveo-u55c widens 128 DSP columns to 384 FP8 or 256 BF16 product columns and sums BRAM and URAM', (t) => {
  const fpga = resolveTarget(document('alveo-u55c'), 'fpga') as ResolvedFpgaTarget;
  t.deepEqual(fpga.derived.arrayCols, { fp8: 384, bf16: 256 });
  t.is(fpga.derived.dspsUsed, 8192);
  t.is(fpga.derived.peakTflops.fp8, (64 * 384 * 2 * 300) / 1e6);
  t.is(fpga.derived.bufferBytes, 2016 * 4096 + 960 * 32768);
});

test('target: an unknown key is rejected with its path at the top level and inside a section', (t) => {
  const top = { ...document('h800-sxm'), peakTflops: 1979 };
  t.snapshot(messageOf(t, top));
  const nested = document('tpu-v5e');
  (nested.array as Record<string, unknown>).mxuCount = 4;
  t.snapshot(messageOf(t, nested));
});

test('target: an unknown kind is rejected naming the kinds the schema knows', (t) => {
  t.snapshot(messageOf(t, { ...document('h800-sxm'), kind: 'tpu' }));
});

test('target: a DERIVED or ASSUMPTION provenance without a note is rejected', (t) => {
  const doc = document('alveo-u55c');
  delete ((doc.clock as Record<string, unknown>).provenance as Record<string, unknown>).note;
  t.snapshot(messageOf(t, doc));
});

test('target: a systolic clock that contradicts the datasheet peak by more than 1% is rejected', (t) => {
  const doc = document('tpu-v5e');
  (doc.clock as Record<string, unknown>).clockMHz = 940;
  t.snapshot(messageOf(t, doc));
});

test('target: an FPGA array with more DSPs than the device is rejected', (t) => {
  const doc = document('alveo-u55c');
  (doc.array as Record<string, unknown>).rows = 128;
  t.snapshot(messageOf(t, doc));
});

test('target: a repeated dataflow and a non-integer SM count are rejected with their field paths', (t) => {
  const doc = document('tpu-v5e');
  (doc.dataflow as Record<string, unknown>).supported = ['ws', 'ws'];
  t.snapshot(messageOf(t, doc));
  const gpu = document('h100-sxm');
  (gpu.compute as Record<string, unknown>).smCount = 132.5;
  t.snapshot(messageOf(t, gpu));
});
