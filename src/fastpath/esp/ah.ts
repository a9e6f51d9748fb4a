// AH (RFC 4302) over IPv4 with HMAC-MD5-96 (RFC 2403), HMAC-SHA1-96 (RFC 2404)
// and HMAC-SHA-256/384/512 (RFC 4868, ICV half the digest). Outbound inserts
// the AH header after the IPv4 header (options included), sets protocol 51,
// the total length and the header checksum. The ICV covers the IPv4 header
// with the fields that change in transit zeroed (TOS, flags + fragment offset,
// TTL, checksum, and every option RFC 4302 Appendix A1 calls mutable), the AH
// header with a zero ICV, and the payload. Inbound: header checks, anti-replay
// check, ICV in constant time, anti-replay update. Source-routed datagrams are
// authenticated with the destination address as carried (no route prediction).
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | Next Header   |  Payload Len  |          RESERVED             |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                 Security Parameters Index (SPI)               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    Sequence Number Field                      |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                                                               |
// +                Integrity Check Value-ICV (variable)           |
// |                                                               |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// Payload Len is the AH length in 32-bit words minus 2.
import { internetChecksum } from "../../wire/checksum.ts";
import { type CryptoResult, cryptoFail, cryptoOk, ICV_LENGTH, type Mac } from "../crypto/types.ts";
import { ReplayWindow } from "./anti-replay.ts";
import type { AhInboundSa, AhOutboundSa, AhSaKeys, EspOpened, EspStatus } from "./types.ts";

/** Byte ranges [start, end) of the AH header fields, from the start of AH. */
export const AH_FIELD = {
  NEXT_HEADER: [0, 1],
  PAYLOAD_LEN: [1, 2],
  RESERVED: [2, 4],
  SPI: [4, 8],
  SEQUENCE: [8, 12],
} as const;

/** AH header bytes before the ICV. */
export const AH_FIXED_LENGTH = 12;
/** IP protocol number of AH. */
export const IP_PROTO_AH = 51;

/** IPv4 options AH authenticates as they are (RFC 4302 Appendix A1); every other option is zeroed. */
const IMMUTABLE_OPTIONS = new Set([0, 1, 130, 133, 134, 148, 149]);
const EMPTY = new Uint8Array(0);
const MAX_SEQUENCE = 0xffffffff;

/** Checks AH keys: integrity must be set (AH has nothing else) and the SPI a 32-bit unsigned integer. */
export function checkAhKeys(keys: AhSaKeys): CryptoResult<void> {
  if (!Number.isInteger(keys.spi) || keys.spi < 0 || keys.spi > MAX_SEQUENCE) {
    return cryptoFail("ah", "badLength", `SPI ${keys.spi} is not a 32-bit unsigned integer`);
  }
  if (keys.integrity === null || ICV_LENGTH[keys.integrity] === undefined) {
    return cryptoFail("ah", "badKeySize", `AH needs an integrity algorithm, got ${String(keys.integrity)}`);
  }
  return cryptoOk(undefined);
}

/** AH header + ICV length for an algorithm's ICV (a multiple of 4 for every HMAC here, so no padding for IPv4). */
function ahLength(icvLength: number): number {
  return AH_FIXED_LENGTH + icvLength;
}

/**
 * Zeroes, in a copy of a datagram's IPv4 header, the fields that change in
 * transit: TOS, flags + fragment offset, TTL, checksum, mutable options.
 * Returns false when the options do not parse (a length runs past the header).
 */
function zeroMutable(b: Uint8Array, headerLength: number): boolean {
  b[1] = 0;
  b[6] = 0;
  b[7] = 0;
  b[8] = 0;
  b[10] = 0;
  b[11] = 0;
  let i = 20;
  while (i < headerLength) {
    const type = b[i]!;
    if (type === 0) break; // end of option list: the rest is padding, authenticated as is
    if (type === 1) {
      i++;
      continue;
    }
    if (i + 1 >= headerLength) return false;
    const len = b[i + 1]!;
    if (len < 2 || i + len > headerLength) return false;
    if (!IMMUTABLE_OPTIONS.has(type)) b.fill(0, i, i + len);
    i += len;
  }
  return true;
}

function writeU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24;
  b[at + 1] = v >>> 16;
  b[at + 2] = v >>> 8;
  b[at + 3] = v;
}

function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** Picks the MAC for a datagram length (fixed backends ignore it). */
export type MacFor = (length: number) => Mac;

/** Outbound AH SA over IPv4. */
export class AhOutbound implements AhOutboundSa {
  readonly overhead: number;
  private seq: number;
  private readonly icvLength: number;

  constructor(
    readonly keys: AhSaKeys,
    private readonly macFor: MacFor,
    sequence: number,
  ) {
    this.icvLength = ICV_LENGTH[keys.integrity!];
    this.overhead = ahLength(this.icvLength);
    this.seq = sequence;
  }

  get sequence(): number {
    return this.seq;
  }

  get exhausted(): boolean {
    return this.seq >= MAX_SEQUENCE;
  }

  /** Throws RangeError only for a programming error: a header template that is not IPv4 or shorter than its IHL, a datagram over 65535 bytes. */
  seal(ipv4Header: Uint8Array, payload: Uint8Array, nextHeader: number): Uint8Array {
    if (ipv4Header.length < 20 || ipv4Header[0]! >>> 4 !== 4)
      throw new RangeError("AH seal: the header template is not IPv4");
    const hlen = (ipv4Header[0]! & 0x0f) * 4;
    if (hlen < 20 || hlen > ipv4Header.length)
      throw new RangeError(`AH seal: IHL says ${hlen} bytes, template has ${ipv4Header.length}`);
    if (!Number.isInteger(nextHeader) || nextHeader < 0 || nextHeader > 255)
      throw new RangeError(`next header ${nextHeader} outside 0..255`);
    const total = hlen + this.overhead + payload.length;
    if (total > 0xffff) throw new RangeError(`AH seal: datagram of ${total} bytes exceeds 65535`);
    if (this.seq >= MAX_SEQUENCE) return EMPTY;
    this.seq++;
    const out = new Uint8Array(total);
    out.set(ipv4Header.subarray(0, hlen));
    out[2] = total >>> 8;
    out[3] = total;
    out[9] = IP_PROTO_AH;
    out[hlen] = nextHeader;
    out[hlen + 1] = this.overhead / 4 - 2;
    writeU32(out, hlen + 4, this.keys.spi);
    writeU32(out, hlen + 8, this.seq);
    out.set(payload, hlen + this.overhead);
    const input = out.slice();
    if (!zeroMutable(input, hlen)) throw new RangeError("AH seal: the header template's options do not parse");
    out.set(this.macFor(total).mac(input), hlen + AH_FIXED_LENGTH);
    out[10] = 0;
    out[11] = 0;
    const sum = internetChecksum(out, 0, hlen);
    out[10] = sum >>> 8;
    out[11] = sum;
    return out;
  }
}

function refused(status: EspStatus, sequence: number): EspOpened {
  return { status, sequence, nextHeader: 0, payload: EMPTY };
}

/** Inbound AH SA over IPv4 with its anti-replay window (none when replayWindow is 0). */
export class AhInbound implements AhInboundSa {
  private readonly window: ReplayWindow | null;
  private readonly icvLength: number;

  constructor(
    readonly keys: AhSaKeys,
    private readonly macFor: MacFor,
    readonly replayWindow: number,
  ) {
    this.icvLength = ICV_LENGTH[keys.integrity!];
    this.window = replayWindow > 0 ? new ReplayWindow(replayWindow) : null;
  }

  open(datagram: Uint8Array): EspOpened {
    if (datagram.length < 20) return refused("tooShort", 0);
    const hlen = (datagram[0]! & 0x0f) * 4;
    if (datagram[0]! >>> 4 !== 4 || hlen < 20) return refused("malformed", 0);
    const totalLength = (datagram[2]! << 8) | datagram[3]!;
    if (totalLength > datagram.length) return refused("tooShort", 0);
    // Bytes past the total length (link-layer padding) are not part of the datagram.
    const d = datagram.subarray(0, totalLength);
    const ahLen = ahLength(this.icvLength);
    if (d.length < hlen + AH_FIXED_LENGTH) return refused(totalLength < hlen ? "malformed" : "tooShort", 0);
    const seq = readU32(d, hlen + 8);
    if (d[9] !== IP_PROTO_AH) return refused("malformed", seq);
    // A fragment must be reassembled before AH processing (RFC 4302 §3.4.1).
    if ((d[6]! & 0x20) !== 0 || (((d[6]! & 0x1f) << 8) | d[7]!) !== 0) return refused("malformed", seq);
    if ((d[hlen + 1]! + 2) * 4 !== ahLen) return refused("malformed", seq);
    if (d.length < hlen + ahLen) return refused("tooShort", seq);
    const w = this.window;
    if (w !== null && !w.check(seq)) return refused("replayed", seq);
    const input = d.slice();
    if (!zeroMutable(input, hlen)) return refused("malformed", seq);
    input.fill(0, hlen + AH_FIXED_LENGTH, hlen + ahLen);
    if (!this.macFor(d.length).verify(input, d.subarray(hlen + AH_FIXED_LENGTH, hlen + ahLen)))
      return refused("authFailed", seq);
    if (w !== null && !w.update(seq)) return refused("replayed", seq);
    return { status: "ok", sequence: seq, nextHeader: d[hlen]!, payload: d.subarray(hlen + ahLen) };
  }
}
