// The compiled DRAM core built natively (sim/dramcore/dram_core.cpp behind native_main.cpp, g++ -O2) and run as a
// child process: this file streams the trace's records to it over a pipe while the stream is still being read,
// so parsing a trace and simulating it run on two cores at once, and turns its output into the SimulationSummary
// simulate() returns. The protocol is in native_main.cpp's header; the parameter block, record checks and
// result decoding are compiledCore.ts's, shared with the WebAssembly build, and the results equal the TypeScript
// model's field for field (test/memory/compiledCore.test.ts). The CLI builds the binary and passes its path.
import { spawn } from 'node:child_process';
import { SimError } from '../core/index.ts';
import { checkCoreLayout, checkCoreRun, coreParameterBlock, RecordFeeder, RECORD_DOUBLES, RESULTS, summaryFromCore } from './compiledCore.ts';
import type { DramOptions } from './dram/dramDevice.ts';
import type { ResolvedDramPreset } from './dram/resolvePreset.ts';
import type { SimulationSummary } from './simulate.ts';
import type { RequestStream, TraceDriverOptions } from './traceDriver.ts';

const HEADER_DOUBLES = 5;
const BYTES = Float64Array.BYTES_PER_ELEMENT;

/** The native core's output after its header: result block, histogram buckets, batch times. */
function decodeOutput(binary: string, preset: ResolvedDramPreset, options: TraceDriverOptions, out: Buffer, buckets: number): SimulationSummary {
  const doubles = new Float64Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.length - (out.length % BYTES)));
  const fixed = RESULTS.length + buckets;
  const res = doubles.subarray(0, RESULTS.length);
  const batchCount = res[RESULTS.indexOf('batches')] ?? NaN;
  if (doubles.length < fixed || doubles.length !== fixed + batchCount) {
    throw new SimError(`native memsim core ${binary}: output: expected ${RESULTS.length} results, ${buckets} histogram buckets and the batch times, got ${out.length} bytes`);
  }
  return summaryFromCore(preset, options, res, doubles.subarray(RESULTS.length, fixed), doubles.subarray(fixed));
}

/**
 * Replays `stream` on a DRAM device built from `preset` and `dramOptions` in the native core `binary` (built by
 * sim/dramcore/build.sh native), with the driver `options`; resolves to what simulate() returns for the same run.
 * Rejects with SimError for the same bad input as the TypeScript model, for a binary of another layout, when the
 * binary fails, and when the run stalls. Memory stays bounded: records cross the pipe in blocks of the core's
 * input capacity, waiting for the pipe to drain.
 */
export async function simulateNative(
  binary: string,
  preset: ResolvedDramPreset,
  dramOptions: DramOptions,
  stream: RequestStream,
  options: TraceDriverOptions,
): Promise<SimulationSummary> {
  checkCoreRun(preset, dramOptions, options);
  const params = coreParameterBlock(preset, dramOptions, options);
  const feeder = new RecordFeeder(stream, options.mode === 'batched', preset.name);
  const child = spawn(binary, ['serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let received = 0;
  let stderr = '';
  let header: Float64Array | null = null;
  // Settles when the header has arrived or the child has gone, whichever comes first.
  let headerOrExit!: () => void;
  const headerSeen = new Promise<void>((resolve) => (headerOrExit = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    received += chunk.length;
    if (header === null && received >= HEADER_DOUBLES * BYTES) {
      const all = Buffer.concat(chunks);
      header = new Float64Array(all.buffer.slice(all.byteOffset, all.byteOffset + HEADER_DOUBLES * BYTES));
      chunks.splice(0, chunks.length, all.subarray(HEADER_DOUBLES * BYTES));
      headerOrExit();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });
  // The child may exit before it has read everything (a stalled run ends early): writes then fail with EPIPE,
  // which the exit status and output explain better.
  child.stdin.on('error', () => {});
  let exitError: Error | null = null;
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (error) => {
      exitError = error;
      resolve(null);
    });
    child.on('close', (code) => resolve(code));
  });
  let closed = false;
  void exited.then(() => {
    closed = true;
    headerOrExit();
  });
  const failure = (what: string): SimError => new SimError(`native memsim core ${binary}: ${what}${stderr.trim() === '' ? '' : `: ${stderr.trim()}`}`);
  try {
    await headerSeen;
    if (header === null) {
      const code = await exited;
      throw failure(exitError === null ? `exited with code ${code} before its header` : (exitError as Error).message);
    }
    const h: Float64Array = header;
    checkCoreLayout([h[0]!, h[1]!], `${binary} is a build of another version of sim/dramcore; rebuild with bash sim/dramcore/build.sh native`);
    const [buckets, capacity, perRecord] = [h[2]!, h[3]!, h[4]!];
    if (perRecord !== RECORD_DOUBLES || !(capacity >= 1)) throw failure(`header: expected ${RECORD_DOUBLES} doubles a record and a positive input capacity, got ${perRecord} and ${capacity}`);
    child.stdin.write(new Uint8Array(params.buffer));
    for (;;) {
      const block = new Float64Array(1 + capacity * RECORD_DOUBLES);
      const n = feeder.fill(block.subarray(1), capacity);
      block[0] = n;
      if (closed) break;
      const flushed = child.stdin.write(new Uint8Array(block.buffer, 0, (1 + n * RECORD_DOUBLES) * BYTES));
      if (n === 0) break;
      if (!flushed) await Promise.race([new Promise((resolve) => child.stdin.once('drain', resolve)), exited]);
    }
    child.stdin.end();
    const code = await exited;
    if (code !== 0) throw failure(exitError === null ? `exited with code ${code}` : (exitError as Error).message);
    return decodeOutput(binary, preset, options, Buffer.concat(chunks), buckets);
  } finally {
    if (!closed) child.kill();
  }
}
