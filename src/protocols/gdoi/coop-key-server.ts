// COOP: cooperative key servers of a GDOI group (`redundancy` under `server
// local`, with `local priority N` and `peer address ipv4 A`). The servers
// keep an ISAKMP SA with each other on UDP 848 (GDOI_IDLE, as IOS shows it)
// and send ANNOUNCE messages over it (src/wire/gdoi-coop.ts) every refresh
// period: who they are, their priority and role, and the group's keys and
// members, so a secondary hands out the primary's KEK and TEKs and knows its
// members. The primary is elected by priority, then address (higher wins);
// as seed 003 saw on IOS 15.4, a returning server with a higher priority
// takes the role back. Only the primary sends rekeys. A peer not heard for
// DEAD_SEC is unreachable: its SA goes, the election runs again (a secondary
// that wins logs %GDOI-5-COOP_KS_TRANS_TO_PRI), and a new SA is tried; one
// that does not come up within CONNECT_TIMEOUT_SEC logs
// %GDOI-3-COOP_KS_UNREACH, and the SA that comes up later
// %GDOI-5-COOP_KS_REACH. When two primaries meet (the network healed), the
// policy with the higher rekey sequence number is kept, so members keep the
// keys the last rekey gave them.

import type { TimerHandle } from "../../runtime/device-timers.ts";
import {
  COOP_EXCHANGE,
  type CoopAnnounce,
  type CoopBody,
  type CoopSync,
  emitCoopBody,
  parseCoopBody,
} from "../../wire/gdoi-coop.ts";
import type { IsakmpHeader } from "../../wire/isakmp.ts";
import { ISAKMP_PAYLOAD } from "../../wire/isakmp-constants.ts";
import type { IsakmpSa } from "../ike/v1/isakmp-sa.ts";
import { keyLengths } from "../ike/v1/phase2-proposal.ts";
import type { CoopConfig, KeyServerConfig } from "./gdoi-config.ts";
import type { GdoiContext } from "./gdoi-context.ts";
import { GDOI_VERSION, type KeyServer, type KsGroup, type KsTek, newKsMember } from "./key-server.ts";
import { hashMatches, pullHash } from "./pull-message.ts";
import { adoptKsPseudotimeMs, ksPseudotimeMs } from "./tbar-pseudotime.ts";

const SEC = 1_000_000_000;
const ISAKMP_HEADER_LEN = 28;
/** How often a key server announces itself to its peers (IOS's "Primary Refresh Policy Time"). */
export const COOP_REFRESH_SEC = 20;
/** A peer not heard for this long is unreachable. */
export const COOP_DEAD_SEC = 3 * COOP_REFRESH_SEC;
/** A new SA with a peer that is not up after this long has "Failed to establish". */
const CONNECT_TIMEOUT_SEC = 20;
/** After starting, a key server listens this long for peers before electing a primary. */
const ELECTION_SEC = 30;
/** A change (a rekey, a registration) is announced this long after it: a burst of registrations makes one announcement. */
const CHANGE_ANNOUNCE_NS = 100_000_000;
/**
 * Members one SYNC carries: its ISAKMP payload length (16 bits) bounds it to
 * about 16,000 addresses; IOS documents 8,000 members per key server.
 */
const MAX_SYNC_MEMBERS = 15_000;
/** IOS's default `local priority`. */
export const COOP_DEFAULT_PRIORITY = 1;

export type CoopRole = "Primary" | "Secondary";

/** ANNOUNCE counters of one peer session, as `show crypto gdoi ks coop` prints them. */
export interface CoopCounters {
  annSent: number;
  annSentReply: number;
  annRecv: number;
  annRecvReply: number;
  sendDrops: number;
  recvDrops: number;
  bytesSent: number;
  bytesRecv: number;
}

/** A peer key server of a group. */
export interface CoopPeer {
  readonly address: number;
  /** What its last ANNOUNCE said (null until one arrives). */
  priority: number | null;
  role: CoopRole | null;
  version: string | null;
  alive: boolean;
  lastHeard: number | null;
  /** The highest anti-replay sequence number taken from it (on the current SA). */
  antiReplay: number;
  /** Unreachable was logged: the next SA logs reachability restored. */
  unreachableLogged: boolean;
  ikeFailed: boolean;
  readonly counters: CoopCounters;
}

/** COOP state of one group. */
export interface CoopGroup {
  readonly name: string;
  role: CoopRole;
  /** Until the first election the server only listens. */
  electing: boolean;
  /** The address of the primary as last elected (null before the first election). */
  primary: number | null;
  readonly peers: Map<number, CoopPeer>;
  /** This server's anti-replay sequence number (one per ANNOUNCE sent). */
  antiReplay: number;
  /** When the next refresh runs. */
  refreshAt: number;
  timer: TimerHandle | null;
  /** The announcement a change scheduled (CHANGE_ANNOUNCE_NS after it). */
  changeTimer: TimerHandle | null;
  readonly handle: number;
}

/** The COOP side of a router's key server groups. */
export class CoopKeyServers {
  readonly groups = new Map<string, CoopGroup>();
  /** The established COOP SA with each peer server, and SAs being set up (with their give-up timer). */
  private readonly sas = new Map<number, IsakmpSa>();
  private readonly connecting = new Map<number, TimerHandle>();
  private nextHandle = 2147483650;

  constructor(
    private readonly ctx: GdoiContext,
    private readonly ks: KeyServer,
  ) {
    ks.isPrimary = (group) => this.groups.get(group)?.role !== "Secondary";
    ks.changed = (g) => this.announceAll(g.name);
  }

  private configOf(name: string): { server: KeyServerConfig; coop: CoopConfig } | undefined {
    const server = this.ctx.config.groups.get(name)?.server ?? undefined;
    if (server?.redundancy === undefined) return undefined;
    return { server, coop: server.redundancy };
  }

  /** The COOP groups follow the key server groups with `redundancy`. */
  reconcile(): void {
    for (const [name, g] of this.groups) {
      const c = this.configOf(name);
      if (c !== undefined && this.ks.groups.has(name)) {
        // Peers added or removed.
        for (const a of [...g.peers.keys()]) if (!c.coop.peers.includes(a)) g.peers.delete(a);
        for (const a of c.coop.peers)
          if (!g.peers.has(a)) {
            g.peers.set(a, newPeer(a));
            this.connect(a);
          }
        continue;
      }
      g.timer?.cancel();
      g.changeTimer?.cancel();
      this.groups.delete(name);
    }
    for (const name of this.ks.groups.keys()) {
      if (this.groups.has(name)) continue;
      const c = this.configOf(name);
      if (c === undefined) continue;
      const g: CoopGroup = {
        name,
        role: "Secondary",
        electing: true,
        primary: null,
        peers: new Map(c.coop.peers.map((a) => [a, newPeer(a)])),
        antiReplay: 0,
        refreshAt: this.ctx.now(),
        timer: null,
        changeTimer: null,
        handle: this.nextHandle++,
      };
      this.groups.set(name, g);
      for (const p of g.peers.values()) this.connect(p.address);
      this.arm(g, ELECTION_SEC, () => {
        g.electing = false;
        this.elect(g);
        this.refresh(g);
      });
    }
    for (const peer of [...this.sas.keys()]) if (!this.isPeer(peer)) this.sas.delete(peer);
  }

  /** This server's address in a group (`address ipv4`), the one it announces and talks to peers from. */
  localAddress(name: string): number | undefined {
    const c = this.configOf(name);
    return c === undefined ? undefined : this.ks.serverAddress(c.server);
  }

  localPriority(name: string): number {
    return this.configOf(name)?.coop.localPriority ?? COOP_DEFAULT_PRIORITY;
  }

  private isPeer(address: number): boolean {
    for (const g of this.groups.values()) if (g.peers.has(address)) return true;
    return false;
  }

  /** Whether the established COOP SA with a peer exists. */
  established(address: number): boolean {
    const sa = this.sas.get(address);
    return sa !== undefined && !sa.deleted && sa.state === "GDOI_IDLE";
  }

  /** Seconds until a group's next refresh. */
  remainingSec(g: CoopGroup): number {
    return Math.max(0, Math.ceil((g.refreshAt - this.ctx.now()) / SEC));
  }

  private arm(g: CoopGroup, seconds: number, fn: () => void): void {
    g.timer?.cancel();
    g.refreshAt = this.ctx.now() + seconds * SEC;
    g.timer = this.ctx.after(seconds * SEC, "gdoi-coop-refresh", () => {
      g.timer = null;
      fn();
    });
  }

  /** Every refresh period: peers not heard from are unreachable, the others hear from us. */
  private refresh(g: CoopGroup): void {
    const now = this.ctx.now();
    for (const p of g.peers.values()) {
      if (p.alive && p.lastHeard !== null && now - p.lastHeard >= COOP_DEAD_SEC * SEC) this.peerLost(g, p);
      if (!this.established(p.address)) this.connect(p.address);
    }
    this.announce(g, false);
    this.arm(g, COOP_REFRESH_SEC, () => this.refresh(g));
  }

  /** A peer went silent: its SA goes, and the election runs again without it. */
  private peerLost(g: CoopGroup, p: CoopPeer): void {
    p.alive = false;
    const sa = this.sas.get(p.address);
    if (sa !== undefined) {
      this.sas.delete(p.address);
      this.ctx.ike.deleteSa(sa, "peer-dead");
    }
    this.elect(g);
  }

  /** Priority, then address: the highest alive server is primary. */
  private elect(g: CoopGroup): void {
    if (g.electing) return;
    const local = this.localAddress(g.name) ?? 0;
    let best = { priority: this.localPriority(g.name), address: local };
    for (const p of g.peers.values()) {
      if (!p.alive || p.priority === null) continue;
      if (p.priority > best.priority || (p.priority === best.priority && p.address > best.address))
        best = { priority: p.priority, address: p.address };
    }
    const previous = g.primary;
    g.primary = best.address;
    if (best.address === local) {
      if (g.role === "Primary") return;
      g.role = "Primary";
      this.ctx.emit({ kind: "coopPrimary", group: g.name, local, previous });
      // The new primary rekeys on schedule from now on.
      const ksg = this.ks.groups.get(g.name);
      if (ksg !== undefined) this.ks.scheduleRekey(ksg);
    } else g.role = "Secondary";
  }

  // ---- the ISAKMP SA between servers --------------------------------------------------

  /** Starts a phase 1 with a peer server unless one is up or being set up. */
  private connect(peer: number): void {
    if (this.established(peer) || this.connecting.has(peer)) return;
    const group = [...this.groups.values()].find((g) => g.peers.has(peer));
    const local = group === undefined ? undefined : this.localAddress(group.name);
    if (group === undefined || local === undefined) return;
    if (!this.ctx.ike.startGdoi(local, peer)) return;
    this.connecting.set(
      peer,
      this.ctx.after(CONNECT_TIMEOUT_SEC * SEC, "gdoi-coop-connect", () => {
        this.connecting.delete(peer);
        if (this.established(peer)) return;
        // While electing, keep trying: the election wants to hear every peer that is up.
        if ([...this.groups.values()].some((g) => g.electing && g.peers.has(peer))) {
          this.connect(peer);
          return;
        }
        for (const g of this.groups.values()) {
          const p = g.peers.get(peer);
          if (p === undefined) continue;
          p.ikeFailed = true;
          if (p.unreachableLogged || p.alive) continue;
          p.unreachableLogged = true;
          this.ctx.emit({ kind: "coopUnreachable", group: g.name, peer });
        }
      }),
    );
  }

  /** A phase 1 on UDP 848 completed: true when it is with a peer server (then it is COOP's). */
  phase1Complete(sa: IsakmpSa): boolean {
    if (!this.isPeer(sa.peer)) return false;
    const old = this.sas.get(sa.peer);
    // Both sides started one at once: keep the SA the lower address initiated, on both sides alike.
    if (old !== undefined && !old.deleted && old.state === "GDOI_IDLE") {
      const initiator = (s: IsakmpSa) => (s.role === "I" ? s.local : s.peer);
      const [keep, drop] = initiator(old) < initiator(sa) ? [old, sa] : [sa, old];
      this.ctx.ike.deleteSa(drop, "manually-deleted");
      if (keep === old) return true;
    }
    this.sas.set(sa.peer, sa);
    this.connecting.get(sa.peer)?.cancel();
    this.connecting.delete(sa.peer);
    for (const g of this.groups.values()) {
      const p = g.peers.get(sa.peer);
      if (p === undefined) continue;
      p.antiReplay = 0;
      p.ikeFailed = false;
      if (p.unreachableLogged) {
        p.unreachableLogged = false;
        this.ctx.emit({ kind: "coopReachable", group: g.name, peer: sa.peer });
      }
      this.send(g, p, true);
    }
    return true;
  }

  // ---- ANNOUNCE ------------------------------------------------------------------------

  /** A group's keys or members changed (a rekey, a registration): its peers hear it shortly. */
  announceAll(name: string): void {
    const g = this.groups.get(name);
    if (g === undefined || g.electing || g.changeTimer !== null) return;
    g.changeTimer = this.ctx.after(CHANGE_ANNOUNCE_NS, "gdoi-coop-change", () => {
      g.changeTimer = null;
      this.announce(g, false);
    });
  }

  private announce(g: CoopGroup, replyRequest: boolean): void {
    for (const p of g.peers.values()) this.send(g, p, replyRequest);
  }

  private send(g: CoopGroup, p: CoopPeer, replyRequest: boolean): void {
    const sa = this.sas.get(p.address);
    const ksg = this.ks.groups.get(g.name);
    const local = this.localAddress(g.name);
    if (sa === undefined || sa.deleted || sa.state !== "GDOI_IDLE" || ksg === undefined || local === undefined) {
      p.counters.sendDrops++;
      return;
    }
    g.antiReplay++;
    const body: CoopBody = {
      announce: {
        version: versionParts(),
        groupIdentity: ksg.identity,
        priority: this.localPriority(g.name),
        role: g.role,
        alive: true,
        replyRequest,
        antiReplaySequence: g.antiReplay,
        rekeySequence: ksg.seq,
        address: local,
      },
      sync: this.syncOf(ksg),
    };
    const rest = emitCoopBody(body);
    const mid = this.ctx.randomBytes(4).reduce((a, b) => (a * 256 + b) >>> 0, 0) || 1;
    const hash = pullHash(sa, mid, rest);
    const plain = new Uint8Array(4 + hash.length + rest.length);
    plain[0] = 128; // ANNOUNCE follows HASH
    plain[2] = (4 + hash.length) >>> 8;
    plain[3] = (4 + hash.length) & 0xff;
    plain.set(hash, 4);
    plain.set(rest, 4 + hash.length);
    const msg = this.ctx.ike.sendEncrypted(sa, COOP_EXCHANGE, mid, ISAKMP_PAYLOAD.HASH, plain);
    sa.endExchange(mid);
    p.counters.annSent++;
    if (replyRequest) p.counters.annSentReply++;
    p.counters.bytesSent += msg.length;
    this.ctx.emit({
      kind: "coopAnnounce",
      group: g.name,
      peer: p.address,
      sent: true,
      role: g.role,
      priority: body.announce.priority,
      replyRequest,
    });
  }

  /** The group's keys and members as a SYNC payload. */
  private syncOf(g: KsGroup): CoopSync {
    const now = this.ctx.now();
    const age = (t: number) => Math.max(0, Math.floor((now - t) / SEC));
    // TBAR: a group whose TEKs use time-based anti-replay has its pseudotime running; peers take it with the keys.
    const tbar = g.teks.some((t) => t.replay?.kind === "time");
    return {
      pseudotimeMs: tbar ? ksPseudotimeMs(g, now) : null,
      kek: g.kek === null ? null : { spi: g.kek.spi, key: g.kek.key, ageSec: age(g.kek.createdAt) },
      teks: g.teks.map((t) => ({
        saNumber: t.saNumber,
        spi: t.spi,
        ageSec: age(t.createdAt),
        lifetimeSec: t.lifetimeSec,
        encryptionKey: t.encryptionKey,
        integrityKey: t.integrityKey,
      })),
      members: [...g.members.keys()].slice(0, MAX_SYNC_MEMBERS),
    };
  }

  /** A COOP message under an SA with a peer server. */
  onMessage(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array): void {
    const drop = () => {
      for (const g of this.groups.values()) {
        const p = g.peers.get(sa.peer);
        if (p !== undefined) p.counters.recvDrops++;
      }
    };
    if (header.nextPayload !== ISAKMP_PAYLOAD.HASH || !this.isPeer(sa.peer)) return drop();
    const message = this.read(sa, header, body);
    if (message === null) return drop();
    const { announce, sync } = message;
    const ksg = [...this.ks.groups.values()].find((k) => k.identity === announce.groupIdentity);
    const g = ksg === undefined ? undefined : this.groups.get(ksg.name);
    const p = g?.peers.get(sa.peer);
    if (g === undefined || p === undefined || ksg === undefined) return drop();
    if (announce.antiReplaySequence <= p.antiReplay) {
      p.counters.recvDrops++;
      return;
    }
    p.antiReplay = announce.antiReplaySequence;
    p.counters.annRecv++;
    if (announce.replyRequest) p.counters.annRecvReply++;
    p.counters.bytesRecv += ISAKMP_HEADER_LEN + body.length;
    this.ctx.emit({
      kind: "coopAnnounce",
      group: g.name,
      peer: p.address,
      sent: false,
      role: announce.role,
      priority: announce.priority,
      replyRequest: announce.replyRequest,
    });
    this.heard(g, p, announce);
    if (sync !== null) this.merge(g, ksg, p, announce, sync);
    if (announce.replyRequest && !g.electing) this.send(g, p, false);
  }

  /** Decrypts a COOP message and checks its HASH; null when it is not a good one. Each message is its own exchange. */
  private read(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array): CoopBody | null {
    try {
      const d = sa.decryptExchange(header.messageId, body);
      if (d === null || d.plain.length < 4) return null;
      const hashLen = (d.plain[2]! << 8) | d.plain[3]!;
      if (hashLen < 4 || hashLen > d.plain.length) return null;
      const parsed = parseCoopBody(d.plain[0]!, d.plain.subarray(hashLen));
      if (!parsed.ok) return null;
      const rest = d.plain.subarray(hashLen, hashLen + parsed.value.end);
      if (!hashMatches(d.plain.subarray(4, hashLen), pullHash(sa, header.messageId, rest))) return null;
      return parsed.value;
    } finally {
      sa.endExchange(header.messageId);
    }
  }

  private heard(g: CoopGroup, p: CoopPeer, a: CoopAnnounce): void {
    p.priority = a.priority;
    p.role = a.role;
    p.version = a.version.join(".");
    p.lastHeard = this.ctx.now();
    if (!p.alive) {
      p.alive = true;
      p.ikeFailed = false;
    }
    this.elect(g);
  }

  /**
   * Members a peer knows join ours; its keys replace ours when it is the
   * primary we follow, or when two primaries meet and its rekeys are newer.
   */
  private merge(g: CoopGroup, ksg: KsGroup, p: CoopPeer, a: CoopAnnounce, sync: CoopSync): void {
    const now = this.ctx.now();
    for (const m of sync.members) if (!ksg.members.has(m)) ksg.members.set(m, newKsMember(m, now));
    if (a.role !== "Primary") return;
    const follow = g.role === "Secondary" && g.primary === p.address;
    const newer = g.role === "Primary" && a.rekeySequence > ksg.seq;
    if (!follow && !newer) return;
    this.adoptKeys(ksg, sync);
    ksg.seq = a.rekeySequence;
    if (newer) {
      this.ks.scheduleRekey(ksg);
      this.announce(g, false);
    }
  }

  /** The peer's KEK and TEKs become ours, each TEK under our own `sa ipsec` of the same number. */
  private adoptKeys(ksg: KsGroup, sync: CoopSync): void {
    const c = this.ctx.config.groups.get(ksg.name)?.server;
    if (c === undefined || c === null) return;
    const now = this.ctx.now();
    const teks: KsTek[] = [];
    for (const t of sync.teks) {
      const sa = c.sas.get(t.saNumber);
      const profile = sa?.profile === undefined ? undefined : this.ctx.crypto.ipsecProfiles.get(sa.profile);
      const tsName = profile?.entry.transformSets[0];
      const transform = tsName === undefined ? undefined : this.ctx.crypto.transformSets.get(tsName);
      if (sa?.matchAcl === undefined || transform === undefined || transform.espEncryption === undefined) continue;
      const lengths = keyLengths(transform, "esp");
      // Keys of another length than our transform's cannot be ours: that TEK stays out.
      if (t.encryptionKey.length !== lengths.encryption || t.integrityKey.length !== lengths.integrity) continue;
      teks.push({
        saNumber: t.saNumber,
        spi: t.spi,
        transform,
        encryptionKey: t.encryptionKey,
        integrityKey: t.integrityKey,
        createdAt: now - t.ageSec * SEC,
        lifetimeSec: t.lifetimeSec,
        replay: sa.replay ?? null,
        acl: sa.matchAcl,
      });
    }
    if (teks.length > 0) ksg.teks = teks;
    // Members registered to either server then run the same TBAR clock.
    if (sync.pseudotimeMs !== null) adoptKsPseudotimeMs(ksg, sync.pseudotimeMs, now);
    if (sync.kek !== null) ksg.kek = { spi: sync.kek.spi, key: sync.kek.key, createdAt: now - sync.kek.ageSec * SEC };
  }

  stop(): void {
    for (const g of this.groups.values()) {
      g.timer?.cancel();
      g.changeTimer?.cancel();
    }
    for (const t of this.connecting.values()) t.cancel();
    this.groups.clear();
    this.connecting.clear();
    this.sas.clear();
  }
}

function newPeer(address: number): CoopPeer {
  return {
    address,
    priority: null,
    role: null,
    version: null,
    alive: false,
    lastHeard: null,
    antiReplay: 0,
    unreachableLogged: false,
    ikeFailed: false,
    counters: {
      annSent: 0,
      annSentReply: 0,
      annRecv: 0,
      annRecvReply: 0,
      sendDrops: 0,
      recvDrops: 0,
      bytesSent: 0,
      bytesRecv: 0,
    },
  };
}

function versionParts(): [number, number, number] {
  const [a, b, c] = GDOI_VERSION.split(".").map(Number);
  return [a ?? 1, b ?? 0, c ?? 0];
}
