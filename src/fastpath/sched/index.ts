// Public surface of the fast-path schedulers: descriptor batches, the scheduler
// interface and configs, the TypeScript references, the Wasm schedulers, and the benchmark.

export { benchSched, type SchedBenchOptions, type SchedBenchResult } from "./bench.ts";
export { TsCbwfq, TsCq, TsPq, TsWfq } from "./ts-schedulers.ts";
export * from "./types.ts";
export { WasmCbwfq, WasmCq, WasmPq, WasmWfq } from "./wasm-schedulers.ts";
