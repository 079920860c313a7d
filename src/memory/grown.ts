// How the simulators' flat state (parallel typed arrays indexed by slot) grows when it is full.

type FlatArray = Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>;

/** A new array of `length` elements of the same type holding `array`'s elements first, zeros after. */
export function grown<T extends FlatArray>(array: T, length: number): T {
  const out = new (array.constructor as new (length: number) => T)(length);
  out.set(array);
  return out;
}
