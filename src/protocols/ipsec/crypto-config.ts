// What `crypto ...` configuration says, as a model the IKE engine and the
// crypto-map data plane read and `show running-config` prints back: ISAKMP
// policies and keys (phase 1), transform sets, crypto maps and dynamic maps
// (phase 2), which interfaces carry which map, and the PKI (keys,
// trustpoints, peers' public keys) rsa-sig uses. No protocol state here.

import type { AccessList } from "../../dataplane/acl.ts";
import type { CbcAlgorithm, HashAlgorithm } from "../../fastpath/crypto/types.ts";
import { PkiConfig } from "../pki/pki-config.ts";

/** Phase-1 encryption as `encryption des|3des|aes [128|192|256]` names it. */
export type IsakmpEncryption = "des" | "3des" | "aes-128" | "aes-192" | "aes-256";
/** Phase-1 hash: `hash md5|sha|sha256|sha384|sha512`. */
export type IsakmpHash = "md5" | "sha" | "sha256" | "sha384" | "sha512";
/** Phase-1 authentication: `authentication pre-share|rsa-sig`. */
export type IsakmpAuthentication = "pre-share" | "rsa-sig";
/** DH groups IOS offers for IKEv1. */
export type IsakmpGroup = 1 | 2 | 5 | 14 | 15 | 16;

/** `crypto isakmp policy N`. Defaults are IOS's: des, sha, rsa-sig, group 1, 86400 s. */
export interface IsakmpPolicy {
  priority: number;
  encryption: IsakmpEncryption;
  hash: IsakmpHash;
  authentication: IsakmpAuthentication;
  group: IsakmpGroup;
  lifetimeSec: number;
}

/** A new policy with IOS's defaults. */
export function defaultIsakmpPolicy(priority: number): IsakmpPolicy {
  return { priority, encryption: "des", hash: "sha", authentication: "rsa-sig", group: 1, lifetimeSec: 86400 };
}

/**
 * IOS 15's default protection suites (priorities 65507–65514), used while no
 * policy is configured unless `no crypto isakmp default policy`.
 */
export const DEFAULT_ISAKMP_POLICIES: readonly IsakmpPolicy[] = [
  { priority: 65507, encryption: "aes-256", hash: "sha", authentication: "rsa-sig", group: 5, lifetimeSec: 86400 },
  { priority: 65508, encryption: "aes-256", hash: "sha", authentication: "pre-share", group: 5, lifetimeSec: 86400 },
  { priority: 65509, encryption: "aes-128", hash: "sha", authentication: "rsa-sig", group: 5, lifetimeSec: 86400 },
  { priority: 65510, encryption: "aes-128", hash: "sha", authentication: "pre-share", group: 5, lifetimeSec: 86400 },
  { priority: 65511, encryption: "3des", hash: "sha", authentication: "rsa-sig", group: 2, lifetimeSec: 86400 },
  { priority: 65512, encryption: "3des", hash: "sha", authentication: "pre-share", group: 2, lifetimeSec: 86400 },
  { priority: 65513, encryption: "des", hash: "sha", authentication: "rsa-sig", group: 1, lifetimeSec: 86400 },
  { priority: 65514, encryption: "des", hash: "sha", authentication: "pre-share", group: 1, lifetimeSec: 86400 },
];

/**
 * IOS's default protection suite (priority 65535: DES, SHA, RSA signature, group 1, one day): with
 * policies configured and defaults on, the responder checks it after them, and `show crypto isakmp
 * policy` ends with it (seed 002).
 */
export const DEFAULT_PROTECTION_SUITE: IsakmpPolicy = {
  priority: 65535,
  encryption: "des",
  hash: "sha",
  authentication: "rsa-sig",
  group: 1,
  lifetimeSec: 86400,
};

/** `crypto isakmp key K address A [mask]` (mask 0.0.0.0 with address 0.0.0.0 is the wildcard). */
export interface IsakmpKey {
  key: string;
  address: number;
  /** Mask as a number; 0xffffffff for a host key. */
  mask: number;
  /** `crypto isakmp key 6 ...`: `key` is the type-6 (encrypted) text, kept as typed. */
  encrypted?: boolean;
}

/** `crypto isakmp keepalive SECONDS [RETRY] [periodic|on-demand]` (DPD). */
export interface IsakmpKeepalive {
  intervalSec: number;
  retrySec: number;
  mode: "periodic" | "on-demand";
}

/**
 * `crypto isakmp peer address A` with `set aggressive-mode password K` and
 * `set aggressive-mode client-endpoint ipv4-address E`: IOS then initiates
 * aggressive mode (three messages) to that peer instead of main mode.
 */
export interface IsakmpPeer {
  address: number;
  aggressivePassword?: string;
  aggressiveClientEndpoint?: number;
}

/** ESP encryption of a transform set (`esp-des`, `esp-3des`, `esp-aes [128|192|256]`, `esp-null`). */
export type EspEncryptionTransform = "esp-des" | "esp-3des" | "esp-aes" | "esp-aes-192" | "esp-aes-256" | "esp-null";
/** ESP integrity (`esp-md5-hmac`, `esp-sha-hmac`, `esp-sha256-hmac`, ...). */
export type EspIntegrityTransform =
  | "esp-md5-hmac"
  | "esp-sha-hmac"
  | "esp-sha256-hmac"
  | "esp-sha384-hmac"
  | "esp-sha512-hmac";
/** AH transforms (`ah-md5-hmac`, `ah-sha-hmac`, ...). */
export type AhTransform = "ah-md5-hmac" | "ah-sha-hmac" | "ah-sha256-hmac" | "ah-sha384-hmac" | "ah-sha512-hmac";

/** `crypto ipsec transform-set NAME ...` with its `mode`. */
export interface TransformSet {
  name: string;
  ah?: AhTransform;
  espEncryption?: EspEncryptionTransform;
  espIntegrity?: EspIntegrityTransform;
  mode: "tunnel" | "transport";
}

/** One `crypto map NAME SEQ ipsec-isakmp` entry (or a dynamic-map entry). */
export interface CryptoMapEntry {
  sequence: number;
  /** `description LINE`. */
  description?: string;
  /** `set peer A` lines in order (the first reachable is used). */
  peers: number[];
  /** `set transform-set A [B ...]`. */
  transformSets: string[];
  /** `match address ACL`. */
  matchAddress?: string;
  /** `set pfs groupN`. */
  pfsGroup?: IsakmpGroup;
  /** `set security-association lifetime seconds N`. */
  lifetimeSec?: number;
  /** `set security-association lifetime kilobytes N`. */
  lifetimeKb?: number;
  /** `qos pre-classify`: output classification sees the plaintext header of what this entry protects. */
  qosPreClassify?: true;
  /** `crypto map NAME SEQ ipsec-isakmp dynamic DYN`: this entry points at a dynamic map. */
  dynamicMap?: string;
  /** The flow of a map IOS builds itself (tunnel protection: the tunnel's GRE), in place of `match address`. */
  matchAcl?: AccessList;
  /** `crypto map NAME SEQ gdoi`: a GETVPN entry, its policy downloaded from the group's key server. */
  gdoi?: true;
  /** `set group NAME` in a gdoi entry. */
  gdoiGroup?: string;
}

/** `crypto map NAME ...` entries and map-wide settings. */
export interface CryptoMap {
  name: string;
  /** Kept in sequence order by the commands that edit them (the data plane walks them as they are). */
  entries: CryptoMapEntry[];
  /** `crypto map NAME local-address IF`. */
  localAddressInterface?: string;
  /** A map IOS builds for `tunnel protection` (`Tunnel0-head-0`): the tunnel it protects; never in the running config. */
  tunnel?: string;
  /**
   * An mGRE tunnel's map (IPsec over DMVPN): one entry whose ACL covers GRE to any NBMA peer; each peer
   * gets its own flow and SAs, its peer being the GRE packet's destination (found by key, never by walking peers).
   */
  multipoint?: true;
  /** A VTI's map: what its SAs open enters through this (tunnel) interface. */
  reinjectVia?: string;
  /**
   * `crypto map NAME gdoi fail-close` with `match address ACL` and `activate`: until its group
   * members have registered, only what the ACL denies leaves in the clear, the rest is dropped.
   */
  gdoiFailClose?: { matchAddress?: string; activated: boolean };
}

/** `crypto ipsec profile NAME`: `set transform-set`, `set pfs`, `set security-association lifetime` (no peer, no ACL). */
export interface IpsecProfile {
  name: string;
  /** The settings, as a crypto map entry holds them (its peers and ACL come from the tunnel). */
  entry: CryptoMapEntry;
}

/** `crypto dynamic-map NAME SEQ` entries. */
export interface DynamicCryptoMap {
  name: string;
  entries: CryptoMapEntry[];
}

/**
 * IOS 15's built-in transform sets, offered by a crypto map entry that names
 * none, unless `no crypto ipsec default transform-set`.
 */
export const DEFAULT_TRANSFORM_SETS: readonly TransformSet[] = [
  { name: "#$!default_transform_set_1", espEncryption: "esp-aes", espIntegrity: "esp-sha-hmac", mode: "transport" },
  { name: "#$!default_transform_set_0", espEncryption: "esp-3des", espIntegrity: "esp-sha-hmac", mode: "transport" },
];

/** A new crypto map or dynamic-map entry with nothing set. */
export function emptyCryptoMapEntry(sequence: number): CryptoMapEntry {
  return { sequence, peers: [], transformSets: [] };
}

/** All crypto configuration of one router. */
export class CryptoConfig {
  readonly isakmpPolicies = new Map<number, IsakmpPolicy>();
  /** `no crypto isakmp default policy` turns this off. */
  defaultPolicyEnabled = true;
  /** Pre-shared keys in configuration order (change them with setIsakmpKey / removeIsakmpKey). */
  readonly isakmpKeys: IsakmpKey[] = [];
  /**
   * The same keys by (network, mask length) for keyFor's longest match (a hub
   * holds a key per spoke and looks one up per negotiation); keys with a
   * non-contiguous mask are kept aside and compared one by one.
   */
  private readonly keysByPrefix = new Map<number, IsakmpKey[]>();
  private readonly oddMaskKeys: IsakmpKey[] = [];
  keepalive: IsakmpKeepalive | null = null;
  /** `crypto isakmp nat keepalive SECONDS` (RFC 3948 NAT keepalives from the side behind a NAT). */
  natKeepaliveSec: number | null = null;
  /** NAT traversal (RFC 3947); `no crypto ipsec nat-transparency udp-encapsulation` turns it off. */
  natTransparency = true;
  /** `crypto isakmp peer address A` blocks, by address. */
  readonly isakmpPeers = new Map<number, IsakmpPeer>();
  /** `crypto isakmp aggressive-mode disable`: the responder refuses aggressive mode. */
  aggressiveModeDisabled = false;
  readonly transformSets = new Map<string, TransformSet>();
  readonly cryptoMaps = new Map<string, CryptoMap>();
  readonly dynamicMaps = new Map<string, DynamicCryptoMap>();
  /** `crypto ipsec profile NAME` blocks, for `tunnel protection ipsec profile NAME`. */
  readonly ipsecProfiles = new Map<string, IpsecProfile>();
  /** Global `crypto ipsec security-association lifetime seconds|kilobytes` (IOS defaults 3600 s, 4608000 KB). */
  ipsecLifetimeSec = 3600;
  ipsecLifetimeKb = 4608000;
  /** `no crypto ipsec default transform-set` turns this off. */
  defaultTransformSetsEnabled = true;
  /** Key pairs, trustpoints and peers' public keys (rsa-sig authentication). */
  readonly pki = new PkiConfig();

  /** Policies the responder walks, lowest priority number first: configured ones, or the defaults if none. */
  effectivePolicies(): IsakmpPolicy[] {
    const configured = [...this.isakmpPolicies.values()].sort((a, b) => a.priority - b.priority);
    if (configured.length > 0 || !this.defaultPolicyEnabled) return configured;
    return [...DEFAULT_ISAKMP_POLICIES];
  }

  /** Policies a main-mode responder checks: the effective ones, then the default protection suite after configured ones. */
  responderPolicies(): IsakmpPolicy[] {
    const policies = this.effectivePolicies();
    if (this.isakmpPolicies.size > 0 && this.defaultPolicyEnabled) policies.push(DEFAULT_PROTECTION_SUITE);
    return policies;
  }

  /** The transform sets an entry proposes, in its order: the named ones that exist, else IOS's defaults (if on). */
  transformSetsFor(entry: CryptoMapEntry): TransformSet[] {
    if (entry.transformSets.length === 0) return this.defaultTransformSetsEnabled ? [...DEFAULT_TRANSFORM_SETS] : [];
    return entry.transformSets.map((n) => this.transformSets.get(n)).filter((t): t is TransformSet => t !== undefined);
  }

  /** Adds a pre-shared key, replacing the key of the same address and mask. */
  setIsakmpKey(key: IsakmpKey): void {
    const i = this.isakmpKeys.findIndex((k) => k.address === key.address && k.mask === key.mask);
    if (i >= 0) {
      this.unindexKey(this.isakmpKeys[i]!);
      this.isakmpKeys[i] = key;
    } else this.isakmpKeys.push(key);
    this.indexKey(key);
  }

  /** Removes the key of an address (and mask, if given); false if there was none. */
  removeIsakmpKey(address: number, mask?: number): boolean {
    const i = this.isakmpKeys.findIndex((k) => k.address === address && (mask === undefined || k.mask === mask));
    if (i < 0) return false;
    this.unindexKey(this.isakmpKeys[i]!);
    this.isakmpKeys.splice(i, 1);
    return true;
  }

  /** The pre-shared key for a peer: the longest matching mask wins (host keys before wildcards). */
  keyFor(peer: number): IsakmpKey | undefined {
    let best: IsakmpKey | undefined;
    for (let length = 32; length >= 0 && best === undefined; length--)
      best = this.keysByPrefix.get(prefixKey(peer, length))?.[0];
    for (const k of this.oddMaskKeys) {
      if (((peer ^ k.address) & k.mask) !== 0) continue;
      if (best === undefined || k.mask >>> 0 > best.mask >>> 0) best = k;
    }
    return best;
  }

  private indexKey(k: IsakmpKey): void {
    const length = contiguousLength(k.mask);
    if (length === null) return void this.oddMaskKeys.push(k);
    // Keys of one network (10.0.0.5 and 10.0.0.7 with /24) stay in configuration order: the first one answers.
    const at = prefixKey(k.address, length);
    const same = this.keysByPrefix.get(at) ?? [];
    same.push(k);
    same.sort((a, b) => this.isakmpKeys.indexOf(a) - this.isakmpKeys.indexOf(b));
    this.keysByPrefix.set(at, same);
  }

  private unindexKey(k: IsakmpKey): void {
    const length = contiguousLength(k.mask);
    if (length === null) {
      const i = this.oddMaskKeys.indexOf(k);
      if (i >= 0) this.oddMaskKeys.splice(i, 1);
    } else {
      const at = prefixKey(k.address, length);
      const same = (this.keysByPrefix.get(at) ?? []).filter((o) => o !== k);
      if (same.length === 0) this.keysByPrefix.delete(at);
      else this.keysByPrefix.set(at, same);
    }
  }
}

/** The fast-path cipher of a phase-1 or ESP encryption choice. */
export function cbcAlgorithmOf(encryption: IsakmpEncryption | EspEncryptionTransform): CbcAlgorithm | null {
  switch (encryption) {
    case "des":
    case "esp-des":
      return "des-cbc";
    case "3des":
    case "esp-3des":
      return "des-ede3-cbc";
    case "aes-128":
    case "esp-aes":
      return "aes-128-cbc";
    case "aes-192":
    case "esp-aes-192":
      return "aes-192-cbc";
    case "aes-256":
    case "esp-aes-256":
      return "aes-256-cbc";
    case "esp-null":
      return null;
  }
}

/** The HMAC of a phase-1 hash or an ESP/AH integrity transform. */
export function hashAlgorithmOf(hash: IsakmpHash | EspIntegrityTransform | AhTransform): HashAlgorithm {
  if (hash === "md5" || hash.includes("md5")) return "md5";
  if (hash === "sha" || hash === "esp-sha-hmac" || hash === "ah-sha-hmac") return "sha1";
  if (hash.includes("256")) return "sha256";
  if (hash.includes("384")) return "sha384";
  return "sha512";
}

/** The network of `address` at `length` with the length, as one map key. */
function prefixKey(address: number, length: number): number {
  const network = length === 0 ? 0 : (address & (0xffffffff << (32 - length))) >>> 0;
  return network * 64 + length;
}

/** The prefix length of a contiguous mask, null for another. */
function contiguousLength(mask: number): number | null {
  const m = mask >>> 0;
  const inverse = ~m >>> 0;
  if (((inverse + 1) & inverse) !== 0) return null;
  let length = 0;
  for (let bit = 31; bit >= 0 && (m >>> bit) & 1; bit--) length++;
  return length;
}
