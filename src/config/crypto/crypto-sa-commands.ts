// Exec commands on crypto state (not configuration): the SA shows and the
// clear commands the seed's troubleshooting uses to tear tunnels down
// (`clear crypto isakmp`, `clear crypto sa [peer|spi|map]`).

import { parseIpv4Address } from "../../wire/ipv4-address.ts";
import type { Args } from "../cli/grammar.ts";
import type { CommandSpec, CommandTable } from "../cli/modes.ts";
import type { RouterDevice } from "../router/router-device.ts";
import {
  renderShowCryptoIpsecSa,
  renderShowCryptoIsakmpSa,
  renderShowCryptoIsakmpSaDetail,
  renderShowCryptoSession,
} from "./show-crypto-sa.ts";

function address(a: Args, key: string): number | undefined {
  return a[key] === undefined ? undefined : (parseIpv4Address(String(a[key])) ?? undefined);
}

const specs: CommandSpec<RouterDevice>[] = [
  {
    syntax: "show crypto isakmp sa [detail]",
    handler: (a, ctx) => (a.detail ? renderShowCryptoIsakmpSaDetail(ctx.device) : renderShowCryptoIsakmpSa(ctx.device)),
  },
  {
    syntax: "show crypto ipsec sa [peer A.B.C.D:peer]",
    handler: (a, ctx) => renderShowCryptoIpsecSa(ctx.device, address(a, "peer")),
  },
  {
    syntax: "show crypto session [detail]",
    handler: (a, ctx) => renderShowCryptoSession(ctx.device, a.detail === true),
  },
  {
    syntax: "show crypto engine brief",
    handler: (_a, ctx) => {
      // Which fast-path implementation seals and opens this router's SAs (`--crypto`).
      const backend = ctx.device.ipsec?.backend ?? "wasm";
      const usage = ctx.device.ipsec?.engineUsage;
      // wanlab's own line: the packets each implementation really sealed and opened (what --crypto auto chose).
      const count = (u: Record<string, number> | undefined): string =>
        `wasm ${u?.wasm ?? 0}, native ${u?.native ?? 0}, ref ${u?.ref ?? 0}`;
      return [
        `        crypto engine name:  Software Crypto Engine (wanlab ${backend})`,
        "        crypto engine type:  software",
        "       crypto engine state:  installed",
        "     crypto engine in slot:  N/A",
        `    packets sealed (wanlab):  ${count(usage?.sealed)}`,
        `    packets opened (wanlab):  ${count(usage?.opened)}`,
        "",
      ].join("\n");
    },
  },
  {
    syntax: "clear crypto isakmp [<1-32766>:connid]",
    handler: (a, ctx) => void ctx.device.ike?.clearIsakmp(a.connid === undefined ? undefined : Number(a.connid)),
  },
  {
    syntax:
      "clear crypto sa [peer A.B.C.D:peer | map WORD:map | spi A.B.C.D:dest {esp | ah}:proto <256-4294967295>:spi]",
    handler: (a, ctx) => {
      const peer = address(a, "peer");
      const dest = address(a, "dest");
      const spi = a.spi === undefined ? undefined : Number(a.spi);
      const map = a.map === undefined ? undefined : String(a.map);
      ctx.device.ike?.clearIpsec((flow, pair) => {
        const n = pair.negotiated;
        if (peer !== undefined && n.peer !== peer) return false;
        if (map !== undefined && flow.request.mapName !== map) return false;
        if (spi !== undefined) {
          // The SAs of that protocol: the pair's own, or the AH half of an AH+ESP bundle.
          const keys = a.proto === "ah" ? (n.protocol === "ah" ? n : n.ahBundle) : n.protocol === "esp" ? n : undefined;
          if (keys === undefined) return false;
          const inboundHit = keys.inbound.spi === spi && dest === n.local;
          const outboundHit = keys.outbound.spi === spi && dest === n.peer;
          if (!inboundHit && !outboundHit) return false;
        }
        return true;
      });
    },
  },
];

/** Registers the crypto state commands on the router table. */
export function addCryptoSaCommands(table: CommandTable<RouterDevice>): void {
  table.add("exec", ...specs);
}
