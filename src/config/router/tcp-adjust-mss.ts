// `ip tcp adjust-mss <500-1460>` (config-if, config-subif): SYNs and SYN-ACKs
// forwarded in or out of the interface carry at most that MSS (the rewrite is
// src/wire/tcp-mss.ts, applied by the forwarding pipeline), as IOS does on a
// tunnel whose MTU is below the path's so TCP never needs fragmentation.

import type { CommandSpec, CommandTable } from "../cli/modes.ts";
import type { RouterDevice } from "./router-device.ts";

const spec: CommandSpec<RouterDevice> = {
  syntax: "ip tcp adjust-mss <500-1460>:mss",
  no: "ip tcp adjust-mss [<500-1460>:mss]",
  handler: (a, ctx) => {
    const ifc = ctx.device.stack.interface(String(ctx.data));
    if (ifc === undefined) return "% Interface no longer exists";
    ifc.config.tcpAdjustMss = ctx.negated ? undefined : Number(a.mss);
  },
};

/** The running-config line (IOS prints it after `ip nat`). */
export function tcpAdjustMssLines(mss: number | undefined): string[] {
  return mss === undefined ? [] : [` ip tcp adjust-mss ${mss}`];
}

/** Registers `ip tcp adjust-mss` on interfaces and subinterfaces. */
export function addTcpAdjustMssCommand(table: CommandTable<RouterDevice>): void {
  table.add("config-if", spec);
  table.add("config-subif", spec);
}
