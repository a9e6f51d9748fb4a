// IOS NAT commands: `ip nat inside|outside` on interfaces, `ip nat pool`,
// `ip nat inside source static|list|route-map ...`, `ip nat outside source
// static [add-route]`, `ip nat translation ...-timeout`, and the exec side:
// `show ip nat translations|statistics`, `clear ip nat translation
// *|forced|inside|outside|tcp|udp ...`, `clear ip nat statistics`, `debug ip
// nat [detailed]`. Refusals are IOS's: a caret under what the grammar cannot
// take, or a `%` message (a mapping or pool still in use, a clashing static
// entry, a bad pool range).
// NAT exemption is a deny line in the access list or a deny entry of the
// route map (seed 002's form).

import {
  checkOutsideStatic,
  checkPool,
  checkStatic,
  DEFAULT_NAT_TIMEOUTS,
  NAT_TIMEOUT_KEYWORDS,
  type NatDataplane,
  type NatPool,
  type NatSource,
  type NatTimeouts,
  type OutsideStaticMapping,
  type StaticMapping,
  staticProtocolNumber,
} from "../../dataplane/nat/index.ts";
import { IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP } from "../../wire/ipv4.ts";
import { lengthFromMask, parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import { INCOMPLETE_COMMAND, INVALID_INPUT, tokenize } from "../cli/match.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { clearSelects, parseClearNatTranslation } from "./clear-nat-translation.ts";
import { describeNatCommands } from "./nat-help.ts";
import { renderShowIpNatStatistics, renderShowIpNatTranslations } from "./show-nat.ts";
import { renderShowIpVirtualReassembly } from "./show-virtual-reassembly.ts";

type Ctx = CommandContext<RouterDevice>;

const NO_NAT = "% NAT is not available on this device";

/** Runs `fn` with the router's NAT (hosts have none). */
function withNat(fn: (nat: NatDataplane, a: Args, ctx: Ctx) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => (ctx.device.nat === null ? NO_NAT : fn(ctx.device.nat, a, ctx));
}

const address = (a: Args, name: string): number => parseIpv4Address(String(a[name]))!;

/** The static mapping a line describes. */
function staticFromArgs(a: Args): StaticMapping {
  const ports = a.proto !== undefined;
  return {
    protocol: ports ? staticProtocolNumber(String(a.proto)) : null,
    local: address(a, "local"),
    global: address(a, "global"),
    localPort: ports ? Number(a.lport) : 0,
    globalPort: ports ? Number(a.gport) : 0,
    extendable: a.extendable === true,
  };
}

function staticHandler(nat: NatDataplane, a: Args, ctx: Ctx): HandlerResult {
  const m = staticFromArgs(a);
  if (ctx.negated) {
    const existing = nat.config.findStatic(m);
    if (existing === undefined) return "% Translation not found";
    nat.removeStatic(existing);
    return;
  }
  if (nat.config.findStatic(m) !== undefined) return;
  const problem = checkStatic(nat.config, m);
  if (problem !== null) return problem;
  nat.addStatic(m);
}

/** The owner of the host routes `add-route` installs. */
const ADD_ROUTE_OWNER = "nat add-route";

/** Installs or withdraws the host route of an `add-route` outside mapping: LOCAL/32 via GLOBAL. */
function outsideRoute(ctx: Ctx, m: OutsideStaticMapping, on: boolean): void {
  const rib = ctx.device.stack.rib;
  rib.setCandidates("static", m.local, 32, on ? [{ nextHop: m.global }] : [], ADD_ROUTE_OWNER);
  ctx.device.stack.routesChanged();
}

/** `ip nat outside source static GLOBAL LOCAL [add-route]` and its `no` form. */
function outsideStaticHandler(nat: NatDataplane, a: Args, ctx: Ctx): HandlerResult {
  const m: OutsideStaticMapping = {
    global: address(a, "global"),
    local: address(a, "local"),
    addRoute: a["add-route"] === true,
  };
  const list = nat.config.outsideStatics;
  const existing = list.find((s) => s.global === m.global && s.local === m.local);
  if (ctx.negated) {
    if (existing === undefined) return "% Translation not found";
    list.splice(list.indexOf(existing), 1);
    if (existing.addRoute) outsideRoute(ctx, existing, false);
    nat.outsideStaticRemoved(existing);
    return;
  }
  if (existing !== undefined) {
    if (existing.addRoute !== m.addRoute) outsideRoute(ctx, m, m.addRoute);
    existing.addRoute = m.addRoute;
    return;
  }
  const problem = checkOutsideStatic(nat.config, m);
  if (problem !== null) return problem;
  list.push(m);
  if (m.addRoute) outsideRoute(ctx, m, true);
}

/** `ip nat inside source {list ACL | route-map RM} {pool P | interface IF} [overload]` and its `no` form. */
function dynamicHandler(kind: NatSource["kind"]) {
  return withNat((nat, a, ctx) => {
    const source: NatSource = { kind, name: String(kind === "list" ? a.acl : a.map) };
    const existing = nat.config.findDynamic(source);
    const inUse = existing !== undefined && nat.refcount(existing) > 0;
    if (ctx.negated) {
      if (inUse) return "%Dynamic mapping in use, cannot remove";
      if (existing !== undefined) nat.config.removeDynamic(existing);
      return;
    }
    if (a.interface !== undefined && ctx.device.findInterface(String(a.interface)) === undefined)
      return "% Invalid interface";
    const target =
      a.interface !== undefined
        ? { kind: "interface" as const, interface: String(a.interface) }
        : { kind: "pool" as const, pool: String(a.pool) };
    const same =
      existing !== undefined &&
      JSON.stringify(existing.target) === JSON.stringify(target) &&
      existing.overload === (a.overload === true);
    if (same) return;
    if (inUse) return "%Dynamic mapping in use, cannot change";
    nat.config.setDynamic(source, target, a.overload === true);
  });
}

/** Which key of NatTimeouts an `ip nat translation` keyword sets. */
const TIMEOUT_BY_KEYWORD = new Map<string, keyof NatTimeouts>(
  Object.entries(NAT_TIMEOUT_KEYWORDS).map(([key, word]) => [word, key as keyof NatTimeouts]),
);

const globalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "ip nat pool WORD:name A.B.C.D:start A.B.C.D:end {netmask A.B.C.D:mask | prefix-length <1-32>:length}",
    no: "ip nat pool WORD:name [LINE:rest]",
    handler: withNat((nat, a, ctx) => {
      const name = String(a.name);
      const inUse = nat.config.dynamic.some(
        (m) => m.target.kind === "pool" && m.target.pool === name && nat.refcount(m) > 0,
      );
      if (ctx.negated) {
        if (inUse) return `%Pool ${name} in use, cannot destroy`;
        nat.config.pools.delete(name);
        return;
      }
      const length = a.mask !== undefined ? lengthFromMask(address(a, "mask")) : Number(a.length);
      if (length === null) return `%Bad mask ${String(a.mask)} for pool ${name}`;
      const pool: NatPool = {
        name,
        start: address(a, "start"),
        end: address(a, "end"),
        prefixLength: length,
        maskForm: a.mask !== undefined ? "netmask" : "prefix-length",
      };
      const problem = checkPool(pool);
      if (problem !== null) return problem;
      if (inUse) return `%Pool ${name} in use, cannot redefine`;
      nat.config.pools.set(name, pool);
    }),
  },
  {
    syntax: "ip nat inside source static A.B.C.D:local A.B.C.D:global [extendable]",
    no: true,
    handler: withNat(staticHandler),
  },
  {
    syntax:
      "ip nat inside source static {tcp | udp}:proto A.B.C.D:local <1-65535>:lport A.B.C.D:global <1-65535>:gport [extendable]",
    no: true,
    handler: withNat(staticHandler),
  },
  {
    syntax: "ip nat inside source list WORD:acl {pool WORD | interface INTERFACE} [overload]",
    no: "ip nat inside source list WORD:acl [LINE:rest]",
    handler: dynamicHandler("list"),
  },
  {
    syntax: "ip nat inside source route-map WORD:map {pool WORD | interface INTERFACE} [overload]",
    no: "ip nat inside source route-map WORD:map [LINE:rest]",
    handler: dynamicHandler("route-map"),
  },
  {
    syntax: "ip nat outside source static A.B.C.D:global A.B.C.D:local [add-route]",
    no: true,
    handler: withNat(outsideStaticHandler),
  },
  {
    syntax: `ip nat translation {${Object.values(NAT_TIMEOUT_KEYWORDS).join(" | ")}}:which {<0-2147483>:seconds | never}`,
    no: `ip nat translation {${Object.values(NAT_TIMEOUT_KEYWORDS).join(" | ")}}:which [<0-2147483>:seconds | never]`,
    handler: withNat((nat, a, ctx) => {
      const key = TIMEOUT_BY_KEYWORD.get(String(a.which))!;
      nat.config.timeouts[key] = ctx.negated ? DEFAULT_NAT_TIMEOUTS[key] : a.never === true ? null : Number(a.seconds);
      nat.timeoutsChanged();
    }),
  },
];

const interfaceSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "ip nat {inside | outside}:role",
    no: true,
    handler: (a, ctx) => {
      const ifc = ctx.device.stack.interface(String(ctx.data));
      if (ifc === undefined) return "% Interface no longer exists";
      const role = a.role === "inside" ? "inside" : "outside";
      if (!ctx.negated) ifc.config.nat = role;
      else if (ifc.config.nat === role) ifc.config.nat = undefined;
    },
  },
];

const PROTOCOLS: Record<string, number> = { icmp: IP_PROTO_ICMP, tcp: IP_PROTO_TCP, udp: IP_PROTO_UDP };

function setNatDebug(ctx: Ctx, on: boolean, detailed: boolean): string {
  if (detailed) ctx.device.debug.ipNatDetailed = on;
  else Object.assign(ctx.device.debug, { ipNat: on, ipNatDetailed: on && ctx.device.debug.ipNatDetailed });
  return `IP NAT ${detailed ? "detailed " : ""}debugging is ${on ? "on" : "off"}`;
}

const execSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "show ip nat translations [icmp | tcp | udp]:proto [verbose]",
    handler: withNat((nat, a, ctx) =>
      renderShowIpNatTranslations(nat, ctx.device.now(), {
        verbose: a.verbose === true,
        protocol: a.proto === undefined ? undefined : PROTOCOLS[String(a.proto)],
      }),
    ),
  },
  {
    syntax: "show ip virtual-reassembly [INTERFACE:ifc]",
    handler: withNat((nat, a, ctx) => {
      const only = a.ifc === undefined ? undefined : ctx.device.findInterface(String(a.ifc));
      if (a.ifc !== undefined && only === undefined) return "% Invalid interface";
      return renderShowIpVirtualReassembly(nat.vfr, ctx.device.interfaces(), only);
    }),
  },
  { syntax: "show ip nat statistics", handler: withNat((nat, _a, ctx) => renderShowIpNatStatistics(ctx.device, nat)) },
  {
    syntax: "clear ip nat translation LINE:what",
    help: "Clear dynamic translations: * for all of them",
    handler: withNat((nat, _a, ctx) => {
      const parsed = parseClearNatTranslation(tokenize(ctx.line).slice(4));
      if (parsed.kind === "invalid")
        return { error: { kind: "invalid", column: parsed.column, message: INVALID_INPUT } };
      if (parsed.kind === "incomplete") return { error: { kind: "incomplete", message: INCOMPLETE_COMMAND } };
      nat.clear((e) => clearSelects(parsed, e));
    }),
  },
  { syntax: "clear ip nat statistics", handler: withNat((nat) => nat.clearStatistics()) },
  {
    syntax: "debug ip nat [detailed]",
    no: true,
    handler: (a, ctx) => setNatDebug(ctx, !ctx.negated, a.detailed === true),
  },
  { syntax: "undebug ip nat [detailed]", handler: (a, ctx) => setNatDebug(ctx, false, a.detailed === true) },
];

/** Registers the NAT commands on the router table. */
export function addNatCommands(table: CommandTable<RouterDevice>): void {
  table.add("config", ...globalSpecs);
  table.add("config-if", ...interfaceSpecs);
  table.add("config-subif", ...interfaceSpecs);
  table.add("exec", ...execSpecs);
  describeNatCommands(table);
}
