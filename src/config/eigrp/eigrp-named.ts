// EIGRP named mode as IOS 15 configures it:
//   router eigrp NAME                                          (config-router)
//    address-family ipv4 [unicast] autonomous-system N          (config-router-af)
//     network A.B.C.D [wildcard] / eigrp router-id A.B.C.D
//     af-interface {default | IF}                               (config-router-af-interface)
//      passive-interface / hello-interval / hold-time / split-horizon / next-hop-self / summary-address
//     exit-af-interface
//     topology base                                             (config-router-af-topology)
//      metric rib-scale <1-255> / variance <1-128>
//     exit-af-topology
//    exit-address-family
// The address family runs the same EIGRP process as classic `router eigrp N`
// (an EigrpConfig keyed by its AS, so the shows and show ip protocols find
// it) with `named` set: wide metrics, RIB metric = wide / rib-scale. Its
// per-interface settings come from af-interface blocks (the interface's own
// block over `af-interface default` over IOS's defaults), not from `ip
// hello-interval eigrp N` under the interface.

import type { EigrpConfig, EigrpInterfaceSettings, EigrpSummary } from "../../protocols/eigrp/eigrp-config.ts";
import { EIGRP_DEFAULT_HELLO, EIGRP_DEFAULT_HOLD } from "../../protocols/eigrp/eigrp-config.ts";
import { eigrpProtocol } from "../../protocols/eigrp/eigrp-protocol.ts";
import { DEFAULT_RIB_SCALE } from "../../protocols/eigrp/wide-metric.ts";
import { formatIpv4Address, lengthFromMask, maskFromLength, parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import { describeCommands } from "../cli/help.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { applyEigrpNetwork, applyEigrpRouterId, defaultNetworkWildcard } from "./eigrp-process-lines.ts";
import { deleteEigrpConfig, eigrpConfigs, eigrpInstance, eigrpInstanceName, newEigrpConfig } from "./eigrp-store.ts";
import { eigrpRenderer } from "./eigrp-syslog.ts";

type Ctx = CommandContext<RouterDevice>;

export const EIGRP_NAMED_MODE = "config-router-eigrp-named";
export const EIGRP_AF_MODE = "config-router-af";
export const EIGRP_AF_INTERFACE_MODE = "config-router-af-interface";
export const EIGRP_AF_TOPOLOGY_MODE = "config-router-af-topology";

/** One `af-interface` block as configured (undefined: not set here). */
export interface AfInterface {
  passive?: boolean;
  helloSeconds?: number;
  holdSeconds?: number;
  splitHorizon?: boolean;
  nextHopSelf?: boolean;
  /** `summary-address A.B.C.D A.B.C.D` lines, in the order typed. */
  summaries?: EigrpSummary[];
}

/** A `router eigrp NAME` instance: its IPv4 address family's AS once configured, and its af-interface blocks. */
export interface EigrpNamedInstance {
  name: string;
  as?: number;
  /** Keyed by interface name, "default" for `af-interface default`; in the order typed. */
  afInterfaces: Map<string, AfInterface>;
}

const named = new WeakMap<RouterDevice, Map<string, EigrpNamedInstance>>();

/** The router's named instances, by name. */
export function eigrpNamedInstances(device: RouterDevice): Map<string, EigrpNamedInstance> {
  let m = named.get(device);
  if (m === undefined) {
    m = new Map();
    named.set(device, m);
  }
  return m;
}

/** Where a sub-mode is: the instance's name, and the interface of an af-interface block. */
interface Place {
  name: string;
  ifc?: string;
}

const place = (ctx: Ctx): Place | undefined => ctx.data as Place | undefined;

/** The address family's process configuration of the instance a sub-mode is in. */
function afConfig(ctx: Ctx): EigrpConfig | undefined {
  const p = place(ctx);
  const as = p === undefined ? undefined : eigrpNamedInstances(ctx.device).get(p.name)?.as;
  return as === undefined ? undefined : eigrpConfigs(ctx.device).get(as);
}

/** Wraps an address-family handler: the process's configuration, then the process reconfigured. */
function onAf(fn: (c: EigrpConfig, a: Args, ctx: Ctx) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const c = afConfig(ctx);
    if (c === undefined) return "% EIGRP process no longer exists";
    const r = fn(c, a, ctx);
    eigrpInstance(ctx.device, c.as)?.reconfigure();
    return r;
  };
}

/** The per-interface settings and passive set the process reads, from the af-interface blocks. */
function applyAfInterfaces(c: EigrpConfig, inst: EigrpNamedInstance): void {
  const def = inst.afInterfaces.get("default") ?? {};
  c.passiveDefault = def.passive === true;
  c.passiveExceptions.clear();
  for (const [name, s] of inst.afInterfaces)
    if (name !== "default" && s.passive !== undefined && s.passive !== c.passiveDefault) c.passiveExceptions.add(name);
  c.interfaceSettings = (name): EigrpInterfaceSettings => {
    const s = inst.afInterfaces.get(name) ?? {};
    return {
      helloSeconds: s.helloSeconds ?? def.helloSeconds ?? EIGRP_DEFAULT_HELLO,
      holdSeconds: s.holdSeconds ?? def.holdSeconds ?? EIGRP_DEFAULT_HOLD,
      splitHorizon: s.splitHorizon ?? def.splitHorizon ?? true,
      nextHopSelf: s.nextHopSelf ?? def.nextHopSelf ?? true,
      // `af-interface default`'s summaries go out of every interface, with the interface's own.
      summaries: [...(def.summaries ?? []), ...(name === "default" ? [] : (s.summaries ?? []))],
    };
  };
}

/** Wraps an af-interface handler: the block's settings, then the process re-reads them. */
function onAfInterface(fn: (s: AfInterface, a: Args, negated: boolean) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const p = place(ctx);
    const inst = p === undefined ? undefined : eigrpNamedInstances(ctx.device).get(p.name);
    const c = afConfig(ctx);
    if (p?.ifc === undefined || inst === undefined || c === undefined) return "% EIGRP process no longer exists";
    let s = inst.afInterfaces.get(p.ifc);
    if (s === undefined) {
      s = {};
      inst.afInterfaces.set(p.ifc, s);
    }
    const r = fn(s, a, ctx.negated);
    applyAfInterfaces(c, inst);
    eigrpInstance(ctx.device, c.as)?.reconfigure();
    return r;
  };
}

/** Stops and forgets an instance's address family (`no address-family ...`, `no router eigrp NAME`). */
function removeAf(device: RouterDevice, inst: EigrpNamedInstance): void {
  if (inst.as === undefined) return;
  device.protocols.stop(eigrpInstanceName(inst.as));
  deleteEigrpConfig(device, inst.as);
  delete inst.as;
  inst.afInterfaces.clear();
}

const ip = (a: Args, name: string): number => parseIpv4Address(String(a[name]))! >>> 0;

const globalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "router eigrp WORD:name",
    no: true,
    handler: (a, ctx) => {
      const name = String(a.name);
      // A number is an AS (`<1-65535>`, classic mode): one out of range is refused, not taken as a name.
      if (/^\d+$/.test(name)) return "% Invalid input detected at '^' marker.";
      const all = eigrpNamedInstances(ctx.device);
      if (ctx.negated) {
        const inst = all.get(name);
        if (inst !== undefined) removeAf(ctx.device, inst);
        all.delete(name);
        return;
      }
      if (!all.has(name)) all.set(name, { name, afInterfaces: new Map() });
      ctx.enter(EIGRP_NAMED_MODE, { name } satisfies Place);
    },
  },
];

const namedSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "address-family ipv4 [unicast] autonomous-system <1-65535>:as",
    no: true,
    handler: (a, ctx) => {
      const p = place(ctx);
      const inst = p === undefined ? undefined : eigrpNamedInstances(ctx.device).get(p.name);
      if (p === undefined || inst === undefined) return "% EIGRP process no longer exists";
      const as = Number(a.as);
      if (ctx.negated) {
        if (inst.as === as) removeAf(ctx.device, inst);
        return;
      }
      if (inst.as !== undefined && inst.as !== as)
        return `% Address-family ipv4 is already configured with autonomous-system ${inst.as}`;
      if (inst.as === undefined) {
        if (eigrpConfigs(ctx.device).has(as)) return `% AS ${as} is already used by another EIGRP process`;
        const config = newEigrpConfig(ctx.device, as);
        config.named = { name: inst.name, ribScale: DEFAULT_RIB_SCALE };
        inst.as = as;
        applyAfInterfaces(config, inst);
        ctx.device.protocols.start(eigrpProtocol(config), eigrpRenderer(ctx.device), eigrpInstanceName(as));
      }
      ctx.enter(EIGRP_AF_MODE, { name: inst.name } satisfies Place);
    },
  },
];

const afSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "network A.B.C.D:address [A.B.C.D:wildcard]",
    no: true,
    handler: onAf((c, a, ctx) => applyEigrpNetwork(c, a, ctx.negated)),
  },
  {
    syntax: "eigrp router-id A.B.C.D:id",
    no: "eigrp router-id [A.B.C.D:id]",
    handler: onAf((c, a, ctx) => applyEigrpRouterId(c, a, ctx.negated)),
  },
  {
    syntax: "af-interface {default | INTERFACE:ifc}",
    no: true,
    handler: (a, ctx) => {
      const p = place(ctx);
      const inst = p === undefined ? undefined : eigrpNamedInstances(ctx.device).get(p.name);
      const c = afConfig(ctx);
      if (p === undefined || inst === undefined || c === undefined) return "% EIGRP process no longer exists";
      const ifc = a.default === true ? "default" : String(a.ifc);
      if (ifc !== "default" && ctx.device.stack.interface(ifc) === undefined) return "% Invalid interface";
      if (ctx.negated) {
        inst.afInterfaces.delete(ifc);
        applyAfInterfaces(c, inst);
        eigrpInstance(ctx.device, c.as)?.reconfigure();
        return;
      }
      ctx.enter(EIGRP_AF_INTERFACE_MODE, { name: p.name, ifc } satisfies Place);
    },
  },
  {
    syntax: "topology base",
    handler: (_a, ctx) => {
      const p = place(ctx);
      if (p === undefined || afConfig(ctx) === undefined) return "% EIGRP process no longer exists";
      ctx.enter(EIGRP_AF_TOPOLOGY_MODE, { name: p.name } satisfies Place);
    },
  },
  { syntax: "exit-address-family", handler: (_a, ctx) => ctx.session.exitMode() },
];

const afInterfaceSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "passive-interface",
    no: true,
    handler: onAfInterface((s, _a, negated) => {
      s.passive = !negated;
    }),
  },
  {
    syntax: "hello-interval <1-65535>:seconds",
    no: "hello-interval [<1-65535>:seconds]",
    handler: onAfInterface((s, a, negated) => {
      if (negated) delete s.helloSeconds;
      else s.helloSeconds = Number(a.seconds);
    }),
  },
  {
    syntax: "hold-time <1-65535>:seconds",
    no: "hold-time [<1-65535>:seconds]",
    handler: onAfInterface((s, a, negated) => {
      if (negated) delete s.holdSeconds;
      else s.holdSeconds = Number(a.seconds);
    }),
  },
  {
    syntax: "split-horizon",
    no: true,
    handler: onAfInterface((s, _a, negated) => {
      s.splitHorizon = !negated;
    }),
  },
  {
    syntax: "next-hop-self",
    no: true,
    handler: onAfInterface((s, _a, negated) => {
      s.nextHopSelf = !negated;
    }),
  },
  {
    syntax: "summary-address A.B.C.D:prefix A.B.C.D:mask",
    no: true,
    handler: onAfInterface((s, a, negated) => {
      const mask = ip(a, "mask");
      const length = lengthFromMask(mask);
      if (length === null) return "% Invalid mask";
      const prefix = (ip(a, "prefix") & mask) >>> 0;
      const list = (s.summaries ??= []);
      const i = list.findIndex((x) => x.prefix === prefix && x.length === length);
      if (negated) {
        if (i >= 0) list.splice(i, 1);
      } else if (i < 0) list.push({ prefix, length, distance: 5 });
    }),
  },
  { syntax: "exit-af-interface", handler: (_a, ctx) => ctx.session.exitMode() },
];

const afTopologySpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "metric rib-scale <1-255>:scale",
    no: "metric rib-scale [<1-255>:scale]",
    handler: onAf((c, a, ctx) => {
      if (c.named !== undefined) c.named.ribScale = ctx.negated ? DEFAULT_RIB_SCALE : Number(a.scale);
    }),
  },
  {
    syntax: "variance <1-128>:v",
    no: "variance [<1-128>:v]",
    handler: onAf((c, a, ctx) => {
      c.variance = ctx.negated ? 1 : Number(a.v);
    }),
  },
  { syntax: "exit-af-topology", handler: (_a, ctx) => ctx.session.exitMode() },
];

const HELP_CONFIG: Readonly<Record<string, string>> = {
  "router eigrp <name>": "EIGRP Virtual-Instance Name",
};

const HELP_NAMED: Readonly<Record<string, string>> = {
  "address-family": "Enter Address Family command mode",
  "address-family ipv4": "Address family",
  "address-family ipv4 unicast": "Address Family Modifier",
  "address-family ipv4 autonomous-system": "Specify Address-Family Autonomous System Number",
  "address-family ipv4 <as>": "Autonomous System Number",
};

const HELP_AF: Readonly<Record<string, string>> = {
  network: "Enable routing on an IP network",
  "network <address>": "Network number",
  "network <wildcard>": "EIGRP wild card bits",
  eigrp: "EIGRP Address Family specific commands",
  "eigrp router-id": "router-id for this EIGRP process",
  "eigrp router-id <id>": "EIGRP Router-ID in IP address format",
  "af-interface": "Enter Address Family interface configuration",
  "af-interface default": "Address family default interface configuration",
  "af-interface <ifc>": "Interface name",
  topology: "Topology configuration mode",
  "topology base": "Base topology",
  "exit-address-family": "Exit Address Family configuration mode",
};

const HELP_AF_INTERFACE: Readonly<Record<string, string>> = {
  "passive-interface": "Suppress address updates on an interface",
  "hello-interval": "Configures hello interval",
  "hello-interval <seconds>": "Seconds between hello transmissions",
  "hold-time": "Configures hold time",
  "hold-time <seconds>": "Seconds before neighbor is considered down",
  "split-horizon": "Perform split horizon",
  "next-hop-self": "Configures EIGRP next-hop-self",
  "summary-address": "Perform address summarization",
  "summary-address <prefix>": "IP address",
  "summary-address <mask>": "IP network mask",
  "exit-af-interface": "Exit from Address Family Interface configuration mode",
};

const HELP_AF_TOPOLOGY: Readonly<Record<string, string>> = {
  metric: "Modify metrics and parameters for advertisement",
  "metric rib-scale": "Set scaling value for RIB installation",
  "metric rib-scale <scale>": "Scaling value",
  variance: "Control load balancing variance",
  "variance <v>": "Metric variance multiplier",
  "exit-af-topology": "Exit from Address Family Topology configuration mode",
};

/** Registers named mode's commands, modes and help on the router table. */
export function addEigrpNamedCommands(table: CommandTable<RouterDevice>): void {
  table.defineMode(EIGRP_NAMED_MODE, { prompt: "config-router" });
  table.defineMode(EIGRP_AF_MODE, { parent: EIGRP_NAMED_MODE, prompt: "config-router-af" });
  table.defineMode(EIGRP_AF_INTERFACE_MODE, { parent: EIGRP_AF_MODE, prompt: "config-router-af-interface" });
  table.defineMode(EIGRP_AF_TOPOLOGY_MODE, { parent: EIGRP_AF_MODE, prompt: "config-router-af-topology" });
  table.add("config", ...globalSpecs);
  table.add(EIGRP_NAMED_MODE, ...namedSpecs);
  table.add(EIGRP_AF_MODE, ...afSpecs);
  table.add(EIGRP_AF_INTERFACE_MODE, ...afInterfaceSpecs);
  table.add(EIGRP_AF_TOPOLOGY_MODE, ...afTopologySpecs);
  describeCommands(table, "config", HELP_CONFIG);
  describeCommands(table, EIGRP_NAMED_MODE, HELP_NAMED);
  describeCommands(table, EIGRP_AF_MODE, HELP_AF);
  describeCommands(table, EIGRP_AF_INTERFACE_MODE, HELP_AF_INTERFACE);
  describeCommands(table, EIGRP_AF_TOPOLOGY_MODE, HELP_AF_TOPOLOGY);
}

/** The `router eigrp NAME` blocks of the running-config, as IOS 15 writes them, each ended by `!`. */
export function eigrpNamedRouterLines(device: RouterDevice): string[] {
  const out: string[] = [];
  const order = device.interfaces().map((i) => i.name);
  for (const inst of [...eigrpNamedInstances(device).values()].sort((a, b) => a.name.localeCompare(b.name))) {
    out.push(`router eigrp ${inst.name}`);
    const c = inst.as === undefined ? undefined : eigrpConfigs(device).get(inst.as);
    if (c !== undefined) {
      out.push(" !", ` address-family ipv4 unicast autonomous-system ${c.as}`);
      const blocks = [...inst.afInterfaces].sort(
        ([a], [b]) => (a === "default" ? -1 : order.indexOf(a)) - (b === "default" ? -1 : order.indexOf(b)),
      );
      for (const [name, s] of blocks) {
        out.push("  !", `  af-interface ${name}`);
        if (s.helloSeconds !== undefined) out.push(`   hello-interval ${s.helloSeconds}`);
        if (s.holdSeconds !== undefined) out.push(`   hold-time ${s.holdSeconds}`);
        if (s.passive !== undefined) out.push(s.passive ? "   passive-interface" : "   no passive-interface");
        if (s.nextHopSelf === false) out.push("   no next-hop-self");
        if (s.splitHorizon === false) out.push("   no split-horizon");
        for (const x of s.summaries ?? [])
          out.push(`   summary-address ${formatIpv4Address(x.prefix)} ${formatIpv4Address(maskFromLength(x.length))}`);
        out.push("  exit-af-interface");
      }
      out.push("  !", "  topology base");
      if (c.named !== undefined && c.named.ribScale !== DEFAULT_RIB_SCALE)
        out.push(`   metric rib-scale ${c.named.ribScale}`);
      if (c.variance !== 1) out.push(`   variance ${c.variance}`);
      out.push("  exit-af-topology");
      for (const n of c.networks)
        out.push(
          `  network ${formatIpv4Address(n.address)}${n.wildcard === defaultNetworkWildcard(n.address) ? "" : ` ${formatIpv4Address(n.wildcard)}`}`,
        );
      if (c.routerId !== undefined) out.push(`  eigrp router-id ${formatIpv4Address(c.routerId)}`);
      out.push(" exit-address-family");
    }
    out.push("!");
  }
  return out;
}
