// One line per captured frame for the dashboard's "follow" view, as a person
// reads a capture: `ICMP echo request 10.0.12.1 > 10.0.23.3 id 1 seq 3`,
// `ISAKMP MM3 10.0.58.7 > 10.0.58.8`, `ESP spi 0x1a2b3c4d seq 7 …`,
// `OSPF Hello …`. Pure: the frame's bytes in, text out, using the parsers in
// src/wire; what it cannot read it names (`IPv4 proto 112`, `malformed …`),
// never throws. Main mode messages are numbered by who sent them: the
// initiator's address is remembered per initiator cookie from MM1 on.

import { parseArp } from "../wire/arp.ts";
import { parseEspHeader } from "../wire/esp.ts";
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, parseEthernet } from "../wire/ethernet.ts";
import { HDLC_PROTO_CDP, HDLC_PROTO_IPV4, HDLC_PROTO_SLARP, parseHdlc } from "../wire/hdlc.ts";
import { parseIcmp } from "../wire/icmp.ts";
import { parseIpv4 } from "../wire/ipv4.ts";
import { formatIpv4Address as ip } from "../wire/ipv4-address.ts";
import { ISAKMP_NATT_PORT, ISAKMP_PORT, parseIsakmpHeader } from "../wire/isakmp.ts";
import { formatMacCisco } from "../wire/mac-address.ts";
import { parseUdp } from "../wire/udp.ts";

const OSPF_TYPES = ["", "Hello", "DBD", "LS Request", "LS Update", "LS Ack"];
const EIGRP_OPCODES: Record<number, string> = {
  1: "Update",
  3: "Query",
  4: "Reply",
  5: "Hello",
  10: "SIA-Query",
  11: "SIA-Reply",
};
/** ISAKMP exchange types (RFC 2408, 2409). */
const MAIN_MODE = 2;
const AGGRESSIVE = 4;
const INFORMATIONAL = 5;
const QUICK_MODE = 32;
/** ISAKMP payload types that open a main mode message. */
const SA_PAYLOAD = 1;
const KE_PAYLOAD = 4;

/** Summaries of one link's frames, remembering who started each main mode exchange. */
export class FrameSummarizer {
  /** Initiator cookie (hex) to the initiator's address, from MM1. */
  private readonly initiators = new Map<string, number>();

  /** The frame on a link of `kind`, in one line. */
  summarize(kind: "ethernet" | "serial", bytes: Uint8Array): string {
    if (kind === "serial") {
      const f = parseHdlc(bytes);
      if (!f.ok) return `malformed HDLC (${f.error.detail})`;
      if (f.value.protocol === HDLC_PROTO_IPV4) return this.ipv4(f.value.payload);
      if (f.value.protocol === HDLC_PROTO_SLARP) return "SLARP";
      if (f.value.protocol === HDLC_PROTO_CDP) return "CDP";
      return `HDLC protocol 0x${f.value.protocol.toString(16).padStart(4, "0")}`;
    }
    const f = parseEthernet(bytes);
    if (!f.ok) return `malformed Ethernet (${f.error.detail})`;
    const vlan = f.value.vlan === undefined ? "" : `vlan ${f.value.vlan.vid} `;
    if (f.value.ethertype === ETHERTYPE_IPV4) return vlan + this.ipv4(f.value.payload);
    if (f.value.ethertype === ETHERTYPE_ARP) {
      const a = parseArp(f.value.payload);
      if (!a.ok) return `${vlan}malformed ARP`;
      return a.value.operation === 1
        ? `${vlan}ARP who-has ${ip(a.value.targetIp)} tell ${ip(a.value.senderIp)}`
        : `${vlan}ARP ${ip(a.value.senderIp)} is-at ${formatMacCisco(a.value.senderMac)}`;
    }
    return `${vlan}ethertype 0x${f.value.ethertype.toString(16).padStart(4, "0")}`;
  }

  private ipv4(b: Uint8Array): string {
    const p = parseIpv4(b, { verifyChecksum: false });
    if (!p.ok) return `malformed IPv4 (${p.error.detail})`;
    const { src, dst, protocol, payload } = p.value;
    const hosts = `${ip(src)} > ${ip(dst)}`;
    if (p.value.fragmentOffset > 0) return `IPv4 fragment ${hosts} offset ${p.value.fragmentOffset}`;
    switch (protocol) {
      case 1: {
        const m = parseIcmp(payload);
        if (!m.ok) return `ICMP ${hosts} (${m.error.reason})`;
        const v = m.value;
        if (v.kind === "echoRequest" || v.kind === "echoReply")
          return `ICMP echo ${v.kind === "echoRequest" ? "request" : "reply"} ${hosts} id ${v.id} seq ${v.seq}`;
        if (v.kind === "destUnreachable") return `ICMP unreachable ${hosts} code ${v.code}`;
        if (v.kind === "timeExceeded") return `ICMP time exceeded ${hosts}`;
        return `ICMP ${v.kind === "other" ? `type ${v.type}` : v.kind} ${hosts}`;
      }
      case 17: {
        const u = parseUdp(payload);
        if (!u.ok) return `UDP ${hosts} (${u.error.reason})`;
        const { srcPort, dstPort, payload: data } = u.value;
        if (srcPort === ISAKMP_PORT || dstPort === ISAKMP_PORT) return this.isakmp(src, dst, data);
        if (srcPort === ISAKMP_NATT_PORT || dstPort === ISAKMP_NATT_PORT) {
          // RFC 3948: four zero bytes mark IKE; anything else is ESP in UDP (a lone 0xff is a keepalive).
          if (data.length === 1 && data[0] === 0xff) return `NAT-T keepalive ${hosts}`;
          if (data.length >= 4 && data[0] === 0 && data[1] === 0 && data[2] === 0 && data[3] === 0)
            return `${this.isakmp(src, dst, data.subarray(4))} (NAT-T)`;
          return `${esp(hosts, data)} (UDP 4500)`;
        }
        if (srcPort === 520 || dstPort === 520) return `RIP ${hosts}`;
        return `UDP ${hosts} ${srcPort} > ${dstPort} len ${data.length}`;
      }
      case 6:
        return payload.length >= 4
          ? `TCP ${hosts} ${(payload[0]! << 8) | payload[1]!} > ${(payload[2]! << 8) | payload[3]!}`
          : `TCP ${hosts}`;
      case 47:
        return `GRE ${hosts}${payload.length >= 4 && payload[2] === 0x08 && payload[3] === 0 ? `: ${this.ipv4(payload.subarray(4 + greOptions(payload)))}` : ""}`;
      case 50:
        return esp(hosts, payload);
      case 51:
        return `AH ${hosts}`;
      case 88:
        return `EIGRP ${EIGRP_OPCODES[payload[1] ?? 0] ?? `opcode ${payload[1]}`} ${hosts}`;
      case 89:
        return `OSPF ${OSPF_TYPES[payload[1] ?? 0] || `type ${payload[1]}`} ${hosts}`;
      default:
        return `IPv4 proto ${protocol} ${hosts}`;
    }
  }

  private isakmp(src: number, dst: number, data: Uint8Array): string {
    const hosts = `${ip(src)} > ${ip(dst)}`;
    const h = parseIsakmpHeader(data);
    if (!h.ok) return `ISAKMP ${hosts} (malformed)`;
    const { exchangeType, flags, nextPayload, initiatorCookie, responderCookie } = h.value;
    const encrypted = (flags & 1) !== 0;
    const cookie = Buffer.from(initiatorCookie).toString("hex");
    if (exchangeType === MAIN_MODE) {
      const fromInitiator = () => this.initiators.get(cookie) === src;
      let n: string;
      if (!encrypted && nextPayload === SA_PAYLOAD && responderCookie.every((x) => x === 0)) {
        this.initiators.set(cookie, src);
        n = "MM1";
      } else if (!encrypted && nextPayload === SA_PAYLOAD) n = "MM2";
      else if (!encrypted && nextPayload === KE_PAYLOAD)
        n = this.initiators.has(cookie) ? (fromInitiator() ? "MM3" : "MM4") : "MM3/4";
      else n = this.initiators.has(cookie) ? (fromInitiator() ? "MM5" : "MM6") : "MM5/6";
      return `ISAKMP ${n} ${hosts}`;
    }
    if (exchangeType === QUICK_MODE) return `ISAKMP QM ${hosts}`;
    if (exchangeType === AGGRESSIVE) return `ISAKMP AM ${hosts}`;
    if (exchangeType === INFORMATIONAL) return `ISAKMP INFO ${hosts}`;
    return `ISAKMP exchange ${exchangeType} ${hosts}`;
  }
}

function esp(hosts: string, b: Uint8Array): string {
  const e = parseEspHeader(b);
  if (!e.ok) return `ESP ${hosts} (malformed)`;
  return `ESP spi 0x${e.value.spi.toString(16).padStart(8, "0")} seq ${e.value.sequence} ${hosts}`;
}

/** Bytes of GRE's optional fields (checksum, key, sequence) after the 4-byte header. */
function greOptions(b: Uint8Array): number {
  const f = b[0]!;
  return ((f & 0x80) !== 0 ? 4 : 0) + ((f & 0x20) !== 0 ? 4 : 0) + ((f & 0x10) !== 0 ? 4 : 0);
}
