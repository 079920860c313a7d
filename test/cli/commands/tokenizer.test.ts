import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { escapeKey } from '../../../src/cli/commands/tokenizer.ts';
import { runCaptured } from '../../helpers/fakeIo.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'engram-tokenizer-cli-'));
test.after.always(() => rmSync(root, { recursive: true, force: true }));
const io = { cwd: root, cacheDir: path.join(root, 'cache') };
writeFileSync(path.join(root, 'small.json'), JSON.stringify(['<s>', ' ', '\n\n', 'Hello', ' hello', { text: '\uFFFD', token: 'Ã' }, '\u2028']));
writeFileSync(path.join(root, 'bad.json'), JSON.stringify(['<s>', 7]));

test.serial('tokenizer stats: prints V, V\', the reduction and the Table 6 merge groups when run on DeepSeek-V3', async (t) => {
  const r = await runCaptured(['tokenizer', 'stats', '--top', '6'], io);
  t.is(r.code, 0, r.err);
  t.is(r.err, '');
  t.snapshot(r.out);
  t.regex(r.out, /V': +98627\n/);
  t.regex(r.out, /reduction: +23\.435%/);
});

test('tokenizer stats: --json gives the numbers and groups when run on DeepSeek-V3', async (t) => {
  const r = await runCaptured(['tokenizer', 'stats', '--json', '--top', '6'], io);
  t.is(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as { tokenizer: string; rawVocabSize: number; compressedVocabSize: number; reductionPct: number; topMergeGroups: { key: string; size: number }[] };
  t.is(doc.tokenizer, 'deepseek-v3');
  t.is(doc.rawVocabSize, 128815);
  t.is(doc.compressedVocabSize, 98627);
  t.is(doc.reductionPct.toFixed(3), '23.435');
  t.deepEqual(doc.topMergeGroups.map((g) => [g.key, g.size]), [[' ', 163], ['a', 54], ['o', 40], ['e', 35], ['i', 30], ['u', 30]]);
});

test('tokenizer stats: shows escaped keys when given a vocabulary file with white space keys', async (t) => {
  const r = await runCaptured(['tokenizer', 'stats', '--vocab', 'small.json'], io);
  t.is(r.code, 0, r.err);
  t.snapshot(r.out);
});

test('tokenizer stats: reports no reduction when given --identity', async (t) => {
  const r = await runCaptured(['tokenizer', 'stats', '--identity', '1000', '--top', '1', '--json'], io);
  t.is(r.code, 0, r.err);
  t.like(JSON.parse(r.out), { tokenizer: 'identity:1000', rawVocabSize: 1000, compressedVocabSize: 1000, reductionPct: 0 });
});

test('tokenizer stats: bad input gives one line naming the option or file and exit code 2', async (t) => {
  for (const argv of [
    ['--identity', '0'],
    ['--top', 'x'],
    ['--vocab', 'bad.json'],
    ['--vocab', 'nope.json'],
    ['--vocab', 'small.json', '--identity', '3'],
    ['--tokenizer', 'llama'],
  ]) {
    const r = await runCaptured(['tokenizer', 'stats', ...argv], io);
    t.is(r.code, 2, argv.join(' '));
    t.is(r.out, '');
    t.is(r.err.trim().split('\n').length, 1, r.err);
    t.snapshot(r.err, argv.join(' '));
  }
});

test('escapeKey: escapes control, separator and astral private-use characters when shown on a terminal', (t) => {
  t.is(escapeKey(' a\n'), '" a\\n"');
  t.is(escapeKey('\u2028\u00a0x'), '"\\u2028\\u00a0x"');
  t.is(escapeKey('\u{F0000}'), '"\\u{f0000}"');
  t.is(escapeKey('é漢'), '"é漢"');
});
