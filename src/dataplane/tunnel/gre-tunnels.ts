// GRE tunnels of one device (RFC 2784, key per RFC 2890), as IOS runs them.
// Output: the inner datagram gets a GRE header and an outer IPv4 header
// (source: the tunnel source's address; TTL 255; ToS copied from the inner
// header; DF cleared unless `tunnel path-mtu-discovery`, which copies it) and
// is routed again like any datagram the router originates. Input: GRE for
// this device (IP protocol 47) whose source, destination and key match a
// tunnel is decapsulated and the inner datagram enters the router through
// the tunnel interface; GRE matching no tunnel is answered with ICMP protocol
// unreachable. Line protocol (IOS): up while the tunnel has a source address
// and a destination routable through something other than itself; a
// destination routed through the tunnel itself is recursive routing, which
// disables the tunnel for a while; with `keepalive`, down when `retries`
// keepalives in a row went unanswered. A keepalive is a GRE packet to the far
// end carrying an IPv4 packet addressed back to us that holds a GRE header of
// protocol type 0: the far end decapsulates it and routes the inner packet
// back, which is the answer. The RIB's changes are watched so a tunnel whose
// destination becomes (un)routable changes state without a config change.
// With `tunnel path-mtu-discovery` (RFC 1191 on the outer path), a
// fragmentation-needed message about one of the tunnel's own GRE packets
// lowers the tunnel's transport MTU to the reported next-hop MTU for 10
// minutes (IOS's ager), so the tunnel refuses oversized DF datagrams itself
// and tells their sender.
// Multipoint GRE (`tunnel mode gre multipoint`) has no destination: each
// overlay next hop's NBMA address comes from the tunnel's resolver (NHRP,
// by key lookup), link-local multicast is copied as unicast GRE to each of
// the resolver's multicast NBMA addresses, GRE from any source to the tunnel
// source with the tunnel's key enters through it, and NHRP packets (GRE
// protocol type 0x2001) go to the resolver on either kind of GRE tunnel.

import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import { CDP_PROTOCOL } from "../../wire/cdp.ts";
import { emitGre, emitGreHeader, GRE_PROTO_IPV4, GRE_PROTO_KEEPALIVE, greHeaderLen, parseGre } from "../../wire/gre.ts";
import { parseIcmp, UNREACH } from "../../wire/icmp.ts";
import { emitIpv4, IP_PROTO_GRE, IP_PROTO_ICMP } from "../../wire/ipv4.ts";
import { readIpv4 } from "../../wire/ipv4-address.ts";
import { GRE_PROTO_NHRP } from "../../wire/nhrp.ts";
import type { IpStack } from "../pipeline/ip-stack.ts";
import type { LocalDatagram, SendResult } from "../pipeline/ip-types.ts";
import { cdpInput } from "../pipeline/link-control.ts";
import type { RouterInterface } from "../pipeline/router-interface.ts";
import { greOverhead, type TunnelConfig } from "./tunnel-config.ts";
import type { TunnelNbmaResolver } from "./tunnel-nbma.ts";

/** How long IOS keeps a tunnel down after it found recursive routing, before trying again. */
export const RECURSIVE_ROUTING_HOLD_NS = 60_000_000_000;
/** The transport MTU assumed while the destination is not routable (an Ethernet path). */
const DEFAULT_TRANSPORT_MTU = 1500;
/** How long a learned path MTU holds (IOS: `Path MTU Discovery, ager 10 mins`). */
export const PATH_MTU_AGER_NS = 600_000_000_000;
/** The smallest path MTU a tunnel accepts (IOS: `min MTU 92`). */
export const PATH_MTU_MIN = 92;
/** Encapsulations nested deeper than this are a routing loop through tunnels. */
const MAX_NESTING = 4;

/** What the tunnels report; the IOS layer words them. */
export type TunnelEvent =
  /** `%TUN-5-RECURDOWN`: the destination was routed through the tunnel itself. */
  { kind: "recursiveRouting"; ifc: RouterInterface };

/** Why a tunnel's line protocol is down, or that it is up. */
export type TunnelLineState =
  | "up"
  | "noSource"
  | "noDestination"
  | "noRoute"
  | "recursiveRouting"
  | "keepalivesFailed"
  /** A VTI without `tunnel protection`, or whose SA is not up. */
  | "noIpsecSa";

/** How long a VTI waits for its SA before asking IKE again. */
const VTI_SA_RETRY_NS = 10_000_000_000;

/** What the tunnels need from their device. */
export interface GreTunnelsHost {
  readonly stack: IpStack;
  now(): TimeNs;
  after(delayNs: TimeNs, name: string, fn: () => void): TimerHandle;
  /** A tunnel's line protocol changed: the device applies it (log, connected routes, protocol events). */
  changed(ifc: RouterInterface): void;
  emit(event: TunnelEvent): void;
  /**
   * `tunnel protection`: seals the tunnel's GRE datagram through the crypto
   * map built for it and sends it (or drops it while IKE negotiates); null
   * when the device has no crypto plane or the map is gone.
   */
  protect?(ifc: RouterInterface, mapName: string, dgram: Uint8Array, pathMtu?: number): SendResult | null;
  /** True when a datagram came out of an IPsec SA (a protected tunnel takes no clear GRE). */
  cameFromSa?(dgram: Uint8Array): boolean;
  /** True while the map has an IPsec SA (a VTI's line protocol). */
  hasSa?(mapName: string): boolean;
  /** Asks IKE for a VTI's SA (IOS brings it up without waiting for traffic). */
  requestSa?(ifc: RouterInterface, mapName: string): void;
  /** A VTI's IP MTU: the largest datagram its transform set fits into `transportMtu` in ESP tunnel mode. */
  vtiMtu?(ifc: RouterInterface, transportMtu: number): number | undefined;
}

const tunnels = new WeakMap<RouterInterface, GreTunnel>();

/** The tunnel behind a tunnel interface. */
export function tunnelOf(ifc: RouterInterface): GreTunnel | undefined {
  return tunnels.get(ifc);
}

/** Depth of encapsulation in progress (GRE in GRE in ...), to stop a loop through tunnels. */
let nesting = 0;

/** Every GRE tunnel of one device. */
export class GreTunnels {
  private readonly list: GreTunnel[] = [];
  private evaluationPending = false;

  constructor(readonly host: GreTunnelsHost) {
    host.stack.bind({ ipProtocol: IP_PROTO_GRE }, (d) => this.input(d));
    host.stack.bind({ ipProtocol: IP_PROTO_ICMP }, (d) => this.icmpInput(d));
    host.stack.rib.onChange(() => this.scheduleEvaluation());
  }

  /** Makes a tunnel interface a GRE tunnel. */
  attach(ifc: RouterInterface): GreTunnel {
    const tunnel = new GreTunnel(this, ifc);
    tunnels.set(ifc, tunnel);
    this.list.push(tunnel);
    return tunnel;
  }

  /** Tunnels whose interface still exists. */
  all(): GreTunnel[] {
    const stack = this.host.stack;
    for (let i = this.list.length - 1; i >= 0; i--) {
      const t = this.list[i]!;
      if (stack.interface(t.ifc.name) !== t.ifc) {
        t.stopKeepalives();
        this.list.splice(i, 1);
      }
    }
    return this.list;
  }

  /** Re-evaluates every tunnel's line protocol once the current event is done (the RIB changed). */
  scheduleEvaluation(): void {
    if (this.evaluationPending) return;
    this.evaluationPending = true;
    this.host.after(0, "tunnel-linestate", () => {
      this.evaluationPending = false;
      this.evaluate();
    });
  }

  /** Applies line-protocol changes: recursive routing found, destinations (un)routable. */
  evaluate(): void {
    for (const t of this.all()) t.evaluate();
  }

  /** ICMP to this device: a fragmentation-needed about a tunnel's GRE packet sets its path MTU. */
  private icmpInput(d: LocalDatagram): void {
    const parsed = parseIcmp(d.header.payload);
    if (!parsed.ok || parsed.value.kind !== "destUnreachable" || parsed.value.code !== UNREACH.FRAG_NEEDED) return;
    const { original, nextHopMtu } = parsed.value;
    if (original.length < 20 || original[9] !== IP_PROTO_GRE) return;
    const src = readIpv4(original, 12);
    const dst = readIpv4(original, 16);
    for (const t of this.all()) {
      if (t.config.pathMtuDiscovery && t.config.destination === dst && t.sourceAddress() === src)
        t.learnPathMtu(nextHopMtu);
    }
  }

  /** GRE addressed to this device. */
  private input(d: LocalDatagram): void {
    const stack = this.host.stack;
    const parsed = parseGre(d.header.payload);
    if (!parsed.ok) {
      stack.counters.formatErrors++;
      return;
    }
    const gre = parsed.value;
    const key = gre.key ?? undefined;
    const tunnel = this.all().find(
      (t) =>
        !t.isVti() &&
        (t.isMultipoint() || t.config.destination === d.header.src) &&
        t.sourceAddress() === d.header.dst &&
        t.config.key === key,
    );
    if (tunnel === undefined) {
      stack.icmp.sendUnreachable(d.bytes, UNREACH.PROTOCOL, d.ingress);
      return;
    }
    // A protected tunnel takes only GRE that came out of its SAs, as IOS drops clear traffic its map covers.
    if (tunnel.config.protection !== undefined && this.host.cameFromSa?.(d.bytes) !== true) {
      tunnel.ifc.counters.inputDrops++;
      return;
    }
    tunnel.receive(gre.protocol, gre.payload, d.header.src, d.header.dst);
  }
}

/** One GRE tunnel interface. */
export class GreTunnel {
  /** Keepalives sent since the last answer. */
  keepalivesMissed = 0;
  /** Line protocol held down by unanswered keepalives. */
  keepaliveDown = false;
  /** Until when recursive routing keeps the tunnel down. */
  private disabledUntil: TimeNs = -1;
  /** Line protocol as last applied to the device. */
  private reportedUp = false;
  private keepaliveTimer: TimerHandle | null = null;
  /** The path MTU learned from a fragmentation-needed (`tunnel path-mtu-discovery`), and until when it holds. */
  private learnedPathMtu: { mtu: number; expiresAt: TimeNs } | null = null;
  /** NHRP on this tunnel (`ip nhrp network-id`): NBMA addresses of overlay next hops, NHRP packets. */
  resolver: TunnelNbmaResolver | null = null;
  /** The datagram being forwarded after it came in through this tunnel, and the NBMA address it came from. */
  private hairpinFrom: { src: number; dst: number; nbma: number } | null = null;

  constructor(
    private readonly owner: GreTunnels,
    readonly ifc: RouterInterface,
  ) {}

  /** The tunnel commands (created with the interface). */
  get config(): TunnelConfig {
    const c = this.ifc.config;
    if (c.tunnel === undefined) c.tunnel = { mode: "gre-ip", pathMtuDiscovery: false };
    return c.tunnel;
  }

  private get stack(): IpStack {
    return this.owner.host.stack;
  }

  /** The outer source address: the source interface's primary address (while it is up), or the address given. */
  sourceAddress(): number | undefined {
    const source = this.config.source;
    if (source === undefined) return undefined;
    if ("address" in source) return source.address;
    const ifc = this.stack.interface(source.interface);
    if (ifc === undefined || ifc === this.ifc || !ifc.lineProtocolUp) return undefined;
    return ifc.config.address?.address;
  }

  /** Where the destination is routed: through something else, nowhere, or through this tunnel. */
  private route(): "ok" | "noRoute" | "recursive" {
    const dst = this.config.destination!;
    const pathList = this.stack.lookupPathList(dst);
    if (pathList === undefined || pathList.kind === "discard") return "noRoute";
    if (pathList.kind === "receive") return "ok";
    if (pathList.paths.length === 0) return "noRoute";
    return pathList.paths.some((p) => p.interface === this.ifc.name) ? "recursive" : "ok";
  }

  /** The line protocol (the interface is not shut) and why it is down. */
  lineState(): { up: boolean; state: TunnelLineState } {
    const state = this.evaluateState();
    return { up: state === "up", state };
  }

  private evaluateState(): TunnelLineState {
    if (this.sourceAddress() === undefined) return "noSource";
    // mGRE: up with a source; reachability is per NBMA peer.
    if (this.isMultipoint()) return "up";
    if (this.config.destination === undefined) return "noDestination";
    if (this.owner.host.now() < this.disabledUntil) return "recursiveRouting";
    const route = this.route();
    if (route === "noRoute") return "noRoute";
    if (route === "recursive") return "recursiveRouting";
    if (this.isVti()) {
      const protection = this.config.protection;
      if (protection === undefined || this.owner.host.hasSa?.(protection.map) !== true) return "noIpsecSa";
      return "up";
    }
    if (this.keepaliveDown) return "keepalivesFailed";
    return "up";
  }

  /** `tunnel mode gre multipoint`: mGRE, destinations from NHRP. */
  isMultipoint(): boolean {
    return this.config.mode === "gre-multipoint";
  }

  /** `tunnel mode ipsec ipv4`: a VTI (no GRE; the datagram goes straight into the tunnel's SA). */
  isVti(): boolean {
    return this.config.mode === "ipsec-ipv4";
  }

  /** The transport MTU (the IP MTU of the interface the destination is routed out of) less GRE's overhead. */
  defaultIpMtu(): number {
    const transport = this.pathTransportMtu();
    if (this.isVti()) return this.owner.host.vtiMtu?.(this.ifc, transport) ?? transport;
    return transport - greOverhead(this.config);
  }

  /** The IP MTU of the interface the destination is routed out of (or the learned path MTU, if lower). */
  private pathTransportMtu(): number {
    let transport = DEFAULT_TRANSPORT_MTU;
    const dst = this.config.destination;
    if (dst !== undefined) {
      const pathList = this.stack.lookupPathList(dst);
      const via = pathList?.kind === "forward" ? pathList.paths[0]?.interface : undefined;
      const egress = via === undefined || via === this.ifc.name ? undefined : this.stack.interface(via);
      if (egress !== undefined && egress.kind !== "tunnel") transport = egress.ipMtu;
    }
    const path = this.pathMtu();
    if (path !== null) transport = Math.min(transport, path.mtu);
    return transport;
  }

  /** The learned path MTU while it holds (`tunnel path-mtu-discovery` on). */
  pathMtu(): { mtu: number; expiresAt: TimeNs } | null {
    const learned = this.learnedPathMtu;
    if (learned === null || !this.config.pathMtuDiscovery || this.owner.host.now() >= learned.expiresAt) return null;
    return learned;
  }

  /** A fragmentation-needed for our GRE: the outer path takes `mtu` bytes for the next 10 minutes. */
  learnPathMtu(mtu: number): void {
    const host = this.owner.host;
    const before = this.ifc.ipMtu;
    const expiresAt = host.now() + PATH_MTU_AGER_NS;
    this.learnedPathMtu = { mtu: Math.max(PATH_MTU_MIN, mtu), expiresAt };
    host.after(PATH_MTU_AGER_NS, "tunnel-pmtu-ager", () => {
      if (this.learnedPathMtu?.expiresAt !== expiresAt) return;
      this.learnedPathMtu = null;
      host.changed(this.ifc);
    });
    // The IP MTU follows: protocols hear of it (OSPF's MTU check, for one).
    if (this.ifc.ipMtu !== before) host.changed(this.ifc);
  }

  /** The transport MTU as `show interfaces` prints it (`Tunnel transport MTU 1476 bytes`). */
  transportMtu(): number {
    return this.defaultIpMtu();
  }

  /** Checks for recursive routing and applies a changed line protocol. */
  evaluate(): void {
    const host = this.owner.host;
    if (this.ifc.status === "up" && this.config.destination !== undefined && host.now() >= this.disabledUntil) {
      if (this.sourceAddress() !== undefined && this.route() === "recursive") this.disable();
    }
    if (this.ifc.status === "up" && this.isVti() && this.lineState().state === "noIpsecSa") this.bringUpSa();
    this.report();
  }

  private saRetryArmed = false;

  /** A VTI whose SA is missing asks IKE for it, and again every 10 s while it stays missing. */
  private bringUpSa(): void {
    const protection = this.config.protection;
    const host = this.owner.host;
    if (protection === undefined || this.sourceAddress() === undefined || this.route() !== "ok") return;
    host.requestSa?.(this.ifc, protection.map);
    if (this.saRetryArmed) return;
    this.saRetryArmed = true;
    host.after(VTI_SA_RETRY_NS, "vti-sa-retry", () => {
      this.saRetryArmed = false;
      if (host.stack.interface(this.ifc.name) === this.ifc) this.evaluate();
    });
  }

  /** Tells the device when the line protocol differs from what it was last told. */
  report(): void {
    const up = this.ifc.lineProtocolUp;
    if (up === this.reportedUp) return;
    this.reportedUp = up;
    this.owner.host.changed(this.ifc);
  }

  /** Recursive routing: down for a while, then tried again. */
  private disable(): void {
    const host = this.owner.host;
    this.disabledUntil = host.now() + RECURSIVE_ROUTING_HOLD_NS;
    host.emit({ kind: "recursiveRouting", ifc: this.ifc });
    host.after(RECURSIVE_ROUTING_HOLD_NS, "tunnel-recursive-hold", () => this.owner.evaluate());
  }

  /** Wraps a datagram routed out of the tunnel towards overlay next hop `nextHop` and routes the result. */
  encapsulate(dgram: Uint8Array, nextHop = 0): SendResult {
    const ifc = this.ifc;
    if (!this.isMultipoint()) return this.sendGre(this.config.destination, GRE_PROTO_IPV4, dgram);
    const hairpin = this.hairpinFrom;
    if (
      hairpin !== null &&
      dgram.length >= 20 &&
      readIpv4(dgram, 12) === hairpin.src &&
      readIpv4(dgram, 16) === hairpin.dst
    )
      this.resolver?.hairpin?.(hairpin.nbma, dgram);
    if (isMulticastOrBroadcast(nextHop, ifc)) {
      // Pseudo-multicast: one unicast GRE copy per mapped NBMA address.
      let sent = false;
      for (const nbma of this.resolver?.multicastNbmas() ?? [])
        sent = this.sendGre(nbma, GRE_PROTO_IPV4, dgram).ok || sent;
      return sent ? { ok: true, egress: ifc } : { ok: false, failure: "encapsulationFailed", egress: ifc };
    }
    const decision = this.resolver?.resolve(nextHop, dgram);
    if (decision === undefined || "drop" in decision) {
      ifc.counters.outputDrops++;
      return { ok: false, failure: "encapsulationFailed", egress: ifc };
    }
    return this.sendGre(decision.nbma, GRE_PROTO_IPV4, dgram);
  }

  /** Sends an NHRP packet in the tunnel's GRE to an NBMA address (a point-to-point tunnel: to its destination). */
  sendNhrp(nbma: number, payload: Uint8Array): SendResult {
    return this.sendGre(this.isMultipoint() ? nbma : this.config.destination, GRE_PROTO_NHRP, payload);
  }

  /** Sends a CDP payload in GRE (protocol type 0x2000): to the destination, or on mGRE to each multicast NBMA address. */
  sendCdp(payload: Uint8Array): boolean {
    if (this.isVti()) return false;
    if (!this.isMultipoint()) return this.sendGre(this.config.destination, CDP_PROTOCOL, payload).ok;
    let sent = false;
    for (const nbma of this.resolver?.multicastNbmas() ?? [])
      sent = this.sendGre(nbma, CDP_PROTOCOL, payload).ok || sent;
    return sent;
  }

  /** Our NBMA address: the tunnel source's. */
  nbmaAddress(): number | undefined {
    return this.sourceAddress();
  }

  /** GRE with `protocol` around `dgram` to NBMA address `dst`, routed (or sealed by `tunnel protection`). */
  private sendGre(dst: number | undefined, protocol: number, dgram: Uint8Array): SendResult {
    const ifc = this.ifc;
    const config = this.config;
    const src = this.sourceAddress();
    if (src === undefined || dst === undefined || nesting >= MAX_NESTING) {
      if (nesting >= MAX_NESTING) this.owner.scheduleEvaluation();
      ifc.counters.outputDrops++;
      return { ok: false, failure: "encapsulationFailed", egress: ifc };
    }
    if (this.isVti()) return this.sendVti(dgram);
    const header = { checksum: false, key: config.key ?? null, sequence: null, protocol };
    const headerLen = greHeaderLen(header);
    const payload = new Uint8Array(headerLen + dgram.length);
    payload.set(dgram, headerLen);
    emitGreHeader(header, dgram.length, payload, 0);
    const now = this.owner.host.now();
    const c = ifc.counters;
    c.outputPackets++;
    c.outputBytes += dgram.length;
    ifc.lastOutputAt = now;
    ifc.outputRate.add(now, dgram.length);
    nesting++;
    let result: SendResult;
    const outer = {
      dst,
      src,
      protocol: IP_PROTO_GRE,
      payload,
      ttl: 255,
      tos: protocol === GRE_PROTO_IPV4 ? dgram[1]! : 0xc0,
      dontFragment: protocol === GRE_PROTO_IPV4 && config.pathMtuDiscovery && (dgram[6]! & 0x40) !== 0,
    };
    try {
      const protection = config.protection;
      // qos pre-classify: output classification on the way out sees the inner datagram's header, not GRE's.
      const preClassify = config.preClassify === true && protocol === GRE_PROTO_IPV4;
      result = this.stack.classification.encapsulate(preClassify, dgram, () =>
        protection === undefined
          ? this.stack.send(outer)
          : (this.owner.host.protect?.(ifc, protection.map, this.build(outer)) ?? {
              ok: false,
              failure: "encapsulationFailed",
            }),
      );
    } finally {
      nesting--;
    }
    if (result.ok) return { ok: true, egress: ifc };
    c.outputDrops++;
    if (result.failure === "fragmentationNeeded" && result.mtu !== undefined)
      return { ok: false, failure: "fragmentationNeeded", egress: ifc, mtu: result.mtu - greOverhead(config) };
    return { ok: false, failure: result.failure ?? "encapsulationFailed", egress: ifc };
  }

  /** A VTI: the datagram itself goes into the tunnel's SA (ESP tunnel mode copies DF and ToS outside). */
  private sendVti(dgram: Uint8Array): SendResult {
    const ifc = this.ifc;
    const protection = this.config.protection;
    const now = this.owner.host.now();
    ifc.counters.outputPackets++;
    ifc.counters.outputBytes += dgram.length;
    ifc.lastOutputAt = now;
    ifc.outputRate.add(now, dgram.length);
    const result =
      protection === undefined
        ? null
        : (this.owner.host.protect?.(ifc, protection.map, dgram, this.pathTransportMtu()) ?? null);
    if (result?.ok === true) return { ok: true, egress: ifc };
    ifc.counters.outputDrops++;
    return { ok: false, failure: result?.failure ?? "encapsulationFailed", egress: ifc };
  }

  /** The outer datagram, for the crypto map of `tunnel protection` (which routes it to the peer itself). */
  private build(d: {
    dst: number;
    src: number;
    protocol: number;
    payload: Uint8Array;
    ttl: number;
    tos: number;
    dontFragment: boolean;
  }): Uint8Array {
    return emitIpv4({
      dscp: d.tos >>> 2,
      ecn: d.tos & 3,
      identification: this.stack.nextId(),
      dontFragment: d.dontFragment,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: d.ttl,
      protocol: d.protocol,
      src: d.src,
      dst: d.dst,
      options: EMPTY,
      payload: d.payload,
    });
  }

  /**
   * A GRE payload for this tunnel from NBMA `outerSrc`: IPv4 enters through the tunnel; protocol type 0
   * answers our keepalive; NHRP goes to the resolver.
   */
  receive(protocol: number, inner: Uint8Array, outerSrc = 0, outerDst = 0): void {
    const ifc = this.ifc;
    if (ifc.status !== "up") return;
    if (protocol === GRE_PROTO_NHRP) {
      if (this.resolver === null || !ifc.lineProtocolUp) {
        ifc.counters.inputDrops++;
        return;
      }
      this.stack.countInput(ifc, inner.length, false);
      this.resolver.receive(outerSrc, outerDst, inner);
      return;
    }
    if (protocol === CDP_PROTOCOL) {
      if (!ifc.lineProtocolUp) return void ifc.counters.inputDrops++;
      this.stack.countInput(ifc, inner.length, false);
      cdpInput(this.stack, ifc, inner);
      return;
    }
    if (protocol === GRE_PROTO_KEEPALIVE) {
      this.keepalivesMissed = 0;
      if (this.keepaliveDown) {
        this.keepaliveDown = false;
        this.report();
      }
      return;
    }
    if (protocol !== GRE_PROTO_IPV4 || inner.length < 20) return;
    // The far end's keepalive is reflected even while our line protocol is down (it is how both come up).
    const reflected = inner[9] === IP_PROTO_GRE && readIpv4(inner, 16) === this.config.destination;
    if (!ifc.lineProtocolUp && !reflected) {
      ifc.counters.inputDrops++;
      return;
    }
    this.stack.countInput(ifc, inner.length, false);
    if (!this.isMultipoint()) {
      this.stack.reinject(ifc, inner);
      return;
    }
    this.resolver?.heard?.(outerSrc);
    // Forwarding is synchronous: a datagram that leaves through this tunnel before reinject returns is this one.
    const outer = this.hairpinFrom;
    this.hairpinFrom = { src: readIpv4(inner, 12), dst: readIpv4(inner, 16), nbma: outerSrc };
    try {
      this.stack.reinject(ifc, inner);
    } finally {
      this.hairpinFrom = outer;
    }
  }

  /** (Re)starts keepalives as configured (after `keepalive`, `no keepalive`, `shutdown`...). */
  restartKeepalives(): void {
    this.stopKeepalives();
    this.keepalivesMissed = 0;
    const wasDown = this.keepaliveDown;
    this.keepaliveDown = false;
    const k = this.config.keepalive;
    if (k !== undefined) this.armKeepalive(k.periodSec);
    if (wasDown) this.report();
  }

  /** Stops the keepalive timer (the interface went away). */
  stopKeepalives(): void {
    this.keepaliveTimer?.cancel();
    this.keepaliveTimer = null;
  }

  private armKeepalive(periodSec: number): void {
    this.keepaliveTimer = this.owner.host.after(periodSec * 1e9, "gre-keepalive", () => this.keepaliveTick());
  }

  /** One keepalive period: give up after `retries` unanswered ones, send the next. */
  private keepaliveTick(): void {
    this.keepaliveTimer = null;
    const k = this.config.keepalive;
    if (k === undefined || this.owner.host.stack.interface(this.ifc.name) !== this.ifc) return;
    if (this.ifc.status === "up" && !this.isVti()) {
      if (this.keepalivesMissed >= k.retries && !this.keepaliveDown) {
        this.keepaliveDown = true;
        this.report();
      }
      this.sendKeepalive();
      this.keepalivesMissed++;
    }
    this.armKeepalive(k.periodSec);
  }

  /** GRE to the far end carrying an IPv4 packet back to us with a GRE header of protocol type 0. */
  private sendKeepalive(): void {
    const src = this.sourceAddress();
    const dst = this.config.destination;
    if (src === undefined || dst === undefined) return;
    const key = this.config.key ?? null;
    const answer = emitGre({ checksum: false, key, sequence: null, protocol: GRE_PROTO_KEEPALIVE, payload: EMPTY });
    const inner = emitIpv4({
      dscp: 0,
      ecn: 0,
      identification: 0,
      dontFragment: false,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 255,
      protocol: IP_PROTO_GRE,
      src: dst,
      dst: src,
      options: EMPTY,
      payload: answer,
    });
    const payload = emitGre({ checksum: false, key, sequence: null, protocol: GRE_PROTO_IPV4, payload: inner });
    const c = this.ifc.counters;
    c.outputPackets++;
    c.outputBytes += inner.length;
    const outer = { dst, src, protocol: IP_PROTO_GRE, payload, ttl: 255, tos: 0, dontFragment: false };
    const protection = this.config.protection;
    if (protection === undefined) this.stack.send(outer);
    else this.owner.host.protect?.(this.ifc, protection.map, this.build(outer));
  }
}

const EMPTY = new Uint8Array(0);

/** A next hop that is a multicast group, the limited broadcast or the tunnel subnet's broadcast. */
function isMulticastOrBroadcast(nextHop: number, ifc: RouterInterface): boolean {
  if (nextHop >>> 28 === 0xe || nextHop === 0xffffffff) return true;
  const a = ifc.config.address;
  if (a === undefined || a.length >= 31) return false;
  const host = a.length === 0 ? 0xffffffff : (0xffffffff >>> a.length) >>> 0;
  return (nextHop & host) >>> 0 === host && ((nextHop ^ a.address) & ~host) === 0;
}
