// The project's test command: type-check, lint, import-boundary check, then every ava test.
// Prints ava's TAP and ends with one line `N passed, N failed[, N skipped]` (static checks count as tests).
import { spawn } from 'node:child_process';

const avaOnly = process.argv.includes('--ava-only');
const avaArgs = process.argv.slice(2).filter((a) => a !== '--ava-only');

function run(cmd, args, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    let out = '';
    if (capture) child.stdout.on('data', (d) => { process.stdout.write(d); out += d; });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

let passed = 0, failed = 0, skipped = 0;
const node = process.execPath;
const checks = avaOnly ? [] : [
  ['type-check (tsc --noEmit)', ['node_modules/typescript/bin/tsc', '-p', '.', '--noEmit']],
  ['lint (eslint)', ['node_modules/eslint/bin/eslint.js', '--max-warnings', '0', 'src', 'test', 'scripts']],
  ['import boundaries (dependency-cruiser)', ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err']],
];
for (const [name, args] of checks) {
  const { code } = await run(node, args);
  if (code === 0) { passed++; console.log(`ok - ${name}`); } else { failed++; console.log(`not ok - ${name} (exit ${code})`); }
}

const child = spawn(node, ['node_modules/ava/entrypoints/cli.mjs', '--tap', ...avaArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
let buf = '';
const handle = (line) => {
  const m = /^(not ok|ok)\b/.exec(line);
  if (!m) return;
  if (/#\s*(SKIP|TODO)\b/i.test(line)) skipped++; else if (m[1] === 'ok') passed++; else failed++;
};
child.stdout.on('data', (d) => {
  process.stdout.write(d);
  buf += d; const lines = buf.split('\n'); buf = lines.pop(); lines.forEach(handle);
});
child.on('close', (code) => {
  if (buf) handle(buf);
  if (code !== 0 && failed === 0) failed++;
  console.log(`\n${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
  process.exit(failed ? 1 : 0);
});
