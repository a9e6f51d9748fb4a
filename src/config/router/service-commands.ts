// The `service` lines of a router's configuration. `service timestamps log
// | debug` sets how buffered lines are stamped; the running config prints
// the state as IOS does (`no service timestamps debug uptime` when off).
// `service password-encryption` is refused: wanlab has no enable, username or
// line passwords for it to encrypt, so `no service password-encryption` is
// the only state. Other `service` keywords are refused by the grammar.

import type { CommandSpec, CommandTable } from "../cli/modes.ts";
import type { TimestampStyle } from "./log-timestamps.ts";
import type { RouterDevice } from "./router-device.ts";

/** The `service` lines of the running config, in IOS's order. */
export function serviceConfigLines(device: RouterDevice): string[] {
  const line = (which: "debug" | "log"): string => {
    const style = device.timestamps[which];
    return style === "none" ? `no service timestamps ${which} uptime` : `service timestamps ${which} ${style}`;
  };
  return [line("debug"), line("log"), "no service password-encryption"];
}

const specs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "service timestamps [debug | log]:which [datetime [msec] | uptime]:format",
    no: "service timestamps [debug | log]:which [datetime [msec] | uptime]",
    default: "service timestamps [debug | log]:which [datetime [msec] | uptime]",
    handler: (a, ctx) => {
      // IOS: no keyword means debug; no format means uptime.
      const which = a.which === "log" ? "log" : "debug";
      let style: TimestampStyle = a.format === "datetime" ? (a.msec === true ? "datetime msec" : "datetime") : "uptime";
      if (ctx.negated) style = "none";
      // The factory default of this router (what a fresh wanlab config prints).
      if (ctx.defaulted) style = "datetime msec";
      ctx.device.timestamps[which] = style;
    },
  },
  {
    // Only the state wanlab has: nothing to encrypt, so turning it on is refused.
    syntax: "service password-encryption",
    no: true,
    handler: (_a, ctx) =>
      ctx.negated ? undefined : "% wanlab has no enable, username or line passwords for service password-encryption",
  },
];

/** Registers the `service` lines in global config. */
export function addServiceCommands(table: CommandTable<RouterDevice>): void {
  table.add("config", ...specs);
}
