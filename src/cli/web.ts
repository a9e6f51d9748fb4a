// `bun run web <scenario> [--seed N] [--workers N] [--boot 2s] [--listen ADDR] [--port N] [--crypto wasm|native|auto]`
// Starts the scenario's lab on the wall clock and serves its dashboard
// (src/web): topology, live counters, device consoles, captures, link faults.
// Prints the URL with the random token every API call needs. Bound to
// 127.0.0.1 unless --listen gives another address (with a warning: the
// consoles are root shells into the lab). Ctrl-C stops the lab.

import { parseDuration } from "../console/console-session.ts";
import { listScenarios } from "../scenario/load.ts";
import { DashboardLab } from "../web/dashboard-lab.ts";
import { serveDashboard } from "../web/server.ts";
import { applyCryptoFlag, integerFlag, MAX_SEED, parseArgs, seedFlag, withArgs } from "./args.ts";

const USAGE = `usage: npx bun run web SCENARIO [--seed 0..${MAX_SEED}] [--workers N] [--boot 2s] [--listen ADDR] [--port N] [--crypto wasm|native|auto]`;
const args = withArgs("web", USAGE, () =>
  parseArgs(process.argv.slice(2), {
    options: ["seed", "workers", "boot", "listen", "port", "crypto"],
    switches: ["help"],
    maxPositional: 1,
  }),
);
if (args.flags.has("help")) {
  console.log(USAGE);
  process.exit(0);
}
const name = args.positional[0];
if (name === undefined) {
  console.log("Scenarios (open a dashboard on one with: npx bun run web <name>):\n");
  const list = listScenarios();
  const width = Math.max(...list.map((s) => s.name.length));
  for (const s of list) console.log(`  ${s.name.padEnd(width)}  ${s.description}`);
  process.exit(0);
}
const seed = withArgs("web", USAGE, () => seedFlag(args));
const workers = withArgs("web", USAGE, () => integerFlag(args, "workers", 1, 0, 256));
const port = withArgs("web", USAGE, () => integerFlag(args, "port", 0, 0, 65535));
withArgs("web", USAGE, () => applyCryptoFlag(args));
const bootFlag = args.flags.get("boot");
const bootNs = typeof bootFlag === "string" ? parseDuration(bootFlag) : 2e9;
if (bootNs === undefined) {
  console.error("--boot needs a duration like 2s or 500ms");
  process.exit(2);
}
const listen = args.flags.get("listen");
if (listen === true) {
  console.error("--listen needs an address, like 0.0.0.0");
  process.exit(2);
}

try {
  const lab = await DashboardLab.start(name, { seed, workers, bootNs });
  const dashboard = serveDashboard(lab, { hostname: listen ?? "127.0.0.1", port });
  if (listen !== undefined && listen !== "127.0.0.1" && listen !== "localhost" && listen !== "::1")
    console.warn(
      `WARNING: listening on ${listen}: anyone who can reach it and has the URL's token gets a root console on every device`,
    );
  console.log(`wanlab dashboard: ${lab.topology.name}, seed ${seed}, wall-clock time`);
  console.log(dashboard.url);
  const stop = () => {
    dashboard.stop();
    lab.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (e) {
  console.error(`web ${name}: ${(e as Error).message}`);
  process.exit(2);
}
