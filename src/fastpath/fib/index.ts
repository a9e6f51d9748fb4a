// Public surface of the fast-path FIB: the Wasm DIR-24-8 table, the plain
// TypeScript DIR-24-8 and binary-trie baselines, the zero-copy batch calls they
// share, and the benchmark.

export { benchFib, type FibBenchOptions, type FibBenchResult, type FibImplResult, randomTable } from "./bench.ts";
export { BinaryTrieFib } from "./binary-trie.ts";
export type { InPlaceBatch } from "./in-place-batch.ts";
export { TsDir24Fib } from "./ts-dir24.ts";
export { WasmFib, type WasmFibOptions } from "./wasm-fib.ts";
