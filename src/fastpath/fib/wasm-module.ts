// Loads the compiled FIB module (wasm/build/fib-dir24.wasm, built by
// `bun wasm/build.ts`) once per process; every WasmFib gets its own instance and
// so its own linear memory.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Exports of wasm/assembly/fib-dir24.ts. */
export interface FibExports {
  memory: WebAssembly.Memory;
  init(expected: number): void;
  insert(prefix: number, length: number, pathList: number): number;
  remove(prefix: number, length: number): number;
  lookup(address: number): number;
  lookupBatch(count: number): void;
  bulkStage(count: number): number;
  bulkBuild(count: number): number;
  bulkMax(): number;
  clear(): void;
  size(): number;
  groupCount(): number;
  usedBytes(): number;
  headerBase(): number;
  ioIn(): number;
  ioOut(): number;
  batchMax(): number;
}

let compiled: WebAssembly.Module | undefined;

/** Path of the built module. */
export const FIB_WASM_PATH = join(import.meta.dir, "..", "..", "..", "wasm", "build", "fib-dir24.wasm");

/** Instantiates a fresh FIB module (throws if the wasm build has not run). */
export function instantiateFib(): FibExports {
  if (!compiled) {
    if (!existsSync(FIB_WASM_PATH)) throw new Error(`${FIB_WASM_PATH} missing: run \`bun wasm/build.ts\``);
    compiled = new WebAssembly.Module(readFileSync(FIB_WASM_PATH));
  }
  const instance = new WebAssembly.Instance(compiled, {
    env: {
      abort: () => {
        throw new Error("fib-dir24 abort");
      },
    },
  });
  return instance.exports as unknown as FibExports;
}
