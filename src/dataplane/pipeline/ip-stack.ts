// The IPv4 stack of a router or host: its interfaces and addresses, the
// RIB/FIB, ARP, counters and the hooks the crypto-map and NAT data planes
// plug in with, and the API the control planes and exec commands use
// (send routed, out of one interface, or link-local multicast; bind a
// protocol number or a UDP/TCP port; join a multicast group on an interface).
// The work is done by the pipeline's parts, one file each:
//   interface kinds (../interface-kinds): layer-2 framing in and out
//   arp-service.ts:    ARP
//   forwarding.ts:     input checks, ACLs, NAT, routing decision, output, MTU
//   fast-switch.ts:    the in-place fast path for plain Ethernet forwarding
//   local-delivery.ts: reassembly and demultiplexing to control planes
//   icmp-sender.ts:    unreachables, time exceeded, redirects
//   control-plane-delay.ts: the processing delay of what the device answers itself
//   frame-slab.ts:     where frames come from

import type { DeviceContext, TimeNs } from "../../runtime/device.ts";
import type { IcmpMessage } from "../../wire/icmp.ts";
import { emitIpv4, IP_PROTO_ICMP } from "../../wire/ipv4.ts";
import { formatIpv4Address, maskFromLength } from "../../wire/ipv4-address.ts";
import { ArpCache } from "../arp-cache.ts";
import { LoadBalancer } from "../ecmp-hash.ts";
import { LegacyQueueing } from "../qos/legacy-queueing.ts";
import { OutputQueues } from "../qos/output-queue.ts";
import { Reassembler } from "../reassembly.ts";
import { type FibPath, type PathList, Rib } from "../rib.ts";
import { AddressOverlapIndex } from "./address-overlap-index.ts";
import { ArpService, macBytes } from "./arp-service.ts";
import { ControlPlaneDelay } from "./control-plane-delay.ts";
import { Forwarding } from "./forwarding.ts";
import { newFrame } from "./frame-slab.ts";
import { IcmpSender } from "./icmp-sender.ts";
import type { IpCounters, IpCryptoHooks, IpNatHooks, IpStackHooks, OutboundDatagram, SendResult } from "./ip-types.ts";
import { newIpCounters } from "./ip-types.ts";
import { type DeliveryHandler, type DeliveryKey, LocalDelivery } from "./local-delivery.ts";
import { OutputClassification } from "./output-classification.ts";
import type { RouterInterface } from "./router-interface.ts";

export { aclFields } from "./acl-fields.ts";
export type {
  IpCounters,
  IpCryptoHooks,
  IpNatHooks,
  IpStackHooks,
  LocalDatagram,
  OutboundDatagram,
  SendFailure,
  SendResult,
} from "./ip-types.ts";
export type { DeliveryHandler, DeliveryKey } from "./local-delivery.ts";

/** A datagram a control plane sends on one link: its group or neighbour, protocol, payload. */
export interface LinkDatagram {
  protocol: number;
  payload: Uint8Array;
  /** Source address; the interface's primary address when omitted. */
  src?: number;
  tos?: number;
}

/** What one interface put into the stack's derived tables. */
interface DerivedState {
  /** Its configured addresses (up or down), as filed in the overlap index. */
  addresses: Array<{ address: number; length: number }>;
  vlan: number | undefined;
  local: number[];
  broadcast: number[];
  rib: string;
}

/** The IPv4 stack of one device. */
export class IpStack {
  readonly rib = new Rib();
  readonly arp = new ArpCache();
  readonly loadBalancer: LoadBalancer;
  readonly reassembler = new Reassembler();
  readonly counters: IpCounters = newIpCounters();
  /** `ip routing` (hosts run with it off and use a default gateway). */
  routing = true;
  /** TTL of datagrams this device originates (IOS 255, Windows hosts 128). */
  defaultTtl = 255;
  /** `ip default-gateway` used when routing is off. */
  defaultGateway: number | null = null;
  /** The crypto-map data plane, when the device has one. */
  crypto: IpCryptoHooks | null = null;
  /** The NAT data plane, when the device has one. */
  nat: IpNatHooks | null = null;
  /** Where output QoS classifies what leaves an interface (qos pre-classify keeps an inner header visible). */
  readonly classification = new OutputClassification();
  /** Input QoS (`service-policy input`): sees what arrives after the input ACL; false drops it (police, drop). */
  inputPolicy: ((ingress: RouterInterface, dgram: Uint8Array) => boolean) | null = null;
  /** Every port's output queue and its strategy (src/dataplane/qos). */
  readonly outputQueues: OutputQueues;
  /** fair-queue, priority-group and custom-queue-list with their lists: the strategy after MQC's. */
  readonly legacyQueueing: LegacyQueueing;
  readonly arpService: ArpService;
  readonly icmp: IcmpSender;
  /** The processing delay of echo replies and ICMP errors this device sends (a range per device kind). */
  readonly answerDelay: ControlPlaneDelay;
  private readonly forwarding: Forwarding;
  private readonly local: LocalDelivery;
  private readonly interfaces = new Map<string, RouterInterface>();
  /** Interfaces per port: untagged main interface and tagged subinterfaces by VLAN. */
  private readonly ports = new Map<number, { main: RouterInterface; vlans: Map<number, RouterInterface> }>();
  /** Our own addresses, for local delivery. */
  private localAddresses = new Map<number, RouterInterface>();
  /** Directed broadcast addresses of our subnets, with the interface of each. */
  private broadcastAddresses = new Map<number, RouterInterface>();
  /** What each interface put into the maps above (its VLAN, local and broadcast addresses, RIB state), to take it back. */
  private readonly derived = new Map<RouterInterface, DerivedState>();
  /** Every interface's configured addresses, for `ip address`'s overlap check by key. */
  private addressIndex = new AddressOverlapIndex<RouterInterface>();
  /** While above zero (a configuration loading), RIB commits wait; `ribDirty` says one is owed. */
  private commitsHeld = 0;
  private ribDirty = false;
  /** The (up, addresses) each interface last gave the RIB, so an unchanged interface does not dirty it. */
  private readonly ribState = new Map<string, string>();
  /** Multicast groups joined per interface, with how many control planes joined each. */
  private readonly groups = new Map<RouterInterface, Map<number, number>>();
  private ipId = 0;
  /**
   * The frame being received: its bytes belong to this device until it sends
   * them on, so a datagram forwarded out of it may be re-framed in place, but
   * only within it (frames may share an ArrayBuffer, see frame-slab.ts).
   */
  private rxFrame: Uint8Array | null = null;

  constructor(
    private readonly ctx: DeviceContext,
    readonly hooks: IpStackHooks,
  ) {
    this.loadBalancer = new LoadBalancer(ctx.randomU32());
    this.ipId = ctx.randomU32() & 0xffff;
    this.answerDelay = new ControlPlaneDelay(ctx.randomU32(), () => ctx.now(), hooks.after);
    this.arpService = new ArpService(this);
    this.icmp = new IcmpSender(this);
    this.forwarding = new Forwarding(this);
    this.local = new LocalDelivery(this);
    this.outputQueues = new OutputQueues(
      ctx,
      hooks.after,
      (port) => this.mainInterfaceOf(port),
      (egress, port, frame) => this.sendNow(egress, port, frame),
      this.classification,
    );
    this.legacyQueueing = new LegacyQueueing(hooks.acl);
    this.outputQueues.providers.push(this.legacyQueueing);
  }

  /** Current virtual time. */
  now(): TimeNs {
    return this.ctx.now();
  }

  // ---- interfaces ---------------------------------------------------------

  /** Adds an interface (physical, subinterface, loopback, Null0, tunnel). */
  addInterface(ifc: RouterInterface): void {
    this.interfaces.set(ifc.name, ifc);
    if (ifc.port !== null && ifc.parent === null) {
      const entry = this.ports.get(ifc.port);
      if (entry === undefined) this.ports.set(ifc.port, { main: ifc, vlans: new Map() });
      else entry.main = ifc;
    }
    this.refreshInterface(ifc);
  }

  /** Removes a subinterface or loopback (`no interface`). */
  removeInterface(name: string): void {
    const ifc = this.interfaces.get(name);
    if (ifc === undefined) return;
    this.interfaces.delete(name);
    this.groups.delete(ifc);
    this.forgetDerived(ifc);
    this.rib.removeInterface(name);
    this.ribDirty = true;
    this.commitRoutes();
  }

  /** Interface by canonical name. */
  interface(name: string): RouterInterface | undefined {
    return this.interfaces.get(name);
  }

  /** All interfaces in creation order. */
  allInterfaces(): RouterInterface[] {
    return [...this.interfaces.values()];
  }

  /** The main (untagged) interface of a runtime port. */
  mainInterfaceOf(port: number): RouterInterface | undefined {
    return this.ports.get(port)?.main;
  }

  /** The subinterface of a port's main interface that takes a VLAN's frames. */
  subinterfaceFor(main: RouterInterface, vlan: number): RouterInterface | undefined {
    return main.port === null ? undefined : this.ports.get(main.port)?.vlans.get(vlan);
  }

  /**
   * Recomputes everything derived from every interface's state: VLAN demux,
   * local and broadcast addresses, connected routes. For a change that is not
   * one interface's (`ip routing`); an interface's own change refreshes it alone.
   */
  refreshInterfaces(): void {
    for (const entry of this.ports.values()) entry.vlans.clear();
    this.localAddresses = new Map();
    this.broadcastAddresses = new Map();
    this.derived.clear();
    this.addressIndex = new AddressOverlapIndex();
    this.ribDirty = true;
    for (const ifc of this.interfaces.values()) this.deriveFrom(ifc);
    this.commitRoutes();
  }

  /**
   * Recomputes what one interface contributes (its VLAN, local and broadcast
   * addresses, connected routes, ARP entries) after a change to it; the RIB
   * is committed only when its state or addresses changed.
   */
  refreshInterface(ifc: RouterInterface): void {
    if (this.interfaces.get(ifc.name) !== ifc) return;
    const filed = this.derived.get(ifc)?.addresses;
    this.forgetDerived(ifc, true);
    this.deriveFrom(ifc, filed);
    this.commitRoutes();
    this.outputQueues.invalidateInterface(ifc);
  }

  /**
   * Runs `work` (a configuration loading) with RIB commits held: the
   * interfaces it creates and changes commit the routing table once at the
   * end instead of once each.
   */
  withCommitsHeld<T>(work: () => T): T {
    this.commitsHeld++;
    try {
      return work();
    } finally {
      this.commitsHeld--;
      this.commitRoutes();
    }
  }

  /** Commits the RIB if something changed it and no configuration load holds commits. */
  commitRoutes(): void {
    if (this.commitsHeld > 0 || !this.ribDirty) return;
    this.ribDirty = false;
    this.rib.commit();
  }

  /** Marks the RIB as changed outside the stack (a static route) and commits it unless commits are held. */
  routesChanged(): void {
    this.ribDirty = true;
    this.commitRoutes();
  }

  /** `filed`: the addresses the overlap index holds for it (left there when they are still the same). */
  private deriveFrom(ifc: RouterInterface, filed?: DerivedState["addresses"]): void {
    const d: DerivedState = { addresses: [], vlan: undefined, local: [], broadcast: [], rib: "" };
    if (ifc.parent !== null && ifc.port !== null && ifc.config.vlan !== undefined) {
      this.ports.get(ifc.port)?.vlans.set(ifc.config.vlan, ifc);
      d.vlan = ifc.config.vlan;
    }
    const up = ifc.lineProtocolUp;
    const addresses = ifc.addresses();
    const same =
      filed !== undefined &&
      filed.length === addresses.length &&
      filed.every((f, i) => f.address === addresses[i]!.address && f.length === addresses[i]!.length);
    if (!same) for (const f of filed ?? []) this.addressIndex.remove(ifc, f.address, f.length);
    for (const a of addresses) {
      if (!same) this.addressIndex.add(ifc, a.address, a.length);
      d.addresses.push({ address: a.address, length: a.length });
      if (up) {
        this.localAddresses.set(a.address, ifc);
        d.local.push(a.address);
      }
      if (a.length <= 30) {
        const broadcast = (a.address | ~maskFromLength(a.length)) >>> 0;
        this.broadcastAddresses.set(broadcast, ifc);
        d.broadcast.push(broadcast);
      }
    }
    const routed = ifc.driver.discardsAll === true ? [] : addresses;
    d.rib = `${up}|${routed.map((a) => `${a.address}/${a.length}`).join(",")}`;
    const before = this.ribState.get(ifc.name);
    if (before !== d.rib) {
      this.rib.setInterface(ifc.name, up, routed);
      this.ribState.set(ifc.name, d.rib);
      this.ribDirty = true;
    }
    this.arp.setInterfaceTimeout(ifc.name, ifc.config.arpTimeoutSec);
    if ((ifc.parent ?? ifc).kind === "ethernet") {
      for (const a of addresses) this.arp.addInterface(a.address, macBytes((ifc.parent ?? ifc).mac), ifc.name);
    }
    this.derived.set(ifc, d);
  }

  /** Takes back what an interface contributed (entries another interface holds since stay). */
  private forgetDerived(ifc: RouterInterface, keepFiledAddresses = false): void {
    const d = this.derived.get(ifc);
    if (d === undefined) return;
    this.derived.delete(ifc);
    if (!keepFiledAddresses) for (const a of d.addresses) this.addressIndex.remove(ifc, a.address, a.length);
    if (d.vlan !== undefined && ifc.port !== null) {
      const vlans = this.ports.get(ifc.port)?.vlans;
      if (vlans?.get(d.vlan) === ifc) vlans.delete(d.vlan);
    }
    for (const a of d.local) if (this.localAddresses.get(a) === ifc) this.localAddresses.delete(a);
    for (const b of d.broadcast) if (this.broadcastAddresses.get(b) === ifc) this.broadcastAddresses.delete(b);
    if (this.interfaces.get(ifc.name) !== ifc) this.ribState.delete(ifc.name);
  }

  /** Interfaces other than `except` holding an address that overlaps address/length (up or down). */
  overlappingInterfaces(address: number, length: number, except?: RouterInterface): RouterInterface[] {
    return this.addressIndex.overlapping(address, length, except);
  }

  /** True if the address is one of ours (on an interface that is up). */
  isLocalAddress(address: number): boolean {
    return this.localAddresses.has(address);
  }

  /** The interface holding one of our addresses (up interfaces only). */
  interfaceOfAddress(address: number): RouterInterface | undefined {
    return this.localAddresses.get(address);
  }

  /** True for the directed broadcast address of one of our subnets. */
  isBroadcastAddress(address: number): boolean {
    return this.broadcastAddresses.has(address);
  }

  /** True for the limited broadcast, a directed broadcast of ours, or a multicast group. */
  isGroupAddress(address: number): boolean {
    return address === 0xffffffff || address >>> 28 === 0xe || this.broadcastAddresses.has(address);
  }

  // ---- multicast membership -------------------------------------------------

  /** Accepts datagrams for a multicast group on an interface (each join needs its own leave). */
  joinGroup(ifc: RouterInterface, group: number): void {
    let joined = this.groups.get(ifc);
    if (joined === undefined) this.groups.set(ifc, (joined = new Map()));
    joined.set(group, (joined.get(group) ?? 0) + 1);
  }

  /** Undoes one joinGroup. */
  leaveGroup(ifc: RouterInterface, group: number): void {
    const joined = this.groups.get(ifc);
    const count = joined?.get(group);
    if (joined === undefined || count === undefined) return;
    if (count > 1) joined.set(group, count - 1);
    else joined.delete(group);
  }

  /** True when a group is joined on the interface (the all-systems group 224.0.0.1 always is). */
  joined(ifc: RouterInterface, group: number): boolean {
    return group === 0xe0000001 || this.groups.get(ifc)?.has(group) === true;
  }

  /** Groups joined on an interface, in ascending order (`show ip interface`'s "Multicast reserved groups joined"). */
  joinedGroups(ifc: RouterInterface): number[] {
    return [...(this.groups.get(ifc)?.keys() ?? [])].sort((a, b) => a - b);
  }

  // ---- local delivery -------------------------------------------------------

  /** Registers a control plane for the datagrams of one key; returns the function that unbinds it. */
  bind(key: DeliveryKey, handler: DeliveryHandler): () => void {
    return this.local.bind(key, handler);
  }

  /** True while something listens on the UDP port. */
  udpBound(port: number): boolean {
    return this.local.udpBound(port);
  }

  /** Hands a datagram to local delivery (reassembly, then its key's handlers). */
  deliverLocal(dgram: Uint8Array, ingress: RouterInterface | null): void {
    this.local.deliver(dgram, ingress);
  }

  // ---- input --------------------------------------------------------------

  /** A frame arrived on a runtime port. */
  receive(port: number, frame: Uint8Array): void {
    const entry = this.ports.get(port);
    if (entry === undefined) return;
    this.rxFrame = frame;
    entry.main.driver.input?.(this, entry.main, frame);
    this.rxFrame = null;
  }

  /** Counts a frame an interface kind accepted (`multicast`: to a group address, broadcast excluded). */
  countInput(ifc: RouterInterface, length: number, broadcast: boolean, multicast = false): void {
    const now = this.ctx.now();
    const c = ifc.counters;
    c.inputPackets++;
    c.inputBytes += length;
    // IOS counts multicasts among the broadcasts ("Received 5 broadcasts (3 IP multicasts)").
    if (broadcast || multicast) c.inputBroadcasts++;
    if (multicast) c.inputMulticasts++;
    ifc.lastInputAt = now;
    ifc.inputRate.add(now, length);
    const parent = ifc.parent;
    if (parent !== null) {
      parent.counters.inputPackets++;
      parent.counters.inputBytes += length;
      parent.lastInputAt = now;
      parent.inputRate.add(now, length);
    }
  }

  /** A datagram at `off` in a frame an interface kind took apart. */
  ipInput(ifc: RouterInterface, frame: Uint8Array, off: number): void {
    this.forwarding.input(ifc, frame, off);
  }

  /** A datagram that came out of an IPsec SA (or a tunnel): input again as if it had arrived on `ifc`. */
  reinject(ifc: RouterInterface, dgram: Uint8Array): void {
    this.forwarding.input(ifc, dgram, 0, true);
  }

  // ---- routing --------------------------------------------------------------

  /** CEF lookup: the path list for a destination, or undefined. */
  lookupPathList(dst: number): PathList | undefined {
    return this.forwarding.lookupPathList(dst);
  }

  /** ECMP choice for a flow, as CEF makes it. */
  choosePath(pathList: PathList, src: number, dst: number, advance = true): FibPath {
    return this.forwarding.choosePath(pathList, src, dst, advance);
  }

  // ---- output -------------------------------------------------------------

  /** Sends an already-protected datagram (ESP/AH) out of the interface its crypto map sits on. */
  outputProtected(
    egress: RouterInterface,
    nextHop: number,
    dgram: Uint8Array,
    ingress: RouterInterface | null,
  ): SendResult {
    return this.forwarding.output(egress, nextHop, dgram, ingress, true);
  }

  /** Sends an ICMP error about a datagram (frag-needed for crypto's plaintext MTU, for instance). */
  reportError(dgram: Uint8Array, message: IcmpMessage, ingress: RouterInterface | null): void {
    this.icmp.send(dgram, message, ingress);
  }

  /**
   * A frame of `header` bytes plus the datagram, at least `minLength` long. A
   * forwarded datagram still sits in the frame it arrived in, which this device
   * owns: when there is room for the new header in front of it within that
   * frame, the frame is rewritten in place (no allocation, no copy); otherwise
   * a new one is built.
   */
  frameAround(dgram: Uint8Array, header: number, minLength: number): Uint8Array {
    const length = Math.max(header + dgram.length, minLength);
    const start = dgram.byteOffset - header;
    const rx = this.rxFrame;
    // (A datagram built here starts at offset 0 of its own array: the first test keeps its buffer unmaterialized.)
    if (
      start >= 0 &&
      rx !== null &&
      start >= rx.byteOffset &&
      start + length <= rx.byteOffset + rx.length &&
      dgram.buffer === rx.buffer
    ) {
      const frame = new Uint8Array(dgram.buffer, start, length);
      // Padding must not leak whatever followed the datagram in its old frame.
      if (length > header + dgram.length) frame.fill(0, header + dgram.length);
      return frame;
    }
    const frame = newFrame(length);
    frame.set(dgram, header);
    return frame;
  }

  /** Sends a frame out of a port through its output queue (false: dropped). */
  transmit(egress: RouterInterface, port: number, frame: Uint8Array): boolean {
    return this.outputQueues.transmit(egress, port, frame);
  }

  /** Hands a frame to the runtime port and counts it on the interface (and its parent). */
  private sendNow(egress: RouterInterface, port: number, frame: Uint8Array): boolean {
    const now = this.ctx.now();
    if (!this.ctx.send(port, frame)) {
      egress.counters.outputDrops++;
      if (egress.parent !== null) egress.parent.counters.outputDrops++;
      return false;
    }
    countOutput(egress, frame.length, now);
    if (egress.parent !== null) countOutput(egress.parent, frame.length, now);
    return true;
  }

  /** Sends a gratuitous ARP for each address of an interface that came up. */
  announce(ifc: RouterInterface): void {
    this.arpService.announce(ifc);
  }

  // ---- local origination ----------------------------------------------------

  /** Next IP identification value. */
  nextId(): number {
    this.ipId = (this.ipId + 1) & 0xffff;
    return this.ipId;
  }

  /** Builds and sends a datagram from this device, routed to its destination. */
  send(d: OutboundDatagram): SendResult {
    if (this.localAddresses.has(d.dst)) {
      const src = d.src ?? d.dst;
      this.deliverLocal(this.build(d, src), null);
      return { ok: true };
    }
    // A directed broadcast of one of our subnets leaves by that subnet's interface, as a broadcast.
    const subnet = this.broadcastAddresses.get(d.dst);
    if (subnet !== undefined && this.routing) return this.sendVia(subnet, d.dst, d);
    const pathList = this.lookupPathList(d.dst);
    if (pathList === undefined || pathList.kind !== "forward" || pathList.paths.length === 0) {
      this.counters.noRoute++;
      return { ok: false, failure: "noRoute" };
    }
    const src0 = d.src ?? d.sourceInterface?.config.address?.address;
    const path = this.choosePath(pathList, src0 ?? 0, d.dst);
    const egress = this.interfaces.get(path.interface);
    if (egress === undefined || !egress.lineProtocolUp) return { ok: false, failure: "interfaceDown" };
    // IOS's routing decision for a datagram it originates (seed 002): looked up in CEF.
    this.hooks.debug("ip-packet", () => {
      const src = src0 ?? egress.config.address?.address ?? 0;
      return `IP: tableid=0, s=${formatIpv4Address(src)} (local), d=${formatIpv4Address(d.dst)} (${egress.name}), routed via FIB`;
    });
    return this.sendOut(egress, path.nextHop ?? d.dst, d, src0);
  }

  /** Sends a datagram from this device out of one interface to a next hop on it (a neighbour). */
  sendVia(egress: RouterInterface, nextHop: number, d: OutboundDatagram): SendResult {
    if (!egress.lineProtocolUp) return { ok: false, failure: "interfaceDown", egress };
    return this.sendOut(egress, nextHop, d, d.src ?? d.sourceInterface?.config.address?.address);
  }

  /**
   * Sends a datagram to a link-local multicast group (224.0.0.0/24) out of
   * one interface, with TTL 1, from the interface's primary address: how
   * OSPF, RIPv2 and EIGRP talk to their neighbours. Never routed.
   */
  sendLinkLocal(egress: RouterInterface, group: number, d: LinkDatagram): SendResult {
    if (!egress.lineProtocolUp) return { ok: false, failure: "interfaceDown", egress };
    const src = d.src ?? egress.config.address?.address;
    if (src === undefined) return { ok: false, failure: "noSourceAddress", egress };
    this.counters.multicastSent++;
    const out: OutboundDatagram = { dst: group, src, protocol: d.protocol, payload: d.payload, tos: d.tos, ttl: 1 };
    return this.sendOut(egress, group, { ...out, bypassCrypto: true }, src);
  }

  private sendOut(egress: RouterInterface, nextHop: number, d: OutboundDatagram, src0: number | undefined): SendResult {
    const src = src0 ?? egress.config.address?.address;
    if (src === undefined) return { ok: false, failure: "noSourceAddress", egress };
    const bytes = this.build(d, src);
    this.hooks.debug(
      "ip-packet",
      () =>
        `IP: s=${formatIpv4Address(src)} (local), d=${formatIpv4Address(d.dst)} (${egress.name}), len ${bytes.length}, sending`,
    );
    if (d.protocol === IP_PROTO_ICMP) {
      this.hooks.debug("ip-packet-detail", () => `ICMP type=${d.payload[0]}, code=${d.payload[1]}`);
      if (d.payload[0] === 8) this.counters.echoRequestsSent++;
    }
    if (d.dst === 0xffffffff || this.broadcastAddresses.has(d.dst)) this.counters.broadcastsSent++;
    return this.forwarding.output(egress, nextHop, bytes, null, d.bypassCrypto ?? false);
  }

  private build(d: OutboundDatagram, src: number): Uint8Array {
    return emitIpv4({
      dscp: (d.tos ?? 0) >>> 2,
      ecn: (d.tos ?? 0) & 3,
      identification: this.nextId(),
      dontFragment: d.dontFragment ?? false,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: d.ttl ?? this.defaultTtl,
      protocol: d.protocol,
      src,
      dst: d.dst,
      options: new Uint8Array(0),
      payload: d.payload,
    });
  }
}

function countOutput(ifc: RouterInterface, length: number, now: TimeNs): void {
  ifc.counters.outputPackets++;
  ifc.counters.outputBytes += length;
  ifc.lastOutputAt = now;
  ifc.outputRate.add(now, length);
}
