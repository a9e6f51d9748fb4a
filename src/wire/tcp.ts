// TCP segment header (RFC 9293) with options: EOL, NOP, MSS, window scale
// (RFC 7323), SACK-permitted and SACK (RFC 2018), timestamps (RFC 7323);
// unknown kinds are preserved. No TCP state machine here. Parse checks the
// data offset, option lengths and, when the pseudo-header is given, the
// checksum. Emit pads options with EOL to a 4-byte boundary.

import { put16, put32, u32 } from "./bytes.ts";
import { checksumAdd, checksumFinish, pseudoHeaderSum } from "./checksum.ts";
import { IP_PROTO_TCP } from "./ipv4.ts";
import { fail, ok, type Parsed } from "./result.ts";
import type { PseudoHeader } from "./udp.ts";

/*
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |          Source Port          |       Destination Port        |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                        Sequence Number                        |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                    Acknowledgment Number                      |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |  Data |       |C|E|U|A|P|R|S|F|                               |
   | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
   |       |       |R|E|G|K|H|T|N|N|                               |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |           Checksum            |         Urgent Pointer        |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                           [Options]                           |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
*/

export const TCP_FIELD = {
  SRC_PORT: [0, 2],
  DST_PORT: [2, 4],
  SEQ_NUM: [4, 8],
  ACK_NUM: [8, 12],
  /** Data offset (high nibble), reserved bits, then the 8 control bits. */
  FLAGS: [12, 14],
  WINDOW: [14, 16],
  CHECKSUM: [16, 18],
  URGENT: [18, 20],
  OPTIONS: 20,
} as const;

export const TCP_MIN_HEADER_LEN = 20;
export const TCP_MAX_HEADER_LEN = 60;

export const TCP_FIN = 0x001;
export const TCP_SYN = 0x002;
export const TCP_RST = 0x004;
export const TCP_PSH = 0x008;
export const TCP_ACK = 0x010;
export const TCP_URG = 0x020;
export const TCP_ECE = 0x040;
export const TCP_CWR = 0x080;
/** Lowest reserved bit (AccECN "AE", formerly NS); the reserved nibble is kept as bits 8..11. */
export const TCP_AE = 0x100;

export const TCP_OPT_EOL = 0;
export const TCP_OPT_NOP = 1;
export const TCP_OPT_MSS = 2;
export const TCP_OPT_WINDOW_SCALE = 3;
export const TCP_OPT_SACK_PERMITTED = 4;
export const TCP_OPT_SACK = 5;
export const TCP_OPT_TIMESTAMPS = 8;

/** One TCP option. EOL ends the list: any bytes after it are padding. */
export type TcpOption =
  | { kind: "eol" }
  | { kind: "nop" }
  | { kind: "mss"; mss: number }
  | { kind: "windowScale"; shift: number }
  | { kind: "sackPermitted" }
  | { kind: "sack"; blocks: Array<[left: number, right: number]> }
  | { kind: "timestamps"; tsVal: number; tsEcr: number }
  | { kind: "unknown"; type: number; data: Uint8Array };

/** A TCP segment; data offset and checksum are derived on emit. */
export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** Control bits (TCP_SYN | TCP_ACK ...) plus the reserved nibble in bits 8..11. */
  flags: number;
  window: number;
  urgent: number;
  options: TcpOption[];
  payload: Uint8Array;
}

const FORMAT = "tcp";

/** Parses a segment (`b` is exactly the IP payload); verifies the checksum if `pseudo` is given. */
export function parseTcp(b: Uint8Array, pseudo?: PseudoHeader): Parsed<TcpSegment> {
  if (b.length < TCP_MIN_HEADER_LEN) return fail(FORMAT, "truncated", `${b.length} bytes, header needs 20`);
  const hlen = (b[12]! >>> 4) * 4;
  if (hlen < TCP_MIN_HEADER_LEN) return fail(FORMAT, "badLength", `data offset ${hlen / 4} below 5`);
  if (hlen > b.length) return fail(FORMAT, "truncated", `header ${hlen} bytes, ${b.length} available`);
  if (pseudo) {
    const sum = checksumAdd(pseudoHeaderSum(pseudo.src, pseudo.dst, IP_PROTO_TCP, b.length), b);
    if (checksumFinish(sum) !== 0) return fail(FORMAT, "badChecksum", "checksum is wrong");
  }
  const options = parseTcpOptions(b, TCP_MIN_HEADER_LEN, hlen);
  if (!options.ok) return options;
  return ok({
    srcPort: (b[0]! << 8) | b[1]!,
    dstPort: (b[2]! << 8) | b[3]!,
    seq: u32(b, 4),
    ack: u32(b, 8),
    flags: ((b[12]! & 0x0f) << 8) | b[13]!,
    window: (b[14]! << 8) | b[15]!,
    urgent: (b[18]! << 8) | b[19]!,
    options: options.value,
    payload: b.subarray(hlen),
  });
}

/** Parses the option list in [start, end); stops at EOL. */
export function parseTcpOptions(b: Uint8Array, start: number, end: number): Parsed<TcpOption[]> {
  const out: TcpOption[] = [];
  let i = start;
  while (i < end) {
    const kind = b[i]!;
    if (kind === TCP_OPT_EOL) {
      out.push({ kind: "eol" });
      break;
    }
    if (kind === TCP_OPT_NOP) {
      out.push({ kind: "nop" });
      i++;
      continue;
    }
    if (i + 1 >= end) return fail(FORMAT, "truncated", `option ${kind} has no length byte`);
    const len = b[i + 1]!;
    if (len < 2 || i + len > end) return fail(FORMAT, "badLength", `option ${kind} length ${len} at ${i}`);
    const want = FIXED_OPTION_LEN[kind];
    if (want !== undefined && len !== want)
      return fail(FORMAT, "badLength", `option ${kind} length ${len}, expected ${want}`);
    switch (kind) {
      case TCP_OPT_MSS:
        out.push({ kind: "mss", mss: (b[i + 2]! << 8) | b[i + 3]! });
        break;
      case TCP_OPT_WINDOW_SCALE:
        out.push({ kind: "windowScale", shift: b[i + 2]! });
        break;
      case TCP_OPT_SACK_PERMITTED:
        out.push({ kind: "sackPermitted" });
        break;
      case TCP_OPT_TIMESTAMPS:
        out.push({ kind: "timestamps", tsVal: u32(b, i + 2), tsEcr: u32(b, i + 6) });
        break;
      case TCP_OPT_SACK: {
        if ((len - 2) % 8 !== 0) return fail(FORMAT, "badLength", `SACK option length ${len}`);
        const blocks: Array<[number, number]> = [];
        for (let j = i + 2; j < i + len; j += 8) blocks.push([u32(b, j), u32(b, j + 4)]);
        out.push({ kind: "sack", blocks });
        break;
      }
      default:
        out.push({ kind: "unknown", type: kind, data: b.subarray(i + 2, i + len) });
    }
    i += len;
  }
  return ok(out);
}

const FIXED_OPTION_LEN: Record<number, number> = {
  [TCP_OPT_MSS]: 4,
  [TCP_OPT_WINDOW_SCALE]: 3,
  [TCP_OPT_SACK_PERMITTED]: 2,
  [TCP_OPT_TIMESTAMPS]: 10,
};

/** Encoded length of one option. */
function optionLen(o: TcpOption): number {
  switch (o.kind) {
    case "eol":
    case "nop":
      return 1;
    case "mss":
      return 4;
    case "windowScale":
      return 3;
    case "sackPermitted":
      return 2;
    case "sack":
      return 2 + 8 * o.blocks.length;
    case "timestamps":
      return 10;
    case "unknown":
      return 2 + o.data.length;
  }
}

/** Header length `emitTcp` writes: 20 + options padded to 4. */
export function tcpHeaderLenOf(s: Pick<TcpSegment, "options">): number {
  let n = 0;
  for (const o of s.options) n += optionLen(o);
  return TCP_MIN_HEADER_LEN + ((n + 3) & ~3);
}

/** Bytes `emitTcp` produces. */
export function tcpBufferLen(s: TcpSegment): number {
  return tcpHeaderLenOf(s) + s.payload.length;
}

/** Writes the segment with its checksum at `off`; returns its length. Throws RangeError if options exceed 40 bytes. */
export function emitTcpInto(s: TcpSegment, pseudo: PseudoHeader, b: Uint8Array, off = 0): number {
  const hlen = tcpHeaderLenOf(s);
  if (hlen > TCP_MAX_HEADER_LEN) throw new RangeError(`tcp: options need ${hlen - 20} bytes, max 40`);
  const len = hlen + s.payload.length;
  put16(b, off, s.srcPort);
  put16(b, off + 2, s.dstPort);
  put32(b, off + 4, s.seq);
  put32(b, off + 8, s.ack);
  b[off + 12] = ((hlen / 4) << 4) | ((s.flags >>> 8) & 0x0f);
  b[off + 13] = s.flags;
  put16(b, off + 14, s.window);
  put16(b, off + 16, 0);
  put16(b, off + 18, s.urgent);
  let i = off + TCP_MIN_HEADER_LEN;
  for (const o of s.options) i = emitOption(o, b, i);
  b.fill(0, i, off + hlen); // EOL padding
  b.set(s.payload, off + hlen);
  put16(
    b,
    off + 16,
    checksumFinish(checksumAdd(pseudoHeaderSum(pseudo.src, pseudo.dst, IP_PROTO_TCP, len), b, off, off + len)),
  );
  return len;
}

function emitOption(o: TcpOption, b: Uint8Array, i: number): number {
  switch (o.kind) {
    case "eol":
      b[i] = TCP_OPT_EOL;
      return i + 1;
    case "nop":
      b[i] = TCP_OPT_NOP;
      return i + 1;
    case "mss":
      b[i] = TCP_OPT_MSS;
      b[i + 1] = 4;
      put16(b, i + 2, o.mss);
      return i + 4;
    case "windowScale":
      b[i] = TCP_OPT_WINDOW_SCALE;
      b[i + 1] = 3;
      b[i + 2] = o.shift;
      return i + 3;
    case "sackPermitted":
      b[i] = TCP_OPT_SACK_PERMITTED;
      b[i + 1] = 2;
      return i + 2;
    case "sack":
      b[i] = TCP_OPT_SACK;
      b[i + 1] = 2 + 8 * o.blocks.length;
      o.blocks.forEach(([l, r], k) => {
        put32(b, i + 2 + 8 * k, l);
        put32(b, i + 6 + 8 * k, r);
      });
      return i + 2 + 8 * o.blocks.length;
    case "timestamps":
      b[i] = TCP_OPT_TIMESTAMPS;
      b[i + 1] = 10;
      put32(b, i + 2, o.tsVal);
      put32(b, i + 6, o.tsEcr);
      return i + 10;
    case "unknown":
      b[i] = o.type;
      b[i + 1] = 2 + o.data.length;
      b.set(o.data, i + 2);
      return i + 2 + o.data.length;
  }
}

/** Builds the segment; the checksum covers the pseudo-header of `pseudo`. */
export function emitTcp(s: TcpSegment, pseudo: PseudoHeader): Uint8Array {
  const b = new Uint8Array(tcpBufferLen(s));
  emitTcpInto(s, pseudo, b, 0);
  return b;
}

/** Source port at `off` (hot path). */
export function tcpSrcPort(b: Uint8Array, off = 0): number {
  return (b[off]! << 8) | b[off + 1]!;
}
/** Destination port at `off`. */
export function tcpDstPort(b: Uint8Array, off = 0): number {
  return (b[off + 2]! << 8) | b[off + 3]!;
}
/** Control bits at `off` (e.g. SYN test for `ip tcp adjust-mss`). */
export function tcpFlags(b: Uint8Array, off = 0): number {
  return ((b[off + 12]! & 0x0f) << 8) | b[off + 13]!;
}
