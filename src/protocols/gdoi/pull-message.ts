// GROUPKEY-PULL messages under a registration's phase-1 SA (RFC 6407 3.2):
//
//   Member                               Key server
//   HDR*, HASH(1), Ni, ID        -->
//                                <--     HDR*, HASH(2), Nr, SA
//   HDR*, HASH(3)                -->
//                                <--     HDR*, HASH(4), SEQ, KD
//
//   HASH(1) = prf(SKEYID_a, M-ID | Ni | ID)
//   HASH(2) = prf(SKEYID_a, M-ID | Ni_b | Nr | SA)
//   HASH(3) = prf(SKEYID_a, M-ID | Ni_b | Nr_b)
//   HASH(4) = prf(SKEYID_a, M-ID | Ni_b | Nr_b | SEQ | KD)
//
// As in quick mode, the payloads after HASH are hashed as sent, generic
// headers included, and every message is encrypted with the phase-1 key on
// the message ID's own IV chain.

import { equalConstantTime } from "../../fastpath/crypto/hash-check.ts";
import {
  emitGdoiPayloads,
  GDOI_EXCHANGE,
  type GdoiPayload,
  type GdoiPayloadInput,
  parseGdoiPayloads,
} from "../../wire/gdoi.ts";
import type { IsakmpHeader } from "../../wire/isakmp.ts";
import { ISAKMP_PAYLOAD } from "../../wire/isakmp-constants.ts";
import type { IkeV1Engine } from "../ike/v1/ike-engine.ts";
import type { IsakmpSa } from "../ike/v1/isakmp-sa.ts";
import { prf, uint32Bytes } from "../ike/v1-keys.ts";

/** prf(SKEYID_a, M-ID | parts...). */
export function pullHash(sa: IsakmpSa, messageId: number, ...parts: Uint8Array[]): Uint8Array {
  return prf(sa.hash!, sa.keys!.a, uint32Bytes(messageId), ...parts);
}

/**
 * Sends HASH followed by `payloads`; `hashOf` gets the payloads' bytes as
 * sent (the rest after HASH). Returns the message (for retransmission).
 */
export function sendPull(
  ike: IkeV1Engine,
  sa: IsakmpSa,
  messageId: number,
  payloads: GdoiPayloadInput[],
  hashOf: (rest: Uint8Array) => Uint8Array,
): Uint8Array {
  const rest = emitGdoiPayloads(payloads);
  const hash = hashOf(rest.bytes);
  const plain = new Uint8Array(4 + hash.length + rest.bytes.length);
  plain[0] = rest.firstPayload;
  plain[2] = (4 + hash.length) >>> 8;
  plain[3] = (4 + hash.length) & 0xff;
  plain.set(hash, 4);
  plain.set(rest.bytes, 4 + hash.length);
  return ike.sendEncrypted(sa, GDOI_EXCHANGE.GROUPKEY_PULL, messageId, ISAKMP_PAYLOAD.HASH, plain);
}

/** A received GROUPKEY-PULL message, decrypted and walked. */
export interface PullReceived {
  payloads: GdoiPayload[];
  /** The HASH payload's data. */
  hash: Uint8Array;
  /** The payloads after HASH as received (what the hash covers). */
  rest: Uint8Array;
  /** Advances the message ID's IV chain: call once the message is accepted. */
  commit(): void;
}

/** Decrypts and parses a GROUPKEY-PULL message; a string says why it is not one. */
export function readPull(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array): PullReceived | string {
  if (header.nextPayload !== ISAKMP_PAYLOAD.HASH) return "first payload is not HASH";
  const d = sa.decryptExchange(header.messageId, body);
  if (d === null) return "body is not a whole number of cipher blocks";
  const parsed = parseGdoiPayloads(ISAKMP_PAYLOAD.HASH, d.plain);
  if (!parsed.ok) return parsed.error.detail;
  const first = parsed.value[0];
  if (first === undefined || first.type !== "hash") return "no HASH";
  // The chain's end: the sum of the payload lengths (padding after it is not hashed).
  let end = 0;
  let type: number = ISAKMP_PAYLOAD.HASH;
  while (type !== ISAKMP_PAYLOAD.NONE && end + 4 <= d.plain.length) {
    type = d.plain[end]!;
    end += (d.plain[end + 2]! << 8) | d.plain[end + 3]!;
  }
  const hashLen = (d.plain[2]! << 8) | d.plain[3]!;
  return { payloads: parsed.value, hash: first.data, rest: d.plain.subarray(hashLen, end), commit: d.commit };
}

/** Whether a received HASH equals the one computed. */
export function hashMatches(got: Uint8Array, want: Uint8Array): boolean {
  return got.length === want.length && equalConstantTime(got, want);
}
