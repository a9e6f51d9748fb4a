// Public surface of the fast-path schedulers: descriptor batches, the scheduler
// interface and configs, the TypeScript references, the Wasm schedulers, and the benchmark.
export * from "./types.ts";
export { TsPq, TsCq, TsWfq, TsCbwfq } from "./ts-schedulers.ts";
export { WasmPq, WasmCq, WasmWfq, WasmCbwfq } from "./wasm-schedulers.ts";
export { benchSched, type SchedBenchResult, type SchedBenchOptions } from "./bench.ts";
