// GETVPN's data plane on a group member: the group SAs a key server handed
// out (RFC 6407 TEKs) shared by every member of the group, and the ACL
// downloaded with them. A datagram leaving an interface whose crypto map has
// a `gdoi` entry is matched against the downloaded ACL top-down: a deny is
// sent in the clear, a permit is sealed into ESP tunnel mode with IP header
// preservation (the outer header is the inner one's copy, protocol ESP: the
// packet routes over the provider as it is, any member to any member). ESP
// arriving on such an interface whose SPI is a group SA is opened and re-input
// whoever it is addressed to; clear traffic the ACL says should have come
// encrypted is dropped with %CRYPTO-4-RECVD_PKT_NOT_IPSEC. The member's own
// exception ACL (deny entries only) is checked first, and with fail-close
// activated nothing but its ACL's denies leaves before registration. A replaced TEK
// keeps opening and sealing until it expires, while the new one opens at once
// and seals after (rollover without loss). A group's direction follows the
// roll-out modes (seed 003): "inbound only" (the key server's `sa
// receive-only`) opens what arrives encrypted but sends in the clear and
// accepts clear traffic; "inbound optional" (a member's `passive`) seals but
// still accepts clear traffic; "both" (the default) seals and insists. A TEK
// with a time-based anti-replay window seals the member's pseudotime in Cisco
// metadata in front of the datagram and drops what arrives outside the window
// (group-tbar.ts).

import { createEspInbound, createEspOutbound } from "../../fastpath/esp/index.ts";
import type {
  EspBackendChoice,
  EspEngineUsage,
  EspInboundSa,
  EspOutboundSa,
  EspSaKeys,
} from "../../fastpath/esp/types.ts";
import { cbcAlgorithmOf, hashAlgorithmOf, type TransformSet } from "../../protocols/ipsec/crypto-config.ts";
import type { TimeNs } from "../../runtime/device.ts";
import {
  CMD_TBAR_LENGTH,
  emitTbarMetadataInto,
  IP_PROTO_CISCO_METADATA,
  parseCiscoMetadata,
} from "../../wire/cisco-metadata.ts";
import { icmpQuote, UNREACH } from "../../wire/icmp.ts";
import { emitIpv4, IP_PROTO_ESP } from "../../wire/ipv4.ts";
import { formatIpv4Address, readIpv4 } from "../../wire/ipv4-address.ts";
import { type AccessList, type AclPacket, entryMatches } from "../acl.ts";
import { aclFields, type IpStack, type SendResult } from "../pipeline/ip-stack.ts";
import type { RouterInterface } from "../pipeline/router-interface.ts";
import { formatPseudotime, TbarClock } from "./group-tbar.ts";

/** One entry of a downloaded ACL (the protocol layer's GroupAce, restated so the data plane stands alone). */
export interface GroupAclEntry {
  action: "permit" | "deny";
  /** IP protocol, 0 for any. */
  protocol: number;
  src: { address: number; mask: number; port: number };
  dst: { address: number; mask: number; port: number };
  /** The TEK sealing a permit's traffic (0 for a deny). */
  spi: number;
}

/** A TEK to install: its SPI, transform, lifetime and keys. */
export interface GroupTekInstall {
  spi: number;
  transform: TransformSet;
  lifetimeSec: number;
  /** TBAR window in seconds, or null (counter-based or no anti-replay). */
  tbarWindowSec: number | null;
  /** The key server's pseudotime (ms) that came with it: the member's TBAR clock is set to it. */
  pseudotimeMs?: number;
  encryptionKey: Uint8Array;
  integrityKey: Uint8Array;
}

/** An installed TEK. */
export interface GroupTek {
  readonly spi: number;
  readonly transform: TransformSet;
  readonly lifetimeSec: number;
  readonly tbarWindowSec: number | null;
  readonly installedAt: TimeNs;
  readonly keys: EspSaKeys;
  readonly outbound: EspOutboundSa;
  readonly inbound: EspInboundSa;
}

/** `show crypto gdoi gm dataplane counters`. */
export interface GroupCounters {
  encrypt: number;
  decrypt: number;
  noSaSend: number;
  invalidSaRcv: number;
  encapsFailSend: number;
  decapFailRcv: number;
  invalidProtRcv: number;
  verifyFailRcv: number;
  /** Clear packets the ACL says should have come encrypted. */
  notEncryptedRcv: number;
}

/** What a member's crypto map adds to a group's policy on the way out. */
export interface GroupLocalPolicy {
  /** `match address ACL` in the gdoi entry: its deny entries go clear, checked before the downloaded ACL. */
  localAcl?: AccessList;
  /** `crypto map NAME gdoi fail-close` when activated: before registration, drop all but what its ACL denies. */
  failClose?: { acl?: AccessList };
}

/** `IPSec SA Direction`: what a group's SAs do, as `crypto gdoi gm group NAME ipsec direction` names it. */
export type GroupSaDirection = "both" | "inbound only" | "inbound optional";

/** One group a member holds. */
export interface MemberGroup {
  readonly name: string;
  keyServer: number;
  acl: GroupAclEntry[];
  /** Seal outbound unless "inbound only"; insist inbound traffic the ACL covers is encrypted only with "both". */
  direction: GroupSaDirection;
  /** Newest first: the first seals, all open until they expire. */
  teks: GroupTek[];
  readonly counters: GroupCounters;
  /** The group's pseudotime on this member and its anti-replay counters. */
  readonly tbar: TbarClock;
}

/** What the group data plane needs from its router. */
export interface GroupSaHost {
  readonly stack: IpStack;
  now(): TimeNs;
  randomFill(out: Uint8Array): void;
  /** Logs with IOS's holddown for repeated crypto lines (one per key and period). */
  logLimited(key: string, text: string): void;
  readonly espBackend: EspBackendChoice;
  readonly usage: { readonly sealed: EspEngineUsage; readonly opened: EspEngineUsage };
}

const SEC = 1_000_000_000;

function newCounters(): GroupCounters {
  return {
    encrypt: 0,
    decrypt: 0,
    noSaSend: 0,
    invalidSaRcv: 0,
    encapsFailSend: 0,
    decapFailRcv: 0,
    invalidProtRcv: 0,
    verifyFailRcv: 0,
    notEncryptedRcv: 0,
  };
}

function selectorMatches(s: GroupAclEntry["src"], address: number, port: number | undefined): boolean {
  return ((address ^ s.address) & s.mask) === 0 && (s.port === 0 || s.port === port);
}

/** The first entry of a downloaded ACL a packet matches (null: none, sent in the clear). */
export function matchGroupAcl(acl: readonly GroupAclEntry[], p: AclPacket): GroupAclEntry | null {
  for (const e of acl) {
    if (e.protocol !== 0 && e.protocol !== p.protocol) continue;
    if (selectorMatches(e.src, p.src, p.srcPort) && selectorMatches(e.dst, p.dst, p.dstPort)) return e;
  }
  return null;
}

/** The group SAs and downloaded ACLs of one router. */
export class GroupSaDataplane {
  private readonly groups = new Map<string, MemberGroup>();
  /** Installed TEKs by SPI (group SAs are found by SPI alone: any member may send to any address). */
  private readonly bySpi = new Map<number, { group: MemberGroup; tek: GroupTek }>();

  constructor(private readonly host: GroupSaHost) {}

  /** A group's state, for shows. */
  group(name: string): MemberGroup | undefined {
    return this.groups.get(name);
  }

  /** Installs a registration's or rekey's policy: the ACL replaces the old one, new TEKs go in front. */
  install(name: string, keyServer: number, acl: GroupAclEntry[], teks: readonly GroupTekInstall[]): GroupTek[] {
    let g = this.groups.get(name);
    if (g === undefined) {
      g = { name, keyServer, acl: [], teks: [], direction: "both", counters: newCounters(), tbar: new TbarClock() };
      this.groups.set(name, g);
    }
    g.keyServer = keyServer;
    g.acl = acl;
    const pseudotime = teks.find((t) => t.pseudotimeMs !== undefined)?.pseudotimeMs;
    if (pseudotime !== undefined) g.tbar.sync(pseudotime, this.host.now());
    const added: GroupTek[] = [];
    for (const t of teks) {
      if (g.teks.some((x) => x.spi === t.spi)) continue;
      const keys: EspSaKeys = {
        spi: t.spi,
        encryption: cbcAlgorithmOf(t.transform.espEncryption ?? "esp-null"),
        encryptionKey: t.encryptionKey,
        integrity: t.transform.espIntegrity === undefined ? null : hashAlgorithmOf(t.transform.espIntegrity),
        integrityKey: t.integrityKey,
      };
      const backend = this.host.espBackend;
      const tek: GroupTek = {
        spi: t.spi,
        transform: t.transform,
        lifetimeSec: t.lifetimeSec,
        tbarWindowSec: t.tbarWindowSec,
        installedAt: this.host.now(),
        keys,
        outbound: createEspOutbound(keys, {
          backend,
          usage: this.host.usage.sealed,
          iv: (out) => this.host.randomFill(out),
        }),
        // Every member sends on the same SPI with its own counter: sequence anti-replay cannot work (TBAR does).
        inbound: createEspInbound(keys, { backend, usage: this.host.usage.opened, replayWindow: 0 }),
      };
      g.teks.unshift(tek);
      this.bySpi.set(t.spi, { group: g, tek });
      added.push(tek);
    }
    return added;
  }

  /** Sets a group's direction (the member's roll-out mode); false when the group holds no SAs yet. */
  setDirection(name: string, direction: GroupSaDirection): boolean {
    const g = this.groups.get(name);
    if (g === undefined) return false;
    g.direction = direction;
    return true;
  }

  /** Drops TEKs whose lifetime is over (the key server's newer one has taken over). */
  expire(name: string): void {
    const g = this.groups.get(name);
    if (g === undefined) return;
    const now = this.host.now();
    g.teks = g.teks.filter((t) => {
      const live = now < t.installedAt + t.lifetimeSec * SEC;
      if (!live) this.bySpi.delete(t.spi);
      return live;
    });
  }

  /** Keeps only the TEKs a key server still lists (a replace-now rekey drops the others at once). */
  retain(name: string, spis: ReadonlySet<number>): void {
    const g = this.groups.get(name);
    if (g === undefined) return;
    g.teks = g.teks.filter((t) => {
      if (!spis.has(t.spi)) this.bySpi.delete(t.spi);
      return spis.has(t.spi);
    });
  }

  /**
   * The TEK a member seals with: its oldest one still live. A rekey's new TEK
   * opens at once but seals only once the old one expires, so members that
   * have not heard the rekey yet can still open what others send.
   */
  sealingTek(g: MemberGroup): GroupTek | undefined {
    const now = this.host.now();
    for (let i = g.teks.length - 1; i >= 0; i--) {
      const t = g.teks[i]!;
      if (now < t.installedAt + t.lifetimeSec * SEC) return t;
    }
    return undefined;
  }

  /** Forgets a group (crypto map removed, group deleted). */
  remove(name: string): void {
    const g = this.groups.get(name);
    if (g === undefined) return;
    for (const t of g.teks) this.bySpi.delete(t.spi);
    this.groups.delete(name);
  }

  /**
   * A datagram leaving an interface through a `gdoi` map entry of group
   * `name`: undefined when the group decides nothing (not registered), null
   * to send it clear (a deny, or no entry matched), else the outcome.
   */
  output(
    name: string,
    egress: RouterInterface,
    nextHop: number,
    dgram: Uint8Array,
    ingress: RouterInterface | null,
    local: GroupLocalPolicy = {},
  ): SendResult | null | undefined {
    const fields = aclFields(dgram);
    // The member's own exception ACL comes first; only its deny entries count (send in the clear).
    if (local.localAcl?.entries.some((e) => e.action === "deny" && entryMatches(e, fields))) return null;
    const g = this.groups.get(name);
    const tek = g === undefined ? undefined : this.sealingTek(g);
    if (g === undefined || tek === undefined) {
      if (local.failClose === undefined) return undefined;
      // Fail-close before registration: what the fail-close ACL denies goes clear, the rest is dropped.
      const hit = local.failClose.acl?.entries.find((e) => entryMatches(e, fields));
      return hit?.action === "deny" ? null : { ok: false, failure: "encapsulationFailed", egress };
    }
    const ace = matchGroupAcl(g.acl, fields);
    if (ace === null || ace.action === "deny") return null;
    // Receive-only: the SA only opens; what the ACL would encrypt leaves in the clear.
    if (g.direction === "inbound only") return null;
    if (tek === undefined) {
      g.counters.noSaSend++;
      return { ok: false, failure: "encapsulationFailed", egress };
    }
    return this.seal(g, tek, egress, nextHop, dgram, ingress);
  }

  private seal(
    g: MemberGroup,
    tek: GroupTek,
    egress: RouterInterface,
    nextHop: number,
    dgram: Uint8Array,
    ingress: RouterInterface | null,
  ): SendResult {
    const tos = dgram[1]!;
    const df = (dgram[6]! & 0x40) !== 0;
    const metadata = tek.tbarWindowSec === null ? 0 : CMD_TBAR_LENGTH;
    // A time-based SA with no pseudotime from the key server yet: nothing to stamp, so nothing leaves.
    if (metadata > 0 && !g.tbar.synced) {
      g.tbar.outputErrors++;
      g.counters.encapsFailSend++;
      return { ok: false, failure: "encapsulationFailed", egress };
    }
    const overhead = 20 + metadata + tek.outbound.overhead(dgram.length + metadata);
    if (df && dgram.length + overhead > egress.ipMtu) {
      g.counters.encapsFailSend++;
      const plaintextMtu = egress.ipMtu - overhead;
      if (ingress !== null)
        this.host.stack.reportError(
          dgram,
          { kind: "destUnreachable", code: UNREACH.FRAG_NEEDED, nextHopMtu: plaintextMtu, original: icmpQuote(dgram) },
          ingress,
        );
      return { ok: false, failure: "fragmentationNeeded", egress, mtu: plaintextMtu };
    }
    // IP header preservation: the outer header is the inner one's (addresses, ToS, DF, TTL, ID).
    const outer = emitIpv4({
      dscp: tos >>> 2,
      ecn: tos & 3,
      identification: (dgram[4]! << 8) | dgram[5]!,
      dontFragment: df,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: dgram[8]!,
      protocol: IP_PROTO_ESP,
      src: readIpv4(dgram, 12),
      dst: readIpv4(dgram, 16),
      options: new Uint8Array(0),
      payload: metadata === 0 ? tek.outbound.seal(dgram, 4) : this.sealStamped(g, tek, dgram),
    });
    g.counters.encrypt++;
    return this.host.stack.outputProtected(egress, nextHop, outer, ingress);
  }

  /** Seals a datagram behind Cisco metadata carrying this member's pseudotime (TBAR). */
  private sealStamped(g: MemberGroup, tek: GroupTek, dgram: Uint8Array): Uint8Array {
    const payload = new Uint8Array(CMD_TBAR_LENGTH + dgram.length);
    emitTbarMetadataInto(g.tbar.stamp(this.host.now()), 4, payload);
    payload.set(dgram, CMD_TBAR_LENGTH);
    return tek.outbound.seal(payload, IP_PROTO_CISCO_METADATA);
  }

  /**
   * A TBAR TEK's opened payload: the datagram behind the metadata when its
   * pseudotime is inside the window, else null (dropped and counted, and
   * %GDOI-4-TIMEBASED_REPLAY_FAILED logged).
   */
  private checkStamp(
    group: MemberGroup,
    tek: GroupTek,
    outer: Uint8Array,
    nextHeader: number,
    payload: Uint8Array,
  ): Uint8Array | null {
    const windowSec = tek.tbarWindowSec!;
    if (nextHeader !== IP_PROTO_CISCO_METADATA) {
      group.tbar.missingStamp();
      return null;
    }
    const md = parseCiscoMetadata(payload);
    if (!md.ok || md.value.pseudotimeMs === undefined) {
      group.tbar.missingStamp();
      return null;
    }
    if (md.value.nextHeader !== 4) {
      group.counters.invalidProtRcv++;
      return null;
    }
    const src = readIpv4(outer, 12);
    const verdict = group.tbar.check(md.value.pseudotimeMs, windowSec, src, this.host.now());
    if (!verdict.ok) {
      this.host.logLimited(
        `gdoi-tbar/${group.name}/${src}`,
        `%GDOI-4-TIMEBASED_REPLAY_FAILED: An anti replay check has failed in group ${group.name}: my_pseudotime = ${formatPseudotime(verdict.myPseudotimeMs)} secs, peer_pseudotime = ${formatPseudotime(md.value.pseudotimeMs)} secs, replay_window = ${windowSec} (sec), src_ip = ${formatIpv4Address(src)}, dst_ip = ${formatIpv4Address(readIpv4(outer, 16))}`,
      );
      return null;
    }
    return payload.subarray(md.value.length);
  }

  /**
   * ESP arriving on a member's interface: when its SPI is a group SA, opens
   * it and re-inputs the inner datagram on `ingress` (true: consumed, opened
   * or dropped); false when the SPI is not a group SA's.
   */
  open(dgram: Uint8Array, ingress: RouterInterface): boolean {
    const hlen = (dgram[0]! & 0x0f) * 4;
    if (dgram.length < hlen + 8) return false;
    const found = this.bySpi.get(readIpv4(dgram, hlen));
    if (found === undefined) return false;
    const { group, tek } = found;
    const opened = tek.inbound.open(dgram.subarray(hlen));
    if (opened.status !== "ok") {
      if (opened.status === "authFailed") group.counters.verifyFailRcv++;
      else group.counters.decapFailRcv++;
      return true;
    }
    let inner: Uint8Array | null = opened.payload;
    if (tek.tbarWindowSec !== null) inner = this.checkStamp(group, tek, dgram, opened.nextHeader, opened.payload);
    else if (opened.nextHeader === IP_PROTO_CISCO_METADATA) {
      // Metadata on an SA without TBAR (a sender with a newer policy): nothing to check, skip it.
      const md = parseCiscoMetadata(opened.payload);
      inner = md.ok && md.value.nextHeader === 4 ? opened.payload.subarray(md.value.length) : null;
      if (inner === null) group.counters.invalidProtRcv++;
    } else if (opened.nextHeader !== 4) {
      group.counters.invalidProtRcv++;
      inner = null;
    }
    if (inner === null) return true;
    group.counters.decrypt++;
    this.host.stack.reinject(ingress, inner.slice());
    return true;
  }

  /** ESP with an SPI no SA of ours knows, arriving on a member interface of groups `names`: counted against each. */
  countInvalidSa(names: readonly string[]): void {
    for (const name of names) {
      const g = this.groups.get(name);
      if (g !== undefined) g.counters.invalidSaRcv++;
    }
  }

  /** A clear datagram on an interface of groups `names`: false drops it when a group's ACL says it should have come encrypted. */
  acceptClear(
    names: readonly string[],
    dgram: Uint8Array,
    localAcl: (group: string) => AccessList | undefined = () => undefined,
  ): boolean {
    const fields = aclFields(dgram);
    for (const name of names) {
      const g = this.groups.get(name);
      if (g === undefined || g.teks.length === 0) continue;
      // Inbound only / optional (receive-only, passive): other members may still send in the clear.
      if (g.direction !== "both") continue;
      // The member's exception ACL covers what comes back too: its denies may arrive in the clear.
      const local = localAcl(name);
      if (local?.entries.some((e) => e.action === "deny" && entryMatches(e, fields))) continue;
      const ace = matchGroupAcl(g.acl, fields);
      if (ace === null || ace.action === "deny") continue;
      g.counters.notEncryptedRcv++;
      this.host.logLimited(
        `gdoi-clear/${name}/${fields.src}/${fields.dst}`,
        `%CRYPTO-4-RECVD_PKT_NOT_IPSEC: Rec'd packet not an IPSEC packet. (ip) vrf/dest_addr= /${formatIpv4Address(fields.dst)}, src_addr= ${formatIpv4Address(fields.src)}, prot= ${fields.protocol}`,
      );
      return false;
    }
    return true;
  }
}
