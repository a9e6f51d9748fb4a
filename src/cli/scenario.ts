// `bun run scenario [name] [--seed N] [--workers N] [--trace FILE] [--capture DIR] [--crypto wasm|native|auto] [--json]`
// Without a name, lists the scenarios. With one, runs it and prints the IOS
// console transcript; exits 1 if an expectation failed.

import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { listScenarios } from "../scenario/load.ts";
import { runScenario } from "../scenario/run-scenario.ts";
import { applyCryptoFlag, numberFlag, parseArgs } from "./args.ts";

const args = parseArgs(process.argv.slice(2), ["json"]);
const name = args.positional[0];
if (name === undefined) {
  const list = listScenarios();
  console.log("Scenarios (run one with: npx bun run scenario <name>):\n");
  const width = Math.max(...list.map((s) => s.name.length));
  for (const s of list) console.log(`  ${s.name.padEnd(width)}  ${s.description}`);
  process.exit(0);
}
const json = args.flags.has("json");
const workers = numberFlag(args, "workers", cpus().length);
const seed = numberFlag(args, "seed", 1);
applyCryptoFlag(args);
const trace = args.flags.get("trace");
const capture = args.flags.get("capture");
try {
  const result = await runScenario(name, {
    seed,
    workers,
    tracePath: typeof trace === "string" ? trace : undefined,
    captureDir: typeof capture === "string" ? capture : undefined,
    print: json ? undefined : (t) => process.stdout.write(t),
  });
  if (json) console.log(JSON.stringify(result, null, 2));
  else {
    const passed = result.expectations.filter((e) => e.ok).length;
    console.log(
      `\n=== ${result.scenario}: ${result.ok ? "PASSED" : "FAILED"} — ${passed}/${result.expectations.length} expectations, ${(result.virtualTimeNs / 1e9).toFixed(3)} s virtual time, ${result.events} events, seed ${seed}, workers ${workers} ===`,
    );
    if (!result.ok) console.log(result.failure);
    if (result.keyFiles !== undefined) {
      const dir = dirname(result.keyFiles[0]!);
      console.log(`Wireshark keys: ${result.keyFiles.join(", ")}`);
      console.log(
        `  decrypt with: WIRESHARK_CONFIG_DIR=${dir} tshark -o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE -r ${join(dir, "<wire>.pcap")}`,
      );
      console.log(
        "  (or copy both files into your Wireshark profile folder and turn on ESP decryption and ICV checking)",
      );
    }
  }
  process.exit(result.ok ? 0 : 1);
} catch (e) {
  console.error(`scenario ${name}: ${(e as Error).message}`);
  process.exit(2);
}
