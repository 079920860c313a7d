import test from 'ava';
import { activeBackendName, selectBackend } from '../../../src/model/index.ts';

test.serial('backend: with no preference, picks tfjs-node if installed, else wasm, and says what it skipped', async (t) => {
  const backend = await selectBackend();
  t.not(backend.name, 'cpu');
  if (backend.name === 'wasm') {
    t.deepEqual(backend.skipped.map((s) => s.name), ['tensorflow']);
    t.regex(backend.skipped[0]!.reason, /tfjs-node/);
  } else {
    t.deepEqual(backend.skipped, []);
  }
  t.is(activeBackendName(backend), backend.name);
});

test.serial('backend: a named backend becomes the active one and the earlier handle sees the switch', async (t) => {
  const wasm = await selectBackend('wasm');
  const cpu = await selectBackend('cpu');
  t.is(cpu.name, 'cpu');
  t.is(activeBackendName(wasm), 'cpu');
});

test.serial('backend: an unknown backend name is rejected with the list of known ones', async (t) => {
  const error = await t.throwsAsync(() => selectBackend('webgpu' as 'cpu'));
  t.is(error?.name, 'ModelError');
  t.snapshot(error?.message);
});
