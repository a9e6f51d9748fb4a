// IOS classic EIGRP commands: `router eigrp <AS>` and its config-router lines
// (network [wildcard], passive-interface [default], eigrp router-id, variance,
// maximum-paths, offset-list, distribute-list prefix|ACL in|out [IF], redistribute connected|static|rip|ospf N|eigrp N
// [metric ...] [route-map] through the shared redistribution watch,
// default-metric, [no] auto-summary), the interface's `ip hello-interval eigrp`,
// `ip hold-time eigrp`, `[no] ip split-horizon eigrp`, `[no] ip next-hop-self
// eigrp` and `ip summary-address eigrp`, and the shows and clear. `router
// eigrp N` starts the process on the router's protocol set, `no router eigrp
// N` stops it; a change reconfigures the running process. EIGRP's lines live
// in their own mode (prompt `config-router`), so `?` lists EIGRP's commands.

import type { CompositeMetric } from "../../dataplane/route-map.ts";
import type { EigrpConfig } from "../../protocols/eigrp/eigrp-config.ts";
import { eigrpProtocol } from "../../protocols/eigrp/eigrp-protocol.ts";
import { type RedistributionSource, sameRedistributionSource } from "../../protocols/redistribution.ts";
import { EIGRP_STUB } from "../../wire/eigrp.ts";
import { lengthFromMask, parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import { applyPassiveInterface } from "../passive-interface.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { renderShowIpRoute } from "../router/show-ip-route.ts";
import { describeEigrpCommands } from "./eigrp-help.ts";
import { addEigrpNamedCommands } from "./eigrp-named.ts";
import { applyEigrpNetwork, applyEigrpRouterId } from "./eigrp-process-lines.ts";
import {
  deleteEigrpConfig,
  eigrpConfigs,
  eigrpInstance,
  eigrpInstanceName,
  eigrpInstances,
  eigrpInterfaceConfig,
  newEigrpConfig,
  reconfigureEigrp,
} from "./eigrp-store.ts";
import { eigrpRenderer } from "./eigrp-syslog.ts";
import {
  renderShowIpEigrpInterfaces,
  renderShowIpEigrpNeighbors,
  renderShowIpEigrpTopology,
  renderShowIpEigrpTraffic,
} from "./show-eigrp.ts";

type Ctx = CommandContext<RouterDevice>;

/** The mode of the lines inside `router eigrp N`. */
export const EIGRP_ROUTER_MODE = "config-router-eigrp";

const ip = (a: Args, name: string): number => parseIpv4Address(String(a[name]))! >>> 0;

/** Wraps a config-router handler: the process's configuration, then reconfigure it. */
function onProcess(fn: (c: EigrpConfig, a: Args, ctx: Ctx) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const as = (ctx.data as { eigrp?: number } | undefined)?.eigrp;
    const c = as === undefined ? undefined : eigrpConfigs(ctx.device).get(as);
    if (c === undefined) return "% EIGRP process no longer exists";
    const r = fn(c, a, ctx);
    eigrpInstance(ctx.device, c.as)?.reconfigure();
    return r;
  };
}

const METRIC_AND_MAP =
  "[metric <1-4294967295>:bw <0-4294967295>:delay <0-255>:rel <1-255>:load <1-65535>:mtu] [route-map WORD:map]";

/** The five values of `metric`/`default-metric`, if given. */
function compositeOf(a: Args): CompositeMetric | undefined {
  if (a.bw === undefined) return undefined;
  return {
    bandwidthKbps: Number(a.bw),
    delayTensOfUs: Number(a.delay),
    reliability: Number(a.rel),
    load: Number(a.load),
    mtu: Number(a.mtu),
  };
}

/** One `redistribute` line per source, as IOS keeps it: typing the source again replaces the line. */
function redistribute(c: EigrpConfig, source: RedistributionSource, a: Args, negated: boolean): void {
  const i = c.redistribute.findIndex((r) => sameRedistributionSource(r.source, source));
  if (negated) {
    if (i >= 0) c.redistribute.splice(i, 1);
    return;
  }
  const metric = compositeOf(a);
  const line = {
    source,
    ...(metric !== undefined ? { metric } : {}),
    ...(a.map !== undefined ? { routeMap: String(a.map) } : {}),
  };
  if (i >= 0) c.redistribute[i] = line;
  else c.redistribute.push(line);
}

/** `distribute-list`: one list per direction and interface, as IOS keeps it (a new one replaces the old). */
function distributeList(c: EigrpConfig, kind: "prefix" | "acl", a: Args, ctx: Ctx): HandlerResult {
  const direction = a.direction === "in" ? "in" : "out";
  const ifc = a.ifc === undefined ? undefined : String(a.ifc);
  if (ifc !== undefined && ctx.device.stack.interface(ifc) === undefined) return "% Invalid interface";
  c.distributeLists = c.distributeLists.filter((d) => !(d.direction === direction && d.interface === ifc));
  if (!ctx.negated)
    c.distributeLists.push({
      direction,
      kind,
      list: String(kind === "prefix" ? a.list : a.acl),
      ...(ifc !== undefined ? { interface: ifc } : {}),
    });
}

const routerSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "network A.B.C.D:address [A.B.C.D:wildcard]",
    no: true,
    handler: onProcess((c, a, ctx) => applyEigrpNetwork(c, a, ctx.negated)),
  },
  {
    syntax: "passive-interface {default | INTERFACE:ifc}",
    no: true,
    handler: onProcess((c, a, ctx) => applyPassiveInterface(c, a, ctx)),
  },
  {
    syntax: "eigrp router-id A.B.C.D:id",
    no: "eigrp router-id [A.B.C.D:id]",
    handler: onProcess((c, a, ctx) => applyEigrpRouterId(c, a, ctx.negated)),
  },
  {
    syntax: "variance <1-128>:v",
    no: "variance [<1-128>:v]",
    handler: onProcess((c, a, ctx) => {
      c.variance = ctx.negated ? 1 : Number(a.v);
    }),
  },
  {
    syntax: "maximum-paths <1-32>:n",
    no: "maximum-paths [<1-32>:n]",
    handler: onProcess((c, a, ctx) => {
      c.maximumPaths = ctx.negated ? 4 : Number(a.n);
    }),
  },
  {
    syntax: "offset-list {<0-99> | WORD}:acl {in | out}:direction <0-2147483647>:offset [INTERFACE:ifc]",
    no: true,
    handler: onProcess((c, a, ctx) => {
      const direction = a.direction === "in" ? "in" : "out";
      const ifc = a.ifc === undefined ? undefined : String(a.ifc);
      if (ifc !== undefined && ctx.device.stack.interface(ifc) === undefined) return "% Invalid interface";
      c.offsetLists = c.offsetLists.filter((o) => !(o.direction === direction && o.interface === ifc));
      if (!ctx.negated)
        c.offsetLists.push({
          acl: String(a.acl),
          direction,
          offset: Number(a.offset),
          ...(ifc !== undefined ? { interface: ifc } : {}),
        });
    }),
  },
  {
    syntax: "distribute-list prefix WORD:list {in | out}:direction [INTERFACE:ifc]",
    no: true,
    handler: onProcess((c, a, ctx) => distributeList(c, "prefix", a, ctx)),
  },
  {
    syntax: "distribute-list {<1-199> | <1300-2699> | WORD}:acl {in | out}:direction [INTERFACE:ifc]",
    no: true,
    handler: onProcess((c, a, ctx) => distributeList(c, "acl", a, ctx)),
  },
  {
    syntax: `redistribute {connected | static | rip}:source ${METRIC_AND_MAP}`,
    no: "redistribute {connected | static | rip}:source [LINE]",
    handler: onProcess((c, a, ctx) => {
      const protocol = a.source === "connected" ? "connected" : a.source === "static" ? "static" : "rip";
      redistribute(c, { protocol }, a, ctx.negated);
    }),
  },
  {
    syntax: `redistribute {ospf | eigrp}:proto <1-65535>:process ${METRIC_AND_MAP}`,
    no: "redistribute {ospf | eigrp}:proto <1-65535>:process [LINE]",
    handler: onProcess((c, a, ctx) => {
      const process = Number(a.process);
      if (a.proto === "eigrp" && process === c.as) return "% Cannot redistribute EIGRP into itself";
      redistribute(c, { protocol: a.proto === "ospf" ? "ospf" : "eigrp", process }, a, ctx.negated);
    }),
  },
  {
    syntax: "default-metric <1-4294967295>:bw <0-4294967295>:delay <0-255>:rel <1-255>:load <1-65535>:mtu",
    no: "default-metric [LINE]",
    handler: onProcess((c, a, ctx) => {
      if (ctx.negated) delete c.defaultMetric;
      else c.defaultMetric = compositeOf(a)!;
    }),
  },
  {
    syntax: "eigrp stub [connected] [summary] [static] [redistributed] [receive-only]",
    no: "eigrp stub [LINE]",
    handler: onProcess((c, a, ctx) => {
      if (ctx.negated) {
        delete c.stub;
        return;
      }
      const words: Array<[string, number]> = [
        ["connected", EIGRP_STUB.CONNECTED],
        ["summary", EIGRP_STUB.SUMMARY],
        ["static", EIGRP_STUB.STATIC],
        ["redistributed", EIGRP_STUB.REDISTRIBUTED],
        ["receive-only", EIGRP_STUB.RECEIVE_ONLY],
      ];
      let flags = 0;
      for (const [w, f] of words) if (a[w] === true) flags |= f;
      if ((flags & EIGRP_STUB.RECEIVE_ONLY) !== 0 && flags !== EIGRP_STUB.RECEIVE_ONLY)
        return "% receive-only cannot be combined with other options";
      // Without a keyword IOS advertises connected and summary routes.
      c.stub = flags === 0 ? EIGRP_STUB.CONNECTED | EIGRP_STUB.SUMMARY : flags;
    }),
  },
  {
    syntax: "auto-summary",
    no: true,
    handler: onProcess((c, _a, ctx) => {
      c.autoSummary = !ctx.negated;
    }),
  },
];

const globalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "router eigrp <1-65535>:as",
    no: true,
    handler: (a, ctx) => {
      const as = Number(a.as);
      // An address family of `router eigrp NAME` owns this AS: classic commands must not reach it.
      if (eigrpConfigs(ctx.device).get(as)?.named !== undefined)
        return `% AS ${as} is already used by another EIGRP process`;
      if (ctx.negated) {
        ctx.device.protocols.stop(eigrpInstanceName(as));
        deleteEigrpConfig(ctx.device, as);
        return;
      }
      if (!eigrpConfigs(ctx.device).has(as)) {
        const config = newEigrpConfig(ctx.device, as);
        ctx.device.protocols.start(eigrpProtocol(config), eigrpRenderer(ctx.device), eigrpInstanceName(as));
      }
      ctx.enter(EIGRP_ROUTER_MODE, { eigrp: as });
    },
  },
];

/** Wraps an interface handler: the interface's settings for the AS, then that process reconfigured. */
function onEigrpInterface(fn: (s: ReturnType<typeof eigrpInterfaceConfig>, a: Args, ctx: Ctx) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const ifc = ctx.device.stack.interface(String(ctx.data));
    if (ifc === undefined) return "% Interface no longer exists";
    const as = Number(a.as);
    const r = fn(eigrpInterfaceConfig(ifc, as), a, ctx);
    reconfigureEigrp(ctx.device, as);
    return r;
  };
}

const interfaceSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "ip authentication mode eigrp <1-65535>:as md5",
    no: true,
    handler: onEigrpInterface((s, _a, ctx) => {
      s.md5 = !ctx.negated;
    }),
  },
  {
    syntax: "ip authentication key-chain eigrp <1-65535>:as WORD:chain",
    no: "ip authentication key-chain eigrp <1-65535>:as [WORD:chain]",
    handler: onEigrpInterface((s, a, ctx) => {
      if (ctx.negated) delete s.keyChain;
      else s.keyChain = String(a.chain);
    }),
  },
  {
    syntax: "ip hello-interval eigrp <1-65535>:as <1-65535>:seconds",
    no: "ip hello-interval eigrp <1-65535>:as [<1-65535>:seconds]",
    handler: onEigrpInterface((s, a, ctx) => {
      if (ctx.negated) delete s.helloSeconds;
      else s.helloSeconds = Number(a.seconds);
    }),
  },
  {
    syntax: "ip hold-time eigrp <1-65535>:as <1-65535>:seconds",
    no: "ip hold-time eigrp <1-65535>:as [<1-65535>:seconds]",
    handler: onEigrpInterface((s, a, ctx) => {
      if (ctx.negated) delete s.holdSeconds;
      else s.holdSeconds = Number(a.seconds);
    }),
  },
  {
    syntax: "ip split-horizon eigrp <1-65535>:as",
    no: true,
    handler: onEigrpInterface((s, _a, ctx) => {
      s.splitHorizon = !ctx.negated;
    }),
  },
  {
    syntax: "ip next-hop-self eigrp <1-65535>:as",
    no: true,
    handler: onEigrpInterface((s, _a, ctx) => {
      s.nextHopSelf = !ctx.negated;
    }),
  },
  {
    syntax: "ip summary-address eigrp <1-65535>:as A.B.C.D:prefix A.B.C.D:mask [<1-255>:distance]",
    no: true,
    handler: onEigrpInterface((s, a, ctx) => {
      const mask = ip(a, "mask");
      const length = lengthFromMask(mask);
      if (length === null) return "% Invalid mask";
      const prefix = (ip(a, "prefix") & mask) >>> 0;
      const i = s.summaries.findIndex((x) => x.prefix === prefix && x.length === length);
      if (ctx.negated) {
        if (i >= 0) s.summaries.splice(i, 1);
        return;
      }
      const entry = { prefix, length, distance: a.distance === undefined ? 5 : Number(a.distance) };
      if (i >= 0) s.summaries[i] = entry;
      else s.summaries.push(entry);
    }),
  },
];

/** The AS of a show, or every process. */
function selected(device: RouterDevice, a: Args) {
  const all = eigrpInstances(device);
  return a.as === undefined ? all : all.filter((i) => i.config.as === Number(a.as));
}

const execSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "show ip eigrp [<1-65535>:as] neighbors [detail]",
    handler: (a, ctx) =>
      selected(ctx.device, a)
        .map((i) => renderShowIpEigrpNeighbors(i, a.detail === true))
        .join(""),
  },
  {
    syntax: "show ip eigrp [<1-65535>:as] topology [all-links]",
    handler: (a, ctx) =>
      selected(ctx.device, a)
        .map((i) => renderShowIpEigrpTopology(i, a["all-links"] === true))
        .join(""),
  },
  {
    syntax: "show ip eigrp [<1-65535>:as] interfaces",
    handler: (a, ctx) => selected(ctx.device, a).map(renderShowIpEigrpInterfaces).join(""),
  },
  {
    syntax: "show ip eigrp [<1-65535>:as] traffic",
    handler: (a, ctx) => selected(ctx.device, a).map(renderShowIpEigrpTraffic).join(""),
  },
  {
    syntax: "show ip route eigrp [<1-65535>:as]",
    handler: (_a, ctx) => renderShowIpRoute(ctx.device, { source: "eigrp" }),
  },
  {
    syntax: "clear ip eigrp [<1-65535>:as] neighbors",
    handler: (a, ctx) => {
      for (const i of selected(ctx.device, a)) i.clearNeighbors();
    },
  },
];

/** Registers the EIGRP commands on the router table. */
export function addEigrpCommands(table: CommandTable<RouterDevice>): void {
  table.defineMode(EIGRP_ROUTER_MODE, { prompt: "config-router" });
  table.add("config", ...globalSpecs);
  table.add(EIGRP_ROUTER_MODE, ...routerSpecs);
  table.add("config-if", ...interfaceSpecs);
  table.add("config-subif", ...interfaceSpecs);
  table.add("exec", ...execSpecs);
  describeEigrpCommands(table);
  addEigrpNamedCommands(table);
}
