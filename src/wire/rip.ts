// RIP messages (RFC 2453 section 4, RIPv2; section 3.6 for version 1's
// layout): a 4-byte header (command, version, must-be-zero) and up to 25
// route entries of 20 bytes (address family, route tag, IP address, subnet
// mask, next hop, metric). An authentication entry (address family 0xFFFF,
// section 4.1) may only come first and is returned apart. Parse checks the
// command, the version, the length (a whole number of entries, at most 25)
// and never throws; the metric range (1-16) is the receiver's business
// (section 3.9.2 says to ignore such entries, not the message).

import { fail, ok, type Parsed } from "./result.ts";

/*
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +---------------+---------------+-------------------------------+
   |  command (1)  |  version (1)  |       must be zero (2)        |
   +---------------+---------------+-------------------------------+
   | Address Family Identifier (2) |        Route Tag (2)          |
   +-------------------------------+-------------------------------+
   |                         IP Address (4)                        |
   |                         Subnet Mask (4)                       |
   |                         Next Hop (4)                          |
   |                         Metric (4)                            |
   +---------------------------------------------------------------+
*/

/** UDP port of RIP (both ends, section 3.9). */
export const RIP_PORT = 520;
/** 224.0.0.9, where RIPv2 multicasts its updates (section 4.5). */
export const RIP_GROUP = 0xe0000009;
/** The metric meaning unreachable. */
export const RIP_INFINITY = 16;
/** Entries a message carries at most (section 3.6: 4 + 25 * 20 = 504 bytes). */
export const RIP_MAX_ENTRIES = 25;
export const RIP_HEADER_LEN = 4;
export const RIP_ENTRY_LEN = 20;
/** Address family identifier of IPv4 entries. */
export const RIP_AFI_INET = 2;
/** Address family of the authentication entry (section 4.1). */
export const RIP_AFI_AUTH = 0xffff;

/** Request (1): asks for routes; response (2): carries them (updates are unsolicited responses). */
export type RipCommand = "request" | "response";

/** One route entry; version 1 leaves tag, mask and next hop zero. */
export interface RipEntry {
  afi: number;
  routeTag: number;
  address: number;
  mask: number;
  nextHop: number;
  metric: number;
}

/** The authentication entry: its type (2 = simple password) and 16 bytes of data. */
export interface RipAuthentication {
  type: number;
  data: Uint8Array;
}

/** A RIP message. */
export interface RipMessage {
  command: RipCommand;
  version: 1 | 2;
  entries: RipEntry[];
  authentication?: RipAuthentication;
}

const FORMAT = "rip";
const rd16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const rd32 = (b: Uint8Array, o: number): number =>
  ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
function wr16(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 8;
  b[o + 1] = v;
}
function wr32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = v >>> 16;
  b[o + 2] = v >>> 8;
  b[o + 3] = v;
}

/** The request for a whole table (section 3.9.1): one entry, family 0, metric infinity. */
export function ripWholeTableRequest(version: 1 | 2): RipMessage {
  return {
    command: "request",
    version,
    entries: [{ afi: 0, routeTag: 0, address: 0, mask: 0, nextHop: 0, metric: RIP_INFINITY }],
  };
}

/** Whether a request asks for the whole table. */
export function isWholeTableRequest(m: RipMessage): boolean {
  return m.command === "request" && m.entries.length === 1 && m.entries[0]!.afi === 0 && m.entries[0]!.metric === 16;
}

/** Parses a RIP message (the UDP payload). */
export function parseRip(b: Uint8Array): Parsed<RipMessage> {
  if (b.length < RIP_HEADER_LEN) return fail(FORMAT, "truncated", `${b.length} bytes, header needs 4`);
  const cmd = b[0]!;
  if (cmd !== 1 && cmd !== 2) return fail(FORMAT, "unsupported", `command ${cmd}`);
  const version = b[1]!;
  if (version !== 1 && version !== 2) return fail(FORMAT, "badVersion", `version ${version}`);
  const body = b.length - RIP_HEADER_LEN;
  if (body % RIP_ENTRY_LEN !== 0) return fail(FORMAT, "badLength", `${body} bytes of entries, not a multiple of 20`);
  const count = body / RIP_ENTRY_LEN;
  if (count > RIP_MAX_ENTRIES) return fail(FORMAT, "badLength", `${count} entries, at most 25`);
  const entries: RipEntry[] = [];
  let authentication: RipAuthentication | undefined;
  for (let i = 0; i < count; i++) {
    const o = RIP_HEADER_LEN + i * RIP_ENTRY_LEN;
    const afi = rd16(b, o);
    if (afi === RIP_AFI_AUTH) {
      if (i !== 0 || version !== 2) return fail(FORMAT, "badValue", `authentication entry at position ${i + 1}`);
      authentication = { type: rd16(b, o + 2), data: b.slice(o + 4, o + 20) };
      continue;
    }
    entries.push({
      afi,
      routeTag: rd16(b, o + 2),
      address: rd32(b, o + 4),
      mask: rd32(b, o + 8),
      nextHop: rd32(b, o + 12),
      metric: rd32(b, o + 16),
    });
  }
  const m: RipMessage = { command: cmd === 1 ? "request" : "response", version, entries };
  if (authentication !== undefined) m.authentication = authentication;
  return ok(m);
}

/** Builds a message; throws RangeError beyond 25 entries (callers split their tables). */
export function emitRip(m: RipMessage): Uint8Array {
  const count = m.entries.length + (m.authentication === undefined ? 0 : 1);
  if (count > RIP_MAX_ENTRIES) throw new RangeError(`rip: ${count} entries, at most 25`);
  const b = new Uint8Array(RIP_HEADER_LEN + count * RIP_ENTRY_LEN);
  b[0] = m.command === "request" ? 1 : 2;
  b[1] = m.version;
  let o = RIP_HEADER_LEN;
  if (m.authentication !== undefined) {
    wr16(b, o, RIP_AFI_AUTH);
    wr16(b, o + 2, m.authentication.type);
    b.set(m.authentication.data.subarray(0, 16), o + 4);
    o += RIP_ENTRY_LEN;
  }
  for (const e of m.entries) {
    wr16(b, o, e.afi);
    wr16(b, o + 2, e.routeTag);
    wr32(b, o + 4, e.address);
    wr32(b, o + 8, e.mask);
    wr32(b, o + 12, e.nextHop);
    wr32(b, o + 16, e.metric);
    o += RIP_ENTRY_LEN;
  }
  return b;
}
