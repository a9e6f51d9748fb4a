// Global configuration commands: hostname, interfaces (entering config-if or
// config-subif), static routes, IP routing switches, access lists (numbered
// lines and named-list sub-modes) and the housekeeping lines every IOS config
// carries (version, logging, ip cef, no ip domain lookup); `service` lines
// are in service-commands.ts.

import { AccessList, type AclKind, aclKindForNumber } from "../../dataplane/acl.ts";
import { parseAce } from "../../dataplane/acl-parse.ts";
import type { StaticRouteConfig } from "../../dataplane/rib.ts";
import { lengthFromMask, parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import { isSubinterface } from "../cli/interface-name.ts";
import { INCOMPLETE_COMMAND, INVALID_INPUT } from "../cli/match.ts";
import type { CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import { DEFAULT_CONSOLE_LEVEL, DEFAULT_MONITOR_LEVEL } from "../console-line.ts";
import { DEFAULT_LOG_BUFFER_BYTES, DEFAULT_LOG_BUFFER_LEVEL, SEVERITY_NAMES } from "../logging-buffer.ts";
import type { RouterDevice } from "./router-device.ts";
import { addServiceCommands } from "./service-commands.ts";

const NO_RESOLVER = "% wanlab has no DNS resolver: ip domain lookup stays off";

function staticFromArgs(a: Args): StaticRouteConfig | string {
  const prefix = parseIpv4Address(String(a.prefix))!;
  const length = lengthFromMask(parseIpv4Address(String(a.mask))!);
  if (length === null) return `%Inconsistent address and mask`;
  const route: StaticRouteConfig = { prefix, length };
  const hop = String(a.nexthop);
  const hopAddress = parseIpv4Address(hop);
  if (hopAddress !== null) route.nextHop = hopAddress;
  else route.interface = hop;
  if (a.nexthop2 !== undefined) route.nextHop = parseIpv4Address(String(a.nexthop2)) ?? undefined;
  if (a.distance !== undefined) route.distance = Number(a.distance);
  if (a.tag !== undefined) route.tag = Number(a.tag);
  if (a.name !== undefined) route.name = String(a.name);
  if (a.permanent) route.permanent = true;
  if ((prefix & ~(length === 0 ? 0 : 0xffffffff << (32 - length))) >>> 0 !== 0) return "%Inconsistent address and mask";
  return route;
}

/** Adds or edits an entry of a list, numbered (`access-list 101 permit ...`) or in a named-list mode. */
export function applyAce(
  device: RouterDevice,
  name: string,
  kind: AclKind,
  line: string,
  tokens: string[],
  sequence?: number,
): HandlerResult {
  let acl = device.acls.get(name);
  if (acl !== undefined && acl.kind !== kind) return `% Access-list type conflicts with prior definition`;
  const parsed = parseAce(kind, tokens);
  if (!parsed.ok) {
    // Point the caret at the token the ACE parser stopped on.
    const before = tokens.slice(0, parsed.error.index).join(" ");
    const column = line.length - tokens.join(" ").length + before.length + (before ? 1 : 0);
    return { error: { kind: "invalid", column, message: INVALID_INPUT } };
  }
  if (acl === undefined) {
    acl = new AccessList(name, kind);
    device.acls.set(name, acl);
  }
  const added = acl.add(parsed.spec, sequence ?? parsed.sequence);
  if ("message" in added) return added.message;
}

const specs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "hostname WORD",
    handler: (a, ctx) => {
      ctx.device.hostname = String(a.hostname);
    },
  },
  {
    syntax: "interface INTERFACE",
    no: true,
    handler: (a, ctx) => {
      const name = String(a.interface);
      if (ctx.negated) {
        const ifc = ctx.device.stack.interface(name);
        if (ifc === undefined) return;
        return ctx.device.removeInterface(ifc) ?? undefined;
      }
      const ifc = ctx.device.ensureInterface(name);
      if (typeof ifc === "string") return ifc;
      // A boot config brings up every interface it lists; factory-default shutdown only applies to unlisted ones.
      if (ctx.device.booting) ifc.config.shutdown = false;
      ctx.enter(isSubinterface(name) ? "config-subif" : "config-if", name);
    },
  },
  {
    syntax:
      "ip route A.B.C.D:prefix A.B.C.D:mask {A.B.C.D | INTERFACE}:nexthop [A.B.C.D:nexthop2] [<1-255>:distance] [tag <1-4294967295>] [name WORD] [permanent]",
    no: "ip route A.B.C.D:prefix A.B.C.D:mask [{A.B.C.D | INTERFACE}:nexthop] [A.B.C.D:nexthop2] [<1-255>:distance] [tag <1-4294967295>] [name WORD] [permanent]",
    handler: (a, ctx) => {
      const rib = ctx.device.stack.rib;
      if (ctx.negated) {
        const prefix = parseIpv4Address(String(a.prefix))!;
        const length = lengthFromMask(parseIpv4Address(String(a.mask))!) ?? -1;
        const matching = rib.staticRoutes().filter((r) => r.prefix === prefix && r.length === length);
        const hop = a.nexthop === undefined ? undefined : String(a.nexthop);
        for (const r of matching) {
          const hopAddress = hop === undefined ? undefined : parseIpv4Address(hop);
          if (hop !== undefined && r.nextHop !== hopAddress && r.interface !== hop) continue;
          rib.removeStatic(r);
        }
        ctx.device.stack.routesChanged();
        return;
      }
      const route = staticFromArgs(a);
      if (typeof route === "string") return route;
      if (route.interface !== undefined && ctx.device.stack.interface(route.interface) === undefined)
        return `% Interface ${route.interface} does not exist`;
      // Same prefix and next hop replaces the old statement (new distance/tag), as IOS does.
      for (const r of rib.staticRoutes()) {
        if (
          r.prefix === route.prefix &&
          r.length === route.length &&
          r.nextHop === route.nextHop &&
          r.interface === route.interface
        )
          rib.removeStatic(r);
      }
      rib.addStatic(route);
      ctx.device.stack.routesChanged();
    },
  },
  {
    syntax: "ip routing",
    no: true,
    handler: (_a, ctx) => {
      ctx.device.stack.routing = !ctx.negated;
      ctx.device.stack.refreshInterfaces();
    },
  },
  {
    syntax: "ip default-gateway A.B.C.D",
    no: "ip default-gateway [A.B.C.D]",
    handler: (a, ctx) => {
      ctx.device.stack.defaultGateway = ctx.negated ? null : parseIpv4Address(String(a["default-gateway"]));
    },
  },
  {
    syntax: "access-list <1-2699>:number {permit | deny | remark}:action LINE:rest",
    no: "access-list <1-2699>:number [LINE:rest]",
    handler: (a, ctx) => {
      const number = Number(a.number);
      const kind = aclKindForNumber(number);
      if (kind === null) return "% Invalid access list number";
      const name = String(number);
      if (ctx.negated) {
        ctx.device.acls.delete(name);
        return;
      }
      if (a.action === "remark") {
        const existing = ctx.device.acls.get(name);
        if (existing !== undefined && existing.kind !== kind)
          return "% Access-list type conflicts with prior definition";
        const acl = existing ?? new AccessList(name, kind);
        ctx.device.acls.set(name, acl);
        acl.addRemark(String(a.rest));
        return;
      }
      const tokens = [String(a.action), ...String(a.rest).trim().split(/\s+/)];
      return applyAce(ctx.device, name, kind, ctx.line, tokens);
    },
  },
  {
    syntax: "ip access-list {standard | extended}:kind WORD:name",
    no: true,
    handler: (a, ctx) => {
      const kind = a.kind as AclKind;
      const name = String(a.name);
      if (ctx.negated) {
        ctx.device.acls.delete(name);
        return;
      }
      const numericKind = /^\d+$/.test(name) ? aclKindForNumber(Number(name)) : kind;
      if (numericKind !== kind) return "% Invalid access list name.";
      const existing = ctx.device.acls.get(name);
      if (existing !== undefined && existing.kind !== kind)
        return `% A named ${existing.kind} IP access list with this name already exists`;
      if (existing === undefined) ctx.device.acls.set(name, new AccessList(name, kind));
      ctx.enter(kind === "standard" ? "config-std-nacl" : "config-ext-nacl", name);
    },
  },
  {
    syntax: `logging buffered [<4096-2147483647>:size] [<0-7> | ${SEVERITY_NAMES.join(" | ")}]:level`,
    no: "logging buffered [LINE]",
    handler: (a, ctx) => {
      ctx.device.loggingBuffered = !ctx.negated;
      // `no logging buffered` turns buffering off and, as on IOS, forgets size and level.
      const size = ctx.negated ? DEFAULT_LOG_BUFFER_BYTES : Number(a.size ?? DEFAULT_LOG_BUFFER_BYTES);
      const level =
        ctx.negated || a.level === undefined
          ? DEFAULT_LOG_BUFFER_LEVEL
          : typeof a.level === "number"
            ? a.level
            : SEVERITY_NAMES.indexOf(a.level as (typeof SEVERITY_NAMES)[number]);
      ctx.device.logging.configure(size, level);
    },
  },
  {
    // Syslog to the console line (config/console-line.ts): on at debugging by default; debug output also needs
    // `terminal monitor`.
    syntax: `logging console [<0-7> | ${SEVERITY_NAMES.join(" | ")}]:level`,
    no: "logging console [LINE]",
    handler: (a, ctx) => {
      const line = ctx.device.consoleLine;
      line.logging = !ctx.negated;
      line.level =
        ctx.negated || a.level === undefined
          ? DEFAULT_CONSOLE_LEVEL
          : typeof a.level === "number"
            ? a.level
            : SEVERITY_NAMES.indexOf(a.level as (typeof SEVERITY_NAMES)[number]);
    },
  },
  {
    // What a `terminal monitor` session receives (config/console-line.ts): on, at debugging, by default.
    syntax: `logging monitor [<0-7> | ${SEVERITY_NAMES.join(" | ")}]:level`,
    no: "logging monitor [LINE]",
    handler: (a, ctx) => {
      const line = ctx.device.consoleLine;
      line.monitorLogging = !ctx.negated;
      line.monitorLevel =
        ctx.negated || a.level === undefined
          ? DEFAULT_MONITOR_LEVEL
          : typeof a.level === "number"
            ? a.level
            : SEVERITY_NAMES.indexOf(a.level as (typeof SEVERITY_NAMES)[number]);
    },
  },
  { syntax: "version WORD", handler: () => undefined },
  {
    syntax: "ip cef",
    no: "ip cef",
    handler: (_a, ctx) => (ctx.negated ? "% CEF cannot be turned off in wanlab" : undefined),
  },
  // wanlab has no DNS resolver: lookups stay off, the state show running-config prints.
  { syntax: "ip domain lookup", no: true, handler: (_a, ctx) => (ctx.negated ? undefined : NO_RESOLVER) },
  { syntax: "ip domain-lookup", no: true, handler: (_a, ctx) => (ctx.negated ? undefined : NO_RESOLVER) },
];

/** Entries typed inside `ip access-list standard|extended NAME`. */
const aclModeSpecs = (kind: AclKind): CommandSpec<RouterDevice>[] => [
  {
    syntax: "[<1-2147483647>:sequence] {permit | deny}:action LINE:rest",
    handler: (a, ctx) => {
      const name = String(ctx.data);
      const tokens = [String(a.action), ...String(a.rest).trim().split(/\s+/)];
      const seq = a.sequence === undefined ? undefined : Number(a.sequence);
      return applyAce(ctx.device, name, kind, ctx.line, tokens, seq);
    },
  },
  {
    syntax: "<1-2147483647>:sequence",
    no: true,
    handler: (a, ctx) => {
      if (!ctx.negated) return { error: { kind: "incomplete", message: INCOMPLETE_COMMAND } };
      ctx.device.acls.get(String(ctx.data))?.remove(Number(a.sequence));
    },
  },
  {
    syntax: "remark LINE",
    no: true,
    handler: (a, ctx) => {
      const acl = ctx.device.acls.get(String(ctx.data));
      if (acl === undefined) return;
      if (ctx.negated) acl.removeRemark(String(a.remark));
      else acl.addRemark(String(a.remark));
    },
  },
];

/** Registers global-config and ACL-mode commands. */
export function addGlobalCommands(table: CommandTable<RouterDevice>): void {
  table.add("config", ...specs);
  addServiceCommands(table);
  table.add("config-std-nacl", ...aclModeSpecs("standard"));
  table.add("config-ext-nacl", ...aclModeSpecs("extended"));
}
