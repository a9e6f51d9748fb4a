// MQC on the router: the class-map/policy-map/service-policy commands, their
// shows, help, and running-config sections (src/config/qos/mqc-*), over the
// data plane in src/dataplane/qos/mqc-*.

import type { CommandSpec, CommandTable } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { addMqcCommandSpecs } from "./mqc-commands.ts";
import { describeMqcCommands } from "./mqc-help.ts";
import { renderShowClassMap, renderShowPolicyMap, renderShowPolicyMapInterface } from "./mqc-show.ts";

export { mqcInterfaceLines, mqcRunningLines } from "./mqc-running-config.ts";

const execSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "show class-map [WORD:name]",
    handler: (a, ctx) => renderShowClassMap(ctx.device, a.name === undefined ? undefined : String(a.name)),
  },
  {
    syntax: "show policy-map interface [INTERFACE:interface] [input | output]:direction",
    handler: (a, ctx) =>
      renderShowPolicyMapInterface(
        ctx.device,
        a.interface === undefined ? undefined : String(a.interface),
        a.direction === "input" ? "input" : a.direction === "output" ? "output" : undefined,
      ),
  },
  {
    syntax: "show policy-map [WORD:name]",
    handler: (a, ctx) => renderShowPolicyMap(ctx.device, a.name === undefined ? undefined : String(a.name)),
  },
];

/** Registers the MQC commands on the router table. */
export function addMqcCommands(table: CommandTable<RouterDevice>): void {
  addMqcCommandSpecs(table);
  table.add("exec", ...execSpecs);
  describeMqcCommands(table);
}
