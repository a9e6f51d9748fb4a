// Interface configuration commands (config-if and config-subif): addresses
// with IOS's overlap and mask checks, shutdown, MTU, bandwidth, delay,
// description, 802.1Q encapsulation, ACLs and per-interface IP switches.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { formatIpv4Address, lengthFromMask, maskFromLength, parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import { compareInterfaceNames, type RouterDevice } from "./router-device.ts";

type Ctx = CommandContext<RouterDevice>;

/** The interface a config-if/config-subif command applies to. */
function current(ctx: Ctx): RouterInterface | undefined {
  return ctx.device.stack.interface(String(ctx.data));
}

/** Wraps a handler that needs the current interface, re-applying its state afterwards. */
function onInterface(
  fn: (ifc: RouterInterface, args: Args, ctx: Ctx) => HandlerResult,
): (args: Args, ctx: Ctx) => HandlerResult {
  return (args, ctx) => {
    const ifc = current(ctx);
    if (ifc === undefined) return "% Interface no longer exists";
    const result = fn(ifc, args, ctx);
    ctx.device.interfaceChanged(ifc);
    return result;
  };
}

/** IOS's checks for `ip address`: contiguous mask, not the network or broadcast address, no overlap. */
export function checkInterfaceAddress(
  device: RouterDevice,
  ifc: RouterInterface,
  address: number,
  length: number | null,
  maskText: string,
): string | null {
  if (length === null) return `% Bad mask ${maskText} for address ${formatIpv4Address(address)}`;
  const mask = maskFromLength(length);
  if (length < 31 && ifc.kind !== "loopback") {
    const host = address & ~mask;
    if (host === 0 || (host | mask) >>> 0 === 0xffffffff)
      return `Bad mask /${length} for address ${formatIpv4Address(address)}`;
  }
  // By key, not by scanning every interface; the first in IOS's listing order is named.
  const other = device.stack
    .overlappingInterfaces(address, length, ifc)
    .sort((a, b) => compareInterfaceNames(a.name, b.name))[0];
  if (other !== undefined) return `% ${formatIpv4Address((address & mask) >>> 0)} overlaps with ${other.name}`;
  return null;
}

const ifSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "ip address A.B.C.D:address A.B.C.D:mask [secondary]",
    no: "ip address [A.B.C.D:address A.B.C.D:mask] [secondary]",
    handler: onInterface((ifc, a, ctx) => {
      if (ctx.negated) {
        if (a.address === undefined) {
          ifc.config.address = undefined;
          ifc.config.secondaries = [];
          return;
        }
        const addr = parseIpv4Address(String(a.address));
        if (a.secondary) ifc.config.secondaries = ifc.config.secondaries.filter((s) => s.address !== addr);
        else if (ifc.config.address?.address === addr) ifc.config.address = undefined;
        return;
      }
      const address = parseIpv4Address(String(a.address))!;
      const length = lengthFromMask(parseIpv4Address(String(a.mask))!);
      const problem = checkInterfaceAddress(ctx.device, ifc, address, length, String(a.mask));
      if (problem !== null) return problem;
      const entry = { address, length: length! };
      if (a.secondary) {
        if (ifc.config.address === undefined) return "% Secondary can't be configured without a primary address";
        if (!ifc.config.secondaries.some((s) => s.address === address)) ifc.config.secondaries.push(entry);
      } else {
        ifc.config.address = entry;
      }
    }),
  },
  {
    syntax: "shutdown",
    no: true,
    handler: onInterface((ifc, _a, ctx) => {
      ifc.config.shutdown = !ctx.negated;
    }),
  },
  {
    syntax: "description LINE",
    no: "description [LINE]",
    handler: onInterface((ifc, a, ctx) => {
      ifc.config.description = ctx.negated ? undefined : String(a.description ?? a.line);
    }),
  },
  {
    syntax: "mtu <64-18000>",
    no: "mtu [<64-18000>]",
    handler: onInterface((ifc, a, ctx) => {
      if (ifc.parent !== null && !ctx.negated) return "% Interface MTU cannot be set on a subinterface; use ip mtu";
      ifc.config.mtu = ctx.negated ? undefined : Number(a.mtu);
    }),
  },
  {
    syntax: "ip mtu <68-18000>",
    no: "ip mtu [<68-18000>]",
    handler: onInterface((ifc, a, ctx) => {
      if (!ctx.negated && Number(a.mtu) > ifc.mtu)
        return `% Invalid MTU specified, must be less than or equal to the interface MTU (${ifc.mtu})`;
      ifc.config.ipMtu = ctx.negated ? undefined : Number(a.mtu);
    }),
  },
  {
    syntax: "bandwidth <1-10000000>",
    no: "bandwidth [<1-10000000>]",
    handler: onInterface((ifc, a, ctx) => {
      ifc.config.bandwidthKbps = ctx.negated ? undefined : Number(a.bandwidth);
    }),
  },
  {
    syntax: "delay <1-16777215>",
    no: "delay [<1-16777215>]",
    handler: onInterface((ifc, a, ctx) => {
      ifc.config.delayTensOfUs = ctx.negated ? undefined : Number(a.delay);
    }),
  },
  {
    syntax: "ip access-group WORD:name {in | out}:direction",
    no: "ip access-group [WORD:name] {in | out}:direction",
    handler: onInterface((ifc, a, ctx) => {
      const name = ctx.negated ? undefined : String(a.name);
      if (a.direction === "in") ifc.config.accessGroupIn = name;
      else ifc.config.accessGroupOut = name;
    }),
  },
  {
    syntax: "ip proxy-arp",
    no: true,
    handler: onInterface((ifc, _a, ctx) => {
      ifc.config.proxyArp = !ctx.negated;
    }),
  },
  {
    syntax: "ip unreachables",
    no: true,
    handler: onInterface((ifc, _a, ctx) => {
      ifc.config.unreachables = !ctx.negated;
    }),
  },
  {
    syntax: "ip redirects",
    no: true,
    handler: onInterface((ifc, _a, ctx) => {
      ifc.config.redirects = !ctx.negated;
    }),
  },
  {
    syntax: "ip load-sharing {per-packet | per-destination}:mode",
    no: "ip load-sharing [per-packet | per-destination]:mode",
    handler: onInterface((ifc, a, ctx) => {
      ifc.config.perPacketLoadSharing = !ctx.negated && a.mode === "per-packet";
    }),
  },
  {
    syntax: "arp timeout <0-2147483>",
    no: "arp timeout [<0-2147483>]",
    handler: onInterface((ifc, a, ctx) => {
      ifc.config.arpTimeoutSec = ctx.negated ? 14400 : Number(a.timeout);
    }),
  },
];

const physicalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "encapsulation hdlc",
    handler: onInterface((ifc) => (ifc.kind === "serial" ? undefined : "% Invalid encapsulation for this interface")),
  },
  {
    // The output limit is the FIFO's (or WFQ's total) in the port's output queue (src/dataplane/qos); input is
    // processed as it arrives, so the input queue never fills and its limit is what show interfaces reports.
    syntax: "hold-queue <0-4096>:length {in | out}:direction",
    no: "hold-queue [<0-4096>:length] {in | out}:direction",
    handler: onInterface((ifc, a, ctx) => {
      if (ifc.port === null) return "% Hold queue is not supported on this interface";
      const length = ctx.negated ? undefined : Number(a.length);
      if (a.direction === "in") {
        ifc.config.holdQueueIn = length;
        return;
      }
      ifc.config.holdQueueOut = length;
    }),
  },
];

const subifSpecs: CommandSpec<RouterDevice>[] = [
  {
    // No `native`: the pipeline tags every frame of a subinterface, so an untagged native VLAN is refused.
    syntax: "encapsulation dot1Q <1-4094>:vlan",
    no: "encapsulation dot1Q [<1-4094>:vlan]",
    handler: onInterface((ifc, a, ctx) => {
      if (ctx.negated) {
        ifc.config.vlan = undefined;
        return;
      }
      const vlan = Number(a.vlan);
      // The subinterface of the same main interface that already takes this VLAN, by key.
      const clash = ifc.parent === null ? undefined : ctx.device.stack.subinterfaceFor(ifc.parent, vlan);
      if (clash !== undefined && clash !== ifc)
        return `% Configuration of multiple subinterfaces of the same main\n% interface with the same VLAN (${vlan}) is not permitted.\n% This VLAN is already configured on ${clash.name}.`;
      ifc.config.vlan = vlan;
    }),
  },
];

/** Registers the interface commands on a command table. */
export function addInterfaceCommands(table: CommandTable<RouterDevice>): void {
  table.add("config-if", ...ifSpecs, ...physicalSpecs);
  table.add("config-subif", ...ifSpecs, ...subifSpecs);
}
