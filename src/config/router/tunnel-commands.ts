// The tunnel interface commands (config-if on `interface TunnelN`): `tunnel
// source IF|A.B.C.D`, `tunnel destination A.B.C.D`, `tunnel key N`, `tunnel
// mode gre ip` (the default), `tunnel mode gre multipoint` (mGRE), `tunnel
// mode ipsec ipv4` (a VTI), `tunnel path-mtu-discovery`, `tunnel protection
// ipsec profile NAME`
// (tunnel-protection.ts), `keepalive [period [retries]]` (GRE keepalives) and
// `qos pre-classify` (output classification sees the inner header),
// with their no forms, and the running-config lines they print back. On any
// other interface IOS has no `tunnel` commands: the caret points at the word.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { tunnelOf } from "../../dataplane/tunnel/gre-tunnels.ts";
import { defaultTunnelConfig, type TunnelConfig } from "../../dataplane/tunnel/tunnel-config.ts";
import { formatIpv4Address, parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import { INVALID_INPUT } from "../cli/match.ts";
import type { CommandContext, CommandSpec, CommandTable, HandlerResult } from "../cli/modes.ts";
import type { RouterDevice } from "./router-device.ts";
import { addIpsecProfileCommands, refreshTunnelProtection, setTunnelProtection } from "./tunnel-protection.ts";
import { dropGreOnlySettings, greOnlyOnVti, vtiRefusal } from "./vti-rules.ts";

type Ctx = CommandContext<RouterDevice>;

/** IOS's default keepalive period (seconds) and retries. */
const KEEPALIVE_PERIOD = 10;
const KEEPALIVE_RETRIES = 3;

/** Runs a tunnel command on the current interface, refusing it with IOS's caret on anything but a tunnel. */
function onTunnel(fn: (ifc: RouterInterface, config: TunnelConfig, args: Args, ctx: Ctx) => HandlerResult) {
  return (args: Args, ctx: Ctx): HandlerResult => {
    const ifc = ctx.device.stack.interface(String(ctx.data));
    if (ifc === undefined) return "% Interface no longer exists";
    if (ifc.kind !== "tunnel") {
      const column = ctx.line.length - ctx.line.trimStart().length + (ctx.negated ? 3 : 0);
      return { error: { kind: "invalid", column, message: INVALID_INPUT } };
    }
    ifc.config.tunnel ??= defaultTunnelConfig();
    const result = fn(ifc, ifc.config.tunnel, args, ctx);
    ctx.device.interfaceChanged(ifc);
    tunnelOf(ifc)?.report();
    if (ifc.config.tunnel.protection !== undefined) refreshTunnelProtection(ctx.device);
    return result;
  };
}

const specs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "tunnel source {A.B.C.D | INTERFACE}:source",
    no: "tunnel source [{A.B.C.D | INTERFACE}:source]",
    handler: onTunnel((ifc, config, a, ctx) => {
      if (ctx.negated) {
        config.source = undefined;
        return;
      }
      const text = String(a.source);
      const address = parseIpv4Address(text);
      if (address !== null) {
        config.source = { address };
        return;
      }
      const source = ctx.device.findInterface(text);
      if (source === undefined) return `% Interface ${text} does not exist`;
      if (source === ifc) return "% Tunnel source cannot be the tunnel itself";
      config.source = { interface: source.name };
    }),
  },
  {
    syntax: "tunnel destination A.B.C.D:destination",
    no: "tunnel destination [A.B.C.D:destination]",
    handler: onTunnel((_ifc, config, a, ctx) => {
      config.destination = ctx.negated ? undefined : (parseIpv4Address(String(a.destination)) ?? undefined);
    }),
  },
  {
    syntax: "tunnel key <0-4294967295>:key",
    no: "tunnel key [<0-4294967295>:key]",
    handler: onTunnel((ifc, config, a, ctx) => {
      if (!ctx.negated) {
        const refused = greOnlyOnVti(ifc, "tunnel key");
        if (refused !== null) return refused;
      }
      config.key = ctx.negated ? undefined : Number(a.key);
    }),
  },
  {
    syntax: "tunnel mode gre ip",
    no: "tunnel mode [gre ip]",
    handler: onTunnel((_ifc, config) => {
      config.mode = "gre-ip";
    }),
  },
  {
    // mGRE: no destination; NHRP (src/config/nhrp) gives each overlay next hop's NBMA address.
    syntax: "tunnel mode gre multipoint",
    handler: onTunnel((_ifc, config) => {
      config.mode = "gre-multipoint";
    }),
  },
  {
    // A VTI: IPv4 straight into the tunnel's IPsec SA (tunnel-protection.ts), line protocol up with the SA.
    syntax: "tunnel mode ipsec ipv4",
    handler: onTunnel((ifc, config, _a, ctx) => {
      const was = config.mode;
      config.mode = "ipsec-ipv4";
      const refused = vtiRefusal(ctx.device, ifc);
      if (refused !== null) {
        config.mode = was;
        return refused;
      }
      return dropGreOnlySettings(ifc, config).join("\n") || undefined;
    }),
  },
  {
    syntax: "tunnel protection ipsec profile WORD:profile [shared]",
    no: "tunnel protection ipsec profile [WORD:profile [shared]]",
    handler: onTunnel((ifc, _config, a, ctx) =>
      setTunnelProtection(ctx.device, ifc, ctx.negated ? null : String(a.profile), a.shared === true),
    ),
  },
  {
    // What the tunnel sends is classified on its inner header (output QoS: src/dataplane/pipeline/output-classification.ts).
    syntax: "qos pre-classify",
    no: true,
    handler: onTunnel((_ifc, config, _a, ctx) => {
      config.preClassify = ctx.negated ? undefined : true;
    }),
  },
  {
    syntax: "tunnel path-mtu-discovery",
    no: true,
    handler: onTunnel((_ifc, config, _a, ctx) => {
      config.pathMtuDiscovery = !ctx.negated;
    }),
  },
  {
    syntax: "keepalive [<0-32767>:period [<1-255>:retries]]",
    no: "keepalive [<0-32767>:period [<1-255>:retries]]",
    handler: (a, ctx) => {
      const ifc = ctx.device.stack.interface(String(ctx.data));
      if (ifc !== undefined && ifc.kind !== "tunnel")
        return "% wanlab sends keepalives on tunnel interfaces only (line protocol follows the carrier here)";
      return onTunnel((t, config) => {
        if (!ctx.negated && Number(a.period) !== 0) {
          const refused = greOnlyOnVti(t, "keepalive");
          if (refused !== null) return refused;
        }
        const period = a.period === undefined ? KEEPALIVE_PERIOD : Number(a.period);
        config.keepalive =
          ctx.negated || period === 0
            ? undefined
            : { periodSec: period, retries: a.retries === undefined ? KEEPALIVE_RETRIES : Number(a.retries) };
        tunnelOf(t)?.restartKeepalives();
      })(a, ctx);
    },
  },
];

/** The lines the tunnel commands print back in `show running-config` (IOS's order, defaults omitted). */
export function tunnelConfigLines(ifc: RouterInterface): string[] {
  const config = ifc.config.tunnel;
  if (ifc.kind !== "tunnel" || config === undefined) return [];
  const lines: string[] = [];
  if (config.keepalive !== undefined)
    lines.push(` keepalive ${config.keepalive.periodSec} ${config.keepalive.retries}`);
  if (config.preClassify === true) lines.push(" qos pre-classify");
  const source = config.source;
  if (source !== undefined)
    lines.push(` tunnel source ${"address" in source ? formatIpv4Address(source.address) : source.interface}`);
  if (config.destination !== undefined) lines.push(` tunnel destination ${formatIpv4Address(config.destination)}`);
  if (config.key !== undefined) lines.push(` tunnel key ${config.key}`);
  if (config.mode === "ipsec-ipv4") lines.push(" tunnel mode ipsec ipv4");
  if (config.mode === "gre-multipoint") lines.push(" tunnel mode gre multipoint");
  if (config.pathMtuDiscovery) lines.push(" tunnel path-mtu-discovery");
  if (config.protection !== undefined)
    lines.push(
      ` tunnel protection ipsec profile ${config.protection.profile}${config.protection.shared === true ? " shared" : ""}`,
    );
  return lines;
}

/** Registers the tunnel commands on a command table. */
export function addTunnelCommands(table: CommandTable<RouterDevice>): void {
  table.add("config-if", ...specs);
  addIpsecProfileCommands(table);
}
