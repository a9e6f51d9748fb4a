// One OSPFv2 process on a router (RFC 2328), over the router's protocol
// contract: IP protocol 89, AllSPFRouters/AllDRouters joined on its
// interfaces, hellos and adjacencies driven by the interface and neighbor
// state machines, the DR election, the Database Description exchange (10.6,
// 10.8), link state requests (10.7, 10.9), flooding with acknowledgments and
// retransmission (13, 13.3, 13.5), origination of its own router- and
// network-LSAs with MinLSInterval (12.4), aging and MaxAge flushing (14),
// and SPF throttled as IOS's `timers throttle spf` defaults do, whose routes
// go to the RIB as source "ospf" (distance 110). Everything runs on the
// device's virtual clock; what happens is reported as typed events.

import type { LocalDatagram } from "../../dataplane/pipeline/ip-types.ts";
import type { RouterInterface } from "../../dataplane/pipeline/router-interface.ts";
import { classfulLength } from "../../dataplane/rib.ts";
import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import { IP_PROTO_OSPF } from "../../wire/ipv4.ts";
import {
  ALL_D_ROUTERS,
  ALL_SPF_ROUTERS,
  buildLsa,
  DBD_FLAG,
  emitOspf,
  LSA_HEADER_LEN,
  LSA_TYPE,
  type Lsa,
  type LsaBody,
  type LsaHeader,
  type LsaInput,
  OSPF_HEADER_LEN,
  OSPF_INITIAL_SEQUENCE,
  OSPF_LS_REFRESH_TIME,
  OSPF_MAX_AGE,
  OSPF_MAX_SEQUENCE,
  OSPF_MD5_DIGEST_LEN,
  OSPF_OPTION,
  type OspfAuth,
  type OspfBody,
  ospfMd5Ok,
  ospfSimplePassword,
  parseOspf,
  ROUTER_LSA_FLAG,
} from "../../wire/ospf/index.ts";
import type { InterfaceEvent, ProtocolHost, RouterProtocol } from "../protocol.ts";
import {
  announceRedistributionSource,
  type RedistributionSourceHandle,
  RedistributionWatch,
} from "../redistribution.ts";
import {
  type AreaView,
  abrSummaries,
  aggregateExternals,
  asbrExternals,
  type ExternalSource,
  nssaAbrLsas,
  type WantedLsa,
} from "./border-lsas.ts";
import { type DrCandidate, electDr } from "./dr-election.ts";
import type { OspfEvent, OspfRejectReason } from "./events.ts";
import { type ElectedRole, type InterfaceFsmEvent, interfaceStep } from "./interface-state.ts";
import { internLsa, knownLsaBody } from "./lsa-intern.ts";
import {
  compareInstances,
  entryAge,
  headerNow,
  keyOfHeader,
  type LsaKey,
  Lsdb,
  type LsdbEntry,
  lsaKey,
} from "./lsdb.ts";
import { isAdjacent, isTwoWay, type NeighborEvent, type NeighborState, neighborStep } from "./neighbor-state.ts";
import { NETWORK_TYPE_TRAITS, type OspfNetworkType } from "./network-type.ts";
import { type LinkSource, networkLsaRouters, routerLinks } from "./origination.ts";
import { areaSettings, type OspfAreaSettings, type OspfProcessConfig, ospfDistance } from "./ospf-config.ts";
import { DEFAULT_RETRANSMIT_SEC, OspfInterface, OspfNeighbor } from "./ospf-interface.ts";
import { type BorderRouter, buildRoutingTable, type OspfRoute } from "./routing-table.ts";
import { intraAreaSpf, type SpfResult } from "./spf.ts";
import { LSA_THROTTLE_DEFAULT, Throttle } from "./throttle.ts";

const SEC = 1e9;
/** RxmtInterval (C.3) and InfTransDelay, IOS defaults. */
const TRANS_DELAY = 1;
/** MinLSArrival (appendix B); MinLSInterval is the LSA throttle's (throttle.ts). */
const MIN_LS_ARRIVAL_NS = 1 * SEC;
const DELAYED_ACK_NS = 1 * SEC;
/** IOS's interface flood pacing timer. */
const FLOOD_PACING_NS = 33_000_000;
const AGING_SWEEP_NS = 30 * SEC;
const OSPF_TOS = 0xc0; // IP precedence internetwork control, as IOS sends

const KNOWN_TYPES = new Set<number>([1, 2, 3, 4, 5, 7]);
const OSPF_TYPE_INDEX = { hello: 1, dbd: 2, lsr: 3, lsu: 4, lsack: 5 } as const;

/** One area of this process. */
export class OspfArea {
  readonly db = new Lsdb();
  spfRuns = 0;
  constructor(
    readonly id: number,
    public settings: OspfAreaSettings,
  ) {}
}

/** The running process. */
export class OspfInstance implements RouterProtocol {
  routerId = 0;
  readonly interfaces = new Map<string, OspfInterface>();
  readonly areas = new Map<number, OspfArea>();
  /** AS-external LSAs (type 5), flooded through every normal area. */
  readonly external = new Lsdb();
  readonly startedAt: TimeNs;
  spfRuns = 0;
  lastSpfAt: TimeNs | undefined;
  /** LSAs sent in updates (flooding, retransmission, answers to requests). */
  lsasFlooded = 0;
  /** Packets received and sent by type (index 1-5: hello, DBD, LSR, LSU, LSAck), for show ip ospf traffic. */
  readonly received = [0, 0, 0, 0, 0, 0];
  readonly sent = [0, 0, 0, 0, 0, 0];
  /** Received packets that failed to parse (bad checksum or layout). */
  badPackets = 0;
  routes: OspfRoute[] = [];
  borderRouters: BorderRouter[] = [];
  /** Each area's last SPF result. */
  readonly spfResults = new Map<number, SpfResult>();
  private readonly owner: string;
  private stopped = false;
  private noRouterIdReported = false;
  private installing = false;
  private spfTimer: TimerHandle | undefined;
  /** `timers throttle spf` and `timers throttle lsa` (IOS's exponential backoff, throttle.ts). */
  readonly spfThrottle = new Throttle(() => this.config.spfThrottle);
  readonly lsaThrottle = new Throttle(() => this.config.lsaThrottle ?? LSA_THROTTLE_DEFAULT);
  private originateTimer: TimerHandle | undefined;
  /** Own LSAs to re-originate with a higher sequence even if unchanged (13.4, refresh). */
  private readonly forced = new Set<LsaKey>();
  /** Prefixes offered to the RIB, as prefix * 64 + length (numbers in an array: a few bytes per route). */
  private installedRoutes: number[] = [];
  private readonly timers: TimerHandle[] = [];
  private readonly redistribution: RedistributionWatch;
  private readonly asSource: RedistributionSourceHandle;

  constructor(
    private readonly host: ProtocolHost<OspfEvent>,
    public config: OspfProcessConfig,
  ) {
    this.owner = `ospf ${config.processId}`;
    this.startedAt = host.now();
    host.bind({ ipProtocol: IP_PROTO_OSPF }, (d) => this.receive(d));
    // The default follows the routing table (the RIB keeps its listeners; a stopped process ignores it).
    host.rib.onChange(() => {
      if (!this.stopped && !this.installing && this.config.defaultInformation) this.scheduleOrigination();
    });
    // Redistributed routes come from the shared watch: only what it takes re-originates (our own routes
    // displacing a redistributed one included: its LSA is flushed).
    this.asSource = announceRedistributionSource(host.rib, this.owner);
    this.redistribution = new RedistributionWatch({
      rib: host.rib,
      name: this.owner,
      rules: () => this.config.redistribute,
      routeMap: (name, subject) => this.config.routeMap?.(name, subject),
      changed: () => {
        if (!this.stopped) this.scheduleOrigination();
      },
    });
    this.start();
  }

  get processId(): number {
    return this.config.processId;
  }

  // ---- lifecycle -------------------------------------------------------------

  private start(): void {
    this.routerId = this.chooseRouterId();
    if (this.routerId === 0) {
      // Said once; the process starts by itself when an interface gets an address.
      if (!this.noRouterIdReported) this.host.emit({ kind: "noRouterId", processId: this.processId });
      this.noRouterIdReported = true;
      return;
    }
    this.noRouterIdReported = false;
    this.reconcile();
    this.every(AGING_SWEEP_NS, "ospf-aging", () => this.agingSweep());
    this.every(OSPF_LS_REFRESH_TIME * SEC, "ospf-refresh", () => this.refreshOwn());
  }

  private every(periodNs: TimeNs, name: string, fn: () => void): void {
    const arm = () => {
      const t = this.host.after(periodNs, name, () => {
        this.timers.splice(this.timers.indexOf(t), 1);
        fn();
        arm();
      });
      this.timers.push(t);
    };
    arm();
  }

  stop(): void {
    this.stopped = true;
    this.redistribution.stop();
    this.asSource.withdraw();
    for (const oi of [...this.interfaces.values()]) this.removeInterface(oi, "interfaceDown");
    for (const t of this.timers) t.cancel();
    this.timers.length = 0;
    this.spfTimer?.cancel();
    this.originateTimer?.cancel();
    this.host.rib.withdrawSource("ospf", this.owner);
    this.host.rib.commit();
    this.installedRoutes = [];
  }

  /** `clear ip ospf process`: every adjacency reset, the database emptied, the router ID chosen again. */
  clear(): void {
    for (const oi of [...this.interfaces.values()]) this.removeInterface(oi, "adjacencyReset");
    for (const t of this.timers) t.cancel();
    this.timers.length = 0;
    this.spfTimer?.cancel();
    this.spfTimer = undefined;
    this.originateTimer?.cancel();
    this.originateTimer = undefined;
    this.lsaThrottle.reset();
    this.areas.clear();
    for (const e of this.external.all()) this.external.delete(keyOfHeader(e.lsa.header));
    this.host.rib.withdrawSource("ospf", this.owner);
    this.host.rib.commit();
    this.installedRoutes = [];
    this.routes = [];
    this.start();
  }

  /** The configuration changed: interfaces, areas and parameters follow. */
  reconfigure(config: OspfProcessConfig = this.config): void {
    this.config = config;
    if (this.routerId === 0) {
      this.start();
      return;
    }
    this.reconcile();
    this.redistribution.refresh();
    this.scheduleOrigination();
    this.scheduleSpf();
  }

  interfaceEvent(e: InterfaceEvent): void {
    if (this.routerId === 0) {
      this.start();
      return;
    }
    const oi = this.interfaces.get(e.ifc.name);
    if (e.kind === "addressChanged" && oi !== undefined) this.removeInterface(oi, "interfaceDown");
    else if (e.kind === "lineProtocolChanged" && !e.up && oi !== undefined) this.ifEvent(oi, { kind: "interfaceDown" });
    this.reconcile();
    if (e.kind === "parametersChanged") this.scheduleOrigination();
  }

  private chooseRouterId(): number {
    if (this.config.routerId !== undefined) return this.config.routerId >>> 0;
    // Interfaces with an address that are not shut: at boot the configuration (with `router ospf`) loads
    // a moment before line protocols come up, as IOS brings interfaces up before its routing processes.
    const up = this.host
      .interfaces()
      .filter((i) => i.config.address !== undefined && i.status !== "administratively down");
    const pick = (list: RouterInterface[]) =>
      list.reduce((best, i) => Math.max(best, i.config.address!.address >>> 0), 0);
    return pick(up.filter((i) => i.kind === "loopback")) || pick(up);
  }

  // ---- interfaces ------------------------------------------------------------

  /** The area an interface belongs to: `ip ospf N area A`, else the first matching network statement. */
  private areaOf(ifc: RouterInterface): number | undefined {
    const a = ifc.config.address;
    if (a === undefined) return undefined;
    const s = this.config.interfaceSettings(ifc.name);
    if (s?.area !== undefined) return s.area;
    for (const n of this.config.networks) if (((a.address ^ n.address) & ~n.wildcard) >>> 0 === 0) return n.area;
    return undefined;
  }

  private isPassive(name: string): boolean {
    return this.config.passiveDefault !== this.config.passiveExceptions.has(name);
  }

  /** Brings the set of OSPF interfaces in line with the configuration and the interfaces' state. */
  private reconcile(): void {
    const now = this.host.now();
    for (const ifc of this.host.interfaces()) {
      const area = this.areaOf(ifc);
      let oi = this.interfaces.get(ifc.name);
      if (oi !== undefined && (area === undefined || area !== oi.area)) {
        this.removeInterface(oi, "interfaceDown");
        oi = undefined;
      }
      if (area === undefined) continue;
      const s = this.config.interfaceSettings(ifc.name);
      const networkType: OspfNetworkType =
        s?.networkType ??
        (ifc.kind === "loopback"
          ? "loopback"
          : ifc.kind === "serial" || ifc.kind === "tunnel" // IOS: HDLC serial and GRE tunnels are POINT_TO_POINT
            ? "pointToPoint"
            : "broadcast");
      const traits = NETWORK_TYPE_TRAITS[networkType];
      const settings = areaSettings(this.config, area);
      const cost =
        s?.cost ??
        (ifc.kind === "loopback"
          ? 1
          : Math.max(1, Math.floor((this.config.referenceBandwidthMbps * 1000) / Math.max(1, ifc.bandwidthKbps))));
      const helloSec = s?.helloSec ?? traits.helloSec;
      const deadSec = s?.deadSec ?? (s?.helloSec !== undefined ? 4 * s.helloSec : traits.deadSec);
      const auth = s?.authentication ?? settings.authentication ?? "null";
      if (!this.areas.has(area)) this.areas.set(area, new OspfArea(area, settings));
      this.areas.get(area)!.settings = settings;
      if (oi === undefined) {
        oi = new OspfInterface(
          ifc,
          area,
          networkType,
          s?.priority ?? 1,
          cost,
          helloSec,
          deadSec,
          this.isPassive(ifc.name),
          auth,
          s?.authenticationKey,
          s?.md5Keys ?? new Map(),
          now,
        );
        this.interfaces.set(ifc.name, oi);
      } else {
        const restart =
          oi.networkType !== networkType ||
          oi.helloSec !== helloSec ||
          oi.deadSec !== deadSec ||
          oi.passive !== this.isPassive(ifc.name);
        if (restart && oi.state !== "DOWN") this.ifEvent(oi, { kind: "interfaceDown" });
        const priorityChanged = oi.priority !== (s?.priority ?? 1);
        if (oi.cost !== cost || priorityChanged) this.scheduleOrigination();
        oi.networkType = networkType;
        oi.helloSec = helloSec;
        oi.deadSec = deadSec;
        oi.passive = this.isPassive(ifc.name);
        oi.cost = cost;
        oi.priority = s?.priority ?? 1;
        oi.auth = auth;
        oi.simpleKey = s?.authenticationKey;
        oi.md5Keys = s?.md5Keys ?? new Map();
        // A new priority of our own changes the election at once (and the neighbors' at our next hello).
        if (priorityChanged && !restart) this.ifEvent(oi, { kind: "neighborChange", role: "DROTHER" });
      }
      oi.retransmitSec = s?.retransmitSec ?? DEFAULT_RETRANSMIT_SEC;
      const up = ifc.lineProtocolUp && ifc.config.address !== undefined;
      if (up && oi.state === "DOWN") this.ifEvent(oi, { kind: "interfaceUp", networkType, priority: oi.priority });
      else if (!up && oi.state !== "DOWN") this.ifEvent(oi, { kind: "interfaceDown" });
    }
    for (const oi of [...this.interfaces.values()])
      if (!this.host.interfaces().includes(oi.ifc)) this.removeInterface(oi, "interfaceDown");
    for (const id of [...this.areas.keys()])
      if (![...this.interfaces.values()].some((oi) => oi.area === id)) {
        this.areas.delete(id);
        this.scheduleSpf();
      }
    // Whoever redistributes this process also takes these interfaces' networks.
    this.asSource.setInterfaces(this.interfaces.keys());
  }

  private removeInterface(oi: OspfInterface, cause: "interfaceDown" | "adjacencyReset"): void {
    for (const nb of [...oi.neighbors.values()]) this.nbrEvent(nb, { kind: "killNbr", cause });
    if (oi.state !== "DOWN") this.ifEvent(oi, { kind: "interfaceDown" });
    this.interfaces.delete(oi.name);
    this.scheduleOrigination();
  }

  /** Runs the DR election for an interface and returns this router's role. */
  private elect(oi: OspfInterface): ElectedRole {
    const self: DrCandidate = {
      routerId: this.routerId,
      address: oi.address,
      priority: oi.priority,
      dr: oi.dr,
      bdr: oi.bdr,
    };
    const others: DrCandidate[] = [...oi.neighbors.values()]
      .filter((n) => isTwoWay(n.state))
      .map((n) => ({ routerId: n.routerId, address: n.address, priority: n.priority, dr: n.dr, bdr: n.bdr }));
    const r = electDr(self, others);
    const changed = r.dr !== oi.dr || r.bdr !== oi.bdr;
    oi.dr = r.dr;
    oi.bdr = r.bdr;
    if (changed) {
      // AdjOK? for every two-way neighbor (9.4 step 7), and the LSAs that name the DR follow.
      for (const nb of [...oi.neighbors.values()])
        if (isTwoWay(nb.state)) this.nbrEvent(nb, { kind: "adjOk", adjacency: this.wantsAdjacency(oi, nb) });
      this.scheduleOrigination();
    }
    return r.dr === oi.address ? "DR" : r.bdr === oi.address ? "BDR" : "DROTHER";
  }

  private ifEvent(oi: OspfInterface, e: InterfaceFsmEvent): void {
    let ev = e;
    if (e.kind === "waitTimer" || e.kind === "backupSeen" || e.kind === "neighborChange") {
      const runs =
        (e.kind !== "neighborChange" && oi.state === "WAITING") ||
        (e.kind === "neighborChange" && (oi.state === "DROTHER" || oi.state === "BDR" || oi.state === "DR"));
      if (!runs) return;
      ev = { kind: e.kind, role: this.elect(oi) };
    }
    const step = interfaceStep(oi.state, ev);
    const from = oi.state;
    oi.state = step.state;
    if (step.reason !== undefined) {
      oi.stateChangedAt = this.host.now();
      this.host.emit({
        kind: "interfaceState",
        processId: this.processId,
        ifc: oi.name,
        from,
        to: step.state,
        reason: step.reason,
      });
      this.scheduleOrigination();
    }
    for (const a of step.actions) {
      if (a === "startHellos") this.startHellos(oi);
      else if (a === "armWaitTimer") {
        oi.waitTimer = this.host.after(oi.deadSec * SEC, "ospf-wait", () => {
          oi.waitTimer = undefined;
          this.ifEvent(oi, { kind: "waitTimer", role: "DROTHER" });
        });
      } else if (a === "reset") this.resetInterface(oi);
    }
  }

  private startHellos(oi: OspfInterface): void {
    if (oi.passive || oi.networkType === "loopback") return;
    this.host.joinGroup(oi.ifc, ALL_SPF_ROUTERS);
    this.host.joinGroup(oi.ifc, ALL_D_ROUTERS);
    if (oi.networkType === "nonBroadcast") {
      for (const n of this.config.neighbors) {
        if ((n.address ^ oi.address) >>> (32 - oi.maskLength) !== 0 && oi.maskLength > 0) continue;
        if (oi.neighbors.has(n.address)) continue;
        const nb = new OspfNeighbor(oi, 0, n.address, this.host.now());
        nb.configured = true;
        nb.priority = n.priority ?? 1;
        oi.neighbors.set(n.address, nb);
        if (nb.priority > 0 || oi.priority > 0) this.nbrEvent(nb, { kind: "start" });
      }
    }
    this.sendHello(oi);
  }

  private resetInterface(oi: OspfInterface): void {
    oi.floodTimer?.cancel();
    oi.floodTimer = undefined;
    oi.floodQueue.clear();
    oi.helloTimer?.cancel();
    oi.helloTimer = undefined;
    oi.waitTimer?.cancel();
    oi.waitTimer = undefined;
    oi.ackTimer?.cancel();
    oi.ackTimer = undefined;
    oi.pendingAcks.clear();
    for (const nb of [...oi.neighbors.values()]) this.nbrEvent(nb, { kind: "killNbr", cause: "interfaceDown" });
    oi.neighbors.clear();
    oi.dr = 0;
    oi.bdr = 0;
    this.host.leaveGroup(oi.ifc, ALL_SPF_ROUTERS);
    this.host.leaveGroup(oi.ifc, ALL_D_ROUTERS);
  }

  private wantsAdjacency(oi: OspfInterface, nb: OspfNeighbor): boolean {
    if (!NETWORK_TYPE_TRAITS[oi.networkType].electsDr) return true;
    return oi.dr === oi.address || oi.bdr === oi.address || oi.dr === nb.address || oi.bdr === nb.address;
  }

  // ---- sending ---------------------------------------------------------------

  private areaOptions(area: number): number {
    const t = this.areas.get(area)?.settings.type ?? "normal";
    return t === "normal" ? OSPF_OPTION.E : t === "nssa" ? OSPF_OPTION.NP : 0;
  }

  /** Room for the body of one packet on an interface. */
  private bodyRoom(oi: OspfInterface): number {
    return oi.ifc.ipMtu - 20 - OSPF_HEADER_LEN - (oi.auth === "md5" ? OSPF_MD5_DIGEST_LEN : 0);
  }

  private packet(oi: OspfInterface, body: OspfBody): Uint8Array {
    let auth: OspfAuth = { type: "null" };
    let key: Uint8Array | undefined;
    if (oi.auth === "simple") auth = { type: "simple", password: ospfSimplePassword(oi.simpleKey ?? "") };
    else if (oi.auth === "md5") {
      const ids = [...oi.md5Keys.keys()].sort((a, b) => b - a);
      if (ids.length > 0) {
        auth = { type: "md5", keyId: ids[0]!, sequence: ++oi.md5Sequence };
        key = new TextEncoder().encode(oi.md5Keys.get(ids[0]!)!);
      } else auth = { type: "md5", keyId: 0, sequence: ++oi.md5Sequence };
      key ??= new Uint8Array(0);
      if (key.length === 0) key = new Uint8Array(1);
    }
    this.sent[OSPF_TYPE_INDEX[body.type]]++;
    return emitOspf({ routerId: this.routerId, areaId: oi.area, auth, body }, key);
  }

  private multicast(oi: OspfInterface, group: number, body: OspfBody): void {
    this.host.sendLinkLocal(oi.ifc, group, { protocol: IP_PROTO_OSPF, payload: this.packet(oi, body), tos: OSPF_TOS });
  }

  private unicast(oi: OspfInterface, to: number, payload: Uint8Array): void {
    if (oi.networkType === "pointToPoint") {
      this.host.sendLinkLocal(oi.ifc, ALL_SPF_ROUTERS, { protocol: IP_PROTO_OSPF, payload, tos: OSPF_TOS });
      return;
    }
    this.host.sendVia(oi.ifc, to, { dst: to, protocol: IP_PROTO_OSPF, payload, ttl: 1, tos: OSPF_TOS });
  }

  private sendHello(oi: OspfInterface): void {
    oi.helloTimer?.cancel();
    if (oi.state === "DOWN" || oi.state === "LOOPBACK") return;
    const body: OspfBody = {
      type: "hello",
      networkMask: oi.maskLength === 0 ? 0 : (0xffffffff << (32 - oi.maskLength)) >>> 0,
      helloInterval: oi.helloSec,
      options: this.areaOptions(oi.area),
      priority: oi.priority,
      deadInterval: oi.deadSec,
      dr: oi.dr,
      bdr: oi.bdr,
      neighbors: [...oi.neighbors.values()]
        .filter((n) => n.state !== "DOWN" && n.state !== "ATTEMPT")
        .map((n) => n.routerId),
    };
    if (oi.networkType === "nonBroadcast") {
      for (const nb of oi.neighbors.values()) {
        this.unicast(oi, nb.address, this.packet(oi, body));
        this.helloSent(oi, nb.address);
      }
    } else {
      this.multicast(oi, ALL_SPF_ROUTERS, body);
      this.helloSent(oi, ALL_SPF_ROUTERS);
    }
    oi.helloDueAt = this.host.now() + oi.helloSec * SEC;
    oi.helloTimer = this.host.after(oi.helloSec * SEC, "ospf-hello", () => this.sendHello(oi));
  }

  private helloSent(oi: OspfInterface, destination: number): void {
    this.host.emit({
      kind: "helloSent",
      processId: this.processId,
      ifc: oi.name,
      area: oi.area,
      destination,
      source: oi.address,
    });
  }

  // ---- receiving -------------------------------------------------------------

  private reject(oi: OspfInterface, source: number, reason: OspfRejectReason, ours?: number, theirs?: number): void {
    this.host.emit({
      kind: "packetRejected",
      processId: this.processId,
      ifc: oi.name,
      source,
      reason,
      ...(ours !== undefined ? { ours } : {}),
      ...(theirs !== undefined ? { theirs } : {}),
    });
  }

  private receive(d: LocalDatagram): void {
    if (d.ingress === null || this.routerId === 0) return;
    const oi = this.interfaces.get(d.ingress.name);
    if (oi === undefined || oi.state === "DOWN" || oi.passive || oi.state === "LOOPBACK") return;
    const src = d.header.src;
    if (src === oi.address) return;
    const bytes = d.header.payload;
    const parsed = parseOspf(bytes, knownLsaBody);
    if (!parsed.ok) {
      this.badPackets++;
      return this.reject(oi, src, "malformed");
    }
    const pkt = parsed.value.packet;
    this.received[OSPF_TYPE_INDEX[pkt.body.type]]++;
    if (pkt.areaId !== oi.area) return this.reject(oi, src, "areaMismatch", oi.area, pkt.areaId);
    if (pkt.routerId === this.routerId) return this.reject(oi, src, "duplicateRouterId", this.routerId, pkt.routerId);
    if (d.header.dst === ALL_D_ROUTERS && oi.state !== "DR" && oi.state !== "BDR") return;
    // Authentication (D.5).
    if (pkt.auth.type !== oi.auth) return this.reject(oi, src, "authTypeMismatch");
    if (pkt.auth.type === "simple") {
      const want = ospfSimplePassword(oi.simpleKey ?? "");
      if (want.some((b, i) => b !== (pkt.auth as { password: Uint8Array }).password[i]))
        return this.reject(oi, src, "authKeyMismatch");
    } else if (pkt.auth.type === "md5") {
      const k = oi.md5Keys.get(pkt.auth.keyId);
      if (k === undefined || !ospfMd5Ok(bytes, parsed.value, new TextEncoder().encode(k)))
        return this.reject(oi, src, "authKeyMismatch");
    }
    const body = pkt.body;
    if (body.type === "hello") return this.receiveHello(oi, src, pkt.routerId, body);
    const nb = oi.networkType === "pointToPoint" ? oi.neighbors.get(pkt.routerId) : oi.neighbors.get(src);
    if (nb === undefined || nb.routerId !== pkt.routerId) return;
    if (body.type === "dbd") this.receiveDbd(oi, nb, body);
    else if (body.type === "lsr") this.receiveLsr(oi, nb, body.requests);
    else if (body.type === "lsu") this.receiveLsu(oi, nb, body.lsas);
    else this.receiveAck(nb, body.lsaHeaders);
  }

  private receiveHello(
    oi: OspfInterface,
    src: number,
    routerId: number,
    h: Extract<OspfBody, { type: "hello" }>,
  ): void {
    this.host.emit({
      kind: "helloReceived",
      processId: this.processId,
      ifc: oi.name,
      area: oi.area,
      routerId,
      source: src,
    });
    const mask = oi.maskLength === 0 ? 0 : (0xffffffff << (32 - oi.maskLength)) >>> 0;
    if (oi.networkType !== "pointToPoint" && h.networkMask !== mask)
      return this.reject(oi, src, "networkMaskMismatch", mask, h.networkMask);
    if (h.helloInterval !== oi.helloSec || h.deadInterval !== oi.deadSec)
      this.host.emit({
        kind: "helloTimersMismatch",
        processId: this.processId,
        ifc: oi.name,
        source: src,
        deadReceived: h.deadInterval,
        deadConfigured: oi.deadSec,
        helloReceived: h.helloInterval,
        helloConfigured: oi.helloSec,
      });
    if (h.helloInterval !== oi.helloSec)
      return this.reject(oi, src, "helloIntervalMismatch", oi.helloSec, h.helloInterval);
    if (h.deadInterval !== oi.deadSec) return this.reject(oi, src, "deadIntervalMismatch", oi.deadSec, h.deadInterval);
    const ours = this.areaOptions(oi.area);
    if ((h.options & OSPF_OPTION.E) !== (ours & OSPF_OPTION.E)) return this.reject(oi, src, "stubFlagMismatch");
    if ((h.options & OSPF_OPTION.NP) !== (ours & OSPF_OPTION.NP)) return this.reject(oi, src, "nssaFlagMismatch");
    const key = oi.networkType === "pointToPoint" ? routerId : src;
    let nb = oi.neighbors.get(key);
    if (nb === undefined) {
      if (oi.networkType === "pointToPoint" && oi.neighbors.size > 0) {
        // A point-to-point interface has one neighbor: a hello from another router replaces it, so with
        // several routers on the link (a multipoint tunnel) the adjacency is reset over and over (seed 001).
        this.reject(oi, src, "secondPointToPointNeighbor");
        for (const old of [...oi.neighbors.values()]) this.nbrEvent(old, { kind: "killNbr", cause: "adjacencyReset" });
        oi.neighbors.clear();
      }
      nb = new OspfNeighbor(oi, routerId, src, this.host.now());
      oi.neighbors.set(key, nb);
    }
    nb.routerId = routerId;
    nb.address = src;
    nb.options = h.options;
    const elects = NETWORK_TYPE_TRAITS[oi.networkType].electsDr;
    const before = { priority: nb.priority, dr: nb.dr, bdr: nb.bdr };
    // Without a DR election the priority means nothing: IOS keeps (and shows) 0 for such neighbors.
    nb.priority = elects ? h.priority : 0;
    nb.dr = h.dr;
    nb.bdr = h.bdr;
    this.nbrEvent(nb, { kind: "helloReceived" });
    if (!h.neighbors.includes(this.routerId)) {
      this.nbrEvent(nb, { kind: "oneWayReceived" });
      return;
    }
    this.nbrEvent(nb, { kind: "twoWayReceived", adjacency: this.wantsAdjacency(oi, nb) });
    if (!elects) return;
    const declaresDr = h.dr === src;
    const declaresBdr = h.bdr === src;
    if (before.priority !== h.priority) this.ifEvent(oi, { kind: "neighborChange", role: "DROTHER" });
    if (declaresDr && h.bdr === 0 && oi.state === "WAITING") this.ifEvent(oi, { kind: "backupSeen", role: "DROTHER" });
    else if (declaresDr !== (before.dr === src)) this.ifEvent(oi, { kind: "neighborChange", role: "DROTHER" });
    if (declaresBdr && oi.state === "WAITING") this.ifEvent(oi, { kind: "backupSeen", role: "DROTHER" });
    else if (declaresBdr !== (before.bdr === src)) this.ifEvent(oi, { kind: "neighborChange", role: "DROTHER" });
  }

  // ---- neighbors -------------------------------------------------------------

  private nbrEvent(nb: OspfNeighbor, e: NeighborEvent): void {
    const oi = nb.ospfInterface;
    const step = neighborStep(nb.state, e);
    const from = nb.state;
    nb.state = step.state;
    // Reported before the actions run, so that the DBD an ExStart sends follows the change that caused it.
    if (step.reason !== undefined) {
      nb.stateChangedAt = this.host.now();
      nb.stateChanges++;
      this.host.emit({
        kind: "neighborState",
        processId: this.processId,
        neighborId: nb.routerId,
        address: nb.address,
        ifc: oi.name,
        from,
        to: step.state,
        reason: step.reason,
      });
    }
    for (const a of step.actions) {
      if (a === "armInactivity") {
        nb.inactivity?.cancel();
        nb.deadAt = this.host.now() + oi.deadSec * SEC;
        nb.inactivity = this.host.after(oi.deadSec * SEC, "ospf-dead", () => {
          nb.inactivity = undefined;
          this.nbrEvent(nb, { kind: "inactivityTimer" });
        });
      } else if (a === "cancelInactivity") {
        nb.inactivity?.cancel();
        nb.inactivity = undefined;
      } else if (a === "sendHello") {
        this.sendHello(oi);
      } else if (a === "clearLists") {
        this.clearLists(nb);
      } else if (a === "beginExStart") {
        this.beginExStart(oi, nb);
      } else if (a === "beginExchange") {
        this.beginExchange(oi, nb);
      }
    }
    if (step.reason === undefined) return;
    if (step.state === "DOWN") {
      nb.inactivity?.cancel();
      nb.inactivity = undefined;
      this.clearLists(nb);
      if (!nb.configured) {
        for (const [k, v] of oi.neighbors) if (v === nb) oi.neighbors.delete(k);
      }
    }
    if (step.state === "LOADING") this.sendLsr(oi, nb);
    if (from === "FULL" || step.state === "FULL") this.scheduleOrigination();
    if (isTwoWay(from) !== isTwoWay(step.state) && NETWORK_TYPE_TRAITS[oi.networkType].electsDr)
      this.ifEvent(oi, { kind: "neighborChange", role: "DROTHER" });
  }

  private clearLists(nb: OspfNeighbor): void {
    nb.summaryList = [];
    nb.requestList.clear();
    nb.retransmitList.clear();
    nb.dbdTimer?.cancel();
    nb.dbdTimer = undefined;
    nb.lsrTimer?.cancel();
    nb.lsrTimer = undefined;
    nb.retransmitTimer?.cancel();
    nb.retransmitTimer = undefined;
    nb.lastReceived = undefined;
  }

  // ---- database exchange (10.6, 10.8) ----------------------------------------

  private beginExStart(oi: OspfInterface, nb: OspfNeighbor): void {
    if (nb.ddSeq === 0) {
      const r = this.host.randomBytes(4);
      nb.ddSeq = ((r[0]! << 24) | (r[1]! << 16) | (r[2]! << 8) | r[3]!) >>> 1 || 1;
    } else nb.ddSeq = (nb.ddSeq + 1) >>> 0;
    nb.master = true;
    nb.lastReceived = undefined;
    this.sendDbd(oi, nb, DBD_FLAG.I | DBD_FLAG.M | DBD_FLAG.MS, []);
  }

  private beginExchange(oi: OspfInterface, nb: OspfNeighbor): void {
    const now = this.host.now();
    const normal = this.areas.get(oi.area)?.settings.type === "normal";
    const entries = [...(this.areas.get(oi.area)?.db.all() ?? []), ...(normal ? this.external.all() : [])];
    nb.summaryList = entries.filter((e) => entryAge(e, now) < OSPF_MAX_AGE).map((e) => headerNow(e, now));
  }

  private sendDbd(oi: OspfInterface, nb: OspfNeighbor, flags: number, headers: LsaHeader[]): void {
    const bytes = this.packet(oi, {
      type: "dbd",
      mtu: oi.ifc.ipMtu,
      options: this.areaOptions(oi.area),
      flags,
      sequence: nb.ddSeq,
      lsaHeaders: headers,
    });
    nb.lastSent = bytes;
    nb.sentMore = (flags & DBD_FLAG.M) !== 0;
    this.host.emit({
      kind: "dbdSent",
      processId: this.processId,
      ifc: oi.name,
      neighborId: nb.routerId,
      sequence: nb.ddSeq,
      options: this.areaOptions(oi.area),
      flags,
      length: OSPF_HEADER_LEN + 8 + LSA_HEADER_LEN * headers.length,
    });
    this.unicast(oi, nb.address, bytes);
    nb.dbdTimer?.cancel();
    nb.dbdTimer = undefined;
    // The master retransmits until the slave answers (10.8).
    if (nb.master) this.armDbdRetransmit(oi, nb, bytes);
  }

  private armDbdRetransmit(oi: OspfInterface, nb: OspfNeighbor, bytes: Uint8Array): void {
    nb.dbdTimer = this.host.after(oi.retransmitSec * SEC, "ospf-dbd-rxmt", () => {
      nb.dbdTimer = undefined;
      if ((nb.state === "EXSTART" || nb.state === "EXCHANGE") && nb.lastSent === bytes) {
        this.sent[OSPF_TYPE_INDEX.dbd]++;
        this.unicast(oi, nb.address, bytes);
        this.armDbdRetransmit(oi, nb, bytes);
      }
    });
  }

  /** The next DBD of the exchange: as many summary headers as fit, M set while more remain. */
  private sendNextDbd(oi: OspfInterface, nb: OspfNeighbor): void {
    const room = Math.max(1, Math.floor((this.bodyRoom(oi) - 8) / LSA_HEADER_LEN));
    const batch = nb.summaryList.splice(0, room);
    const flags = (nb.summaryList.length > 0 ? DBD_FLAG.M : 0) | (nb.master ? DBD_FLAG.MS : 0);
    this.sendDbd(oi, nb, flags, batch);
  }

  private receiveDbd(oi: OspfInterface, nb: OspfNeighbor, d: Extract<OspfBody, { type: "dbd" }>): void {
    this.host.emit({
      kind: "dbdReceived",
      processId: this.processId,
      ifc: oi.name,
      neighborId: nb.routerId,
      sequence: d.sequence,
      options: d.options,
      flags: d.flags,
      length: OSPF_HEADER_LEN + 8 + LSA_HEADER_LEN * d.lsaHeaders.length,
      mtu: d.mtu,
      state: nb.state,
    });
    if (nb.state === "DOWN" || nb.state === "ATTEMPT" || nb.state === "2WAY") return;
    if (nb.state === "INIT") {
      this.nbrEvent(nb, { kind: "twoWayReceived", adjacency: this.wantsAdjacency(oi, nb) });
      if ((nb.state as NeighborState) !== "EXSTART") return;
    }
    if (d.mtu > oi.ifc.ipMtu) {
      // IOS drops it and the neighbor stays in EXSTART/EXCHANGE (MTU mismatch).
      nb.mtuMismatches++;
      return this.reject(oi, nb.address, "mtuMismatch", oi.ifc.ipMtu, d.mtu);
    }
    const last = nb.lastReceived;
    const duplicate =
      last !== undefined && last.flags === d.flags && last.options === d.options && last.sequence === d.sequence;
    const I = (d.flags & DBD_FLAG.I) !== 0;
    const M = (d.flags & DBD_FLAG.M) !== 0;
    const MS = (d.flags & DBD_FLAG.MS) !== 0;
    if (nb.state === "EXSTART") {
      if (I && M && MS && d.lsaHeaders.length === 0 && nb.routerId >>> 0 > this.routerId >>> 0) {
        nb.master = false;
        nb.ddSeq = d.sequence;
        nb.dbdTimer?.cancel();
        nb.dbdTimer = undefined;
      } else if (!I && !MS && d.sequence === nb.ddSeq && nb.routerId >>> 0 < this.routerId >>> 0) {
        nb.master = true;
      } else return;
      nb.options = d.options;
      this.host.emit({
        kind: "dbdNegotiated",
        processId: this.processId,
        ifc: oi.name,
        neighborId: nb.routerId,
        master: nb.master,
      });
      this.nbrEvent(nb, { kind: "negotiationDone" });
      return this.acceptDbd(oi, nb, d);
    }
    if (duplicate) {
      if (!nb.master && nb.lastSent !== undefined) {
        this.sent[OSPF_TYPE_INDEX.dbd]++;
        this.unicast(oi, nb.address, nb.lastSent);
      }
      return;
    }
    if (nb.state !== "EXCHANGE") return this.nbrEvent(nb, { kind: "seqNumberMismatch" });
    if (MS === nb.master || I || d.options !== nb.options) return this.nbrEvent(nb, { kind: "seqNumberMismatch" });
    if (nb.master ? d.sequence !== nb.ddSeq : d.sequence !== (nb.ddSeq + 1) >>> 0)
      return this.nbrEvent(nb, { kind: "seqNumberMismatch" });
    this.acceptDbd(oi, nb, d);
  }

  private acceptDbd(oi: OspfInterface, nb: OspfNeighbor, d: Extract<OspfBody, { type: "dbd" }>): void {
    nb.lastReceived = { flags: d.flags, options: d.options, sequence: d.sequence };
    const settings = this.areas.get(oi.area)?.settings;
    for (const h of d.lsaHeaders) {
      if (
        !KNOWN_TYPES.has(h.type) ||
        (h.type === LSA_TYPE.AS_EXTERNAL && settings?.type !== "normal") ||
        (h.type === LSA_TYPE.NSSA_EXTERNAL && settings?.type !== "nssa")
      )
        return this.nbrEvent(nb, { kind: "seqNumberMismatch" });
      const db = this.dbFor(h.type, oi.area);
      const cur = db?.get(keyOfHeader(h));
      if (cur === undefined || compareInstances(h, headerNow(cur, this.host.now())) > 0)
        nb.requestList.set(keyOfHeader(h), h);
    }
    const more = (d.flags & DBD_FLAG.M) !== 0;
    if (nb.master) {
      nb.ddSeq = (nb.ddSeq + 1) >>> 0;
      if (!more && !nb.sentMore && nb.summaryList.length === 0) {
        nb.dbdTimer?.cancel();
        nb.dbdTimer = undefined;
        this.nbrEvent(nb, { kind: "exchangeDone", requestsPending: nb.requestList.size > 0 });
      } else this.sendNextDbd(oi, nb);
    } else {
      nb.ddSeq = d.sequence;
      this.sendNextDbd(oi, nb);
      if (!more && !nb.sentMore) this.nbrEvent(nb, { kind: "exchangeDone", requestsPending: nb.requestList.size > 0 });
    }
  }

  // ---- requests (10.7, 10.9) ------------------------------------------------

  private sendLsr(oi: OspfInterface, nb: OspfNeighbor): void {
    nb.lsrTimer?.cancel();
    nb.lsrTimer = undefined;
    if (nb.requestList.size === 0) return;
    const room = Math.max(1, Math.floor(this.bodyRoom(oi) / 12));
    const batch = [...nb.requestList.values()].slice(0, room);
    nb.lsrOutstanding = new Set(batch.map(keyOfHeader));
    const requests = batch.map((h) => ({
      type: h.type,
      linkStateId: h.linkStateId,
      advertisingRouter: h.advertisingRouter,
    }));
    this.unicast(oi, nb.address, this.packet(oi, { type: "lsr", requests }));
    this.host.emit({
      kind: "lsrSent",
      processId: this.processId,
      ifc: oi.name,
      neighborId: nb.routerId,
      length: OSPF_HEADER_LEN + 12 * requests.length,
      count: requests.length,
    });
    nb.lsrTimer = this.host.after(oi.retransmitSec * SEC, "ospf-lsr-rxmt", () => {
      nb.lsrTimer = undefined;
      if (nb.state === "EXCHANGE" || nb.state === "LOADING") this.sendLsr(oi, nb);
    });
  }

  private receiveLsr(
    oi: OspfInterface,
    nb: OspfNeighbor,
    requests: Array<{ type: number; linkStateId: number; advertisingRouter: number }>,
  ): void {
    if (nb.state !== "EXCHANGE" && nb.state !== "LOADING" && nb.state !== "FULL") return;
    const lsas: Lsa[] = [];
    for (const r of requests) {
      const e = this.dbFor(r.type, oi.area)?.get(lsaKey(r.type, r.linkStateId, r.advertisingRouter));
      if (e === undefined) return this.nbrEvent(nb, { kind: "badLsReq" });
      lsas.push(this.forTransmission(e));
    }
    this.sendLsus(oi, (payload) => this.unicast(oi, nb.address, payload), lsas);
  }

  // ---- flooding (13) ---------------------------------------------------------

  private dbFor(type: number, area: number): Lsdb | undefined {
    return type === LSA_TYPE.AS_EXTERNAL ? this.external : this.areas.get(area)?.db;
  }

  /** An LSA as it goes on the wire: its age now plus InfTransDelay. */
  private forTransmission(e: LsdbEntry): Lsa {
    const age = Math.min(OSPF_MAX_AGE, entryAge(e, this.host.now()) + TRANS_DELAY);
    return { header: { ...e.lsa.header, age }, body: e.lsa.body };
  }

  /** Sends LSAs in as many updates as the interface MTU needs. */
  private sendLsus(oi: OspfInterface, send: (payload: Uint8Array) => void, lsas: Lsa[]): void {
    const room = this.bodyRoom(oi) - 4;
    let batch: Lsa[] = [];
    let size = 0;
    const flush = () => {
      if (batch.length === 0) return;
      send(this.packet(oi, { type: "lsu", lsas: batch }));
      this.lsasFlooded += batch.length;
      batch = [];
      size = 0;
    };
    for (const l of lsas) {
      if (size + l.header.length > room) flush();
      batch.push(l);
      size += l.header.length;
    }
    flush();
  }

  private receiveLsu(oi: OspfInterface, nb: OspfNeighbor, lsas: Lsa[]): void {
    if (!isAdjacent(nb.state) || nb.state === "EXSTART") return;
    const now = this.host.now();
    const area = this.areas.get(oi.area);
    if (area === undefined) return;
    for (const received of lsas) {
      const h = received.header;
      if (!KNOWN_TYPES.has(h.type)) continue;
      if (h.type === LSA_TYPE.AS_EXTERNAL && area.settings.type !== "normal") continue;
      if (h.type === LSA_TYPE.NSSA_EXTERNAL && area.settings.type !== "nssa") continue;
      const db = this.dbFor(h.type, oi.area)!;
      const key = keyOfHeader(h);
      const lsa = internLsa(received, key);
      const cur = db.get(key);
      const curH = cur !== undefined ? headerNow(cur, now) : undefined;
      if (h.age >= OSPF_MAX_AGE && cur === undefined && !this.anyExchanging()) {
        this.directAck(oi, nb, h);
        continue;
      }
      const cmp = curH === undefined ? 1 : compareInstances(h, curH);
      if (cmp > 0) {
        if (
          cur !== undefined &&
          now - cur.installedAt < MIN_LS_ARRIVAL_NS &&
          cur.lsa.header.advertisingRouter !== this.routerId
        )
          continue;
        // The old instance leaves every retransmission list before the new one is flooded onto them (13 (5)).
        this.removeFromRetransmitLists(key);
        const floodedBack = this.flood(lsa, oi, nb, key);
        this.install(db, lsa);
        if (!floodedBack && (oi.state !== "BDR" || nb.address === oi.dr)) this.delayedAck(oi, nb, h);
        const req = nb.requestList.get(key);
        if (req !== undefined && compareInstances(h, req) >= 0) nb.requestList.delete(key);
        if (this.isSelfOriginated(h)) {
          this.forced.add(key);
          this.scheduleOrigination();
        }
        continue;
      }
      if (nb.requestList.has(key)) {
        this.nbrEvent(nb, { kind: "badLsReq" });
        return;
      }
      if (cmp === 0) {
        const listed = nb.retransmitList.get(key);
        if (listed !== undefined) {
          nb.retransmitList.delete(key);
          if (oi.state === "BDR" && nb.address === oi.dr) this.delayedAck(oi, nb, h);
        } else this.directAck(oi, nb, h);
        continue;
      }
      if (curH!.age >= OSPF_MAX_AGE && curH!.sequence === OSPF_MAX_SEQUENCE) continue;
      if (cur!.lastReplyAt === undefined || now - cur!.lastReplyAt >= MIN_LS_ARRIVAL_NS) {
        cur!.lastReplyAt = now;
        this.sendLsus(oi, (p) => this.unicast(oi, nb.address, p), [this.forTransmission(cur!)]);
      }
    }
    if (nb.state === "LOADING") {
      if (nb.requestList.size === 0) {
        nb.lsrTimer?.cancel();
        nb.lsrTimer = undefined;
        this.nbrEvent(nb, { kind: "loadingDone" });
      } else if (![...nb.lsrOutstanding].some((k) => nb.requestList.has(k))) {
        // The last request is answered and more remain: ask for the next batch now (else its timer retries).
        this.sendLsr(oi, nb);
      }
    }
  }

  private anyExchanging(): boolean {
    for (const oi of this.interfaces.values())
      for (const nb of oi.neighbors.values()) if (nb.state === "EXCHANGE" || nb.state === "LOADING") return true;
    return false;
  }

  private isSelfOriginated(h: LsaHeader): boolean {
    if (h.advertisingRouter === this.routerId) return true;
    if (h.type !== LSA_TYPE.NETWORK) return false;
    for (const oi of this.interfaces.values()) if (oi.address === h.linkStateId) return true;
    return false;
  }

  /** Interfaces an LSA of this type floods through (its area, or every normal area for type 5). */
  private scope(type: number, area: number | null): OspfInterface[] {
    return [...this.interfaces.values()].filter((oi) =>
      type === LSA_TYPE.AS_EXTERNAL ? this.areas.get(oi.area)?.settings.type === "normal" : oi.area === area,
    );
  }

  /** Floods an LSA (13.3); returns whether it went back out of the interface it came in on. */
  private flood(
    lsa: Lsa,
    from: OspfInterface | null,
    sender: OspfNeighbor | null,
    key = keyOfHeader(lsa.header),
  ): boolean {
    let back = false;
    const area = from?.area ?? null;
    for (const oi of this.scope(lsa.header.type, lsa.header.type === LSA_TYPE.AS_EXTERNAL ? null : area)) {
      if (oi.state === "DOWN" || oi.state === "LOOPBACK" || oi.passive) continue;
      let added = false;
      for (const nb of oi.neighbors.values()) {
        if (nb.state !== "EXCHANGE" && nb.state !== "LOADING" && nb.state !== "FULL") continue;
        if (nb.state !== "FULL") {
          const req = nb.requestList.get(key);
          if (req !== undefined) {
            const c = compareInstances(lsa.header, req);
            if (c < 0) continue;
            nb.requestList.delete(key);
            if (c === 0) continue;
          }
        }
        if (nb === sender) continue;
        nb.retransmitList.set(key, lsa);
        this.armRetransmit(oi, nb);
        added = true;
      }
      if (!added) continue;
      if (oi === from && sender !== null && (sender.address === oi.dr || sender.address === oi.bdr)) continue;
      if (oi === from && oi.state === "BDR") continue;
      if (oi === from) back = true;
      const out = {
        header: { ...lsa.header, age: Math.min(OSPF_MAX_AGE, lsa.header.age + TRANS_DELAY) },
        body: lsa.body,
      };
      if (oi.networkType === "nonBroadcast") {
        for (const nb of oi.neighbors.values())
          if (nb.state === "EXCHANGE" || nb.state === "LOADING" || nb.state === "FULL")
            this.queueFlood(oi, nb.address, out, key);
      } else {
        const group =
          NETWORK_TYPE_TRAITS[oi.networkType].electsDr && oi.state !== "DR" && oi.state !== "BDR"
            ? ALL_D_ROUTERS
            : ALL_SPF_ROUTERS;
        this.queueFlood(oi, group, out, key);
      }
    }
    return back;
  }

  /**
   * Queues an LSA for an interface: what is flooded within one pacing interval leaves in as few updates as the
   * MTU allows (IOS's interface flood pacing, 33 ms), instead of one update per LSA.
   */
  private queueFlood(oi: OspfInterface, to: number, lsa: Lsa, key: LsaKey): void {
    let queue = oi.floodQueue.get(to);
    if (queue === undefined) oi.floodQueue.set(to, (queue = new Map()));
    // A newer instance replaces a queued older one.
    queue.set(key, lsa);
    if (oi.floodTimer !== undefined) return;
    oi.floodTimer = this.host.after(FLOOD_PACING_NS, "ospf-flood", () => {
      oi.floodTimer = undefined;
      const queued = [...oi.floodQueue];
      oi.floodQueue.clear();
      if (oi.state === "DOWN") return;
      for (const [dst, lsas] of queued) {
        const send =
          dst === ALL_SPF_ROUTERS || dst === ALL_D_ROUTERS
            ? (p: Uint8Array) =>
                this.host.sendLinkLocal(oi.ifc, dst, { protocol: IP_PROTO_OSPF, payload: p, tos: OSPF_TOS })
            : (p: Uint8Array) => this.unicast(oi, dst, p);
        this.sendLsus(oi, send, [...lsas.values()]);
      }
    });
  }

  private armRetransmit(oi: OspfInterface, nb: OspfNeighbor): void {
    if (nb.retransmitTimer !== undefined) return;
    nb.retransmitDueAt = this.host.now() + oi.retransmitSec * SEC;
    nb.retransmitTimer = this.host.after(oi.retransmitSec * SEC, "ospf-lsu-rxmt", () => {
      nb.retransmitTimer = undefined;
      if (nb.retransmitList.size === 0 || !isAdjacent(nb.state)) return;
      const lsas = [...nb.retransmitList.entries()].map(([k, l]) => {
        const e = this.dbFor(l.header.type, oi.area)?.get(k);
        return e !== undefined && e.lsa === l ? this.forTransmission(e) : l;
      });
      nb.retransmissions++;
      this.sendLsus(oi, (p) => this.unicast(oi, nb.address, p), lsas);
      this.armRetransmit(oi, nb);
    });
  }

  private removeFromRetransmitLists(key: LsaKey): void {
    for (const oi of this.interfaces.values()) for (const nb of oi.neighbors.values()) nb.retransmitList.delete(key);
  }

  private receiveAck(nb: OspfNeighbor, headers: LsaHeader[]): void {
    if (!isAdjacent(nb.state) || nb.state === "EXSTART") return;
    for (const h of headers) {
      const key = keyOfHeader(h);
      const l = nb.retransmitList.get(key);
      if (l !== undefined && compareInstances(h, l.header) === 0) nb.retransmitList.delete(key);
    }
  }

  private directAck(oi: OspfInterface, nb: OspfNeighbor, h: LsaHeader): void {
    this.unicast(oi, nb.address, this.packet(oi, { type: "lsack", lsaHeaders: [h] }));
  }

  /** Queues an acknowledgment sent within a second with others (13.5). */
  private delayedAck(oi: OspfInterface, nb: OspfNeighbor, h: LsaHeader): void {
    const to =
      oi.networkType === "nonBroadcast" || oi.networkType === "pointToMultipoint"
        ? nb.address
        : NETWORK_TYPE_TRAITS[oi.networkType].electsDr && oi.state !== "DR" && oi.state !== "BDR"
          ? ALL_D_ROUTERS
          : ALL_SPF_ROUTERS;
    const list = oi.pendingAcks.get(to) ?? [];
    list.push(h);
    oi.pendingAcks.set(to, list);
    if (oi.ackTimer !== undefined) return;
    oi.ackTimer = this.host.after(DELAYED_ACK_NS, "ospf-ack", () => {
      oi.ackTimer = undefined;
      const room = Math.max(1, Math.floor(this.bodyRoom(oi) / LSA_HEADER_LEN));
      for (const [dst, hs] of oi.pendingAcks) {
        for (let i = 0; i < hs.length; i += room) {
          const body: OspfBody = { type: "lsack", lsaHeaders: hs.slice(i, i + room) };
          if (dst === ALL_SPF_ROUTERS || dst === ALL_D_ROUTERS) this.multicast(oi, dst, body);
          else this.unicast(oi, dst, this.packet(oi, body));
        }
      }
      oi.pendingAcks.clear();
    });
  }

  /** Installs an LSA (13.2) and schedules the routing table calculation. */
  private install(db: Lsdb, lsa: Lsa): void {
    db.install(lsa, this.host.now());
    this.scheduleSpf();
  }

  // ---- aging (14) -------------------------------------------------------------

  private agingSweep(): void {
    const now = this.host.now();
    const exchanging = this.anyExchanging();
    const sweep = (db: Lsdb, area: number | null) => {
      for (const e of db.all()) {
        if (entryAge(e, now) < OSPF_MAX_AGE) continue;
        const key = keyOfHeader(e.lsa.header);
        if (e.installedAge < OSPF_MAX_AGE) {
          // Aged out here: flood it at MaxAge so every router drops it (14).
          const aged = { header: { ...e.lsa.header, age: OSPF_MAX_AGE }, body: e.lsa.body };
          this.install(db, aged);
          this.flood(aged, area === null ? null : this.anyInterfaceOf(area), null);
          continue;
        }
        const listed = [...this.interfaces.values()].some((oi) =>
          [...oi.neighbors.values()].some((nb) => nb.retransmitList.has(key)),
        );
        if (!listed && !exchanging) {
          db.delete(key);
          this.scheduleSpf();
        }
      }
    };
    for (const a of this.areas.values()) sweep(a.db, a.id);
    sweep(this.external, null);
  }

  private anyInterfaceOf(area: number): OspfInterface | null {
    for (const oi of this.interfaces.values()) if (oi.area === area) return oi;
    return null;
  }

  private refreshOwn(): void {
    for (const a of this.areas.values())
      for (const e of a.db.all())
        if (e.lsa.header.advertisingRouter === this.routerId) this.forced.add(keyOfHeader(e.lsa.header));
    this.scheduleOrigination();
  }

  // ---- origination (12.4) ----------------------------------------------------

  /** Re-originates own LSAs soon, as `timers throttle lsa` allows (by default at most once per 5 s). */
  scheduleOrigination(): void {
    if (this.originateTimer !== undefined || this.routerId === 0) return;
    this.originateTimer = this.host.after(this.lsaThrottle.delay(this.host.now()), "ospf-originate", () => {
      this.originateTimer = undefined;
      this.lsaThrottle.ran(this.host.now());
      this.originateAll();
    });
  }

  private linkSource(oi: OspfInterface): LinkSource {
    return {
      state: oi.state,
      networkType: oi.networkType,
      passive: oi.passive,
      address: oi.address,
      maskLength: oi.maskLength,
      cost: oi.cost,
      dr: oi.dr,
      full: oi.full().map((n) => ({ routerId: n.routerId, address: n.address })),
    };
  }

  /** Whether this router is an ABR: interfaces up in more than one area. */
  isAbr(): boolean {
    const up = new Set([...this.interfaces.values()].filter((oi) => oi.state !== "DOWN").map((oi) => oi.area));
    return up.size > 1;
  }

  /**
   * The routes this router redistributes (redistribute, default-information), through summary-address.
   * A redistributed route's metric: the route map's, the line's, default-metric, else IOS's 20; its metric
   * type the route map's or the line's; its tag the route map's, the line's, else 0. Without `subnets` only
   * classful networks (IOS's `% Only classful networks will be redistributed`).
   */
  private externalSources(): ExternalSource[] {
    const rib = this.host.rib;
    const ospfNets = new Set(
      [...this.interfaces.values()].map(
        (oi) =>
          `${(oi.address & (oi.maskLength === 0 ? 0 : 0xffffffff << (32 - oi.maskLength))) >>> 0}/${oi.maskLength}`,
      ),
    );
    const out: ExternalSource[] = [];
    for (const r of this.redistribution.routes()) {
      const rd = this.config.redistribute[r.rule];
      if (rd === undefined || r.length === 0 || ospfNets.has(`${r.prefix >>> 0}/${r.length}`)) continue;
      if (!rd.subnets && r.length !== classfulLength(r.prefix)) continue;
      const setMetric = typeof r.set.metric === "number" ? r.set.metric : undefined;
      out.push({
        prefix: r.prefix >>> 0,
        length: r.length,
        metric: Math.min(setMetric ?? rd.metric ?? this.config.defaultMetric ?? 20, 16777214),
        type2: (r.set.metricType ?? rd.metricType) === 2,
        tag: r.set.tag ?? rd.tag ?? 0,
      });
    }
    const d = this.config.defaultInformation;
    if (d !== undefined) {
      const def = rib.route(0, 0);
      if (d.always || (def !== undefined && def.source !== "ospf"))
        out.push({ prefix: 0, length: 0, metric: d.metric, type2: d.metricType === 2, tag: 0 });
    }
    return aggregateExternals(out, this.config.summaryAddresses);
  }

  private areaViews(): AreaView[] {
    return [...this.areas.values()].map((a) => ({
      id: a.id,
      settings: a.settings,
      db: a.db,
      spf: this.spfResults.get(a.id) ?? { routers: new Map(), networks: [] },
      highestAddress: Math.max(
        0,
        ...[...this.interfaces.values()]
          .filter((oi) => oi.area === a.id && oi.state !== "DOWN")
          .map((oi) => oi.address >>> 0),
      ),
    }));
  }

  private originateAll(): void {
    const abr = this.isAbr();
    const views = this.areaViews();
    const wanted: WantedLsa[] = [
      ...(abr ? abrSummaries(views, this.routes, this.borderRouters) : []),
      ...asbrExternals(this.externalSources(), views, abr),
      ...(abr ? nssaAbrLsas(this.routerId, views, this.host.now()) : []),
    ];
    const asbrIn = (area: number | null) =>
      wanted.some(
        (w) =>
          (w.type === LSA_TYPE.AS_EXTERNAL && area !== null && this.areas.get(area)?.settings.type === "normal") ||
          (w.type === LSA_TYPE.NSSA_EXTERNAL && w.area === area),
      );
    for (const area of this.areas.values()) {
      const ifcs = [...this.interfaces.values()].filter((oi) => oi.area === area.id);
      const links = ifcs.flatMap((oi) => routerLinks(this.linkSource(oi)));
      const flags = (abr ? ROUTER_LSA_FLAG.B : 0) | (asbrIn(area.id) ? ROUTER_LSA_FLAG.E : 0);
      this.originate(area.db, area.id, LSA_TYPE.ROUTER, this.routerId, { kind: "router", flags, links });
      for (const oi of ifcs) {
        const routers = networkLsaRouters(this.linkSource(oi), this.routerId);
        const mask = oi.maskLength === 0 ? 0 : (0xffffffff << (32 - oi.maskLength)) >>> 0;
        this.originate(
          area.db,
          area.id,
          LSA_TYPE.NETWORK,
          oi.address,
          routers === null ? null : { kind: "network", mask, attachedRouters: routers },
        );
      }
      // Network-LSAs of interfaces that are gone or no longer DR.
      for (const e of area.db.ofType(LSA_TYPE.NETWORK))
        if (
          e.lsa.header.advertisingRouter === this.routerId &&
          !ifcs.some((oi) => oi.address === e.lsa.header.linkStateId)
        )
          this.originate(area.db, area.id, LSA_TYPE.NETWORK, e.lsa.header.linkStateId, null);
    }
    // Summaries, ASBR-summaries, externals: originate the wanted ones, flush own ones no longer wanted.
    const scopes: Array<{ db: Lsdb; area: number | null }> = [
      ...[...this.areas.values()].map((a) => ({ db: a.db, area: a.id as number | null })),
      { db: this.external, area: null },
    ];
    for (const { db, area } of scopes) {
      const mine = wanted.filter((w) => w.area === area);
      const keep = new Set(mine.map((w) => lsaKey(w.type, w.linkStateId, this.routerId)));
      for (const w of mine) this.originate(db, area, w.type, w.linkStateId, w.body, w.options);
      for (const e of db.all()) {
        const h = e.lsa.header;
        if (h.advertisingRouter !== this.routerId || h.type === LSA_TYPE.ROUTER || h.type === LSA_TYPE.NETWORK)
          continue;
        if (!keep.has(keyOfHeader(h))) this.originate(db, area, h.type, h.linkStateId, null);
      }
    }
  }

  /** Originates (or, with a null body, flushes) one own LSA if it differs from the database. */
  private originate(
    db: Lsdb,
    area: number | null,
    type: number,
    linkStateId: number,
    body: LsaBody | null,
    options = area === null ? OSPF_OPTION.E : this.areaOptions(area) | 0x20,
  ): void {
    const key = lsaKey(type, linkStateId, this.routerId);
    const cur = db.get(key);
    const now = this.host.now();
    const forced = this.forced.delete(key);
    const from = area === null ? null : this.anyInterfaceOf(area);
    if (body === null) {
      if (cur === undefined || entryAge(cur, now) >= OSPF_MAX_AGE) return;
      const flushed = { header: { ...cur.lsa.header, age: OSPF_MAX_AGE }, body: cur.lsa.body };
      this.install(db, flushed);
      this.flood(flushed, from, null);
      return;
    }
    if (
      !forced &&
      cur !== undefined &&
      entryAge(cur, now) < OSPF_MAX_AGE &&
      cur.lsa.header.options === options &&
      JSON.stringify(cur.lsa.body) === JSON.stringify(body)
    )
      return;
    const sequence = cur === undefined ? OSPF_INITIAL_SEQUENCE : cur.lsa.header.sequence + 1;
    if (sequence > OSPF_MAX_SEQUENCE) return; // wrap needs a flush first (12.1.6); not reached in a lab's lifetime
    const input: LsaInput = {
      header: { age: 0, options, type, linkStateId: linkStateId >>> 0, advertisingRouter: this.routerId, sequence },
      body,
    };
    const lsa = buildLsa(input);
    this.removeFromRetransmitLists(key);
    this.install(db, lsa);
    this.flood(lsa, from, null);
  }

  // ---- routing table (16) ------------------------------------------------------

  /** Schedules SPF as `timers throttle spf` says: the start wait, then a hold that doubles to the max. */
  private scheduleSpf(): void {
    if (this.spfTimer !== undefined) return;
    this.spfTimer = this.host.after(this.spfThrottle.delay(this.host.now()), "ospf-spf", () => {
      this.spfTimer = undefined;
      this.runSpf();
    });
  }

  private runSpf(): void {
    const now = this.host.now();
    this.lastSpfAt = now;
    this.spfThrottle.ran(now);
    this.spfRuns++;
    const root = {
      routerId: this.routerId,
      interfaceOf: (address: number) => {
        for (const oi of this.interfaces.values()) if (oi.address === address && oi.state !== "DOWN") return oi.name;
        return undefined;
      },
      neighborAddress: (ifc: string, routerId: number) => {
        const oi = this.interfaces.get(ifc);
        if (oi === undefined) return undefined;
        for (const nb of oi.neighbors.values()) if (nb.routerId === routerId && nb.state === "FULL") return nb.address;
        return undefined;
      },
    };
    this.spfResults.clear();
    for (const area of this.areas.values()) {
      area.spfRuns++;
      this.spfResults.set(area.id, intraAreaSpf(area.db, root, now));
    }
    const table = buildRoutingTable(
      this.routerId,
      [...this.areas.values()].map((a) => ({
        id: a.id,
        settings: a.settings,
        db: a.db,
        spf: this.spfResults.get(a.id)!,
      })),
      this.external,
      this.isAbr(),
      now,
    );
    this.routes = table.routes;
    this.borderRouters = table.borderRouters;
    // What is read of an area's SPF after this is the routers an NSSA reaches (its translator election and
    // translation, border-lsas.ts): keep that and let the rest go (the networks live on in the routes).
    for (const [id, r] of this.spfResults)
      this.spfResults.set(id, {
        routers: this.areas.get(id)?.settings.type === "nssa" ? r.routers : new Map(),
        networks: [],
      });
    this.installRoutes();
    this.host.emit({ kind: "spfRun", processId: this.processId, areas: this.areas.size, routes: this.routes.length });
    // Summaries and translations follow the new table.
    this.scheduleOrigination();
  }

  /** Offers the routes again (a distribute-list changed). */
  reinstallRoutes(): void {
    this.installRoutes();
  }

  private installRoutes(): void {
    const rib = this.host.rib;
    const SUBTYPE = { intra: undefined, inter: "IA", E1: "E1", E2: "E2", N1: "N1", N2: "N2" } as const;
    const KIND = {
      intra: "intra",
      inter: "inter",
      E1: "external",
      E2: "external",
      N1: "external",
      N2: "external",
    } as const;
    const next = new Set<number>();
    for (const r of this.routes) {
      if (r.attached || r.nextHops.length === 0) continue;
      if (this.config.distributeIn !== undefined && !this.config.distributeIn(r.prefix, r.length)) continue;
      const distance = ospfDistance(this.config.distance, KIND[r.type]);
      // Distance 255 means not to be trusted: IOS leaves the route out of the table.
      if (distance >= 255) continue;
      next.add((r.prefix >>> 0) * 64 + r.length);
      rib.setCandidates(
        "ospf",
        r.prefix,
        r.length,
        // `maximum-paths` (IOS's default 4).
        r.nextHops.slice(0, this.config.maximumPaths).map((h) => ({
          distance,
          metric: r.cost,
          ...(h.address !== 0 ? { nextHop: h.address } : {}),
          interface: h.ifc,
          ...(SUBTYPE[r.type] !== undefined ? { subtype: SUBTYPE[r.type] } : {}),
          ...(r.tag !== undefined ? { tag: r.tag } : {}),
        })),
        this.owner,
      );
    }
    for (const k of this.installedRoutes)
      if (!next.has(k)) rib.setCandidates("ospf", Math.floor(k / 64), k % 64, [], this.owner);
    this.installedRoutes = [...next];
    this.installing = true;
    try {
      rib.commit();
    } finally {
      this.installing = false;
    }
  }

  // ---- views for show commands ---------------------------------------------

  /** Every neighbor, interface by interface. */
  neighbors(): OspfNeighbor[] {
    return [...this.interfaces.values()].flatMap((oi) => [...oi.neighbors.values()]);
  }
}
