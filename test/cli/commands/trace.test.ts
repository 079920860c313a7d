import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeTrace } from '../../../src/spec/index.ts';
import { runCaptured } from '../../helpers/fakeIo.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const tempDir = (): string => makeTempDir('engram-trace-');

interface TraceJson {
  tokens: number;
  sequences: number;
  rowBytes: number;
  layers: { layerId: number; accesses: number; uniqueRows: number; duplicateRate: number[]; heads: { accesses: number; uniqueRows: number; hotShare: number[] }[] }[];
}

test('trace: a text file is one sequence whose rows match the hash command and the written trace', async (t) => {
  const dir = tempDir();
  const text = 'Only Alexander the Great could tame the horse Bucephalus. '.repeat(20);
  writeFileSync(path.join(dir, 'story.txt'), text);
  const r = await runCaptured(['trace', '--corpus', 'story.txt', '--out', 'story.trace', '--json'], { cwd: dir });
  t.is(r.code, 0, r.err);
  const report = JSON.parse(r.out) as TraceJson;
  t.is(report.sequences, 1);
  t.is(report.rowBytes, 64 * 4);
  const trace = decodeTrace(readFileSync(path.join(dir, 'story.trace')), 'story.trace');
  t.is(trace.header.tokens, report.tokens);
  t.deepEqual(trace.header.layers.map((l) => l.layerId), [1, 15]);

  // The first rows of layer 1 are the spec §3.7 head indices plus row offsets (head 0 of order 2 and of order 3).
  const hash = await runCaptured(['hash', '--text', text, '--layers', '1,15', '--json']);
  const h = (JSON.parse(hash.out) as { layers: Record<string, { hashes: number[][][]; rowOffsets: number[] }> }).layers['1']!;
  const rows = trace.rows[0]!;
  t.deepEqual([rows[0], rows[8]], [h.hashes[0]![0]![0]! + h.rowOffsets[0]!, h.hashes[0]![0]![8]! + h.rowOffsets[8]!]);
  t.is(rows[0], 525894);
  // A sentence repeated 20 times: most 2-gram rows repeat, so the first layer sees heavy duplication.
  t.true(report.layers[0]!.duplicateRate[0]! > 0.8);
  t.is(report.layers[0]!.accesses, report.tokens * 16);
});

test('trace: the Brown corpus is read one sequence per file and cut at --max-tokens', async (t) => {
  const r = await runCaptured(['trace', '--corpus', 'brown', '--max-tokens', '5000', '--json']);
  t.is(r.code, 0, r.err);
  const report = JSON.parse(r.out) as TraceJson;
  t.is(report.tokens, 5000);
  // ca01 and ca02 are whole (2,411 and 2,516 tokens with BOS), ca03 is cut.
  t.is(report.sequences, 3);
  for (const layer of report.layers) {
    for (const head of layer.heads) {
      t.is(head.accesses, 5000);
      t.true(head.uniqueRows <= 5000 && head.uniqueRows > 1000);
      t.true(head.hotShare[0]! <= head.hotShare[1]! && head.hotShare[1]! <= head.hotShare[2]!);
    }
  }
});

test('trace: human output names the corpus, config and one row per head', async (t) => {
  const r = await runCaptured(['trace', '--corpus', 'brown', '--max-tokens', '2000', '--config', 'paper-27b']);
  t.is(r.code, 0, r.err);
  t.regex(r.out, /corpus brown: 1 sequences, 2000 tokens; config paper-27b/);
  t.regex(r.out, /layer 2: 32000 accesses/);
  t.regex(r.out, /row 160 B/);
});

test('trace: bad corpus files and configs give one line with exit code 2', async (t) => {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'empty.txt'), '  \n');
  for (const argv of [
    ['trace', '--corpus', 'missing.txt'],
    ['trace', '--corpus', 'empty.txt'],
    ['trace', '--corpus', 'brown', '--config', 'no-such-config'],
    ['trace', '--corpus', 'brown', '--max-tokens', '0'],
    ['trace'],
  ]) {
    const r = await runCaptured(argv, { cwd: dir });
    t.is(r.code, 2, argv.join(' '));
    t.is(r.err.trim().split('\n').length, 1, r.err);
    t.snapshot(r.err, argv.join(' '));
  }
});
