// The legacy queueing commands on interfaces: `fair-queue [CDT [dynamic
// [reservable]]]` and `no fair-queue` (FIFO). The strategies themselves live
// in src/dataplane/qos; these handlers only record the choice on the
// interface, and the output queue rebuilds its scheduler from it.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { defaultQueueing, type InterfaceQueueing } from "../../dataplane/qos/legacy-queueing.ts";
import { WFQ_DEFAULT_CDT } from "../../dataplane/qos/wfq-scheduler.ts";
import type { Args } from "../cli/grammar.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { describeLegacyQueueingCommands } from "./legacy-help.ts";

type Ctx = CommandContext<RouterDevice>;

/** Runs a handler on the current physical interface, then lets the device apply the change. */
function onPort(fn: (ifc: RouterInterface, args: Args, ctx: Ctx) => HandlerResult) {
  return (args: Args, ctx: Ctx): HandlerResult => {
    const ifc = ctx.device.stack.interface(String(ctx.data));
    if (ifc === undefined) return "% Interface no longer exists";
    if (ifc.port === null || ifc.parent !== null) return "% Queueing is not supported on this interface";
    const result = fn(ifc, args, ctx);
    ctx.device.interfaceChanged(ifc);
    return result;
  };
}

/** `fair-queue`'s dynamic queue count must be a power of two from 16 to 4096. */
function validDynamic(n: number): boolean {
  return n >= 16 && n <= 4096 && (n & (n - 1)) === 0;
}

const interfaceSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "fair-queue [<1-4096>:cdt [<16-4096>:dynamic [<0-1000>:reservable]]]",
    no: "fair-queue [<1-4096>:cdt [<16-4096>:dynamic [<0-1000>:reservable]]]",
    handler: onPort((ifc, a, ctx) => {
      if (ctx.negated) {
        ifc.config.queueing = { kind: "fifo" };
        return;
      }
      const dynamic = a.dynamic === undefined ? undefined : Number(a.dynamic);
      if (dynamic !== undefined && !validDynamic(dynamic))
        return "% Number of dynamic queues must be a power of 2 (16, 32, 64, 128, 256, 512, 1024, 2048, 4096)";
      ifc.config.queueing = {
        kind: "fair",
        cdt: a.cdt === undefined ? WFQ_DEFAULT_CDT : Number(a.cdt),
        dynamic,
        reservable: a.reservable === undefined ? 0 : Number(a.reservable),
      };
    }),
  },
];

/** The running-config line of an interface's queueing (nothing when it runs IOS's default). */
export function queueingConfigLines(ifc: RouterInterface): string[] {
  const q: InterfaceQueueing | undefined = ifc.config.queueing;
  if (q === undefined) return [];
  const byDefault = defaultQueueing(ifc);
  switch (q.kind) {
    case "fifo":
      return byDefault.kind === "fair" ? [" no fair-queue"] : [];
    case "fair": {
      const custom = q.cdt !== WFQ_DEFAULT_CDT || q.dynamic !== undefined || q.reservable !== 0;
      if (!custom) return byDefault.kind === "fair" ? [] : [" fair-queue"];
      const dynamic = q.dynamic === undefined ? "" : ` ${q.dynamic}${q.reservable !== 0 ? ` ${q.reservable}` : ""}`;
      return [` fair-queue ${q.cdt}${dynamic}`];
    }
    case "priority":
      return [` priority-group ${q.list}`];
    case "custom":
      return [` custom-queue-list ${q.list}`];
  }
}

/** Registers the legacy queueing commands and their help. */
export function addLegacyQueueingCommands(table: CommandTable<RouterDevice>): void {
  table.add("config-if", ...interfaceSpecs);
  describeLegacyQueueingCommands(table);
}
