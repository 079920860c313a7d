// Named hardware targets (targets/<name>.json) and target files given by path: the file-reading side of
// spec/target.ts, which itself does no I/O (style.md §2 rule 4). Mirrors cli/configs.ts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpecError, showValue } from '../core/index.ts';
import { parseJsonText, resolveTarget, type ResolvedTarget } from '../spec/index.ts';
import { UsageError } from './parse.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Repo-relative folder of the named targets (top level only: configs/ and memory/ hold other documents). */
export const TARGET_DIR = 'targets';
/** Host DRAM presets that targets name in host.dram.preset. */
const MEMORY_PRESET_DIR = 'targets/memory';

// A name is what the schema allows in the `name` field; anything else is taken as a path.
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** Names of the targets in targets/*.json, sorted. */
export function listTargetNames(): string[] {
  return readdirSync(path.join(REPO_ROOT, TARGET_DIR), { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => entry.name.slice(0, -'.json'.length))
    .sort();
}

/**
 * Loads and resolves a target: `nameOrPath` is either a name in targets/ (e.g. `h800-sxm`) or a path to
 * a JSON file, relative to `cwd`. A named file must carry its own name in `name`.
 */
export function loadTarget(nameOrPath: string, cwd: string = process.cwd()): ResolvedTarget {
  if (NAME_PATTERN.test(nameOrPath)) {
    const known = listTargetNames();
    if (!known.includes(nameOrPath)) {
      throw new UsageError(`target: unknown target ${showValue(nameOrPath)}; expected one of ${known.join(', ')} or a path to a .json file`);
    }
    const file = `${TARGET_DIR}/${nameOrPath}.json`;
    const target = readTargetFile(path.join(REPO_ROOT, file), file);
    if (target.name !== nameOrPath) {
      throw new SpecError(file, 'name', `expected ${showValue(nameOrPath)} (the file's name), got ${showValue(target.name)}`);
    }
    return target;
  }
  return readTargetFile(path.resolve(cwd, nameOrPath), nameOrPath);
}

function readTargetFile(absolutePath: string, shownAs: string): ResolvedTarget {
  let text: string;
  try {
    text = readFileSync(absolutePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new UsageError(`target: cannot read ${showValue(shownAs)} (${code})`, { cause: error });
  }
  const target = resolveTarget(parseJsonText(text, shownAs), shownAs);
  const preset = target.host?.dram?.preset;
  if (preset !== undefined && !existsSync(path.join(REPO_ROOT, MEMORY_PRESET_DIR, `${preset}.json`))) {
    throw new SpecError(shownAs, 'host.dram.preset', `expected the name of a file in ${MEMORY_PRESET_DIR}, got ${showValue(preset)}`);
  }
  return target;
}
