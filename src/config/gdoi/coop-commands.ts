// COOP key server commands (seed 003): `redundancy` under `server local`
// enters gdoi-coop-ks-config, where `local priority N` and `peer address ipv4
// A` (one line per other key server) configure the cooperative key servers;
// `show crypto gdoi ks coop` prints their state. Every change reconciles
// GDOI, so COOP starts, gains or loses peers, or stops.

import { COOP_DEFAULT_PRIORITY } from "../../protocols/gdoi/coop-key-server.ts";
import type { CoopConfig } from "../../protocols/gdoi/gdoi-config.ts";
import { formatIpv4Address, parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import { describeCommands } from "../cli/help.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { gdoiConfig, reconcileGdoi } from "./gdoi-store.ts";
import { renderShowCryptoGdoiKsCoop } from "./show-gdoi-coop.ts";

type Ctx = CommandContext<RouterDevice>;

/** The mode `redundancy` enters (IOS's prompt: `(gdoi-coop-ks-config)`). */
export const GDOI_COOP_MODE = "gdoi-coop-ks-config";

/** Runs `fn` on the `redundancy` block of the group the frame names, then reconciles GDOI. */
function onCoop(fn: (c: CoopConfig, a: Args, ctx: Ctx) => HandlerResult) {
  return (a: Args, ctx: Ctx): HandlerResult => {
    const name = ctx.frames.find((f) => f.mode === GDOI_COOP_MODE)?.data;
    const c = typeof name === "string" ? gdoiConfig(ctx.device).groups.get(name)?.server?.redundancy : undefined;
    if (c === undefined) return "% GDOI redundancy no longer exists";
    const r = fn(c, a, ctx);
    reconcileGdoi(ctx.device);
    return r;
  };
}

const serverSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "redundancy",
    no: true,
    handler: (_a, ctx) => {
      const name = ctx.frames.find((f) => f.mode === "config-gdoi-group")?.data;
      const server = typeof name === "string" ? gdoiConfig(ctx.device).groups.get(name)?.server : undefined;
      if (server === undefined || server === null || typeof name !== "string")
        return "% GDOI key server no longer exists";
      if (ctx.negated) delete server.redundancy;
      else {
        server.redundancy ??= { peers: [] };
        ctx.enter(GDOI_COOP_MODE, name);
      }
      reconcileGdoi(ctx.device);
    },
  },
];

const coopSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "local priority <1-255>:priority",
    no: "local priority [<1-255>:priority]",
    handler: onCoop((c, a, ctx) => {
      if (ctx.negated) delete c.localPriority;
      else c.localPriority = Number(a.priority);
    }),
  },
  {
    syntax: "peer address ipv4 A.B.C.D:address",
    no: true,
    handler: onCoop((c, a, ctx) => {
      const address = parseIpv4Address(String(a.address))! >>> 0;
      const at = c.peers.indexOf(address);
      if (ctx.negated) {
        if (at >= 0) c.peers.splice(at, 1);
      } else if (at < 0) c.peers.push(address);
    }),
  },
];

const execSpecs: CommandSpec<RouterDevice>[] = [
  { syntax: "show crypto gdoi ks coop", handler: (_a, ctx) => renderShowCryptoGdoiKsCoop(ctx.device) },
];

/** The running-config lines of a `redundancy` block (two spaces in, under `server local`). */
export function coopRunningConfigLines(c: CoopConfig | undefined): string[] {
  if (c === undefined) return [];
  const lines = ["  redundancy"];
  if (c.localPriority !== undefined && c.localPriority !== COOP_DEFAULT_PRIORITY)
    lines.push(`   local priority ${c.localPriority}`);
  for (const p of c.peers) lines.push(`   peer address ipv4 ${formatIpv4Address(p)}`);
  return lines;
}

/** Registers COOP's mode, commands and help texts. */
export function addCoopCommands(table: CommandTable<RouterDevice>): void {
  table.defineMode(GDOI_COOP_MODE, { parent: "gdoi-local-server" });
  table.add("gdoi-local-server", ...serverSpecs);
  table.add(GDOI_COOP_MODE, ...coopSpecs);
  table.add("exec", ...execSpecs);
  describeCommands(table, "gdoi-local-server", { redundancy: "Configure redundancy for the key server" });
  describeCommands(table, GDOI_COOP_MODE, {
    local: "Local key server redundancy configuration",
    "local priority": "Set the local key server priority",
    "local priority <priority>": "Priority value (1-255; the highest is elected primary)",
    peer: "Peer key server redundancy configuration",
    "peer address": "Peer key server address",
    "peer address ipv4": "IPv4 address",
    "peer address ipv4 <address>": "Peer key server IPv4 address",
  });
  describeCommands(table, "exec", { "show crypto gdoi ks coop": "Display Key Server COOP information" });
}
