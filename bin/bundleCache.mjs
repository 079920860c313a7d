// The cache of esbuild bundles that the launcher (engram-dse.mjs) and the sweep's worker threads start from
// instead of loading several hundred TypeScript modules through tsx's loader hooks (each a round trip to the
// hooks thread: 1.1 s before `engram-dse --help` printed, 0.5-1.0 s per sweep worker). src/cli/bundle.ts
// builds them; this file only finds and stores them, in plain JavaScript so the launcher can use it before
// anything can load TypeScript.
//
// A bundle lives in the repository's node_modules/.cache so the packages it imports resolve as from the
// sources. Its manifest lists every source file it was built from with size and modification time; a change
// to any of them makes it stale, and the next start builds it again. Bundles are named by their content and
// written to a temporary name first, so processes starting at once never read a half-written file.
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', 'engram-codesign', 'bundles');
/** A process reads the manifest and loads the bundle it names within milliseconds; a minute is ample. */
const PRUNE_AFTER_MS = 60_000;

/** ENGRAM_BUNDLE=off loads the TypeScript through tsx everywhere (no cache is read or written). */
export function bundlesEnabled() {
  return process.env.ENGRAM_BUNDLE !== 'off';
}

/** Whether bundles can be stored (a read-only install skips building them rather than build on every start). */
export function cacheWritable() {
  try {
    mkdirSync(BUNDLE_DIR, { recursive: true });
    accessSync(BUNDLE_DIR, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of bundle `name` if it exists and no source it was built from has changed. */
export function freshBundle(name) {
  try {
    const manifest = JSON.parse(readFileSync(path.join(BUNDLE_DIR, `${name}.json`), 'utf8'));
    const bundle = path.join(BUNDLE_DIR, manifest.bundle);
    statSync(bundle);
    for (const [file, size, mtimeMs] of manifest.inputs) {
      const stat = statSync(path.join(ROOT, file));
      if (stat.size !== size || stat.mtimeMs !== mtimeMs) return undefined;
    }
    return bundle;
  } catch {
    return undefined;
  }
}

/**
 * Stores bundle `name`: its code (named `<name>-<hash>.mjs`), its source map beside it, and its manifest of
 * `inputs`, each [path relative to the repository root, size, mtimeMs] as read before the build. Returns the
 * bundle's absolute path.
 */
export function storeBundle(name, hash, code, map, inputs) {
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const file = `${name}-${hash}.mjs`;
  const bundle = path.join(BUNDLE_DIR, file);
  writeAtomically(`${bundle}.map`, map);
  writeAtomically(bundle, `${code}//# sourceMappingURL=${file}.map\n`);
  writeAtomically(path.join(BUNDLE_DIR, `${name}.json`), JSON.stringify({ bundle: file, inputs }));
  pruneOlder(name, file);
  return bundle;
}

/** Older builds of bundle `name` (every source edit leaves one): removed once no starting process can still want them. */
function pruneOlder(name, current) {
  const pattern = new RegExp(`^${name.replace(/[^\w-]/g, '')}-[0-9a-f]{16}\\.mjs(\\.map)?$`);
  try {
    for (const entry of readdirSync(BUNDLE_DIR)) {
      if (!pattern.test(entry) || entry.startsWith(current)) continue;
      const file = path.join(BUNDLE_DIR, entry);
      if (Date.now() - statSync(file).mtimeMs > PRUNE_AFTER_MS) rmSync(file, { force: true });
    }
  } catch {
    // Pruning is housekeeping: a file another process removed first, or a read-only cache, changes nothing.
  }
}

function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
