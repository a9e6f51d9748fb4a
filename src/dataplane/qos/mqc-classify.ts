// Which class of a policy-map a packet belongs to: the first class (in the
// policy's order, class-default last) whose class-map matches the header the
// output classification seam shows (the inner header under qos pre-classify).
// match-all needs every match line, match-any one; a class-map without match
// lines matches nothing. `match protocol` stands for NBAR with the well-known
// protocol numbers and ports (either direction); rtp is UDP to an even port in
// 16384-32767, the range Cisco's voice gateways use.

import type { AccessList, AclPacket } from "../acl.ts";
import { CLASS_DEFAULT, type ClassMap, type MatchCriterion, type PolicyClass } from "./mqc-policy.ts";

/** What a match needs from the device: its access lists and class-maps by name. */
export interface ClassifyLookups {
  acl(name: string): AccessList | undefined;
  classMap(name: string): ClassMap | undefined;
}

type ProtocolTest = { readonly ip?: number; readonly tcp?: readonly number[]; readonly udp?: readonly number[] };

/** The protocols `match protocol` knows, as IOS names them. */
export const MATCH_PROTOCOLS: Readonly<Record<string, ProtocolTest & { readonly help: string }>> = {
  ip: { help: "IP" },
  icmp: { ip: 1, help: "Internet Control Message" },
  tcp: { ip: 6, help: "Transmission Control Protocol" },
  udp: { ip: 17, help: "User Datagram Protocol" },
  gre: { ip: 47, help: "Generic Routing Encapsulation" },
  ipsec: { ip: 50, help: "IP Security Protocol (ESP/AH)" },
  eigrp: { ip: 88, help: "Enhanced Interior Gateway Routing Protocol" },
  ospf: { ip: 89, help: "Open Shortest Path First" },
  bgp: { tcp: [179], help: "Border Gateway Protocol" },
  dns: { tcp: [53], udp: [53], help: "Domain Name Server lookup" },
  ftp: { tcp: [20, 21], help: "File Transfer Protocol" },
  http: { tcp: [80], help: "World Wide Web traffic" },
  "secure-http": { tcp: [443], help: "Secured HTTP" },
  ntp: { udp: [123], help: "Network Time Protocol" },
  pop3: { tcp: [110], help: "Post Office Protocol" },
  rip: { udp: [520], help: "Routing Information Protocol" },
  smtp: { tcp: [25], help: "Simple Mail Transfer Protocol" },
  snmp: { udp: [161, 162], help: "Simple Network Management Protocol" },
  ssh: { tcp: [22], help: "Secured Shell" },
  telnet: { tcp: [23], help: "Telnet" },
  tftp: { udp: [69], help: "Trivial File Transfer Protocol" },
  rtp: { help: "Real Time Protocol" },
};

const TCP = 6;
const UDP = 17;

function protocolMatches(name: string, p: AclPacket): boolean {
  if (name === "ip") return true;
  if (name === "rtp") {
    const port = p.dstPort;
    return p.protocol === UDP && port !== undefined && port >= 16384 && port <= 32767 && port % 2 === 0;
  }
  const t = MATCH_PROTOCOLS[name];
  if (t === undefined) return false;
  if (t.ip !== undefined) return p.protocol === t.ip;
  const ports = p.protocol === TCP ? t.tcp : p.protocol === UDP ? t.udp : undefined;
  if (ports === undefined) return false;
  return (
    (p.srcPort !== undefined && ports.includes(p.srcPort)) || (p.dstPort !== undefined && ports.includes(p.dstPort))
  );
}

/** True when one match line takes the packet. An ACL that does not exist matches nothing. */
export function criterionMatches(m: MatchCriterion, p: AclPacket, lookups: ClassifyLookups): boolean {
  switch (m.kind) {
    case "any":
      return true;
    case "dscp":
      return m.values.includes(p.tos >> 2);
    case "precedence":
      return m.values.includes(p.tos >> 5);
    case "protocol":
      return protocolMatches(m.protocol, p);
    case "access-group": {
      const acl = lookups.acl(m.acl);
      return acl !== undefined && acl.evaluate(p).action === "permit";
    }
  }
}

/** True when the class-map takes the packet. */
export function classMapMatches(cm: ClassMap, p: AclPacket, lookups: ClassifyLookups): boolean {
  if (cm.matches.length === 0) return false;
  return cm.matchAll
    ? cm.matches.every((m) => criterionMatches(m, p, lookups))
    : cm.matches.some((m) => criterionMatches(m, p, lookups));
}

/** Index in `classes` (class-default last) of the class the packet belongs to. */
export function classifyPacket(classes: readonly PolicyClass[], p: AclPacket, lookups: ClassifyLookups): number {
  for (let i = 0; i < classes.length; i++) {
    const name = classes[i]!.name;
    if (name === CLASS_DEFAULT) return i;
    const cm = lookups.classMap(name);
    if (cm !== undefined && classMapMatches(cm, p, lookups)) return i;
  }
  return classes.length - 1;
}
