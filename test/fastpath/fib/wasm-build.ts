// Test helper: builds wasm/build/*.wasm (skips up-to-date modules) before the
// fast-path suites load their modules.
import { join } from "node:path";

let built = false;

/** Runs `bun wasm/build.ts` once per process. */
export function ensureWasmBuilt(): void {
  if (built) return;
  built = true;
  Bun.spawnSync([process.execPath, join(import.meta.dir, "..", "..", "..", "wasm", "build.ts")], {
    stdout: "ignore",
    stderr: "inherit",
  });
}
