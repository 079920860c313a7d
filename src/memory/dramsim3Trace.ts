// Streaming parser of DRAMsim3 trace text (umd-memsys/DRAMsim3 README "Trace format"): one request per
// line, `0xADDR READ|WRITE TIME`, TIME in memory cycles or nanoseconds. Reads chunks on demand, so a
// 100 M-line trace needs only one chunk in memory.
import { SpecError } from '../core/index.ts';
import type { RequestStream, TraceRecord } from './traceDriver.ts';

/** Returns the next chunk of the file, or null at its end. */
export type ChunkReader = () => Uint8Array | null;

export interface Dramsim3TraceOptions {
  /** File name used in error messages. */
  file: string;
  tsUnit: 'cycles' | 'ns';
  /** Device clock period, to convert nanosecond times to cycles. */
  tCkPs: number;
  /** Bytes each line requests (DRAMsim3 moves one burst-sized transaction per line). */
  requestBytes: number;
}

const NL = 10, CR = 13, SPACE = 32, TAB = 9, HASH = 35, ZERO = 48, NINE = 57, DOT = 46;

export class Dramsim3TraceStream implements RequestStream {
  private buf = new Uint8Array(0);
  private pos = 0;
  private eof = false;
  private line = 0;

  constructor(
    private readonly read: ChunkReader,
    private readonly options: Dramsim3TraceOptions,
  ) {}

  /** Lines consumed so far (1-based number of the last line read). */
  get lineNumber(): number {
    return this.line;
  }

  next(into: TraceRecord): boolean {
    for (;;) {
      const end = this.lineEnd();
      if (end < 0) return false;
      const start = this.pos;
      this.pos = end + 1;
      this.line++;
      let stop = end;
      if (stop > start && this.buf[stop - 1] === CR) stop--;
      const i = skipBlanks(this.buf, start, stop);
      // Blank lines and `#` comments carry no request.
      if (i === stop || this.buf[i] === HASH) continue;
      this.parse(i, stop, start, into);
      return true;
    }
  }

  private parse(i: number, stop: number, start: number, into: TraceRecord): void {
    const b = this.buf;
    // Errors go through a method, not a closure made per line: under tsx (esbuild's keepNames) each closure
    // costs a defineProperty call, which made parsing 4-5x slower (1.0 us against 0.2 us a line on 1 M lines).
    if (b[i] !== ZERO || (b[i + 1] !== 120 && b[i + 1] !== 88)) this.fail('the address must start with 0x', start, stop);
    i += 2;
    let addr = 0;
    const addrStart = i;
    for (; i < stop; i++) {
      const d = hexDigit(b[i]!);
      if (d < 0) break;
      addr = addr * 16 + d;
    }
    if (i === addrStart || addr >= 2 ** 53) this.fail('the address must be 1 to 13 hex digits below 2^53', start, stop);
    if (!isBlank(b[i])) this.fail('the address must be followed by a space', start, stop);
    i = skipBlanks(b, i, stop);
    let isWrite: boolean;
    if (matches(b, i, stop, 'READ')) { isWrite = false; i += 4; }
    else if (matches(b, i, stop, 'WRITE')) { isWrite = true; i += 5; }
    else return this.fail('the operation must be READ or WRITE', start, stop);
    if (skipBlanks(b, i, stop) === stop) this.fail('the time is missing', start, stop);
    if (!isBlank(b[i])) this.fail('the operation must be followed by a space', start, stop);
    i = skipBlanks(b, i, stop);
    let whole = 0, frac = 0, scale = 1, digits = 0;
    for (; i < stop && b[i]! >= ZERO && b[i]! <= NINE; i++, digits++) whole = whole * 10 + (b[i]! - ZERO);
    if (i < stop && b[i] === DOT && this.options.tsUnit === 'cycles') this.fail('cycle times must be integers (--ts-unit ns reads nanoseconds)', start, stop);
    if (i < stop && b[i] === DOT) {
      for (i++; i < stop && b[i]! >= ZERO && b[i]! <= NINE; i++, digits++) { frac = frac * 10 + (b[i]! - ZERO); scale *= 10; }
    }
    if (digits === 0 || whole >= 2 ** 53) this.fail(this.options.tsUnit === 'ns' ? 'the time must be a non-negative number of nanoseconds' : 'the time must be a non-negative integer number of cycles', start, stop);
    if (skipBlanks(b, i, stop) !== stop) this.fail('unexpected text after the time', start, stop);
    const time = whole + frac / scale;
    into.addr = addr;
    into.isWrite = isWrite;
    into.sizeBytes = this.options.requestBytes;
    // A request cannot be issued before its time stamp, so nanoseconds round up to the next cycle.
    into.cycle = this.options.tsUnit === 'ns' ? Math.ceil((time * 1000) / this.options.tCkPs - 1e-9) : time;
    into.batch = 0;
  }

  private fail(what: string, start: number, stop: number): never {
    const text = new TextDecoder().decode(this.buf.subarray(start, stop));
    throw new SpecError(this.options.file, `line ${this.line}`, `${what}; expected "0xADDR READ|WRITE TIME", got ${JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text)}`);
  }

  /** Index of the newline ending the current line (or the end of the last line); -1 at the end. */
  private lineEnd(): number {
    for (;;) {
      const nl = this.buf.indexOf(NL, this.pos);
      if (nl >= 0) return nl;
      if (this.eof) {
        if (this.pos >= this.buf.length) return -1;
        // The last line has no newline: pretend it has one past the end.
        const padded = new Uint8Array(this.buf.length - this.pos + 1);
        padded.set(this.buf.subarray(this.pos));
        padded[padded.length - 1] = NL;
        this.buf = padded;
        this.pos = 0;
        continue;
      }
      const chunk = this.read();
      if (chunk === null) { this.eof = true; continue; }
      const rest = this.buf.subarray(this.pos);
      const joined = new Uint8Array(rest.length + chunk.length);
      joined.set(rest);
      joined.set(chunk, rest.length);
      this.buf = joined;
      this.pos = 0;
    }
  }
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const isBlank = (c: number | undefined): boolean => c === SPACE || c === TAB;

function skipBlanks(b: Uint8Array, i: number, stop: number): number {
  while (i < stop && isBlank(b[i])) i++;
  return i;
}

function matches(b: Uint8Array, i: number, stop: number, word: string): boolean {
  if (i + word.length > stop) return false;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return false;
  return true;
}
