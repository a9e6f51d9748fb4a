// IOS CDP commands: global `[no] cdp run`, `cdp timer <5-254>`, `cdp holdtime
// <10-255>`; interface `[no] cdp enable`; exec `show cdp`, `show cdp neighbors
// [IF] [detail]`, `show cdp interface [IF]`, `show cdp traffic`, `clear cdp
// table`, `clear cdp counters`. `cdp run` starts the process on the router's
// protocol set (with the ODR stub watching its neighbours and a running ODR
// hub attached), `no cdp run` stops it and forgets the neighbours.

import { cdpProtocol } from "../../protocols/cdp/cdp-process.ts";
import { OdrStub } from "../../protocols/odr/odr-stub.ts";
import type { CommandContext, CommandSpec, CommandTable } from "../cli/modes.ts";
import { isOdrStub, odrPrefixItem, odrProcess } from "../odr/odr-store.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { describeCdpCommands } from "./cdp-help.ts";
import { cdpConfig, cdpProcess, cdpServices, setCdpEnabled } from "./cdp-store.ts";
import { renderShowCdp, renderShowCdpInterface, renderShowCdpNeighbors, renderShowCdpTraffic } from "./show-cdp.ts";

type Ctx = CommandContext<RouterDevice>;

/** Starts CDP on a router (idempotent). */
export function startCdp(device: RouterDevice): void {
  if (cdpProcess(device) !== undefined) return;
  const cdp = device.protocols.start(cdpProtocol(cdpServices(device, (ifc) => odrPrefixItem(device, ifc))), () => {});
  const stub = new OdrStub(device.stack.rib, () => isOdrStub(device));
  cdp.onNeighbor((e) => stub.cdpEvent(e));
  odrProcess(device)?.attach(cdp);
}

/** Stops CDP: its neighbours go, and with them the routes ODR learned through them. */
function stopCdp(device: RouterDevice): void {
  device.protocols.stop("cdp");
  odrProcess(device)?.attach(undefined);
}

/** The interface a `show cdp ... IF` names, or an error line. */
function namedInterface(ctx: Ctx, name: unknown) {
  if (name === undefined) return { ifc: undefined };
  const ifc = ctx.device.findInterface(String(name));
  return ifc === undefined ? { error: "% Invalid interface\n" } : { ifc };
}

const globalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "cdp run",
    no: true,
    handler: (_a, ctx) => (ctx.negated ? stopCdp(ctx.device) : startCdp(ctx.device)),
  },
  {
    syntax: "cdp timer <5-254>:seconds",
    no: "cdp timer [<5-254>:seconds]",
    handler: (a, ctx) => {
      cdpConfig(ctx.device).timerSec = ctx.negated ? 60 : Number(a.seconds);
      cdpProcess(ctx.device)?.reconfigure();
    },
  },
  {
    syntax: "cdp holdtime <10-255>:seconds",
    no: "cdp holdtime [<10-255>:seconds]",
    handler: (a, ctx) => {
      cdpConfig(ctx.device).holdtimeSec = ctx.negated ? 180 : Number(a.seconds);
    },
  },
];

const interfaceSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "cdp enable",
    no: true,
    handler: (_a, ctx) => {
      const ifc = ctx.device.stack.interface(String(ctx.data));
      if (ifc === undefined) return "% Interface no longer exists";
      if (ifc.driver.outputCdp === undefined) return "% CDP is not supported on this interface";
      setCdpEnabled(ifc, !ctx.negated);
      const cdp = cdpProcess(ctx.device);
      if (cdp === undefined) return;
      // Enabling advertises at once; disabling forgets what was heard there.
      if (ctx.negated) cdp.interfaceEvent({ kind: "lineProtocolChanged", ifc, up: false });
      else cdp.advertise(ifc);
    },
  },
];

const execSpecs: CommandSpec<RouterDevice>[] = [
  { syntax: "show cdp", handler: (_a, ctx) => renderShowCdp(ctx.device) },
  {
    syntax: "show cdp neighbors [INTERFACE:ifc] [detail]:detail",
    handler: (a, ctx) => {
      const r = namedInterface(ctx, a.ifc);
      return "error" in r ? r.error : renderShowCdpNeighbors(ctx.device, r.ifc, a.detail !== undefined);
    },
  },
  {
    syntax: "show cdp interface [INTERFACE:ifc]",
    handler: (a, ctx) => {
      const r = namedInterface(ctx, a.ifc);
      return "error" in r ? r.error : renderShowCdpInterface(ctx.device, r.ifc);
    },
  },
  { syntax: "show cdp traffic", handler: (_a, ctx) => renderShowCdpTraffic(ctx.device) },
  { syntax: "clear cdp table", handler: (_a, ctx) => cdpProcess(ctx.device)?.clearTable() },
  { syntax: "clear cdp counters", handler: (_a, ctx) => cdpProcess(ctx.device)?.clearCounters() },
];

/** Registers the CDP commands on the router table. */
export function addCdpCommands(table: CommandTable<RouterDevice>): void {
  table.add("config", ...globalSpecs);
  table.add("config-if", ...interfaceSpecs);
  table.add("config-subif", ...interfaceSpecs);
  table.add("exec", ...execSpecs);
  describeCdpCommands(table);
}
