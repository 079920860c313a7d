// Named serving backbones (targets/backbones/<name>.json) and backbone files given by path: the file-reading
// side of spec/backbone.ts, which itself does no I/O (style.md §2 rule 4). Mirrors cli/configs.ts.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpecError, showValue } from '../core/index.ts';
import { parseJsonText, resolveBackbone, type Backbone } from '../spec/index.ts';
import { UsageError } from './parse.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Repo-relative folder of the named backbones; error messages name files relative to the repo. */
export const BACKBONE_DIR = 'targets/backbones';

// A name is what the schema allows in the `name` field; anything else is taken as a path.
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** Names of the backbones in targets/backbones, sorted. */
export function listBackboneNames(): string[] {
  return readdirSync(path.join(REPO_ROOT, BACKBONE_DIR))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/**
 * Loads and resolves a backbone: `nameOrPath` is either a name in targets/backbones (e.g. `dense-4b`) or a
 * path to a JSON file, relative to `cwd`. A named file must carry its own name in `name`.
 */
export function loadBackbone(nameOrPath: string, cwd: string = process.cwd()): Backbone {
  if (NAME_PATTERN.test(nameOrPath)) {
    const known = listBackboneNames();
    if (!known.includes(nameOrPath)) {
      throw new UsageError(`backbone: unknown backbone ${showValue(nameOrPath)}; expected one of ${known.join(', ')} or a path to a .json file`);
    }
    const file = `${BACKBONE_DIR}/${nameOrPath}.json`;
    const backbone = readBackboneFile(path.join(REPO_ROOT, file), file);
    if (backbone.name !== nameOrPath) {
      throw new SpecError(file, 'name', `expected ${showValue(nameOrPath)} (the file's name), got ${showValue(backbone.name)}`);
    }
    return backbone;
  }
  return readBackboneFile(path.resolve(cwd, nameOrPath), nameOrPath);
}

function readBackboneFile(absolutePath: string, shownAs: string): Backbone {
  let text: string;
  try {
    text = readFileSync(absolutePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new UsageError(`backbone: cannot read ${showValue(shownAs)} (${code})`, { cause: error });
  }
  return resolveBackbone(parseJsonText(text, shownAs), shownAs);
}
