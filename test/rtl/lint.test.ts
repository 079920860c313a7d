// The RTL is lint-clean under `verilator --lint-only -Wall` (style.md convention 13) for the default
// parameters and for edge shapes; bad parameters stop elaboration with a message naming the parameter.
import test from 'ava';
import { gatedTest } from '../helpers/toolGate.ts';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const RTL = path.resolve(import.meta.dirname, '..', '..', 'rtl');
const sources = readdirSync(RTL).filter((f) => f.endsWith('.sv')).map((f) => path.join(RTL, f));
const missing = spawnSync('sh', ['-c', 'command -v verilator']).status === 0 ? null : 'verilator not installed (scripts/install-tools.sh)';
const lintTest = gatedTest(missing);

function lint(params: readonly string[]): { code: number | null; output: string } {
  const r = spawnSync('verilator', ['--lint-only', '-Wall', '--top-module', 'engram_hash_gather', ...params.map((p) => `-G${p}`), ...sources], { encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

const SHAPES: ReadonlyArray<readonly string[]> = [
  [],
  ['PORTS=1'],
  ['PORTS=3', 'DEPTH=4'],
  ['MAX_N=2', 'HEADS=2', 'PORTS=2', 'DEPTH=2'],
  ['MAX_N=4', 'HEADS=5', 'PORTS=7', 'DEPTH=32', 'DATA_W=256'],
];

lintTest(`rtl: verilator --lint-only -Wall reports nothing for the default and edge parameter sets${missing === null ? '' : ` (skipped: ${missing})`}`, (t) => {
  for (const params of SHAPES) t.deepEqual(lint(params), { code: 0, output: '' }, params.join(' ') || 'defaults');
});

lintTest(`rtl: elaboration stops naming the parameter when DEPTH is not a power of two${missing === null ? '' : ` (skipped: ${missing})`}`, (t) => {
  const r = lint(['DEPTH=6']);
  t.not(r.code, 0);
  t.regex(r.output, /DEPTH must be a power of two, at least 2/);
});

test('rtl: one module per file, named after the file, with lowRISC clock and reset names', (t) => {
  t.true(sources.length >= 8);
  for (const file of sources) {
    const text = readFileSync(file, 'utf8');
    const modules = [...text.matchAll(/^module\s+(\w+)/gm)].map((m) => m[1]);
    t.deepEqual(modules, [path.basename(file, '.sv')], file);
    if (text.includes('always_ff')) t.regex(text, /input\s+logic\s+clk_i/, file);
  }
});
