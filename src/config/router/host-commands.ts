// The command table of the host device kind: an end station configured with
// the same interface and global lines as a router (no routing: it uses `ip
// default-gateway`), a Windows prompt (`C:\>`; configuration modes keep IOS's
// `H1(config)#`), and Windows-style exec commands (`ping -l 1000 -n 1 A` with
// -n -l -f -i -w -t, `tracert`, `route print`, `ipconfig [/all]`, `arp -a`)
// besides the IOS show commands that make sense on a host and wanlab's
// `traffic udp` generator.

import { WindowsPingJob, type WindowsPingOptions } from "../../dataplane/pipeline/windows-ping.ts";
import { WindowsTracertJob, type WindowsTracertOptions } from "../../dataplane/pipeline/windows-tracert.ts";
import { formatIpv4Address, parseIpv4Address } from "../../wire/ipv4-address.ts";
import { type CommandSpec, CommandTable } from "../cli/modes.ts";
import { renderIpconfig } from "../hosts/windows-ipconfig.ts";
import { renderRoutePrint, windowsInterfaceIndex } from "../hosts/windows-route-print.ts";
import { describeHostCommands } from "./command-help.ts";
import { trafficCommand } from "./exec-commands.ts";
import { startExecJob } from "./exec-job.ts";
import { addGlobalCommands } from "./global-commands.ts";
import { addInterfaceCommands } from "./interface-commands.ts";
import type { RouterDevice } from "./router-device.ts";
import { renderRunningConfig } from "./running-config.ts";
import { renderShowIpInterfaceBrief } from "./show-interfaces.ts";
import { windowsTelnetCommand } from "./telnet-client.ts";

const hostExec: CommandSpec<RouterDevice>[] = [
  {
    // Windows flags (-n, -l, -f, -w, -i, -t) are parsed here: the IOS grammar has no dash options.
    syntax: "ping [LINE:args]",
    handler: (a, ctx) => {
      const parsed = parseWindowsPing(String(a.args ?? ""));
      if (typeof parsed === "string") return parsed;
      const device = ctx.device;
      const id = device.ctx.randomU32() & 0xffff;
      startExecJob(
        device,
        (write, done) =>
          new WindowsPingJob(device.stack, device.timers, () => device.now(), { ...parsed, id }, write, done),
      );
    },
  },
  {
    syntax: "ipconfig [LINE:args]",
    handler: (a, ctx) => {
      const flag = String(a.args ?? "")
        .trim()
        .toLowerCase();
      if (flag !== "" && flag !== "/all") return IPCONFIG_USAGE;
      return renderIpconfig(ctx.device, flag === "/all");
    },
  },
  {
    syntax: "tracert [LINE:args]",
    handler: (a, ctx) => {
      const parsed = parseWindowsTracert(String(a.args ?? ""));
      if (typeof parsed === "string") return parsed;
      const device = ctx.device;
      const id = device.ctx.randomU32() & 0xffff;
      startExecJob(
        device,
        (write, done) =>
          new WindowsTracertJob(device.stack, device.timers, () => device.now(), { ...parsed, id }, write, done),
      );
    },
  },
  {
    // `route print [-4]`; route add/delete would change a table the host does not keep (it has only its gateway).
    syntax: "route [LINE:args]",
    handler: (a, ctx) => {
      const words = String(a.args ?? "")
        .trim()
        .toLowerCase()
        .split(/\s+/)
        .filter(Boolean);
      if (words[0] !== "print" || words.slice(1).some((w) => w !== "-4")) return ROUTE_USAGE;
      return renderRoutePrint(ctx.device);
    },
  },
  {
    // Windows lists, per interface with an address, the neighbours it resolved (not its own address).
    syntax: "arp LINE:args",
    handler: (a, ctx) => {
      const flag = String(a.args).trim().toLowerCase();
      if (flag !== "-a" && flag !== "-g") return ARP_USAGE;
      const device = ctx.device;
      const rows = device.stack.arp.rows(device.now()).filter((r) => r.age !== "-");
      const lines: string[] = [];
      for (const ifc of device.interfaces()) {
        const a = ifc.config.address;
        const mine = rows.filter((r) => r.interface === ifc.name);
        if (a === undefined || mine.length === 0) continue;
        lines.push("", `Interface: ${formatIpv4Address(a.address)} --- 0x${windowsInterfaceIndex(ifc).toString(16)}`);
        lines.push("  Internet Address      Physical Address      Type");
        for (const r of mine) {
          const mac = r.hardware === "Incomplete" ? "incomplete" : windowsMac(r.hardware);
          lines.push(`  ${r.address.padEnd(22)}${mac.padEnd(22)}dynamic`);
        }
      }
      return lines.length === 0 ? "No ARP Entries Found." : lines.join("\n");
    },
  },
  trafficCommand,
  windowsTelnetCommand,
  { syntax: "show ip interface brief", handler: (_a, ctx) => renderShowIpInterfaceBrief(ctx.device) },
  { syntax: "show ip arp", handler: (_a, ctx) => ctx.device.stack.arp.render(ctx.device.now()) },
  { syntax: "show running-config", handler: (_a, ctx) => renderRunningConfig(ctx.device) },
  { syntax: "test crash", handler: (_a, ctx) => void (ctx.device.crashRequested = true) },
];

/** IOS's `aabb.cc00.0100` as Windows prints a MAC: `aa-bb-cc-00-01-00`. */
function windowsMac(ios: string): string {
  const hex = ios.replace(/\./g, "");
  return hex.replace(/(..)(?!$)/g, "$1-");
}

const ARP_USAGE =
  "Displays and modifies the IP-to-Physical address translation tables used by\naddress resolution protocol (ARP).\n\nARP -a [inet_addr] [-N if_addr] [-v]";

const PING_USAGE = `
Usage: ping [-t] [-n count] [-l size] [-f] [-i TTL] [-w timeout] target_name

Options:
    -t             Ping the specified host until stopped.
                   To stop - type Control-C.
    -n count       Number of echo requests to send.
    -l size        Send buffer size.
    -f             Set Don't Fragment flag in packet (IPv4-only).
    -i TTL         Time To Live.
    -w timeout     Timeout in milliseconds to wait for each reply.`;

const TRACERT_USAGE = `
Usage: tracert [-d] [-h maximum_hops] [-w timeout] target_name

Options:
    -d                 Do not resolve addresses to hostnames.
    -h maximum_hops    Maximum number of hops to search for target.
    -w timeout         Wait timeout milliseconds for each reply.`;

const IPCONFIG_USAGE = `
USAGE:
    ipconfig [/all]

where
    Options:
       /all         Display full configuration information.`;

const ROUTE_USAGE = `
Manipulates network routing tables.

ROUTE PRINT [-4]

  PRINT         Prints a route (wanlab: a host's table comes from its address and default gateway).`;

/** Parses Windows ping arguments; a string is the error Windows prints. */
export function parseWindowsPing(text: string): Omit<WindowsPingOptions, "id"> | string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const opts = { count: 4, dataBytes: 32, timeoutMs: 4000, dontFragment: false, ttl: 128, target: -1 };
  let forever = false;
  const limits: Record<string, [keyof typeof opts, number, number]> = {
    "-n": ["count", 1, 4294967295],
    "-l": ["dataBytes", 0, 65500],
    "-w": ["timeoutMs", 1, 4294967295],
    "-i": ["ttl", 1, 255],
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.toLowerCase();
    if (w === "-f") opts.dontFragment = true;
    else if (w === "-t") forever = true;
    else if (limits[w] !== undefined) {
      const [key, lo, hi] = limits[w]!;
      const v = Number(words[++i]);
      if (!Number.isInteger(v) || v < lo || v > hi)
        return `Bad value for option ${w}, valid range is from ${lo} to ${hi}.`;
      (opts as Record<string, number | boolean>)[key] = v;
    } else if (w.startsWith("-")) return `Bad option ${w}.\n${PING_USAGE}`;
    else {
      const target = parseIpv4Address(w);
      if (target === null) return `Ping request could not find host ${words[i]}. Please check the name and try again.`;
      opts.target = target;
    }
  }
  if (opts.target < 0) return PING_USAGE;
  return forever ? { ...opts, count: Number.POSITIVE_INFINITY } : opts;
}

/** Parses tracert arguments; a string is what Windows prints instead of tracing. */
export function parseWindowsTracert(text: string): Omit<WindowsTracertOptions, "id"> | string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const opts = { maxHops: 30, timeoutMs: 4000, target: -1 };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.toLowerCase();
    if (w === "-d") continue; // no name lookups: a lab has no DNS, so addresses print either way
    if (w === "-h" || w === "-w") {
      const v = Number(words[++i]);
      const [lo, hi] = w === "-h" ? [1, 255] : [1, 4294967295];
      if (!Number.isInteger(v) || v < lo || v > hi) return `Bad value for option ${w}.\n${TRACERT_USAGE}`;
      if (w === "-h") opts.maxHops = v;
      else opts.timeoutMs = v;
    } else if (w.startsWith("-")) return `Bad option ${w}.\n${TRACERT_USAGE}`;
    else {
      const target = parseIpv4Address(w);
      if (target === null) return `Unable to resolve target system name ${words[i]}.`;
      opts.target = target;
    }
  }
  if (opts.target < 0) return TRACERT_USAGE;
  return opts;
}

let table: CommandTable<RouterDevice> | null = null;

/** The shared host command table. */
export function hostCommandTable(): CommandTable<RouterDevice> {
  if (table === null) {
    // Windows' prompt at exec (and user) level; configuration modes keep IOS's prompts.
    table = new CommandTable<RouterDevice>({ prompt: (_host, mode) => (mode.kind === "exec" ? "C:\\>" : undefined) });
    addGlobalCommands(table);
    addInterfaceCommands(table);
    table.add("exec", ...hostExec);
    describeHostCommands(table);
  }
  return table;
}
