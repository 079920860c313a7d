import test from 'ava';
import { spawnSync } from 'node:child_process';
import { runCaptured } from '../helpers/fakeIo.ts';

test('cli: an unknown option gives one line naming it and exit code 2', async (t) => {
  const r = await runCaptured(['--bogus']);
  t.is(r.code, 2);
  t.is(r.out, '');
  t.is(r.err.trim().split('\n').length, 1);
  t.snapshot(r.err);
});

test('cli: --help lists the commands and exits 0', async (t) => {
  const r = await runCaptured(['--help']);
  t.is(r.code, 0);
  t.regex(r.out, /Usage: engram-dse/);
});

test('cli: the bin launcher runs the TypeScript entry point without a build step', (t) => {
  const r = spawnSync(process.execPath, ['bin/engram-dse.mjs', '--version'], { encoding: 'utf8' });
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^\d+\.\d+\.\d+/);
});

test('cli: bad input through the launcher prints no stack trace', (t) => {
  const r = spawnSync(process.execPath, ['bin/engram-dse.mjs', 'no-such-command'], { encoding: 'utf8' });
  t.is(r.status, 2);
  t.notRegex(r.stderr, /\n\s+at /);
  t.is(r.stderr.trim().split('\n').length, 1);
});
