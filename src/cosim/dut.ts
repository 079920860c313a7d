// The device under test as TypeScript sees it: one interface over the WebAssembly build (wasmDut.ts)
// and the spawned native harness (nativeDut.ts).
import type { DutRun, EnvConfig, TokenStream, UnitParams } from './types.ts';

export type DutBackend = 'wasm' | 'native';

/**
 * Contract: calls are serialised (await each before the next). `run` continues from the state the
 * previous call left; `reset` clears the unit (configuration registers included) and the memory model's
 * outstanding requests but not the random stream.
 */
export interface HashGatherDut {
  readonly backend: DutBackend;
  readonly params: UnitParams;
  /** Whether the model was built with VCD support. */
  readonly traceCapable: boolean;
  reset(cycles?: number): Promise<void>;
  writeRegs(writes: ReadonlyArray<readonly [number, number]>): Promise<void>;
  readReg(address: number): Promise<number>;
  setEnv(env: EnvConfig): Promise<void>;
  /**
   * Streams the tokens through until all vectors came out or `maxCycles` cycles passed. The result's arrays
   * may be views into the model's memory (the wasm backend does not copy them out): read or copy them before
   * the next call on this DUT.
   */
  run(stream: TokenStream, maxCycles?: number): Promise<DutRun>;
  /** Starts writing a VCD waveform to `path` (requires traceCapable). */
  openTrace(path: string): Promise<void>;
  closeTrace(): Promise<void>;
  close(): Promise<void>;
}

/** Build-time parameters in the order hg_param / the native PARAMS reply lists them. */
export function paramsFromWords(words: ArrayLike<number>): { params: UnitParams; ioWords: number; trace: boolean } {
  return {
    params: Object.freeze({
      maxN: words[0]!, heads: words[1]!, ports: words[2]!, depth: words[3]!, dataBits: words[4]!, idBits: words[5]!, rowBytesMax: words[6]!,
    }),
    ioWords: words[7]!,
    trace: words[8] === 1,
  };
}
