// ICMP for IPv4 (RFC 792): echo / echo reply, destination unreachable (all
// codes; code 4 carries the next-hop MTU per RFC 1191), time exceeded,
// redirect and parameter problem with the quoted original datagram kept as
// bytes; any other type is preserved raw. Parse checks length and checksum.
// The message is bounded by the caller (the IPv4 payload).

import { put16 } from "./bytes.ts";
import { internetChecksum } from "./checksum.ts";
import { readIpv4, writeIpv4 } from "./ipv4-address.ts";
import { fail, ok, type Parsed } from "./result.ts";

/*
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |     Type      |     Code      |          Checksum             |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |  echo: Identifier             |  Sequence Number              |
   |  unreachable: unused (0)      |  Next-Hop MTU (code 4)        |
   |  redirect: Gateway Internet Address                           |
   |  param problem: Pointer | unused                              |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |  echo data, or original IP header + first 64 bits of data ... |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
*/

export const ICMP_FIELD = {
  TYPE: 0,
  CODE: 1,
  CHECKSUM: [2, 4],
  ECHO_IDENT: [4, 6],
  ECHO_SEQNO: [6, 8],
  NEXT_HOP_MTU: [6, 8],
  GATEWAY: [4, 8],
  POINTER: 4,
  REST_OF_HEADER: [4, 8],
  DATA: 8,
} as const;

export const ICMP_HEADER_LEN = 8;

export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACHABLE = 3;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_PARAMETER_PROBLEM = 12;

/** Destination unreachable codes (RFC 792, RFC 1122, RFC 1812). IOS ping prints U, M, A... from these. */
export const UNREACH = {
  NET: 0,
  HOST: 1,
  PROTOCOL: 2,
  PORT: 3,
  FRAG_NEEDED: 4,
  SOURCE_ROUTE_FAILED: 5,
  NET_UNKNOWN: 6,
  HOST_UNKNOWN: 7,
  SOURCE_HOST_ISOLATED: 8,
  NET_PROHIBITED: 9,
  HOST_PROHIBITED: 10,
  NET_TOS: 11,
  HOST_TOS: 12,
  ADMIN_PROHIBITED: 13,
  HOST_PRECEDENCE_VIOLATION: 14,
  PRECEDENCE_CUTOFF: 15,
} as const;

/** Time exceeded codes. */
export const TIME_EXCEEDED = { TTL: 0, REASSEMBLY: 1 } as const;

/** An ICMP message; `kind` picks the layout of bytes 4..8 and the data. */
export type IcmpMessage =
  | { kind: "echoRequest" | "echoReply"; id: number; seq: number; data: Uint8Array }
  | {
      kind: "destUnreachable";
      code: number;
      /** Next-hop MTU for code 4 (RFC 1191); 0 otherwise. */
      nextHopMtu: number;
      /** Quoted original datagram: IP header + at least 8 data bytes. */
      original: Uint8Array;
    }
  | { kind: "timeExceeded"; code: number; original: Uint8Array }
  | { kind: "redirect"; code: number; gateway: number; original: Uint8Array }
  | { kind: "parameterProblem"; code: number; pointer: number; original: Uint8Array }
  /** Any other type, kept raw so it can be forwarded or counted. */
  | { kind: "other"; type: number; code: number; restOfHeader: number; data: Uint8Array };

const FORMAT = "icmp";

/** Parses a whole ICMP message (`b` is exactly the IP payload); data are views into `b`. */
export function parseIcmp(b: Uint8Array): Parsed<IcmpMessage> {
  if (b.length < ICMP_HEADER_LEN) return fail(FORMAT, "truncated", `${b.length} bytes, header needs 8`);
  if (internetChecksum(b) !== 0) return fail(FORMAT, "badChecksum", `type ${b[0]} code ${b[1]}: checksum is wrong`);
  const type = b[0]!;
  const code = b[1]!;
  const w1 = (b[4]! << 8) | b[5]!;
  const w2 = (b[6]! << 8) | b[7]!;
  const rest = b.subarray(ICMP_HEADER_LEN);
  switch (type) {
    case ICMP_ECHO_REQUEST:
    case ICMP_ECHO_REPLY:
      return ok({ kind: type === ICMP_ECHO_REQUEST ? "echoRequest" : "echoReply", id: w1, seq: w2, data: rest });
    case ICMP_DEST_UNREACHABLE:
      return ok({ kind: "destUnreachable", code, nextHopMtu: w2, original: rest });
    case ICMP_TIME_EXCEEDED:
      return ok({ kind: "timeExceeded", code, original: rest });
    case ICMP_REDIRECT:
      return ok({ kind: "redirect", code, gateway: readIpv4(b, 4), original: rest });
    case ICMP_PARAMETER_PROBLEM:
      return ok({ kind: "parameterProblem", code, pointer: b[4]!, original: rest });
    default:
      return ok({ kind: "other", type, code, restOfHeader: readIpv4(b, 4), data: rest });
  }
}

function body(m: IcmpMessage): Uint8Array {
  switch (m.kind) {
    case "echoRequest":
    case "echoReply":
    case "other":
      return m.data;
    default:
      return m.original;
  }
}

/** Bytes `emitIcmp` produces. */
export function icmpBufferLen(m: IcmpMessage): number {
  return ICMP_HEADER_LEN + body(m).length;
}

/** Writes the message with its checksum at `off`; returns its length. */
export function emitIcmpInto(m: IcmpMessage, b: Uint8Array, off = 0): number {
  const len = icmpBufferLen(m);
  b.fill(0, off, off + ICMP_HEADER_LEN);
  let type: number;
  let code = 0;
  switch (m.kind) {
    case "echoRequest":
    case "echoReply":
      type = m.kind === "echoRequest" ? ICMP_ECHO_REQUEST : ICMP_ECHO_REPLY;
      put16(b, off + 4, m.id);
      put16(b, off + 6, m.seq);
      break;
    case "destUnreachable":
      type = ICMP_DEST_UNREACHABLE;
      code = m.code;
      put16(b, off + 6, m.nextHopMtu);
      break;
    case "timeExceeded":
      type = ICMP_TIME_EXCEEDED;
      code = m.code;
      break;
    case "redirect":
      type = ICMP_REDIRECT;
      code = m.code;
      writeIpv4(b, off + 4, m.gateway);
      break;
    case "parameterProblem":
      type = ICMP_PARAMETER_PROBLEM;
      code = m.code;
      b[off + 4] = m.pointer;
      break;
    case "other":
      type = m.type;
      code = m.code;
      writeIpv4(b, off + 4, m.restOfHeader);
      break;
  }
  b[off] = type;
  b[off + 1] = code;
  b.set(body(m), off + ICMP_HEADER_LEN);
  put16(b, off + 2, internetChecksum(b, off, off + len));
  return len;
}

/** Builds the message with its checksum. */
export function emitIcmp(m: IcmpMessage): Uint8Array {
  const b = new Uint8Array(icmpBufferLen(m));
  emitIcmpInto(m, b, 0);
  return b;
}

/**
 * The part of an offending datagram an ICMP error quotes: its IP header plus
 * the first 8 data bytes (RFC 792), bounded by what the datagram has.
 */
export function icmpQuote(ipDatagram: Uint8Array, off = 0): Uint8Array {
  const hlen = (ipDatagram[off]! & 0x0f) * 4;
  const total = (ipDatagram[off + 2]! << 8) | ipDatagram[off + 3]!;
  const end = Math.min(off + hlen + 8, off + Math.max(total, hlen), ipDatagram.length);
  return ipDatagram.slice(off, end);
}
