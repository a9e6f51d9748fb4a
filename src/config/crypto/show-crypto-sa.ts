// The crypto state shows, in IOS 15 layout: `show crypto isakmp sa [detail]`
// (phase 1: dst, src, state, conn-id, status), `show crypto ipsec sa [peer A]`
// (per interface and ident: counters, endpoints, MTUs, SPIs and SA timing)
// and `show crypto session [detail]`.

import { hexSpi } from "../../dataplane/ipsec/crypto-map-dataplane.ts";
import type { IpsecFlow, IpsecSaPair, SaRequest } from "../../dataplane/ipsec/ipsec-sa.ts";
import { newFlowCounters } from "../../dataplane/ipsec/ipsec-sa.ts";
import { formatProxyId, proxiesFromAce, proxyEquals } from "../../dataplane/ipsec/proxy-id.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import type { IsakmpSa } from "../../protocols/ike/v1/isakmp-sa.ts";
import { natDetected } from "../../protocols/ike/v1/nat-traversal.ts";
import { transformText } from "../../protocols/ike/v1/phase2-proposal.ts";
import { formatIpv4Address } from "../../wire/ipv4-address.ts";
import { groupIpsecSaLines } from "../gdoi/show-gdoi-ipsec-sa.ts";
import type { RouterDevice } from "../router/router-device.ts";

const SEC = 1_000_000_000;
const ip = formatIpv4Address;

/** Phase-1 SAs as IOS lists them: dst is the responder, src the initiator. */
function endpoints(sa: IsakmpSa): { dst: number; src: number } {
  return sa.role === "I" ? { dst: sa.peer, src: sa.local } : { dst: sa.local, src: sa.peer };
}

/** `show crypto isakmp sa`. */
export function renderShowCryptoIsakmpSa(device: RouterDevice): string {
  const lines = ["IPv4 Crypto ISAKMP SA", "dst             src             state          conn-id status"];
  for (const sa of device.ike?.isakmpSas() ?? []) {
    const { dst, src } = endpoints(sa);
    lines.push(
      `${ip(dst).padEnd(16)}${ip(src).padEnd(16)}${sa.state.padEnd(15)}${String(sa.shownConnId).padStart(7)} ${sa.deleted ? "ACTIVE (deleted)" : "ACTIVE"}`,
    );
  }
  lines.push("", "IPv6 Crypto ISAKMP SA", "");
  return `${lines.join("\n")}\n`;
}

/** `show crypto isakmp sa detail`. */
export function renderShowCryptoIsakmpSaDetail(device: RouterDevice): string {
  const lines = [
    "Codes: C - IKE configuration mode, D - Dead Peer Detection",
    "       K - Keepalives, N - NAT-traversal",
    "       T - cTCP encapsulation, X - IKE Extended Authentication",
    "       psk - Preshared key, rsig - RSA signature",
    "       renc - RSA encryption",
    "IPv4 Crypto ISAKMP SA",
    "",
    "C-id  Local           Remote          I-VRF  Status Encr Hash   Auth DH Lifetime Cap.",
    "",
  ];
  for (const sa of device.ike?.isakmpSas() ?? []) {
    const p = sa.policy;
    const encr = p === null ? "" : p.encryption.startsWith("aes") ? "aes" : p.encryption;
    const hash = p === null ? "" : p.hash;
    const auth = p === null ? "" : p.authentication === "pre-share" ? "psk" : "rsig";
    const group = p === null ? "" : String(p.group);
    let lifetime = "";
    if (sa.establishedAt !== null && !sa.deleted) {
      const left = Math.max(0, sa.lifetimeSec - Math.floor((device.now() - sa.establishedAt) / SEC));
      lifetime = `${pad2(Math.floor(left / 3600))}:${pad2(Math.floor((left % 3600) / 60))}:${pad2(left % 60)}`;
    }
    const caps = capabilities(device, sa);
    const status = sa.deleted ? "DELETED" : "ACTIVE";
    lines.push(
      `${String(sa.shownConnId).padEnd(6)}${ip(sa.local).padEnd(16)}${ip(sa.peer).padEnd(16)}${"".padEnd(7)}${`${status} `.padEnd(7)}${encr.padEnd(5)}${hash.padEnd(7)}${auth.padEnd(5)}${group.padEnd(3)}${lifetime.padEnd(9)}${caps}`,
    );
    lines.push(`       Engine-id:Conn-id =  SW:${sa.connId - 1000}`, "");
  }
  lines.push("IPv6 Crypto ISAKMP SA", "");
  return `${lines.join("\n")}\n`;
}

/** IOS's capability letters of an ISAKMP SA: D (DPD in use), N (NAT traversal in use). */
function capabilities(device: RouterDevice, sa: IsakmpSa): string {
  return `${device.crypto.keepalive !== null && sa.peerDpd ? "D" : ""}${natDetected(sa.natT) ? "N" : ""}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** One ident of `show crypto ipsec sa`: a permit entry of a crypto ACL, or a flow a peer created. */
interface Ident {
  ifc: RouterInterface;
  mapName: string;
  local: number;
  request: SaRequest;
  flow: IpsecFlow | undefined;
}

/** The idents of every interface carrying a crypto map, with their flows. */
function idents(device: RouterDevice): Ident[] {
  const plane = device.ipsec;
  if (plane === null) return [];
  const flows = plane.allFlows();
  const out: Ident[] = [];
  for (const ifc of device.interfaces()) {
    // A protected tunnel shows the map IOS built for it (`Crypto map tag: Tunnel0-head-0`).
    const mapName = ifc.config.cryptoMap ?? ifc.config.tunnel?.protection?.map;
    if (mapName === undefined) continue;
    const map = device.crypto.cryptoMaps.get(mapName);
    if (map === undefined) continue;
    const local = plane.localAddress(map, ifc) ?? 0;
    // With `local-address`, every interface of the map shares the map's SAs (IOS shows them under each).
    const shared = map.localAddressInterface !== undefined;
    const sameIdent = (f: IpsecFlow, r: SaRequest): boolean =>
      f.request.mapName === r.mapName &&
      f.request.sequence === r.sequence &&
      f.request.peer === r.peer &&
      proxyEquals(f.request.localProxy, r.localProxy) &&
      proxyEquals(f.request.remoteProxy, r.remoteProxy) &&
      (shared || f.request.interfaceName === ifc.name);
    const seen = new Set<IpsecFlow>();
    for (const entry of [...map.entries].sort((a, b) => a.sequence - b.sequence)) {
      if (entry.dynamicMap !== undefined || entry.peers.length === 0) continue;
      const acl =
        entry.matchAcl ?? (entry.matchAddress === undefined ? undefined : device.acls.get(entry.matchAddress));
      for (const ace of acl?.entries ?? []) {
        if (ace.action !== "permit") continue;
        const proxies = proxiesFromAce(ace);
        if (proxies === null) continue;
        const request: SaRequest = {
          interfaceName: ifc.name,
          mapName,
          sequence: entry.sequence,
          local,
          peer: entry.peers[0]!,
          localProxy: proxies.local,
          remoteProxy: proxies.remote,
        };
        const flow = flows.find((f) => sameIdent(f, request) && !seen.has(f));
        if (flow !== undefined) seen.add(flow);
        out.push({ ifc, mapName, local, request, flow });
      }
    }
    // Flows the ACL does not list (responder-side narrower identities, dynamic maps).
    for (const flow of flows) {
      if (seen.has(flow) || flow.request.mapName !== mapName || (!shared && flow.request.interfaceName !== ifc.name))
        continue;
      if (flow.pairs.length === 0) continue;
      out.push({ ifc, mapName, local, request: flow.request, flow });
    }
  }
  return out;
}

/** `show crypto ipsec sa [peer A.B.C.D]`. */
export function renderShowCryptoIpsecSa(device: RouterDevice, peer?: number): string {
  const plane = device.ipsec;
  const lines: string[] = [];
  let lastInterface = "";
  for (const ident of idents(device)) {
    if (peer !== undefined && ident.request.peer !== peer) continue;
    if (ident.ifc.name !== lastInterface) {
      lines.push(
        "",
        `interface: ${ident.ifc.name}`,
        `    Crypto map tag: ${ident.mapName}, local addr ${ip(ident.local)}`,
      );
      lastInterface = ident.ifc.name;
    }
    const r = ident.request;
    const c = ident.flow?.counters ?? newFlowCounters();
    const pair = ident.flow?.pairs[0];
    lines.push(
      "",
      "   protected vrf: (none)",
      `   local  ident (addr/mask/prot/port): ${formatProxyId(r.localProxy)}`,
      `   remote ident (addr/mask/prot/port): ${formatProxyId(r.remoteProxy)}`,
      `   current_peer ${ip(r.peer)} port ${pair?.negotiated.udpEncap?.peerPort ?? 500}`,
      `     PERMIT, flags={origin_is_acl,}`,
      `    #pkts encaps: ${c.encaps}, #pkts encrypt: ${c.encrypt}, #pkts digest: ${c.digest}`,
      `    #pkts decaps: ${c.decaps}, #pkts decrypt: ${c.decrypt}, #pkts verify: ${c.verify}`,
      "    #pkts compressed: 0, #pkts decompressed: 0",
      "    #pkts not compressed: 0, #pkts compr. failed: 0",
      "    #pkts not decompressed: 0, #pkts decompress failed: 0",
      `    #send errors ${c.sendErrors}, #recv errors ${c.recvErrors}`,
      "",
      `     local crypto endpt.: ${ip(ident.local)}, remote crypto endpt.: ${ip(r.peer)}`,
    );
    const pathMtu = ident.ifc.ipMtu;
    const plaintext = pair !== undefined && plane !== null ? plane.plaintextMtu(pair, pathMtu) : pathMtu;
    lines.push(`     plaintext mtu ${plaintext}, path mtu ${pathMtu}, ip mtu ${pathMtu}, ip mtu idb ${ident.ifc.name}`);
    lines.push(`     current outbound spi: ${pair === undefined ? "0x0(0)" : hexSpi(pair.negotiated.outbound.spi)}`);
    const pfs = pair?.negotiated.pfsGroup ?? null;
    lines.push(`     PFS (Y/N): ${pfs === null ? "N" : "Y"}, DH group: ${pfs === null ? "none" : `group${pfs}`}`);
    const pairs = ident.flow?.pairs ?? [];
    for (const direction of ["inbound", "outbound"] as const) {
      lines.push("", `     ${direction} esp sas:`);
      for (const p of pairs)
        if (p.negotiated.protocol === "esp") lines.push(...saLines(device, p, direction, ident.mapName));
      lines.push("", `     ${direction} ah sas:`);
      for (const p of pairs)
        if (p.negotiated.protocol === "ah" || p.ahBundle !== null)
          lines.push(...saLines(device, p, direction, ident.mapName, "ah"));
      lines.push("", `     ${direction} pcp sas:`);
    }
    lines.push("");
  }
  if (peer === undefined) lines.push(...groupIpsecSaLines(device));
  return `${lines.join("\n")}\n`;
}

/** One SA of a pair; `layer` "ah" on an AH+ESP bundle is its AH half. */
function saLines(
  device: RouterDevice,
  p: IpsecSaPair,
  direction: "inbound" | "outbound",
  mapName: string,
  layer: "esp" | "ah" = "esp",
): string[] {
  const n = p.negotiated;
  const keys = layer === "ah" && n.ahBundle !== undefined ? n.ahBundle : n;
  const spi = direction === "inbound" ? keys.inbound.spi : keys.outbound.spi;
  const connId = direction === "inbound" ? p.inboundConnId : p.outboundConnId;
  const elapsed = Math.floor((device.now() - p.createdAt) / SEC);
  const kbLeft = Math.max(0, n.lifetimeKb - Math.floor(p.bytes / 1024));
  const secLeft = Math.max(0, n.lifetimeSec - elapsed);
  const ivSize = n.inbound.encryption === null ? 0 : n.inbound.encryption.startsWith("aes") ? 16 : 8;
  const lines = [
    `      spi: ${hexSpi(spi)}`,
    `        transform: ${transformText(n.transform)} ,`,
    `        in use settings ={${n.mode === "tunnel" ? "Tunnel" : "Transport"}${n.udpEncap === null ? "" : " UDP-Encaps"}, }`,
    `        conn id: ${connId}, flow_id: SW:${connId - 2000}, sibling_flags 80000040, crypto map: ${mapName}`,
    `        sa timing: remaining key lifetime (k/sec): (${kbLeft}/${secLeft})`,
  ];
  if (n.protocol === "esp" && keys === n) lines.push(`        IV size: ${ivSize} bytes`);
  lines.push(
    `        replay detection support: ${n.inbound.integrity !== null ? "Y" : "N"}`,
    "        Status: ACTIVE(ACTIVE)",
  );
  return lines;
}

/** `show crypto session [detail]`. */
export function renderShowCryptoSession(device: RouterDevice, detail: boolean): string {
  const lines = ["Crypto session current status", ""];
  if (detail) {
    lines.splice(
      0,
      0,
      "Crypto session current status",
      "",
      "Code: C - IKE Configuration mode, D - Dead Peer Detection     ",
      "K - Keepalives, N - NAT-traversal, T - cTCP encapsulation     ",
      "X - IKE Extended Authentication, F - IKE Fragmentation",
      "",
    );
    lines.splice(6, 2);
  }
  // One session per interface, peer address and peer port: two peers behind one PAT address differ by port.
  const sessions = new Map<
    string,
    { ifc: RouterInterface; peer: number; port: number; local: number; idents: Ident[] }
  >();
  for (const ident of idents(device)) {
    const port = ident.flow?.pairs[0]?.negotiated.udpEncap?.peerPort ?? 500;
    const key = `${ident.ifc.name}|${ident.request.peer}|${port}`;
    let s = sessions.get(key);
    if (s === undefined) {
      s = { ifc: ident.ifc, peer: ident.request.peer, port, local: ident.local, idents: [] };
      sessions.set(key, s);
    }
    s.idents.push(ident);
  }
  const live = (device.ike?.isakmpSas() ?? []).filter((sa) => !sa.deleted);
  for (const s of sessions.values()) {
    const ike =
      live.find((sa) => sa.peer === s.peer && sa.natT.peerPort === s.port) ?? live.find((sa) => sa.peer === s.peer);
    const activeSas = s.idents.reduce((n, i) => n + 2 * (i.flow?.pairs.length ?? 0), 0);
    const ikeUp = ike !== undefined && ike.state === "QM_IDLE";
    const status =
      ikeUp && activeSas > 0
        ? "UP-ACTIVE"
        : ikeUp
          ? "UP-IDLE"
          : activeSas > 0
            ? "UP-NO-IKE"
            : ike !== undefined
              ? "DOWN-NEGOTIATING"
              : "DOWN";
    lines.push(
      `Interface: ${s.ifc.name}`,
      `Session status: ${status.padEnd(14)}`,
      `Peer: ${ip(s.peer)} port ${ike?.natT.peerPort ?? s.port} `,
    );
    if (detail) lines.push("  Session ID: 0  ");
    if (ike !== undefined) {
      lines.push(
        `  IKEv1 SA: local ${ip(ike.local)}/${ike.natT.localPort} remote ${ip(ike.peer)}/${ike.natT.peerPort} ${ike.state === "QM_IDLE" ? "Active" : "Inactive"} `,
      );
      if (detail && ike.policy !== null) {
        lines.push(
          `          Capabilities:${capabilities(device, ike) || "(none)"} connid:${ike.shownConnId} lifetime:${ike.establishedAt === null ? "0" : formatLifetime(ike.lifetimeSec - Math.floor((device.now() - ike.establishedAt) / SEC))}`,
        );
      }
    }
    for (const ident of s.idents) {
      const r = ident.request;
      const pairs = ident.flow?.pairs.length ?? 0;
      lines.push(
        `  IPSEC FLOW: permit ${r.localProxy.protocol === 0 ? "ip" : r.localProxy.protocol} ${ip(r.localProxy.address)}/${ip(r.localProxy.mask)} ${ip(r.remoteProxy.address)}/${ip(r.remoteProxy.mask)} `,
      );
      lines.push(`        Active SAs: ${2 * pairs}, origin: crypto map`);
      if (detail) {
        const c = ident.flow?.counters ?? newFlowCounters();
        lines.push(
          `        Inbound:  #pkts dec'ed ${c.decaps} drop ${c.recvErrors} life (KB/Sec) ${lifeText(device, ident.flow?.pairs[0])}`,
        );
        lines.push(
          `        Outbound: #pkts enc'ed ${c.encaps} drop ${c.sendErrors} life (KB/Sec) ${lifeText(device, ident.flow?.pairs[0])}`,
        );
      }
    }
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

function lifeText(device: RouterDevice, p: IpsecSaPair | undefined): string {
  if (p === undefined) return "0/0";
  const n = p.negotiated;
  return `${Math.max(0, n.lifetimeKb - Math.floor(p.bytes / 1024))}/${Math.max(0, n.lifetimeSec - Math.floor((device.now() - p.createdAt) / SEC))}`;
}

function formatLifetime(sec: number): string {
  const s = Math.max(0, sec);
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
}
