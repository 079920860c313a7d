// The native fallback: the same harness compiled with g++ (sim/build.sh native) and spawned as a child
// process, spoken to over stdin/stdout in frames of little-endian 32-bit words (sim/harness/hg_native.cpp).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { SimError, showValue } from '../core/index.ts';
import { envWords } from './harnessEnv.ts';
import { paramsFromWords, type HashGatherDut } from './dut.ts';
import { unitHeads, type DutRun, type EnvConfig, type TokenStream, type UnitParams } from './types.ts';

const OP = Object.freeze({ quit: 0, params: 1, reset: 2, writeRegs: 3, readReg: 4, setEnv: 5, run: 6, traceOpen: 7, traceClose: 8 });

interface Pending {
  resolve: (payload: Uint32Array) => void;
  reject: (error: Error) => void;
}

export class NativeDut implements HashGatherDut {
  readonly backend = 'native' as const;
  private pending: Pending[] = [];
  // Received bytes not yet consumed: chunks are joined only once a whole frame is present, since one
  // run's reply can be tens of megabytes.
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  private stderrTail = '';
  private exited: Error | null = null;
  params!: UnitParams;
  traceCapable = false;

  private constructor(private readonly child: ChildProcessWithoutNullStreams, private readonly binary: string) {
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    child.on('error', (error) => this.fail(new SimError(`native model ${binary}: ${error.message}`, { cause: error })));
    child.on('exit', (code, signal) => this.fail(new SimError(`native model ${binary} exited (${signal ?? `code ${code}`})${this.stderrTail === '' ? '' : `: ${this.stderrTail.trim()}`}`)));
  }

  /** Spawns the harness binary and reads its build parameters. */
  static async spawn(binary: string): Promise<NativeDut> {
    const dut = new NativeDut(spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] }), binary);
    const { params, trace } = paramsFromWords(await dut.call(OP.params, []));
    dut.params = params;
    dut.traceCapable = trace;
    return dut;
  }

  private fail(error: Error): void {
    this.exited ??= error;
    for (const p of this.pending.splice(0)) p.reject(error);
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.chunkBytes += chunk.length;
    for (;;) {
      if (this.chunkBytes < 8) return;
      if (this.chunks[0]!.length < 8) this.chunks = [Buffer.concat(this.chunks)];
      const head = this.chunks[0]!;
      const status = head.readUInt32LE(0);
      const n = head.readUInt32LE(4);
      const frameBytes = 8 + 4 * n;
      if (this.chunkBytes < frameBytes) return;
      const all = this.chunks.length === 1 ? head : Buffer.concat(this.chunks);
      const payload = new Uint32Array(n);
      // Copy through an aligned buffer (the frame may start at any byte offset).
      new Uint8Array(payload.buffer).set(all.subarray(8, frameBytes));
      const rest = all.subarray(frameBytes);
      this.chunks = rest.length === 0 ? [] : [rest];
      this.chunkBytes = rest.length;
      const waiter = this.pending.shift();
      if (waiter === undefined) continue;
      if (status === 0) waiter.resolve(payload);
      else waiter.reject(new SimError(`native model ${this.binary}: request refused (status ${status})`));
    }
  }

  private call(op: number, payload: ArrayLike<number>): Promise<Uint32Array> {
    if (this.exited !== null) return Promise.reject(this.exited);
    const frame = Buffer.alloc(8 + 4 * payload.length);
    frame.writeUInt32LE(op, 0);
    frame.writeUInt32LE(payload.length, 4);
    for (let i = 0; i < payload.length; i++) frame.writeUInt32LE(payload[i]! >>> 0, 8 + 4 * i);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(frame);
    });
  }

  async reset(cycles = 2): Promise<void> {
    await this.call(OP.reset, [cycles]);
  }

  async writeRegs(writes: ReadonlyArray<readonly [number, number]>): Promise<void> {
    await this.call(OP.writeRegs, writes.flatMap(([a, v]) => [a, v]));
  }

  async readReg(address: number): Promise<number> {
    return (await this.call(OP.readReg, [address]))[0]!;
  }

  async setEnv(env: EnvConfig): Promise<void> {
    await this.call(OP.setEnv, envWords(env));
  }

  async run(stream: TokenStream, maxCycles = Number.MAX_SAFE_INTEGER): Promise<DutRun> {
    const n = stream.ids.length;
    if (stream.first.length !== n) throw new SimError(`native model: run: first: expected ${n} flags, got ${stream.first.length}`);
    if (!Number.isSafeInteger(maxCycles) || maxCycles < 0) throw new SimError(`native model: run: maxCycles: expected a non-negative integer, got ${showValue(maxCycles)}`);
    const payload = new Uint32Array(3 + 2 * n);
    payload[0] = n;
    payload[1] = maxCycles % 2 ** 32;
    payload[2] = Math.floor(maxCycles / 2 ** 32);
    payload.set(stream.ids, 3);
    payload.set(stream.first, 3 + n);
    const r = await this.call(OP.run, payload);
    const heads = unitHeads(this.params);
    const dataWords = this.params.dataBits / 32;
    const produced = r[1]!;
    let at = 5;
    const take = (count: number): Uint32Array => {
      const out = r.slice(at, at + count);
      at += count;
      return out;
    };
    const indices = take(produced * heads);
    const data = take(produced * heads * dataWords);
    const outputCycles = take(produced);
    const requestLog = take(r[4]!);
    return { consumed: r[0]!, produced, cycles: r[2]! + r[3]! * 2 ** 32, indices, data, outputCycles, requestLog };
  }

  async openTrace(path: string): Promise<void> {
    if (!this.traceCapable) throw new SimError('native model: openTrace: this build has no VCD support (build target native-trace)');
    const bytes = new TextEncoder().encode(path);
    const words = new Uint32Array(1 + Math.ceil(bytes.length / 4));
    words[0] = bytes.length;
    new Uint8Array(words.buffer, 4).set(bytes);
    const [ok] = await this.call(OP.traceOpen, words);
    if (ok !== 1) throw new SimError(`native model: openTrace: cannot open ${showValue(path)} for writing`);
  }

  async closeTrace(): Promise<void> {
    await this.call(OP.traceClose, []);
  }

  async close(): Promise<void> {
    if (this.exited !== null) return;
    await this.call(OP.quit, []).catch(() => undefined);
    this.child.stdin.end();
  }
}
