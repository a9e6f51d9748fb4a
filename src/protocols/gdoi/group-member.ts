// The group-member side of GDOI on one router: for every group a `crypto map
// NAME SEQ gdoi` entry on an interface names, register with the group's key
// servers (`server address ipv4`, tried in order): an ISAKMP phase 1 on UDP
// 848 (GDOI_IDLE once up), then GROUPKEY-PULL as its initiator. The policy and
// keys it brings are installed in the group data plane; the member registers
// again before its TEKs run out. A registration that gets no answer is tried
// again with the next key server. The group's SA direction follows seed
// 003's roll-out: the key server's receive-only makes it "inbound only", the
// member's `passive` "inbound optional", and the exec `crypto gdoi gm group
// NAME ipsec direction` overrides both until the membership ends.

import type { GroupSaDirection } from "../../dataplane/ipsec/group-sa-dataplane.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import type { GdoiKdPayload, GdoiSaPayload } from "../../wire/gdoi.ts";
import type { IsakmpHeader } from "../../wire/isakmp.ts";
import { ID_TYPE } from "../../wire/isakmp-constants.ts";
import { parseSubjectPublicKeyInfo } from "../../wire/x509.ts";
import type { IsakmpSa } from "../ike/v1/isakmp-sa.ts";
import { keyLengths } from "../ike/v1/phase2-proposal.ts";
import type { GdoiContext, MemberBinding } from "./gdoi-context.ts";
import { type GroupPolicy, keysFromPayload, policyFromPayload } from "./group-policy.ts";
import { sameSpi } from "./key-server.ts";
import { hashMatches, pullHash, readPull, sendPull } from "./pull-message.ts";
import { emitRekeyAck, kekCipher, openPush, rekeySignatureValid } from "./push-message.ts";

const SEC = 1_000_000_000;
/** A registration attempt with no result after this long moves on to the next key server. */
const ATTEMPT_TIMEOUT_NS = 60 * SEC;
/** GROUPKEY-PULL messages are sent again after this long without an answer, up to PULL_RETRIES times. */
const PULL_RETRANSMIT_NS = 5 * SEC;
const PULL_RETRIES = 3;
const NONCE_LENGTH = 20;

/** Registration states as `show crypto gdoi gm` prints them. */
export type MemberStatus = "Not registered" | "Registering" | "Registered";

/** One group this router is a member of. */
export interface MemberGroupState {
  readonly group: string;
  interfaceName: string;
  local: number;
  status: MemberStatus;
  /** The key server registered with (or being tried). */
  keyServer: number | null;
  /** Index in the group's server list of the one being tried. */
  serverIndex: number;
  attempted: number;
  succeeded: number;
  /** When the member registers again (TEK refresh), while registered. */
  reRegisterAt: number | null;
  /** The policy the last registration brought. */
  policy: GroupPolicy | null;
  kekInstalledAt: number | null;
  /** The running GROUPKEY-PULL, if any. */
  pull: MemberPull | null;
  timer: TimerHandle | null;
  /** The KEK's key and the key server's rekey signing key (DER), from the last registration or rekey. */
  kekKey: Uint8Array | null;
  sigKey: Uint8Array | null;
  /** Sequence number of the last registration or rekey: a rekey must carry a higher one. */
  sequence: number;
  lastRekeyFrom: number | null;
  lastRekeySeq: number;
  unicastRekeysReceived: number;
  multicastRekeysReceived: number;
  /** Rekeys taken since the last registration. */
  rekeysSinceRegistration: number;
  /** The multicast group joined on the member's interface for the KEK's rekeys. */
  joinedGroup: number | null;
  rekeyAcksSent: number;
  rekeyReceivedAt: number | null;
  /** `crypto gdoi gm group NAME ipsec direction ...` (exec, not saved): wins over passive and receive-only. */
  directionOverride: GroupSaDirection | null;
}

interface MemberPull {
  sa: IsakmpSa;
  messageId: number;
  niB: Uint8Array;
  nrB: Uint8Array | null;
  policy: GroupPolicy | null;
  lastSent: Uint8Array;
  retries: number;
  timer: TimerHandle | null;
}

function identityBytes(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** The member side of GDOI on one router. */
export class GroupMembers {
  readonly groups = new Map<string, MemberGroupState>();

  constructor(private readonly ctx: GdoiContext) {}

  /** Follows the crypto maps: a new binding registers, a removed one forgets its group. Returns whether any runs. */
  reconcile(): boolean {
    const bindings = new Map<string, MemberBinding>();
    for (const b of this.ctx.memberBindings()) {
      const c = this.ctx.config.groups.get(b.group);
      if (c === undefined || c.identity === undefined || c.servers.length === 0) continue;
      if (!bindings.has(b.group)) bindings.set(b.group, b);
    }
    for (const [name, s] of this.groups) {
      const b = bindings.get(name);
      if (b !== undefined && b.local === s.local && b.interfaceName === s.interfaceName) {
        // `passive` may have changed.
        this.applyDirection(s);
        continue;
      }
      this.stop(s);
      this.groups.delete(name);
    }
    for (const [name, b] of bindings) {
      if (this.groups.has(name)) continue;
      const s: MemberGroupState = {
        group: name,
        interfaceName: b.interfaceName,
        local: b.local,
        status: "Not registered",
        keyServer: null,
        serverIndex: 0,
        attempted: 0,
        succeeded: 0,
        reRegisterAt: null,
        policy: null,
        kekInstalledAt: null,
        pull: null,
        timer: null,
        kekKey: null,
        sigKey: null,
        sequence: 0,
        lastRekeyFrom: null,
        lastRekeySeq: 0,
        unicastRekeysReceived: 0,
        multicastRekeysReceived: 0,
        rekeysSinceRegistration: 0,
        joinedGroup: null,
        rekeyAcksSent: 0,
        rekeyReceivedAt: null,
        directionOverride: null,
      };
      this.groups.set(name, s);
      this.register(s);
    }
    return this.groups.size > 0;
  }

  /** The direction the group's SAs work in now (`IPSec SA Direction`). */
  direction(s: MemberGroupState): GroupSaDirection {
    if (s.directionOverride !== null) return s.directionOverride;
    if (this.ctx.config.groups.get(s.group)?.passive === true) return "inbound optional";
    return s.policy?.receiveOnly === true ? "inbound only" : "both";
  }

  /** `crypto gdoi gm group NAME|IDENTITY ipsec direction ...`: false when this router is no member of the group. */
  overrideDirection(group: string, direction: GroupSaDirection): boolean {
    const s =
      this.groups.get(group) ??
      [...this.groups.values()].find((x) => String(this.ctx.config.groups.get(x.group)?.identity) === group);
    if (s === undefined) return false;
    s.directionOverride = direction;
    this.applyDirection(s);
    return true;
  }

  private applyDirection(s: MemberGroupState): void {
    this.ctx.dataplane.setDirection(s.group, this.direction(s));
  }

  /** Joins the multicast group the KEK's rekeys come to on the member's interface (and leaves the previous one). */
  private followRekeyGroup(s: MemberGroupState): void {
    const want = s.policy?.kek?.multicastGroup ?? null;
    if (want === s.joinedGroup) return;
    if (s.joinedGroup !== null) this.ctx.leaveGroup(s.interfaceName, s.joinedGroup);
    if (want !== null) this.ctx.joinGroup(s.interfaceName, want);
    s.joinedGroup = want;
  }

  private stop(s: MemberGroupState): void {
    if (s.joinedGroup !== null) this.ctx.leaveGroup(s.interfaceName, s.joinedGroup);
    s.joinedGroup = null;
    s.timer?.cancel();
    s.pull?.timer?.cancel();
    s.pull = null;
    this.ctx.dataplane.remove(s.group);
  }

  /**
   * `clear crypto gdoi [group NAME]`: the group's SAs, policy and KEK go and
   * it registers again, from the first key server of its list. Returns the
   * groups cleared.
   */
  clear(group?: string): string[] {
    const cleared: string[] = [];
    for (const s of this.groups.values()) {
      if (group !== undefined && s.group !== group) continue;
      this.stop(s);
      s.status = "Not registered";
      s.policy = null;
      s.kekKey = null;
      s.sigKey = null;
      s.sequence = 0;
      s.serverIndex = 0;
      s.reRegisterAt = null;
      s.kekInstalledAt = null;
      cleared.push(s.group);
      this.ctx.emit({ kind: "memberCleared", group: s.group });
      this.register(s);
    }
    return cleared;
  }

  /** Starts (or restarts) a registration with the current key server. */
  register(s: MemberGroupState): void {
    const c = this.ctx.config.groups.get(s.group);
    if (c === undefined || c.servers.length === 0) return;
    const ks = c.servers[s.serverIndex % c.servers.length]!;
    s.keyServer = ks;
    if (s.status !== "Registered") s.status = "Registering";
    s.attempted++;
    s.pull?.timer?.cancel();
    s.pull = null;
    this.ctx.emit({ kind: "registrationStarted", group: s.group, keyServer: ks, local: s.local });
    s.timer?.cancel();
    s.timer = this.ctx.after(ATTEMPT_TIMEOUT_NS, "gdoi-registration", () => {
      s.timer = null;
      this.ctx.emit({ kind: "registrationFailed", group: s.group, keyServer: ks, local: s.local, reason: "noAnswer" });
      s.serverIndex++;
      this.register(s);
    });
    const ready = this.ctx.ike
      .isakmpSas()
      .find((sa) => sa.gdoi && sa.role === "I" && !sa.deleted && sa.peer === ks && sa.local === s.local);
    if (ready?.state === "GDOI_IDLE") this.startPull(s, ready);
    else if (ready === undefined) this.ctx.ike.startGdoi(s.local, ks);
  }

  /** A registration phase 1 we started is up: pull for every group waiting on that key server. */
  phase1Complete(sa: IsakmpSa): void {
    for (const s of this.groups.values())
      if (s.pull === null && s.keyServer === sa.peer && s.local === sa.local && s.timer !== null) this.startPull(s, sa);
  }

  private startPull(s: MemberGroupState, sa: IsakmpSa): void {
    const c = this.ctx.config.groups.get(s.group);
    if (c?.identity === undefined) return;
    const messageId = this.ctx.ike.newMessageId(sa);
    const niB = this.ctx.randomBytes(NONCE_LENGTH);
    const lastSent = sendPull(
      this.ctx.ike,
      sa,
      messageId,
      [
        { type: "nonce", data: niB },
        { type: "id", idType: ID_TYPE.KEY_ID, protocolId: 0, port: 0, data: identityBytes(c.identity) },
      ],
      (rest) => pullHash(sa, messageId, rest),
    );
    s.pull = { sa, messageId, niB, nrB: null, policy: null, lastSent, retries: 0, timer: null };
    this.armRetransmit(s.pull);
  }

  private armRetransmit(p: MemberPull): void {
    p.timer?.cancel();
    p.timer = this.ctx.after(PULL_RETRANSMIT_NS, "gdoi-pull-retransmit", () => {
      p.timer = null;
      if (p.retries >= PULL_RETRIES || p.sa.deleted) return;
      p.retries++;
      this.ctx.ike.retransmit(p.sa, p.lastSent);
      this.armRetransmit(p);
    });
  }

  /** A GROUPKEY-PULL answer from a key server. */
  onPull(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array): void {
    let s: MemberGroupState | undefined;
    for (const x of this.groups.values()) if (x.pull?.sa === sa && x.pull.messageId === header.messageId) s = x;
    if (s === undefined) return;
    const p = s.pull!;
    const m = readPull(sa, header, body);
    if (typeof m === "string") return;
    const mid = header.messageId;
    if (p.nrB === null) {
      // Message 2: Nr and the group's policy.
      const nonce = m.payloads.find((x) => x.type === "nonce");
      const saP = m.payloads.find((x) => x.type === "gdoiSa") as Omit<GdoiSaPayload, "body"> | undefined;
      if (nonce?.type !== "nonce" || saP === undefined) return;
      if (!hashMatches(m.hash, pullHash(sa, mid, p.niB, m.rest))) return;
      m.commit();
      const policy = policyFromPayload(saP);
      if (typeof policy === "string") return;
      p.nrB = nonce.data.slice();
      p.policy = policy;
      p.lastSent = sendPull(this.ctx.ike, sa, mid, [], () => pullHash(sa, mid, p.niB, p.nrB!));
      p.retries = 0;
      this.armRetransmit(p);
      return;
    }
    // Message 4: SEQ and the keys.
    if (!hashMatches(m.hash, pullHash(sa, mid, p.niB, p.nrB, m.rest))) return;
    const kd = m.payloads.find((x) => x.type === "kd") as Omit<GdoiKdPayload, "body"> | undefined;
    const seq = m.payloads.find((x) => x.type === "seq");
    if (kd === undefined) return;
    m.commit();
    p.timer?.cancel();
    s.pull = null;
    if (seq?.type === "seq") s.sequence = seq.sequence;
    this.install(s, p.policy!, keysFromPayload(kd), sa.peer, "registration");
  }

  // ---- rekeys (GROUPKEY-PUSH) ------------------------------------------------------

  /**
   * A GROUPKEY-PUSH for one of our groups (its cookies are the group's KEK
   * SPI): decrypted with the KEK, its signature checked with the key
   * server's key, its sequence number higher than the last one, then its
   * policy and keys installed (TEKs it no longer lists are dropped) and the
   * unicast rekey acknowledged. Returns false when no group has that KEK.
   */
  onPush(src: number, header: IsakmpHeader, body: Uint8Array): boolean {
    for (const s of this.groups.values()) {
      const kek = s.policy?.kek;
      if (kek === undefined || kek === null || s.kekKey === null) continue;
      if (!sameSpi(kek.spi, header.initiatorCookie, header.responderCookie)) continue;
      const cipher = kekCipher(kek.cipher);
      const r = openPush(header, body, cipher, s.kekKey);
      if (typeof r === "string" || r.sequence === null || r.sequence <= s.sequence) return true;
      if (s.sigKey !== null) {
        const key = parseSubjectPublicKeyInfo(s.sigKey);
        if (!key.ok || !rekeySignatureValid(r, key.value)) return true;
      }
      const saP = r.payloads.find((x) => x.type === "gdoiSa") as Omit<GdoiSaPayload, "body"> | undefined;
      const kd = r.payloads.find((x) => x.type === "kd") as Omit<GdoiKdPayload, "body"> | undefined;
      if (saP === undefined || kd === undefined) return true;
      const policy = policyFromPayload(saP);
      if (typeof policy === "string") return true;
      s.sequence = r.sequence;
      s.lastRekeyFrom = src;
      s.lastRekeySeq = r.sequence;
      if (kek.unicast) s.unicastRekeysReceived++;
      else s.multicastRekeysReceived++;
      s.rekeysSinceRegistration++;
      s.rekeyReceivedAt = this.ctx.now();
      this.ctx.emit({
        kind: "rekeyReceived",
        group: s.group,
        keyServer: src,
        local: s.local,
        sequence: r.sequence,
        multicast: !kek.unicast,
      });
      this.install(s, policy, keysFromPayload(kd), s.keyServer ?? src, "rekey");
      // The rekey's own policy says whether it wants an ACK (a group moved from multicast to unicast does).
      if (policy.kek?.unicast ?? kek.unicast) {
        const ack = emitRekeyAck(
          { kekSpi: kek.spi, cipher, kekKey: s.kekKey, iv: this.ctx.randomBytes(cipher.algorithm === "aes" ? 16 : 8) },
          r.sequence,
        );
        this.ctx.ike.sendGdoiDatagram(s.local, src, ack);
        s.rekeyAcksSent++;
      }
      return true;
    }
    return false;
  }

  private install(
    s: MemberGroupState,
    policy: GroupPolicy,
    keys: ReturnType<typeof keysFromPayload>,
    ks: number,
    how: "registration" | "rekey",
  ): void {
    const teks = [];
    for (const t of policy.teks) {
      const k = keys.teks.get(t.spi);
      const want = keyLengths(t.transform, "esp");
      if (k === undefined || k.encryptionKey.length !== want.encryption || k.integrityKey.length !== want.integrity)
        return;
      teks.push({
        spi: t.spi,
        transform: t.transform,
        lifetimeSec: t.lifetimeSec,
        tbarWindowSec: t.replay?.kind === "time" ? t.replay.window : null,
        ...(t.replay?.pseudotimeMs === undefined ? {} : { pseudotimeMs: t.replay.pseudotimeMs }),
        encryptionKey: k.encryptionKey,
        integrityKey: k.integrityKey,
      });
    }
    if (how === "registration") {
      s.timer?.cancel();
      s.timer = null;
    }
    const added = this.ctx.dataplane.install(s.group, ks, policy.acl, teks);
    // A TEK the key server no longer lists is gone (replace-now); the others open until they expire.
    this.ctx.dataplane.retain(s.group, new Set(policy.teks.map((t) => t.spi)));
    for (const t of added)
      this.ctx.after(t.lifetimeSec * SEC, "gdoi-tek-expire", () => this.ctx.dataplane.expire(s.group));
    if (keys.kek !== null) s.kekKey = keys.kek;
    s.sigKey = keys.sigKey;
    for (const t of added)
      this.ctx.exportKeys({
        kind: "esp",
        protocol: "esp",
        // A group SA: any member to any member (Wireshark's wildcard addresses).
        src: null,
        dst: null,
        spi: t.spi,
        encryption: t.keys.encryption,
        encryptionKey: hex(t.keys.encryptionKey),
        integrity: t.keys.integrity,
        integrityKey: hex(t.keys.integrityKey),
      });
    const newKek =
      policy.kek !== null && (s.policy?.kek?.spi === undefined || !sameBytes(s.policy.kek.spi, policy.kek.spi));
    s.policy = policy;
    this.followRekeyGroup(s);
    this.applyDirection(s);
    if (added.length > 0) this.ctx.emit({ kind: "tekUpdated", group: s.group });
    if (policy.kek !== null && (how === "registration" || newKek)) {
      s.kekInstalledAt = this.ctx.now();
      this.ctx.emit({ kind: "kekUpdated", group: s.group });
    }
    if (how === "rekey") {
      this.ctx.emit({ kind: "policiesInstalled", group: s.group, keyServer: ks, local: s.local });
      if (s.pull === null) {
        s.timer?.cancel();
        s.timer = null;
        this.scheduleReRegistration(s);
      }
      return;
    }
    s.status = "Registered";
    s.rekeysSinceRegistration = 0;
    s.keyServer = ks;
    s.succeeded++;
    this.ctx.emit({ kind: "registrationComplete", group: s.group, keyServer: ks, local: s.local });
    this.ctx.emit({ kind: "policiesInstalled", group: s.group, keyServer: ks, local: s.local });
    this.scheduleReRegistration(s);
  }

  /**
   * Registers again before the TEKs run out, at a random point so members
   * spread out: without a KEK in the last tenth of the shortest lifetime;
   * with one, only if no rekey has brought a newer TEK by the end of the
   * longest (the key server rekeys ahead of expiry).
   */
  private scheduleReRegistration(s: MemberGroupState): void {
    const lifetimes = s.policy?.teks.map((t) => t.lifetimeSec) ?? [3600];
    const r = this.ctx.randomBytes(2);
    const jitter = ((r[0]! << 8) | r[1]!) / 0x10000;
    const afterSec =
      s.policy?.kek != null
        ? Math.max(10, Math.floor(Math.max(...lifetimes) * (0.985 + 0.01 * jitter)))
        : Math.max(10, Math.floor(Math.min(...lifetimes) * (0.85 + 0.1 * jitter)));
    s.reRegisterAt = this.ctx.now() + afterSec * SEC;
    s.timer = this.ctx.after(afterSec * SEC, "gdoi-reregister", () => {
      s.timer = null;
      this.ctx.dataplane.expire(s.group);
      this.register(s);
    });
  }
}

function hex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
