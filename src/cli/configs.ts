// Named Engram configurations (targets/configs/<name>.json) and config files given by path: the
// file-reading side of spec/engramConfig.ts, which itself does no I/O (style.md §2 rule 4).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpecError, showValue } from '../core/index.ts';
import { parseJsonText, resolveEngramConfig, type EngramConfig } from '../spec/index.ts';
import { UsageError } from './parse.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Repo-relative folder of the named configurations; error messages name files relative to the repo. */
export const CONFIG_DIR = 'targets/configs';

// A name is what the schema allows in the `name` field; anything else is taken as a path.
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** Names of the configurations in targets/configs, sorted. */
export function listConfigNames(): string[] {
  return readdirSync(path.join(REPO_ROOT, CONFIG_DIR))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/**
 * Loads and resolves a configuration: `nameOrPath` is either a name in targets/configs (e.g. `demo`)
 * or a path to a JSON file, relative to `cwd`. A named file must carry its own name in `name`.
 */
export function loadConfig(nameOrPath: string, cwd: string = process.cwd()): EngramConfig {
  if (NAME_PATTERN.test(nameOrPath)) {
    const known = listConfigNames();
    if (!known.includes(nameOrPath)) {
      throw new UsageError(
        `config: unknown configuration ${showValue(nameOrPath)}; expected one of ${known.join(', ')} or a path to a .json file`,
      );
    }
    const file = `${CONFIG_DIR}/${nameOrPath}.json`;
    const config = readConfigFile(path.join(REPO_ROOT, file), file);
    if (config.name !== nameOrPath) {
      throw new SpecError(file, 'name', `expected ${showValue(nameOrPath)} (the file's name), got ${showValue(config.name)}`);
    }
    return config;
  }
  return readConfigFile(path.resolve(cwd, nameOrPath), nameOrPath);
}

function readConfigFile(absolutePath: string, shownAs: string): EngramConfig {
  let text: string;
  try {
    text = readFileSync(absolutePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new UsageError(`config: cannot read ${showValue(shownAs)} (${code})`, { cause: error });
  }
  return resolveEngramConfig(parseJsonText(text, shownAs), shownAs);
}
