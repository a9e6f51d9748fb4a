// IOS IPv4 access lists: standard (1-99, 1300-1999) and extended (100-199,
// 2000-2699), numbered or named, entries with sequence numbers (10, 20, ... as
// IOS 12.3+/15 assigns), per-entry hit counts and the implicit deny. Matching
// works on already-parsed header fields; rendering gives `show access-lists`
// and running-config lines as IOS prints them. Parsing lives in acl-parse.ts.

import { formatIpv4 } from "./addr.ts";

/** Standard lists match the source only; extended lists match the 5-tuple and more. */
export type AclKind = "standard" | "extended";

/** permit or deny. */
export type AclAction = "permit" | "deny";

/** Address with wildcard bits: any is wildcard 0xffffffff, host is wildcard 0. */
export interface AddressMatch {
  address: number;
  wildcard: number;
}

/** A TCP/UDP port condition. */
export type PortMatch =
  | { op: "eq" | "neq"; ports: number[] }
  | { op: "lt" | "gt"; port: number }
  | { op: "range"; low: number; high: number };

/** The matching part of an access-list entry (what a line of config says). */
export interface AceSpec {
  action: AclAction;
  /** IP protocol number, or null for `ip` (any protocol). Standard entries use null. */
  protocol: number | null;
  source: AddressMatch;
  sourcePort?: PortMatch;
  /** Extended only; standard entries leave it undefined. */
  destination?: AddressMatch;
  destinationPort?: PortMatch;
  icmpType?: number;
  icmpCode?: number;
  established?: boolean;
  precedence?: number;
  tos?: number;
  dscp?: number;
  log?: "log" | "log-input";
}

/** An entry of a list: its spec, sequence number and hit count. */
export interface AclEntry extends AceSpec {
  sequence: number;
  matches: number;
  /** `remark` lines typed just before this entry (IOS keeps them with the entry that follows). */
  remarks?: string[];
}

/** Header fields an ACL looks at, already parsed from the packet. */
export interface AclPacket {
  src: number;
  dst: number;
  protocol: number;
  srcPort?: number;
  dstPort?: number;
  icmpType?: number;
  icmpCode?: number;
  tcpFlags?: number;
  tos: number;
}

/** Outcome of running a packet through a list; entry null is the implicit deny. */
export interface AclResult {
  action: AclAction;
  entry: AclEntry | null;
}

/** Matches any address. */
export const ANY: AddressMatch = { address: 0, wildcard: 0xffffffff };

/** IP protocol keywords IOS accepts in extended entries. */
export const PROTOCOL_NAMES: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  ipinip: 4,
  tcp: 6,
  udp: 17,
  gre: 47,
  esp: 50,
  ahp: 51,
  eigrp: 88,
  ospf: 89,
  nos: 94,
  pim: 103,
  pcp: 108,
  sctp: 132,
};

/** TCP port keywords. */
export const TCP_PORT_NAMES: Readonly<Record<string, number>> = {
  bgp: 179,
  chargen: 19,
  cmd: 514,
  daytime: 13,
  discard: 9,
  domain: 53,
  echo: 7,
  exec: 512,
  finger: 79,
  ftp: 21,
  "ftp-data": 20,
  gopher: 70,
  hostname: 101,
  ident: 113,
  irc: 194,
  klogin: 543,
  kshell: 544,
  login: 513,
  lpd: 515,
  msrpc: 135,
  nntp: 119,
  "pim-auto-rp": 496,
  pop2: 109,
  pop3: 110,
  smtp: 25,
  sunrpc: 111,
  tacacs: 49,
  talk: 517,
  telnet: 23,
  time: 37,
  uucp: 540,
  whois: 43,
  www: 80,
};

/** UDP port keywords. */
export const UDP_PORT_NAMES: Readonly<Record<string, number>> = {
  biff: 512,
  bootpc: 68,
  bootps: 67,
  discard: 9,
  dnsix: 195,
  domain: 53,
  echo: 7,
  isakmp: 500,
  "mobile-ip": 434,
  nameserver: 42,
  "netbios-dgm": 138,
  "netbios-ns": 137,
  "netbios-ss": 139,
  "non500-isakmp": 4500,
  ntp: 123,
  "pim-auto-rp": 496,
  rip: 520,
  snmp: 161,
  snmptrap: 162,
  sunrpc: 111,
  syslog: 514,
  tacacs: 49,
  talk: 517,
  tftp: 69,
  time: 37,
  who: 513,
  xdmcp: 177,
};

/** ICMP message keywords as [type, code]; code -1 means any code of the type. */
export const ICMP_NAMES: Readonly<Record<string, readonly [number, number]>> = {
  "echo-reply": [0, -1],
  unreachable: [3, -1],
  "net-unreachable": [3, 0],
  "host-unreachable": [3, 1],
  "protocol-unreachable": [3, 2],
  "port-unreachable": [3, 3],
  "packet-too-big": [3, 4],
  "source-route-failed": [3, 5],
  "administratively-prohibited": [3, 13],
  "source-quench": [4, -1],
  redirect: [5, -1],
  "alternate-address": [6, -1],
  echo: [8, -1],
  "router-advertisement": [9, -1],
  "router-solicitation": [10, -1],
  "time-exceeded": [11, -1],
  "ttl-exceeded": [11, 0],
  "reassembly-timeout": [11, 1],
  "parameter-problem": [12, -1],
  "timestamp-request": [13, -1],
  "timestamp-reply": [14, -1],
  "information-request": [15, -1],
  "information-reply": [16, -1],
  "mask-request": [17, -1],
  "mask-reply": [18, -1],
  traceroute: [30, -1],
};

/** IP precedence keywords. */
export const PRECEDENCE_NAMES: Readonly<Record<string, number>> = {
  routine: 0,
  priority: 1,
  immediate: 2,
  flash: 3,
  "flash-override": 4,
  critical: 5,
  internet: 6,
  network: 7,
};

/** DSCP keywords. */
export const DSCP_NAMES: Readonly<Record<string, number>> = {
  default: 0,
  cs1: 8,
  af11: 10,
  af12: 12,
  af13: 14,
  cs2: 16,
  af21: 18,
  af22: 20,
  af23: 22,
  cs3: 24,
  af31: 26,
  af32: 28,
  af33: 30,
  cs4: 32,
  af41: 34,
  af42: 36,
  af43: 38,
  cs5: 40,
  ef: 46,
  cs6: 48,
  cs7: 56,
};

/** ToS (4-bit) keywords. */
export const TOS_NAMES: Readonly<Record<string, number>> = {
  normal: 0,
  "min-monetary-cost": 1,
  "max-reliability": 2,
  "max-throughput": 4,
  "min-delay": 8,
};

const TCP = 6;
const UDP = 17;
const _ICMP = 1;
const TCP_ACK = 0x10;
const TCP_RST = 0x04;

/** Kind of a numbered list, or null when the number is not an IPv4 ACL number. */
export function aclKindForNumber(n: number): AclKind | null {
  if ((n >= 1 && n <= 99) || (n >= 1300 && n <= 1999)) return "standard";
  if ((n >= 100 && n <= 199) || (n >= 2000 && n <= 2699)) return "extended";
  return null;
}

/** Whether an address matches an address/wildcard pair. */
export function addressMatches(m: AddressMatch, address: number): boolean {
  return ((address ^ m.address) & ~m.wildcard) >>> 0 === 0;
}

function portMatches(m: PortMatch, port: number | undefined): boolean {
  if (port === undefined) return false;
  switch (m.op) {
    case "eq":
      return m.ports.includes(port);
    case "neq":
      return !m.ports.includes(port);
    case "lt":
      return port < m.port;
    case "gt":
      return port > m.port;
    case "range":
      return port >= m.low && port <= m.high;
  }
}

/** Whether one entry matches a packet (no counting). */
export function entryMatches(e: AceSpec, p: AclPacket): boolean {
  if (!addressMatches(e.source, p.src)) return false;
  if (e.destination === undefined) return true; // standard entry
  if (!addressMatches(e.destination, p.dst)) return false;
  if (e.protocol !== null && e.protocol !== p.protocol) return false;
  if (e.sourcePort && !portMatches(e.sourcePort, p.srcPort)) return false;
  if (e.destinationPort && !portMatches(e.destinationPort, p.dstPort)) return false;
  if (e.icmpType !== undefined && p.icmpType !== e.icmpType) return false;
  if (e.icmpCode !== undefined && p.icmpCode !== e.icmpCode) return false;
  if (e.established && (p.protocol !== TCP || ((p.tcpFlags ?? 0) & (TCP_ACK | TCP_RST)) === 0)) return false;
  if (e.precedence !== undefined && p.tos >>> 5 !== e.precedence) return false;
  if (e.tos !== undefined && ((p.tos >>> 1) & 0xf) !== e.tos) return false;
  if (e.dscp !== undefined && p.tos >>> 2 !== e.dscp) return false;
  return true;
}

/** Failure of an edit on a list (the CLI prints the message). */
export interface AclEditError {
  message: string;
}

/** One IOS access list with its entries in sequence order. */
export class AccessList {
  private list: AclEntry[] = [];
  /** Remarks after the last entry, waiting for the next one (or ending the list). */
  private pendingRemarks: string[] = [];

  /** name is the number for numbered lists. */
  constructor(
    readonly name: string,
    readonly kind: AclKind,
  ) {}

  /** Whether the list is numbered (`access-list N ...`) rather than named. */
  get numbered(): boolean {
    return /^\d+$/.test(this.name) && aclKindForNumber(Number(this.name)) === this.kind;
  }

  /** Entries in sequence order (read-only view). */
  get entries(): readonly AclEntry[] {
    return this.list;
  }

  /** Adds an entry at sequence (default: last + 10); an error on a duplicate sequence or entry. */
  add(spec: AceSpec, sequence?: number): AclEntry | AclEditError {
    if (spec.destination !== undefined && this.kind === "standard")
      return { message: "% Extended entry in a standard access list" };
    if (spec.destination === undefined && this.kind === "extended")
      return { message: "% Standard entry in an extended access list" };
    const seq = sequence ?? (this.list.length ? this.list[this.list.length - 1]!.sequence + 10 : 10);
    if (!Number.isInteger(seq) || seq < 1 || seq > 2147483647) return { message: "% Invalid sequence number" };
    if (this.list.some((e) => e.sequence === seq)) return { message: "% Duplicate sequence number" };
    const text = formatAce(this.kind, spec, "config");
    if (this.list.some((e) => formatAce(this.kind, e, "config") === text)) return { message: "% Duplicate entry" };
    const entry: AclEntry = { ...spec, sequence: seq, matches: 0 };
    if (this.pendingRemarks.length > 0) {
      entry.remarks = this.pendingRemarks;
      this.pendingRemarks = [];
    }
    this.list.push(entry);
    this.list.sort((a, b) => a.sequence - b.sequence);
    return entry;
  }

  /** `remark TEXT`: a comment kept with the entry added next, in typing order. */
  addRemark(text: string): void {
    this.pendingRemarks.push(text);
  }

  /** `no remark TEXT`: removes that remark wherever it is; false if absent. */
  removeRemark(text: string): boolean {
    for (const holder of [...this.list.map((e) => e.remarks ?? []), this.pendingRemarks]) {
      const i = holder.indexOf(text);
      if (i >= 0) {
        holder.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  /** Remarks after the last entry. */
  get trailingRemarks(): readonly string[] {
    return this.pendingRemarks;
  }

  /** `no <seq>`: removes an entry; false if absent. */
  remove(sequence: number): boolean {
    const i = this.list.findIndex((e) => e.sequence === sequence);
    if (i < 0) return false;
    this.list.splice(i, 1);
    return true;
  }

  /** `ip access-list resequence NAME start step`. */
  resequence(start = 10, step = 10): void {
    this.list.forEach((e, i) => (e.sequence = start + i * step));
  }

  /** First matching entry decides (its hit count rises); nothing matching is the implicit deny. */
  evaluate(packet: AclPacket): AclResult {
    for (const e of this.list) {
      if (entryMatches(e, packet)) {
        e.matches++;
        return { action: e.action, entry: e };
      }
    }
    return { action: "deny", entry: null };
  }

  /** `clear access-list counters`. */
  clearCounters(): void {
    for (const e of this.list) e.matches = 0;
  }
}

function nameOf(table: Readonly<Record<string, number>>, value: number): string {
  for (const [k, v] of Object.entries(table)) if (v === value) return k;
  return String(value);
}

function formatAddress(m: AddressMatch): string {
  if (m.wildcard >>> 0 === 0xffffffff) return "any";
  if (m.wildcard === 0) return `host ${formatIpv4(m.address)}`;
  return `${formatIpv4(m.address)} ${formatIpv4(m.wildcard)}`;
}

function formatPort(m: PortMatch, protocol: number | null): string {
  const table = protocol === UDP ? UDP_PORT_NAMES : TCP_PORT_NAMES;
  const n = (p: number): string => nameOf(table, p);
  switch (m.op) {
    case "eq":
    case "neq":
      return `${m.op} ${m.ports.map(n).join(" ")}`;
    case "lt":
    case "gt":
      return `${m.op} ${n(m.port)}`;
    case "range":
      return `range ${n(m.low)} ${n(m.high)}`;
  }
}

function formatIcmp(type: number, code: number | undefined): string {
  for (const [k, [t, c]] of Object.entries(ICMP_NAMES)) if (t === type && c === (code ?? -1)) return k;
  return code === undefined ? String(type) : `${type} ${code}`;
}

/**
 * Text of an entry without its sequence: "show" gives the `show access-lists`
 * form (standard: `10.0.0.0, wildcard bits 0.255.255.255`, deny padded),
 * "config" the running-config form.
 */
export function formatAce(kind: AclKind, e: AceSpec, style: "show" | "config"): string {
  const parts: string[] = [];
  if (kind === "standard") {
    const action = style === "show" && e.action === "deny" ? "deny  " : e.action;
    let src: string;
    if (e.source.wildcard >>> 0 === 0xffffffff) src = "any";
    else if (e.source.wildcard === 0) src = formatIpv4(e.source.address);
    else
      src =
        style === "show"
          ? `${formatIpv4(e.source.address)}, wildcard bits ${formatIpv4(e.source.wildcard)}`
          : `${formatIpv4(e.source.address)} ${formatIpv4(e.source.wildcard)}`;
    parts.push(action, src);
    if (e.log) parts.push(e.log);
    return parts.join(" ");
  }
  parts.push(e.action, e.protocol === null ? "ip" : nameOf(PROTOCOL_NAMES, e.protocol), formatAddress(e.source));
  if (e.sourcePort) parts.push(formatPort(e.sourcePort, e.protocol));
  parts.push(formatAddress(e.destination ?? ANY));
  if (e.destinationPort) parts.push(formatPort(e.destinationPort, e.protocol));
  if (e.icmpType !== undefined) parts.push(formatIcmp(e.icmpType, e.icmpCode));
  if (e.established) parts.push("established");
  if (e.precedence !== undefined) parts.push(`precedence ${nameOf(PRECEDENCE_NAMES, e.precedence)}`);
  if (e.tos !== undefined) parts.push(`tos ${nameOf(TOS_NAMES, e.tos)}`);
  if (e.dscp !== undefined) parts.push(`dscp ${nameOf(DSCP_NAMES, e.dscp)}`);
  if (e.log) parts.push(e.log);
  return parts.join(" ");
}

/** `show access-lists` / `show ip access-lists` block of one list. */
export function renderAccessList(acl: AccessList): string[] {
  const header = `${acl.kind === "standard" ? "Standard" : "Extended"} IP access list ${acl.name}`;
  const lines = [header];
  for (const e of acl.entries) {
    const hits = e.matches === 0 ? "" : e.matches === 1 ? " (1 match)" : ` (${e.matches} matches)`;
    lines.push(`    ${e.sequence} ${formatAce(acl.kind, e, "show")}${hits}`);
  }
  return lines;
}

/** `show access-lists` for several lists, in the order given. */
export function renderAccessLists(acls: Iterable<AccessList>): string {
  return [...acls].flatMap(renderAccessList).join("\n");
}

/** Running-config lines of a list: `access-list N ...` when numbered, else `ip access-list KIND NAME` + entries. */
export function renderAclConfig(acl: AccessList): string[] {
  // Remarks come before the entry they were typed with, as IOS prints them.
  const lines = acl.entries.flatMap((e) => [
    ...(e.remarks ?? []).map((r) => `remark ${r}`),
    formatAce(acl.kind, e, "config"),
  ]);
  lines.push(...acl.trailingRemarks.map((r) => `remark ${r}`));
  if (acl.numbered) return lines.map((l) => `access-list ${acl.name} ${l}`);
  return [`ip access-list ${acl.kind} ${acl.name}`, ...lines.map((l) => ` ${l}`)];
}
