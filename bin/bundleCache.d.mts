// Types of bundleCache.mjs for the TypeScript that imports it (src/cli/bundle.ts).
export declare const ROOT: string;
export declare const BUNDLE_DIR: string;
export declare function bundlesEnabled(): boolean;
export declare function cacheWritable(): boolean;
export declare function freshBundle(name: string): string | undefined;
export declare function storeBundle(name: string, hash: string, code: string, map: string, inputs: readonly (readonly [string, number, number])[]): string;
