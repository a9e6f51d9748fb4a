// Builds the dashboard page (web/page) with Bun's bundler into web/build:
// one script and one stylesheet with xterm.js, cytoscape and uPlot inside, so
// the page loads nothing from a CDN. Runs on `npm install` (postinstall),
// like the Wasm build, and before the tests.

import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const root = import.meta.dir;
const outDir = join(root, "build");
mkdirSync(outDir, { recursive: true });
const result = await Bun.build({
  entrypoints: [join(root, "page", "main.ts")],
  outdir: outDir,
  target: "browser",
  // Whitespace minification is left out: Bun 1.4.5 drops a statement separator in cytoscape's code with it.
  minify: { syntax: true, identifiers: true, whitespace: false },
  naming: "[name].[ext]",
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
copyFileSync(join(root, "page", "index.html"), join(outDir, "index.html"));
console.log(`web: built ${result.outputs.map((o) => o.path.slice(outDir.length + 1)).join(", ")}, index.html`);
