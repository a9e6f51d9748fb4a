// A GDOI group's policy and keys as they travel in GROUPKEY-PULL (RFC 6407):
// the key server turns its `sa ipsec` policy into an SA payload (an SA KEK
// when rekeys are configured, and one SA TEK per entry of the group's ACL)
// and its keys into a KD payload; the member reads them back.
//
// The downloaded ACL rides in the TEKs' traffic selectors, in ACL order: a
// permit entry is a TEK with the SA's SPI (encrypt with it), a deny entry a
// TEK with SPI 0, which RFC 4303 reserves so no SA can carry it (send in the
// clear). A TEK still live beside a rekey's newer one travels as the same
// permits again on its own SPI (the member keeps the first of equal entries).
// A selector carries one port, so an entry's `eq P` travels and any
// other port condition travels as "any port". Time-based anti-replay (TBAR)
// has no RFC 6407 attribute; its window travels in the private-use IPsec
// attribute class TBAR_WINDOW_ATTR (RFC 2407 4.5 reserves 32001-32767), and
// the key server's pseudotime beside it in TBAR_PSEUDOTIME_ATTR (milliseconds),
// in registrations and rekeys alike, as Cisco sends it under the SA TEK.

import type { AclEntry } from "../../dataplane/acl.ts";
import type { HashAlgorithm } from "../../fastpath/crypto/types.ts";
import {
  ADDRESS_PRESERVATION,
  GDOI_IPSEC_ATTR,
  GDOI_TEK_PROTO,
  type GdoiIdentity,
  type GdoiKdPayload,
  type GdoiPayloadInput,
  type GdoiSaPayload,
  KD_TYPE,
  KEK_ALG,
  KEK_ATTR,
  KEK_KEY_ATTR,
  KEK_SPI_LEN,
  SA_DIRECTION,
  SIG_ALG,
  SIG_HASH,
  TEK_KEY_ATTR,
} from "../../wire/gdoi.ts";
import { type IsakmpAttribute, isakmpAttrNumber } from "../../wire/isakmp.ts";
import { ID_TYPE, PROTO } from "../../wire/isakmp-constants.ts";
import { decodeProposal, transformSetProposals } from "../ike/v1/phase2-proposal.ts";
import type { EspIntegrityTransform, TransformSet } from "../ipsec/crypto-config.ts";
import type { RekeyCipher } from "./gdoi-config.ts";

/** Private-use IPsec attribute carrying the TBAR window in seconds. */
export const TBAR_WINDOW_ATTR = 32001;
/** Private-use IPsec attribute carrying the key server's pseudotime in milliseconds (TBAR). */
export const TBAR_PSEUDOTIME_ATTR = 32002;

/** One side of a downloaded ACL entry: address and mask, and a port (0: any). */
export interface GroupSelector {
  address: number;
  mask: number;
  port: number;
}

/** One entry of the ACL a member downloads. */
export interface GroupAce {
  action: "permit" | "deny";
  /** IP protocol, 0 for any. */
  protocol: number;
  src: GroupSelector;
  dst: GroupSelector;
  /** The TEK that encrypts a permit's traffic; 0 for a deny. */
  spi: number;
}

/** One TEK's policy (an `sa ipsec N`). */
export interface GroupTekPolicy {
  spi: number;
  /** The profile's transform set (ESP; GDOI's TEKs are tunnel mode with address preservation). */
  transform: TransformSet;
  lifetimeSec: number;
  /** `pseudotimeMs`: the key server's pseudotime when the policy was sent (time-based replay only). */
  replay: { kind: "time" | "counter"; window: number; pseudotimeMs?: number } | null;
}

/** The KEK's policy: the rekey SA. */
export interface GroupKekPolicy {
  /** 16 bytes: the cookies of GROUPKEY-PUSH messages. */
  spi: Uint8Array;
  cipher: RekeyCipher;
  lifetimeSec: number;
  /** Rekeys are sent to each member (unicast) rather than to a multicast group. */
  unicast: boolean;
  /** The multicast group rekeys go to (multicast transport with `rekey address ipv4`). */
  multicastGroup?: number;
  /** Where rekeys come from. */
  source: number;
  /** Length of the signing key's public key in bytes (0 without `rekey authentication`). */
  sigKeyBytes: number;
}

/** What a member registers for: TEKs, the ACL, and the KEK when the group rekeys. */
export interface GroupPolicy {
  kek: GroupKekPolicy | null;
  teks: GroupTekPolicy[];
  acl: GroupAce[];
  /** The key server's `sa receive-only`: the TEKs' SA_DIRECTION is RECEIVER_ONLY (else SYMMETRIC). */
  receiveOnly?: boolean;
}

/** Key material of the policy's SAs. */
export interface GroupKeys {
  teks: Map<number, { encryptionKey: Uint8Array; integrityKey: Uint8Array }>;
  kek: Uint8Array | null;
  /** The key server's public key that signs rekeys (DER SubjectPublicKeyInfo), sent with the KEK. */
  sigKey: Uint8Array | null;
}

/** The downloaded form of an ACL entry (null for one GDOI cannot carry: a standard list's missing destination is any). */
export function groupAceFrom(e: AclEntry, spi: number): GroupAce {
  const side = (m: { address: number; wildcard: number }, port: AclEntry["sourcePort"]): GroupSelector => ({
    address: (m.address & ~m.wildcard) >>> 0,
    mask: ~m.wildcard >>> 0,
    port: port !== undefined && port.op === "eq" && port.ports.length === 1 ? port.ports[0]! : 0,
  });
  return {
    action: e.action,
    protocol: e.protocol ?? 0,
    src: side(e.source, e.sourcePort),
    dst: side(e.destination ?? { address: 0, wildcard: 0xffffffff }, e.destinationPort),
    spi: e.action === "permit" ? spi : 0,
  };
}

function u32(v: number): Uint8Array {
  return Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}
function readU32(b: Uint8Array, at = 0): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

function identity(s: GroupSelector): GdoiIdentity {
  return { idType: ID_TYPE.IPV4_ADDR_SUBNET, port: s.port, data: new Uint8Array([...u32(s.address), ...u32(s.mask)]) };
}

function selector(id: GdoiIdentity): GroupSelector | null {
  if (id.idType === ID_TYPE.IPV4_ADDR_SUBNET && id.data.length === 8)
    return { address: readU32(id.data), mask: readU32(id.data, 4), port: id.port };
  if (id.idType === ID_TYPE.IPV4_ADDR && id.data.length === 4)
    return { address: readU32(id.data), mask: 0xffffffff, port: id.port };
  return null;
}

const KEK_CIPHER: Record<RekeyCipher, { alg: number; bits: number }> = {
  "3des": { alg: KEK_ALG.TRIPLE_DES, bits: 192 },
  "aes 128": { alg: KEK_ALG.AES, bits: 128 },
  "aes 192": { alg: KEK_ALG.AES, bits: 192 },
  "aes 256": { alg: KEK_ALG.AES, bits: 256 },
};

function sameSelectors(a: GroupAce, b: GroupAce): boolean {
  return (
    a.action === b.action &&
    a.protocol === b.protocol &&
    a.src.address === b.src.address &&
    a.src.mask === b.src.mask &&
    a.src.port === b.src.port &&
    a.dst.address === b.dst.address &&
    a.dst.mask === b.dst.mask &&
    a.dst.port === b.dst.port
  );
}

/** The SA payload of GROUPKEY-PULL message 2 for a policy. */
export function policyPayload(p: GroupPolicy): GdoiPayloadInput {
  const tekAttrs = new Map<number, { transformId: number; attributes: IsakmpAttribute[] }>();
  for (const t of p.teks) {
    const proposal = transformSetProposals(
      t.transform,
      1,
      { spi: t.spi },
      { mode: "tunnel", lifetimeSec: t.lifetimeSec, lifetimeKb: 4608000, pfsGroup: null },
    )[0]!;
    const attributes = [
      ...proposal.transforms[0]!.attributes,
      { type: GDOI_IPSEC_ATTR.ADDRESS_PRESERVATION, value: ADDRESS_PRESERVATION.SOURCE_AND_DESTINATION },
      {
        type: GDOI_IPSEC_ATTR.SA_DIRECTION,
        value: p.receiveOnly === true ? SA_DIRECTION.RECEIVER_ONLY : SA_DIRECTION.SYMMETRIC,
      },
    ];
    if (t.replay?.kind === "time") attributes.push({ type: TBAR_WINDOW_ATTR, value: t.replay.window });
    if (t.replay?.kind === "time" && t.replay.pseudotimeMs !== undefined)
      attributes.push({ type: TBAR_PSEUDOTIME_ATTR, value: u32(t.replay.pseudotimeMs) });
    tekAttrs.set(t.spi, { transformId: proposal.transforms[0]!.transformId, attributes });
  }
  const first = tekAttrs.values().next().value;
  const teks = p.acl.map((ace) => {
    const t = tekAttrs.get(ace.spi) ?? first!;
    return {
      protocolId: GDOI_TEK_PROTO.IPSEC_ESP,
      protocol: ace.protocol,
      src: identity(ace.src),
      dst: identity(ace.dst),
      transformId: t.transformId,
      spi: u32(ace.spi),
      attributes: t.attributes,
    };
  });
  let kek = null;
  if (p.kek !== null) {
    const k = p.kek;
    const c = KEK_CIPHER[k.cipher];
    const attributes: IsakmpAttribute[] = [
      { type: KEK_ATTR.ALGORITHM, value: c.alg },
      { type: KEK_ATTR.KEY_LENGTH, value: c.bits },
      { type: KEK_ATTR.KEY_LIFETIME, value: k.lifetimeSec },
    ];
    if (k.sigKeyBytes > 0)
      attributes.push(
        { type: KEK_ATTR.SIG_HASH_ALGORITHM, value: SIG_HASH.SHA1 },
        { type: KEK_ATTR.SIG_ALGORITHM, value: SIG_ALG.RSA },
        { type: KEK_ATTR.SIG_KEY_LENGTH, value: k.sigKeyBytes },
      );
    kek = {
      protocol: 17,
      src: { idType: ID_TYPE.IPV4_ADDR, port: 848, data: u32(k.source) },
      // Unicast rekeys go to each member: the destination is left unspecified (the multicast group otherwise).
      dst: { idType: ID_TYPE.IPV4_ADDR, port: 848, data: u32(k.multicastGroup ?? 0) },
      spi: k.spi,
      attributes,
    };
  }
  return { type: "gdoiSa", situation: 0, kek, teks, gap: null };
}

const INTEGRITY: Record<HashAlgorithm, EspIntegrityTransform> = {
  md5: "esp-md5-hmac",
  sha1: "esp-sha-hmac",
  sha256: "esp-sha256-hmac",
  sha384: "esp-sha384-hmac",
  sha512: "esp-sha512-hmac",
};

/** Reads a policy from an SA payload; a string says what a member cannot accept. */
export function policyFromPayload(sa: Omit<GdoiSaPayload, "body">): GroupPolicy | string {
  const teks = new Map<number, GroupTekPolicy>();
  const acl: GroupAce[] = [];
  let receiveOnly = false;
  for (const t of sa.teks) {
    if (t.protocolId !== GDOI_TEK_PROTO.IPSEC_ESP) return "TEK is not ESP";
    const src = selector(t.src);
    const dst = selector(t.dst);
    if (src === null || dst === null) return "TEK selector is not IPv4";
    const spi = readU32(t.spi);
    const ace: GroupAce = { action: spi === 0 ? "deny" : "permit", protocol: t.protocol, src, dst, spi };
    // An entry repeated on another SPI only carries an older TEK: the ACL keeps the first.
    if (!acl.some((a) => sameSelectors(a, ace))) acl.push(ace);
    if (spi === 0 || teks.has(spi)) continue;
    const direction = t.attributes.find((a) => a.type === GDOI_IPSEC_ATTR.SA_DIRECTION);
    if (direction !== undefined && isakmpAttrNumber(direction) === SA_DIRECTION.RECEIVER_ONLY) receiveOnly = true;
    const offer = decodeProposal({
      number: 1,
      protocolId: PROTO.IPSEC_ESP,
      spi: t.spi,
      transforms: [{ number: 1, transformId: t.transformId, attributes: t.attributes }],
    });
    if (offer === null || offer.encryption === null) return `TEK ${spi} has a transform this member cannot use`;
    const tbar = t.attributes.find((a) => a.type === TBAR_WINDOW_ATTR);
    const window = tbar === undefined ? undefined : isakmpAttrNumber(tbar);
    const stamp = t.attributes.find((a) => a.type === TBAR_PSEUDOTIME_ATTR);
    const pseudotimeMs = stamp === undefined ? undefined : isakmpAttrNumber(stamp);
    teks.set(spi, {
      spi,
      transform: {
        name: "",
        espEncryption: offer.encryption,
        ...(offer.integrity === null ? {} : { espIntegrity: INTEGRITY[offer.integrity] }),
        mode: "tunnel",
      },
      lifetimeSec: offer.lifetimeSec ?? 3600,
      replay:
        window === undefined ? null : { kind: "time", window, ...(pseudotimeMs === undefined ? {} : { pseudotimeMs }) },
    });
  }
  let kek: GroupKekPolicy | null = null;
  if (sa.kek !== null) {
    const attr = (type: number): number | undefined => {
      const a = sa.kek!.attributes.find((x) => x.type === type);
      return a === undefined ? undefined : isakmpAttrNumber(a);
    };
    const alg = attr(KEK_ATTR.ALGORITHM);
    const bits = attr(KEK_ATTR.KEY_LENGTH) ?? 128;
    const cipher: RekeyCipher | undefined =
      alg === KEK_ALG.TRIPLE_DES ? "3des" : alg === KEK_ALG.AES ? (`aes ${bits}` as RekeyCipher) : undefined;
    if (cipher === undefined || KEK_CIPHER[cipher] === undefined) return "KEK cipher not supported";
    if (sa.kek.spi.length !== KEK_SPI_LEN) return "KEK SPI is not 16 bytes";
    const src = selector(sa.kek.src);
    const dst = selector(sa.kek.dst);
    const multicast = dst !== null && dst.address >>> 28 === 0xe;
    kek = {
      spi: sa.kek.spi,
      cipher,
      lifetimeSec: attr(KEK_ATTR.KEY_LIFETIME) ?? 86400,
      unicast: !multicast,
      ...(multicast ? { multicastGroup: dst.address >>> 0 } : {}),
      source: src?.address ?? 0,
      sigKeyBytes: attr(KEK_ATTR.SIG_KEY_LENGTH) ?? 0,
    };
  }
  return { kek, teks: [...teks.values()], acl, receiveOnly };
}

/** The KD payload of GROUPKEY-PULL message 4. */
export function keysPayload(p: GroupPolicy, keys: GroupKeys): GdoiPayloadInput {
  const packets: Array<{ kdType: number; spi: Uint8Array; attributes: IsakmpAttribute[] }> = p.teks.map((t) => {
    const k = keys.teks.get(t.spi)!;
    const attributes: IsakmpAttribute[] = [{ type: TEK_KEY_ATTR.ALGORITHM_KEY, value: k.encryptionKey }];
    if (k.integrityKey.length > 0) attributes.push({ type: TEK_KEY_ATTR.INTEGRITY_KEY, value: k.integrityKey });
    return { kdType: KD_TYPE.TEK, spi: u32(t.spi), attributes };
  });
  if (p.kek !== null && keys.kek !== null)
    packets.push({
      kdType: KD_TYPE.KEK,
      spi: p.kek.spi,
      attributes: [
        { type: KEK_KEY_ATTR.ALGORITHM_KEY, value: keys.kek },
        ...(keys.sigKey === null ? [] : [{ type: KEK_KEY_ATTR.SIGNATURE_KEY, value: keys.sigKey }]),
      ],
    });
  return { type: "kd", packets };
}

/** Reads keys from a KD payload; key sizes are checked against the policy when installing. */
export function keysFromPayload(kd: Omit<GdoiKdPayload, "body">): GroupKeys {
  const keys: GroupKeys = { teks: new Map(), kek: null, sigKey: null };
  const bytes = (as: IsakmpAttribute[], type: number): Uint8Array => {
    const v = as.find((a) => a.type === type)?.value;
    return v instanceof Uint8Array ? v : new Uint8Array(0);
  };
  for (const k of kd.packets) {
    if (k.kdType === KD_TYPE.TEK && k.spi.length === 4)
      keys.teks.set(readU32(k.spi), {
        encryptionKey: bytes(k.attributes, TEK_KEY_ATTR.ALGORITHM_KEY),
        integrityKey: bytes(k.attributes, TEK_KEY_ATTR.INTEGRITY_KEY),
      });
    else if (k.kdType === KD_TYPE.KEK) {
      keys.kek = bytes(k.attributes, KEK_KEY_ATTR.ALGORITHM_KEY);
      const sig = bytes(k.attributes, KEK_KEY_ATTR.SIGNATURE_KEY);
      keys.sigKey = sig.length > 0 ? sig : null;
    }
  }
  return keys;
}

/** Bytes of a KEK key for its cipher. */
export function kekKeyBytes(cipher: RekeyCipher): number {
  return KEK_CIPHER[cipher].bits / 8;
}
