// The command table of the Linux-style host (`"kind": "linux-host"`): an end
// station configured with iproute2 commands, both in its .cfg (read as a
// shell script of those commands) and at its `root@H2:~#` prompt: `hostname
// NAME`, `ip link set eth0 up|down|mtu N`, `ip addr add|del A/len dev eth0`,
// `ip route add|replace|del default via A`. It shows `ip addr`, `ip link`,
// `ip route`, `ip neigh`, and probes with `ping` (iputils), `traceroute` (UDP)
// and `tracepath`. It does not route and has no IOS configuration mode: the
// prompt has no `configure terminal`, `enable` or `disable`.

import { LinuxPingJob } from "../../dataplane/pipeline/linux-ping.ts";
import { LinuxTracepathJob } from "../../dataplane/pipeline/linux-tracepath.ts";
import { LinuxTracerouteJob } from "../../dataplane/pipeline/linux-traceroute.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { formatIpv4Address, maskFromLength, parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import { describeCommands } from "../cli/help.ts";
import { type CommandContext, type CommandSpec, CommandTable, type HandlerResult } from "../cli/modes.ts";
import { describeLinuxHostCommands } from "../router/command-help.ts";
import { startExecJob } from "../router/exec-job.ts";
import type { RouterDevice } from "../router/router-device.ts";
import {
  findLinuxInterface,
  gatewayInterface,
  renderIpAddr,
  renderIpLink,
  renderIpNeigh,
  renderIpRoute,
} from "./linux-ip.ts";
import { IPERF_HELP, IperfClientJob, IperfServerJob, parseIperf, reportLine, startIperfDaemon } from "./linux-iperf.ts";
import { IPERF_UDP_LEN, IperfUdpClientJob, IperfUdpServerJob } from "./linux-iperf-udp.ts";
import { parseLinuxPing, parseLinuxTracepath, parseLinuxTraceroute } from "./linux-probe-args.ts";

type Ctx = CommandContext<RouterDevice>;

/** A Linux error: printed as is, and a rejected line when the .cfg loads. */
function fail(message: string): HandlerResult {
  return { error: { kind: "handler", message } };
}

/** The interface an `ip` command names, or iproute2's error. */
function device(ctx: Ctx, name: string): RouterInterface | HandlerResult {
  return findLinuxInterface(ctx.device, name) ?? fail(`Cannot find device "${name}"`);
}

function isInterface(x: RouterInterface | HandlerResult): x is RouterInterface {
  return typeof x === "object" && x !== null && "config" in x;
}

/** Starts a probing job that streams its output and ends the command when done. */
function runJob(ctx: Ctx, make: Parameters<typeof startExecJob>[1]): void {
  startExecJob(ctx.device, make);
}

/** Configuration commands: valid in the .cfg and at the prompt. */
const configure: CommandSpec<RouterDevice>[] = [
  { syntax: "iperf [LINE:args]", handler: iperf },
  {
    syntax: "hostname WORD:name",
    handler: (a, ctx) => {
      ctx.device.hostname = String(a.name);
    },
  },
  {
    syntax: "ip link set [dev] WORD:ifname {up | down}:state",
    handler: (a, ctx) => {
      const ifc = device(ctx, String(a.ifname));
      if (!isInterface(ifc)) return ifc;
      ifc.config.shutdown = a.state === "down";
      // As on Linux, taking a device down deletes the routes through it, the default route included
      // (bringing it up again restores only the kernel's connected routes).
      const gw = ctx.device.stack.defaultGateway;
      if (ifc.config.shutdown && gw !== null && gatewayInterface(ctx.device, gw) === ifc)
        ctx.device.stack.defaultGateway = null;
      ctx.device.interfaceChanged(ifc);
      if (ifc.lineProtocolUp) ctx.device.stack.announce(ifc);
    },
  },
  {
    syntax: "ip link set [dev] WORD:ifname mtu <68-18000>:mtu",
    handler: (a, ctx) => {
      const ifc = device(ctx, String(a.ifname));
      if (!isInterface(ifc)) return ifc;
      ifc.config.mtu = Number(a.mtu);
      ctx.device.interfaceChanged(ifc);
    },
  },
  {
    syntax: "ip address add A.B.C.D/nn:prefix dev WORD:ifname",
    handler: (a, ctx) => addAddress(ctx, String(a.prefix), String(a.ifname)),
  },
  {
    syntax: "ip address del A.B.C.D/nn:prefix dev WORD:ifname",
    handler: (a, ctx) => deleteAddress(ctx, String(a.prefix), String(a.ifname)),
  },
  {
    syntax: "ip route {add | replace}:op default via A.B.C.D:gateway [dev WORD:ifname]",
    handler: (a, ctx) => setDefault(ctx, a),
  },
  {
    syntax: "ip route del default [via A.B.C.D:gateway]",
    handler: (a, ctx) => {
      const gw = ctx.device.stack.defaultGateway;
      if (gw === null || (a.gateway !== undefined && parseIpv4Address(String(a.gateway)) !== gw))
        return fail("RTNETLINK answers: No such process");
      ctx.device.stack.defaultGateway = null;
    },
  },
  {
    // Only the default route: a host sends to its connected subnets directly and everything else to its gateway.
    syntax: "ip route {add | replace}:op A.B.C.D/nn:prefix via A.B.C.D:gateway",
    handler: () =>
      fail(
        "RTNETLINK answers: Operation not supported (a wanlab host routes by its connected subnets and one default route)",
      ),
  },
];

function addAddress(ctx: Ctx, prefix: string, name: string): HandlerResult {
  const ifc = device(ctx, name);
  if (!isInterface(ifc)) return ifc;
  const [text, len] = prefix.split("/");
  const address = parseIpv4Address(text!)!;
  const length = Number(len);
  if (ifc.addresses().some((x) => x.address === address)) return fail("RTNETLINK answers: File exists");
  const mask = maskFromLength(length);
  for (const other of ctx.device.interfaces())
    for (const x of other.addresses())
      if (other !== ifc && ((x.address ^ address) & maskFromLength(Math.min(x.length, length))) === 0)
        return fail(
          `RTNETLINK answers: File exists (wanlab: ${formatIpv4Address((address & mask) >>> 0)}/${length} overlaps a subnet of another interface)`,
        );
  if (ifc.config.address === undefined) ifc.config.address = { address, length };
  else ifc.config.secondaries.push({ address, length });
  ctx.device.interfaceChanged(ifc);
  if (ifc.lineProtocolUp) ctx.device.stack.announce(ifc);
}

function deleteAddress(ctx: Ctx, prefix: string, name: string): HandlerResult {
  const ifc = device(ctx, name);
  if (!isInterface(ifc)) return ifc;
  const [text, len] = prefix.split("/");
  const address = parseIpv4Address(text!)!;
  const match = (x: { address: number; length: number }) => x.address === address && x.length === Number(len);
  if (ifc.config.address !== undefined && match(ifc.config.address)) {
    // Linux promotes a secondary when the primary goes.
    ifc.config.address = ifc.config.secondaries.shift();
  } else if (ifc.config.secondaries.some(match)) {
    ifc.config.secondaries = ifc.config.secondaries.filter((x) => !match(x));
  } else return fail("RTNETLINK answers: Cannot assign requested address");
  ctx.device.interfaceChanged(ifc);
}

function setDefault(ctx: Ctx, a: Args): HandlerResult {
  const gw = parseIpv4Address(String(a.gateway))!;
  const via = gatewayInterface(ctx.device, gw);
  if (via === undefined) return fail("Error: Nexthop has invalid gateway.");
  if (a.ifname !== undefined) {
    const named = device(ctx, String(a.ifname));
    if (!isInterface(named)) return named;
    if (named !== via) return fail("Error: Nexthop has invalid gateway.");
  }
  if (a.op === "add" && ctx.device.stack.defaultGateway !== null) return fail("RTNETLINK answers: File exists");
  ctx.device.stack.defaultGateway = gw;
}

/** `iperf`: a daemon (`-s -D`) in the .cfg or at the prompt; a foreground server or a client at the prompt only. */
function iperf(a: Args, ctx: Ctx): HandlerResult {
  const parsed = parseIperf(String(a.args ?? ""));
  if (typeof parsed === "string") return fail(parsed);
  const d = ctx.device;
  if (parsed.mode === "server" && parsed.daemon) {
    const text = startIperfDaemon(d, parsed.port, parsed.udp);
    return text.startsWith("bind failed") ? fail(text) : text;
  }
  if (d.booting) return fail("iperf: only a daemon (iperf -s -D) can start from the boot script");
  if (parsed.mode === "server" && parsed.udp)
    runJob(ctx, (write, done) => new IperfUdpServerJob(d, parsed.port, reportLine, write, done));
  else if (parsed.mode === "server") runJob(ctx, (write, done) => new IperfServerJob(d, parsed, write, done));
  else if (parsed.udp) {
    const o = { ...parsed, len: parsed.len ?? IPERF_UDP_LEN };
    runJob(ctx, (write, done) => new IperfUdpClientJob(d, o, reportLine, write, done));
  } else runJob(ctx, (write, done) => new IperfClientJob(d, parsed, write, done));
}

/** What the prompt has besides the configuration commands. */
const shell: CommandSpec<RouterDevice>[] = [
  { syntax: "hostname", handler: (_a, ctx) => ctx.device.hostname },
  {
    syntax: "ip address [show] [[dev] WORD:ifname]",
    handler: (a, ctx) => {
      const only = a.ifname === undefined ? undefined : String(a.ifname);
      if (only !== undefined && findLinuxInterface(ctx.device, only) === undefined)
        return fail(`Device "${only}" does not exist.`);
      return renderIpAddr(ctx.device, only);
    },
  },
  {
    syntax: "ip link [show] [[dev] WORD:ifname]",
    handler: (a, ctx) => {
      const only = a.ifname === undefined ? undefined : String(a.ifname);
      if (only !== undefined && findLinuxInterface(ctx.device, only) === undefined)
        return fail(`Device "${only}" does not exist.`);
      return renderIpLink(ctx.device, only);
    },
  },
  { syntax: "ip route [show]", handler: (_a, ctx) => renderIpRoute(ctx.device) },
  { syntax: "ip neighbour [show]", handler: (_a, ctx) => renderIpNeigh(ctx.device) },
  {
    syntax: "ping [LINE:args]",
    handler: (a, ctx) => {
      const parsed = parseLinuxPing(String(a.args ?? ""));
      if (typeof parsed === "string") return parsed;
      const d = ctx.device;
      runJob(
        ctx,
        (write, done) =>
          new LinuxPingJob(
            d.stack,
            d.timers,
            () => d.now(),
            { ...parsed, id: d.ctx.randomU32() & 0xffff },
            write,
            done,
          ),
      );
    },
  },
  {
    syntax: "traceroute [LINE:args]",
    handler: (a, ctx) => {
      const parsed = parseLinuxTraceroute(String(a.args ?? ""));
      if (typeof parsed === "string") return parsed;
      const d = ctx.device;
      // Linux picks an ephemeral source port (32768-60999).
      const sourcePort = 32768 + (d.ctx.randomU32() % 28232);
      runJob(
        ctx,
        (write, done) =>
          new LinuxTracerouteJob(d.stack, d.timers, () => d.now(), { ...parsed, sourcePort }, write, done),
      );
    },
  },
  {
    syntax: "tracepath [LINE:args]",
    handler: (a, ctx) => {
      const parsed = parseLinuxTracepath(String(a.args ?? ""));
      if (typeof parsed === "string") return parsed;
      const d = ctx.device;
      const sourcePort = 32768 + (d.ctx.randomU32() % 28232);
      runJob(
        ctx,
        (write, done) =>
          new LinuxTracepathJob(d.stack, d.timers, () => d.now(), { ...parsed, sourcePort }, write, done),
      );
    },
  },
  { syntax: "test crash", handler: (_a, ctx) => void (ctx.device.crashRequested = true) },
];

/** The prompt of a Linux host: root's shell, `root@H2:~#`. */
export function linuxPrompt(hostname: string): string {
  return `root@${hostname}:~#`;
}

let table: CommandTable<RouterDevice> | null = null;

/** The shared Linux host command table. */
export function linuxHostCommandTable(): CommandTable<RouterDevice> {
  if (table === null) {
    table = new CommandTable<RouterDevice>({ prompt: (host) => linuxPrompt(host), iosExec: false });
    table.add("config", ...configure);
    table.add("user", ...configure, ...shell);
    describeLinuxHostCommands(table);
    describeCommands(table, ["exec", "user", "config"], IPERF_HELP);
  }
  return table;
}
