// GROUPKEY-PUSH messages (RFC 6407 4): a key server's rekey and a member's
// acknowledgement of a unicast rekey, outside any ISAKMP SA. The header's
// cookies are the KEK's 16-byte SPI, the message ID is 0, and the payloads are
// encrypted with the KEK: a random IV (one cipher block) in front of the
// CBC ciphertext of the zero-padded payload chain.
//
//   Rekey (key server -> member):   HDR*, SEQ, SA, KD, [SIG]
//     SIG = RSA PKCS #1 v1.5 with SHA-1 over "rekey" | HDR | SEQ | SA | KD,
//     HDR as sent but with the Length of the unencrypted message (RFC 6407 4.1).
//   Ack (member -> key server):     HDR*, SEQ, HASH
//     Cisco acknowledges unicast rekeys with a message of its own; here HASH
//     is HMAC-SHA-1 keyed with the KEK over "ack" | SEQ, which only a member
//     holding the KEK can compute.

import { createHmac, sign } from "node:crypto";
import { equalConstantTime } from "../../fastpath/crypto/hash-check.ts";
import {
  emitGdoiPayloads,
  GDOI_EXCHANGE,
  type GdoiPayload,
  type GdoiPayloadInput,
  parseGdoiPayloads,
} from "../../wire/gdoi.ts";
import { emitIsakmp, ISAKMP_HEADER_LEN, type IsakmpHeader } from "../../wire/isakmp.ts";
import { ISAKMP_FLAG } from "../../wire/isakmp-constants.ts";
import { decryptIsakmpBody, encryptIsakmpBody, type IkeCipher, ikeCipherBlockSize } from "../ike/v1-cipher.ts";
import type { RsaPrivateKey } from "../pki/rsa-keygen.ts";
import { nodePrivateKey, type RsaPublicNumbers, rsaVerifyDigest } from "../pki/rsa-sign.ts";
import type { RekeyCipher } from "./gdoi-config.ts";

/** The block cipher of a KEK. */
export function kekCipher(c: RekeyCipher): IkeCipher {
  return c === "3des" ? { algorithm: "3des", keyBits: 192 } : { algorithm: "aes", keyBits: Number(c.slice(4)) };
}

const REKEY_PREFIX = new TextEncoder().encode("rekey");
const ACK_PREFIX = new TextEncoder().encode("ack");

function header(kekSpi: Uint8Array, length: number, firstPayload: number): Uint8Array {
  const h = emitIsakmp(
    {
      initiatorCookie: kekSpi.subarray(0, 8),
      responderCookie: kekSpi.subarray(8, 16),
      exchangeType: GDOI_EXCHANGE.GROUPKEY_PUSH,
      flags: ISAKMP_FLAG.ENCRYPTION,
      messageId: 0,
    },
    new Uint8Array(length - ISAKMP_HEADER_LEN),
    firstPayload,
  );
  return h.subarray(0, ISAKMP_HEADER_LEN);
}

/** Encrypts a payload chain under the KEK into a whole GROUPKEY-PUSH message. */
function seal(
  kekSpi: Uint8Array,
  cipher: IkeCipher,
  key: Uint8Array,
  iv: Uint8Array,
  firstPayload: number,
  plain: Uint8Array,
): Uint8Array {
  const { ciphertext } = encryptIsakmpBody(cipher, key, iv, plain);
  const body = new Uint8Array(iv.length + ciphertext.length);
  body.set(iv, 0);
  body.set(ciphertext, iv.length);
  return emitIsakmp(
    {
      initiatorCookie: kekSpi.subarray(0, 8),
      responderCookie: kekSpi.subarray(8, 16),
      exchangeType: GDOI_EXCHANGE.GROUPKEY_PUSH,
      flags: ISAKMP_FLAG.ENCRYPTION,
      messageId: 0,
    },
    body,
    firstPayload,
  );
}

/** What a rekey needs from the key server: the KEK, a fresh IV, and the signing key if any. */
export interface PushKeys {
  kekSpi: Uint8Array;
  cipher: IkeCipher;
  kekKey: Uint8Array;
  iv: Uint8Array;
}

/** A rekey's payload chain before encryption, signed: the same for every member of a rekey. */
export interface SignedRekey {
  kekSpi: Uint8Array;
  firstPayload: number;
  bytes: Uint8Array;
}

/**
 * A key server's rekey payloads: SEQ, SA, KD, then SIG when `signer` is set.
 * The signature covers the header and payloads, not the IV, so one signature
 * serves every member's copy (each is then encrypted with its own IV).
 */
export function signRekey(kekSpi: Uint8Array, payloads: GdoiPayloadInput[], signer: RsaPrivateKey | null): SignedRekey {
  if (signer === null) return { kekSpi, ...emitGdoiPayloads(payloads) };
  // Chain the payloads with a SIG of the right size first, so the signed bytes carry the Next Payload
  // values as sent (the last one names SIG), then sign them and fill the signature in.
  const sigLen = Math.ceil(signer.bits / 8);
  const { firstPayload, bytes } = emitGdoiPayloads([...payloads, { type: "sig", data: new Uint8Array(sigLen) }]);
  const signedLen = bytes.length - 4 - sigLen;
  const hdr = header(kekSpi, ISAKMP_HEADER_LEN + bytes.length, firstPayload);
  const signature = sign("sha1", concat(REKEY_PREFIX, hdr, bytes.subarray(0, signedLen)), nodePrivateKey(signer));
  bytes.set(signature, signedLen + 4);
  return { kekSpi, firstPayload, bytes };
}

/** One member's copy of a signed rekey, encrypted under the KEK with `k.iv`. */
export function sealRekey(k: PushKeys, r: SignedRekey): Uint8Array {
  return seal(k.kekSpi, k.cipher, k.kekKey, k.iv, r.firstPayload, r.bytes);
}

/** A key server's rekey: SEQ, SA, KD, then SIG when `signer` is set. */
export function emitRekey(k: PushKeys, payloads: GdoiPayloadInput[], signer: RsaPrivateKey | null): Uint8Array {
  return sealRekey(k, signRekey(k.kekSpi, payloads, signer));
}

/** A member's acknowledgement of rekey `sequence`. */
export function emitRekeyAck(k: PushKeys, sequence: number): Uint8Array {
  const seq: GdoiPayloadInput = { type: "seq", sequence };
  const { firstPayload, bytes } = emitGdoiPayloads([seq, { type: "hash", data: ackHash(k.kekKey, sequence) }]);
  return seal(k.kekSpi, k.cipher, k.kekKey, k.iv, firstPayload, bytes);
}

function ackHash(kekKey: Uint8Array, sequence: number): Uint8Array {
  const seq = Uint8Array.of(sequence >>> 24, (sequence >>> 16) & 0xff, (sequence >>> 8) & 0xff, sequence & 0xff);
  return new Uint8Array(createHmac("sha1", kekKey).update(ACK_PREFIX).update(seq).digest());
}

/** A GROUPKEY-PUSH decrypted and walked; `signedPart` is what a SIG covers (null when there is none). */
export interface PushReceived {
  payloads: GdoiPayload[];
  sequence: number | null;
  signature: Uint8Array | null;
  signedPart: Uint8Array | null;
}

/** Decrypts and parses a GROUPKEY-PUSH with the KEK; a string says why it is not one. */
export function openPush(
  header: IsakmpHeader,
  body: Uint8Array,
  cipher: IkeCipher,
  kekKey: Uint8Array,
): PushReceived | string {
  if ((header.flags & ISAKMP_FLAG.ENCRYPTION) === 0) return "not encrypted";
  const block = ikeCipherBlockSize(cipher);
  if (body.length < 2 * block) return "too short for an IV and a block";
  const d = decryptIsakmpBody(cipher, kekKey, body.subarray(0, block), body.subarray(block));
  if (!d.ok) return "body is not a whole number of cipher blocks";
  const parsed = parseGdoiPayloads(header.nextPayload, d.plaintext);
  if (!parsed.ok) return parsed.error.detail;
  let sequence: number | null = null;
  let signature: Uint8Array | null = null;
  let signedPart: Uint8Array | null = null;
  let off = 0;
  for (const p of parsed.value) {
    if (p.type === "seq") sequence = p.sequence;
    if (p.type === "sig") {
      signature = p.data;
      const hdr = header_(header, ISAKMP_HEADER_LEN + off + 4 + p.data.length);
      signedPart = concat(REKEY_PREFIX, hdr, d.plaintext.subarray(0, off));
    }
    off += 4 + p.body.length;
  }
  return { payloads: parsed.value, sequence, signature, signedPart };
}

/** The header a signature covers: as received, with the plaintext length. */
function header_(h: IsakmpHeader, length: number): Uint8Array {
  return header(concat(h.initiatorCookie, h.responderCookie), length, h.nextPayload);
}

/** Whether a rekey's SIG verifies with the key server's public key. */
export function rekeySignatureValid(r: PushReceived, key: RsaPublicNumbers): boolean {
  return r.signature !== null && r.signedPart !== null && rsaVerifyDigest(key, "sha1", r.signedPart, r.signature);
}

/** Whether an acknowledgement's HASH is the KEK holder's. */
export function ackValid(r: PushReceived, kekKey: Uint8Array): boolean {
  const hash = r.payloads.find((p) => p.type === "hash");
  return hash?.type === "hash" && r.sequence !== null && equalConstantTime(hash.data, ackHash(kekKey, r.sequence));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
