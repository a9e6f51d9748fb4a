// The command table of the host device kind: an end station configured with
// the same interface and global lines as a router (no routing: it uses `ip
// default-gateway`), and Windows-style exec commands (`ping -l 1000 -n 1 A`,
// `ipconfig`, `arp -a`) besides the IOS show commands that make sense on a host and
// wanlab's `traffic udp` generator.

import { WindowsPingJob, type WindowsPingOptions } from "../../dataplane/pipeline/windows-ping.ts";
import { formatIpv4Address, maskFromLength, parseIpv4Address } from "../../wire/ipv4-address.ts";
import { type CommandSpec, CommandTable } from "../cli/modes.ts";
import { describeHostCommands } from "./command-help.ts";
import { trafficCommand } from "./exec-commands.ts";
import { addGlobalCommands } from "./global-commands.ts";
import { addInterfaceCommands } from "./interface-commands.ts";
import type { RouterDevice } from "./router-device.ts";
import { renderRunningConfig } from "./running-config.ts";
import { renderShowIpInterfaceBrief } from "./show-interfaces.ts";

const hostExec: CommandSpec<RouterDevice>[] = [
  {
    // Windows flags (-n, -l, -f, -w, -i) are parsed here: the IOS grammar has no dash options.
    syntax: "ping LINE:args",
    handler: (a, ctx) => {
      const parsed = parseWindowsPing(String(a.args));
      if (typeof parsed === "string") return parsed;
      const device = ctx.device;
      const job = new WindowsPingJob(
        device.stack,
        device.timers,
        () => device.now(),
        { ...parsed, id: device.ctx.randomU32() & 0xffff },
        (t) => device.write(t),
        () => {
          device.job = null;
          device.finishCommand();
        },
      );
      device.job = job;
      job.start();
    },
  },
  {
    syntax: "ipconfig",
    handler: (_a, ctx) => {
      const lines = ["", "Windows IP Configuration", ""];
      for (const ifc of ctx.device.interfaces()) {
        lines.push(`Ethernet adapter ${ifc.name}:`, "");
        const a = ifc.config.address;
        if (a === undefined || !ifc.lineProtocolUp) {
          lines.push("   Media State . . . . . . . . . . . : Media disconnected", "");
          continue;
        }
        lines.push(`   IPv4 Address. . . . . . . . . . . : ${formatIpv4Address(a.address)}`);
        lines.push(`   Subnet Mask . . . . . . . . . . . : ${formatIpv4Address(maskFromLength(a.length))}`);
        const gw = ctx.device.stack.defaultGateway;
        lines.push(`   Default Gateway . . . . . . . . . : ${gw === null ? "" : formatIpv4Address(gw)}`, "");
      }
      return lines.join("\n");
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
        lines.push("", `Interface: ${formatIpv4Address(a.address)} --- 0x${((ifc.port ?? 0) + 2).toString(16)}`);
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

const PING_USAGE = "Usage: ping [-n count] [-l size] [-f] [-i TTL] [-w timeout] target_name";

/** Parses Windows ping arguments; a string is the error Windows prints. */
export function parseWindowsPing(text: string): Omit<WindowsPingOptions, "id"> | string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const opts = { count: 4, dataBytes: 32, timeoutMs: 4000, dontFragment: false, ttl: 128, target: -1 };
  const limits: Record<string, [keyof typeof opts, number, number]> = {
    "-n": ["count", 1, 4294967295],
    "-l": ["dataBytes", 0, 65500],
    "-w": ["timeoutMs", 1, 4294967295],
    "-i": ["ttl", 1, 255],
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.toLowerCase();
    if (w === "-f") opts.dontFragment = true;
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
  return opts;
}

let table: CommandTable<RouterDevice> | null = null;

/** The shared host command table. */
export function hostCommandTable(): CommandTable<RouterDevice> {
  if (table === null) {
    table = new CommandTable<RouterDevice>();
    addGlobalCommands(table);
    addInterfaceCommands(table);
    table.add("exec", ...hostExec);
    describeHostCommands(table);
  }
  return table;
}
