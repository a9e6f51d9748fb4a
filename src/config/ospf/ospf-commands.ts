// IOS OSPF commands: `router ospf N` and its config-router lines (router-id,
// network ... area, passive-interface, neighbor, area stub/nssa/range/
// authentication/default-cost, default-information originate, redistribute,
// summary-address, distribute-list in, auto-cost, log-adjacency-changes), the
// interface's `ip ospf ...` lines, and the exec side: `clear ip ospf process`
// and the shows. `router ospf N` starts the process on the router's protocol
// set; `no router ospf N` stops it. A change reconfigures the running process.

import type { OspfNetworkType } from "../../protocols/ospf/network-type.ts";
import type { OspfAreaSettings, OspfAuthMode, OspfRedistribution } from "../../protocols/ospf/ospf-config.ts";
import { ospfProtocol } from "../../protocols/ospf/ospf-protocol.ts";
import { SPF_THROTTLE_DEFAULT, type ThrottleTimers } from "../../protocols/ospf/throttle.ts";
import { type RedistributionSource, sameRedistributionSource } from "../../protocols/redistribution.ts";
import { lengthFromMask, parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import { renderShowIpProtocolsEigrp } from "../eigrp/show-eigrp.ts";
import { renderShowIpProtocolsOdr } from "../odr/odr-commands.ts";
import { applyPassiveInterface } from "../passive-interface.ts";
import { renderShowIpProtocolsRip } from "../rip/show-rip-protocols.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { renderShowIpRoute } from "../router/show-ip-route.ts";
import { describeOspfCommands } from "./ospf-help.ts";
import {
  instanceName,
  interfaceState,
  newProcessState,
  type OspfInterfaceState,
  type OspfProcessState,
  ospfInstance,
  ospfState,
  reconfigureAll,
} from "./ospf-store.ts";
import { ospfRenderer } from "./ospf-syslog.ts";
import {
  renderShowIpOspf,
  renderShowIpOspfDatabase,
  renderShowIpOspfInterface,
  renderShowIpOspfInterfaceBrief,
  renderShowIpOspfNeighbor,
  renderShowIpOspfTraffic,
  renderShowIpProtocols,
} from "./show-ospf.ts";

type Ctx = CommandContext<RouterDevice>;

const ip = (a: Args, name: string): number => parseIpv4Address(String(a[name]))! >>> 0;

/** The options of `redistribute SOURCE`, in any order as IOS takes them. */
const REDISTRIBUTE_OPTIONS =
  "[subnets] [metric <0-16777214>] [metric-type <1-2>] [tag <0-4294967295>] [route-map WORD:map]";

/**
 * One `redistribute` line per source, as IOS keeps it: typing it again replaces the options given and keeps
 * the others; the no form removes it. Without `subnets` IOS warns that only classful networks will go.
 */
function redistribute(p: OspfProcessState, source: RedistributionSource, a: Args, ctx: Ctx): HandlerResult {
  const list = p.config.redistribute;
  const i = list.findIndex((r) => sameRedistributionSource(r.source, source));
  if (ctx.negated) {
    if (i >= 0) list.splice(i, 1);
    return;
  }
  const old: OspfRedistribution = i >= 0 ? list[i]! : { source, subnets: false, metricType: 2 };
  const line: OspfRedistribution = {
    ...old,
    subnets: old.subnets || a.subnets === true,
    ...(a.metric !== undefined ? { metric: Number(a.metric) } : {}),
    ...(a["metric-type"] !== undefined ? { metricType: Number(a["metric-type"]) === 1 ? 1 : 2 } : {}),
    ...(a.tag !== undefined ? { tag: Number(a.tag) } : {}),
    ...(a.map !== undefined ? { routeMap: String(a.map) } : {}),
  };
  if (i >= 0) list[i] = line;
  else list.push(line);
  if (!line.subnets) return { notice: "% Only classful networks will be redistributed" };
}

/** The area of `area {<0-4294967295> | A.B.C.D}`, with how it was typed. */
const AREA = "{<0-4294967295>:areanum | A.B.C.D:areaip}";
function areaOf(a: Args): { id: number; text: string } {
  if (a.areaip !== undefined) return { id: ip(a, "areaip"), text: String(a.areaip) };
  return { id: Number(a.areanum) >>> 0, text: String(a.areanum) };
}

/** Starts `router ospf N` (IOS also creates it for `ip ospf N area A`). */
function ensureProcess(device: RouterDevice, processId: number): OspfProcessState {
  const state = ospfState(device);
  let p = state.processes.get(processId);
  if (p === undefined) {
    p = newProcessState(device, processId);
    state.processes.set(processId, p);
    device.protocols.start(ospfProtocol(p.config), ospfRenderer(device, processId), instanceName(processId));
  }
  return p;
}

/** The process a config-router line applies to. */
function processOf(ctx: Ctx): OspfProcessState | undefined {
  const data = ctx.data as { ospf?: number } | undefined;
  return data?.ospf === undefined ? undefined : ospfState(ctx.device).processes.get(data.ospf);
}

/** Wraps a config-router handler: the process, then reconfigure it. */
function onProcess(fn: (p: OspfProcessState, a: Args, ctx: Ctx) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const p = processOf(ctx);
    if (p === undefined) return "% OSPF process no longer exists";
    const r = fn(p, a, ctx);
    ospfInstance(ctx.device, p.config.processId)?.reconfigure();
    return r;
  };
}

/** The values of a `timers throttle` line. */
function throttleTimers(a: Args): ThrottleTimers {
  return { startMs: Number(a.start), holdMs: Number(a.hold), maxMs: Number(a.max) };
}

function areaSettingsFor(p: OspfProcessState, id: number, text: string): OspfAreaSettings {
  let s = p.config.areas.get(id);
  if (s === undefined) {
    s = { type: "normal", noSummary: false, nssaDefaultOriginate: false, defaultCost: 1, ranges: [] };
    p.config.areas.set(id, s);
  }
  if (!p.areaText.has(id)) p.areaText.set(id, text);
  return s;
}

const routerSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "router-id A.B.C.D:id",
    no: "router-id [A.B.C.D:id]",
    handler: onProcess((p, a, ctx) => {
      const id = ctx.negated ? undefined : ip(a, "id");
      if (p.config.routerId === id) return;
      if (id === undefined) delete p.config.routerId;
      else p.config.routerId = id;
      // IOS keeps the running router ID until the process is cleared, and says so; a process with no
      // neighbor yet (at boot) takes the new one at once.
      const running = ospfInstance(ctx.device, p.config.processId);
      if (running === undefined) return;
      if (running.neighbors().length === 0) running.clear();
      else return '% OSPF: Reload or use "clear ip ospf process" command, for this to take effect';
    }),
  },
  {
    syntax: `network A.B.C.D:address A.B.C.D:wildcard area ${AREA}`,
    no: true,
    handler: onProcess((p, a, ctx) => {
      const area = areaOf(a);
      const wildcard = ip(a, "wildcard");
      const address = (ip(a, "address") & ~wildcard) >>> 0;
      const i = p.config.networks.findIndex((n) => n.address === address && n.wildcard === wildcard);
      if (ctx.negated) {
        if (i >= 0) p.config.networks.splice(i, 1);
        return;
      }
      if (i >= 0) {
        if (p.config.networks[i]!.area !== area.id)
          return `% OSPF: "network ${String(a.address)} ${String(a.wildcard)} area ${p.areaText.get(p.config.networks[i]!.area) ?? p.config.networks[i]!.area}" is already configured`;
        return;
      }
      if (!p.areaText.has(area.id)) p.areaText.set(area.id, area.text);
      p.config.networks.push({ address, wildcard, area: area.id });
    }),
  },
  {
    syntax: "passive-interface {default | INTERFACE:ifc}",
    no: true,
    handler: onProcess((p, a, ctx) => applyPassiveInterface(p.config, a, ctx)),
  },
  {
    syntax: "neighbor A.B.C.D:address [priority <0-255>]",
    no: "neighbor A.B.C.D:address [LINE]",
    handler: onProcess((p, a, ctx) => {
      const address = ip(a, "address");
      p.config.neighbors = p.config.neighbors.filter((n) => n.address !== address);
      if (!ctx.negated)
        p.config.neighbors.push({ address, ...(a.priority !== undefined ? { priority: Number(a.priority) } : {}) });
    }),
  },
  {
    syntax: `area ${AREA} stub [no-summary]`,
    no: true,
    handler: onProcess((p, a, ctx) => {
      const area = areaOf(a);
      if (area.id === 0) return "% OSPF: Backbone can not be configured as stub area";
      const s = areaSettingsFor(p, area.id, area.text);
      if (ctx.negated) {
        if (a["no-summary"] === true) s.noSummary = false;
        else Object.assign(s, { type: "normal", noSummary: false });
        return;
      }
      if (s.type === "nssa") return `% OSPF: Area ${area.text} is configured as NSSA already`;
      s.type = "stub";
      s.noSummary = a["no-summary"] === true;
    }),
  },
  {
    syntax: `area ${AREA} nssa [no-summary] [default-information-originate]`,
    no: true,
    handler: onProcess((p, a, ctx) => {
      const area = areaOf(a);
      if (area.id === 0) return "% OSPF: Backbone can not be configured as NSSA area";
      const s = areaSettingsFor(p, area.id, area.text);
      if (ctx.negated) {
        if (a["no-summary"] === true || a["default-information-originate"] === true) {
          if (a["no-summary"] === true) s.noSummary = false;
          if (a["default-information-originate"] === true) s.nssaDefaultOriginate = false;
        } else Object.assign(s, { type: "normal", noSummary: false, nssaDefaultOriginate: false });
        return;
      }
      if (s.type === "stub") return `% OSPF: Area ${area.text} is configured as stub area already`;
      s.type = "nssa";
      s.noSummary = a["no-summary"] === true;
      s.nssaDefaultOriginate = a["default-information-originate"] === true;
    }),
  },
  {
    syntax: `area ${AREA} range A.B.C.D:prefix A.B.C.D:mask [advertise | not-advertise]`,
    no: `area ${AREA} range A.B.C.D:prefix A.B.C.D:mask [LINE]`,
    handler: onProcess((p, a, ctx) => {
      const area = areaOf(a);
      const length = lengthFromMask(ip(a, "mask"));
      if (length === null) return `% OSPF: Invalid mask ${String(a.mask)}`;
      const prefix = (ip(a, "prefix") & ip(a, "mask")) >>> 0;
      const s = areaSettingsFor(p, area.id, area.text);
      s.ranges = s.ranges.filter((r) => !(r.prefix === prefix && r.length === length));
      if (!ctx.negated) s.ranges.push({ prefix, length, advertise: a["not-advertise"] !== true });
    }),
  },
  {
    syntax: `area ${AREA} authentication [message-digest]`,
    no: true,
    handler: onProcess((p, a, ctx) => {
      const area = areaOf(a);
      const s = areaSettingsFor(p, area.id, area.text);
      if (ctx.negated) delete s.authentication;
      else s.authentication = a["message-digest"] === true ? "md5" : "simple";
      reconfigureAll(ctx.device);
    }),
  },
  {
    syntax: `area ${AREA} default-cost <0-16777215>:cost`,
    no: `area ${AREA} default-cost [<0-16777215>:cost]`,
    handler: onProcess((p, a, ctx) => {
      const area = areaOf(a);
      if (area.id === 0) return "% OSPF: Backbone does not have default-cost";
      areaSettingsFor(p, area.id, area.text).defaultCost = ctx.negated ? 1 : Number(a.cost);
    }),
  },
  {
    syntax: "default-information originate [always] [metric <0-16777214>] [metric-type <1-2>]",
    no: "default-information originate [LINE]",
    handler: onProcess((p, a, ctx) => {
      if (ctx.negated) delete p.config.defaultInformation;
      else
        p.config.defaultInformation = {
          always: a.always === true,
          metric: a.metric !== undefined ? Number(a.metric) : 1,
          metricType: Number(a["metric-type"] ?? 2) === 1 ? 1 : 2,
        };
    }),
  },
  {
    syntax: `redistribute {connected | static | rip}:source ${REDISTRIBUTE_OPTIONS}`,
    no: "redistribute {connected | static | rip}:source [LINE]",
    handler: onProcess((p, a, ctx) =>
      redistribute(
        p,
        { protocol: a.source === "rip" ? "rip" : a.source === "static" ? "static" : "connected" },
        a,
        ctx,
      ),
    ),
  },
  {
    syntax: `redistribute eigrp <1-65535>:process ${REDISTRIBUTE_OPTIONS}`,
    no: "redistribute eigrp <1-65535>:process [LINE]",
    handler: onProcess((p, a, ctx) => redistribute(p, { protocol: "eigrp", process: Number(a.process) }, a, ctx)),
  },
  {
    syntax: "default-metric <1-16777214>:metric",
    no: "default-metric [<1-16777214>:metric]",
    handler: onProcess((p, a, ctx) => {
      if (ctx.negated) delete p.config.defaultMetric;
      else p.config.defaultMetric = Number(a.metric);
    }),
  },
  {
    syntax: "summary-address A.B.C.D:prefix A.B.C.D:mask",
    no: true,
    handler: onProcess((p, a, ctx) => {
      const length = lengthFromMask(ip(a, "mask"));
      if (length === null) return `% OSPF: Invalid mask ${String(a.mask)}`;
      const prefix = (ip(a, "prefix") & ip(a, "mask")) >>> 0;
      p.config.summaryAddresses = p.config.summaryAddresses.filter(
        (s) => !(s.prefix === prefix && s.length === length),
      );
      if (!ctx.negated) p.config.summaryAddresses.push({ prefix, length });
    }),
  },
  {
    syntax: "distribute-list {<1-199> | WORD}:acl in",
    no: true,
    handler: onProcess((p, a, ctx) => {
      if (ctx.negated) delete p.distributeList;
      else p.distributeList = String(a.acl);
      // The RIB follows at once: the filter applies to routes, not to the database.
      ospfInstance(ctx.device, p.config.processId)?.reinstallRoutes();
    }),
  },
  {
    syntax: "auto-cost reference-bandwidth <1-4294967>:mbps",
    no: "auto-cost [LINE]",
    handler: onProcess((p, a, ctx) => {
      p.config.referenceBandwidthMbps = ctx.negated ? 100 : Number(a.mbps);
    }),
  },
  {
    syntax: "timers throttle spf <1-600000>:start <1-600000>:hold <1-600000>:max",
    no: "timers throttle spf [LINE:rest]",
    handler: onProcess((p, a, ctx) => {
      p.config.spfThrottle = ctx.negated ? { ...SPF_THROTTLE_DEFAULT } : throttleTimers(a);
    }),
  },
  {
    // IOS 12.4 wrote `timers throttle lsa all ...`; IOS 15 takes both and writes it without `all`.
    syntax: "timers throttle lsa [all] <0-600000>:start <1-600000>:hold <1-600000>:max",
    no: "timers throttle lsa [LINE:rest]",
    handler: onProcess((p, a, ctx) => {
      if (ctx.negated) delete p.config.lsaThrottle;
      else p.config.lsaThrottle = throttleTimers(a);
    }),
  },
  {
    syntax: "maximum-paths <1-32>:paths",
    no: "maximum-paths [<1-32>:paths]",
    handler: onProcess((p, a, ctx) => {
      p.config.maximumPaths = ctx.negated ? 4 : Number(a.paths);
      ospfInstance(ctx.device, p.config.processId)?.reinstallRoutes();
    }),
  },
  {
    syntax: "distance <1-255>:distance",
    no: "distance [<1-255>:distance]",
    handler: onProcess((p, a, ctx) => {
      if (ctx.negated) delete p.config.distance.default;
      else p.config.distance.default = Number(a.distance);
      ospfInstance(ctx.device, p.config.processId)?.reinstallRoutes();
    }),
  },
  {
    syntax: "distance ospf [intra-area <1-255>:intra] [inter-area <1-255>:inter] [external <1-255>:external]",
    no: "distance ospf [LINE:rest]",
    handler: onProcess((p, a, ctx) => {
      const d = p.config.distance;
      if (ctx.negated) {
        // `no distance ospf` resets every type; naming types resets those.
        const words = String(a.rest ?? "").split(/\s+/);
        const all = !words.some((w) => w === "intra-area" || w === "inter-area" || w === "external");
        if (all || words.includes("intra-area")) delete d.intraArea;
        if (all || words.includes("inter-area")) delete d.interArea;
        if (all || words.includes("external")) delete d.external;
      } else {
        if (a.intra === undefined && a.inter === undefined && a.external === undefined) return "% Incomplete command.";
        if (a.intra !== undefined) d.intraArea = Number(a.intra);
        if (a.inter !== undefined) d.interArea = Number(a.inter);
        if (a.external !== undefined) d.external = Number(a.external);
      }
      ospfInstance(ctx.device, p.config.processId)?.reinstallRoutes();
    }),
  },
  {
    syntax: "log-adjacency-changes [detail]",
    no: "log-adjacency-changes [detail]",
    handler: onProcess((p, a, ctx) => {
      p.logAdjacency = ctx.negated ? (a.detail === true ? "on" : "off") : a.detail === true ? "detail" : "on";
    }),
  },
];

const globalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "router ospf <1-65535>:pid",
    no: true,
    handler: (a, ctx) => {
      const pid = Number(a.pid);
      if (ctx.negated) {
        ctx.device.protocols.stop(instanceName(pid));
        ospfState(ctx.device).processes.delete(pid);
        return;
      }
      ensureProcess(ctx.device, pid);
      ctx.enter("config-router", { ospf: pid });
    },
  },
];

const NETWORK_TYPES: Readonly<Record<string, OspfNetworkType>> = {
  broadcast: "broadcast",
  "non-broadcast": "nonBroadcast",
  "point-to-point": "pointToPoint",
  "point-to-multipoint": "pointToMultipoint",
};

/** Wraps an `ip ospf` interface handler: the interface's settings, then every process reconfigured. */
function onOspfInterface(fn: (s: OspfInterfaceState, a: Args, ctx: Ctx) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const ifc = ctx.device.stack.interface(String(ctx.data));
    if (ifc === undefined) return "% Interface no longer exists";
    const r = fn(interfaceState(ifc), a, ctx);
    reconfigureAll(ctx.device);
    return r;
  };
}

const interfaceSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: `ip ospf <1-65535>:pid area ${AREA}`,
    no: `ip ospf <1-65535>:pid area [LINE]`,
    handler: onOspfInterface((s, a, ctx) => {
      const pid = Number(a.pid);
      if (ctx.negated) {
        if (s.processId === pid) {
          delete s.area;
          delete s.areaText;
          delete s.processId;
        }
        return;
      }
      const area = areaOf(a);
      const p = ensureProcess(ctx.device, pid);
      if (!p.areaText.has(area.id)) p.areaText.set(area.id, area.text);
      s.area = area.id;
      s.areaText = area.text;
      s.processId = pid;
    }),
  },
  {
    syntax: "ip ospf network {broadcast | non-broadcast | point-to-point | point-to-multipoint}:type",
    no: "ip ospf network [LINE]",
    handler: onOspfInterface((s, a, ctx) => {
      if (ctx.negated) delete s.networkType;
      else s.networkType = NETWORK_TYPES[String(a.type)]!;
    }),
  },
  {
    syntax: "ip ospf priority <0-255>:value",
    no: "ip ospf priority [<0-255>:value]",
    handler: onOspfInterface((s, a, ctx) => {
      if (ctx.negated) delete s.priority;
      else s.priority = Number(a.value);
    }),
  },
  {
    syntax: "ip ospf cost <1-65535>:value",
    no: "ip ospf cost [<1-65535>:value]",
    handler: onOspfInterface((s, a, ctx) => {
      if (ctx.negated) delete s.cost;
      else s.cost = Number(a.value);
    }),
  },
  {
    syntax: "ip ospf hello-interval <1-65535>:value",
    no: "ip ospf hello-interval [<1-65535>:value]",
    handler: onOspfInterface((s, a, ctx) => {
      if (ctx.negated) delete s.helloSec;
      else s.helloSec = Number(a.value);
    }),
  },
  {
    syntax: "ip ospf dead-interval <1-65535>:value",
    no: "ip ospf dead-interval [<1-65535>:value]",
    handler: onOspfInterface((s, a, ctx) => {
      if (ctx.negated) delete s.deadSec;
      else s.deadSec = Number(a.value);
    }),
  },
  {
    syntax: "ip ospf retransmit-interval <1-65535>:value",
    no: "ip ospf retransmit-interval [<1-65535>:value]",
    handler: onOspfInterface((s, a, ctx) => {
      if (ctx.negated) delete s.retransmitSec;
      else s.retransmitSec = Number(a.value);
    }),
  },
  {
    syntax: "ip ospf authentication [message-digest | null]",
    no: "ip ospf authentication [LINE]",
    handler: onOspfInterface((s, a, ctx) => {
      const mode: OspfAuthMode = a["message-digest"] === true ? "md5" : a.null === true ? "null" : "simple";
      if (ctx.negated) delete s.authentication;
      else s.authentication = mode;
    }),
  },
  {
    syntax: "ip ospf authentication-key LINE:key",
    no: "ip ospf authentication-key [LINE]",
    handler: onOspfInterface((s, a, ctx) => {
      if (ctx.negated) delete s.authenticationKey;
      else {
        const key = String(a.key).trim();
        s.authenticationKey = key.slice(0, 8);
      }
    }),
  },
  {
    syntax: "ip ospf message-digest-key <1-255>:id md5 LINE:key",
    no: "ip ospf message-digest-key <1-255>:id [LINE]",
    handler: onOspfInterface((s, a, ctx) => {
      const id = Number(a.id);
      if (ctx.negated) {
        s.md5Keys.delete(id);
        return;
      }
      if (s.md5Keys.has(id)) return `% OSPF: Key ${id} already exists`;
      s.md5Keys.set(id, String(a.key).trim().slice(0, 16));
    }),
  },
];

/** The exec commands. */
const execSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "clear ip ospf [<1-65535>:pid] process",
    handler: (a, ctx) => {
      const device = ctx.device;
      const ids = a.pid !== undefined ? [Number(a.pid)] : [...ospfState(device).processes.keys()];
      if (ids.every((id) => ospfInstance(device, id) === undefined)) return;
      ctx.session.ask(`Reset ${a.pid !== undefined ? "OSPF process" : "ALL OSPF processes"}? [no]: `, (answer) => {
        const yes = /^y(es?)?$/i.test(answer.trim());
        if (!yes) return;
        for (const id of ids) ospfInstance(device, id)?.clear();
      });
    },
  },
  { syntax: "show ip ospf [<1-65535>:pid]", handler: (a, ctx) => renderShowIpOspf(ctx.device, pidArg(a)) },
  {
    syntax: "show ip ospf [<1-65535>:pid] neighbor [detail]",
    handler: (a, ctx) => renderShowIpOspfNeighbor(ctx.device, pidArg(a), a.detail === true),
  },
  {
    syntax: "show ip ospf [<1-65535>:pid] interface [INTERFACE:ifc] [brief]",
    handler: (a, ctx) =>
      a.brief === true
        ? renderShowIpOspfInterfaceBrief(ctx.device, pidArg(a), a.ifc === undefined ? undefined : String(a.ifc))
        : renderShowIpOspfInterface(ctx.device, pidArg(a), a.ifc === undefined ? undefined : String(a.ifc)),
  },
  {
    syntax:
      "show ip ospf [<1-65535>:pid] database [router | network | summary | asbr-summary | external | nssa-external]:type",
    handler: (a, ctx) =>
      renderShowIpOspfDatabase(ctx.device, pidArg(a), a.type === undefined ? undefined : String(a.type)),
  },
  {
    syntax: "show ip ospf [<1-65535>:pid] traffic",
    handler: (a, ctx) => renderShowIpOspfTraffic(ctx.device, pidArg(a)),
  },
  {
    syntax: "show ip route ospf [<1-65535>:pid]",
    handler: (_a, ctx) => renderShowIpRoute(ctx.device, { source: "ospf" }),
  },
  { syntax: "debug ip ospf adj", no: true, handler: (_a, ctx) => setOspfDebug(ctx, "adj", !ctx.negated) },
  { syntax: "debug ip ospf events", no: true, handler: (_a, ctx) => setOspfDebug(ctx, "events", !ctx.negated) },
  { syntax: "debug ip ospf hello", no: true, handler: (_a, ctx) => setOspfDebug(ctx, "hello", !ctx.negated) },
  { syntax: "undebug ip ospf adj", handler: (_a, ctx) => setOspfDebug(ctx, "adj", false) },
  { syntax: "undebug ip ospf events", handler: (_a, ctx) => setOspfDebug(ctx, "events", false) },
  { syntax: "undebug ip ospf hello", handler: (_a, ctx) => setOspfDebug(ctx, "hello", false) },
  {
    // Every routing process's block: OSPF's, EIGRP's, then RIP's.
    syntax: "show ip protocols",
    handler: (_a, ctx) =>
      renderShowIpProtocols(ctx.device) +
      renderShowIpProtocolsEigrp(ctx.device) +
      renderShowIpProtocolsRip(ctx.device) +
      renderShowIpProtocolsOdr(ctx.device),
  },
];

/** `[no] debug ip ospf adj|events|hello`, `undebug …`: one switch each; events prints what adj and hello print. */
function setOspfDebug(ctx: Ctx, which: "adj" | "events" | "hello", on: boolean): string {
  const debug = ctx.device.debug;
  if (which === "adj") debug.ospfAdj = on;
  else if (which === "hello") debug.ospfHello = on;
  else debug.ospfEvents = on;
  const what = which === "adj" ? "adjacency" : which;
  return `OSPF ${what} debugging is ${on ? "on" : "off"}`;
}

function pidArg(a: Args): number | undefined {
  return a.pid === undefined ? undefined : Number(a.pid);
}

/** Registers the OSPF commands on the router table. */
export function addOspfCommands(table: CommandTable<RouterDevice>): void {
  table.add("config", ...globalSpecs);
  table.add("config-router", ...routerSpecs);
  table.add("config-if", ...interfaceSpecs);
  table.add("config-subif", ...interfaceSpecs);
  table.add("exec", ...execSpecs);
  describeOspfCommands(table);
}
