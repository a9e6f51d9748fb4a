// One `router rip` process (RFC 2453): RIP interfaces are those up with an
// address in a configured classful network; on each it joins 224.0.0.9,
// asks its neighbors for their tables (3.9.1) and, unless passive, sends the
// whole table every update period (30 s less a seeded jitter of up to 15%,
// as IOS does) and triggered updates of what changed (3.10.1), split horizon
// on regular updates and poisoned reverse on triggered ones (3.4.3). Received
// responses are checked (3.9.2: port 520, a source on the ingress subnet, not
// ourselves, the configured version, metric 1-16) and filtered by the
// distribute lists; each route is a small state machine, valid ->
// possiblyDown (poisoned by its next hop, or not heard for the invalid time:
// advertised with metric 16, updates from other routers ignored for the
// holddown time) -> flushed (the flush time after it was last heard). What
// we stop advertising (a connected network whose interface went down, a
// conditional default whose route went away, routes through a dead
// interface) goes out once more with metric 16 in a triggered update, so
// neighbors need not wait for their timers (3.10.1). Other routers offering
// a valid route at its metric add paths (up to IOS's maximum-paths 4), each
// with its own invalid timer; losing one path leaves the route on the others.
// Metrics are kept as received and incremented on output (IOS: a connected
// network is sent with metric 1, a route learned at 1 is sent at 2). Version
// 1 (3.6; IOS's default for sending) goes to 255.255.255.255 without masks,
// classful. Routes go to the RIB as "rip" (R, distance 120 or `distance`) with the route
// tag they came with. Redistributed routes come from the shared watch
// (../redistribution.ts): as on IOS, connected and static ones go out with
// metric 1 unless a metric is set, routes of other protocols only with a
// metric (route map `set metric`, `redistribute ... metric`, `default-metric`:
// IOS's default seed metric for them is infinity), with the route map's tag.

import type { LocalDatagram } from "../../dataplane/pipeline/ip-types.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { DEFAULT_DISTANCE, type RouteSource } from "../../dataplane/rib.ts";
import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import { IP_PROTO_UDP } from "../../wire/ipv4.ts";
import { maskFromLength } from "../../wire/ipv4-address.ts";
import {
  emitRip,
  isWholeTableRequest,
  parseRip,
  RIP_AFI_INET,
  RIP_GROUP,
  RIP_INFINITY,
  RIP_MAX_ENTRIES,
  RIP_PORT,
  type RipEntry,
  type RipMessage,
  ripWholeTableRequest,
} from "../../wire/rip.ts";
import { emitUdp, parseUdp } from "../../wire/udp.ts";
import type { InterfaceEvent, ProtocolHost, RouterProtocol } from "../protocol.ts";
import {
  announceRedistributionSource,
  type RedistributedRoute,
  type RedistributionSourceHandle,
  RedistributionWatch,
} from "../redistribution.ts";
import type { RipEvent, RipEventEntry, RipRouteReason, RipRouteState } from "./events.ts";
import { classfulNetwork, type RipConfig } from "./rip-config.ts";

const SEC = 1_000_000_000;
const BROADCAST = 0xffffffff;
const OWNER = "rip";

/** A route RIP learned from a neighbor. */
export interface RipRoute {
  readonly prefix: number;
  readonly length: number;
  /** As received (the neighbor's metric + its own hop): what `show ip route` prints; 16 while possibly down. */
  metric: number;
  nextHop: number;
  /** The router it came from (the next hop unless the entry named another). */
  source: number;
  interface: string;
  tag: number;
  state: Exclude<RipRouteState, "flushed">;
  lastHeard: TimeNs;
  /** While possibly down: until when updates from other routers are ignored. */
  holddownUntil: TimeNs;
  /** Waiting to go out in the next triggered update. */
  changed: boolean;
  timer?: TimerHandle;
  /** Other routers offering the same metric (IOS's maximum-paths 4: up to 3 more), each with its own invalid timer. */
  extra: RipPath[];
}

/** An equal-cost path of a valid route besides the one in the route itself. */
export interface RipPath {
  nextHop: number;
  source: number;
  interface: string;
  lastHeard: TimeNs;
  timer?: TimerHandle;
}

/** IOS's default maximum-paths for RIP. */
export const RIP_MAX_PATHS = 4;

/** What RIP advertises that it did not learn: connected networks, redistributed routes, the default. */
export interface RipLocalRoute {
  readonly prefix: number;
  readonly length: number;
  /** The metric sent (connected: 1). */
  readonly sentMetric: number;
  readonly kind: "connected" | "redistributed" | "default";
  /** The route tag sent (a route map's `set tag`). */
  readonly tag?: number;
  /** Connected: its interface. */
  readonly interface?: string;
  /** Default from a route map's `set interface`: only out of these. */
  readonly onlyOut?: readonly string[];
}

/** Counters of `show ip rip` style statistics. */
export interface RipCounters {
  sentUpdates: number;
  receivedUpdates: number;
  badPackets: number;
  badRoutes: number;
}

/** A neighbor heard from (`Routing Information Sources`). */
export interface RipSource {
  address: number;
  lastHeard: TimeNs;
}

const keyOf = (prefix: number, length: number): string => `${prefix >>> 0}/${length}`;

/** The prefix length of a contiguous mask, null for a non-contiguous one. */
function lengthOf(mask: number): number | null {
  const inv = ~mask >>> 0;
  return (inv & (inv + 1)) === 0 ? Math.clz32(inv) : null;
}

/** A running RIP process. */
export class RipInstance implements RouterProtocol {
  private readonly routes = new Map<string, RipRoute>();
  /** RIP interfaces by name. */
  private readonly active = new Map<string, RouterInterface>();
  private readonly heard = new Map<number, RipSource>();
  private updateTimer: TimerHandle | undefined;
  private triggerTimer: TimerHandle | undefined;
  private nextUpdate: TimeNs = 0;
  /** The update period the pending regular update was scheduled with. */
  private periodNs = 0;
  private localCache: RipLocalRoute[] | undefined;
  /** Local routes that appeared since the last update: they go out in the next triggered one. */
  private readonly localNew = new Set<string>();
  /**
   * Routes we advertised and no longer have (a local route gone, routes through an interface that went
   * down): sent with metric 16 in the next update, triggered or regular (RFC 2453 3.10.1), then forgotten.
   */
  private readonly withdrawn = new Map<string, { prefix: number; length: number; tag: number }>();
  readonly counters: RipCounters = { sentUpdates: 0, receivedUpdates: 0, badPackets: 0, badRoutes: 0 };
  /** The routes `redistribute` takes from the RIB, and our interfaces for whoever redistributes RIP. */
  private readonly redistribution: RedistributionWatch;
  private readonly asSource: RedistributionSourceHandle;
  private redistributionTimer: TimerHandle | undefined;

  constructor(
    private readonly host: ProtocolHost<RipEvent>,
    readonly config: RipConfig,
  ) {
    host.bind({ udpPort: RIP_PORT }, (d) => this.receive(d));
    this.asSource = announceRedistributionSource(host.rib, OWNER);
    this.redistribution = new RedistributionWatch({
      rib: host.rib,
      name: "rip",
      rules: () => this.config.redistribute,
      routeMap: (name, subject) => this.config.routeMap(name, subject),
      // Inside a RIB commit: the local routes are re-read right after it.
      changed: () => this.scheduleRedistribution(),
    });
    this.reconfigure();
    this.scheduleUpdate();
  }

  // ---- state for the shows ----------------------------------------------

  /** Learned routes, in prefix order. */
  learned(): RipRoute[] {
    return [...this.routes.values()].sort((a, b) => a.prefix - b.prefix || a.length - b.length);
  }

  /** Connected, redistributed and default routes RIP advertises now. */
  local(): RipLocalRoute[] {
    return this.localRoutes();
  }

  /** RIP interfaces, in the router's order. */
  ripInterfaces(): RouterInterface[] {
    return this.host.interfaces().filter((i) => this.active.has(i.name));
  }

  /** Whether an interface sends nothing (`passive-interface`). */
  isPassive(name: string): boolean {
    return this.config.passiveDefault !== this.config.passiveExceptions.has(name);
  }

  /** When the next regular update is due. */
  nextUpdateAt(): TimeNs {
    return this.nextUpdate;
  }

  /** Neighbors heard from, by address. */
  sources(): RipSource[] {
    return [...this.heard.values()].sort((a, b) => a.address - b.address);
  }

  /** The version sent: IOS sends version 1 until `version 2`. */
  get sendVersion(): 1 | 2 {
    return this.config.version ?? 1;
  }

  /** Whether a received version is accepted: the configured one, or both by default. */
  accepts(version: number): boolean {
    return this.config.version === undefined ? version === 1 || version === 2 : version === this.config.version;
  }

  // ---- configuration and interfaces ---------------------------------------

  /** Re-reads the configuration: RIP interfaces, then a triggered update of what changed. */
  reconfigure(): void {
    const wanted = new Map<string, RouterInterface>();
    for (const ifc of this.host.interfaces()) if (this.covered(ifc)) wanted.set(ifc.name, ifc);
    for (const [name, ifc] of this.active) {
      if (wanted.get(name) === ifc) continue;
      this.active.delete(name);
      this.host.leaveGroup(ifc, RIP_GROUP);
      this.dropPathsVia(name);
    }
    for (const [name, ifc] of wanted) {
      if (this.active.has(name)) continue;
      this.active.set(name, ifc);
      this.host.joinGroup(ifc, RIP_GROUP);
      if (!this.isPassive(name)) this.sendRequest(ifc);
    }
    this.asSource.setInterfaces(this.active.keys());
    this.redistribution.refresh();
    this.refreshLocal();
    this.syncRib();
    this.scheduleTriggered();
    // `timers basic` changed the update period: the next update follows the new one.
    if (this.updateTimer !== undefined && this.config.timers.update * SEC !== this.periodNs) {
      this.updateTimer.cancel();
      this.scheduleUpdate();
    }
  }

  interfaceEvent(_event: InterfaceEvent): void {
    this.reconfigure();
  }

  /** Whether an interface runs RIP: up, addressed, and in a `network` statement's classful network. */
  private covered(ifc: RouterInterface): boolean {
    if (!ifc.lineProtocolUp) return false;
    const addresses = [ifc.config.address, ...ifc.config.secondaries].filter((a) => a !== undefined);
    return addresses.some((a) => this.config.networks.includes(classfulNetwork(a.address).network));
  }

  stop(): void {
    this.updateTimer?.cancel();
    this.triggerTimer?.cancel();
    this.redistributionTimer?.cancel();
    this.redistribution.stop();
    this.asSource.withdraw();
    for (const r of this.routes.values()) this.cancelTimers(r);
    this.routes.clear();
    this.host.rib.withdrawSource("rip" satisfies RouteSource, OWNER);
    this.host.rib.commit();
  }

  // ---- timers -------------------------------------------------------------

  /** The next regular update: the period less a seeded jitter of up to 15%. */
  private scheduleUpdate(): void {
    const periodNs = this.config.timers.update * SEC;
    this.periodNs = periodNs;
    const b = this.host.randomBytes(2);
    const jitter = Math.floor(((((b[0]! << 8) | b[1]!) / 65536) * periodNs * 15) / 100);
    const delay = periodNs - jitter;
    this.nextUpdate = this.host.now() + delay;
    this.updateTimer = this.host.after(delay, "rip-update", () => {
      this.updateTimer = undefined;
      this.sendUpdates(false);
      this.scheduleUpdate();
    });
  }

  /** What redistribution takes changed: re-read the local routes once the RIB commit is over. */
  private scheduleRedistribution(): void {
    if (this.redistributionTimer !== undefined) return;
    this.redistributionTimer = this.host.after(0, "rip-redistribute", () => {
      this.redistributionTimer = undefined;
      this.refreshLocal();
      this.syncRib();
      this.scheduleTriggered();
    });
  }

  /** A triggered update 1-5 s from now (RFC 2453 3.10.1), unless one is pending. */
  private scheduleTriggered(): void {
    if (this.triggerTimer !== undefined) return;
    const pending =
      this.localNew.size > 0 || this.withdrawn.size > 0 || [...this.routes.values()].some((r) => r.changed);
    if (!pending) return;
    const b = this.host.randomBytes(1);
    const delay = SEC + Math.floor((b[0]! / 256) * 4 * SEC);
    this.triggerTimer = this.host.after(delay, "rip-triggered", () => {
      this.triggerTimer = undefined;
      this.sendUpdates(true);
    });
  }

  /** The route's own invalid timer, from when it was last heard: another path takes over, else possibly down. */
  private armInvalid(r: RipRoute): void {
    r.timer?.cancel();
    const delay = Math.max(0, r.lastHeard + this.config.timers.invalid * SEC - this.host.now());
    r.timer = this.host.after(delay, "rip-invalid", () => {
      r.timer = undefined;
      if (!this.promote(r)) this.possiblyDown(r, "timedOut");
      this.syncRib();
      this.scheduleTriggered();
    });
  }

  /** An extra path's invalid timer: the path goes, the route stays. */
  private armPath(r: RipRoute, p: RipPath): void {
    p.timer?.cancel();
    const delay = Math.max(0, p.lastHeard + this.config.timers.invalid * SEC - this.host.now());
    p.timer = this.host.after(delay, "rip-invalid", () => {
      p.timer = undefined;
      r.extra = r.extra.filter((x) => x !== p);
      this.syncRib();
    });
  }

  /** Replaces the route's own path by its first extra one (the metric is the same); false when there is none. */
  private promote(r: RipRoute): boolean {
    const p = r.extra.shift();
    if (p === undefined) return false;
    p.timer?.cancel();
    Object.assign(r, { nextHop: p.nextHop, source: p.source, interface: p.interface, lastHeard: p.lastHeard });
    this.armInvalid(r);
    return true;
  }

  private cancelTimers(r: RipRoute): void {
    r.timer?.cancel();
    for (const p of r.extra) p.timer?.cancel();
  }

  private dropExtra(r: RipRoute): void {
    for (const p of r.extra) p.timer?.cancel();
    r.extra = [];
  }

  // ---- route state machine ------------------------------------------------

  private event(r: RipRoute, from: RipRouteState | "absent", to: RipRouteState, reason: RipRouteReason): void {
    this.host.emit({
      kind: "route",
      prefix: r.prefix,
      length: r.length,
      from,
      to,
      reason,
      nextHop: r.nextHop,
      metric: r.metric,
    });
  }

  /** valid -> possiblyDown: metric 16, holddown, flushed the flush time after it was last heard. */
  private possiblyDown(r: RipRoute, reason: RipRouteReason): void {
    if (r.state !== "valid") return;
    r.state = "possiblyDown";
    r.metric = RIP_INFINITY;
    r.changed = true;
    r.holddownUntil = this.host.now() + this.config.timers.holddown * SEC;
    this.dropExtra(r);
    r.timer?.cancel();
    const flushAt = r.lastHeard + this.config.timers.flush * SEC;
    r.timer = this.host.after(Math.max(0, flushAt - this.host.now()), "rip-flush", () => {
      r.timer = undefined;
      this.remove(r, "flushTimer");
      this.syncRib();
    });
    this.event(r, "valid", "possiblyDown", reason);
  }

  private remove(r: RipRoute, reason: RipRouteReason): void {
    this.cancelTimers(r);
    this.routes.delete(keyOf(r.prefix, r.length));
    this.event(r, r.state, "flushed", reason);
  }

  /**
   * An interface left RIP: the paths through it go; a route left without any is removed and withdrawn with
   * metric 16 in the next update, one with another path keeps it.
   */
  private dropPathsVia(name: string): void {
    for (const r of [...this.routes.values()]) {
      for (const p of r.extra.filter((x) => x.interface === name)) p.timer?.cancel();
      r.extra = r.extra.filter((x) => x.interface !== name);
      if (r.interface !== name || this.promote(r)) continue;
      this.withdrawn.set(keyOf(r.prefix, r.length), r);
      this.remove(r, "interfaceDown");
    }
  }

  /** One received entry (RFC 2453 3.9.2's update rules), metric already checked to be 1-16. */
  private learn(ifc: RouterInterface, source: number, e: RipEntry, prefix: number, length: number): void {
    const now = this.host.now();
    const metric = Math.min(e.metric, RIP_INFINITY);
    const nextHop = this.usableNextHop(ifc, e.nextHop) ?? source;
    const key = keyOf(prefix, length);
    const r = this.routes.get(key);
    if (r === undefined) {
      if (metric >= RIP_INFINITY) return;
      const fresh: RipRoute = {
        prefix,
        length,
        metric,
        nextHop,
        source,
        interface: ifc.name,
        tag: e.routeTag,
        state: "valid",
        lastHeard: now,
        holddownUntil: 0,
        changed: true,
        extra: [],
      };
      this.routes.set(key, fresh);
      this.armInvalid(fresh);
      this.event(fresh, "absent", "valid", "learned");
      return;
    }
    const sameSource = r.source === source && r.interface === ifc.name;
    if (r.state === "possiblyDown") {
      // In holddown only the router the route came from is believed, and only with a usable metric.
      if (metric >= RIP_INFINITY || (!sameSource && now < r.holddownUntil)) return;
      Object.assign(r, { metric, nextHop, source, interface: ifc.name, tag: e.routeTag, state: "valid" });
      r.lastHeard = now;
      r.changed = true;
      this.armInvalid(r);
      this.event(r, "possiblyDown", "valid", "learned");
      return;
    }
    const path = r.extra.find((p) => p.source === source && p.interface === ifc.name);
    if (path !== undefined) {
      // An extra path: refreshed at the same metric, dropped at any other (a better one takes the route below).
      if (metric === r.metric) {
        path.lastHeard = now;
        path.nextHop = nextHop;
        this.armPath(r, path);
        return;
      }
      path.timer?.cancel();
      r.extra = r.extra.filter((p) => p !== path);
      if (metric > r.metric) return;
    }
    if (sameSource) {
      // The route's own path got worse or was poisoned while another router still offers the old metric.
      if (metric > r.metric && this.promote(r)) return;
      if (metric >= RIP_INFINITY) {
        r.lastHeard = now;
        this.possiblyDown(r, "poisoned");
        return;
      }
      r.lastHeard = now;
      this.armInvalid(r);
      if (metric !== r.metric || nextHop !== r.nextHop || e.routeTag !== r.tag) {
        // Other paths were equal to the old metric, not to the new one.
        if (metric !== r.metric) this.dropExtra(r);
        Object.assign(r, { metric, nextHop, tag: e.routeTag });
        r.changed = true;
        this.event(r, "valid", "valid", "metricChanged");
      }
      return;
    }
    if (metric < r.metric) {
      Object.assign(r, { metric, nextHop, source, interface: ifc.name, tag: e.routeTag });
      r.lastHeard = now;
      r.changed = true;
      this.dropExtra(r);
      this.armInvalid(r);
      this.event(r, "valid", "valid", "betterMetric");
      return;
    }
    // Another router at the same metric: one more path, up to IOS's maximum-paths.
    if (metric === r.metric && metric < RIP_INFINITY && r.extra.length + 1 < RIP_MAX_PATHS) {
      const p: RipPath = { nextHop, source, interface: ifc.name, lastHeard: now };
      r.extra.push(p);
      this.armPath(r, p);
    }
  }

  /** A next-hop field names a router on the ingress subnet other than us (RFC 2453 4.4); 0 means the sender. */
  private usableNextHop(ifc: RouterInterface, nextHop: number): number | undefined {
    if (nextHop === 0) return undefined;
    const a = ifc.config.address;
    if (a === undefined || nextHop === a.address) return undefined;
    const mask = maskFromLength(a.length);
    return ((nextHop ^ a.address) & mask) >>> 0 === 0 ? nextHop : undefined;
  }

  /** Offers the valid routes to the RIB (possibly-down ones are withdrawn) and commits. */
  private syncRib(): void {
    const rib = this.host.rib;
    rib.withdrawSource("rip", OWNER);
    for (const r of this.routes.values()) {
      if (r.state !== "valid") continue;
      const tag = r.tag !== 0 ? { tag: r.tag } : {};
      const distance = this.config.distance ?? DEFAULT_DISTANCE.rip;
      rib.setCandidates(
        "rip",
        r.prefix,
        r.length,
        [r, ...r.extra].map((p) => ({
          distance,
          metric: r.metric,
          nextHop: p.nextHop,
          interface: p.interface,
          ...tag,
        })),
        OWNER,
      );
    }
    rib.commit();
  }

  // ---- receiving ----------------------------------------------------------

  private receive(d: LocalDatagram): void {
    const ifc = d.ingress;
    const src = d.header.src;
    if (ifc === null) return;
    const udp = parseUdp(d.header.payload, { src, dst: d.header.dst });
    if (!udp.ok) {
      this.counters.badPackets++;
      return;
    }
    const parsed = parseRip(udp.value.payload);
    if (!parsed.ok) {
      this.counters.badPackets++;
      this.host.emit({ kind: "ignored", reason: "malformed", interface: ifc.name, source: src });
      return;
    }
    const m = parsed.value;
    if (!this.active.has(ifc.name)) return;
    if (!this.accepts(m.version)) {
      this.counters.badPackets++;
      this.host.emit({
        kind: "ignored",
        reason: "illegalVersion",
        interface: ifc.name,
        source: src,
        version: m.version,
      });
      return;
    }
    if (m.authentication !== undefined) {
      this.counters.badPackets++;
      this.host.emit({ kind: "ignored", reason: "authentication", interface: ifc.name, source: src });
      return;
    }
    if (m.command === "request") {
      this.answerRequest(ifc, src, udp.value.srcPort, m);
      return;
    }
    if (udp.value.srcPort !== RIP_PORT) {
      this.counters.badPackets++;
      this.host.emit({ kind: "ignored", reason: "badSourcePort", interface: ifc.name, source: src });
      return;
    }
    if (this.isOwnAddress(src)) return;
    const a = ifc.config.address;
    if (a === undefined || ((src ^ a.address) & maskFromLength(a.length)) >>> 0 !== 0) {
      this.counters.badPackets++;
      this.host.emit({ kind: "ignored", reason: "badSource", interface: ifc.name, source: src });
      return;
    }
    this.counters.receivedUpdates++;
    this.heard.set(src, { address: src, lastHeard: this.host.now() });
    const shown: RipEventEntry[] = [];
    const accepted: Array<{ e: RipEntry; prefix: number; length: number }> = [];
    for (const e of m.entries) {
      const route = this.entryRoute(ifc, m.version, e);
      if (route === null) {
        this.counters.badRoutes++;
        continue;
      }
      shown.push({ ...route, nextHop: e.nextHop, metric: e.metric, tag: e.routeTag });
      if (!this.permitted("in", ifc.name, route.prefix, route.length)) continue;
      accepted.push({ e, ...route });
    }
    this.host.emit({
      kind: "received",
      command: "response",
      version: m.version,
      interface: ifc.name,
      source: src,
      entries: shown,
    });
    // Our own networks (connected, redistributed, the default we originate) are never learned back.
    const own = new Set(this.localRoutes().map((r) => keyOf(r.prefix, r.length)));
    for (const { e, prefix, length } of accepted)
      if (!own.has(keyOf(prefix, length))) this.learn(ifc, src, e, prefix, length);
    this.syncRib();
    this.scheduleTriggered();
  }

  /** The route an entry stands for, or null when the entry is invalid (3.9.2). Version 1 infers the mask. */
  private entryRoute(ifc: RouterInterface, version: number, e: RipEntry): { prefix: number; length: number } | null {
    if (e.afi !== RIP_AFI_INET || e.metric < 1 || e.metric > RIP_INFINITY) return null;
    const first = e.address >>> 24;
    if (first === 127 || first >= 224 || (first === 0 && e.address !== 0)) return null;
    let length: number | null;
    if (version === 2 && e.mask !== 0) length = lengthOf(e.mask);
    else if (e.address === 0) length = 0;
    else {
      const own = ifc.config.address;
      const major = classfulNetwork(e.address);
      if (own !== undefined && classfulNetwork(own.address).network === major.network) length = own.length;
      else length = major.length;
      if ((e.address & ~maskFromLength(length)) >>> 0 !== 0) length = 32;
    }
    if (length === null) return null;
    if ((e.address & ~maskFromLength(length)) >>> 0 !== 0) return null;
    return { prefix: e.address >>> 0, length };
  }

  private isOwnAddress(address: number): boolean {
    return this.host
      .interfaces()
      .some((i) => i.config.address?.address === address || i.config.secondaries.some((s) => s.address === address));
  }

  /** The distribute lists of a direction: the interface's and the global one must both permit. */
  private permitted(direction: "in" | "out", ifc: string, prefix: number, length: number): boolean {
    for (const d of this.config.distributeLists) {
      if (d.direction !== direction || (d.interface !== undefined && d.interface !== ifc)) continue;
      if (!this.config.prefixListPermits(d.prefixList, prefix, length)) return false;
    }
    return true;
  }

  private answerRequest(ifc: RouterInterface, src: number, srcPort: number, m: RipMessage): void {
    if (this.isOwnAddress(src) || this.isPassive(ifc.name)) return;
    this.host.emit({
      kind: "received",
      command: "request",
      version: m.version,
      interface: ifc.name,
      source: src,
      entries: [],
    });
    if (!isWholeTableRequest(m)) return;
    const entries = this.advertisements(ifc, false);
    this.transmit(ifc, src, srcPort, entries, false);
  }

  // ---- sending ------------------------------------------------------------

  private sendRequest(ifc: RouterInterface): void {
    const version = this.sendVersion;
    const dst = version === 2 ? RIP_GROUP : BROADCAST;
    const src = ifc.config.address?.address;
    if (src === undefined) return;
    const m = ripWholeTableRequest(version);
    this.sendMessage(ifc, dst, RIP_PORT, m);
    this.host.emit({
      kind: "sent",
      command: "request",
      version,
      interface: ifc.name,
      destination: dst,
      source: src,
      entries: [],
      triggered: false,
    });
  }

  /** Regular (whole table, split horizon) or triggered (changed routes, poisoned reverse) updates on every RIP interface. */
  private sendUpdates(triggered: boolean): void {
    if (!triggered) {
      this.refreshLocal();
      this.syncRib();
    }
    for (const ifc of this.ripInterfaces()) {
      if (this.isPassive(ifc.name)) continue;
      const entries = this.advertisements(ifc, triggered);
      if (triggered && entries.length === 0) continue;
      const dst = this.sendVersion === 2 ? RIP_GROUP : BROADCAST;
      this.transmit(ifc, dst, RIP_PORT, entries, triggered);
    }
    for (const r of this.routes.values()) r.changed = false;
    this.localNew.clear();
    this.withdrawn.clear();
  }

  /**
   * Re-reads the local routes (after a configuration or interface change, and at every regular update, so
   * redistribution and a conditional default follow the RIB): new ones go out in a triggered update, gone
   * ones are withdrawn with metric 16.
   */
  private refreshLocal(): void {
    const before = this.localCache ?? [];
    this.localCache = undefined;
    const after = this.localRoutes();
    const now = new Set(after.map((r) => keyOf(r.prefix, r.length)));
    const then = new Set(before.map((r) => keyOf(r.prefix, r.length)));
    for (const r of before) {
      const key = keyOf(r.prefix, r.length);
      if (!now.has(key) && !this.routes.has(key))
        this.withdrawn.set(key, { prefix: r.prefix, length: r.length, tag: 0 });
    }
    for (const key of now) {
      if (then.has(key)) continue;
      this.localNew.add(key);
      this.withdrawn.delete(key);
      // A network that became ours replaces what a neighbor told us about it.
      const learned = this.routes.get(key);
      if (learned !== undefined) this.remove(learned, "becameLocal");
    }
  }

  private localRoutes(): RipLocalRoute[] {
    if (this.localCache !== undefined) return this.localCache;
    const out: RipLocalRoute[] = [];
    for (const ifc of this.ripInterfaces()) {
      for (const a of [ifc.config.address, ...ifc.config.secondaries]) {
        if (a === undefined) continue;
        const prefix = (a.address & maskFromLength(a.length)) >>> 0;
        out.push({ prefix, length: a.length, sentMetric: 1, kind: "connected", interface: ifc.name });
      }
    }
    const mine = new Set(out.map((o) => keyOf(o.prefix, o.length)));
    for (const route of this.redistribution.routes()) {
      if (mine.has(keyOf(route.prefix, route.length))) continue;
      const metric = this.seedMetric(route);
      if (metric === undefined) continue;
      out.push({
        prefix: route.prefix,
        length: route.length,
        sentMetric: metric,
        kind: "redistributed",
        ...(route.set.tag !== undefined ? { tag: route.set.tag } : {}),
      });
    }
    const dflt = this.config.defaultOriginate;
    if (dflt !== undefined) {
      const origin = this.defaultOrigination(dflt.routeMap);
      if (origin !== null)
        out.push({
          prefix: 0,
          length: 0,
          sentMetric: 1,
          kind: "default",
          ...(origin.length > 0 ? { onlyOut: origin } : {}),
        });
    }
    this.localCache = out;
    return out;
  }

  /**
   * The metric a redistributed route goes out with: the route map's, the redistribute line's, the
   * default-metric, else 1 for connected and static routes; undefined (IOS's infinity: not advertised)
   * for another protocol's routes without one.
   */
  private seedMetric(route: RedistributedRoute): number | undefined {
    const rule = this.config.redistribute[route.rule];
    const set = typeof route.set.metric === "number" ? route.set.metric : undefined;
    const m = set ?? rule?.metric ?? this.config.defaultMetric;
    if (m !== undefined) return m === 0 || m >= RIP_INFINITY ? undefined : m;
    const proto = rule?.source.protocol;
    return proto === "connected" || proto === "static" ? 1 : undefined;
  }

  /**
   * Whether to originate the default, and out of which interfaces only (empty: all). Without a route map:
   * always. With one: when an entry permits a route of the RIB (an entry without match clauses permits
   * without one); its `set interface` limits where the default goes. A map that does not exist: none.
   */
  private defaultOrigination(routeMap: string | undefined): string[] | null {
    if (routeMap === undefined) return [];
    const probe = this.config.routeMap(routeMap, {});
    if (probe === undefined) return null;
    if (probe.permit) return probe.entry?.set.interfaces ?? [];
    for (const route of this.host.rib.routes()) {
      const r = this.config.routeMap(routeMap, {
        route: { prefix: route.prefix, length: route.length },
        ...(route.paths[0]?.interface ? { interface: route.paths[0].interface } : {}),
      });
      if (r?.permit) return r.entry?.set.interfaces ?? [];
    }
    return null;
  }

  /** What goes out of an interface: local routes and learned ones, split horizon or poisoned reverse, filtered, summarized. */
  private advertisements(ifc: RouterInterface, triggered: boolean): RipEventEntry[] {
    const out = new Map<string, RipEventEntry>();
    const splitHorizon = this.config.splitHorizon(ifc.name);
    const own = ifc.config.address;
    const ownMajor = own === undefined ? undefined : classfulNetwork(own.address).network;
    const add = (prefix: number, length: number, metric: number, nextHop: number, tag: number): void => {
      if (!this.permitted("out", ifc.name, prefix, length)) return;
      let p = prefix;
      let l = length;
      let hop = nextHop;
      // Auto-summary (and version 1 always): another major network goes out as its classful network.
      const major = classfulNetwork(prefix);
      if (
        (this.config.autoSummary || this.sendVersion === 1) &&
        length > 0 &&
        major.network !== ownMajor &&
        length > major.length
      ) {
        p = major.network;
        l = major.length;
        hop = 0;
      }
      if (this.sendVersion === 1 && l !== 0 && major.network === ownMajor && own !== undefined && l !== own.length)
        return;
      const key = keyOf(p, l);
      const seen = out.get(key);
      if (seen === undefined || metric < seen.metric) out.set(key, { prefix: p, length: l, nextHop: hop, metric, tag });
    };
    // Withdrawn routes first: a route still held under the same key replaces the metric 16.
    for (const w of this.withdrawn.values()) add(w.prefix, w.length, RIP_INFINITY, 0, w.tag);
    // Local routes: all of them in a regular update, the new ones in a triggered update.
    for (const r of this.localRoutes()) {
      if (triggered && !this.localNew.has(keyOf(r.prefix, r.length))) continue;
      if (r.onlyOut !== undefined && !r.onlyOut.includes(ifc.name)) continue;
      if (r.kind === "connected" && r.interface === ifc.name && splitHorizon) continue;
      add(r.prefix, r.length, r.sentMetric, 0, r.tag ?? 0);
    }
    for (const r of this.routes.values()) {
      if (triggered && !r.changed) continue;
      const sent = Math.min(r.metric + 1, RIP_INFINITY);
      const learnedHere = r.interface === ifc.name || r.extra.some((p) => p.interface === ifc.name);
      if (learnedHere && splitHorizon) {
        // Split horizon leaves it out of regular updates; a triggered update poisons it back (poisoned reverse).
        if (triggered) add(r.prefix, r.length, RIP_INFINITY, 0, r.tag);
        continue;
      }
      // The next hop stays the router we learned it from when that router is on this interface's subnet (RFC 2453 4.4).
      const hop = r.interface === ifc.name && this.usableNextHop(ifc, r.nextHop) !== undefined ? r.nextHop : 0;
      add(r.prefix, r.length, sent, hop, r.tag);
    }
    return [...out.values()];
  }

  private transmit(
    ifc: RouterInterface,
    dst: number,
    dstPort: number,
    entries: RipEventEntry[],
    triggered: boolean,
  ): void {
    const src = ifc.config.address?.address;
    if (src === undefined) return;
    const version = this.sendVersion;
    for (let i = 0; i === 0 || i < entries.length; i += RIP_MAX_ENTRIES) {
      const chunk = entries.slice(i, i + RIP_MAX_ENTRIES);
      const m: RipMessage = {
        command: "response",
        version,
        entries: chunk.map((e) => ({
          afi: RIP_AFI_INET,
          routeTag: version === 2 ? e.tag : 0,
          address: e.prefix,
          mask: version === 2 ? maskFromLength(e.length) : 0,
          nextHop: version === 2 ? e.nextHop : 0,
          metric: e.metric,
        })),
      };
      this.sendMessage(ifc, dst, dstPort, m);
      this.counters.sentUpdates++;
      this.host.emit({
        kind: "sent",
        command: "response",
        version,
        interface: ifc.name,
        destination: dst,
        source: src,
        entries: chunk,
        triggered,
      });
      if (entries.length === 0) break;
    }
  }

  private sendMessage(ifc: RouterInterface, dst: number, dstPort: number, m: RipMessage): void {
    const src = ifc.config.address?.address;
    if (src === undefined) return;
    const payload = emitUdp({ srcPort: RIP_PORT, dstPort, payload: emitRip(m) }, { src, dst });
    if (dst === RIP_GROUP || dst === BROADCAST)
      this.host.sendLinkLocal(ifc, dst, { protocol: IP_PROTO_UDP, payload, tos: 0xc0 });
    else this.host.sendVia(ifc, dst, { dst, src, protocol: IP_PROTO_UDP, payload, tos: 0xc0 });
  }
}
