// Phase-1 proposals: an ISAKMP policy as the transform IOS sends (one
// proposal, one transform per policy), and the responder's choice — its
// policies by lowest priority number, each checked against every offered
// transform, first match wins, lifetime the lower of the two — with the
// `debug crypto isakmp` lines IOS writes while it checks.

import type { IsakmpAttribute, IsakmpTransform } from "../../../wire/isakmp.ts";
import { IKE_ATTR, IKE_AUTH, IKE_ENCR, IKE_HASH, KEY_IKE, LIFE_TYPE } from "../../../wire/isakmp-constants.ts";
import type {
  IsakmpAuthentication,
  IsakmpEncryption,
  IsakmpGroup,
  IsakmpHash,
  IsakmpPolicy,
} from "../../ipsec/crypto-config.ts";

/** The attributes of one policy, in the order IOS sends them. */
export function policyAttributes(p: IsakmpPolicy): IsakmpAttribute[] {
  const attrs: IsakmpAttribute[] = [];
  const [encr, keyBits] = encryptionCode(p.encryption);
  attrs.push({ type: IKE_ATTR.ENCRYPTION, value: encr });
  if (keyBits !== null) attrs.push({ type: IKE_ATTR.KEY_LENGTH, value: keyBits });
  attrs.push({ type: IKE_ATTR.HASH, value: HASH_CODE[p.hash] });
  attrs.push({ type: IKE_ATTR.GROUP, value: p.group });
  attrs.push({
    type: IKE_ATTR.AUTH_METHOD,
    value: p.authentication === "pre-share" ? IKE_AUTH.PRE_SHARED : IKE_AUTH.RSA_SIG,
  });
  attrs.push({ type: IKE_ATTR.LIFE_TYPE, value: LIFE_TYPE.SECONDS });
  // IOS always sends the duration as a 4-byte variable attribute ("life duration (VPI)").
  attrs.push({ type: IKE_ATTR.LIFE_DURATION, value: u32Bytes(p.lifetimeSec) });
  return attrs;
}

/** The transforms of an initiator's proposal: one per policy, numbered from 1. */
export function policyTransforms(policies: readonly IsakmpPolicy[]): IsakmpTransform[] {
  return policies.map((p, i) => ({ number: i + 1, transformId: KEY_IKE, attributes: policyAttributes(p) }));
}

/** What a transform offers, decoded; null fields were absent or unknown. */
export interface OfferedPolicy {
  encryption: IsakmpEncryption | null;
  /** The encryption code when it is one IOS does not know (for the debug line). */
  encryptionCode: number;
  keyBits: number | null;
  hash: IsakmpHash | null;
  authentication: IsakmpAuthentication | null;
  group: number | null;
  lifetimeSec: number | null;
}

/** Decodes a phase-1 transform. */
export function decodeTransform(t: IsakmpTransform): OfferedPolicy {
  const o: OfferedPolicy = {
    encryption: null,
    encryptionCode: 0,
    keyBits: null,
    hash: null,
    authentication: null,
    group: null,
    lifetimeSec: null,
  };
  let lifeType = LIFE_TYPE.SECONDS as number;
  for (const a of t.attributes) {
    const v = attrNumber(a.value);
    switch (a.type) {
      case IKE_ATTR.ENCRYPTION:
        o.encryptionCode = v;
        break;
      case IKE_ATTR.KEY_LENGTH:
        o.keyBits = v;
        break;
      case IKE_ATTR.HASH:
        o.hash = hashName(v);
        break;
      case IKE_ATTR.AUTH_METHOD:
        o.authentication = v === IKE_AUTH.PRE_SHARED ? "pre-share" : v === IKE_AUTH.RSA_SIG ? "rsa-sig" : null;
        break;
      case IKE_ATTR.GROUP:
        o.group = v;
        break;
      case IKE_ATTR.LIFE_TYPE:
        lifeType = v;
        break;
      case IKE_ATTR.LIFE_DURATION:
        if (lifeType === LIFE_TYPE.SECONDS) o.lifetimeSec = v;
        break;
    }
  }
  o.encryption = encryptionName(o.encryptionCode, o.keyBits);
  return o;
}

/** The debug lines IOS prints for an offered transform's attributes. */
export function describeOffer(t: IsakmpTransform): string[] {
  const lines: string[] = [];
  let lifeType = LIFE_TYPE.SECONDS as number;
  for (const a of t.attributes) {
    const v = attrNumber(a.value);
    switch (a.type) {
      case IKE_ATTR.ENCRYPTION:
        lines.push(
          `ISAKMP:      encryption ${v === IKE_ENCR.AES ? "AES-CBC" : v === IKE_ENCR.TRIPLE_DES ? "3DES-CBC" : v === IKE_ENCR.DES ? "DES-CBC" : `unknown ${v}`}`,
        );
        break;
      case IKE_ATTR.KEY_LENGTH:
        lines.push(`ISAKMP:      keylength of ${v}`);
        break;
      case IKE_ATTR.HASH:
        lines.push(`ISAKMP:      hash ${HASH_TEXT[v] ?? `unknown ${v}`}`);
        break;
      case IKE_ATTR.GROUP:
        lines.push(`ISAKMP:      default group ${v}`);
        break;
      case IKE_ATTR.AUTH_METHOD:
        lines.push(
          `ISAKMP:      auth ${v === IKE_AUTH.PRE_SHARED ? "pre-share" : v === IKE_AUTH.RSA_SIG ? "RSA sig" : `unknown ${v}`}`,
        );
        break;
      case IKE_ATTR.LIFE_TYPE:
        lifeType = v;
        lines.push(`ISAKMP:      life type in ${v === LIFE_TYPE.SECONDS ? "seconds" : "kilobytes"}`);
        break;
      case IKE_ATTR.LIFE_DURATION: {
        const bytes = u32Bytes(v);
        lines.push(`ISAKMP:      life duration (VPI) of  ${[...bytes].map((b) => `0x${b.toString(16)}`).join(" ")} `);
        void lifeType;
        break;
      }
    }
  }
  return lines;
}

/** Outcome of the responder's walk over its policies. */
export interface PolicyChoice {
  /** The accepted transform (as offered) and the local policy it matched, or null: `no offers accepted!`. */
  accepted: { transform: IsakmpTransform; policy: IsakmpPolicy; lifetimeSec: number } | null;
  /** `debug crypto isakmp` lines of the walk. */
  debug: string[];
}

/** What the responder can authenticate with, besides a pre-shared key. */
export interface PolicyChoiceOptions {
  /** A trustpoint certificate with its key exists (rsa-sig offers can be taken). */
  certAvailable?: boolean;
  /** The peer's address as text, for IOS's `no keys ... with remote peer` line. */
  peer?: string;
}

/**
 * The responder's choice. `pskAvailable` says whether a pre-shared key exists
 * for the peer (IOS skips pre-share policies without one); rsa-sig policies
 * need a certificate of our own (`options.certAvailable`).
 */
export function choosePolicy(
  policies: readonly IsakmpPolicy[],
  offered: readonly IsakmpTransform[],
  pskAvailable: boolean,
  tag: string,
  options: PolicyChoiceOptions = {},
): PolicyChoice {
  const debug: string[] = [];
  for (const policy of policies) {
    for (const t of offered) {
      debug.push(`ISAKMP:${tag}:Checking ISAKMP transform ${t.number} against priority ${policy.priority} policy`);
      debug.push(...describeOffer(t));
      const o = decodeTransform(t);
      const why = mismatch(policy, o, pskAvailable, options);
      if (why !== null) {
        debug.push(`ISAKMP:${tag}:${why}`);
        debug.push(
          `ISAKMP:${tag}:atts are not acceptable. Next payload is ${t === offered[offered.length - 1] ? 0 : 3}`,
        );
        continue;
      }
      const lifetimeSec = Math.min(policy.lifetimeSec, o.lifetimeSec ?? policy.lifetimeSec);
      debug.push(`ISAKMP:${tag}:atts are acceptable. Next payload is ${t === offered[offered.length - 1] ? 0 : 3}`);
      return { accepted: { transform: t, policy, lifetimeSec }, debug };
    }
  }
  debug.push(`ISAKMP:${tag}:no offers accepted!`);
  return { accepted: null, debug };
}

/** Why an offer fails a policy, in IOS's words, or null when it matches. */
function mismatch(
  p: IsakmpPolicy,
  o: OfferedPolicy,
  pskAvailable: boolean,
  options: PolicyChoiceOptions,
): string | null {
  const [, keyBits] = encryptionCode(p.encryption);
  const [code] = encryptionCode(p.encryption);
  if (o.encryptionCode !== code) return "Encryption algorithm offered does not match policy!";
  if ((keyBits ?? null) !== (o.keyBits ?? null)) return "Proposed key length does not match policy";
  if (o.hash !== p.hash) return "Hash algorithm offered does not match policy!";
  if (o.authentication !== p.authentication)
    return o.authentication === "pre-share"
      ? "Preshared authentication offered but does not match policy!"
      : "Authentication method offered does not match policy!";
  if (o.authentication === "pre-share" && !pskAvailable) return "No pre-shared key with peer!";
  if (o.authentication === "rsa-sig" && options.certAvailable !== true)
    return `No cert, and no keys (public or pre-shared) with remote peer ${options.peer ?? ""}`.trimEnd();
  if (o.group !== p.group) return "Diffie-Hellman group offered does not match policy!";
  return null;
}

/**
 * The policies an initiator can offer, lowest priority number first:
 * pre-share ones when a pre-shared key exists for the peer, rsa-sig ones
 * when the router has a certificate to sign with.
 */
export function offerablePolicies(
  policies: readonly IsakmpPolicy[],
  haveKey: boolean,
  haveCert: boolean,
): IsakmpPolicy[] {
  return policies.filter((p) => (p.authentication === "pre-share" ? haveKey : haveCert));
}

/** The accepted transform as a policy (what both sides then use). */
export function policyFromOffer(o: OfferedPolicy, lifetimeSec: number): IsakmpPolicy | null {
  if (o.encryption === null || o.hash === null || o.authentication === null || o.group === null) return null;
  if (![1, 2, 5, 14, 15, 16].includes(o.group)) return null;
  return {
    priority: 0,
    encryption: o.encryption,
    hash: o.hash,
    authentication: o.authentication,
    group: o.group as IsakmpGroup,
    lifetimeSec,
  };
}

const HASH_CODE: Record<IsakmpHash, number> = {
  md5: IKE_HASH.MD5,
  sha: IKE_HASH.SHA,
  sha256: IKE_HASH.SHA2_256,
  sha384: IKE_HASH.SHA2_384,
  sha512: IKE_HASH.SHA2_512,
};
const HASH_TEXT: Record<number, string> = { 1: "MD5", 2: "SHA", 4: "SHA256", 5: "SHA384", 6: "SHA512" };

function hashName(v: number): IsakmpHash | null {
  for (const [k, c] of Object.entries(HASH_CODE)) if (c === v) return k as IsakmpHash;
  return null;
}

function encryptionCode(e: IsakmpEncryption): [number, number | null] {
  switch (e) {
    case "des":
      return [IKE_ENCR.DES, null];
    case "3des":
      return [IKE_ENCR.TRIPLE_DES, null];
    case "aes-128":
      return [IKE_ENCR.AES, 128];
    case "aes-192":
      return [IKE_ENCR.AES, 192];
    case "aes-256":
      return [IKE_ENCR.AES, 256];
  }
}

function encryptionName(code: number, keyBits: number | null): IsakmpEncryption | null {
  if (code === IKE_ENCR.DES) return "des";
  if (code === IKE_ENCR.TRIPLE_DES) return "3des";
  if (code === IKE_ENCR.AES)
    return keyBits === 128 ? "aes-128" : keyBits === 192 ? "aes-192" : keyBits === 256 ? "aes-256" : null;
  return null;
}

/** An attribute value as a number (variable-length values big-endian). */
export function attrNumber(v: number | Uint8Array): number {
  if (typeof v === "number") return v;
  let n = 0;
  for (const b of v) n = n * 256 + b;
  return n;
}

/** A 32-bit value as 4 big-endian bytes. */
export function u32Bytes(n: number): Uint8Array {
  return new Uint8Array([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}
