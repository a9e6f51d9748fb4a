// `bun run console <scenario> [--seed N] [--workers N] [--device NAME] [--boot 2s] [--crypto wasm|native|auto]`
// (--seed: a whole number from 0 to 4294967295; unknown options and extra arguments are errors)
// An interactive IOS-style console on a running lab in wall-clock mode: the lab
// follows the wall clock, each line goes to the attached device, syslog prints
// as it happens. On a terminal, keys are read raw (console/terminal.ts): `?`
// help and Tab completion at once, Ctrl-C aborts a command or leaves config
// mode, Ctrl-Z ends config mode, history and Ctrl-A/E/U/W/K/R edit the line,
// and long output stops at --More-- (terminal length, 24 by default).
// Piped input is read line by line and echoed after the prompt. `exit` at a
// device's exec prompt goes to the lab prompt (wanlab>: attach, devices, wait,
// link, save, quit). The lab boots for --boot of virtual time (default 2s)
// before the first prompt. Without a scenario name, lists the scenarios.
// A terminal gets the raw-key console; pipes keep node:readline's lines.
// --tap "R1 Gi0/2=wl0[,...]" attaches free Ethernet ports to host TAP devices
// (as topology.json's "taps" does; needs root): the lab then never runs ahead of
// the wall clock, commands included (src/host-bridge).
// --web also serves the lab as the web dashboard (src/web, as `bun run web`
// does, --listen ADDR and --port N as there): terminal and browser share the lab.

import { createInterface } from "node:readline";
import { deviceFactories } from "../../actors/index.ts";
import { BUILTINS_HELP, type ConsoleLab, ConsoleSession, parseDuration } from "../console/console-session.ts";
import { TerminalConsole } from "../console/terminal.ts";
import { WallPacer } from "../console/wall-pacer.ts";
import { attachTap, parseTapOption } from "../host-bridge/attach-tap.ts";
import { HostBridge } from "../host-bridge/host-bridge.ts";
import { hasTaps } from "../host-bridge/tap-lab.ts";
import { wallClockPace } from "../host-bridge/wall-clock-loop.ts";
import { Lab } from "../runtime/lab.ts";
import { listScenarios, loadScenario } from "../scenario/load.ts";
import { DashboardLab } from "../web/dashboard-lab.ts";
import { serveDashboard } from "../web/server.ts";
import { applyCryptoFlag, integerFlag, MAX_SEED, parseArgs, seedFlag, withArgs } from "./args.ts";

/** How often the lab catches up with the wall clock. */
const TICK_MS = 20;
/** With a host TAP: frames from the host wait for the next tick, so tick often. */
const TAP_TICK_MS = 2;

const USAGE = `usage: npx bun run console [SCENARIO] [--seed 0..${MAX_SEED}] [--workers N] [--device NAME] [--boot 2s] [--crypto wasm|native|auto] [--tap "R1 Gi0/2=wl0"] [--web [--listen ADDR] [--port N]]`;
const args = withArgs("console", USAGE, () =>
  parseArgs(process.argv.slice(2), {
    options: ["seed", "workers", "device", "boot", "crypto", "tap", "listen", "port"],
    switches: ["help", "web"],
    maxPositional: 1,
  }),
);
if (args.flags.has("help")) {
  console.log(USAGE);
  process.exit(0);
}
const name = args.positional[0];
if (name === undefined) {
  const list = listScenarios();
  console.log("Scenarios (open a console on one with: npx bun run console <name>):\n");
  const width = Math.max(...list.map((s) => s.name.length));
  for (const s of list) console.log(`  ${s.name.padEnd(width)}  ${s.description}`);
  process.exit(0);
}
const seed = withArgs("console", USAGE, () => seedFlag(args));
// One Worker by default: the lab then runs off this thread, so typed input and
// Ctrl-C are seen while a long command runs. With --workers 0 the lab runs
// inline and a command holds the event loop until it finishes.
const workers = withArgs("console", USAGE, () => integerFlag(args, "workers", 1, 0, 256));
withArgs("console", USAGE, () => applyCryptoFlag(args));
const deviceFlag = args.flags.get("device");
const bootFlag = args.flags.get("boot");
const bootNs = typeof bootFlag === "string" ? parseDuration(bootFlag) : 2e9;
if (bootNs === undefined) {
  console.error("--boot needs a duration like 2s or 500ms");
  process.exit(2);
}

const web = args.flags.has("web");
const listen = args.flags.get("listen");
const port = withArgs("console", USAGE, () => integerFlag(args, "port", 0, 0, 65535));
if (!web && (listen !== undefined || args.flags.has("port"))) {
  console.error("--listen and --port go with --web");
  process.exit(2);
}
if (listen === true) {
  console.error("--listen needs an address, like 0.0.0.0");
  process.exit(2);
}

let session: ConsoleSession;
/** Stops the dashboard (--web) when the console leaves. */
let stopWeb = () => {};
try {
  const scenario = loadScenario(name, seed);
  const tapFlag = args.flags.get("tap");
  if (typeof tapFlag === "string")
    for (const { port, tap } of parseTapOption(tapFlag)) attachTap(scenario.lab, port, tap);
  const pacer = new WallPacer(() => performance.now() * 1e6);
  // TAPs that cannot be opened are reported below; the rest of the lab runs.
  const bridge = hasTaps(scenario.lab) ? new HostBridge(scenario.lab) : null;
  let paced: Lab | undefined;
  const bridged = bridge?.active ? { tap: bridge, pace: wallClockPace(bridge, () => paced, pacer) } : {};
  let lab: Lab;
  let consoleLab: ConsoleLab;
  if (web) {
    // The dashboard's lab follows the same wall clock; this console is one more session on it.
    const dashboardLab = await DashboardLab.fromSpec(scenario.name, scenario.lab, {
      workers,
      bootNs: 0,
      pacer,
      lab: bridged,
    });
    const dashboard = serveDashboard(dashboardLab, { hostname: listen ?? "127.0.0.1", port });
    lab = dashboardLab.lab.lab;
    consoleLab = dashboardLab.lab.view();
    stopWeb = () => {
      dashboard.stop();
      dashboardLab.close();
    };
    if (listen !== undefined && listen !== "127.0.0.1" && listen !== "localhost" && listen !== "::1")
      console.warn(`WARNING: listening on ${listen}: anyone with the URL's token gets a root console on every device`);
    process.stdout.write(`wanlab dashboard: ${dashboard.url}\n`);
  } else {
    lab = await Lab.create(scenario.lab, { workers, factories: deviceFactories, ...bridged });
    consoleLab = lab;
  }
  paced = lab;
  const interactive = process.stdin.isTTY === true;
  const terminal = interactive
    ? new TerminalConsole(
        () => session,
        process.stdout,
        () => leave(),
      )
    : null;
  const rl = terminal === null ? createInterface({ input: process.stdin, terminal: false }) : null;
  session = new ConsoleSession(
    consoleLab,
    {
      write: (text) => process.stdout.write(text),
      prompt: (p, again, text) => {
        if (terminal !== null) terminal.prompt(p, again, text);
        else process.stdout.write(p + (text ?? ""));
      },
      // The --More-- pager only on a terminal (stdout too: a redirected console never waits for a key).
      page:
        terminal !== null && process.stdout.isTTY === true ? (text, length) => terminal.page(text, length) : undefined,
    },
    {
      device: typeof deviceFlag === "string" ? deviceFlag : undefined,
      echo: !interactive,
      pacer,
    },
  );
  const devices = scenario.lab.devices.map((d) => d.name).join(", ");
  process.stdout.write(
    `wanlab console: ${scenario.name} — ${devices}; seed ${seed}, ${workers === 0 ? "inline" : `${lab.partitions} worker${lab.partitions === 1 ? "" : "s"}`}, wall-clock time\n`,
  );
  for (const line of bridge?.describe() ?? []) process.stdout.write(`${line}\n`);
  process.stdout.write(`${BUILTINS_HELP.map((l) => `  ${l}`).join("\n")}\n\n`);

  // Keep the lab in step with the wall clock; never start a tick before the last one finished.
  let ticking = false;
  const timer = setInterval(
    () => {
      if (ticking || session.closed) return;
      ticking = true;
      if (bridge?.active) bridge.poll(lab);
      session.tick().then(
        () => (ticking = false),
        (e) => {
          process.stdout.write(`\n% ${(e as Error).message}\n`);
          session.close();
        },
      );
    },
    bridge?.active ? TAP_TICK_MS : TICK_MS,
  );

  let leaving = false;
  const leave = () => {
    if (leaving) return;
    leaving = true;
    clearInterval(timer);
    session.close();
    stopWeb();
    bridge?.close();
    if (terminal !== null) process.stdin.setRawMode(false);
    rl?.close();
    process.exit(0);
  };
  if (terminal !== null) {
    // Raw keys: Ctrl-C and Ctrl-Z arrive as characters, not as signals, so they act as IOS keys.
    process.stdin.setRawMode(true);
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (data: string) => terminal.feed(data));
    process.stdin.on("end", () => void session.finish().then(leave));
  } else if (rl !== null) {
    process.on("SIGINT", () => {
      process.stdout.write("^C\n");
      leave();
    });
    rl.on("line", (line) => {
      session.handleLine(line).then(
        (open) => {
          if (!open) leave();
        },
        (e) => process.stdout.write(`% ${(e as Error).message}\n${session.prompt}`),
      );
    });
    // End of input (the end of a pipe): finish what is queued, then leave.
    rl.on("close", () => {
      if (leaving) return;
      void session.finish().then(leave);
    });
  }
  await session.start(bootNs);
  await session.done;
  leave();
} catch (e) {
  console.error(`console ${name}: ${(e as Error).message}`);
  process.exit(2);
}
