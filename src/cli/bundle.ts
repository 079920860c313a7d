// Builds the esbuild bundles that the launcher and the sweep's worker threads start from (the cache and why:
// bin/bundleCache.mjs). A bundle holds every TypeScript module its entry reaches and imports packages from
// node_modules as the sources do. Each module keeps its own import.meta.url (the bundle replaces it with the
// module's source URL), so paths that modules resolve from their own location (targets/, sim/build/) do not
// move with the bundle. Any failure returns undefined and the caller loads the TypeScript through tsx.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUNDLE_DIR, ROOT, bundlesEnabled, cacheWritable, freshBundle, storeBundle } from '../../bin/bundleCache.mjs';

interface EsbuildPluginBuild {
  onLoad(options: { filter: RegExp }, callback: (args: { path: string }) => { contents: string; loader: 'ts' | 'js' }): void;
}
interface EsbuildResult {
  outputFiles: { path: string; text: string }[];
  metafile: { inputs: Record<string, unknown> };
}
type EsbuildBuild = (options: Record<string, unknown>) => Promise<EsbuildResult>;

/** Spelled in pieces: this file is bundled too, and the text itself would be replaced in its own copy. */
const IMPORT_META_URL = ['import', 'meta', 'url'].join('.');

/** A file URL of the bundle of `entry` (fresh from the cache or built now), or undefined. */
export async function bundledEntry(entry: URL, name: string): Promise<URL | undefined> {
  if (!bundlesEnabled()) return undefined;
  const fresh = freshBundle(name);
  if (fresh !== undefined) return pathToFileURL(fresh);
  if (!cacheWritable()) return undefined;
  try {
    const { build } = (await import('esbuild')) as unknown as { build: EsbuildBuild };
    /** Size and modification time of each source as it was read. */
    const read = new Map<string, [number, number]>();
    const result = await build({
      entryPoints: [fileURLToPath(entry)],
      absWorkingDir: ROOT,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      sourcemap: 'external',
      // Where the bundle is stored, so the source map's relative paths lead back to the sources.
      outdir: BUNDLE_DIR,
      metafile: true,
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'source-import-meta-url',
          setup(pluginBuild: EsbuildPluginBuild) {
            // The sources and bin/bundleCache.mjs (packages stay outside the bundle).
            pluginBuild.onLoad({ filter: /\.m?[jt]s$/ }, (args) => {
              const stat = statSync(args.path);
              read.set(args.path, [stat.size, stat.mtimeMs]);
              const source = readFileSync(args.path, 'utf8');
              return { contents: source.replaceAll(IMPORT_META_URL, JSON.stringify(pathToFileURL(args.path).href)), loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
            });
          },
        },
      ],
    });
    const code = result.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
    const map = result.outputFiles.find((f) => f.path.endsWith('.map'))!.text;
    const inputs = Object.keys(result.metafile.inputs).map((file): [string, number, number] => {
      const absolute = path.join(ROOT, file);
      const [size, mtimeMs] = read.get(absolute) ?? [statSync(absolute).size, statSync(absolute).mtimeMs];
      return [file, size, mtimeMs];
    });
    const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
    return pathToFileURL(storeBundle(name, hash, code.replace(/\/\/# sourceMappingURL=.*\n?$/, ''), map, inputs));
  } catch {
    return undefined;
  }
}
