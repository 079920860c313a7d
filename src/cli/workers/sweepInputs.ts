// The files a sweep reads: the spec (YAML or JSON), the cost figures, and every named target and Engram
// configuration, resolved once here and handed to the evaluators (in any thread) as plain data.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { SpecError, canonicalJson, sha256Hex, showValue } from '../../core/index.ts';
import type { EvaluatorContext } from '../../dse/index.ts';
import { parseJsonText, parseSweepSpec, resolveCosts, type Costs, type SweepSpec } from '../../spec/index.ts';
import { listBackboneNames, loadBackbone } from '../backbones.ts';
import { MEMORY_PRESET_DIR, memoryPresetNames } from '../commands/memsim.ts';
import { listConfigNames, loadConfig } from '../configs.ts';
import { UsageError } from '../parse.ts';
import { listTargetNames, loadTarget } from '../targets.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Repo-relative default of --costs. */
export const DEFAULT_COSTS_FILE = 'targets/costs/default.json';

function readText(absolutePath: string, shownAs: string, what: string): string {
  try {
    return readFileSync(absolutePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new UsageError(`${what}: cannot read ${showValue(shownAs)} (${code})`, { cause: error });
  }
}

/** Reads a sweep spec: `.yaml`/`.yml` as YAML (duplicate keys are errors), `.json` as JSON. */
export function loadSweepSpec(file: string, cwd: string): SweepSpec {
  const ext = path.extname(file).toLowerCase();
  if (!['.yaml', '.yml', '.json'].includes(ext)) throw new UsageError(`SPEC: expected a .yaml, .yml or .json file, got ${showValue(file)}`);
  const text = readText(path.resolve(cwd, file), file, 'SPEC');
  let data: unknown;
  if (ext === '.json') data = parseJsonText(text, file);
  else {
    try {
      data = parseYaml(text, { uniqueKeys: true, prettyErrors: true });
    } catch (error) {
      throw new SpecError(file, '', `not valid YAML (${(error as Error).message.split('\n')[0]})`, { cause: error });
    }
  }
  return parseSweepSpec(data, file);
}

export function loadCosts(file: string | undefined, cwd: string): { costs: Costs; shownAs: string; absolutePath: string } {
  const shownAs = file ?? DEFAULT_COSTS_FILE;
  const absolutePath = file === undefined ? path.join(REPO_ROOT, DEFAULT_COSTS_FILE) : path.resolve(cwd, file);
  return { costs: resolveCosts(parseJsonText(readText(absolutePath, shownAs, '--costs'), shownAs), shownAs), shownAs, absolutePath };
}

/** All named targets, configurations, backbones and memory presets plus the costs; small enough to load whole for every sweep. */
export function loadEvaluatorContext(costs: Costs, cwd: string): EvaluatorContext {
  const targets = Object.fromEntries(listTargetNames().map((name) => [name, loadTarget(name, cwd)]));
  const configs = Object.fromEntries(listConfigNames().map((name) => [name, loadConfig(name, cwd)]));
  const backbones = Object.fromEntries(listBackboneNames().map((name) => [name, loadBackbone(name, cwd)]));
  const memoryPresets = Object.fromEntries(
    memoryPresetNames().map((name) => {
      const file = `targets/memory/${name}.json`;
      return [name, parseJsonText(readText(path.join(MEMORY_PRESET_DIR, `${name}.json`), file, 'memory preset'), file)];
    }),
  );
  return { targets, configs, costs, backbones, memoryPresets };
}

/** Fingerprint of what evaluators read besides the point: a stored sweep resumes or merges only with the same. */
export function contextSha256(context: EvaluatorContext): string {
  return sha256Hex(canonicalJson(context));
}
