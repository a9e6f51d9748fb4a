// ESP packet layout (RFC 4303 §2) and the per-SA transform parameters every
// backend shares: key checks, block and IV sizes (RFC 2451, RFC 3602; ESP-NULL
// per RFC 2410 pads to 4 bytes), ICV lengths (RFC 2403/2404/4868), the
// padding rule (§2.4: bytes 1, 2, 3, ... then pad length and next header) and
// the length checks an inbound packet must pass before any crypto runs.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ ----
// |               Security Parameters Index (SPI)                 | ^Int.
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |Cov-
// |                      Sequence Number                          | |ered
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ | ----
// |          IV (cipher block size, absent for ESP-NULL)          | |   ^
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |   |
// |                    Payload Data* (variable)                   | |   |
// ~                                                               ~ |   |
// |                                                               | |Conf.
// +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |Cov-
// |               |     Padding (0-255 bytes)                     | |ered*
// +-+-+-+-+-+-+-+-+               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |   |
// |                               |  Pad Length   | Next Header   | v   v
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ ------
// |         Integrity Check Value-ICV   (variable)                |
// ~                                                               ~
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import {
  type CbcAlgorithm,
  type CryptoResult,
  cryptoFail,
  cryptoOk,
  type HashAlgorithm,
  ICV_LENGTH,
} from "../crypto/types.ts";
import type { EspSaKeys, EspStatus } from "./types.ts";

/** Byte ranges [start, end) of the fixed header fields. */
export const field = {
  SPI: [0, 4],
  SEQUENCE: [4, 8],
} as const;

/** SPI + sequence number. */
export const HEADER_LENGTH = 8;

/** Key length in bytes per CBC cipher (3DES keys are K1 || K2 || K3). */
export const CIPHER_KEY_LENGTH: Readonly<Record<CbcAlgorithm, number>> = {
  "aes-128-cbc": 16,
  "aes-192-cbc": 24,
  "aes-256-cbc": 32,
  "des-cbc": 8,
  "des-ede3-cbc": 24,
};

/** Block (and IV) size in bytes per CBC cipher. */
export const CIPHER_BLOCK: Readonly<Record<CbcAlgorithm, number>> = {
  "aes-128-cbc": 16,
  "aes-192-cbc": 16,
  "aes-256-cbc": 16,
  "des-cbc": 8,
  "des-ede3-cbc": 8,
};

/** What an SA's algorithms imply for the packet layout. */
export interface EspTransform {
  cipher: CbcAlgorithm | null;
  integrity: HashAlgorithm | null;
  /** Outbound alignment of payload || padding || pad length || next header: the cipher block, or 4 for ESP-NULL. */
  padBlock: number;
  /** Inbound: the encrypted part must be a multiple of this (the cipher block, 1 for ESP-NULL). */
  inBlock: number;
  /** Inbound: the smallest encrypted part (one block; 2 bytes of trailer for ESP-NULL). */
  minBody: number;
  /** Explicit IV bytes after the sequence number (the cipher block, 0 for ESP-NULL). */
  ivLength: number;
  /** Truncated HMAC bytes at the end (0 without integrity). */
  icvLength: number;
}

/** Checks an SA's keys and derives its layout; the reason names what is wrong. */
export function espTransform(keys: EspSaKeys): CryptoResult<EspTransform> {
  if (!Number.isInteger(keys.spi) || keys.spi < 0 || keys.spi > 0xffffffff) {
    return cryptoFail("esp", "badLength", `SPI ${keys.spi} is not a 32-bit unsigned integer`);
  }
  const cipher = keys.encryption;
  if (cipher !== null) {
    const want = CIPHER_KEY_LENGTH[cipher];
    if (want === undefined) return cryptoFail("esp", "badKeySize", `unknown cipher ${String(cipher)}`);
    if (keys.encryptionKey.length !== want) {
      return cryptoFail(cipher, "badKeySize", `${cipher} key is ${keys.encryptionKey.length} bytes, need ${want}`);
    }
  }
  const integrity = keys.integrity;
  if (integrity !== null && ICV_LENGTH[integrity] === undefined) {
    return cryptoFail("esp", "badKeySize", `unknown integrity algorithm ${String(integrity)}`);
  }
  const block = cipher === null ? 0 : CIPHER_BLOCK[cipher];
  return cryptoOk({
    cipher,
    integrity,
    padBlock: cipher === null ? 4 : block,
    inBlock: cipher === null ? 1 : block,
    minBody: cipher === null ? 2 : block,
    ivLength: block,
    icvLength: integrity === null ? 0 : ICV_LENGTH[integrity],
  });
}

/** Length of payload || padding || pad length || next header for a payload of this length. */
export function bodyLength(t: EspTransform, payloadLength: number): number {
  return Math.ceil((payloadLength + 2) / t.padBlock) * t.padBlock;
}

/** Length of the whole ESP packet (SPI to ICV) for a payload of this length. */
export function packetLength(t: EspTransform, payloadLength: number): number {
  return HEADER_LENGTH + t.ivLength + bodyLength(t, payloadLength) + t.icvLength;
}

/** Writes SPI and sequence number (network order) at the start of an ESP packet. */
export function writeHeader(packet: Uint8Array, spi: number, sequence: number): void {
  packet[0] = spi >>> 24;
  packet[1] = spi >>> 16;
  packet[2] = spi >>> 8;
  packet[3] = spi;
  packet[4] = sequence >>> 24;
  packet[5] = sequence >>> 16;
  packet[6] = sequence >>> 8;
  packet[7] = sequence;
}

/** Reads the sequence number of a packet at least 8 bytes long. */
export function readSequence(packet: Uint8Array): number {
  return ((packet[4]! << 24) | (packet[5]! << 16) | (packet[6]! << 8) | packet[7]!) >>> 0;
}

/** Fills body (payload already at its start) with padding 1, 2, 3, ..., pad length and next header. */
export function writeTrailer(body: Uint8Array, payloadLength: number, nextHeader: number): void {
  const padLength = body.length - payloadLength - 2;
  for (let k = 0; k < padLength; k++) body[payloadLength + k] = k + 1;
  body[body.length - 2] = padLength;
  body[body.length - 1] = nextHeader;
}

/** Outcome of reading a decrypted trailer: the payload length and next header, or malformed. */
export type TrailerResult = { ok: true; payloadLength: number; nextHeader: number } | { ok: false };

/**
 * Checks a decrypted body: pad length must leave room (pad + 2 <= body) and
 * the padding bytes must read 1, 2, 3, ... (RFC 4303 §2.4 default padding).
 */
export function readTrailer(body: Uint8Array): TrailerResult {
  const n = body.length;
  if (n < 2) return { ok: false };
  const padLength = body[n - 2]!;
  if (padLength + 2 > n) return { ok: false };
  const start = n - 2 - padLength;
  let bad = 0;
  for (let k = 0; k < padLength; k++) bad |= body[start + k]! ^ (k + 1);
  if (bad !== 0) return { ok: false };
  return { ok: true, payloadLength: start, nextHeader: body[n - 1]! };
}

/**
 * Length checks before anything else: `tooShort` below header + IV + one
 * block (2 trailer bytes for ESP-NULL) + ICV, `malformed` when the encrypted
 * part is not a whole number of blocks; null when the packet may go on.
 */
export function precheck(t: EspTransform, packet: Uint8Array): EspStatus | null {
  const fixed = HEADER_LENGTH + t.ivLength + t.icvLength;
  if (packet.length < fixed + t.minBody) return "tooShort";
  if ((packet.length - fixed) % t.inBlock !== 0) return "malformed";
  return null;
}
