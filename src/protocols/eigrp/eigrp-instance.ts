// One classic `router eigrp N` process (RFC 7868) on IP protocol 88. EIGRP
// interfaces are those up whose primary address matches a `network`
// statement; on each non-passive one it joins 224.0.0.10 and multicasts a
// hello every hello interval (5 s, less a seeded jitter of up to 10%) with
// its K-values and hold time (15 s). A hello from an unknown router on the
// interface's subnet, same AS and K-values, makes a neighbour (keyed by
// interface and address: no scans), which gets an INIT update; once both
// INITs are acknowledged it receives the whole table (EOT on the last
// packet). Updates, queries and replies go unicast through the neighbour's
// reliable queue (neighbor.ts) and are acknowledged with empty hellos.
// Received routes enter DUAL (dual.ts) with the link's delay and bandwidth
// added (plus inbound offset-lists); its successors go to the RIB as "eigrp"
// (D, distance 90; D EX, 170 for externals). Outgoing updates honour split
// horizon, `no ip next-hop-self` (a route learned on the same interface keeps
// its next hop), summaries (`ip summary-address eigrp`: components suppressed
// out of that interface, the summary advertised with the best component's
// metric and a Null0 discard route at distance 5) and outbound offset-lists.
// Connected networks of EIGRP interfaces are internal routes; `redistribute
// connected|static` makes externals. A goodbye (K1-K5 = 255) is sent when
// the process stops or an interface leaves it.

import type { LocalDatagram } from "../../dataplane/pipeline/ip-types.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import type { RouteSource } from "../../dataplane/rib.ts";
import { NULL0 } from "../../dataplane/rib.ts";
import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import {
  EIGRP_AUTH_MD5,
  EIGRP_FLAG,
  EIGRP_GROUP,
  EIGRP_STUB,
  type EigrpExternalData,
  type EigrpMetric,
  type EigrpPacket,
  type EigrpRoute,
  type EigrpTlv,
  eigrpMd5Verifies,
  emitEigrp,
  IP_PROTO_EIGRP,
  isGoodbye,
  parseEigrp,
} from "../../wire/eigrp.ts";
import { maskFromLength } from "../../wire/ipv4-address.ts";
import type { InterfaceEvent, ProtocolHost, RouterProtocol } from "../protocol.ts";
import {
  announceRedistributionSource,
  type RedistributionSourceHandle,
  RedistributionWatch,
} from "../redistribution.ts";
import { classfulNetwork } from "../rip/rip-config.ts";
import { Dual, type DualIo, entryKey, type TopologyEntry, type TopologyPath } from "./dual.ts";
import {
  EIGRP_ACTIVE_TIME_SECONDS,
  type EigrpConfig,
  type EigrpInterfaceSettings,
  type EigrpSummary,
} from "./eigrp-config.ts";
import type { EigrpDownReason, EigrpEvent } from "./events.ts";
import { addLink, compositeMetric, EIGRP_INFINITY, interfaceMetric, unreachableMetric } from "./metric.ts";
import { EIGRP_RETRY_LIMIT, EigrpNeighbor, MS, neighborKey, type ReliablePacket } from "./neighbor.ts";
import { namedModeDelayPs, psToTensOfUs, ribMetric, wideMetric } from "./wide-metric.ts";

const SEC = 1_000_000_000;

/** The classful network of an address. */
function classful(address: number): { prefix: number; length: number } {
  const c = classfulNetwork(address);
  return { prefix: c.network, length: c.length };
}
const LOCAL = "local";
/** Routes per update packet (keeps packets well under a 1500-byte MTU). */
const ROUTES_PER_PACKET = 40;

/** A summary's best component: the destination's key and its path. */
interface SummaryComponent {
  key: string;
  path: TopologyPath;
}

/** Whether prefix/length is a component of a summary (strictly longer, inside it). */
function within(s: EigrpSummary, prefix: number, length: number): boolean {
  return length > s.length && ((prefix ^ s.prefix) & maskFromLength(s.length)) >>> 0 === 0;
}

/** The summary's local route: to Null0, with its best component's metric. */
function summaryRoute(s: EigrpSummary, best: TopologyPath): TopologyPath & { prefix: number; length: number } {
  return {
    prefix: s.prefix,
    length: s.length,
    from: LOCAL,
    nextHop: 0,
    interface: NULL0,
    metric: best.metric,
    distance: best.distance,
    reported: 0,
    origin: "summary",
  };
}
/** IOS 12.4 / EIGRP 1.2, as many IOS 15 images still announce. */
const SOFTWARE_VERSION: EigrpTlv = { type: "softwareVersion", ios: [12, 4], eigrp: [1, 2] };
/** External protocol ids of the external TLV (RFC 7868 6.9.3.3). */
const EXTERNAL_PROTOCOL = { eigrp: 2, static: 3, rip: 4, ospf: 6, connected: 11 } as const;

/** An EIGRP interface (`show ip eigrp interfaces`). */
export interface EigrpInterfaceState {
  readonly ifc: RouterInterface;
  readonly neighbors: Map<number, EigrpNeighbor>;
  helloTimer?: TimerHandle;
}

/** Counters of packets (`show ip eigrp traffic`). */
export interface EigrpCounters {
  hellosSent: number;
  hellosReceived: number;
  updatesSent: number;
  updatesReceived: number;
  queriesSent: number;
  queriesReceived: number;
  repliesSent: number;
  repliesReceived: number;
  acksSent: number;
  acksReceived: number;
  badPackets: number;
}

export class EigrpInstance implements RouterProtocol {
  readonly dual: Dual;
  /** EIGRP interfaces by name. */
  readonly active = new Map<string, EigrpInterfaceState>();
  readonly neighbors = new Map<string, EigrpNeighbor>();
  readonly counters: EigrpCounters = {
    hellosSent: 0,
    hellosReceived: 0,
    updatesSent: 0,
    updatesReceived: 0,
    queriesSent: 0,
    queriesReceived: 0,
    repliesSent: 0,
    repliesReceived: 0,
    acksSent: 0,
    acksReceived: 0,
    badPackets: 0,
  };
  private nextHandle = 0;
  private sequence = 0;
  /** Destinations whose RIB entry and advertisements must be brought up to date. */
  private readonly dirty = new Set<string>();
  /** Local routes (connected, redistributed, summaries) as last offered to DUAL. */
  private localRoutes = new Map<string, TopologyPath & { prefix: number; length: number }>();
  /** Summary Null0 routes in the RIB, by destination key. */
  private readonly discards = new Map<string, EigrpSummary>();
  /**
   * Each summary out of some interface (by destination key) and its best component now (null: none), so a
   * changed destination updates a summary without a pass over the topology table (a hub summarising a
   * thousand spokes' routes would otherwise read all of them on every update).
   */
  private summaryState = new Map<string, { summary: EigrpSummary; best: SummaryComponent | null }>();
  private readonly blocked = new Set<string>();
  /** auto-summary's classful summaries per interface. */
  private readonly autoSummaries = new Map<string, EigrpSummary[]>();
  private flushing = false;
  /** The inbound distribute lists last applied (JSON), to notice when they change. */
  private inboundFilters = "[]";
  /** The topology table's change counter (each change gets the next serial number). */
  private serno = 0;
  private readonly settingsCache = new Map<string, EigrpInterfaceSettings>();
  /** A RIB commit waiting after received packets (see flush). */
  private ribTimer: TimerHandle | undefined;
  private stopped = false;
  /** The routes `redistribute` takes from the RIB, and our interfaces for whoever redistributes us. */
  private readonly redistribution: RedistributionWatch;
  private readonly asSource: RedistributionSourceHandle;

  constructor(
    private readonly host: ProtocolHost<EigrpEvent>,
    readonly config: EigrpConfig,
  ) {
    const io: DualIo = {
      queryTargets: () =>
        [...this.neighbors.values()].filter((n) => n.established && n.stubFlags === undefined).map((n) => n.key),
      sendQuery: (key, e, metric) => this.queueRoute(key, "query", e, metric),
      sendReply: (key, e, path) => this.queueRoute(key, "reply", e, path === null ? null : this.outMetric(path)),
      changed: (e) => {
        e.serno = ++this.serno;
        this.markDirty(e.key);
      },
      wentActive: (e, queried) => {
        this.host.emit({
          kind: "dual",
          as: config.as,
          prefix: e.prefix,
          length: e.length,
          to: "active",
          detail: queried,
        });
        e.active!.since = this.host.now();
        e.active!.siaTimer = this.host.after(EIGRP_ACTIVE_TIME_SECONDS * SEC, "eigrp-sia", () => this.stuckInActive(e));
      },
      wentPassive: (e) =>
        this.host.emit({
          kind: "dual",
          as: config.as,
          prefix: e.prefix,
          length: e.length,
          to: "passive",
          detail: e.fd,
        }),
    };
    this.dual = new Dual(io, () => ({ variance: config.variance, maximumPaths: config.maximumPaths }));
    host.bind({ ipProtocol: IP_PROTO_EIGRP }, (d) => this.receive(d));
    this.asSource = announceRedistributionSource(host.rib, this.owner);
    this.redistribution = new RedistributionWatch({
      rib: host.rib,
      name: this.owner,
      rules: () => this.config.redistribute,
      routeMap: (name, subject) => this.config.routeMap(name, subject),
      // Inside a RIB commit: the local routes are re-read right after it.
      changed: () => this.refreshLocalSoon(),
    });
    this.reconfigure();
  }

  // ---- state for the shows ----------------------------------------------

  /** The router ID: `eigrp router-id`, else the highest loopback address, else the highest address. */
  get routerId(): number {
    if (this.config.routerId !== undefined) return this.config.routerId;
    let loop = 0;
    let any = 0;
    for (const i of this.host.interfaces()) {
      const a = i.config.address?.address;
      if (a === undefined || !i.lineProtocolUp) continue;
      if (/^Loopback/i.test(i.name)) loop = Math.max(loop, a >>> 0);
      any = Math.max(any, a >>> 0);
    }
    return loop !== 0 ? loop : any;
  }

  /** EIGRP interfaces in the router's order. */
  eigrpInterfaces(): EigrpInterfaceState[] {
    return this.host
      .interfaces()
      .map((i) => this.active.get(i.name))
      .filter((s) => s !== undefined);
  }

  isPassive(name: string): boolean {
    return this.config.passiveDefault !== this.config.passiveExceptions.has(name);
  }

  /** Neighbours in handle order, as `show ip eigrp neighbors` lists them. */
  neighborList(): EigrpNeighbor[] {
    return [...this.neighbors.values()].sort((a, b) => a.handle - b.handle);
  }

  now(): TimeNs {
    return this.host.now();
  }

  // ---- configuration and interfaces ---------------------------------------

  reconfigure(): void {
    this.settingsCache.clear();
    const wanted = new Map<string, RouterInterface>();
    for (const ifc of this.host.interfaces()) if (this.covered(ifc)) wanted.set(ifc.name, ifc);
    for (const [name, st] of [...this.active]) {
      const keep = wanted.get(name) === st.ifc && !this.isPassive(name);
      if (keep) continue;
      // Leaving EIGRP (or going passive): neighbours go, hellos stop.
      const reason: EigrpDownReason = !st.ifc.lineProtocolUp
        ? "interfaceDown"
        : wanted.has(name)
          ? "interfacePassive"
          : "interfaceDown";
      if (st.ifc.lineProtocolUp && st.neighbors.size > 0) this.sendGoodbye(st.ifc);
      for (const n of [...st.neighbors.values()]) this.neighborDown(n, reason);
      st.helloTimer?.cancel();
      this.host.leaveGroup(st.ifc, EIGRP_GROUP);
      this.active.delete(name);
    }
    for (const [name, ifc] of wanted) {
      if (this.active.has(name) || this.isPassive(name)) continue;
      const st: EigrpInterfaceState = { ifc, neighbors: new Map() };
      this.active.set(name, st);
      this.host.joinGroup(ifc, EIGRP_GROUP);
      this.sendHello(st);
    }
    this.asSource.setInterfaces(
      this.host
        .interfaces()
        .filter((i) => this.covered(i))
        .map((i) => i.name),
    );
    this.redistribution.refresh();
    this.refreshLocal();
    this.refilterInbound();
    // Summaries, split horizon and next-hop-self may have changed: every destination is re-advertised.
    for (const k of this.dual.entries.keys()) this.dirty.add(k);
    this.flush();
  }

  interfaceEvent(_event: InterfaceEvent): void {
    this.reconfigure();
  }

  /** Whether an interface's connected network belongs to the process: up, addressed, matched by a network statement. */
  covered(ifc: RouterInterface): boolean {
    if (!ifc.lineProtocolUp) return false;
    const a = ifc.config.address?.address;
    if (a === undefined) return false;
    return this.config.networks.some((n) => ((a ^ n.address) & ~n.wildcard) >>> 0 === 0);
  }

  /** An interface's settings, read once per configuration change (reconfigure() forgets them). */
  private settings(name: string): EigrpInterfaceSettings {
    let s = this.settingsCache.get(name);
    if (s === undefined) {
      s = this.config.interfaceSettings(name);
      this.settingsCache.set(name, s);
    }
    return s;
  }

  stop(): void {
    this.stopped = true;
    for (const st of this.active.values()) {
      if (st.neighbors.size > 0) this.sendGoodbye(st.ifc);
      st.helloTimer?.cancel();
      for (const n of [...st.neighbors.values()]) {
        n.cancelTimers();
        this.host.emit({
          kind: "neighborDown",
          as: this.config.as,
          address: n.address,
          interface: n.ifc.name,
          reason: "processStopped",
        });
      }
    }
    for (const e of this.dual.entries.values()) e.active?.siaTimer?.cancel();
    this.ribTimer?.cancel();
    this.redistribution.stop();
    this.asSource.withdraw();
    this.host.rib.withdrawSource("eigrp" satisfies RouteSource, this.owner);
    this.host.rib.commit();
  }

  private get owner(): string {
    return `eigrp ${this.config.as}`;
  }

  // ---- local routes -------------------------------------------------------

  private refreshPending = false;

  /** Redistribution follows the RIB: re-read the local routes once the current commit is over. */
  private refreshLocalSoon(): void {
    if (this.refreshPending || this.stopped) return;
    this.refreshPending = true;
    this.host.after(0, "eigrp-redistribute", () => {
      this.refreshPending = false;
      this.refreshLocal();
      this.flush();
    });
  }

  /** Re-reads connected, redistributed and summary routes and tells DUAL what changed. */
  private refreshLocal(): void {
    const next = new Map<string, TopologyPath & { prefix: number; length: number }>();
    for (const ifc of this.host.interfaces()) {
      if (!this.covered(ifc)) continue;
      const a = ifc.config.address!;
      const prefix = (a.address & maskFromLength(a.length)) >>> 0;
      const metric = interfaceMetric(this.link(ifc));
      next.set(entryKey(prefix, a.length), {
        prefix,
        length: a.length,
        from: LOCAL,
        nextHop: 0,
        interface: ifc.name,
        metric,
        distance: this.metricOf(metric),
        reported: 0,
        origin: "connected",
      });
    }
    for (const red of this.redistribution.routes()) {
      const key = entryKey(red.prefix, red.length);
      if (next.has(key)) continue;
      const rule = this.config.redistribute[red.rule];
      if (rule === undefined) continue;
      const ifc =
        red.interface !== undefined ? this.host.interfaces().find((i) => i.name === red.interface) : undefined;
      // The metric: the route map's, the line's, default-metric, else (connected and static only) the interface's.
      const set = typeof red.set.metric === "object" ? red.set.metric : undefined;
      const given = set ?? rule.metric ?? this.config.defaultMetric;
      let metric: EigrpMetric;
      if (given !== undefined)
        metric = {
          ...interfaceMetric({
            bandwidthKbps: given.bandwidthKbps,
            delayTensOfUs: given.delayTensOfUs,
            mtu: given.mtu,
          }),
          reliability: given.reliability,
          load: given.load,
        };
      else if ((red.source === "connected" || red.source === "static") && ifc !== undefined)
        metric = interfaceMetric(this.link(ifc));
      else continue;
      const src = rule.source;
      const external: EigrpExternalData = {
        originatingRouter: this.routerId,
        originatingAs: src.protocol === "ospf" || src.protocol === "eigrp" ? src.process : 0,
        tag: red.set.tag ?? 0,
        externalMetric: red.source === "connected" || red.source === "static" ? 0 : red.metric,
        protocol: EXTERNAL_PROTOCOL[src.protocol],
        flags: 0,
      };
      next.set(key, {
        prefix: red.prefix,
        length: red.length,
        from: LOCAL,
        nextHop: 0,
        interface: red.interface ?? NULL0,
        metric,
        distance: this.metricOf(metric),
        reported: 0,
        external,
        origin: "redistributed",
      });
    }
    // auto-summary: out of an interface, a connected network of another major network goes as its classful network.
    this.autoSummaries.clear();
    if (this.config.autoSummary) {
      for (const ifc of this.host.interfaces()) {
        if (!this.covered(ifc)) continue;
        const own = classful(ifc.config.address!.address);
        const list: EigrpSummary[] = [];
        for (const l of next.values()) {
          if (l.origin !== "connected") continue;
          const c = classful(l.prefix);
          if (c.prefix === own.prefix || l.length <= c.length) continue;
          if (!list.some((x) => x.prefix === c.prefix)) list.push({ ...c, distance: 5 });
        }
        if (list.length > 0) this.autoSummaries.set(ifc.name, list);
      }
    }
    // Summaries: one per configured prefix, with the best component's metric, while a component exists.
    const summaries = new Map<string, EigrpSummary>();
    for (const st of this.host.interfaces()) {
      if (!this.covered(st)) continue;
      for (const s of this.summariesOn(st.name)) summaries.set(entryKey(s.prefix, s.length), s);
    }
    this.summaryState = new Map();
    for (const [key, s] of summaries) {
      const best = this.bestComponent(s, next);
      this.summaryState.set(key, { summary: s, best });
      if (best !== null) next.set(key, summaryRoute(s, best.path));
    }
    const before = this.localRoutes;
    this.localRoutes = next;
    for (const [key, p] of next) {
      const old = before.get(key);
      if (old !== undefined && old.distance === p.distance && old.interface === p.interface) continue;
      this.dual.input(p.prefix, p.length, LOCAL, p, "update");
    }
    for (const [key, old] of before) if (!next.has(key)) this.dual.input(old.prefix, old.length, LOCAL, null, "lost");
    // Discard routes follow the summaries in the topology table.
    for (const [key, s] of summaries) if (next.has(key)) this.discards.set(key, s);
    for (const key of [...this.discards.keys()]) {
      if (!next.has(key) || next.get(key)!.origin !== "summary") {
        this.discards.delete(key);
        this.dirty.add(key);
      }
    }
  }

  /** A summary's best component (lowest distance) among local routes and the topology table, by a full pass. */
  private bestComponent(
    s: EigrpSummary,
    local: ReadonlyMap<string, TopologyPath & { prefix: number; length: number }>,
  ): SummaryComponent | null {
    let best: SummaryComponent | null = null;
    const consider = (key: string, path: TopologyPath, prefix: number, length: number) => {
      if (!within(s, prefix, length)) return;
      if (best === null || path.distance < best.path.distance) best = { key, path };
    };
    for (const [key, l] of local) if (l.origin !== "summary") consider(key, l, l.prefix, l.length);
    for (const [key, e] of this.dual.entries) {
      const p = e.successors[0];
      if (p !== undefined && p.origin !== "summary") consider(key, p, e.prefix, e.length);
    }
    return best;
  }

  /**
   * Brings the summaries up to date with changed destinations: a component better than a summary's best
   * becomes its best; a change to the best itself (worse, or gone) takes a full pass for that summary.
   * A summary whose distance changes (or that appears or goes) goes to DUAL, its discard route follows.
   */
  private refreshSummaries(changed: readonly string[]): void {
    for (const [key, st] of this.summaryState) {
      const s = st.summary;
      let best = st.best;
      let rescan = false;
      for (const k of changed) {
        const slash = k.indexOf("/");
        if (!within(s, Number(k.slice(0, slash)), Number(k.slice(slash + 1)))) continue;
        if (best !== null && best.key === k) {
          rescan = true;
          break;
        }
        const p = this.dual.entries.get(k)?.successors[0];
        if (p !== undefined && p.origin !== "summary" && (best === null || p.distance < best.path.distance))
          best = { key: k, path: p };
      }
      if (rescan) best = this.bestComponent(s, this.localRoutes);
      if (best === st.best) continue;
      st.best = best;
      const old = this.localRoutes.get(key);
      if (best === null) {
        if (old === undefined || old.origin !== "summary") continue;
        this.localRoutes.delete(key);
        this.dual.input(old.prefix, old.length, LOCAL, null, "lost");
        if (this.discards.delete(key)) this.dirty.add(key);
        continue;
      }
      const route = summaryRoute(s, best.path);
      this.localRoutes.set(key, route);
      this.discards.set(key, s);
      if (old !== undefined && old.distance === route.distance && old.interface === route.interface) continue;
      this.dual.input(route.prefix, route.length, LOCAL, route, "update");
    }
  }

  /** The summaries out of an interface: `ip summary-address eigrp` and auto-summary's classful ones. */
  summariesOn(ifcName: string): readonly EigrpSummary[] {
    const auto = this.autoSummaries.get(ifcName);
    const configured = this.settings(ifcName).summaries;
    return auto === undefined ? configured : [...configured, ...auto];
  }

  private link(ifc: RouterInterface): { bandwidthKbps: number; delayTensOfUs: number; mtu: number } {
    if (this.config.named === undefined)
      return { bandwidthKbps: ifc.bandwidthKbps, delayTensOfUs: ifc.delayTensOfUs, mtu: ifc.ipMtu };
    const ps = namedModeDelayPs({
      bandwidthKbps: ifc.bandwidthKbps,
      delayTensOfUs: ifc.delayTensOfUs,
      bandwidthConfigured: ifc.config.bandwidthKbps !== undefined,
      delayConfigured: ifc.config.delayTensOfUs !== undefined,
    });
    return { bandwidthKbps: ifc.bandwidthKbps, delayTensOfUs: psToTensOfUs(ps), mtu: ifc.ipMtu };
  }

  /** The distance DUAL compares: the classic composite metric, or named mode's wide metric. */
  metricOf(m: EigrpMetric): number {
    return this.config.named === undefined
      ? compositeMetric(m, this.config.kValues)
      : wideMetric(m, this.config.kValues);
  }

  /** The metric the RIB gets for a distance (named mode scales the wide metric down by `metric rib-scale`). */
  private ribMetricOf(distance: number): number {
    return this.config.named === undefined ? distance : ribMetric(distance, this.config.named.ribScale);
  }

  // ---- hellos and neighbours ------------------------------------------------

  private helloTlvs(holdSeconds: number, goodbye = false): EigrpTlv[] {
    const k = goodbye ? [255, 255, 255, 255, 255, 255] : [...this.config.kValues, 0];
    const tlvs: EigrpTlv[] = [
      { type: "parameters", k: k as [number, number, number, number, number, number], holdTime: holdSeconds },
      SOFTWARE_VERSION,
    ];
    if (this.config.stub !== undefined) tlvs.push({ type: "stub", flags: this.config.stub });
    return tlvs;
  }

  /** `eigrp stub`: whether a route we use may be advertised (only what the stub's flags name, never learned ones). */
  private stubAllows(p: TopologyPath): boolean {
    const flags = this.config.stub;
    if (flags === undefined) return true;
    if (p.from !== LOCAL || (flags & EIGRP_STUB.RECEIVE_ONLY) !== 0) return false;
    if (p.origin === "connected") return (flags & EIGRP_STUB.CONNECTED) !== 0;
    if (p.origin === "summary") return (flags & EIGRP_STUB.SUMMARY) !== 0;
    const isStatic = p.external?.protocol === EXTERNAL_PROTOCOL.static;
    return (flags & (isStatic ? EIGRP_STUB.STATIC : EIGRP_STUB.REDISTRIBUTED)) !== 0;
  }

  private sendHello(st: EigrpInterfaceState): void {
    const s = this.settings(st.ifc.name);
    const payload = this.emitOn(st.ifc, {
      opcode: "hello",
      flags: 0,
      sequence: 0,
      ack: 0,
      as: this.config.as,
      tlvs: this.helloTlvs(s.holdSeconds),
    });
    this.counters.hellosSent++;
    this.host.sendLinkLocal(st.ifc, EIGRP_GROUP, { protocol: IP_PROTO_EIGRP, payload, tos: 0xc0 });
    const b = this.host.randomBytes(1);
    const period = s.helloSeconds * SEC;
    const delay = period - Math.floor((b[0]! / 256) * (period / 10));
    st.helloTimer = this.host.after(delay, "eigrp-hello", () => {
      if (this.active.get(st.ifc.name) === st) this.sendHello(st);
    });
  }

  private sendGoodbye(ifc: RouterInterface): void {
    const payload = this.emitOn(ifc, {
      opcode: "hello",
      flags: 0,
      sequence: 0,
      ack: 0,
      as: this.config.as,
      tlvs: this.helloTlvs(this.settings(ifc.name).holdSeconds, true),
    });
    this.host.sendLinkLocal(ifc, EIGRP_GROUP, { protocol: IP_PROTO_EIGRP, payload, tos: 0xc0 });
  }

  private armHold(n: EigrpNeighbor): void {
    const due = n.lastHeard + n.holdSeconds * SEC;
    n.holdTimer = this.host.after(Math.max(0, due - this.host.now()), "eigrp-hold", () => {
      n.holdTimer = undefined;
      if (this.neighbors.get(n.key) !== n) return;
      // Heard since the timer was armed: wait for the new deadline (no re-arming per packet).
      if (n.lastHeard + n.holdSeconds * SEC > this.host.now()) this.armHold(n);
      else this.neighborDown(n, "holdTimeExpired");
    });
  }

  private neighborUp(st: EigrpInterfaceState, address: number, holdSeconds: number): EigrpNeighbor {
    const n = new EigrpNeighbor(address, st.ifc, this.nextHandle++, holdSeconds, this.host.now());
    this.neighbors.set(n.key, n);
    st.neighbors.set(address >>> 0, n);
    this.armHold(n);
    this.host.emit({ kind: "neighborUp", as: this.config.as, address, interface: st.ifc.name });
    this.enqueue(n, { opcode: "update", flags: EIGRP_FLAG.INIT, tlvs: [], sequence: 0 });
    return n;
  }

  /** Tears a neighbour down: its paths leave DUAL (destinations may go active). */
  neighborDown(n: EigrpNeighbor, reason: EigrpDownReason): void {
    if (this.neighbors.get(n.key) !== n) return;
    n.cancelTimers();
    this.neighbors.delete(n.key);
    this.active.get(n.ifc.name)?.neighbors.delete(n.address >>> 0);
    this.host.emit({ kind: "neighborDown", as: this.config.as, address: n.address, interface: n.ifc.name, reason });
    this.dual.neighborDown(n.key);
    this.flush();
  }

  /** `clear ip eigrp neighbors`: every adjacency restarts. */
  clearNeighbors(): void {
    for (const n of [...this.neighbors.values()]) this.neighborDown(n, "manuallyCleared");
  }

  private stuckInActive(e: TopologyEntry): void {
    if (e.active === undefined) return;
    e.active.siaTimer = undefined;
    for (const key of this.dual.laggards(e)) {
      const n = this.neighbors.get(key);
      if (n !== undefined) this.neighborDown(n, "stuckInActive");
    }
  }

  // ---- reliable transport ---------------------------------------------------

  private enqueue(n: EigrpNeighbor, p: ReliablePacket): void {
    n.queue.push(p);
    if (n.queue.length === 1) this.transmitHead(n);
  }

  private transmitHead(n: EigrpNeighbor): void {
    const p = n.queue[0];
    if (p === undefined) {
      if (n.pendingUpdate.size > 0 || n.pendingEot) this.buildUpdate(n);
      return;
    }
    if (p.sequence === 0) {
      this.sequence = (this.sequence % 0xffffffff) + 1;
      p.sequence = this.sequence;
      n.firstSentAt = this.host.now();
      n.retransmissions = 0;
    }
    this.sendUnicast(n, {
      opcode: p.opcode,
      flags: p.flags,
      sequence: p.sequence,
      ack: 0,
      as: this.config.as,
      tlvs: p.tlvs,
    });
    if (p.opcode === "update") this.counters.updatesSent++;
    else if (p.opcode === "query") this.counters.queriesSent++;
    else this.counters.repliesSent++;
    n.retransmitTimer?.cancel();
    n.retransmitTimer = this.host.after(n.rtoMs * MS, "eigrp-retransmit", () => {
      n.retransmitTimer = undefined;
      if (this.neighbors.get(n.key) !== n || n.queue[0] !== p) return;
      n.retransmissions++;
      n.retransmitCount++;
      if (n.retransmissions >= EIGRP_RETRY_LIMIT) {
        this.neighborDown(n, "retryLimitExceeded");
        return;
      }
      this.transmitHead(n);
    });
  }

  private acknowledged(n: EigrpNeighbor, ack: number): void {
    const p = n.queue[0];
    if (p === undefined || p.sequence !== ack) return;
    this.counters.acksReceived++;
    n.queue.shift();
    n.retransmitTimer?.cancel();
    n.retransmitTimer = undefined;
    if (n.retransmissions === 0) n.sample(Math.max(1, Math.round((this.host.now() - n.firstSentAt) / MS)));
    if ((p.flags & EIGRP_FLAG.INIT) !== 0 && !n.initAcked) {
      n.initAcked = true;
      if (n.established) this.sendWholeTable(n);
    }
    this.transmitHead(n);
  }

  /** A packet's bytes for an interface: signed first with an MD5 authentication TLV when the interface wants it. */
  private emitOn(ifc: RouterInterface, p: EigrpPacket): Uint8Array {
    const key = this.settings(ifc.name).md5?.send();
    if (key === undefined) return emitEigrp(p);
    const auth: EigrpTlv = {
      type: "authentication",
      authType: EIGRP_AUTH_MD5,
      keyId: key.id,
      keySequence: 0,
      digest: new Uint8Array(16),
    };
    return emitEigrp({ ...p, tlvs: [auth, ...p.tlvs] }, key.key);
  }

  /** Whether a received packet passes the interface's MD5 authentication (always, when it has none). */
  private authentic(ifc: RouterInterface, raw: Uint8Array, p: EigrpPacket): boolean {
    const md5 = this.settings(ifc.name).md5;
    if (md5 === undefined) return true;
    const auth = p.tlvs[0];
    if (auth?.type !== "authentication" || auth.authType !== EIGRP_AUTH_MD5) return false;
    const key = md5.key(auth.keyId);
    return key !== undefined && eigrpMd5Verifies(raw, key);
  }

  private sendUnicast(n: EigrpNeighbor, p: EigrpPacket): void {
    const payload = this.emitOn(n.ifc, p);
    this.host.sendVia(n.ifc, n.address, { dst: n.address, protocol: IP_PROTO_EIGRP, payload, tos: 0xc0, ttl: 2 });
  }

  private sendAck(n: EigrpNeighbor, sequence: number): void {
    this.counters.acksSent++;
    this.sendUnicast(n, { opcode: "hello", flags: 0, sequence: 0, ack: sequence, as: this.config.as, tlvs: [] });
  }

  // ---- receiving ------------------------------------------------------------

  private receive(d: LocalDatagram): void {
    const ifc = d.ingress;
    if (ifc === null || this.stopped) return;
    const src = d.header.src >>> 0;
    const parsed = parseEigrp(d.header.payload);
    if (!parsed.ok) {
      this.counters.badPackets++;
      this.host.emit({ kind: "badPacket", interface: ifc.name, source: src, reason: parsed.error.detail });
      return;
    }
    const p = parsed.value;
    if (p.as !== this.config.as) return;
    const st = this.active.get(ifc.name);
    if (st === undefined) return;
    const a = ifc.config.address;
    if (a === undefined || src === a.address >>> 0) return;
    if (!this.authentic(ifc, d.header.payload, p)) {
      this.counters.badPackets++;
      this.host.emit({ kind: "badPacket", interface: ifc.name, source: src, reason: "authentication" });
      return;
    }
    let n = st.neighbors.get(src);
    if (p.opcode === "hello" && p.tlvs.some((t) => t.type === "parameters")) {
      this.counters.hellosReceived++;
      if (((src ^ a.address) & maskFromLength(a.length)) >>> 0 !== 0) {
        this.blockOnce(ifc, src, "notOnCommonSubnet");
        return;
      }
      const params = p.tlvs.find((t) => t.type === "parameters");
      if (params?.type === "parameters") {
        if (isGoodbye(params)) {
          if (n !== undefined) this.neighborDown(n, "peerTermination");
          return;
        }
        const k = this.config.kValues;
        if (params.k.slice(0, 5).some((v, i) => v !== k[i])) {
          if (n !== undefined) this.neighborDown(n, "kValueMismatch");
          this.blockOnce(ifc, src, "kValueMismatch");
          return;
        }
        this.blocked.delete(neighborKey(ifc.name, src));
        if (n === undefined) n = this.neighborUp(st, src, params.holdTime);
        n.holdSeconds = params.holdTime;
      }
      const sv = p.tlvs.find((t) => t.type === "softwareVersion");
      if (n !== undefined && sv?.type === "softwareVersion") n.version = [...sv.ios, ...sv.eigrp];
      // A stub neighbour (its hellos carry the stub TLV) is never queried.
      const stub = p.tlvs.find((t) => t.type === "stub");
      if (n !== undefined) n.stubFlags = stub?.type === "stub" ? stub.flags : undefined;
    }
    if (n === undefined) return;
    n.lastHeard = this.host.now();
    if (p.ack !== 0) this.acknowledged(n, p.ack);
    if (p.opcode === "hello") return;
    // Conditionally received multicast: we never asked for it (we send reliable packets unicast).
    if ((p.flags & EIGRP_FLAG.CR) !== 0) return;
    if (p.sequence === 0) return;
    this.sendAck(n, p.sequence);
    if (p.sequence === n.lastSequence) return; // a retransmission of what we already took
    n.lastSequence = p.sequence;
    if ((p.flags & EIGRP_FLAG.INIT) !== 0) {
      if (n.initReceived) {
        // The peer started over ("peer restarted"): the adjacency restarts at once and this INIT,
        // already acknowledged, is the new adjacency's. Dropping it left the peer with its INIT
        // acknowledged and us waiting for another that never came: no routes flowed after a short flap.
        const old = n;
        this.neighborDown(old, "peerRestarted");
        n = this.neighborUp(st, old.address, old.holdSeconds);
        n.version = old.version;
        n.stubFlags = old.stubFlags;
        n.lastSequence = p.sequence;
      }
      n.initReceived = true;
      if (n.established) this.sendWholeTable(n);
    }
    if (!n.initReceived) return;
    if (p.opcode === "update") this.counters.updatesReceived++;
    else if (p.opcode === "query") this.counters.queriesReceived++;
    else if (p.opcode === "reply") this.counters.repliesReceived++;
    const input =
      p.opcode === "query" || p.opcode === "siaQuery" ? "query" : p.opcode === "update" ? "update" : "reply";
    for (const t of p.tlvs) {
      if (t.type !== "internal" && t.type !== "external") continue;
      n.lastRoutesAt = this.host.now();
      this.learn(n, t.route, input);
    }
    this.flush(false);
  }

  private blockOnce(ifc: RouterInterface, src: number, reason: "notOnCommonSubnet" | "kValueMismatch"): void {
    const key = neighborKey(ifc.name, src);
    if (this.blocked.has(key)) return;
    this.blocked.add(key);
    this.host.emit({ kind: "neighborBlocked", as: this.config.as, address: src, interface: ifc.name, reason });
  }

  /** One route TLV from a neighbour into DUAL. */
  private learn(n: EigrpNeighbor, r: EigrpRoute, input: "update" | "query" | "reply"): void {
    const mask = maskFromLength(r.length);
    const prefix = (r.prefix & mask) >>> 0;
    // Our own redistributed routes coming back are ignored (IOS checks the originating router).
    if (r.external !== undefined && r.external.originatingRouter >>> 0 === this.routerId >>> 0) {
      if (input === "query") this.dual.input(prefix, r.length, n.key, null, "query");
      return;
    }
    const offset = this.offset("in", prefix, n.ifc.name);
    const metric = addLink(r.metric, this.link(n.ifc), offset);
    const distance = this.metricOf(metric);
    const reported = this.metricOf(r.metric);
    // `distribute-list ... in`: a denied route never enters the topology table (a query still gets its reply);
    // it is kept aside so that a changed list can let it in.
    const permitted = this.distributed("in", prefix, r.length, n.ifc.name);
    if (!permitted && reported < EIGRP_INFINITY) n.filteredIn.set(entryKey(prefix, r.length), r);
    else if (n.filteredIn.size > 0) n.filteredIn.delete(entryKey(prefix, r.length));
    const nextHop = this.usableNextHop(n.ifc, r.nextHop) ?? n.address;
    const path: TopologyPath | null =
      distance >= EIGRP_INFINITY || !permitted
        ? null
        : {
            from: n.key,
            nextHop,
            interface: n.ifc.name,
            metric,
            distance,
            reported,
            ...(r.external !== undefined ? { external: r.external } : {}),
          };
    this.dual.input(prefix, r.length, n.key, path, input);
  }

  /** A next hop field names another router on the interface's subnet: used as is (no next-hop-self upstream). */
  private usableNextHop(ifc: RouterInterface, nextHop: number): number | undefined {
    const a = ifc.config.address;
    if (nextHop === 0 || a === undefined || nextHop >>> 0 === a.address >>> 0) return undefined;
    return ((nextHop ^ a.address) & maskFromLength(a.length)) >>> 0 === 0 ? nextHop >>> 0 : undefined;
  }

  /** Whether the distribute lists of a direction let a route through an interface: its own and the global one must both permit. */
  private distributed(direction: "in" | "out", prefix: number, length: number, ifc: string): boolean {
    for (const d of this.config.distributeLists) {
      if (d.direction !== direction || (d.interface !== undefined && d.interface !== ifc)) continue;
      if (!this.config.distributePermits(d, prefix, length)) return false;
    }
    return true;
  }

  /**
   * A changed `distribute-list ... in`: paths it now denies leave the topology table, routes it now permits
   * come in from what the neighbours sent and the old lists denied. (IOS resyncs the neighbours instead; a path
   * denied here and permitted later returns with the neighbour's next update of it.)
   */
  private refilterInbound(): void {
    const signature = JSON.stringify(this.config.distributeLists.filter((d) => d.direction === "in"));
    if (signature === this.inboundFilters) return;
    this.inboundFilters = signature;
    for (const e of [...this.dual.entries.values()])
      for (const p of [...e.paths.values()])
        if (p.from !== LOCAL && !this.distributed("in", e.prefix, e.length, p.interface))
          this.dual.input(e.prefix, e.length, p.from, null, "update");
    for (const n of this.neighbors.values()) for (const r of [...n.filteredIn.values()]) this.learn(n, r, "update");
  }

  private offset(direction: "in" | "out", prefix: number, ifc: string): number {
    let total = 0;
    for (const o of this.config.offsetLists) {
      if (o.direction !== direction) continue;
      if (o.interface !== undefined && o.interface !== ifc) continue;
      if (this.config.aclPermits(o.acl, prefix)) total += o.offset;
    }
    return total;
  }

  // ---- sending routes -------------------------------------------------------

  private markDirty(key: string): void {
    this.dirty.add(key);
  }

  /** The metric we advertise for a path (our metric through it). */
  private outMetric(p: TopologyPath): EigrpMetric {
    return p.metric;
  }

  /** A query or reply for one destination into a neighbour's queue. */
  private queueRoute(key: string, opcode: "query" | "reply", e: TopologyEntry, ours: EigrpMetric | null): void {
    const n = this.neighbors.get(key);
    if (n === undefined) return;
    // A destination `distribute-list ... out` hides from the neighbour, or a summary out of its interface
    // suppresses, is answered as unreachable (a reply with the metric would undo the withdrawal, and the
    // neighbour's next query would start it over).
    const hidden =
      !this.distributed("out", e.prefix, e.length, n.ifc.name) || this.suppressedBy(n.ifc.name, e.prefix, e.length);
    const metric = hidden ? null : ours;
    const m = metric ?? unreachableMetric();
    const route: EigrpRoute = { nextHop: 0, metric: m, prefix: e.prefix, length: e.length };
    const ext = e.successors[0]?.external;
    const tlv: EigrpTlv =
      ext !== undefined ? { type: "external", route: { ...route, external: ext } } : { type: "internal", route };
    this.enqueue(n, { opcode, flags: 0, tlvs: [tlv], sequence: 0 });
    // What a neighbour was told in a reply or query is what it knows from us.
    n.advertise(e.key, metric === null ? EIGRP_INFINITY : this.metricOf(m), 0);
  }

  /** Whether a summary configured on the interface hides this destination there. */
  private suppressedBy(ifcName: string, prefix: number, length: number): boolean {
    for (const s of this.summariesOn(ifcName)) {
      if (length <= s.length) continue;
      if (((prefix ^ s.prefix) & maskFromLength(s.length)) >>> 0 !== 0) continue;
      if (this.discards.has(entryKey(s.prefix, s.length))) return true;
    }
    return false;
  }

  /** The route TLV a neighbour should have for a destination now, or null for none (not advertised). */
  private desired(n: EigrpNeighbor, e: TopologyEntry | undefined): EigrpRoute | null {
    if (e === undefined || e.state === "active") return null;
    const s = e.successors[0];
    if (s === undefined || !this.stubAllows(s)) return null;
    const ifcName = n.ifc.name;
    if (!this.distributed("out", e.prefix, e.length, ifcName)) return null;
    const set = this.settings(ifcName);
    if (s.origin === "summary") {
      if (!this.summariesOn(ifcName).some((x) => x.prefix === e.prefix && x.length === e.length)) return null;
    } else if (this.suppressedBy(ifcName, e.prefix, e.length)) return null;
    const sameInterface = e.successors.some((p) => p.interface === ifcName && p.from !== LOCAL);
    if (sameInterface && set.splitHorizon) return null;
    // Never send a neighbour its own route back as a path through us (it is the successor).
    if (e.successors.some((p) => p.from === n.key) && set.splitHorizon) return null;
    const nextHop = sameInterface && !set.nextHopSelf && s.from !== n.key ? s.nextHop : 0;
    const out = this.offset("out", e.prefix, ifcName);
    const metric = out > 0 ? { ...s.metric, delay: s.metric.delay + out } : s.metric;
    return {
      nextHop,
      metric,
      prefix: e.prefix,
      length: e.length,
      ...(s.external !== undefined ? { external: s.external } : {}),
    };
  }

  /**
   * Brings the RIB and every neighbour up to date with the dirty destinations. Configuration changes commit the
   * RIB at once; received packets leave the commit to a timer 1 ms later, so a burst of updates (a new
   * neighbour's table, a thousand spokes) costs one RIB computation instead of one per packet.
   */
  private flush(commitNow = true): void {
    if (this.flushing || this.stopped) return;
    this.flushing = true;
    try {
      // Summaries depend on their components: follow them while destinations change.
      if (this.dirty.size > 0 && this.summaryState.size > 0) this.refreshSummaries([...this.dirty]);
      const keys = [...this.dirty];
      this.dirty.clear();
      if (keys.length === 0) return;
      for (const key of keys) this.syncRib(key);
      if (commitNow) this.commitRib();
      else this.ribTimer ??= this.host.after(MS, "eigrp-rib", () => this.commitRib());
      for (const n of this.neighbors.values()) if (n.established) this.sendChanges(n, keys);
    } finally {
      this.flushing = false;
    }
    if (this.dirty.size > 0) this.flush(commitNow);
  }

  private commitRib(): void {
    this.ribTimer?.cancel();
    this.ribTimer = undefined;
    if (!this.stopped) this.host.rib.commit();
  }

  private syncRib(key: string): void {
    const e = this.dual.entries.get(key);
    const [p, l] = key.split("/").map(Number) as [number, number];
    const discard = this.discards.get(key);
    const s = e?.successors ?? [];
    if (s.length === 0 || s[0]!.from === LOCAL) {
      const candidates =
        discard !== undefined && s[0]?.origin === "summary"
          ? [{ distance: discard.distance, metric: this.ribMetricOf(s[0]!.distance), interface: NULL0 }]
          : [];
      this.host.rib.setCandidates("eigrp", p, l, candidates, this.owner);
      return;
    }
    this.host.rib.setCandidates(
      "eigrp",
      p,
      l,
      s
        .filter((x) => x.from !== LOCAL)
        .map((x) => ({
          distance: x.external !== undefined ? this.config.distanceExternal : this.config.distanceInternal,
          metric: this.ribMetricOf(x.distance),
          nextHop: x.nextHop,
          interface: x.interface,
          ...(x.external !== undefined ? { subtype: "EX" } : {}),
          ...(x.external !== undefined && x.external.tag !== 0 ? { tag: x.external.tag } : {}),
        })),
      this.owner,
    );
  }

  /** Sends a neighbour the destinations whose advertisement to it changed. */
  private sendChanges(n: EigrpNeighbor, keys: Iterable<string>, endOfTable = false): void {
    for (const key of keys) n.pendingUpdate.add(key);
    if (endOfTable) n.pendingEot = true;
    if (n.queue.length === 0) this.buildUpdate(n);
  }

  /** Builds the pending changes into update packets (the queue is empty): what the table says now. */
  private buildUpdate(n: EigrpNeighbor): void {
    const endOfTable = n.pendingEot;
    const keys = [...n.pendingUpdate];
    n.pendingUpdate.clear();
    n.pendingEot = false;
    const tlvs: EigrpTlv[] = [];
    for (const key of keys) {
      const e = this.dual.entries.get(key);
      if (e?.state === "active") continue;
      const want = this.desired(n, e);
      const had = n.advertised(key);
      if (want === null) {
        if (had === undefined) continue;
        n.forget(key);
        if (had.distance >= EIGRP_INFINITY) continue;
        const [p, l] = key.split("/").map(Number) as [number, number];
        tlvs.push({ type: "internal", route: { nextHop: 0, metric: unreachableMetric(), prefix: p, length: l } });
        continue;
      }
      const distance = this.metricOf(want.metric);
      if (had !== undefined && had.distance === distance && had.nextHop === want.nextHop) continue;
      n.advertise(key, distance, want.nextHop);
      tlvs.push(want.external !== undefined ? { type: "external", route: want } : { type: "internal", route: want });
    }
    if (tlvs.length === 0 && !endOfTable) return;
    for (let i = 0; i < tlvs.length || (i === 0 && endOfTable); i += ROUTES_PER_PACKET) {
      const last = i + ROUTES_PER_PACKET >= tlvs.length;
      this.enqueue(n, {
        opcode: "update",
        flags: endOfTable && last ? EIGRP_FLAG.EOT : 0,
        tlvs: tlvs.slice(i, i + ROUTES_PER_PACKET),
        sequence: 0,
      });
    }
  }

  /** A new neighbour learns everything we advertise to it, the last packet marked EOT. */
  private sendWholeTable(n: EigrpNeighbor): void {
    this.sendChanges(n, [...this.dual.entries.keys()], true);
  }
}
