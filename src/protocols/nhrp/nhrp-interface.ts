// NHRP on one tunnel interface (RFC 2332 with IOS's DMVPN behaviour): the
// cache, the next hop servers we register with (NHC side), the registrations
// we accept (NHS side), resolution (phase 2: an overlay next hop; phase 3:
// the final destination after a traffic indication) and the traffic
// indications a hub sends for traffic hairpinning through it. It is the
// tunnel's NBMA resolver: the tunnel asks it where each overlay next hop is.
//
// Behind a NAT (Cisco's NAT extension): the hub registers a client at the
// address its packets come from and tells it that address in the reply's NAT
// extension; the client puts it in the NAT extension of its requests and of
// its resolution replies, so the far spoke answers and the requester sends to
// the post-NAT address, while the CIEs keep the claimed (pre-NAT) one.
//
// NHS client states (IOS's `show ip nhrp nhs` legend): E expecting replies
// (a registration is out), R responding (the last one was answered), W
// waiting (not yet sent). Registration requests go every registration
// timeout (holdtime/3 by default); unanswered ones are retried after 1, 2, 4,
// 8, 16, 32 and then every 64 s, and three in a row unanswered take the NHS
// down. A resolution for a next hop with no entry puts an incomplete entry in
// the cache (held 3 minutes unless answered) and the data goes to the NHS
// meanwhile, so the first packets take the path through the hub.

import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import type { GreTunnel } from "../../dataplane/tunnel/gre-tunnels.ts";
import type { NbmaDecision, TunnelNbmaResolver } from "../../dataplane/tunnel/tunnel-nbma.ts";
import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import { maskFromLength, readIpv4 } from "../../wire/ipv4-address.ts";
import {
  emitNhrp,
  NHRP_CIE_CODE,
  NHRP_FLAG,
  NHRP_TYPE,
  type NhrpCie,
  type NhrpExtension,
  type NhrpPacket,
  parseNhrp,
} from "../../wire/nhrp.ts";
import type { ProtocolHost } from "../protocol.ts";
import type { NhrpEvent } from "./events.ts";
import { NhrpCache, type NhrpCacheEntry, noFlags } from "./nhrp-cache.ts";
import { type NhrpInterfaceConfig, type NhsConfig, registrationIntervalSec } from "./nhrp-config.ts";
import { emptyTraffic, type NhrpTraffic } from "./nhrp-traffic.ts";

const SEC = 1_000_000_000;
/** How long an incomplete entry stops new resolutions for the same address (IOS: 3 minutes). */
const INCOMPLETE_HOLD_NS = 180 * SEC;
/**
 * An unanswered resolution request is sent again (same request id) 1, 2, 4, 8 and 16 s later while its
 * incomplete entry is there: the request or the reply may be lost (the first packet towards an
 * unresolved ARP entry on the way is dropped), and the incomplete entry blocks new ones for 3 minutes.
 */
const RESOLUTION_RETRANSMIT_NS = 1 * SEC;
const RESOLUTION_RETRANSMITS = 5;
/** Retries of an unanswered registration: 1, 2, 4 ... 64 s. */
const MAX_RETRY_SEC = 64;
/** Unanswered registrations in a row that take an NHS down. */
const NHS_DOWN_AFTER = 3;
/** A traffic indication for the same source and destination is not repeated within this time. */
const REDIRECT_HOLD_NS = 8 * SEC;
/** The MTU IOS puts in its CIEs. */
const CIE_MTU = 1514;
/**
 * Bytes of the offending datagram a traffic indication carries: all of a small one (an ICMP error with its
 * own quote, a traceroute probe), the start of a large one.
 */
const INDICATION_QUOTE = 128;

/** NHS client state letters. */
export type NhsState = "E" | "R" | "W";

/** One next hop server we register with. */
export interface NhsClient {
  config: NhsConfig;
  state: NhsState;
  up: boolean;
  /** Registrations sent without an answer since the last one answered. */
  unanswered: number;
  requestsSent: number;
  requestsFailed: number;
  repliesReceived: number;
  lastReplyAt: TimeNs | null;
  /** When it last came up or went down (`show dmvpn`'s UpDn time). */
  stateSince: TimeNs;
  /** The request id of the registration out. */
  pendingId: number | null;
  timer: TimerHandle | null;
}

/** What the interface needs from its process. */
export interface NhrpInterfaceServices {
  host: ProtocolHost<NhrpEvent>;
  /** The NHRP routes (`H`) changed: the process offers them to the RIB again. */
  routesChanged(): void;
  /** A request id from the process's counter. */
  nextRequestId(): number;
}

/** A resolution we sent and wait for. */
interface PendingResolution {
  target: number;
  /** Asked after a traffic indication: install the answer as an NHRP route (phase 3). */
  shortcut: boolean;
  /** Times sent so far, and the timer that sends it again. */
  sends: number;
  timer: TimerHandle | null;
}

const ip = (a: number) => a >>> 0;

/** NHRP on one tunnel interface. */
export class NhrpInterface implements TunnelNbmaResolver {
  readonly cache = new NhrpCache();
  readonly servers: NhsClient[] = [];
  readonly traffic: NhrpTraffic = emptyTraffic();
  private readonly pending = new Map<number, PendingResolution>();
  private readonly redirectsSent = new Map<string, TimeNs>();
  private stopped = false;
  /** Entries with an NHRP route (shortcuts): next-hop override is only looked for while there are some. */
  private shortcuts = 0;
  /** Our addresses when last known (events about an NHS lost with our tunnel source still name them). */
  private lastEndpoint: { protocol: number; nbma: number } | undefined;
  /** Our NBMA address as the NHS sees it, when a NAT changes it (from its registration reply's NAT extension). */
  natNbma: number | undefined;

  constructor(
    readonly ifc: RouterInterface,
    readonly tunnel: GreTunnel,
    readonly config: NhrpInterfaceConfig,
    private readonly services: NhrpInterfaceServices,
  ) {
    tunnel.resolver = this;
    this.reconfigure();
  }

  private get host(): ProtocolHost<NhrpEvent> {
    return this.services.host;
  }

  /** Our tunnel (protocol) address. */
  protocolAddress(): number | undefined {
    return this.ifc.config.address?.address;
  }

  /** Our NBMA address (the tunnel source's). */
  nbmaAddress(): number | undefined {
    return this.tunnel.nbmaAddress();
  }

  /** Applies the configuration: static entries follow the maps, NHS clients follow the `nhs` lines. */
  reconfigure(): void {
    const now = this.host.now();
    // `ip nhrp map` entries, and the NHSs given with their NBMA address (`nhs A nbma B` maps A to B as IOS does).
    const statics = new Map(this.config.maps);
    for (const s of this.config.servers)
      if (s.nbma !== undefined && !statics.has(s.protocol)) statics.set(s.protocol, s.nbma);
    for (const e of [...this.cache.values()]) {
      if (e.type === "static" && statics.get(e.prefix) !== e.nbma) this.cache.delete(e);
    }
    for (const [protocol, nbma] of statics) {
      const cur = this.cache.get(protocol);
      if (cur?.type === "static" && cur.nbma === nbma) continue;
      this.cache.set({
        prefix: protocol,
        length: 32,
        nextHop: protocol,
        nbma,
        type: "static",
        flags: noFlags(),
        createdAt: now,
        hits: 0,
        expiresAt: null,
        timer: null,
      });
    }
    // NHS clients: keep the ones still configured, start new ones.
    for (let i = this.servers.length - 1; i >= 0; i--) {
      const s = this.servers[i]!;
      const conf = this.config.servers.find((c) => c.protocol === s.config.protocol);
      if (conf === undefined) {
        s.timer?.cancel();
        this.servers.splice(i, 1);
      } else s.config = conf;
    }
    for (const conf of this.config.servers) {
      if (this.servers.some((s) => s.config.protocol === conf.protocol)) continue;
      const client: NhsClient = {
        config: conf,
        state: "W",
        up: false,
        unanswered: 0,
        requestsSent: 0,
        requestsFailed: 0,
        repliesReceived: 0,
        lastReplyAt: null,
        stateSince: now,
        pendingId: null,
        timer: null,
      };
      this.servers.push(client);
      this.schedule(client, 0);
    }
  }

  /** The tunnel came up or got an address: register at once. */
  kick(): void {
    for (const s of this.servers) if (!s.up) this.schedule(s, 0);
  }

  /** The tunnel's line protocol went down: every NHS is down with it, registrations wait for it to return. */
  linkDown(): void {
    for (const s of this.servers) {
      s.pendingId = null;
      s.unanswered = 0;
      s.state = "W";
      if (s.up) this.nhsDown(s);
    }
  }

  /** NHRP leaves the interface (`no ip nhrp network-id`, interface deleted, process stopped). */
  stop(): void {
    this.stopped = true;
    for (const s of this.servers) s.timer?.cancel();
    for (const r of this.pending.values()) r.timer?.cancel();
    for (const e of [...this.cache.values()]) this.cache.delete(e);
    if (this.tunnel.resolver === this) this.tunnel.resolver = null;
  }

  // ---- the tunnel's questions ------------------------------------------------

  resolve(nextHop: number, dgram: Uint8Array): NbmaDecision {
    // Next-hop override (phase 3): a shortcut to the destination wins over the route's next hop (the hub).
    if (this.shortcuts > 0 && dgram.length >= 20) {
      const shortcut = this.shortcutFor(readIpv4(dgram, 16));
      if (shortcut !== undefined && shortcut.nextHop !== nextHop && shortcut.nbma !== null) {
        shortcut.flags.nho = true;
        shortcut.flags.used = true;
        return { nbma: shortcut.nbma };
      }
    }
    const entry = this.cache.get(nextHop);
    if (entry !== undefined && entry.nbma !== null) {
      entry.flags.used = true;
      return { nbma: entry.nbma };
    }
    // Unknown or being resolved: ask the NHS, and send the data through it meanwhile.
    if (entry !== undefined) entry.hits++;
    const nhs = this.activeServerNbma();
    if (entry === undefined && nhs !== undefined) this.startResolution(nextHop, false);
    if (nhs !== undefined) return { nbma: nhs };
    return { drop: entry === undefined ? "unresolved" : "incomplete" };
  }

  multicastNbmas(): Iterable<number> {
    const out = new Set<number>(this.config.multicastMaps);
    for (const s of this.config.servers) {
      if (!s.multicast) continue;
      const nbma = this.serverNbma(s);
      if (nbma !== undefined) out.add(nbma);
    }
    // `map multicast dynamic`: every registered client (a copy per client is sent anyway, so the walk costs nothing more).
    if (this.config.multicastDynamic)
      for (const e of this.cache.values()) if (e.flags.registered && e.nbma !== null) out.add(e.nbma);
    return out;
  }

  heard(src: number): void {
    void src;
  }

  hairpin(fromNbma: number, dgram: Uint8Array): void {
    if (!this.config.redirect || dgram.length < 20) return;
    const src = readIpv4(dgram, 12);
    const dst = readIpv4(dgram, 16);
    const now = this.host.now();
    const key = `${src}>${dst}`;
    const last = this.redirectsSent.get(key);
    if (last !== undefined && now - last < REDIRECT_HOLD_NS) {
      this.traffic.sent.redirectSuppress++;
      return;
    }
    this.redirectsSent.set(key, now);
    const me = this.protocolAddress();
    const nbma = this.nbmaAddress();
    if (me === undefined || nbma === undefined) return;
    this.send(fromNbma, {
      type: NHRP_TYPE.trafficIndication,
      hopCount: 255,
      srcNbma: nbma,
      srcProtocol: me,
      dstProtocol: src,
      body: { kind: "traffic", code: 0, packet: dgram.slice(0, Math.min(dgram.length, INDICATION_QUOTE)) },
      extensions: this.authExtension(),
    });
  }

  receive(src: number, _dst: number, payload: Uint8Array): void {
    const parsed = parseNhrp(payload);
    if (!parsed.ok) {
      this.traffic.rcvd.errors++;
      return;
    }
    const p = parsed.value;
    this.traffic.rcvd.count(p.type);
    this.host.emit({
      kind: "packet",
      direction: "received",
      ifc: this.ifc,
      type: p.type,
      size: payload.length,
      src: p.srcProtocol,
      dst: p.dstProtocol,
    });
    if (!this.authenticated(p)) {
      this.traffic.rcvd.authFailures++;
      return;
    }
    switch (p.type) {
      case NHRP_TYPE.registrationRequest:
        return this.onRegistrationRequest(src, p);
      case NHRP_TYPE.registrationReply:
        return this.onRegistrationReply(p);
      case NHRP_TYPE.resolutionRequest:
        return this.onResolutionRequest(src, p);
      case NHRP_TYPE.resolutionReply:
        return this.onResolutionReply(src, p);
      case NHRP_TYPE.trafficIndication:
        return this.onTrafficIndication(p);
      case NHRP_TYPE.purgeRequest:
        return this.onPurgeRequest(src, p);
      default:
        return;
    }
  }

  // ---- registration (NHC side) -----------------------------------------------------

  private serverNbma(s: NhsConfig): number | undefined {
    return s.nbma ?? this.config.maps.get(s.protocol);
  }

  /** The NBMA address of the first NHS that is up (or, none up, the first configured). */
  private activeServerNbma(): number | undefined {
    const up = this.servers.find((s) => s.up) ?? this.servers[0];
    return up === undefined ? undefined : this.serverNbma(up.config);
  }

  private schedule(client: NhsClient, delayNs: TimeNs): void {
    client.timer?.cancel();
    client.timer = this.host.after(delayNs, "nhrp-registration", () => {
      client.timer = null;
      this.register(client);
    });
  }

  /** Sends a registration request to an NHS and arms the retry. */
  private register(client: NhsClient): void {
    if (this.stopped) return;
    if (client.pendingId !== null) {
      // The previous one went unanswered.
      client.requestsFailed++;
      client.unanswered++;
      if (client.up && client.unanswered >= NHS_DOWN_AFTER) this.nhsDown(client);
    }
    const me = this.protocolAddress();
    const nbma = this.nbmaAddress();
    const nhsNbma = this.serverNbma(client.config);
    const retry = Math.min(MAX_RETRY_SEC, 2 ** Math.min(client.unanswered, 6));
    if (me === undefined || nbma === undefined || nhsNbma === undefined || !this.ifc.lineProtocolUp) {
      client.pendingId = null;
      client.state = "W";
      this.schedule(client, retry * SEC);
      return;
    }
    const id = this.services.nextRequestId();
    client.pendingId = id;
    client.state = "E";
    client.requestsSent++;
    this.send(nhsNbma, {
      type: NHRP_TYPE.registrationRequest,
      hopCount: 255,
      srcNbma: nbma,
      srcProtocol: me,
      dstProtocol: client.config.protocol,
      body: {
        kind: "common",
        flags: NHRP_FLAG.registrationUnique,
        requestId: id,
        cies: [this.cie(32, null, null)],
      },
      extensions: this.requestExtensions(),
    });
    // Answered: the next one at the registration interval; not: the backoff.
    this.schedule(client, retry * SEC);
  }

  private onRegistrationReply(p: NhrpPacket): void {
    if (p.body.kind !== "common") return;
    const id = p.body.requestId;
    const client = this.servers.find((s) => s.pendingId === id);
    if (client === undefined) return;
    client.pendingId = null;
    const accepted = p.body.cies.every((c) => c.code === NHRP_CIE_CODE.success);
    if (!accepted) return;
    // The NHS saw us at another address: we are behind a NAT, and that address is how others reach us.
    const me = this.protocolAddress();
    const seen = me === undefined ? undefined : natCie(p, me)?.clientNbma;
    this.natNbma = seen !== undefined && seen !== null && seen !== this.nbmaAddress() ? seen : undefined;
    client.repliesReceived++;
    client.unanswered = 0;
    client.lastReplyAt = this.host.now();
    client.state = "R";
    if (!client.up) {
      client.up = true;
      client.stateSince = this.host.now();
      const nbma = this.serverNbma(client.config);
      const me = this.endpoint();
      if (nbma !== undefined && me !== undefined)
        this.host.emit({
          kind: "nhsUp",
          ifc: this.ifc,
          server: { protocol: client.config.protocol, nbma },
          local: me,
        });
    }
    this.schedule(client, registrationIntervalSec(this.config) * SEC);
  }

  private nhsDown(client: NhsClient): void {
    client.up = false;
    client.stateSince = this.host.now();
    const nbma = this.serverNbma(client.config);
    // The source may be what just went down: name us by the addresses we registered with.
    const me = this.endpoint() ?? this.lastEndpoint;
    if (nbma !== undefined && me !== undefined)
      this.host.emit({ kind: "nhsDown", ifc: this.ifc, server: { protocol: client.config.protocol, nbma }, local: me });
  }

  private endpoint(): { protocol: number; nbma: number } | undefined {
    const protocol = this.protocolAddress();
    const nbma = this.nbmaAddress();
    if (protocol === undefined || nbma === undefined) return undefined;
    this.lastEndpoint = { protocol, nbma };
    return this.lastEndpoint;
  }

  // ---- registration (NHS side) -------------------------------------------------------

  private onRegistrationRequest(outerSrc: number, p: NhrpPacket): void {
    if (p.body.kind !== "common" || p.srcProtocol === null || p.srcNbma === null) return;
    const me = this.endpoint();
    if (me === undefined) return;
    const client = p.srcProtocol;
    // Behind NAT the GRE comes from another address than the one the client knows: use what we see.
    const nbma = outerSrc !== 0 ? outerSrc : p.srcNbma;
    const unique = (p.body.flags & NHRP_FLAG.registrationUnique) !== 0;
    const cur = this.cache.get(client);
    const cies: NhrpCie[] = [];
    let code: number = NHRP_CIE_CODE.success;
    if (cur !== undefined && cur.type === "static") code = NHRP_CIE_CODE.administrativelyProhibited;
    else if (cur?.flags.unique && cur.nbma !== null && cur.nbma !== nbma) code = NHRP_CIE_CODE.alreadyRegistered;
    const holding = p.body.cies[0]?.holdingTime ?? this.config.holdtimeSec;
    if (code === NHRP_CIE_CODE.success) {
      const isNew = cur === undefined || cur.nbma !== nbma || !cur.flags.registered;
      const entry = this.learn(client, 32, client, nbma, holding, { registered: true, unique, nhop: true });
      entry.flags.used = true;
      this.noteClaim(entry, p.srcNbma);
      if (isNew) this.host.emit({ kind: "nhcUp", ifc: this.ifc, client: { protocol: client, nbma }, local: me });
    }
    for (const c of p.body.cies.length > 0 ? p.body.cies : [this.cie(32, null, null)]) cies.push({ ...c, code });
    const extensions = this.replyExtensions(p, nbma !== p.srcNbma ? { nbma, protocol: client } : null);
    this.send(nbma, {
      type: NHRP_TYPE.registrationReply,
      hopCount: 255,
      srcNbma: p.srcNbma,
      srcProtocol: p.srcProtocol,
      dstProtocol: p.dstProtocol,
      body: { kind: "common", flags: p.body.flags, requestId: p.body.requestId, cies },
      extensions,
    });
  }

  // ---- resolution ------------------------------------------------------------------

  /** Asks the NHS for `target`'s NBMA address (phase 2: an overlay next hop; 3: a destination). */
  private startResolution(target: number, shortcut: boolean): void {
    const me = this.endpoint();
    const nhs = this.activeServerNbma();
    if (me === undefined || nhs === undefined) return;
    const now = this.host.now();
    if (this.cache.get(target) === undefined) {
      const entry: NhrpCacheEntry = {
        prefix: target,
        length: 32,
        nextHop: target,
        nbma: null,
        type: "incomplete",
        flags: noFlags(),
        createdAt: now,
        hits: 0,
        expiresAt: now + INCOMPLETE_HOLD_NS,
        timer: null,
      };
      this.cache.set(entry);
      this.expireAt(entry);
    }
    const id = this.services.nextRequestId();
    const pending: PendingResolution = { target, shortcut, sends: 0, timer: null };
    this.pending.set(id, pending);
    this.sendResolution(id, pending);
  }

  /** Sends (or sends again) a pending resolution request to the active NHS and arms its retransmission. */
  private sendResolution(id: number, pending: PendingResolution): void {
    const me = this.endpoint();
    const nhs = this.activeServerNbma();
    if (me === undefined || nhs === undefined) {
      this.pending.delete(id);
      return;
    }
    pending.sends++;
    this.send(nhs, {
      type: NHRP_TYPE.resolutionRequest,
      hopCount: 255,
      srcNbma: me.nbma,
      srcProtocol: me.protocol,
      dstProtocol: pending.target,
      body: {
        kind: "common",
        flags: NHRP_FLAG.router | NHRP_FLAG.authoritative | NHRP_FLAG.stableBinding,
        requestId: id,
        cies: [this.cie(32, null, null)],
      },
      extensions: this.requestExtensions(),
    });
    pending.timer = this.host.after(
      RESOLUTION_RETRANSMIT_NS * 2 ** (pending.sends - 1),
      "nhrp-resolution-retransmit",
      () => {
        pending.timer = null;
        if (this.stopped || this.pending.get(id) !== pending) return;
        if (pending.sends > RESOLUTION_RETRANSMITS || this.cache.get(pending.target)?.type !== "incomplete") {
          this.pending.delete(id);
          return;
        }
        this.sendResolution(id, pending);
      },
    );
  }

  /**
   * A resolution request: answer it if the target is ours (our tunnel address, or a network we reach
   * outside the tunnel), else pass it on towards the target's owner (as an NHS).
   */
  private onResolutionRequest(outerSrc: number, p: NhrpPacket): void {
    if (p.body.kind !== "common" || p.srcProtocol === null || p.srcNbma === null || p.dstProtocol === null) return;
    const me = this.endpoint();
    if (me === undefined) return;
    const target = p.dstProtocol;
    const answer = this.ownPrefix(target);
    if (answer !== null) {
      // The requester's own mapping, so our traffic back takes the direct path too (behind a NAT: the
      // address its NAT extension gives, which is where our reply and our traffic must go).
      const requesterNbma = natCie(p, p.srcProtocol)?.clientNbma ?? p.srcNbma;
      const holding = p.body.cies[0]?.holdingTime ?? this.config.holdtimeSec;
      if (p.srcProtocol !== me.protocol && this.cache.get(p.srcProtocol)?.type !== "static") {
        const entry = this.learn(p.srcProtocol, 32, p.srcProtocol, requesterNbma, holding, {
          implicit: true,
          nhop: true,
        });
        this.noteClaim(entry, p.srcNbma);
      }
      const cie: NhrpCie = {
        ...this.cie(answer.length, me.nbma, me.protocol),
        holdingTime: this.config.holdtimeSec,
      };
      this.send(requesterNbma, {
        type: NHRP_TYPE.resolutionReply,
        hopCount: 255,
        srcNbma: p.srcNbma,
        srcProtocol: p.srcProtocol,
        dstProtocol: target,
        body: {
          kind: "common",
          flags: (p.body.flags & ~NHRP_FLAG.nat) | NHRP_FLAG.authoritative | NHRP_FLAG.router,
          requestId: p.body.requestId,
          cies: [cie],
        },
        extensions: this.replyExtensions(
          p,
          this.natNbma === undefined ? null : { nbma: this.natNbma, protocol: me.protocol },
        ),
      });
      return;
    }
    // Not ours: forward it to whoever owns the target (a registered client, or the next hop of our route to it).
    if (p.hopCount <= 1) return;
    const owner = this.ownerNbma(target);
    if (owner === undefined || owner === outerSrc) {
      this.traffic.rcvd.unresolved++;
      return;
    }
    const transit: NhrpCie = this.cie(32, me.nbma, me.protocol);
    // A requester that reached us from another address than it claims is behind a NAT: tell the target
    // where it really is, unless the requester already did.
    const natted = outerSrc !== p.srcNbma && natCie(p, p.srcProtocol) === undefined;
    const natCies = natted ? [this.cie(32, outerSrc, p.srcProtocol)] : [];
    const extensions = (p.extensions ?? []).map((e) =>
      e.kind === "forwardTransit"
        ? { ...e, cies: [...e.cies, transit] }
        : e.kind === "natAddress"
          ? { ...e, cies: [...e.cies, ...natCies] }
          : e,
    );
    this.traffic.sent.forwarded++;
    this.send(owner, { ...p, hopCount: p.hopCount - 1, extensions });
  }

  /** The prefix we answer for `target`: our tunnel address, or the route to it that leaves outside the tunnel. */
  private ownPrefix(target: number): { length: number } | null {
    if (target === this.protocolAddress()) return { length: 32 };
    const route = this.host.rib.lookup(target);
    if (route === undefined || route.length === 0 || route.source === "nhrp") return null;
    const via = route.paths[0];
    if (via === undefined || via.interface === null || via.interface === this.ifc.name) return null;
    // Our own address on another interface: answer for that interface's network, as IOS does (not the /32).
    if (route.source === "local") {
      const owner = this.host.interfaces().find((i) => i.name === via.interface)?.config.address;
      return { length: owner?.length ?? 32 };
    }
    return { length: route.length };
  }

  /** Where to forward a resolution for `target`: its registered owner, else the next hop of our route through this tunnel. */
  private ownerNbma(target: number): number | undefined {
    const direct = this.cache.get(target);
    if (direct?.nbma !== undefined && direct.nbma !== null && direct.type !== "incomplete") return direct.nbma;
    const route = this.host.rib.lookup(target);
    const path = route?.paths[0];
    if (route === undefined || path === undefined || path.interface !== this.ifc.name || path.via === null)
      return undefined;
    const hop = this.cache.get(path.via);
    return hop?.nbma ?? undefined;
  }

  private onResolutionReply(_outerSrc: number, p: NhrpPacket): void {
    if (p.body.kind !== "common") return;
    const pending = this.pending.get(p.body.requestId);
    if (pending === undefined) return;
    this.pending.delete(p.body.requestId);
    pending.timer?.cancel();
    const cie = p.body.cies[0];
    if (cie === undefined || cie.code !== NHRP_CIE_CODE.success || cie.clientNbma === null) return;
    const peer = cie.clientProtocol ?? pending.target;
    const incomplete = this.cache.get(pending.target);
    if (incomplete?.type === "incomplete") this.cache.delete(incomplete);
    // Behind a NAT the answering peer names its post-NAT address in the NAT extension.
    const nbma = natCie(p, peer)?.clientNbma ?? cie.clientNbma;
    const isNew = this.cache.get(peer)?.nbma !== nbma;
    this.noteClaim(this.learn(peer, 32, peer, nbma, cie.holdingTime, { router: true, nhop: true }), cie.clientNbma);
    const me = this.endpoint();
    if (isNew && me !== undefined)
      this.host.emit({ kind: "nhpUp", ifc: this.ifc, peer: { protocol: peer, nbma }, local: me });
    const length = Math.min(32, cie.prefixLength);
    if (pending.shortcut && length < 32) {
      const prefix = (pending.target & maskFromLength(length)) >>> 0;
      this.noteClaim(
        this.learn(prefix, length, peer, nbma, cie.holdingTime, { router: true, rib: true }),
        cie.clientNbma,
      );
      this.services.routesChanged();
    }
  }

  /** Phase 3: the hub says traffic we sent through it has a better path; resolve its destination. */
  private onTrafficIndication(p: NhrpPacket): void {
    if (!this.config.shortcut || p.body.kind !== "traffic" || p.body.packet.length < 20) return;
    const dst = readIpv4(p.body.packet, 16);
    if (this.cache.get(dst) !== undefined || this.coveringShortcut(dst)) return;
    this.startResolution(dst, true);
  }

  private coveringShortcut(dst: number): boolean {
    return this.shortcutFor(dst) !== undefined;
  }

  /** The longest shortcut (an entry learned for a network after a traffic indication) covering `dst`. */
  private shortcutFor(dst: number): NhrpCacheEntry | undefined {
    if (this.shortcuts === 0) return undefined;
    for (let length = 32; length >= 1; length--) {
      const e = this.cache.get((dst & maskFromLength(length)) >>> 0, length);
      if (e?.flags.rib === true) return e;
    }
    return undefined;
  }

  /** Whether a shortcut's NHRP route is the one the RIB chose (`T1`), or it lost to a better one (`T2`, NHO). */
  routeInstalled(e: NhrpCacheEntry): boolean {
    const r = this.host.rib.lookup(e.prefix);
    return r !== undefined && r.prefix === e.prefix && r.length === e.length && r.source === "nhrp";
  }

  /** A purge: forget the CIEs' addresses, and reply unless told not to. */
  private onPurgeRequest(outerSrc: number, p: NhrpPacket): void {
    if (p.body.kind !== "common") return;
    for (const c of p.body.cies) {
      const e = c.clientProtocol === null ? undefined : this.cache.get(c.clientProtocol);
      if (e !== undefined && e.type !== "static") this.remove(e);
    }
    if ((p.body.flags & NHRP_FLAG.noReply) !== 0) return;
    this.send(outerSrc, { ...p, type: NHRP_TYPE.purgeReply, hopCount: 255 });
  }

  // ---- cache upkeep ------------------------------------------------------------------

  /** Adds or refreshes a dynamic entry. */
  private learn(
    prefix: number,
    length: number,
    nextHop: number,
    nbma: number,
    holdingSec: number,
    flags: Partial<NhrpCacheEntry["flags"]>,
  ): NhrpCacheEntry {
    const now = this.host.now();
    const cur = this.cache.get(prefix, length);
    if (cur?.type === "static") return cur;
    const entry: NhrpCacheEntry =
      cur !== undefined && cur.type === "dynamic" && cur.nbma === nbma
        ? cur
        : {
            prefix,
            length,
            nextHop,
            nbma,
            type: "dynamic",
            flags: noFlags(),
            createdAt: now,
            hits: 0,
            expiresAt: null,
            timer: null,
          };
    if (cur !== undefined && cur !== entry) this.remove(cur, false);
    const counted = entry === cur && cur.flags.rib;
    Object.assign(entry.flags, flags);
    if (entry.flags.rib && !counted) this.shortcuts++;
    entry.nextHop = nextHop;
    entry.expiresAt = now + Math.max(1, holdingSec) * SEC;
    this.cache.set(entry);
    this.expireAt(entry);
    return entry;
  }

  /** Records the NBMA address a peer claims when we reach it at another one (it is behind a NAT). */
  private noteClaim(entry: NhrpCacheEntry, claimed: number): void {
    if (entry.type !== "dynamic" || entry.nbma === null) return;
    const natted = entry.nbma !== claimed;
    entry.flags.nat = natted;
    entry.claimedNbma = natted ? claimed : undefined;
  }

  private expireAt(entry: NhrpCacheEntry): void {
    entry.timer?.cancel();
    if (entry.expiresAt === null) return;
    entry.timer = this.host.after(entry.expiresAt - this.host.now(), "nhrp-cache-expiry", () => {
      entry.timer = null;
      this.remove(entry);
    });
  }

  /** Takes an entry out (expired, purged, cleared, replaced). */
  private remove(entry: NhrpCacheEntry, announce = true): void {
    this.cache.delete(entry);
    if (entry.flags.rib) {
      this.shortcuts--;
      this.services.routesChanged();
    }
    const me = this.endpoint();
    if (!announce || me === undefined || entry.nbma === null || entry.length !== 32) return;
    const endpoint = { protocol: entry.prefix, nbma: entry.nbma };
    if (entry.flags.registered) this.host.emit({ kind: "nhcDown", ifc: this.ifc, client: endpoint, local: me });
    else if (entry.flags.router) this.host.emit({ kind: "nhpDown", ifc: this.ifc, peer: endpoint, local: me });
  }

  /** `clear ip nhrp`: every dynamic and incomplete entry goes; the NHS registrations are sent again. */
  clear(): void {
    for (const e of [...this.cache.values()]) if (e.type !== "static") this.remove(e, false);
    for (const r of this.pending.values()) r.timer?.cancel();
    this.pending.clear();
    for (const s of this.servers) this.schedule(s, 0);
  }

  /** NHRP routes to offer the RIB: prefix, length, next hop. */
  routes(): Array<{ prefix: number; length: number; nextHop: number }> {
    const out: Array<{ prefix: number; length: number; nextHop: number }> = [];
    for (const e of this.cache.values())
      if (e.flags.rib) out.push({ prefix: e.prefix, length: e.length, nextHop: e.nextHop });
    return out;
  }

  // ---- packets -----------------------------------------------------------------------

  private cie(prefixLength: number, nbma: number | null, protocol: number | null): NhrpCie {
    return {
      code: NHRP_CIE_CODE.success,
      prefixLength,
      mtu: CIE_MTU,
      holdingTime: this.config.holdtimeSec,
      clientNbma: nbma,
      clientProtocol: protocol,
      preference: 0,
    };
  }

  private authExtension(): NhrpExtension[] {
    const a = this.config.authentication;
    return a === undefined
      ? []
      : [{ compulsory: true, kind: "authentication", spi: 1, data: new TextEncoder().encode(a) }];
  }

  /** The extensions IOS puts in a request: responder, transit records, authentication, NAT (ours, if behind one). */
  private requestExtensions(): NhrpExtension[] {
    const me = this.protocolAddress();
    return [
      { compulsory: true, kind: "responderAddress", cies: [] },
      { compulsory: true, kind: "forwardTransit", cies: [] },
      { compulsory: true, kind: "reverseTransit", cies: [] },
      ...this.authExtension(),
      {
        compulsory: false,
        kind: "natAddress",
        cies: this.natNbma === undefined || me === undefined ? [] : [this.cie(32, this.natNbma, me)],
      },
    ];
  }

  /** A reply's extensions: ours as responder, the request's transit records, the NAT address we saw. */
  private replyExtensions(p: NhrpPacket, nat: { nbma: number; protocol: number } | null): NhrpExtension[] {
    const me = this.endpoint()!;
    const forward = p.extensions?.find((e) => e.kind === "forwardTransit");
    return [
      { compulsory: true, kind: "responderAddress", cies: [this.cie(32, me.nbma, me.protocol)] },
      {
        compulsory: true,
        kind: "forwardTransit",
        cies: forward !== undefined && "cies" in forward ? forward.cies : [],
      },
      { compulsory: true, kind: "reverseTransit", cies: [] },
      ...this.authExtension(),
      { compulsory: false, kind: "natAddress", cies: nat === null ? [] : [this.cie(32, nat.nbma, nat.protocol)] },
    ];
  }

  /** A packet with the wrong (or a missing) password is dropped, as IOS does. */
  private authenticated(p: NhrpPacket): boolean {
    const want = this.config.authentication;
    const ext = p.extensions?.find((e) => e.kind === "authentication");
    if (want === undefined) return true;
    if (ext === undefined || ext.kind !== "authentication" || ext.spi !== 1) return false;
    return new TextDecoder().decode(ext.data) === want;
  }

  private send(nbma: number, p: NhrpPacket): void {
    this.traffic.sent.count(p.type);
    const bytes = emitNhrp(p);
    this.host.emit({
      kind: "packet",
      direction: "sent",
      ifc: this.ifc,
      type: p.type,
      size: bytes.length,
      src: p.srcProtocol,
      dst: p.dstProtocol,
    });
    this.tunnel.sendNhrp(ip(nbma), bytes);
  }
}

/** The CIE of a packet's NAT address extension that names `protocol` (its post-NAT NBMA address). */
function natCie(p: NhrpPacket, protocol: number): (NhrpCie & { clientNbma: number }) | undefined {
  const ext = p.extensions?.find((e) => e.kind === "natAddress");
  if (ext === undefined || !("cies" in ext)) return undefined;
  const found = ext.cies.find((c) => c.clientProtocol === protocol && c.clientNbma !== null);
  return found as (NhrpCie & { clientNbma: number }) | undefined;
}
