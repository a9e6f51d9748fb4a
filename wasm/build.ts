// Builds every AssemblyScript module in wasm/assembly/*.ts (one module per file,
// files starting with "_" are shared includes; a module may add asc flags on
// its first line) into wasm/build/<name>.wasm.
// Runs on `npm install` (postinstall) and before the tests.
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = import.meta.dir;
const srcDir = join(root, "assembly");
const outDir = join(root, "build");
mkdirSync(outDir, { recursive: true });

const modules = existsSync(srcDir) ? readdirSync(srcDir).filter((f) => f.endsWith(".ts") && !f.startsWith("_")) : [];
const asc = join(root, "..", "node_modules", ".bin", "asc");
let failed = 0;
for (const file of modules) {
  const name = file.replace(/\.ts$/, "");
  const src = join(srcDir, file);
  const out = join(outDir, `${name}.wasm`);
  // Skip up-to-date modules: any source in assembly/ newer than the output rebuilds it.
  if (existsSync(out)) {
    const outTime = statSync(out).mtimeMs;
    const newest = Math.max(...readdirSync(srcDir).map((f) => statSync(join(srcDir, f)).mtimeMs));
    if (newest < outTime) continue;
  }
  // A module may add compiler flags on its first line: `// asc-flags: --runtime minimal`
  const firstLine = (await Bun.file(src).text()).split("\n", 1)[0] ?? "";
  const extra =
    firstLine
      .match(/^\/\/\s*asc-flags:(.*)$/)?.[1]
      ?.trim()
      .split(/\s+/)
      .filter(Boolean) ?? [];
  const args = [
    src,
    "-o",
    out,
    "-O3",
    "--runtime",
    "stub",
    "--noAssert",
    "--enable",
    "simd",
    "--initialMemory",
    "16",
    ...extra,
  ];
  const proc = Bun.spawnSync([asc, ...args], { stdout: "inherit", stderr: "inherit" });
  if (proc.exitCode !== 0) {
    console.error(`wasm build failed: ${file}`);
    failed++;
  } else {
    console.log(`wasm: built ${name}.wasm`);
  }
}
if (failed) process.exit(1);
