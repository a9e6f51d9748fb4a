// The command table of the host device kind: an end station configured with
// the same interface and global lines as a router (no routing: it uses `ip
// default-gateway`), and Windows-style exec commands (`ping -l 1000 -n 1 A`,
// `ipconfig`) besides the IOS show commands that make sense on a host.

import { CommandTable, type CommandSpec } from "../cli/modes.ts";
import { parseIpv4Address, formatIpv4Address, maskFromLength } from "../../wire/ipv4-address.ts";
import { WindowsPingJob } from "../../dataplane/pipeline/windows-ping.ts";
import { addGlobalCommands } from "./global-commands.ts";
import { addInterfaceCommands } from "./interface-commands.ts";
import type { RouterDevice } from "./router-device.ts";
import { renderRunningConfig } from "./running-config.ts";
import { renderShowIpInterfaceBrief } from "./show-interfaces.ts";

const hostExec: CommandSpec<RouterDevice>[] = [
  {
    syntax: "ping [-n <1-4294967295>:count] [-l <0-65500>:size] [-f:df] [-w <1-4294967295>:timeout] [-i <1-255>:ttl] A.B.C.D:target",
    handler: (a, ctx) => {
      const target = parseIpv4Address(String(a.target));
      if (target === null) return "Ping request could not find host. Please check the name and try again.";
      const device = ctx.device;
      const job = new WindowsPingJob(device.stack, device.timers, () => device.now(), {
        target,
        count: Number(a.count ?? 4),
        dataBytes: Number(a.size ?? 32),
        timeoutMs: Number(a.timeout ?? 4000),
        dontFragment: a.df !== undefined,
        ttl: Number(a.ttl ?? 128),
        id: device.ctx.randomU32() & 0xffff,
      }, (t) => device.write(t), () => {
        device.job = null;
        device.finishCommand();
      });
      device.job = job;
      job.start();
    },
  },
  {
    syntax: "ipconfig",
    handler: (_a, ctx) => {
      const lines = ["", "Windows IP Configuration", ""];
      for (const ifc of ctx.device.interfaces()) {
        lines.push(`Ethernet adapter ${ifc.name}:`, "");
        const a = ifc.config.address;
        if (a === undefined || !ifc.lineProtocolUp) {
          lines.push("   Media State . . . . . . . . . . . : Media disconnected", "");
          continue;
        }
        lines.push(`   IPv4 Address. . . . . . . . . . . : ${formatIpv4Address(a.address)}`);
        lines.push(`   Subnet Mask . . . . . . . . . . . : ${formatIpv4Address(maskFromLength(a.length))}`);
        const gw = ctx.device.stack.defaultGateway;
        lines.push(`   Default Gateway . . . . . . . . . : ${gw === null ? "" : formatIpv4Address(gw)}`, "");
      }
      return lines.join("\n");
    },
  },
  { syntax: "show ip interface brief", handler: (_a, ctx) => renderShowIpInterfaceBrief(ctx.device) },
  { syntax: "show ip arp", handler: (_a, ctx) => ctx.device.stack.arp.render(ctx.device.now()) },
  { syntax: "arp -a", handler: (_a, ctx) => ctx.device.stack.arp.render(ctx.device.now()) },
  { syntax: "show running-config", handler: (_a, ctx) => renderRunningConfig(ctx.device) },
  { syntax: "test crash", handler: (_a, ctx) => void (ctx.device.crashRequested = true) },
];

let table: CommandTable<RouterDevice> | null = null;

/** The shared host command table. */
export function hostCommandTable(): CommandTable<RouterDevice> {
  if (table === null) {
    table = new CommandTable<RouterDevice>();
    addGlobalCommands(table);
    addInterfaceCommands(table);
    table.add("exec", ...hostExec);
  }
  return table;
}
