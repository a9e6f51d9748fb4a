// The key server of a router's GDOI groups (`crypto gdoi group` with `server
// local`): it answers GROUPKEY-PULL on the registration SAs members set up,
// hands each member the group's policy (one TEK per `sa ipsec`, its ACL, the
// KEK when rekeys are configured) and the same keys, and keeps its members by
// address (a benchmark registers thousands). A TEK that reaches the end of its
// lifetime is replaced by a new one for members that register after.

import type { TimerHandle } from "../../runtime/device-timers.ts";
import type { GdoiKdPayload } from "../../wire/gdoi.ts";
import type { IsakmpHeader } from "../../wire/isakmp.ts";
import { ID_TYPE } from "../../wire/isakmp-constants.ts";
import type { IsakmpSa } from "../ike/v1/isakmp-sa.ts";
import { keyLengths } from "../ike/v1/phase2-proposal.ts";
import type { TransformSet } from "../ipsec/crypto-config.ts";
import { memberAuthorized } from "./authorization.ts";
import { DEFAULT_KEK_LIFETIME_SEC, type GdoiGroupConfig, type KeyServerConfig } from "./gdoi-config.ts";
import type { GdoiContext } from "./gdoi-context.ts";
import {
  type GroupKeys,
  type GroupPolicy,
  type GroupTekPolicy,
  groupAceFrom,
  kekKeyBytes,
  keysPayload,
  policyPayload,
} from "./group-policy.ts";
import { multicastRekeyAddress } from "./multicast-rekey.ts";
import { hashMatches, pullHash, readPull, sendPull } from "./pull-message.ts";
import { ackValid, kekCipher, openPush, type SignedRekey, sealRekey, signRekey } from "./push-message.ts";
import { type Cancellable, sendInBatches } from "./rekey-pacing.ts";
import { withKsPseudotime } from "./tbar-pseudotime.ts";

const SEC = 1_000_000_000;
/** How long before a TEK expires the key server sends its replacement. */
const REKEY_LEAD_SEC = 90;
/** Nonce length of GROUPKEY-PULL (IOS sends 16 bytes... any 8-256 is valid; we use ISAKMP's 20). */
const NONCE_LENGTH = 20;
/** The GDOI version a member reports (seed 003's GMs print 1.0.8 and 1.0.16). */
export const GDOI_VERSION = "1.0.16";

/** A TEK the key server hands out. */
export interface KsTek {
  /** `sa ipsec N`. */
  readonly saNumber: number;
  readonly spi: number;
  readonly transform: TransformSet;
  readonly encryptionKey: Uint8Array;
  readonly integrityKey: Uint8Array;
  readonly createdAt: number;
  readonly lifetimeSec: number;
  readonly replay: GroupTekPolicy["replay"];
  readonly acl: string;
}

/** A registered member. */
export interface KsMember {
  readonly address: number;
  state: "Registered";
  registeredAt: number;
  version: string;
  rekeysSent: number;
  rekeyRetries: number;
  rekeyAcksReceived: number;
  rekeyAcksMissed: number;
  /** The sequence numbers of the last rekeys sent to it (retransmissions included) and acknowledged, oldest first, at most 4. */
  sentSeq: number[];
  ackedSeq: number[];
  /**
   * The unicast rekey waiting for this member's acknowledgement; `again`
   * builds its retransmission, which (as on IOS) carries a new sequence
   * number, so a member that took the first copy but whose ACK was lost
   * takes it again and acknowledges.
   */
  pending: {
    sequence: number;
    message: Uint8Array;
    retries: number;
    timer: TimerHandle | null;
    again: () => { sequence: number; message: Uint8Array } | null;
  } | null;
}

/** A member as the key server first records it. */
export function newKsMember(address: number, now: number): KsMember {
  return {
    address,
    state: "Registered",
    registeredAt: now,
    version: GDOI_VERSION,
    rekeysSent: 0,
    rekeyRetries: 0,
    rekeyAcksReceived: 0,
    rekeyAcksMissed: 0,
    sentSeq: [],
    ackedSeq: [],
    pending: null,
  };
}

/** Keeps the last four sequence numbers of a list (IOS shows four). */
function noteSeq(list: number[], sequence: number): void {
  list.push(sequence);
  if (list.length > 4) list.shift();
}

/** A group served here. */
export interface KsGroup {
  readonly name: string;
  readonly identity: number;
  teks: KsTek[];
  kek: { spi: Uint8Array; key: Uint8Array; createdAt: number } | null;
  /** Sequence number of the last rekey (0 until one is sent). */
  seq: number;
  rekeysSent: number;
  /** Multicast rekeys sent again (`rekey retransmit`; nobody acknowledges them). */
  multicastRetransmits: number;
  readonly members: Map<number, KsMember>;
  /** The downloaded ACL as members hold it (what `%GDOI-5-POLICY_CHANGE` compares with). */
  distributed: string | null;
  /** The configured ACL `%GDOI-5-POLICY_CHANGE` was last logged for (once per change). */
  announced: string | null;
  /** The address members registered to, the source of rekeys without `address ipv4`. */
  registrationAddress: number | null;
  /** The scheduled rekey before the current TEK expires (groups with a KEK and members). */
  rekeyTimer: TimerHandle | null;
  rekeyAt: number | null;
}

/** One GROUPKEY-PULL in progress (or done: its last answer is kept for a duplicate). */
interface KsPull {
  group: KsGroup;
  niB: Uint8Array;
  nrB: Uint8Array;
  lastReceived: Uint8Array;
  reply: Uint8Array;
  done: boolean;
}

function u32Of(b: Uint8Array): number {
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

/** The key server side of GDOI on one router. */
export class KeyServer {
  readonly groups = new Map<string, KsGroup>();
  private readonly pulls = new WeakMap<IsakmpSa, Map<number, KsPull>>();
  /** GROUPKEY-PULLs refused by an authorization list, by message id: their retransmissions are ignored, not logged again. */
  private readonly refused = new WeakMap<IsakmpSa, Set<number>>();
  /** The batches of each group's last unicast rekey still to go out. */
  private readonly rekeyBatches = new WeakMap<KsGroup, Cancellable>();
  /** COOP (coop-key-server.ts): whether this server is a group's primary (only the primary rekeys). */
  isPrimary: (group: string) => boolean = () => true;
  /** COOP: a group's keys or members changed (a rekey, a registration), for the peer servers to hear. */
  changed: (g: KsGroup) => void = () => {};

  constructor(private readonly ctx: GdoiContext) {}

  /** Groups configured with `server local` and an identity number run; others stop. Returns whether any runs. */
  reconcile(): boolean {
    const want = new Map<string, GdoiGroupConfig>();
    for (const g of this.ctx.config.groups.values())
      if (g.server !== null && g.identity !== undefined) want.set(g.name, g);
    for (const name of [...this.groups.keys()]) {
      const running = this.groups.get(name)!;
      const c = want.get(name);
      if (c === undefined || c.identity !== running.identity) this.groups.delete(name);
    }
    for (const [name, c] of want) {
      if (this.groups.has(name)) continue;
      this.groups.set(name, {
        name,
        identity: c.identity!,
        teks: [],
        kek: null,
        seq: 0,
        rekeysSent: 0,
        multicastRetransmits: 0,
        members: new Map(),
        distributed: null,
        announced: null,
        registrationAddress: null,
        rekeyTimer: null,
        rekeyAt: null,
      });
    }
    return this.groups.size > 0;
  }

  /** The group of an identity number. */
  private groupOf(identity: number): KsGroup | undefined {
    for (const g of this.groups.values()) if (g.identity === identity) return g;
    return undefined;
  }

  /** The group's current policy and keys (TEKs made or replaced as lifetimes run out); null without a usable `sa ipsec`. */
  policy(group: KsGroup, registrationAddress: number): { policy: GroupPolicy; keys: GroupKeys } | null {
    const c = this.ctx.config.groups.get(group.name)?.server;
    if (c === undefined || c === null) return null;
    this.refreshTeks(group, c);
    if (group.teks.length === 0) return null;
    const policy: GroupPolicy = { kek: null, teks: [], acl: [], receiveOnly: c.receiveOnly === true };
    const keys: GroupKeys = { teks: new Map(), kek: null, sigKey: null };
    for (const t of group.teks) {
      policy.teks.push({
        spi: t.spi,
        transform: t.transform,
        lifetimeSec: this.remainingSec(t),
        replay: withKsPseudotime(group, t.replay, this.ctx.now()),
      });
      keys.teks.set(t.spi, { encryptionKey: t.encryptionKey, integrityKey: t.integrityKey });
    }
    // The ACL's permits name each sa's newest TEK (members seal with their oldest live one until it expires).
    const newest = new Map<number, KsTek>();
    for (const t of group.teks) newest.set(t.saNumber, t);
    for (const t of newest.values())
      for (const e of this.ctx.acl(t.acl)?.entries ?? []) policy.acl.push(groupAceFrom(e, t.spi));
    // An older TEK travels as the same permits on its own SPI after the ACL (members keep the first of equal entries).
    for (const t of group.teks)
      if (newest.get(t.saNumber) !== t)
        for (const e of this.ctx.acl(t.acl)?.entries ?? [])
          if (e.action === "permit") policy.acl.push(groupAceFrom(e, t.spi));
    if (rekeyConfigured(c)) {
      const signer =
        c.rekeyAuthenticationKey === undefined ? undefined : this.ctx.rsaSigningKey(c.rekeyAuthenticationKey);
      const cipher = c.rekeyAlgorithm ?? "3des";
      const lifetimeSec = c.rekeyLifetimeSec ?? DEFAULT_KEK_LIFETIME_SEC;
      if (group.kek === null || this.ctx.now() >= group.kek.createdAt + lifetimeSec * SEC)
        group.kek = {
          spi: this.ctx.randomBytes(16),
          key: this.ctx.randomBytes(kekKeyBytes(cipher)),
          createdAt: this.ctx.now(),
        };
      const elapsed = Math.floor((this.ctx.now() - group.kek.createdAt) / SEC);
      const multicast = this.multicastAddress(c);
      policy.kek = {
        spi: group.kek.spi,
        cipher,
        lifetimeSec: Math.max(1, lifetimeSec - elapsed),
        unicast: c.rekeyUnicast,
        ...(multicast === null ? {} : { multicastGroup: multicast.group }),
        source: this.serverAddress(c) ?? multicast?.source ?? registrationAddress,
        sigKeyBytes: signer?.publicDer.length ?? 0,
      };
      keys.kek = group.kek.key;
      keys.sigKey = signer?.publicDer ?? null;
    }
    return { policy, keys };
  }

  /** The downloaded ACL of a group as text, to notice a change. */
  aclFingerprint(group: KsGroup): string {
    const c = this.ctx.config.groups.get(group.name)?.server;
    if (c === undefined || c === null) return "";
    const parts: string[] = [];
    for (const sa of [...c.sas.values()].sort((a, b) => a.number - b.number))
      for (const e of this.ctx.acl(sa.matchAcl ?? "")?.entries ?? []) parts.push(JSON.stringify(groupAceFrom(e, 0)));
    return parts.join("\n");
  }

  /** `%GDOI-5-POLICY_CHANGE` for groups whose members hold another ACL than the one configured now. */
  checkPolicyChange(): void {
    for (const g of this.groups.values()) {
      if (g.distributed === null) continue;
      const now = this.aclFingerprint(g);
      if (now === g.distributed || now === g.announced) continue;
      g.announced = now;
      this.ctx.emit({ kind: "policyChanged", group: g.name });
    }
  }

  /** Seconds a TEK has left. */
  remainingSec(t: KsTek): number {
    return Math.max(0, t.lifetimeSec - Math.floor((this.ctx.now() - t.createdAt) / SEC));
  }

  /** The multicast destination of rekeys (`rekey address ipv4`, multicast transport), or null for unicast rekeys. */
  multicastAddress(c: KeyServerConfig): ReturnType<typeof multicastRekeyAddress> {
    if (c.rekeyUnicast || c.rekeyAddressAcl === undefined) return null;
    return multicastRekeyAddress(this.ctx.acl(c.rekeyAddressAcl));
  }

  /** `address ipv4 A|IF`. */
  serverAddress(c: KeyServerConfig): number | undefined {
    if (c.address === undefined) return undefined;
    return c.address.kind === "ip" ? c.address.ip : this.ctx.interfaceAddress(c.address.name);
  }

  /**
   * The TEKs of each `sa ipsec`: every one still live (a rekey adds a new one
   * beside the old, which members keep opening with until it expires), a new
   * one when none is; `fresh` adds a new one anyway, `replace` drops the old.
   */
  private refreshTeks(group: KsGroup, c: KeyServerConfig, fresh = false, replace = false): void {
    const now = this.ctx.now();
    const next: KsTek[] = [];
    for (const sa of [...c.sas.values()].sort((a, b) => a.number - b.number)) {
      const profile = sa.profile === undefined ? undefined : this.ctx.crypto.ipsecProfiles.get(sa.profile);
      const tsName = profile?.entry.transformSets[0];
      const transform = tsName === undefined ? undefined : this.ctx.crypto.transformSets.get(tsName);
      if (transform === undefined || transform.espEncryption === undefined || sa.matchAcl === undefined) continue;
      const lifetimeSec = profile!.entry.lifetimeSec ?? this.ctx.crypto.ipsecLifetimeSec;
      const live = replace
        ? []
        : group.teks.filter(
            (t) =>
              t.saNumber === sa.number &&
              t.transform === transform &&
              t.acl === sa.matchAcl &&
              now < t.createdAt + t.lifetimeSec * SEC,
          );
      for (const t of live) next.push({ ...t, replay: sa.replay ?? null });
      if (live.length > 0 && !fresh) continue;
      const lengths = keyLengths(transform, "esp");
      next.push({
        saNumber: sa.number,
        spi: this.newSpi(),
        transform,
        encryptionKey: this.ctx.randomBytes(lengths.encryption),
        integrityKey: this.ctx.randomBytes(lengths.integrity),
        createdAt: now,
        lifetimeSec,
        replay: sa.replay ?? null,
        acl: sa.matchAcl,
      });
    }
    group.teks = next;
  }

  private newSpi(): number {
    for (;;) {
      const spi = u32Of(this.ctx.randomBytes(4));
      if (spi >= 256) return spi;
    }
  }

  /** `clear crypto gdoi [group NAME]` on a key server: its members' registrations go (keys stay). Returns the groups. */
  clearMembers(group?: string): string[] {
    const cleared: string[] = [];
    for (const g of this.groups.values()) {
      if (group !== undefined && g.name !== group) continue;
      for (const m of g.members.values()) m.pending?.timer?.cancel();
      this.rekeyBatches.get(g)?.cancel();
      g.members.clear();
      g.rekeyTimer?.cancel();
      g.rekeyTimer = null;
      g.rekeyAt = null;
      cleared.push(g.name);
    }
    return cleared;
  }

  // ---- rekeys (GROUPKEY-PUSH) ------------------------------------------------------

  /**
   * `crypto gdoi ks rekey [replace-now]`: every group with a KEK sends its
   * members a unicast rekey with the policy as configured now and a new TEK
   * per `sa ipsec` (the old one stays until it expires, or goes at once with
   * replace-now), signed when `rekey authentication` names a key.
   */
  rekey(replaceNow: boolean): void {
    for (const g of this.groups.values()) this.sendRekey(g, replaceNow);
  }

  private sendRekey(g: KsGroup, replaceNow: boolean): void {
    const c = this.ctx.config.groups.get(g.name)?.server;
    if (c === undefined || c === null || !rekeyConfigured(c) || !this.isPrimary(g.name)) return;
    const fingerprint = this.aclFingerprint(g);
    const policyReplace = g.distributed !== null && fingerprint !== g.distributed;
    this.refreshTeks(g, c, true, replaceNow);
    const current = this.policy(g, g.registrationAddress ?? 0);
    if (current === null || current.policy.kek === null || g.kek === null) return;
    g.seq++;
    const sequence = g.seq;
    g.rekeysSent++;
    g.distributed = fingerprint;
    const kek = current.policy.kek;
    const payloads = [
      { type: "seq" as const, sequence: g.seq },
      policyPayload(current.policy),
      keysPayload(current.policy, current.keys),
    ];
    const signer =
      c.rekeyAuthenticationKey === undefined ? undefined : this.ctx.rsaSigningKey(c.rekeyAuthenticationKey);
    const cipher = kekCipher(kek.cipher);
    const retransmit = c.rekeyRetransmit ?? { periodSec: 10, count: 2 };
    // A few members at a time (rekey-pacing.ts); a newer rekey stops what is left of this one.
    this.rekeyBatches.get(g)?.cancel();
    const members = [...g.members.values()];
    const signed = signRekey(kek.spi, payloads, signer?.key ?? null);
    const seal = (s: SignedRekey) =>
      g.kek === null
        ? null
        : sealRekey(
            {
              kekSpi: kek.spi,
              cipher,
              kekKey: g.kek.key,
              iv: this.ctx.randomBytes(cipher.algorithm === "aes" ? 16 : 8),
            },
            s,
          );
    // A retransmission: the same policy and keys under the group's next sequence number, signed again.
    const kekKey = g.kek.key;
    const again = (): { sequence: number; message: Uint8Array } | null => {
      if (g.kek === null || g.kek.key !== kekKey) return null;
      g.seq++;
      // COOP peers learn the sequence number (a server taking over must rekey above it).
      this.changed(g);
      const resigned = signRekey(
        kek.spi,
        [{ type: "seq", sequence: g.seq }, ...payloads.slice(1)],
        signer?.key ?? null,
      );
      const message = seal(resigned);
      return message === null ? null : { sequence: g.seq, message };
    };
    for (const m of members) {
      m.pending?.timer?.cancel();
      m.pending = null;
    }
    if (kek.multicastGroup !== undefined) {
      this.sendMulticastRekey(g, kek.source, kek.multicastGroup, policyReplace, retransmit, () =>
        sealRekey(
          {
            kekSpi: kek.spi,
            cipher,
            kekKey: g.kek!.key,
            iv: this.ctx.randomBytes(cipher.algorithm === "aes" ? 16 : 8),
          },
          signed,
        ),
      );
      this.scheduleRekey(g);
      this.changed(g);
      return;
    }
    this.ctx.emit({ kind: "unicastRekeySent", group: g.name, source: kek.source, sequence: g.seq, policyReplace });
    const batches = sendInBatches(
      members,
      (d, n, f) => this.ctx.after(d, n, f),
      (m) => {
        const message = seal(signed);
        if (message === null) return;
        m.rekeysSent++;
        noteSeq(m.sentSeq, sequence);
        m.pending = { sequence, message, retries: 0, timer: null, again };
        this.ctx.ike.sendGdoiDatagram(kek.source, m.address, message);
        this.armRekeyRetransmit(m, kek.source, retransmit);
      },
    );
    this.rekeyBatches.set(g, batches);
    this.scheduleRekey(g);
    this.changed(g);
  }

  /**
   * A group with a KEK rekeys its members before its newest TEK expires
   * (REKEY_LEAD ahead, a tenth of a short lifetime), so they never fall back
   * on registering again; the new TEK seals once the old one has expired.
   */
  scheduleRekey(g: KsGroup): void {
    const c = this.ctx.config.groups.get(g.name)?.server;
    if (c === undefined || c === null || !rekeyConfigured(c) || g.members.size === 0 || g.teks.length === 0) return;
    let expires = Number.POSITIVE_INFINITY;
    const newest = new Map<number, KsTek>();
    for (const t of g.teks) newest.set(t.saNumber, t);
    for (const t of newest.values()) expires = Math.min(expires, t.createdAt + t.lifetimeSec * SEC);
    const lifetime = Math.min(...[...newest.values()].map((t) => t.lifetimeSec));
    const at = Math.max(this.ctx.now(), expires - Math.min(REKEY_LEAD_SEC, Math.floor(lifetime / 10)) * SEC);
    if (g.rekeyAt === at && g.rekeyTimer !== null) return;
    g.rekeyTimer?.cancel();
    g.rekeyAt = at;
    g.rekeyTimer = this.ctx.after(at - this.ctx.now(), "gdoi-scheduled-rekey", () => {
      g.rekeyTimer = null;
      g.rekeyAt = null;
      this.sendRekey(g, false);
    });
  }

  /**
   * One GROUPKEY-PUSH to the group's multicast address, sent again `rekey
   * retransmit` times (members drop the copies by their sequence number; no
   * one acknowledges); a newer rekey stops the retransmissions of this one.
   */
  private sendMulticastRekey(
    g: KsGroup,
    source: number,
    group: number,
    policyReplace: boolean,
    retransmit: { periodSec: number; count: number },
    seal: () => Uint8Array,
  ): void {
    const message = seal();
    this.ctx.emit({
      kind: "multicastRekeySent",
      group: g.name,
      source,
      destination: group,
      sequence: g.seq,
      policyReplace,
    });
    this.ctx.sendGdoiMulticast(source, group, message);
    for (const m of g.members.values()) {
      m.rekeysSent++;
      noteSeq(m.sentSeq, g.seq);
    }
    let left = retransmit.count;
    let timer: TimerHandle | null = null;
    const again = (): void => {
      timer = this.ctx.after(retransmit.periodSec * SEC, "gdoi-multicast-rekey-retransmit", () => {
        timer = null;
        if (g.kek === null) return;
        g.multicastRetransmits++;
        for (const m of g.members.values()) m.rekeyRetries++;
        this.ctx.sendGdoiMulticast(source, group, message);
        if (--left > 0) again();
      });
    };
    if (left > 0) again();
    this.rekeyBatches.set(g, { cancel: () => timer?.cancel() });
  }

  private armRekeyRetransmit(m: KsMember, source: number, r: { periodSec: number; count: number }): void {
    const p = m.pending;
    if (p === null) return;
    p.timer = this.ctx.after(r.periodSec * SEC, "gdoi-rekey-retransmit", () => {
      p.timer = null;
      if (m.pending !== p) return;
      if (p.retries >= r.count) {
        m.rekeyAcksMissed++;
        m.pending = null;
        return;
      }
      const next = p.again();
      if (next === null) {
        m.pending = null;
        return;
      }
      p.sequence = next.sequence;
      p.message = next.message;
      p.retries++;
      m.rekeyRetries++;
      noteSeq(m.sentSeq, next.sequence);
      this.ctx.ike.sendGdoiDatagram(source, m.address, p.message);
      this.armRekeyRetransmit(m, source, r);
    });
  }

  /** A member's acknowledgement of a unicast rekey (GROUPKEY-PUSH under the group's KEK). */
  onPush(src: number, header: IsakmpHeader, body: Uint8Array): boolean {
    for (const g of this.groups.values()) {
      if (g.kek === null || !sameSpi(g.kek.spi, header.initiatorCookie, header.responderCookie)) continue;
      const c = this.ctx.config.groups.get(g.name)?.server;
      const r = openPush(header, body, kekCipher(c?.rekeyAlgorithm ?? "3des"), g.kek.key);
      if (typeof r === "string" || !ackValid(r, g.kek.key)) return true;
      const m = g.members.get(src);
      if (m?.pending !== null && m?.pending !== undefined && m.pending.sequence === r.sequence) {
        m.pending.timer?.cancel();
        m.pending = null;
        m.rekeyAcksReceived++;
        noteSeq(m.ackedSeq, r.sequence);
      }
      return true;
    }
    return false;
  }

  // ---- GROUPKEY-PULL, responder ----------------------------------------------------

  /** A GROUPKEY-PULL message on a registration SA a member set up with us. */
  onPull(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array): void {
    let bySa = this.pulls.get(sa);
    if (bySa === undefined) {
      bySa = new Map();
      this.pulls.set(sa, bySa);
    }
    const mid = header.messageId;
    if (this.refused.get(sa)?.has(mid) === true) return;
    const pull = bySa.get(mid);
    if (pull !== undefined && equalBytes(pull.lastReceived, body)) {
      // The member did not hear our answer: send it again as it was.
      this.ctx.ike.retransmit(sa, pull.reply);
      return;
    }
    if (pull?.done === true) return;
    const m = readPull(sa, header, body);
    if (typeof m === "string") return;
    if (pull === undefined) this.message1(sa, mid, m, bySa, body);
    else this.message3(sa, mid, m, pull, body);
  }

  private message1(
    sa: IsakmpSa,
    mid: number,
    m: Exclude<ReturnType<typeof readPull>, string>,
    bySa: Map<number, KsPull>,
    body: Uint8Array,
  ): void {
    if (!hashMatches(m.hash, pullHash(sa, mid, m.rest))) return;
    const nonce = m.payloads.find((p) => p.type === "nonce");
    const id = m.payloads.find((p) => p.type === "id");
    if (nonce?.type !== "nonce" || id?.type !== "id" || id.idType !== ID_TYPE.KEY_ID || id.data.length !== 4) return;
    m.commit();
    // A group this server does not serve, or a member its authorization list refuses, gets no answer.
    const group = this.groupOf(u32Of(id.data));
    if (group === undefined) return;
    const authorization = this.ctx.config.groups.get(group.name)?.server?.authorizationAcl;
    if (!memberAuthorized(this.ctx.acl(authorization ?? ""), authorization !== undefined, sa.peer, sa.local)) {
      let refused = this.refused.get(sa);
      if (refused === undefined) {
        refused = new Set();
        this.refused.set(sa, refused);
      }
      refused.add(mid);
      this.ctx.emit({ kind: "unauthorizedMember", group: group.name, member: sa.peer });
      return;
    }
    const current = this.policy(group, sa.local);
    if (current === null) return;
    const nrB = this.ctx.randomBytes(NONCE_LENGTH);
    const niB = nonce.data.slice();
    const reply = sendPull(
      this.ctx.ike,
      sa,
      mid,
      [{ type: "nonce", data: nrB }, policyPayload(current.policy)],
      (rest) => pullHash(sa, mid, niB, rest),
    );
    bySa.set(mid, { group, niB, nrB, lastReceived: body.slice(), reply, done: false });
  }

  private message3(
    sa: IsakmpSa,
    mid: number,
    m: Exclude<ReturnType<typeof readPull>, string>,
    pull: KsPull,
    body: Uint8Array,
  ): void {
    if (!hashMatches(m.hash, pullHash(sa, mid, pull.niB, pull.nrB, m.rest))) return;
    m.commit();
    const current = this.policy(pull.group, sa.local);
    if (current === null) return;
    const kd = keysPayload(current.policy, current.keys) as Omit<GdoiKdPayload, "body">;
    pull.reply = sendPull(this.ctx.ike, sa, mid, [{ type: "seq", sequence: pull.group.seq }, kd], (rest) =>
      pullHash(sa, mid, pull.niB, pull.nrB, rest),
    );
    pull.lastReceived = body.slice();
    pull.done = true;
    const g = pull.group;
    g.distributed = this.aclFingerprint(g);
    const member = g.members.get(sa.peer);
    if (member === undefined) g.members.set(sa.peer, newKsMember(sa.peer, this.ctx.now()));
    else member.registeredAt = this.ctx.now();
    g.registrationAddress = sa.local;
    this.ctx.emit({ kind: "memberRegistered", group: g.name, member: sa.peer });
    this.scheduleRekey(g);
    this.changed(g);
  }
}

/** Whether a key server group has any `rekey` setting (then it has a KEK). */
export function rekeyConfigured(c: KeyServerConfig): boolean {
  return c.rekeyUnicast || c.rekeyAuthenticationKey !== undefined || c.rekeyAlgorithm !== undefined;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether a KEK's 16-byte SPI is the two cookies of a header. */
export function sameSpi(spi: Uint8Array, ckyI: Uint8Array, ckyR: Uint8Array): boolean {
  for (let i = 0; i < 8; i++) if (spi[i] !== ckyI[i] || spi[8 + i] !== ckyR[i]) return false;
  return true;
}
