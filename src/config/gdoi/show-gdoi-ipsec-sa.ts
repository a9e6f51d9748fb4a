// `show crypto ipsec sa` for GETVPN group SAs (seed 003): one block per
// interface whose gdoi crypto map entry has a registered group, with IOS's
// any/any identities (the group's ACL is not shown there), the group's
// counters and every TEK it holds, inbound and outbound alike (a group SA is
// one SA for every member).

import { hexSpi } from "../../dataplane/ipsec/crypto-map-dataplane.ts";
import type { GroupTek } from "../../dataplane/ipsec/group-sa-dataplane.ts";
import { transformText } from "../../protocols/ike/v1/phase2-proposal.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import type { RouterDevice } from "../router/router-device.ts";
import { gdoiProtocolOf } from "./gdoi-store.ts";

const SEC = 1_000_000_000;
const ip = formatIpv4Address;

/** The largest datagram that still fits `pathMtu` once sealed on `tek` (tunnel mode: 20-byte outer header). */
function plaintextMtu(tek: GroupTek, pathMtu: number): number {
  let size = pathMtu;
  while (size > 68 && size + 20 + tek.outbound.overhead(size) > pathMtu) size--;
  return size;
}

function tekLines(device: RouterDevice, t: GroupTek, mapName: string, connId: number): string[] {
  const left = Math.max(0, t.lifetimeSec - Math.floor((device.now() - t.installedAt) / SEC));
  return [
    `      spi: ${hexSpi(t.spi)}`,
    `        transform: ${transformText(t.transform)} ,`,
    "        in use settings ={Tunnel, }",
    `        conn id: ${connId}, flow_id: SW:${connId - 2000}, sibling_flags 80000040, crypto map: ${mapName}`,
    `        sa timing: remaining key lifetime (sec): (${left})`,
    "        Kilobyte Volume Rekey has been disabled",
    `        IV size: ${t.keys.encryption === null ? 0 : t.keys.encryption.startsWith("aes") ? 16 : 8} bytes`,
    `        replay detection support: ${t.keys.integrity !== null ? "Y" : "N"}`,
    "        Status: ACTIVE(ACTIVE)",
  ];
}

/** The group SA blocks `show crypto ipsec sa` appends after the crypto maps' flows. */
export function groupIpsecSaLines(device: RouterDevice): string[] {
  const members = gdoiProtocolOf(device)?.members;
  const plane = device.ipsec?.groups;
  if (members === undefined || plane === undefined) return [];
  const lines: string[] = [];
  for (const s of members.groups.values()) {
    const g = plane.group(s.group);
    const ifc = device.stack.interface(s.interfaceName);
    if (g === undefined || ifc === undefined || g.teks.length === 0) continue;
    const mapName = ifc.config.cryptoMap ?? "";
    const c = g.counters;
    const current = g.teks[0]!;
    lines.push(
      "",
      `interface: ${ifc.name}`,
      `    Crypto map tag: ${mapName}, local addr ${ip(s.local)}`,
      "",
      "   protected vrf: (none)",
      "   local  ident (addr/mask/prot/port): (0.0.0.0/0.0.0.0/0/0)",
      "   remote ident (addr/mask/prot/port): (0.0.0.0/0.0.0.0/0/0)",
      `   Group: ${s.group}`,
      "   current_peer 0.0.0.0 port 848",
      "     PERMIT, flags={origin_is_acl,}",
      `    #pkts encaps: ${c.encrypt}, #pkts encrypt: ${c.encrypt}, #pkts digest: ${c.encrypt}`,
      `    #pkts decaps: ${c.decrypt}, #pkts decrypt: ${c.decrypt}, #pkts verify: ${c.decrypt}`,
      "    #pkts compressed: 0, #pkts decompressed: 0",
      "    #pkts not compressed: 0, #pkts compr. failed: 0",
      "    #pkts not decompressed: 0, #pkts decompress failed: 0",
      `    #send errors ${c.encapsFailSend + c.noSaSend}, #recv errors ${c.decapFailRcv + c.verifyFailRcv + c.invalidProtRcv}`,
      "",
      `     local crypto endpt.: ${ip(s.local)}, remote crypto endpt.: 0.0.0.0`,
      `     plaintext mtu ${plaintextMtu(current, ifc.ipMtu)}, path mtu ${ifc.ipMtu}, ip mtu ${ifc.ipMtu}, ip mtu idb ${ifc.name}`,
      `     current outbound spi: ${hexSpi(current.spi)}`,
      "     PFS (Y/N): N, DH group: none",
    );
    // IOS numbers a group SA's inbound and outbound halves like a pair.
    const connIds = g.teks.map((_t, i) => 2001 + 2 * i);
    for (const direction of ["inbound", "outbound"] as const) {
      lines.push("", `     ${direction} esp sas:`);
      g.teks.forEach((t, i) =>
        lines.push(...tekLines(device, t, mapName, connIds[i]! + (direction === "outbound" ? 1 : 0))),
      );
      lines.push("", `     ${direction} ah sas:`, "", `     ${direction} pcp sas:`);
    }
    lines.push("");
  }
  return lines;
}
