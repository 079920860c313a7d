// The bounded-memory check of issue 5 §4: `engram-dse memsim` on Engram traces of 10 M and 100 M 64-byte row reads
// (synthetic, seeded, uniform over an HBM2-sized table), run as a separate process under /usr/bin/time so its
// peak resident memory is measured; the trace file streams through memsim, so the peak should not grow with it.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/core/index.ts';
import { encodeTraceHeader, type TraceHeader } from '../../src/spec/index.ts';

const CLI = fileURLToPath(new URL('../../bin/engram-dse.mjs', import.meta.url));
const LAYERS = 2;
const HEADS = 8;
const ROW_BYTES = 64;
/** Rows per head: 2^22 and up, so 2 x 8 heads of 64-byte rows span 4.3 GB of the 8 GiB hbm2-2000. */
const ROWS_PER_HEAD = 1 << 22;
const TOKENS_PER_WRITE = 1 << 16;

const isPrime = (n: number): boolean => {
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return n > 1;
};
const primeAtLeast = (n: number): number => {
  while (!isPrime(n)) n++;
  return n;
};

/** Writes a trace of `requests` reads (tokens x LAYERS x HEADS) to `file`; row ids uniform within each head's table. */
function writeTrace(file: string, requests: number, seed: string): void {
  const tokens = requests / (LAYERS * HEADS);
  const primes = Array.from({ length: HEADS }, (_, h) => primeAtLeast(ROWS_PER_HEAD + h * 1000));
  const rowOffsets = primes.map((_, h) => primes.slice(0, h).reduce((a, b) => a + b, 0));
  const header: TraceHeader = {
    formatVersion: 1, config: 'bench-uniform', source: `synthetic uniform rows, seed ${seed}`, tokenizer: 'none', tokens,
    sequenceLengths: [tokens], rowBytes: ROW_BYTES,
    layers: Array.from({ length: LAYERS }, (_, l) => ({ layerId: l, primes, rowOffsets })),
  };
  const rng = new Rng(seed);
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, encodeTraceHeader(header));
    const block = new Uint32Array(TOKENS_PER_WRITE * HEADS);
    for (let l = 0; l < LAYERS; l++) {
      for (let t = 0; t < tokens; t += TOKENS_PER_WRITE) {
        const n = Math.min(TOKENS_PER_WRITE, tokens - t);
        for (let i = 0; i < n * HEADS; i++) block[i] = rowOffsets[i % HEADS]! + rng.nextInt(primes[i % HEADS]!);
        writeSync(fd, new Uint8Array(block.buffer, 0, n * HEADS * 4));
      }
    }
  } finally {
    closeSync(fd);
  }
}

export interface LongTraceRun {
  readonly requests: number;
  readonly wallS: number;
  readonly requestsPerWallSecond: number;
  readonly peakRssBytes: number;
  readonly engine: string;
}

/** memsim on traces of each size in `requests`; one run each, or why the check cannot run here. */
export function runLongTraces(requests: readonly number[]): LongTraceRun[] | string {
  if (spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status !== 0) return '/usr/bin/time (GNU time) not found; it measures the peak resident memory';
  const dir = mkdtempSync(path.join(tmpdir(), 'engram-bench-long-trace-'));
  try {
    return requests.map((n) => {
      const file = path.join(dir, `uniform-${n}.trace`);
      writeTrace(file, n, `bench:long-trace:${n}`);
      const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, CLI, 'memsim', '--device', 'hbm2-2000', '--trace-format', 'engram', '--trace', file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 20 });
      rmSync(file);
      if (run.status !== 0) throw new Error(`bench long-trace: memsim on ${n} requests exited ${run.status}: ${run.stderr.trim().slice(-400)}`);
      const out = JSON.parse(run.stdout) as { requests: number; wallSeconds: number; requestsPerWallSecond: number; engine: string };
      const peakKb = Number(run.stderr.trim().split('\n').pop());
      return { requests: out.requests, wallS: out.wallSeconds, requestsPerWallSecond: out.requestsPerWallSecond, peakRssBytes: peakKb * 1024, engine: out.engine };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
