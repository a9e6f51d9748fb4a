// `bun run scenario [name] [--seed N] [--workers N] [--trace FILE] [--capture DIR] [--capture-split vlan] [--crypto wasm|native|auto] [--strict] [--scale GROUP=N] [--json]`
// Without a name, lists the scenarios. With one, runs it and prints the IOS
// console transcript; exits 1 if an expectation failed, 2 on a usage or
// scenario error (with --json, every outcome is printed as JSON).

import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { listScenarios } from "../scenario/load.ts";
import { runScenario } from "../scenario/run-scenario.ts";
import { ArgsError, applyCryptoFlag, integerFlag, MAX_SEED, parseArgs, seedFlag } from "./args.ts";

const USAGE = `usage: npx bun run scenario [NAME] [options]
  NAME                      a folder of scenarios/ (without it: the list)
  --seed N                  seed of every random choice, a whole number from 0 to ${MAX_SEED} (default 1)
  --workers N               Bun Workers hosting the devices, 0 to 256 (default: one per core; 0 runs them inline)
  --trace FILE              one line per delivered frame or fired timer
  --capture DIR             one pcap per wire (and Wireshark key tables with IPsec)
  --capture-split vlan      one pcap per VLAN of each Ethernet wire (tagged frames; untagged stay in the wire's file)
  --crypto wasm|native|auto ESP/AH implementation (same bytes on the wire)
  --strict                  fail on any rejected config line no expect-config-error step declares
  --scale GROUP=N[,...]     size of a generated device group instead of topology.json's count
  --json                    machine-readable results (errors too)
  --help                    this text`;

const argv = process.argv.slice(2);
const json = argv.includes("--json");

/** Prints an error (as JSON with --json) and exits 2. */
function die(message: string, name?: string, usage = false): never {
  if (json) console.log(JSON.stringify({ scenario: name ?? null, ok: false, error: message }, null, 2));
  else
    console.error(
      `scenario${name === undefined ? "" : ` ${name}`}: ${message}${usage ? `\n${USAGE.split("\n")[0]}  (--help lists the options)` : ""}`,
    );
  process.exit(2);
}

let options: {
  name: string | undefined;
  seed: number;
  workers: number;
  trace: string | undefined;
  capture: string | undefined;
  captureSplit: "vlan" | undefined;
  strict: boolean;
  scale: Record<string, number>;
  help: boolean;
};
try {
  const args = parseArgs(argv, {
    options: ["seed", "workers", "trace", "capture", "capture-split", "crypto", "scale"],
    switches: ["json", "strict", "help"],
    maxPositional: 1,
  });
  const trace = args.flags.get("trace");
  const capture = args.flags.get("capture");
  const split = args.flags.get("capture-split");
  if (split !== undefined && split !== "vlan")
    throw new ArgsError(`--capture-split takes vlan (one pcap per VLAN), not ${JSON.stringify(split)}`);
  options = {
    name: args.positional[0],
    seed: seedFlag(args),
    workers: integerFlag(args, "workers", cpus().length, 0, 256),
    trace: typeof trace === "string" ? trace : undefined,
    capture: typeof capture === "string" ? capture : undefined,
    captureSplit: split === "vlan" ? "vlan" : undefined,
    strict: args.flags.has("strict"),
    scale: scaleFlag(args.flags.get("scale")),
    help: args.flags.has("help"),
  };
  applyCryptoFlag(args);
} catch (e) {
  if (!(e instanceof ArgsError)) throw e;
  die(e.message, undefined, true);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const { name, seed, workers } = options;
if (name === undefined) {
  const list = listScenarios();
  if (json) console.log(JSON.stringify(list, null, 2));
  else {
    console.log("Scenarios (run one with: npx bun run scenario <name>):\n");
    const width = Math.max(...list.map((s) => s.name.length));
    for (const s of list) console.log(`  ${s.name.padEnd(width)}  ${s.description}`);
  }
  process.exit(0);
}
try {
  const result = await runScenario(name, {
    seed,
    workers,
    tracePath: options.trace,
    captureDir: options.capture,
    captureSplit: options.captureSplit,
    strict: options.strict,
    scale: options.scale,
    print: json ? undefined : (t) => process.stdout.write(t),
  });
  if (json) console.log(JSON.stringify(result, null, 2));
  else {
    const passed = result.expectations.filter((e) => e.ok).length;
    console.log(
      `\n=== ${result.scenario}: ${result.ok ? "PASSED" : "FAILED"} — ${passed}/${result.expectations.length} expectations, ${(result.virtualTimeNs / 1e9).toFixed(3)} s virtual time, ${result.events} events, seed ${seed}, workers ${workers}${result.strict ? ", strict" : ""} ===`,
    );
    // Every failed expectation, each with the output line closest to what it expected.
    for (const e of result.expectations.filter((x) => !x.ok)) {
      console.log(`${e.line > 0 ? `line ${e.line}: ` : ""}${e.description}`);
      if (e.nearest !== undefined) console.log(`    nearest output line: ${JSON.stringify(e.nearest)}`);
    }
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
  die((e as Error).message, name);
}

/** `--scale SPOKE=50,PE=5`: group sizes by name. */
function scaleFlag(value: string | true | undefined): Record<string, number> {
  if (value === undefined) return {};
  const scale: Record<string, number> = {};
  for (const part of String(value).split(",")) {
    const m = part.trim().match(/^([A-Za-z][A-Za-z0-9-]*)=(\d+)$/);
    if (m === null) throw new ArgsError(`--scale takes GROUP=N[,GROUP=N...], not ${JSON.stringify(part)}`);
    scale[m[1]!] = Number(m[2]);
  }
  return scale;
}
