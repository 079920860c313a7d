import test from 'ava';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBundle } from '../../bin/bundleCache.mjs';
import { bundledEntry } from '../../src/cli/bundle.ts';

// Each test writes its own entry file beside this one (the bundle's sources must lie in the repository) and
// removes it afterwards; the bundles stay in node_modules/.cache like any other.
function fixture(t: { teardown(fn: () => void): void }, name: string, body: string): URL {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), `.${name}-${process.pid}.ts`);
  writeFileSync(file, body);
  t.teardown(() => rmSync(file, { force: true }));
  return pathToFileURL(file);
}

/** Removes bundle `name` (code, map, manifest) from the cache once the test is over. */
function dropBundle(t: { teardown(fn: () => void): void }, name: string, bundles: () => (URL | undefined)[]): void {
  t.teardown(() => {
    for (const bundle of bundles()) {
      if (bundle === undefined) continue;
      const file = fileURLToPath(bundle);
      for (const f of [file, `${file}.map`, path.join(path.dirname(file), `${name}.json`)]) rmSync(f, { force: true });
    }
  });
}

const BODY = [
  "import { canonicalJson } from '../../src/core/index.ts';",
  'export const ownUrl = import.meta.url;',
  "export const text = canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] });",
  '',
].join('\n');

test('bundledEntry: the bundle runs the sources, and every module keeps its own import.meta.url', async (t) => {
  const entry = fixture(t, 'bundle-fixture', BODY);
  const name = `test-bundle-${process.pid}`;
  const bundle = await bundledEntry(entry, name);
  dropBundle(t, name, () => [bundle]);
  if (bundle === undefined) return t.fail('no bundle was built');
  t.true(fileURLToPath(bundle).includes(path.join('node_modules', '.cache', 'engram-codesign', 'bundles')));
  const loaded = (await import(bundle.href)) as { ownUrl: string; text: string };
  t.is(loaded.ownUrl, entry.href);
  t.is(loaded.text, '{"a":[2,{"c":4,"d":3}],"b":1}');
  t.true(readFileSync(`${fileURLToPath(bundle)}.map`, 'utf8').includes('bundle-fixture'));
});

test('bundledEntry: a changed source makes the cached bundle stale, and the next call builds it again', async (t) => {
  const name = `test-bundle-stale-${process.pid}`;
  const entry = fixture(t, 'bundle-stale', BODY);
  const built: (URL | undefined)[] = [];
  dropBundle(t, name, () => built);
  const first = await bundledEntry(entry, name);
  built.push(first);
  t.is(freshBundle(name), first === undefined ? undefined : fileURLToPath(first));
  t.not(first, undefined);
  writeFileSync(fileURLToPath(entry), `${BODY}export const added = 'changed';\n`);
  t.is(freshBundle(name), undefined);
  const second = await bundledEntry(entry, name);
  built.push(second);
  if (second === undefined) return t.fail('no bundle was built after the change');
  t.not(second.href, first!.href);
  t.is(((await import(second.href)) as { added: string }).added, 'changed');
});

test.serial('bundledEntry: ENGRAM_BUNDLE=off gives no bundle (the caller loads the TypeScript through tsx)', async (t) => {
  const entry = fixture(t, 'bundle-off', BODY);
  const before = process.env.ENGRAM_BUNDLE;
  process.env.ENGRAM_BUNDLE = 'off';
  t.teardown(() => {
    if (before === undefined) delete process.env.ENGRAM_BUNDLE;
    else process.env.ENGRAM_BUNDLE = before;
  });
  t.is(await bundledEntry(entry, `test-bundle-off-${process.pid}`), undefined);
});
