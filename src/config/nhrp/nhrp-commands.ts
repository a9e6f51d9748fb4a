// IOS's NHRP commands. On a tunnel interface: `ip nhrp network-id`, `ip nhrp
// authentication`, `ip nhrp map A NBMA`, `ip nhrp map multicast A|dynamic`,
// `ip nhrp nhs A [nbma B] [multicast]`, `ip nhrp holdtime`, `ip nhrp
// registration timeout`, `ip nhrp redirect`, `ip nhrp shortcut`, with their
// no forms. In exec: `show dmvpn [detail]`, `show ip nhrp [brief | detail | shortcut]`, `show ip nhrp nhs
// [detail]`, `show ip nhrp traffic`, `clear ip nhrp`, `debug nhrp`. NHRP runs over GRE
// here, so on any interface but a tunnel the caret points at the command.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import type { NhrpInterfaceConfig } from "../../protocols/nhrp/nhrp-config.ts";
import { NHRP_DEFAULT_HOLDTIME } from "../../protocols/nhrp/nhrp-config.ts";
import { parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import { INVALID_INPUT } from "../cli/match.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { describeNhrpCommands } from "./nhrp-help.ts";
import { ensureNhrpConfig, nhrpProcess, syncNhrp } from "./nhrp-store.ts";
import {
  renderShowDmvpn,
  renderShowIpNhrp,
  renderShowIpNhrpBrief,
  renderShowIpNhrpNhs,
  renderShowIpNhrpTraffic,
} from "./show-nhrp.ts";

type Ctx = CommandContext<RouterDevice>;

/** IOS keeps the first 8 characters of an NHRP password. */
const AUTH_MAX = 8;

const addr = (v: unknown) => parseIpv4Address(String(v))! >>> 0;

/** Runs an `ip nhrp` command on the current tunnel interface, then lets the process follow. */
function onNhrp(fn: (c: NhrpInterfaceConfig, a: Args, ctx: Ctx, ifc: RouterInterface) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const ifc = ctx.device.stack.interface(String(ctx.data));
    if (ifc === undefined) return "% Interface no longer exists";
    if (ifc.kind !== "tunnel") {
      const column = ctx.line.length - ctx.line.trimStart().length + (ctx.negated ? 3 : 0);
      return { error: { kind: "invalid", column, message: INVALID_INPUT } };
    }
    const result = fn(ensureNhrpConfig(ifc), a, ctx, ifc);
    syncNhrp(ctx.device);
    return result;
  };
}

const interfaceSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "ip nhrp network-id <1-4294967295>:id",
    no: "ip nhrp network-id [<1-4294967295>:id]",
    handler: onNhrp((c, a, ctx) => {
      if (ctx.negated) delete c.networkId;
      else c.networkId = Number(a.id);
    }),
  },
  {
    syntax: "ip nhrp authentication WORD:password",
    no: "ip nhrp authentication [WORD:password]",
    handler: onNhrp((c, a, ctx) => {
      if (ctx.negated) delete c.authentication;
      else c.authentication = String(a.password).slice(0, AUTH_MAX);
    }),
  },
  {
    syntax: "ip nhrp map multicast {dynamic | A.B.C.D:nbma}",
    no: true,
    handler: onNhrp((c, a, ctx) => {
      if (a.dynamic === true) {
        c.multicastDynamic = !ctx.negated;
        return;
      }
      const nbma = addr(a.nbma);
      c.multicastMaps = c.multicastMaps.filter((m) => m !== nbma);
      if (!ctx.negated) c.multicastMaps.push(nbma);
    }),
  },
  {
    syntax: "ip nhrp map A.B.C.D:protocol A.B.C.D:nbma",
    no: true,
    handler: onNhrp((c, a, ctx) => {
      const protocol = addr(a.protocol);
      if (ctx.negated) c.maps.delete(protocol);
      else c.maps.set(protocol, addr(a.nbma));
    }),
  },
  {
    syntax: "ip nhrp nhs A.B.C.D:nhs [nbma A.B.C.D:nbma] [multicast]",
    no: "ip nhrp nhs A.B.C.D:nhs [LINE]",
    handler: onNhrp((c, a, ctx) => {
      const protocol = addr(a.nhs);
      c.servers = c.servers.filter((s) => s.protocol !== protocol);
      if (ctx.negated) return;
      c.servers.push({
        protocol,
        ...(a.nbma !== undefined ? { nbma: addr(a.nbma) } : {}),
        multicast: a.multicast === true,
      });
    }),
  },
  {
    syntax: "ip nhrp holdtime <1-65535>:seconds",
    no: "ip nhrp holdtime [<1-65535>:seconds]",
    handler: onNhrp((c, a, ctx) => {
      c.holdtimeSec = ctx.negated ? NHRP_DEFAULT_HOLDTIME : Number(a.seconds);
    }),
  },
  {
    syntax: "ip nhrp registration timeout <1-65535>:seconds",
    no: "ip nhrp registration timeout [<1-65535>:seconds]",
    handler: onNhrp((c, a, ctx) => {
      if (ctx.negated) delete c.registrationTimeoutSec;
      else c.registrationTimeoutSec = Number(a.seconds);
    }),
  },
  {
    syntax: "ip nhrp redirect",
    no: true,
    handler: onNhrp((c, _a, ctx) => {
      c.redirect = !ctx.negated;
    }),
  },
  {
    syntax: "ip nhrp shortcut",
    no: true,
    handler: onNhrp((c, _a, ctx) => {
      c.shortcut = !ctx.negated;
    }),
  },
];

const execSpecs: CommandSpec<RouterDevice>[] = [
  { syntax: "show dmvpn [detail]", handler: (a, ctx) => renderShowDmvpn(ctx.device, a.detail === true) },
  { syntax: "show ip nhrp [detail]", handler: (_a, ctx) => renderShowIpNhrp(ctx.device) },
  { syntax: "show ip nhrp shortcut", handler: (_a, ctx) => renderShowIpNhrp(ctx.device, "shortcut") },
  { syntax: "show ip nhrp brief", handler: (_a, ctx) => renderShowIpNhrpBrief(ctx.device) },
  { syntax: "show ip nhrp nhs [detail]", handler: (a, ctx) => renderShowIpNhrpNhs(ctx.device, a.detail === true) },
  { syntax: "show ip nhrp traffic", handler: (_a, ctx) => renderShowIpNhrpTraffic(ctx.device) },
  { syntax: "debug nhrp", no: true, handler: (_a, ctx) => setNhrpDebug(ctx, !ctx.negated) },
  { syntax: "undebug nhrp", handler: (_a, ctx) => setNhrpDebug(ctx, false) },
  {
    syntax: "clear ip nhrp",
    handler: (_a, ctx) => {
      for (const n of nhrpProcess(ctx.device)?.all() ?? []) n.clear();
    },
  },
];

/** `[no] debug nhrp`, `undebug nhrp`: the switch the renderer reads. */
function setNhrpDebug(ctx: Ctx, on: boolean): string {
  ctx.device.debug.nhrp = on;
  return `NHRP protocol debugging is ${on ? "on" : "off"}`;
}

/** Registers the NHRP commands on a command table. */
export function addNhrpCommands(table: CommandTable<RouterDevice>): void {
  table.add("config-if", ...interfaceSpecs);
  table.add("exec", ...execSpecs);
  describeNhrpCommands(table);
}
