// IOS RIP commands: `router rip` and its config-router lines (version,
// auto-summary, network, passive-interface, default-information originate
// [route-map], distribute-list prefix in|out [interface], redistribute
// connected|static|ospf N|eigrp N [metric] [route-map], default-metric,
// distance, timers basic), the interface's
// `[no] ip split-horizon`, and the shows. `router rip` starts the process on
// the router's protocol set, `no router rip` stops it; a change reconfigures
// the running process. RIP's config-router lines live in their own mode
// (prompt `config-router`), so `?` lists RIP's commands only, as on IOS.

import { type RedistributionSource, sameRedistributionSource } from "../../protocols/redistribution.ts";
import { classfulNetwork, type RipConfig } from "../../protocols/rip/rip-config.ts";
import { ripProtocol } from "../../protocols/rip/rip-protocol.ts";
import { parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import { applyPassiveInterface } from "../passive-interface.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { renderShowIpRoute } from "../router/show-ip-route.ts";
import { ripRenderer } from "./rip-debug.ts";
import { describeRipCommands } from "./rip-help.ts";
import { deleteRipConfig, newRipConfig, RIP_INSTANCE, ripConfig, ripInstance, setSplitHorizon } from "./rip-store.ts";
import { renderShowIpRipDatabase } from "./show-rip.ts";

type Ctx = CommandContext<RouterDevice>;

/** The mode of the lines inside `router rip`. */
export const RIP_ROUTER_MODE = "config-router-rip";

/** Wraps a config-router handler: the process's configuration, then reconfigure it. */
function onProcess(fn: (c: RipConfig, a: Args, ctx: Ctx) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const c = ripConfig(ctx.device);
    if (c === undefined) return "% RIP process no longer exists";
    const r = fn(c, a, ctx);
    ripInstance(ctx.device)?.reconfigure();
    return r;
  };
}

/**
 * One `redistribute` line per source, as IOS keeps it: typing the source again adds or replaces the metric
 * and route map given and keeps the others; the no form removes the line.
 */
function redistribute(c: RipConfig, source: RedistributionSource, a: Args, negated: boolean): void {
  const i = c.redistribute.findIndex((r) => sameRedistributionSource(r.source, source));
  if (negated) {
    if (i >= 0) c.redistribute.splice(i, 1);
    return;
  }
  const old = i >= 0 ? c.redistribute[i]! : { source };
  const line = {
    ...old,
    ...(a.metric !== undefined ? { metric: Number(a.metric) } : {}),
    ...(a.map !== undefined ? { routeMap: String(a.map) } : {}),
  };
  if (i >= 0) c.redistribute[i] = line;
  else c.redistribute.push(line);
}

const routerSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "version <1-2>:version",
    no: "version [<1-2>:version]",
    handler: onProcess((c, a, ctx) => {
      if (ctx.negated) delete c.version;
      else c.version = Number(a.version) === 1 ? 1 : 2;
    }),
  },
  {
    syntax: "auto-summary",
    no: true,
    handler: onProcess((c, _a, ctx) => {
      c.autoSummary = !ctx.negated;
    }),
  },
  {
    syntax: "network A.B.C.D:address",
    no: true,
    handler: onProcess((c, a, ctx) => {
      const address = parseIpv4Address(String(a.address))! >>> 0;
      const { network, length } = classfulNetwork(address);
      if (length === 32) return "% Invalid network";
      const i = c.networks.indexOf(network);
      if (ctx.negated) {
        if (i >= 0) c.networks.splice(i, 1);
      } else if (i < 0) c.networks.push(network);
    }),
  },
  {
    syntax: "passive-interface {default | INTERFACE:ifc}",
    no: true,
    handler: onProcess((c, a, ctx) => applyPassiveInterface(c, a, ctx)),
  },
  {
    syntax: "default-information originate [route-map WORD:map]",
    no: "default-information originate [LINE]",
    handler: onProcess((c, a, ctx) => {
      if (ctx.negated) delete c.defaultOriginate;
      else c.defaultOriginate = a.map === undefined ? {} : { routeMap: String(a.map) };
    }),
  },
  {
    syntax: "distribute-list prefix WORD:list {in | out}:direction [INTERFACE:ifc]",
    no: true,
    handler: onProcess((c, a, ctx) => {
      const direction = a.direction === "in" ? "in" : "out";
      const ifc = a.ifc === undefined ? undefined : String(a.ifc);
      if (ifc !== undefined && ctx.device.stack.interface(ifc) === undefined) return "% Invalid interface";
      // One list per direction and interface, as IOS keeps it: a new one replaces the old.
      c.distributeLists = c.distributeLists.filter((d) => !(d.direction === direction && d.interface === ifc));
      if (!ctx.negated)
        c.distributeLists.push({
          direction,
          prefixList: String(a.list),
          ...(ifc !== undefined ? { interface: ifc } : {}),
        });
    }),
  },
  {
    syntax: "redistribute {connected | static}:source [metric <0-16>:metric] [route-map WORD:map]",
    no: "redistribute {connected | static}:source [LINE]",
    handler: onProcess((c, a, ctx) =>
      redistribute(c, a.source === "connected" ? { protocol: "connected" } : { protocol: "static" }, a, ctx.negated),
    ),
  },
  {
    syntax: "redistribute {ospf | eigrp}:proto <1-65535>:process [metric <0-16>:metric] [route-map WORD:map]",
    no: "redistribute {ospf | eigrp}:proto <1-65535>:process [LINE]",
    handler: onProcess((c, a, ctx) =>
      redistribute(c, { protocol: a.proto === "ospf" ? "ospf" : "eigrp", process: Number(a.process) }, a, ctx.negated),
    ),
  },
  {
    syntax: "default-metric <1-16>:metric",
    no: "default-metric [<1-16>:metric]",
    handler: onProcess((c, a, ctx) => {
      if (ctx.negated) delete c.defaultMetric;
      else c.defaultMetric = Number(a.metric);
    }),
  },
  {
    syntax: "distance <1-255>:distance",
    no: "distance [<1-255>:distance]",
    handler: onProcess((c, a, ctx) => {
      if (ctx.negated) delete c.distance;
      else c.distance = Number(a.distance);
    }),
  },
  {
    syntax: "timers basic <5-4294967>:update <1-4294967>:invalid <0-4294967>:holddown <1-4294967>:flush",
    no: "timers basic [LINE]",
    handler: onProcess((c, a, ctx) => {
      c.timers = ctx.negated
        ? { update: 30, invalid: 180, holddown: 180, flush: 240 }
        : {
            update: Number(a.update),
            invalid: Number(a.invalid),
            holddown: Number(a.holddown),
            flush: Number(a.flush),
          };
    }),
  },
];

const globalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "router rip",
    no: true,
    handler: (_a, ctx) => {
      if (ctx.negated) {
        ctx.device.protocols.stop(RIP_INSTANCE);
        deleteRipConfig(ctx.device);
        return;
      }
      if (ripConfig(ctx.device) === undefined) {
        const config = newRipConfig(ctx.device);
        ctx.device.protocols.start(ripProtocol(config), ripRenderer(ctx.device), RIP_INSTANCE);
      }
      ctx.enter(RIP_ROUTER_MODE);
    },
  },
];

const interfaceSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "ip split-horizon",
    no: true,
    handler: (_a, ctx) => {
      const ifc = ctx.device.stack.interface(String(ctx.data));
      if (ifc === undefined) return "% Interface no longer exists";
      setSplitHorizon(ifc, !ctx.negated);
      ripInstance(ctx.device)?.reconfigure();
    },
  },
];

const execSpecs: CommandSpec<RouterDevice>[] = [
  { syntax: "show ip rip database", handler: (_a, ctx) => renderShowIpRipDatabase(ctx.device) },
  { syntax: "show ip route rip", handler: (_a, ctx) => renderShowIpRoute(ctx.device, { source: "rip" }) },
  { syntax: "debug ip rip", no: true, handler: (_a, ctx) => setRipDebug(ctx, !ctx.negated) },
  { syntax: "undebug ip rip", handler: (_a, ctx) => setRipDebug(ctx, false) },
];

/** `[no] debug ip rip`, `undebug ip rip`: the switch the renderer reads. */
function setRipDebug(ctx: Ctx, on: boolean): string {
  ctx.device.debug.ipRip = on;
  return `RIP protocol debugging is ${on ? "on" : "off"}`;
}

/** Registers the RIP commands on the router table. */
export function addRipCommands(table: CommandTable<RouterDevice>): void {
  table.defineMode(RIP_ROUTER_MODE, { prompt: "config-router" });
  table.add("config", ...globalSpecs);
  table.add(RIP_ROUTER_MODE, ...routerSpecs);
  table.add("config-if", ...interfaceSpecs);
  table.add("config-subif", ...interfaceSpecs);
  table.add("exec", ...execSpecs);
  describeRipCommands(table);
}
