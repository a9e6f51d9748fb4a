// Privileged exec commands of a router: show commands (through the renderers),
// ping, traceroute and wanlab's `traffic udp` generator (jobs that finish on
// the virtual clock), debug/undebug, clear, and `test crash` (IOS's own
// command to crash a router on purpose).

import { renderAccessList } from "../../dataplane/acl.ts";
import { PingJob } from "../../dataplane/pipeline/ping.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { TracerouteJob } from "../../dataplane/pipeline/traceroute.ts";
import { TrafficJob } from "../../dataplane/pipeline/traffic-job.ts";
import { classfulLength } from "../../dataplane/rib.ts";
import { lengthFromMask, parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import { confirmed } from "./exec-dialog.ts";
import { startExecJob } from "./exec-job.ts";
import type { DebugFlags, RouterDevice } from "./router-device.ts";
import { renderRunningConfig } from "./running-config.ts";
import { renderShowDebugging } from "./show-debugging.ts";
import { renderShowInterfaces, renderShowIpInterface, renderShowIpInterfaceBrief } from "./show-interfaces.ts";
import { renderShowIpCef, renderShowIpCefExactRoute, renderShowIpCefPrefix } from "./show-ip-cef.ts";
import { renderShowIpRoute, renderShowIpRouteEntry } from "./show-ip-route.ts";
import { renderShowClock, renderShowIpTraffic, renderShowLogging, renderShowVersion } from "./show-misc.ts";
import { iosTelnetCommand } from "./telnet-client.ts";
import { terminalCommands } from "./terminal-commands.ts";

export type Ctx = CommandContext<RouterDevice>;

/** Resolves `source A.B.C.D|INTERFACE` of ping/traceroute. */
export function sourceOf(device: RouterDevice, value: unknown): { address?: number; ifc?: RouterInterface } | string {
  if (value === undefined) return {};
  const text = String(value);
  const address = parseIpv4Address(text);
  if (address !== null) {
    if (!device.stack.isLocalAddress(address))
      return `% Invalid source address- IP address not on any of our up interfaces`;
    return { address };
  }
  const ifc = device.findInterface(text);
  if (ifc === undefined) return `% Invalid source interface`;
  if (ifc.config.address === undefined) return `% Invalid source interface - IP not enabled or interface is down`;
  return { ifc };
}

function targetOf(a: Args): number | string {
  const target = parseIpv4Address(String(a.target));
  return target === null ? "% Unrecognized host or address, or protocol not running." : target;
}

/** Target and source of a ping, traceroute or traffic stream, or the IOS error for either. */
function probeEnds(
  a: Args,
  device: RouterDevice,
): { target: number; source: { address?: number; ifc?: RouterInterface } } | string {
  const target = targetOf(a);
  if (typeof target === "string") return target;
  const source = sourceOf(device, a.source);
  if (typeof source === "string") return source;
  return { target, source };
}

/** Starts a job; the command's output streams through device.write and ends with device.finish. */
function startJob(ctx: Ctx, make: Parameters<typeof startExecJob>[1]): HandlerResult {
  startExecJob(ctx.device, make);
}

/** Everything a ping needs, from the one-line form or the extended dialog. */
export interface PingRequest {
  target: number;
  source: { address?: number; ifc?: RouterInterface };
  repeat: number;
  sizes: number[];
  sweep: boolean;
  timeoutSec: number;
  dontFragment: boolean;
  tos: number;
  pattern?: number;
  validate?: boolean;
}

/** Sizes of a sweep from min to max by interval, or IOS's complaint. */
export function sweepSizes(min: number, max: number, step: number): number[] | string {
  if (max < min) return "% Sweep max size must be at least the min size";
  const sizes: number[] = [];
  for (let s = min; s <= max; s += step) sizes.push(s);
  return sizes;
}

/** Starts a ping job (the one-line command and the dialog end here). */
export function startPing(ctx: Ctx, r: PingRequest): HandlerResult {
  const device = ctx.device;
  return startJob(
    ctx,
    (write, done) =>
      new PingJob(
        device.stack,
        device.timers,
        () => device.now(),
        {
          target: r.target,
          repeat: r.repeat,
          sizes: r.sizes,
          sweep: r.sweep,
          timeoutSec: r.timeoutSec,
          dontFragment: r.dontFragment,
          tos: r.tos,
          sourceAddress: r.source.address,
          sourceInterface: r.source.ifc,
          id: device.ctx.randomU32() & 0xffff,
          pattern: r.pattern,
          validate: r.validate,
        },
        write,
        done,
      ),
  );
}

const ping: CommandSpec<RouterDevice> = {
  syntax:
    "ping [ip] A.B.C.D:target [repeat <1-2147483647>] [size <36-18024>] [df-bit] [source {A.B.C.D | INTERFACE}:source] [timeout <0-3600>] [tos <0-255>] [sweep-min <36-18024>] [sweep-max <36-18024>] [sweep-interval <1-18024>]",
  help: "Send echo messages (sweep-min/max/interval are the one-line form of the extended ping dialog's size sweep)",
  handler: (a, ctx) => {
    const ends = probeEnds(a, ctx.device);
    if (typeof ends === "string") return ends;
    const { target, source } = ends;
    let sizes = [Number(a.size ?? 100)];
    const sweep = a["sweep-min"] !== undefined || a["sweep-max"] !== undefined;
    if (sweep) {
      const swept = sweepSizes(
        Number(a["sweep-min"] ?? 36),
        Number(a["sweep-max"] ?? 18024),
        Number(a["sweep-interval"] ?? 1),
      );
      if (typeof swept === "string") return swept;
      sizes = swept;
    }
    return startPing(ctx, {
      target,
      source,
      repeat: Number(a.repeat ?? 5),
      sizes,
      sweep,
      timeoutSec: Number(a.timeout ?? 2),
      dontFragment: a["df-bit"] === true,
      tos: Number(a.tos ?? 0),
    });
  },
};

/** Everything a traceroute needs, from the one-line form or the dialog. */
export interface TracerouteRequest {
  target: number;
  source: { address?: number; ifc?: RouterInterface };
  probes: number;
  timeoutSec: number;
  minTtl: number;
  maxTtl: number;
  port: number;
}

/** Starts a traceroute job. */
export function startTraceroute(ctx: Ctx, r: TracerouteRequest): HandlerResult {
  const device = ctx.device;
  return startJob(
    ctx,
    (write, done) =>
      new TracerouteJob(
        device.stack,
        device.timers,
        () => device.now(),
        {
          target: r.target,
          sourceAddress: r.source.address,
          sourceInterface: r.source.ifc,
          probes: r.probes,
          timeoutSec: r.timeoutSec,
          minTtl: Math.max(1, r.minTtl),
          maxTtl: r.maxTtl,
          port: r.port,
          sourcePort: 49152 + (device.ctx.randomU32() % 16384),
        },
        write,
        done,
      ),
  );
}

const traceroute: CommandSpec<RouterDevice> = {
  syntax:
    "traceroute [ip] A.B.C.D:target [source {A.B.C.D | INTERFACE}:source] [timeout <0-3600>] [probe <1-65535>] [ttl <0-255>:minttl <0-255>:maxttl] [port <1-65535>]",
  handler: (a, ctx) => {
    const ends = probeEnds(a, ctx.device);
    if (typeof ends === "string") return ends;
    return startTraceroute(ctx, {
      target: ends.target,
      source: ends.source,
      probes: Number(a.probe ?? 3),
      timeoutSec: Number(a.timeout ?? 3),
      minTtl: Number(a.minttl ?? 1),
      maxTtl: Number(a.maxttl ?? 30),
      port: Number(a.port ?? 33434),
    });
  },
};

/** wanlab's traffic generator (not an IOS command): a paced UDP stream, shared with hosts. */
export const trafficCommand: CommandSpec<RouterDevice> = {
  syntax:
    "traffic udp A.B.C.D:target [source {A.B.C.D | INTERFACE}:source] [size <28-18024>] [rate <1-100000000>] [count <1-2147483647>] [dport <1-65535>] [sport <1-65535>] [tos <0-255>] [dscp <0-63>] [ttl <1-255>] [df-bit] [background]",
  help: "wanlab traffic generator, not an IOS command (like a TRex or Ixia port): send count UDP datagrams of size bytes at rate packets/s (defaults 1000, 100, 1000; dport 9)",
  handler: (a, ctx) => {
    const ends = probeEnds(a, ctx.device);
    if (typeof ends === "string") return ends;
    const { target, source } = ends;
    const device = ctx.device;
    const make = (write: (text: string) => void, done: () => void): TrafficJob =>
      new TrafficJob(
        device.stack,
        device.timers,
        () => device.now(),
        {
          target,
          sourceAddress: source.address,
          sourceInterface: source.ifc,
          size: Number(a.size ?? 100),
          ratePps: Number(a.rate ?? 1000),
          count: Number(a.count ?? 1000),
          dstPort: Number(a.dport ?? 9),
          srcPort: a.sport !== undefined ? Number(a.sport) : 49152 + (device.ctx.randomU32() % 16384),
          // `dscp N` is the ToS byte's upper six bits (N << 2), as `tos` would give it whole.
          tos: a.dscp !== undefined ? Number(a.dscp) << 2 : Number(a.tos ?? 0),
          ttl: a.ttl !== undefined ? Number(a.ttl) : undefined,
          dontFragment: a["df-bit"] === true,
        },
        write,
        done,
      );
    // `background`: the stream runs on the device's timers while later commands run (several streams at once,
    // as from several generator ports); the command prints only the header.
    if (a.background === true) {
      let header = "";
      make(
        (t) => {
          header += t;
        },
        () => {},
      ).start();
      return `${header}Running in the background\n`;
    }
    return startJob(ctx, make);
  },
};

function prefixArgs(a: Args): { address: number; length?: number } {
  const address = parseIpv4Address(String(a.address))!;
  const mask = a.mask === undefined ? undefined : parseIpv4Address(String(a.mask));
  return { address, length: mask === undefined || mask === null ? undefined : (lengthFromMask(mask) ?? undefined) };
}

function interfaceArg(ctx: Ctx, a: Args): RouterInterface | string | undefined {
  if (a.interface === undefined) return undefined;
  return ctx.device.findInterface(String(a.interface)) ?? "% Invalid interface";
}

const DEBUG_NAMES: Record<string, string> = {
  ipIcmp: "ICMP packet debugging is",
  ipPacket: "IP packet debugging is",
  arp: "ARP packet debugging is",
  ipRouting: "IP routing debugging is",
};

function setDebug(ctx: Ctx, flag: "ipIcmp" | "ipPacket" | "arp" | "ipRouting", detail = false): string {
  const on = !ctx.negated;
  ctx.device.debug[flag] = on;
  if (flag === "ipPacket") ctx.device.debug.ipPacketDetail = on && detail;
  const what =
    flag === "ipPacket" && detail
      ? "IP packet debugging is on (detailed)"
      : `${DEBUG_NAMES[flag]} ${on ? "on" : "off"}`;
  return on ? what : what.replace(/ on$/, " off");
}

const specs: CommandSpec<RouterDevice>[] = [
  ping,
  traceroute,
  trafficCommand,
  {
    syntax: "show ip route [static | connected]:source",
    handler: (a, ctx) => renderShowIpRoute(ctx.device, { source: a.source as "static" | "connected" | undefined }),
  },
  {
    syntax: "show ip route A.B.C.D:address [A.B.C.D:mask]",
    handler: (a, ctx) => {
      const p = prefixArgs(a);
      return renderShowIpRouteEntry(ctx.device, p.address, p.length);
    },
  },
  {
    // Without a mask IOS takes the address's classful network (seed 003: `sh ip route 9.9.9.9 long`).
    syntax: "show ip route A.B.C.D:address [A.B.C.D:mask] longer-prefixes",
    handler: (a, ctx) => {
      const p = prefixArgs(a);
      if (a.mask === undefined) p.length = classfulLength(p.address);
      if (p.length === undefined) return "% Inconsistent address and mask";
      return renderShowIpRoute(ctx.device, { within: { prefix: p.address, length: p.length } });
    },
  },
  { syntax: "show ip cef", handler: (_a, ctx) => renderShowIpCef(ctx.device) },
  {
    syntax: "show ip cef A.B.C.D:address [A.B.C.D:mask] [detail]",
    handler: (a, ctx) => {
      const p = prefixArgs(a);
      return renderShowIpCefPrefix(ctx.device, p.address, p.length);
    },
  },
  {
    syntax: "show ip cef exact-route A.B.C.D:src A.B.C.D:dst",
    handler: (a, ctx) =>
      renderShowIpCefExactRoute(ctx.device, parseIpv4Address(String(a.src))!, parseIpv4Address(String(a.dst))!),
  },
  { syntax: "show ip interface brief", handler: (_a, ctx) => renderShowIpInterfaceBrief(ctx.device) },
  {
    syntax: "show ip interface [INTERFACE:interface]",
    handler: (a, ctx) => {
      const ifc = interfaceArg(ctx, a);
      return typeof ifc === "string" ? ifc : renderShowIpInterface(ctx.device, ifc);
    },
  },
  {
    syntax: "show interfaces [INTERFACE:interface]",
    handler: (a, ctx) => {
      const ifc = interfaceArg(ctx, a);
      return typeof ifc === "string" ? ifc : renderShowInterfaces(ctx.device, ifc);
    },
  },
  { syntax: "show ip arp", handler: (_a, ctx) => ctx.device.stack.arp.render(ctx.device.now()) },
  {
    syntax: "show {access-lists | ip access-lists}:which [WORD:name]",
    handler: (a, ctx) => {
      const lists = [...ctx.device.acls.values()].filter((l) => a.name === undefined || l.name === String(a.name));
      lists.sort((x, y) =>
        x.numbered && y.numbered
          ? Number(x.name) - Number(y.name)
          : x.numbered
            ? -1
            : y.numbered
              ? 1
              : x.name.localeCompare(y.name),
      );
      const text = lists.flatMap(renderAccessList).join("\n");
      return text === "" ? "" : `${text}\n`;
    },
  },
  {
    syntax: "show running-config [interface INTERFACE:interface]",
    handler: (a, ctx) => renderRunningConfig(ctx.device, a.interface === undefined ? undefined : String(a.interface)),
  },
  { syntax: "show logging", handler: (_a, ctx) => renderShowLogging(ctx.device) },
  { syntax: "show debugging", handler: (_a, ctx) => renderShowDebugging(ctx.device) },
  { syntax: "show clock", handler: (_a, ctx) => renderShowClock(ctx.device) },
  { syntax: "show version", handler: (_a, ctx) => renderShowVersion(ctx.device) },
  { syntax: "show ip traffic", handler: (_a, ctx) => renderShowIpTraffic(ctx.device) },
  { syntax: "debug ip icmp", no: true, handler: (_a, ctx) => setDebug(ctx, "ipIcmp") },
  { syntax: "debug ip packet [detail]", no: true, handler: (a, ctx) => setDebug(ctx, "ipPacket", a.detail === true) },
  { syntax: "debug arp", no: true, handler: (_a, ctx) => setDebug(ctx, "arp") },
  { syntax: "debug ip routing", no: true, handler: (_a, ctx) => setDebug(ctx, "ipRouting") },
  {
    syntax: "undebug all",
    handler: (_a, ctx) => {
      allDebugOff(ctx.device.debug);
      return "All possible debugging has been turned off";
    },
  },
  {
    syntax: "debug all",
    no: true,
    handler: (_a, ctx) => {
      if (!ctx.negated) return "% debug all is not supported in wanlab; name the debug you want";
      allDebugOff(ctx.device.debug);
      return "All possible debugging has been turned off";
    },
  },
  {
    syntax: "clear counters [INTERFACE:interface]",
    handler: (a, ctx) => {
      const only = interfaceArg(ctx, a);
      if (typeof only === "string") return only;
      const device = ctx.device;
      ctx.session.ask(
        `Clear "show interface" counters on ${only ? "this interface" : "all interfaces"} [confirm]`,
        (answer) => {
          if (!confirmed(answer)) return;
          for (const ifc of only ? [only] : device.interfaces()) {
            for (const k of Object.keys(ifc.counters) as (keyof typeof ifc.counters)[]) ifc.counters[k] = 0;
            // The output queue's drop counts are interface counters too (a subinterface shares its port's queue).
            if (ifc.parent === null) device.stack.outputQueues.queueOf(ifc)?.scheduler.clearCounters?.();
            device.countersClearedAt.set(ifc.name, device.now());
          }
          device.log(
            `%CLEAR-5-COUNTERS: Clear counter on ${only ? `interface ${only.name}` : "all interfaces"} by console`,
          );
        },
      );
    },
  },
  { syntax: "clear ip arp", handler: (_a, ctx) => ctx.device.stack.arp.clearDynamic() },
  { syntax: "clear logging", handler: (_a, ctx) => ctx.device.logging.clear() },
  {
    syntax: "clear access-list counters [WORD:name]",
    handler: (a, ctx) => {
      for (const l of ctx.device.acls.values())
        if (a.name === undefined || l.name === String(a.name)) l.clearCounters();
    },
  },
  ...terminalCommands,
  iosTelnetCommand,
  {
    syntax: "test crash",
    help: "Crash the device on purpose (the supervisor restarts it from its running configuration)",
    handler: (_a, ctx) => {
      // The CLI engine reports handler exceptions as errors; the actor raises this one for real.
      ctx.device.crashRequested = true;
    },
  },
];

/** Registers the exec commands. */
export function addExecCommands(table: CommandTable<RouterDevice>): void {
  table.add("exec", ...specs);
}

/** `undebug all`: every debug switch off, whatever switches exist. */
function allDebugOff(debug: DebugFlags): void {
  for (const key of Object.keys(debug) as (keyof DebugFlags)[]) debug[key] = false;
}
