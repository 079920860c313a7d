import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listTargetNames, loadTarget } from '../../src/cli/targets.ts';
import { makeTempDir } from '../helpers/tempDir.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

function h800Document(): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(repoRoot, 'targets/h800-sxm.json'), 'utf8'));
}

function writeTemp(doc: unknown): string {
  const dir = makeTempDir('engram-targets-');
  const file = path.join(dir, 'target.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

test('targets: lists the top-level target files in sorted order, not configs or memory presets', (t) => {
  t.deepEqual(listTargetNames(), ['alveo-u55c', 'h100-sxm', 'h800-sxm', 'tpu-v5e']);
});

test('targets: every named target loads, points at the generated schema and names itself', (t) => {
  for (const name of listTargetNames()) {
    const target = loadTarget(name);
    t.is(target.name, name);
    t.is(target.$schema, 'schemas/target.schema.json');
  }
});

test('targets: a target given by path loads relative to the working folder', (t) => {
  const file = writeTemp(h800Document());
  t.is(loadTarget(path.basename(file), path.dirname(file)).kind, 'gpu');
});

test('targets: an unknown name is a usage error listing the known targets', (t) => {
  const error = t.throws(() => loadTarget('b200'));
  t.is(error?.name, 'UsageError');
  t.snapshot(error?.message);
});

test('targets: a host DRAM preset that is not in targets/memory is a spec error', (t) => {
  const doc = h800Document();
  ((doc.host as Record<string, unknown>).dram as Record<string, unknown>).preset = 'ddr6-9000';
  const file = writeTemp(doc);
  const error = t.throws(() => loadTarget(file));
  t.is(error?.name, 'SpecError');
  t.snapshot(error?.message.replace(file, '<file>'));
});

test('targets: a missing file is a usage error naming the path as given', (t) => {
  const error = t.throws(() => loadTarget('no/such/target.json', os.tmpdir()));
  t.snapshot(error?.message);
});
