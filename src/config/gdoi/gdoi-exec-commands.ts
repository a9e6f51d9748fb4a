// GETVPN exec commands beside the shows of gdoi-commands.ts: `debug crypto
// gdoi` (and its `no`/`undebug` forms; show debugging lists it), `clear crypto
// gdoi [group NAME]` (a member drops the group's keys and registers again
// from its first key server, %GDOI-5-GM_CLEAR_REGISTER; a key server forgets
// its members' registrations, keeping its keys) and `show crypto gdoi ks acl
// | rekey`.

import { describeCommands } from "../cli/help.ts";
import type { CommandContext, CommandSpec, CommandTable } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { gdoiProtocolOf } from "./gdoi-store.ts";
import { renderShowCryptoGdoiKsAcl, renderShowCryptoGdoiKsRekey } from "./show-gdoi-ks.ts";

type Ctx = CommandContext<RouterDevice>;

function setGdoiDebug(ctx: Ctx, on: boolean): string {
  ctx.device.debug.cryptoGdoi = on;
  return `Crypto GDOI debugging is ${on ? "on" : "off"}`;
}

const execSpecs: CommandSpec<RouterDevice>[] = [
  { syntax: "debug crypto gdoi", no: true, handler: (_a, ctx) => setGdoiDebug(ctx, !ctx.negated) },
  { syntax: "undebug crypto gdoi", handler: (_a, ctx) => setGdoiDebug(ctx, false) },
  {
    syntax: "clear crypto gdoi [group WORD:group]",
    handler: (a, ctx) => {
      const group = typeof a.group === "string" ? a.group : undefined;
      const gdoi = gdoiProtocolOf(ctx.device);
      const cleared = [...(gdoi?.members.clear(group) ?? []), ...(gdoi?.keyServer.clearMembers(group) ?? [])];
      if (cleared.length === 0)
        return group === undefined ? "% No GDOI group is running" : `% GDOI group ${group} is not running here`;
    },
  },
  { syntax: "show crypto gdoi ks acl", handler: (_a, ctx) => renderShowCryptoGdoiKsAcl(ctx.device) },
  { syntax: "show crypto gdoi ks rekey", handler: (_a, ctx) => renderShowCryptoGdoiKsRekey(ctx.device) },
];

/** Registers the commands and their help texts. */
export function addGdoiExecCommands(table: CommandTable<RouterDevice>): void {
  table.add("exec", ...execSpecs);
  describeCommands(table, "exec", {
    "debug crypto gdoi": "Crypto GDOI debug messages",
    "undebug crypto gdoi": "Crypto GDOI debug messages",
    "clear crypto gdoi": "Clear GDOI state: members register again",
    "clear crypto gdoi group": "Clear one group",
    "clear crypto gdoi group <group>": "Group name",
    "show crypto gdoi ks acl": "Display Key Server ACL information",
    "show crypto gdoi ks rekey": "Display Key Server rekey information",
  });
}
