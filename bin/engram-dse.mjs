#!/usr/bin/env node
// Launcher: runs the CLI from a cached bundle of its TypeScript (bin/bundleCache.mjs), built again whenever
// a source changed; without one (ENGRAM_BUNDLE=off, or the build failing) through tsx. No build step either way.
import { pathToFileURL } from 'node:url';
import { bundlesEnabled, freshBundle } from './bundleCache.mjs';

const fresh = bundlesEnabled() ? freshBundle('engram-dse') : undefined;
if (fresh !== undefined) {
  await import(pathToFileURL(fresh).href);
} else {
  const { register } = await import('tsx/esm/api');
  const unregister = register();
  const { bundledEntry } = await import('../src/cli/bundle.ts');
  const built = await bundledEntry(new URL('../src/cli/main.ts', import.meta.url), 'engram-dse');
  if (built !== undefined) {
    await unregister();
    await import(built.href);
  } else {
    await import('../src/cli/main.ts');
  }
}
