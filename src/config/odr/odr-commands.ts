// IOS ODR commands: `router odr` (the hub) with `timers basic` and `distance`
// in its config-router mode, `show ip route odr`, and ODR's block of `show
// ip protocols`. The stub side needs no command: a router running no routing
// protocol advertises its connected prefixes in CDP and takes the hub's
// default route (src/protocols/odr/odr-stub.ts).

import { ODR_DEFAULT_TIMERS, ODR_DISTANCE, odrProtocol } from "../../protocols/odr/odr-process.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import { cdpProcess } from "../cdp/cdp-store.ts";
import { describeCommands } from "../cli/help.ts";
import type { CommandSpec, CommandTable } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { renderShowIpRoute } from "../router/show-ip-route.ts";
import { odrConfig, odrProcess, setOdrConfig } from "./odr-store.ts";

/** The mode of the lines inside `router odr`. */
export const ODR_ROUTER_MODE = "config-router-odr";

const SEC = 1_000_000_000;

const globalSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "router odr",
    no: true,
    handler: (_a, ctx) => {
      const device = ctx.device;
      if (ctx.negated) {
        device.protocols.stop("odr");
        setOdrConfig(device, undefined);
        return;
      }
      if (odrConfig(device) === undefined) {
        const config = { timers: { ...ODR_DEFAULT_TIMERS }, distance: ODR_DISTANCE };
        setOdrConfig(device, config);
        device.protocols.start(odrProtocol(config), () => {}).attach(cdpProcess(device));
      }
      ctx.enter(ODR_ROUTER_MODE);
    },
  },
];

const routerSpecs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "timers basic <1-4294967>:update <1-4294967>:invalid <0-4294967>:holddown <1-4294967>:flush",
    no: "timers basic [LINE]",
    handler: (a, ctx) => {
      const c = odrConfig(ctx.device);
      if (c === undefined) return "% ODR process no longer exists";
      c.timers = ctx.negated
        ? { ...ODR_DEFAULT_TIMERS }
        : {
            update: Number(a.update),
            invalid: Number(a.invalid),
            holddown: Number(a.holddown),
            flush: Number(a.flush),
          };
    },
  },
  {
    syntax: "distance <1-255>:distance",
    no: "distance [<1-255>:distance]",
    handler: (a, ctx) => {
      const c = odrConfig(ctx.device);
      if (c === undefined) return "% ODR process no longer exists";
      c.distance = ctx.negated ? ODR_DISTANCE : Number(a.distance);
    },
  },
];

const execSpecs: CommandSpec<RouterDevice>[] = [
  { syntax: "show ip route odr", handler: (_a, ctx) => renderShowIpRoute(ctx.device, { source: "odr" }) },
];

function hms(ns: number): string {
  const s = Math.floor(ns / SEC);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

/** `show ip protocols` for ODR: its block, ended by a blank line, or "" without one. */
export function renderShowIpProtocolsOdr(device: RouterDevice): string {
  const odr = odrProcess(device);
  const c = odrConfig(device);
  if (odr === undefined || c === undefined) return "";
  const t = c.timers;
  const cdp = cdpProcess(device);
  const nextDue = cdp === undefined ? 0 : Math.max(0, Math.ceil((cdp.nextAdvertAt - device.now()) / SEC));
  const out = [
    'Routing Protocol is "odr"',
    `  Sending updates every ${t.update} seconds, next due in ${nextDue} seconds`,
    `  Invalid after ${t.invalid} seconds, hold down ${t.holddown}, flushed after ${t.flush}`,
    "  Outgoing update filter list for all interfaces is not set",
    "  Incoming update filter list for all interfaces is not set",
    "  Maximum path: 4",
    "  Routing for Networks:",
    "  Routing Information Sources:",
    "    Gateway         Distance      Last Update",
    ...odr
      .informationSources()
      .map(
        (s) =>
          `    ${formatIpv4Address(s.gateway).padEnd(15)} ${String(c.distance).padStart(8)}      ${hms(device.now() - s.lastUpdate)}`,
      ),
    `  Distance: (default is ${ODR_DISTANCE})`,
    "",
    "",
  ];
  return out.join("\n");
}

/** `router odr` and its non-default lines for the running configuration. */
export function odrRouterLines(device: RouterDevice): string[] {
  const c = odrConfig(device);
  if (c === undefined) return [];
  const lines = ["router odr"];
  const t = c.timers;
  const d = ODR_DEFAULT_TIMERS;
  if (t.update !== d.update || t.invalid !== d.invalid || t.holddown !== d.holddown || t.flush !== d.flush)
    lines.push(` timers basic ${t.update} ${t.invalid} ${t.holddown} ${t.flush}`);
  if (c.distance !== ODR_DISTANCE) lines.push(` distance ${c.distance}`);
  return [...lines, "!"];
}

/** Registers the ODR commands on the router table. */
export function addOdrCommands(table: CommandTable<RouterDevice>): void {
  table.defineMode(ODR_ROUTER_MODE, { prompt: "config-router" });
  table.add("config", ...globalSpecs);
  table.add(ODR_ROUTER_MODE, ...routerSpecs);
  table.add("exec", ...execSpecs);
  describeCommands(table, "exec", { "show ip route odr": "On Demand stub Routes" });
  describeCommands(table, "config", { "router odr": "On Demand stub Routes" });
  describeCommands(table, ODR_ROUTER_MODE, {
    timers: "Adjust routing timers",
    "timers basic": "Basic routing protocol update timers",
    "timers basic <update>": "Interval between updates",
    "timers basic <invalid>": "Invalid",
    "timers basic <holddown>": "Holddown",
    "timers basic <flush>": "Flush",
    "timers basic <basic>": "The rest of the line",
    distance: "Define an administrative distance",
    "distance <distance>": "Administrative distance",
  });
}
