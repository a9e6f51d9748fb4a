// The exec commands of the console line's session (config/console-line.ts):
// `terminal length N` (0: no paging; the interactive console's --More--
// pager reads it from the device), `terminal monitor` (debug output to this
// console), `terminal history size N`, their `terminal no ...` forms, and
// `show history` (the commands typed in this mode family, oldest first, as
// IOS lists them: indented two spaces, `show history` itself last).

import type { CommandSpec } from "../cli/modes.ts";
import { DEFAULT_HISTORY_SIZE, DEFAULT_TERMINAL_LENGTH } from "../console-line.ts";
import type { RouterDevice } from "./router-device.ts";

export const terminalCommands: CommandSpec<RouterDevice>[] = [
  {
    syntax: "terminal length <0-512>:length",
    handler: (a, ctx) => void (ctx.device.consoleLine.length = Number(a.length)),
  },
  {
    syntax: "terminal no length",
    handler: (_a, ctx) => void (ctx.device.consoleLine.length = DEFAULT_TERMINAL_LENGTH),
  },
  { syntax: "terminal monitor", handler: (_a, ctx) => void (ctx.device.consoleLine.monitor = true) },
  { syntax: "terminal no monitor", handler: (_a, ctx) => void (ctx.device.consoleLine.monitor = false) },
  {
    syntax: "terminal history size <0-256>:size",
    handler: (a, ctx) => void (ctx.device.consoleLine.historySize = Number(a.size)),
  },
  {
    syntax: "terminal no history size",
    handler: (_a, ctx) => void (ctx.device.consoleLine.historySize = DEFAULT_HISTORY_SIZE),
  },
  {
    syntax: "show history",
    handler: (_a, ctx) => {
      // `do show history` in a configuration mode lists the configuration commands.
      const config = ctx.session.table.mode(ctx.session.mode)?.kind === "config";
      return ctx.device.consoleLine
        .history(config)
        .map((l) => `  ${l}`)
        .join("\n");
    },
  },
];
