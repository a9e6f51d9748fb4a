// Phase-2 proposals: a transform set as the quick-mode proposal IOS sends
// (one proposal per set, numbered in the crypto map's order, our inbound SPI
// in it), decoding what a peer offers, and the responder's test of an offer
// against its own transform sets, with the `debug crypto isakmp` lines.

import type { HashAlgorithm } from "../../../fastpath/crypto/types.ts";
import type { IsakmpAttribute, IsakmpProposal } from "../../../wire/isakmp.ts";
import {
  AH_TRANSFORM,
  AUTH_ALG,
  ENCAPSULATION,
  ESP_TRANSFORM,
  IPSEC_ATTR,
  LIFE_TYPE,
  PROTO,
} from "../../../wire/isakmp-constants.ts";
import { type EspEncryptionTransform, hashAlgorithmOf, type TransformSet } from "../../ipsec/crypto-config.ts";
import { attrNumber, u32Bytes } from "./phase1-policy.ts";

/** What one proposal offers. */
export interface Phase2Offer {
  number: number;
  protocol: "esp" | "ah";
  /** ESP encryption (null for AH or ESP-NULL). */
  encryption: EspEncryptionTransform | null;
  integrity: HashAlgorithm | null;
  mode: "tunnel" | "transport";
  /** UDP-encapsulated tunnel or transport (NAT traversal, RFC 3947). */
  udpEncap: boolean;
  lifetimeSec: number | null;
  lifetimeKb: number | null;
  group: number | null;
  /** The SPI the proposer will receive on. */
  spi: number;
}

/** Lifetimes and PFS group a quick mode proposes. */
export interface Phase2Terms {
  mode: "tunnel" | "transport";
  lifetimeSec: number;
  lifetimeKb: number;
  pfsGroup: number | null;
  /** NAT detected: ask for the UDP-encapsulated mode (RFC 3947 5.1). */
  udpEncap?: boolean;
}

/** The protocol a transform set negotiates first-hand: ESP unless it is AH only (an AH+ESP bundle's ESP half). */
export function transformSetProtocol(ts: TransformSet): "esp" | "ah" {
  return ts.espEncryption !== undefined || ts.espIntegrity !== undefined ? "esp" : "ah";
}

/** Whether a transform set is an AH+ESP bundle (`ah-sha-hmac esp-aes esp-sha-hmac`): AH over ESP, two SAs each way. */
export function isAhEspBundle(ts: TransformSet): boolean {
  return ts.ah !== undefined && transformSetProtocol(ts) === "esp";
}

/** SPIs we receive on: the transform set's own protocol, and AH's for a bundle. */
export interface ProposalSpis {
  spi: number;
  ahSpi?: number;
}

/**
 * The proposals of one transform set: one, or for an AH+ESP bundle two with
 * the same number (RFC 2408 4.2: same-numbered proposals are a logical AND),
 * AH first as IOS sends them.
 */
export function transformSetProposals(
  ts: TransformSet,
  number: number,
  spis: ProposalSpis,
  terms: Phase2Terms,
): IsakmpProposal[] {
  const primary = protocolProposal(ts, transformSetProtocol(ts), number, spis.spi, terms);
  if (!isAhEspBundle(ts)) return [primary];
  // AH cannot cross a NAT (it signs the addresses): it is never UDP-encapsulated.
  return [protocolProposal(ts, "ah", number, spis.ahSpi ?? spis.spi, { ...terms, udpEncap: false }), primary];
}

/** The proposal of one protocol of a transform set. */
function protocolProposal(
  ts: TransformSet,
  protocol: "esp" | "ah",
  number: number,
  spi: number,
  terms: Phase2Terms,
): IsakmpProposal {
  const attributes: IsakmpAttribute[] = [
    { type: IPSEC_ATTR.ENCAPSULATION, value: encapsulationCode(terms.mode, terms.udpEncap === true) },
    { type: IPSEC_ATTR.LIFE_TYPE, value: LIFE_TYPE.SECONDS },
    {
      type: IPSEC_ATTR.LIFE_DURATION,
      value: terms.lifetimeSec < 0x10000 ? terms.lifetimeSec : u32Bytes(terms.lifetimeSec),
    },
    { type: IPSEC_ATTR.LIFE_TYPE, value: LIFE_TYPE.KILOBYTES },
    { type: IPSEC_ATTR.LIFE_DURATION, value: u32Bytes(terms.lifetimeKb) },
  ];
  let transformId: number;
  if (protocol === "esp") {
    if (ts.espIntegrity !== undefined)
      attributes.push({ type: IPSEC_ATTR.AUTH_ALGORITHM, value: AUTH_CODE[hashAlgorithmOf(ts.espIntegrity)] });
    const enc = ts.espEncryption ?? "esp-null";
    transformId = ESP_ID[enc];
    const bits = aesBits(enc);
    if (bits !== null) attributes.push({ type: IPSEC_ATTR.KEY_LENGTH, value: bits });
  } else {
    const hash = hashAlgorithmOf(ts.ah!);
    transformId = AH_ID[hash];
    attributes.push({ type: IPSEC_ATTR.AUTH_ALGORITHM, value: AUTH_CODE[hash] });
  }
  if (terms.pfsGroup !== null) attributes.push({ type: IPSEC_ATTR.GROUP, value: terms.pfsGroup });
  return {
    number,
    protocolId: protocol === "esp" ? PROTO.IPSEC_ESP : PROTO.IPSEC_AH,
    spi: u32Bytes(spi),
    transforms: [{ number: 1, transformId, attributes }],
  };
}

/** One proposal number's offers: one protocol, or AH and ESP together. */
export interface Phase2Bundle {
  number: number;
  /** The transform set's own protocol (ESP for a bundle). */
  primary: Phase2Offer;
  /** The AH half of an AH+ESP bundle. */
  ah: Phase2Offer | null;
}

/** Groups an SA payload's proposals by number; a group that does not decode, or is not ESP, AH or AH+ESP, is left out. */
export function decodeBundles(proposals: readonly IsakmpProposal[]): Phase2Bundle[] {
  const byNumber = new Map<number, (Phase2Offer | null)[]>();
  for (const p of proposals) {
    const list = byNumber.get(p.number) ?? [];
    list.push(decodeProposal(p));
    byNumber.set(p.number, list);
  }
  const out: Phase2Bundle[] = [];
  for (const [number, offers] of byNumber) {
    if (offers.some((o) => o === null)) continue;
    const ok = offers as Phase2Offer[];
    const esp = ok.filter((o) => o.protocol === "esp");
    const ah = ok.filter((o) => o.protocol === "ah");
    if (ok.length === 1) out.push({ number, primary: ok[0]!, ah: null });
    else if (ok.length === 2 && esp.length === 1 && ah.length === 1) out.push({ number, primary: esp[0]!, ah: ah[0]! });
  }
  return out;
}

/** Whether a bundle of offers is what a transform set (in the mode it would negotiate) says. */
export function bundleMatches(ts: TransformSet, mode: "tunnel" | "transport", bundle: Phase2Bundle): boolean {
  if (isAhEspBundle(ts) !== (bundle.ah !== null)) return false;
  if (!offerMatches(ts, mode, bundle.primary)) return false;
  return bundle.ah === null || (bundle.ah.mode === mode && hashAlgorithmOf(ts.ah!) === bundle.ah.integrity);
}

/** Decodes a proposal's first transform; null when it is not ESP/AH with a known transform. */
export function decodeProposal(p: IsakmpProposal): Phase2Offer | null {
  const t = p.transforms[0];
  if (t === undefined || p.spi.length !== 4) return null;
  let protocol: "esp" | "ah";
  let encryption: EspEncryptionTransform | null = null;
  let integrity: HashAlgorithm | null = null;
  let keyBits: number | null = null;
  let mode: "tunnel" | "transport" = "tunnel";
  let udpEncap = false;
  let lifetimeSec: number | null = null;
  let lifetimeKb: number | null = null;
  let group: number | null = null;
  let lifeType = LIFE_TYPE.SECONDS as number;
  for (const a of t.attributes) {
    const v = attrNumber(a.value);
    switch (a.type) {
      case IPSEC_ATTR.ENCAPSULATION:
        mode =
          v === ENCAPSULATION.TRANSPORT || v === ENCAPSULATION.UDP_TRANSPORT || v === ENCAPSULATION.UDP_TRANSPORT_DRAFT
            ? "transport"
            : "tunnel";
        udpEncap =
          v === ENCAPSULATION.UDP_TUNNEL ||
          v === ENCAPSULATION.UDP_TRANSPORT ||
          v === ENCAPSULATION.UDP_TUNNEL_DRAFT ||
          v === ENCAPSULATION.UDP_TRANSPORT_DRAFT;
        break;
      case IPSEC_ATTR.LIFE_TYPE:
        lifeType = v;
        break;
      case IPSEC_ATTR.LIFE_DURATION:
        if (lifeType === LIFE_TYPE.SECONDS) lifetimeSec = v;
        else lifetimeKb = v;
        break;
      case IPSEC_ATTR.AUTH_ALGORITHM:
        integrity = AUTH_HASH[v] ?? null;
        break;
      case IPSEC_ATTR.KEY_LENGTH:
        keyBits = v;
        break;
      case IPSEC_ATTR.GROUP:
        group = v;
        break;
    }
  }
  if (p.protocolId === PROTO.IPSEC_ESP) {
    protocol = "esp";
    if (t.transformId === ESP_TRANSFORM.DES) encryption = "esp-des";
    else if (t.transformId === ESP_TRANSFORM.TRIPLE_DES) encryption = "esp-3des";
    else if (t.transformId === ESP_TRANSFORM.NULL) encryption = "esp-null";
    else if (t.transformId === ESP_TRANSFORM.AES)
      encryption =
        keyBits === 256
          ? "esp-aes-256"
          : keyBits === 192
            ? "esp-aes-192"
            : keyBits === 128 || keyBits === null
              ? "esp-aes"
              : null;
    if (encryption === null) return null;
  } else if (p.protocolId === PROTO.IPSEC_AH) {
    protocol = "ah";
    if (integrity === null) return null;
  } else {
    return null;
  }
  const spi = ((p.spi[0]! << 24) | (p.spi[1]! << 16) | (p.spi[2]! << 8) | p.spi[3]!) >>> 0;
  return { number: p.number, protocol, encryption, integrity, mode, udpEncap, lifetimeSec, lifetimeKb, group, spi };
}

/** Whether an offer is what a transform set (in the mode it would negotiate) says. */
export function offerMatches(ts: TransformSet, mode: "tunnel" | "transport", offer: Phase2Offer): boolean {
  if (transformSetProtocol(ts) !== offer.protocol || mode !== offer.mode) return false;
  if (offer.protocol === "ah") return ts.ah !== undefined && hashAlgorithmOf(ts.ah) === offer.integrity;
  if ((ts.espEncryption ?? "esp-null") !== offer.encryption) return false;
  const integrity = ts.espIntegrity === undefined ? null : hashAlgorithmOf(ts.espIntegrity);
  return integrity === offer.integrity;
}

/** IOS's debug lines for a phase-2 transform. */
export function describeProposal(p: IsakmpProposal, tag: string): string[] {
  const t = p.transforms[0];
  const lines = [`ISAKMP:${tag}:Checking IPSec proposal ${p.number}`];
  if (t === undefined) return lines;
  const name =
    p.protocolId === PROTO.IPSEC_ESP
      ? (ESP_NAME[t.transformId] ?? `ESP transform ${t.transformId}`)
      : (AH_NAME[t.transformId] ?? `AH transform ${t.transformId}`);
  lines.push(`ISAKMP: transform ${t.number}, ${name} `, "ISAKMP:   attributes in transform:");
  let lifeType = LIFE_TYPE.SECONDS as number;
  for (const a of t.attributes) {
    const v = attrNumber(a.value);
    switch (a.type) {
      case IPSEC_ATTR.ENCAPSULATION:
        lines.push(`ISAKMP:      encaps is ${v} (${ENCAPSULATION_TEXT[v] ?? "Tunnel"})`);
        break;
      case IPSEC_ATTR.LIFE_TYPE:
        lifeType = v;
        lines.push(`ISAKMP:      SA life type in ${v === LIFE_TYPE.SECONDS ? "seconds" : "kilobytes"}`);
        break;
      case IPSEC_ATTR.LIFE_DURATION:
        // IOS prints short values as basic attributes and longer ones as the four bytes of a variable one.
        lines.push(
          v <= 0xffff
            ? `ISAKMP:      SA life duration (basic) of ${v}`
            : `ISAKMP:      SA life duration (VPI) of  ${[...u32Bytes(v)].map((b) => `0x${b.toString(16)}`).join(" ")} `,
        );
        void lifeType;
        break;
      case IPSEC_ATTR.AUTH_ALGORITHM:
        lines.push(`ISAKMP:      authenticator is ${AUTH_TEXT[v] ?? `unknown ${v}`}`);
        break;
      case IPSEC_ATTR.KEY_LENGTH:
        lines.push(`ISAKMP:      key length is ${v}`);
        break;
      case IPSEC_ATTR.GROUP:
        lines.push(`ISAKMP:      group is ${v}`);
        break;
    }
  }
  return lines;
}

/** The transform as IOS names it in `show crypto ipsec sa` and debug (`esp-192-aes esp-sha-hmac`). */
export function transformText(ts: TransformSet): string {
  const parts: string[] = [];
  if (ts.ah !== undefined) parts.push(ts.ah);
  if (ts.espEncryption !== undefined) parts.push(ESP_TEXT[ts.espEncryption]);
  if (ts.espIntegrity !== undefined) parts.push(ts.espIntegrity);
  return parts.join(" ");
}

/** The key lengths KEYMAT must supply for one protocol of a transform set (its own by default): encryption, then integrity. */
export function keyLengths(
  ts: TransformSet,
  protocol = transformSetProtocol(ts),
): { encryption: number; integrity: number } {
  const enc = protocol === "esp" ? ts.espEncryption : undefined;
  const encryption =
    enc === undefined || enc === "esp-null"
      ? 0
      : enc === "esp-des"
        ? 8
        : enc === "esp-3des"
          ? 24
          : enc === "esp-aes"
            ? 16
            : enc === "esp-aes-192"
              ? 24
              : 32;
  const mac = protocol === "esp" ? ts.espIntegrity : ts.ah;
  const integrity =
    mac === undefined ? 0 : { md5: 16, sha1: 20, sha256: 32, sha384: 48, sha512: 64 }[hashAlgorithmOf(mac)];
  return { encryption, integrity };
}

const ESP_ID: Record<EspEncryptionTransform, number> = {
  "esp-des": ESP_TRANSFORM.DES,
  "esp-3des": ESP_TRANSFORM.TRIPLE_DES,
  "esp-null": ESP_TRANSFORM.NULL,
  "esp-aes": ESP_TRANSFORM.AES,
  "esp-aes-192": ESP_TRANSFORM.AES,
  "esp-aes-256": ESP_TRANSFORM.AES,
};
const ESP_TEXT: Record<EspEncryptionTransform, string> = {
  "esp-des": "esp-des",
  "esp-3des": "esp-3des",
  "esp-null": "esp-null",
  "esp-aes": "esp-aes",
  "esp-aes-192": "esp-192-aes",
  "esp-aes-256": "esp-256-aes",
};
const ESP_NAME: Record<number, string> = {
  [ESP_TRANSFORM.DES]: "ESP_DES",
  [ESP_TRANSFORM.TRIPLE_DES]: "ESP_3DES",
  [ESP_TRANSFORM.NULL]: "ESP_NULL",
  [ESP_TRANSFORM.AES]: "ESP_AES",
};
const AH_NAME: Record<number, string> = {
  [AH_TRANSFORM.MD5]: "AH_MD5",
  [AH_TRANSFORM.SHA]: "AH_SHA",
  [AH_TRANSFORM.SHA2_256]: "AH_SHA256",
  [AH_TRANSFORM.SHA2_384]: "AH_SHA384",
  [AH_TRANSFORM.SHA2_512]: "AH_SHA512",
};
const AUTH_CODE: Record<HashAlgorithm, number> = {
  md5: AUTH_ALG.HMAC_MD5,
  sha1: AUTH_ALG.HMAC_SHA,
  sha256: AUTH_ALG.HMAC_SHA2_256,
  sha384: AUTH_ALG.HMAC_SHA2_384,
  sha512: AUTH_ALG.HMAC_SHA2_512,
};
const AUTH_HASH: Record<number, HashAlgorithm> = {
  [AUTH_ALG.HMAC_MD5]: "md5",
  [AUTH_ALG.HMAC_SHA]: "sha1",
  [AUTH_ALG.HMAC_SHA2_256]: "sha256",
  [AUTH_ALG.HMAC_SHA2_384]: "sha384",
  [AUTH_ALG.HMAC_SHA2_512]: "sha512",
};
const AUTH_TEXT: Record<number, string> = {
  [AUTH_ALG.HMAC_MD5]: "HMAC-MD5",
  [AUTH_ALG.HMAC_SHA]: "HMAC-SHA",
  [AUTH_ALG.HMAC_SHA2_256]: "HMAC-SHA256",
  [AUTH_ALG.HMAC_SHA2_384]: "HMAC-SHA384",
  [AUTH_ALG.HMAC_SHA2_512]: "HMAC-SHA512",
};
const AH_ID: Record<HashAlgorithm, number> = {
  md5: AH_TRANSFORM.MD5,
  sha1: AH_TRANSFORM.SHA,
  sha256: AH_TRANSFORM.SHA2_256,
  sha384: AH_TRANSFORM.SHA2_384,
  sha512: AH_TRANSFORM.SHA2_512,
};

const ENCAPSULATION_TEXT: Record<number, string> = {
  [ENCAPSULATION.TUNNEL]: "Tunnel",
  [ENCAPSULATION.TRANSPORT]: "Transport",
  [ENCAPSULATION.UDP_TUNNEL]: "Tunnel-UDP",
  [ENCAPSULATION.UDP_TRANSPORT]: "Transport-UDP",
  [ENCAPSULATION.UDP_TUNNEL_DRAFT]: "Tunnel-UDP",
  [ENCAPSULATION.UDP_TRANSPORT_DRAFT]: "Transport-UDP",
};

/** The encapsulation-mode attribute value of a mode, UDP-encapsulated or not. */
function encapsulationCode(mode: "tunnel" | "transport", udp: boolean): number {
  if (udp) return mode === "tunnel" ? ENCAPSULATION.UDP_TUNNEL : ENCAPSULATION.UDP_TRANSPORT;
  return mode === "tunnel" ? ENCAPSULATION.TUNNEL : ENCAPSULATION.TRANSPORT;
}

function aesBits(e: EspEncryptionTransform): number | null {
  return e === "esp-aes" ? 128 : e === "esp-aes-192" ? 192 : e === "esp-aes-256" ? 256 : null;
}
