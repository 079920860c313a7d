// tfjs backend selection for the Engram forward (style.md convention 10, toolchain.md §1):
// tfjs-node where it installed (optional dependency), else wasm (SIMD, single thread), else cpu.
import type * as TfCore from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ModelError, showValue } from '../../core/index.ts';

export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Preference order when the caller names no backend. */
export const TF_BACKEND_ORDER: readonly TfBackendName[] = Object.freeze(['tensorflow', 'wasm', 'cpu'] as const);

/** A tfjs backend that `selectBackend` made active; pass it to every forward call. */
export interface ForwardBackend {
  readonly name: TfBackendName;
  /** Backends tried before this one, with why each was not used (for the CLI to report). */
  readonly skipped: readonly { readonly name: TfBackendName; readonly reason: string }[];
}

/**
 * What selectBackend really returns: the ForwardBackend plus the tfjs module. tfjs is loaded on first
 * selection, not at import, so importing model/ stays cheap (~0.4 s saved) and no tfjs type is public.
 */
export class TfjsBackend implements ForwardBackend {
  constructor(
    readonly name: TfBackendName,
    readonly skipped: readonly { readonly name: TfBackendName; readonly reason: string }[],
    readonly tf: typeof TfCore,
  ) {
    Object.freeze(this);
  }
}

// A variable specifier keeps TypeScript from resolving a package that is absent here.
const TFJS_NODE_PACKAGE = '@tensorflow/tfjs-node';

async function register(name: TfBackendName): Promise<void> {
  if (name === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else if (name === 'tensorflow') {
    await import(TFJS_NODE_PACKAGE);
  } else if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // The .wasm binaries sit next to the package's main file; the trailing separator is required.
    wasm.setWasmPaths(path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
  }
}

async function activate(tf: typeof TfCore, name: TfBackendName): Promise<void> {
  await register(name);
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend(${JSON.stringify(name)}) returned false`);
  await tf.ready();
}

/**
 * Makes a tfjs backend active and returns it. With `only`, that backend or a ModelError; without,
 * the first of TF_BACKEND_ORDER that initialises. tfjs keeps one active backend per process.
 */
export async function selectBackend(only?: TfBackendName): Promise<ForwardBackend> {
  if (only !== undefined && !TF_BACKEND_ORDER.includes(only)) {
    throw new ModelError(`selectBackend: only: expected one of ${TF_BACKEND_ORDER.join(', ')}, got ${showValue(only)}`);
  }
  const tf = await import('@tensorflow/tfjs-core');
  const skipped: { name: TfBackendName; reason: string }[] = [];
  for (const name of only === undefined ? TF_BACKEND_ORDER : [only]) {
    try {
      await activate(tf, name);
      return new TfjsBackend(name, Object.freeze(skipped), tf);
    } catch (error) {
      skipped.push({ name, reason: (error as Error).message.split('\n')[0] ?? String(error) });
    }
  }
  throw new ModelError(`selectBackend: no tfjs backend initialised: ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`);
}

/** The tfjs backend active in this process now, which may differ from `backend` if someone switched since. */
export function activeBackendName(backend: ForwardBackend): string {
  return asTfjs('activeBackendName', backend).tf.getBackend();
}

function asTfjs(fn: string, backend: ForwardBackend): TfjsBackend {
  if (!(backend instanceof TfjsBackend)) throw new ModelError(`${fn}: backend: expected a value returned by selectBackend, got ${showValue(backend)}`);
  return backend;
}

/** The tfjs module of a backend from selectBackend; throws unless it is still the active tfjs backend. */
export function tfjsOf(fn: string, backend: ForwardBackend): typeof TfCore {
  const { tf, name } = asTfjs(fn, backend);
  const active = tf.getBackend();
  if (active !== name) {
    throw new ModelError(`${fn}: backend: expected the active tfjs backend ${showValue(active)}, got ${showValue(name)}; call selectBackend again`);
  }
  return tf;
}
