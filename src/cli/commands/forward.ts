// `engram-dse forward`: runs the functional Engram layer(s) of a configuration on a text and prints the gate
// value alpha per token and hyper-connection branch (spec §5), the signal users inspect to see entities light up.
import type { Command } from 'commander';
import {
  activeBackendName, buildHashMapping, compressIds, hashBatch, hashMappingParams, runEngramLayer, selectBackend, TF_BACKEND_ORDER,
  type TfBackendName,
} from '../../model/index.ts';
import type { CliIo } from '../context.ts';
import { loadConfig } from '../configs.ts';
import { parseIntOption, UsageError } from '../parse.ts';
import { resolveTokenizer } from '../tokenizerSource.ts';
import { showValue } from '../../core/index.ts';

interface ForwardOptions {
  config: string;
  text: string;
  layer?: number;
  seed?: number;
  backend?: string;
  json?: boolean;
}

export function register(program: Command, io: CliIo): void {
  program
    .command('forward')
    .description('functional Engram forward pass on a text: gate alpha per token and branch (weights and backbone states are seeded random)')
    .requiredOption('--text <string>', 'text to tokenize with the configuration\'s tokenizer (BOS prepended)')
    .option('--config <name|file>', 'Engram configuration (targets/configs) or a path to one', 'demo')
    .option('--layer <id>', 'run only this Engram layer (default: every layer of the configuration)', parseIntOption('--layer', 0))
    .option('--seed <n>', 'seed of table, weights and mocked hidden states (default: the configuration\'s seed)', parseIntOption('--seed', 0, 2 ** 32 - 1))
    .option('--backend <name>', `tfjs backend (${TF_BACKEND_ORDER.join(', ')}; default: the first that loads)`)
    .option('--json', 'machine-readable output')
    .action(async (opts: ForwardOptions) => {
      const config = loadConfig(opts.config, io.cwd);
      if (opts.layer !== undefined && !config.engram.layerIds.includes(opts.layer)) {
        throw new UsageError(`--layer: expected one of the configuration's layers ${config.engram.layerIds.join(', ')}, got ${opts.layer}`);
      }
      if (opts.backend !== undefined && !(TF_BACKEND_ORDER as readonly string[]).includes(opts.backend)) {
        throw new UsageError(`--backend: expected one of ${TF_BACKEND_ORDER.join(', ')}, got ${showValue(opts.backend)}`);
      }
      const tokenizer = await resolveTokenizer({ tokenizer: config.tokenizer }, io);
      const rawIds = tokenizer.encode!(opts.text);
      const compressed = compressIds(tokenizer.table, rawIds);
      const padCompressed = tokenizer.table.lookup[config.engram.padId]!;
      const mapping = buildHashMapping(hashMappingParams(config, tokenizer.table.compressedVocabSize, padCompressed));
      const hashes = hashBatch(mapping, [compressed]);
      const backend = await selectBackend(opts.backend as TfBackendName | undefined);

      const layers = mapping.layers
        .filter((l) => opts.layer === undefined || l.layerId === opts.layer)
        .map((l) => {
          const run = runEngramLayer(backend, {
            config, layerId: l.layerId, primes: l.primes, rowOffsets: l.rowOffsets, headIndices: hashes.get(l.layerId)!,
            ...(opts.seed === undefined ? {} : { seed: opts.seed }),
          });
          const seq = run.sequences[0]!;
          const m = config.backbone.hcMult;
          const alpha = Array.from({ length: seq.numTokens }, (_, t) => Array.from(seq.alpha.subarray(t * m, (t + 1) * m)));
          return { layerId: l.layerId, tableKind: run.tableKind, tableRows: run.tableRows, seed: run.seed, alpha };
        });
      const keys = tokenizer.table.keys;
      const tokens = Array.from(compressed, (id, t) => ({ t, rawId: rawIds[t]!, compressedId: id, key: keys === null ? null : keys[id] ?? null }));
      const report = { config: config.name, tokenizer: tokenizer.name, backend: activeBackendName(backend), hcMult: config.backbone.hcMult, tokens, layers };
      io.out(opts.json === true ? `${JSON.stringify(report)}\n` : humanReport(report));
    });
}

function humanReport(r: {
  config: string; tokenizer: string; backend: string; hcMult: number;
  tokens: { t: number; rawId: number; compressedId: number; key: string | null }[];
  layers: { layerId: number; tableKind: string; tableRows: number; seed: number; alpha: number[][] }[];
}): string {
  const lines = [`config ${r.config}, tokenizer ${r.tokenizer}, tfjs backend ${r.backend}; weights, table and hidden states are seeded random (seed shown per layer)`];
  for (const layer of r.layers) {
    lines.push('', `layer ${layer.layerId}: ${layer.tableKind} table of ${layer.tableRows} rows, seed ${layer.seed}; gate alpha per branch`);
    const header = ['t', 'id', "id'", 'token', ...Array.from({ length: r.hcMult }, (_, m) => `alpha${m}`)];
    const rows = r.tokens.map((tok, t) => [
      String(t), String(tok.rawId), String(tok.compressedId), JSON.stringify(tok.key ?? '').slice(0, 24),
      ...layer.alpha[t]!.map((a) => a.toFixed(4)),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    for (const row of [header, ...rows]) lines.push(`  ${row.map((c, i) => (i === 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`);
  }
  return `${lines.join('\n')}\n`;
}
