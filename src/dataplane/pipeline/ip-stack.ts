// The IPv4 pipeline of a router or host, in IOS order: layer-2 input (Ethernet
// II with 802.1Q, Cisco HDLC) -> input ACL -> local delivery (with reassembly)
// or forwarding: TTL, CEF lookup (longest match, ECMP by per-destination hash
// or per-packet round robin) -> output ACL -> MTU (fragment, or drop and send
// fragmentation-needed when DF is set) -> ARP and layer-2 rewrite -> port.
// Crypto maps plug in through `crypto` (IpCryptoHooks): outbound after the
// output ACL, ESP/AH decapsulation at local delivery, and the inner datagram
// re-enters input as if it had arrived on the same interface.
// NAT plugs in through `nat` (IpNatHooks), in IOS's order: outside->inside
// on input after the input ACL and crypto decapsulation, before routing;
// inside->outside on output after routing, before the output ACL and the
// crypto map, so both see the translated datagram.
// ICMP errors (time exceeded, unreachables) are generated here; ping,
// traceroute and control planes register for the packets delivered locally.
// Like IOS, the common forwarding case is fast-switched (fastForward: the
// received frame is rewritten in place with nothing allocated per packet);
// everything else takes the full path above.

import type { DeviceContext, TimeNs } from "../../runtime/device.ts";
import { ARP_REPLY, ARP_REQUEST, type ArpPacket, arpReply, arpRequest, emitArp, parseArp } from "../../wire/arp.ts";
import { internetChecksum } from "../../wire/checksum.ts";
import {
  ETHERNET_HEADER_LEN,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_VLAN,
  emitEthernet,
} from "../../wire/ethernet.ts";
import {
  emitHdlcHeader,
  HDLC_ADDRESS_UNICAST,
  HDLC_HEADER_LEN,
  HDLC_PROTO_IPV4,
  hdlcProtocol,
} from "../../wire/hdlc.ts";
import { emitIcmp, type IcmpMessage, icmpQuote, parseIcmp, TIME_EXCEEDED, UNREACH } from "../../wire/icmp.ts";
import {
  checkIpv4,
  emitIpv4,
  IP_PROTO_AH,
  IP_PROTO_ESP,
  IP_PROTO_ICMP,
  IP_PROTO_TCP,
  IP_PROTO_UDP,
  type Ipv4Packet,
  ipv4DecrementTtl,
  parseIpv4,
} from "../../wire/ipv4.ts";
import { formatIpv4Address, maskFromLength, readIpv4 } from "../../wire/ipv4-address.ts";
import { formatMacCisco, MAC_BROADCAST, readMac, writeMac } from "../../wire/mac-address.ts";
import type { AccessList, AclPacket } from "../acl.ts";
import { ArpCache } from "../arp-cache.ts";
import { LoadBalancer } from "../ecmp-hash.ts";
import { FIB_MISS } from "../fib.ts";
import { fragmentDatagram } from "../fragment.ts";
import { Reassembler } from "../reassembly.ts";
import { type FibPath, type PathList, Rib } from "../rib.ts";
import { mayReportError, UnreachableLimiter } from "./icmp-error.ts";
import type { RouterInterface } from "./router-interface.ts";

/** A datagram delivered to this device, as listeners see it. */
export interface LocalDatagram {
  header: Ipv4Packet;
  /** The whole datagram (reassembled if it came in fragments). */
  bytes: Uint8Array;
  /** Interface it arrived on (null when sent to ourselves). */
  ingress: RouterInterface | null;
  atNs: TimeNs;
}

/** Why a locally originated datagram could not leave. */
export type SendFailure =
  | "noRoute"
  | "noSourceAddress"
  | "fragmentationNeeded"
  | "aclDenied"
  | "interfaceDown"
  | "encapsulationFailed"
  | "queueFull";

/** Outcome of sending a locally originated datagram. */
export interface SendResult {
  ok: boolean;
  failure?: SendFailure;
  /** Egress interface chosen (for debug output). */
  egress?: RouterInterface;
  /** The MTU that refused a DF datagram. */
  mtu?: number;
}

/** A locally originated datagram. */
export interface OutboundDatagram {
  dst: number;
  /** Source address; the egress interface's primary address when omitted. */
  src?: number;
  /** Source interface (`ping ... source Loopback0`). */
  sourceInterface?: RouterInterface;
  protocol: number;
  payload: Uint8Array;
  ttl?: number;
  tos?: number;
  dontFragment?: boolean;
  /** Control-plane traffic that crypto maps never encrypt (IKE itself). */
  bypassCrypto?: boolean;
}

/** What a crypto-map data plane gives the stack. */
export interface IpCryptoHooks {
  /**
   * A datagram leaving an interface that carries a crypto map: returns the
   * outcome when the crypto map took it (encrypted and sent, or dropped while
   * IKE negotiates), or null to send it in the clear.
   */
  output(
    egress: RouterInterface,
    nextHop: number,
    dgram: Uint8Array,
    ingress: RouterInterface | null,
  ): SendResult | null;
  /** ESP or AH addressed to this device (reassembled); the hook decapsulates and calls reinject. */
  input(dgram: Uint8Array, ingress: RouterInterface | null): void;
  /** A clear datagram arriving on a crypto-map interface: false drops it (it should have come encrypted). */
  acceptClear(ingress: RouterInterface, dgram: Uint8Array): boolean;
}

/** What a NAT data plane (`ip nat inside|outside` interfaces) gives the stack. */
export interface IpNatHooks {
  /**
   * A datagram received on an `ip nat` interface, after the input ACL and any
   * crypto decapsulation, before the routing decision: translates it in place
   * (outside->inside); false drops it (malformed, counted by NAT).
   */
  input(ingress: RouterInterface, dgram: Uint8Array): boolean;
  /**
   * A forwarded datagram about to leave an `ip nat` interface, after the
   * routing decision and before the output ACL and crypto map: translates it
   * in place (inside->outside); false drops it (no address or port left, or
   * malformed; counted by NAT).
   */
  output(egress: RouterInterface, ingress: RouterInterface, dgram: Uint8Array): boolean;
  /**
   * For an ICMP error this device raises about a datagram NAT translated on
   * its way out (fragmentation needed, for instance): the datagram's header
   * and first 8 bytes as the inside host sent them, so the error reaches it;
   * null when NAT had nothing to do with it.
   */
  original(dgram: Uint8Array, ingress: RouterInterface | null): Uint8Array | null;
  /** True when IOS answers ARP on this interface for an inside global address (NAT's IP aliases). */
  alias(ifc: RouterInterface, address: number): boolean;
}

/** IP-level counters (show ip traffic). */
export interface IpCounters {
  received: number;
  delivered: number;
  forwarded: number;
  formatErrors: number;
  checksumErrors: number;
  badTtl: number;
  noRoute: number;
  aclDeniedIn: number;
  aclDeniedOut: number;
  fragmented: number;
  fragmentsCreated: number;
  couldNotFragment: number;
  reassembled: number;
  reassemblyTimeouts: number;
  encapsulationFailed: number;
  unreachablesSent: number;
  timeExceededSent: number;
  echoRepliesSent: number;
  echoRequestsReceived: number;
}

/** What the stack needs from its device besides the runtime context. */
export interface IpStackHooks {
  /** Debug line into the device's logging buffer; the text is only built when that debug is on. */
  debug(category: "ip-packet" | "ip-packet-detail" | "ip-icmp" | "arp", line: () => string): void;
  /** Named ACL lookup (numbered lists by their number). */
  acl(name: string): AccessList | undefined;
  /** A virtual-clock timer (reassembly expiry). */
  after(delayNs: TimeNs, name: string, fn: () => void): void;
}

/** The IPv4 stack of one device. */
export class IpStack {
  readonly rib = new Rib();
  readonly arp = new ArpCache();
  readonly loadBalancer: LoadBalancer;
  readonly reassembler = new Reassembler();
  readonly counters: IpCounters = {
    received: 0,
    delivered: 0,
    forwarded: 0,
    formatErrors: 0,
    checksumErrors: 0,
    badTtl: 0,
    noRoute: 0,
    aclDeniedIn: 0,
    aclDeniedOut: 0,
    fragmented: 0,
    fragmentsCreated: 0,
    couldNotFragment: 0,
    reassembled: 0,
    reassemblyTimeouts: 0,
    encapsulationFailed: 0,
    unreachablesSent: 0,
    timeExceededSent: 0,
    echoRepliesSent: 0,
    echoRequestsReceived: 0,
  };
  /** `ip routing` (hosts run with it off and use a default gateway). */
  routing = true;
  /** TTL of datagrams this device originates (IOS 255, Windows hosts 128). */
  defaultTtl = 255;
  /** `ip default-gateway` used when routing is off. */
  defaultGateway: number | null = null;
  private readonly unreachables = new UnreachableLimiter();
  private readonly interfaces = new Map<string, RouterInterface>();
  /** Interfaces per port: untagged main interface and tagged subinterfaces by VLAN. */
  private readonly ports = new Map<number, { main: RouterInterface; vlans: Map<number, RouterInterface> }>();
  /** Our own addresses, for local delivery. */
  private localAddresses = new Map<number, RouterInterface>();
  /** Directed broadcast addresses of our subnets. */
  private broadcastAddresses = new Set<number>();
  private readonly listeners = new Set<(d: LocalDatagram) => void>();
  private ipId = 0;
  /** The crypto-map data plane, when the device has one. */
  crypto: IpCryptoHooks | null = null;
  /** The NAT data plane, when the device has one. */
  nat: IpNatHooks | null = null;

  constructor(
    private readonly ctx: DeviceContext,
    private readonly hooks: IpStackHooks,
  ) {
    this.loadBalancer = new LoadBalancer(ctx.randomU32());
    this.ipId = ctx.randomU32() & 0xffff;
  }

  // ---- interfaces ---------------------------------------------------------

  /** Adds an interface (physical, subinterface, loopback, Null0). */
  addInterface(ifc: RouterInterface): void {
    this.interfaces.set(ifc.name, ifc);
    if (ifc.port !== null) {
      let entry = this.ports.get(ifc.port);
      if (ifc.parent === null) {
        if (entry === undefined) this.ports.set(ifc.port, (entry = { main: ifc, vlans: new Map() }));
        else entry.main = ifc;
      }
    }
    this.refreshInterfaces();
  }

  /** Removes a subinterface or loopback (`no interface`). */
  removeInterface(name: string): void {
    const ifc = this.interfaces.get(name);
    if (ifc === undefined) return;
    this.interfaces.delete(name);
    this.rib.removeInterface(name);
    this.refreshInterfaces();
  }

  /** Interface by canonical name. */
  interface(name: string): RouterInterface | undefined {
    return this.interfaces.get(name);
  }

  /** All interfaces in creation order. */
  allInterfaces(): RouterInterface[] {
    return [...this.interfaces.values()];
  }

  /**
   * Recomputes everything derived from interface state: VLAN demux, local and
   * broadcast addresses, connected routes. Call after any interface change.
   */
  refreshInterfaces(): void {
    for (const entry of this.ports.values()) entry.vlans.clear();
    this.localAddresses = new Map();
    this.broadcastAddresses = new Set();
    for (const ifc of this.interfaces.values()) {
      if (ifc.parent !== null && ifc.port !== null && ifc.config.vlan !== undefined) {
        this.ports.get(ifc.port)?.vlans.set(ifc.config.vlan, ifc);
      }
      const up = ifc.lineProtocolUp;
      for (const a of ifc.addresses()) {
        if (up) this.localAddresses.set(a.address, ifc);
        if (a.length <= 30) this.broadcastAddresses.add((a.address | ~maskFromLength(a.length)) >>> 0);
      }
      this.rib.setInterface(ifc.name, up, ifc.kind === "null" ? [] : ifc.addresses());
      this.arp.setInterfaceTimeout(ifc.name, ifc.config.arpTimeoutSec);
      if ((ifc.parent ?? ifc).kind === "ethernet") {
        for (const a of ifc.addresses()) this.arp.addInterface(a.address, macBytes((ifc.parent ?? ifc).mac), ifc.name);
      }
    }
    this.rib.commit();
  }

  /** True if the address is one of ours (on an interface that is up). */
  isLocalAddress(address: number): boolean {
    return this.localAddresses.has(address);
  }

  /** Registers for datagrams delivered to this device. */
  onLocalDelivery(listener: (d: LocalDatagram) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- input --------------------------------------------------------------

  /**
   * The frame being received: its bytes belong to this device until it sends
   * them on, so a datagram forwarded out of it may be re-framed in place, but
   * only within it (frames may share an ArrayBuffer, see newFrame).
   */
  private rxFrame: Uint8Array | null = null;

  /** A frame arrived on a runtime port. */
  receive(port: number, frame: Uint8Array): void {
    this.rxFrame = frame;
    this.receiveFrame(port, frame);
    this.rxFrame = null;
  }

  private receiveFrame(port: number, frame: Uint8Array): void {
    const entry = this.ports.get(port);
    if (entry === undefined) return;
    const now = this.ctx.now();
    if (entry.main.kind === "serial") {
      const ifc = entry.main;
      if (!ifc.lineProtocolUp) return;
      this.countInput(ifc, frame.length, now, false);
      if (frame.length < HDLC_HEADER_LEN) return this.inputError(ifc);
      if (hdlcProtocol(frame) !== HDLC_PROTO_IPV4) return; // SLARP keepalives and others: not IP
      this.ipInput(ifc, frame, HDLC_HEADER_LEN);
      return;
    }
    if (frame.length < ETHERNET_HEADER_LEN) return this.inputError(entry.main);
    let ifc = entry.main;
    let offset = ETHERNET_HEADER_LEN;
    let type = (frame[12]! << 8) | frame[13]!;
    if (type === ETHERTYPE_VLAN) {
      if (frame.length < ETHERNET_HEADER_LEN + 4) return this.inputError(ifc);
      const vid = ((frame[14]! << 8) | frame[15]!) & 0x0fff;
      const sub = entry.vlans.get(vid);
      if (sub === undefined) return void ifc.counters.inputDrops++;
      ifc = sub;
      offset = ETHERNET_HEADER_LEN + 4;
      type = (frame[16]! << 8) | frame[17]!;
    }
    if (!ifc.lineProtocolUp) return;
    const dstMac = readMac(frame, 0);
    const broadcast = dstMac === MAC_BROADCAST;
    // A segment is a hub: frames for other stations are seen and ignored.
    if (!broadcast && dstMac !== ifc.mac && (frame[0]! & 1) === 0) return;
    this.countInput(ifc, frame.length, now, broadcast);
    if (type === ETHERTYPE_ARP) this.arpInput(ifc, frame.subarray(offset));
    else if (type === ETHERTYPE_IPV4) this.ipInput(ifc, frame, offset);
  }

  private countInput(ifc: RouterInterface, length: number, now: TimeNs, broadcast: boolean): void {
    const c = ifc.counters;
    c.inputPackets++;
    c.inputBytes += length;
    if (broadcast) c.inputBroadcasts++;
    ifc.lastInputAt = now;
    if (ifc.parent !== null) {
      ifc.parent.counters.inputPackets++;
      ifc.parent.counters.inputBytes += length;
      ifc.parent.lastInputAt = now;
    }
  }

  private inputError(ifc: RouterInterface): void {
    ifc.counters.inputErrors++;
  }

  private ipInput(ifc: RouterInterface, frame: Uint8Array, off: number, decapsulated = false): void {
    this.counters.received++;
    if (off === ETHERNET_HEADER_LEN && this.fastForward(ifc, frame)) return;
    const checked = checkIpv4(frame, off, true);
    if (!checked.ok) {
      if (checked.error.reason === "badChecksum") this.counters.checksumErrors++;
      else this.counters.formatErrors++;
      ifc.counters.inputErrors++;
      return;
    }
    const total = (frame[off + 2]! << 8) | frame[off + 3]!;
    // Work on the datagram alone from here (Ethernet padding dropped); the bytes stay shared.
    const dgram = frame.subarray(off, off + total);
    if (ifc.config.accessGroupIn !== undefined && !this.aclPermits(ifc.config.accessGroupIn, dgram)) {
      this.counters.aclDeniedIn++;
      this.sendUnreachable(dgram, UNREACH.ADMIN_PROHIBITED, ifc);
      return;
    }
    if (
      !decapsulated &&
      this.crypto !== null &&
      ifc.config.cryptoMap !== undefined &&
      !this.crypto.acceptClear(ifc, dgram)
    )
      return;
    if (this.nat !== null && ifc.config.nat !== undefined && !this.nat.input(ifc, dgram)) return;
    const dst = readIpv4(dgram, 16);
    if (this.localAddresses.has(dst) || dst === 0xffffffff || this.broadcastAddresses.has(dst)) {
      this.deliverLocal(dgram, ifc);
      return;
    }
    if (dst >>> 28 === 0xe) return; // multicast: no multicast routing yet
    if (!this.routing) return;
    this.forward(dgram, ifc);
  }

  /**
   * Fast switching of an untagged Ethernet frame that holds an option-less
   * datagram for a unicast destination with one path out of an untagged,
   * up Ethernet interface whose next hop is in the ARP table, with no ACL or
   * crypto map on either interface and no fragmentation: the frame is checked
   * and rewritten in place (TTL, MACs) and handed to the port, with no view or
   * object made per packet. It does what ipInput, forward, output and
   * encapsulate do for such a frame, counters included; in any other case it
   * returns false before changing anything and the frame takes the full path
   * (as IOS punts to process switching).
   */
  private fastForward(ingress: RouterInterface, frame: Uint8Array): boolean {
    const off = ETHERNET_HEADER_LEN;
    const length = frame.length;
    if (!this.routing || length < off + 20 || frame[off] !== 0x45 || frame[off + 8]! <= 1) return false;
    const total = (frame[off + 2]! << 8) | frame[off + 3]!;
    // The frame holds the datagram alone, or a short datagram padded to Ethernet's minimum.
    if (total < 20 || (length !== off + total && !(length === 60 && off + total < 60))) return false;
    if (ingress.config.accessGroupIn !== undefined || (this.crypto !== null && ingress.config.cryptoMap !== undefined))
      return false;
    if (this.nat !== null && ingress.config.nat !== undefined) return false;
    const dst = readIpv4(frame, off + 16);
    if (dst >>> 28 === 0xe || dst === 0xffffffff || this.localAddresses.has(dst) || this.broadcastAddresses.has(dst))
      return false;
    if (internetChecksum(frame, off, off + 20) !== 0) return false;
    const index = this.rib.fib.lookup(dst);
    if (index === FIB_MISS) return false;
    const pathList = this.rib.pathList(index);
    if (pathList === undefined || pathList.kind !== "forward" || pathList.paths.length !== 1) return false;
    const path = pathList.paths[0]!;
    const egress = this.interfaces.get(path.interface);
    if (
      egress === undefined ||
      egress.kind !== "ethernet" ||
      egress.parent !== null ||
      egress.port === null ||
      !egress.lineProtocolUp
    )
      return false;
    if (
      egress.config.accessGroupOut !== undefined ||
      (this.crypto !== null && egress.config.cryptoMap !== undefined) ||
      total > egress.ipMtu
    )
      return false;
    if (this.nat !== null && egress.config.nat !== undefined) return false;
    const nextHop = path.nextHop ?? dst;
    if (nextHop === 0xffffffff || this.broadcastAddresses.has(nextHop)) return false;
    // An ARP hit, as arp.resolve() sees it (a miss has side effects: the full path handles it).
    const arp = this.arp.get(nextHop);
    const mac = arp?.mac;
    if (
      arp === undefined ||
      mac === null ||
      mac === undefined ||
      (arp.expiresAt !== null && this.ctx.now() >= arp.expiresAt)
    )
      return false;
    this.counters.forwarded++;
    ipv4DecrementTtl(frame, off);
    frame[0] = mac[0]!;
    frame[1] = mac[1]!;
    frame[2] = mac[2]!;
    frame[3] = mac[3]!;
    frame[4] = mac[4]!;
    frame[5] = mac[5]!;
    writeMac(frame, 6, egress.mac);
    // Padding must not leak what the previous hop put there.
    if (length > off + total) frame.fill(0, off + total);
    this.transmit(egress, egress.port, frame);
    return true;
  }

  /** A datagram that came out of an IPsec SA: input again as if it had arrived on `ifc`. */
  reinject(ifc: RouterInterface, dgram: Uint8Array): void {
    this.ipInput(ifc, dgram, 0, true);
  }

  // ---- forwarding ---------------------------------------------------------

  private forward(dgram: Uint8Array, ingress: RouterInterface): void {
    if (dgram[8]! <= 1) {
      this.counters.badTtl++;
      this.sendIcmpError(dgram, { kind: "timeExceeded", code: TIME_EXCEEDED.TTL, original: icmpQuote(dgram) }, ingress);
      return;
    }
    const dst = readIpv4(dgram, 16);
    const pathList = this.lookupPathList(dst);
    if (pathList === undefined || pathList.kind === "drop" || pathList.paths.length === 0) {
      this.counters.noRoute++;
      this.sendUnreachable(dgram, UNREACH.HOST, ingress);
      return;
    }
    if (pathList.kind === "receive") {
      this.deliverLocal(dgram, ingress);
      return;
    }
    ipv4DecrementTtl(dgram, 0);
    const path = this.choosePath(pathList, readIpv4(dgram, 12), dst);
    const egress = this.interfaces.get(path.interface);
    if (egress === undefined || !egress.lineProtocolUp) {
      this.sendUnreachable(dgram, UNREACH.HOST, ingress);
      return;
    }
    this.counters.forwarded++;
    this.output(egress, path.nextHop ?? dst, dgram, ingress);
  }

  /** CEF lookup: the path list for a destination, or undefined. */
  lookupPathList(dst: number): PathList | undefined {
    if (!this.routing) return this.hostPathList(dst);
    const index = this.rib.fib.lookup(dst);
    return index === FIB_MISS ? undefined : this.rib.pathList(index);
  }

  /** With routing off: connected subnets directly, everything else via the default gateway. */
  private hostPathList(dst: number): PathList | undefined {
    for (const ifc of this.interfaces.values()) {
      if (!ifc.lineProtocolUp) continue;
      for (const a of ifc.addresses()) {
        const mask = maskFromLength(a.length);
        if (((a.address ^ dst) & mask) === 0)
          return { index: -1, kind: "forward", paths: [{ nextHop: null, interface: ifc.name }] };
      }
    }
    if (this.defaultGateway === null) return undefined;
    const via = this.hostPathList(this.defaultGateway);
    if (via === undefined || via.paths[0]?.nextHop !== null) return undefined;
    return {
      index: -1,
      kind: "forward",
      paths: [{ nextHop: this.defaultGateway, interface: via.paths[0]!.interface }],
    };
  }

  /** ECMP choice for a flow, as CEF makes it. */
  choosePath(pathList: PathList, src: number, dst: number, advance = true): FibPath {
    const paths = pathList.paths;
    if (paths.length === 1) return paths[0]!;
    const perPacket = paths.every((p) => this.interfaces.get(p.interface)?.config.perPacketLoadSharing === true);
    const mode = perPacket ? "per-packet" : "per-destination";
    const i = advance
      ? this.loadBalancer.selectPath(pathList.index, paths.length, src, dst, mode)
      : this.loadBalancer.exactRoute(pathList.index, paths.length, src, dst, mode);
    return paths[i]!;
  }

  /**
   * Sends a datagram out of an interface towards a next hop: NAT, output ACL,
   * crypto map, MTU (fragment or refuse), then layer 2. `ingress` is null for
   * our own datagrams (which NAT leaves alone, as IOS does).
   */
  private output(
    egress: RouterInterface,
    nextHop: number,
    dgram: Uint8Array,
    ingress: RouterInterface | null,
    bypassCrypto = false,
  ): SendResult {
    if (egress.kind === "null") return { ok: false, failure: "noRoute", egress };
    if (
      this.nat !== null &&
      ingress !== null &&
      !bypassCrypto &&
      egress.config.nat !== undefined &&
      !this.nat.output(egress, ingress, dgram)
    ) {
      return { ok: false, failure: "encapsulationFailed", egress }; // (forwarded only: nobody reads it; NAT counts the drop)
    }
    if (egress.config.accessGroupOut !== undefined && !this.aclPermits(egress.config.accessGroupOut, dgram)) {
      this.counters.aclDeniedOut++;
      if (ingress !== null) this.sendUnreachable(dgram, UNREACH.ADMIN_PROHIBITED, ingress);
      return { ok: false, failure: "aclDenied", egress };
    }
    if (!bypassCrypto && this.crypto !== null && egress.config.cryptoMap !== undefined) {
      const taken = this.crypto.output(egress, nextHop, dgram, ingress);
      if (taken !== null) return taken;
    }
    if (egress.kind === "loopback") {
      this.deliverLocal(dgram, null);
      return { ok: true, egress };
    }
    const mtu = egress.ipMtu;
    if (dgram.length > mtu) {
      if ((dgram[6]! & 0x40) !== 0) {
        this.counters.couldNotFragment++;
        if (ingress !== null)
          this.sendIcmpError(
            dgram,
            { kind: "destUnreachable", code: UNREACH.FRAG_NEEDED, nextHopMtu: mtu, original: icmpQuote(dgram) },
            ingress,
          );
        return { ok: false, failure: "fragmentationNeeded", egress, mtu };
      }
      const fragments = fragmentDatagram(dgram, mtu);
      this.counters.fragmented++;
      this.counters.fragmentsCreated += fragments.length;
      let result: SendResult = { ok: true, egress };
      for (const f of fragments) {
        const r = this.encapsulate(egress, nextHop, f);
        if (!r.ok) result = r;
      }
      return result;
    }
    return this.encapsulate(egress, nextHop, dgram);
  }

  /** Sends an already-protected datagram (ESP/AH) out of the interface its crypto map sits on. */
  outputProtected(
    egress: RouterInterface,
    nextHop: number,
    dgram: Uint8Array,
    ingress: RouterInterface | null,
  ): SendResult {
    return this.output(egress, nextHop, dgram, ingress, true);
  }

  /** Sends an ICMP error about a datagram (frag-needed for crypto's plaintext MTU, for instance). */
  reportError(dgram: Uint8Array, message: IcmpMessage, ingress: RouterInterface | null): void {
    this.sendIcmpError(dgram, message, ingress);
  }

  /** Layer-2 framing and transmission. */
  private encapsulate(egress: RouterInterface, nextHop: number, dgram: Uint8Array): SendResult {
    const physical = egress.parent ?? egress;
    const port = physical.port;
    if (port === null) return { ok: false, failure: "interfaceDown", egress };
    let frame: Uint8Array;
    if (physical.kind === "serial") {
      frame = this.frameAround(dgram, HDLC_HEADER_LEN, 0);
      emitHdlcHeader({ address: HDLC_ADDRESS_UNICAST, protocol: HDLC_PROTO_IPV4 }, frame, 0);
    } else {
      const broadcast = nextHop === 0xffffffff || this.broadcastAddresses.has(nextHop);
      let dstMac: Uint8Array | null = null;
      if (!broadcast) {
        const resolution = this.arp.resolve(nextHop, egress.name, this.ctx.now());
        if (resolution.kind === "miss") {
          // IOS drops the packet that triggers ARP (the first ping shows '.').
          this.counters.encapsulationFailed++;
          if (resolution.sendRequest) this.sendArpRequest(egress, nextHop);
          return { ok: false, failure: "encapsulationFailed", egress };
        }
        dstMac = resolution.mac;
      }
      const vlan = egress.parent !== null ? egress.config.vlan : undefined;
      const header = vlan !== undefined ? ETHERNET_HEADER_LEN + 4 : ETHERNET_HEADER_LEN;
      frame = this.frameAround(dgram, header, 60);
      if (dstMac === null) writeMac(frame, 0, MAC_BROADCAST);
      else frame.set(dstMac, 0);
      writeMac(frame, 6, physical.mac);
      if (vlan !== undefined) {
        frame[12] = 0x81;
        frame[13] = 0x00;
        frame[14] = (vlan >> 8) & 0x0f;
        frame[15] = vlan & 0xff;
        frame[16] = 0x08;
        frame[17] = 0x00;
      } else {
        frame[12] = 0x08;
        frame[13] = 0x00;
      }
    }
    return this.transmit(egress, port, frame) ? { ok: true, egress } : { ok: false, failure: "queueFull", egress };
  }

  /**
   * A frame of `header` bytes plus the datagram, at least `minLength` long. A
   * forwarded datagram still sits in the frame it arrived in, which this device
   * owns: when there is room for the new header in front of it within that
   * frame, the frame is rewritten in place (no allocation, no copy); otherwise
   * a new one is built.
   */
  private frameAround(dgram: Uint8Array, header: number, minLength: number): Uint8Array {
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

  private transmit(egress: RouterInterface, port: number, frame: Uint8Array): boolean {
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

  // ---- ARP ----------------------------------------------------------------

  private arpInput(ifc: RouterInterface, payload: Uint8Array): void {
    const parsed = parseArp(payload);
    if (!parsed.ok) return this.inputError(ifc);
    const p = parsed.value;
    const now = this.ctx.now();
    // NAT's inside global addresses on an outside interface are ours too (IOS's IP aliases).
    const ours = ifc.addresses().some((a) => a.address === p.targetIp) || this.nat?.alias(ifc, p.targetIp) === true;
    // Learn the sender if the packet is for us or we already know it (RFC 826 merge).
    if (ours || this.arp.has(p.senderIp)) this.arp.learn(p.senderIp, macBytes(p.senderMac), ifc.name, now);
    if (p.operation === ARP_REQUEST && (ours || this.proxyArpFor(ifc, p))) {
      this.hooks.debug(
        "arp",
        () =>
          `IP ARP: rcvd req src ${formatIpv4Address(p.senderIp)} ${formatMacCisco(p.senderMac)}, dst ${formatIpv4Address(p.targetIp)} ${ifc.name}`,
      );
      this.sendArp(ifc, arpReply(p, (ifc.parent ?? ifc).mac), p.senderMac);
      this.hooks.debug(
        "arp",
        () =>
          `IP ARP: sent rep src ${formatIpv4Address(p.targetIp)} ${formatMacCisco((ifc.parent ?? ifc).mac)},\n                 dst ${formatIpv4Address(p.senderIp)} ${formatMacCisco(p.senderMac)} ${ifc.name}`,
      );
    } else if (p.operation === ARP_REPLY) {
      this.hooks.debug(
        "arp",
        () =>
          `IP ARP: rcvd rep src ${formatIpv4Address(p.senderIp)} ${formatMacCisco(p.senderMac)}, dst ${formatIpv4Address(p.targetIp)} ${ifc.name}`,
      );
    }
  }

  /** Proxy ARP: answer for an address we route out of a different interface. */
  private proxyArpFor(ifc: RouterInterface, p: ArpPacket): boolean {
    if (!ifc.config.proxyArp || !this.routing) return false;
    const onSubnet = ifc.addresses().some((a) => ((a.address ^ p.targetIp) & maskFromLength(a.length)) === 0);
    if (onSubnet) return false;
    const pl = this.lookupPathList(p.targetIp);
    if (pl === undefined || pl.kind !== "forward") return false;
    return pl.paths.every((path) => path.interface !== ifc.name);
  }

  private sendArpRequest(ifc: RouterInterface, target: number): void {
    const src =
      ifc.addresses().find((a) => ((a.address ^ target) & maskFromLength(a.length)) === 0)?.address ??
      ifc.config.address?.address ??
      0;
    this.sendArp(ifc, arpRequest((ifc.parent ?? ifc).mac, src, target), MAC_BROADCAST);
    this.hooks.debug(
      "arp",
      () => `IP ARP: creating incomplete entry for IP address: ${formatIpv4Address(target)} interface ${ifc.name}`,
    );
    this.hooks.debug(
      "arp",
      () =>
        `IP ARP: sent req src ${formatIpv4Address(src)} ${formatMacCisco((ifc.parent ?? ifc).mac)},\n                 dst ${formatIpv4Address(target)} 0000.0000.0000 ${ifc.name}`,
    );
  }

  private sendArp(ifc: RouterInterface, packet: ArpPacket, dstMac: number): void {
    const physical = ifc.parent ?? ifc;
    if (physical.port === null) return;
    const vlan = ifc.parent !== null ? ifc.config.vlan : undefined;
    const frame = emitEthernet({
      dst: dstMac,
      src: physical.mac,
      ethertype: ETHERTYPE_ARP,
      vlan: vlan !== undefined ? { pcp: 0, dei: false, vid: vlan } : undefined,
      payload: emitArp(packet),
    });
    this.transmit(ifc, physical.port, frame);
  }

  /** Sends a gratuitous ARP for each address of an interface that came up. */
  announce(ifc: RouterInterface): void {
    if ((ifc.parent ?? ifc).kind !== "ethernet" || !ifc.lineProtocolUp) return;
    for (const a of ifc.addresses())
      this.sendArp(ifc, arpRequest((ifc.parent ?? ifc).mac, a.address, a.address), MAC_BROADCAST);
  }

  // ---- local delivery -----------------------------------------------------

  private deliverLocal(dgram: Uint8Array, ingress: RouterInterface | null): void {
    const now = this.ctx.now();
    let whole = dgram;
    const flags = ((dgram[6]! << 8) | dgram[7]!) & 0x3fff;
    if (flags !== 0 && (flags & 0x2000 || flags & 0x1fff)) {
      const done = this.reassembler.add(dgram, now);
      this.armReassemblyTimer();
      if (done === null) return;
      this.counters.reassembled++;
      whole = done;
    }
    const parsed = parseIpv4(whole, { verifyChecksum: false });
    if (!parsed.ok) return void this.counters.formatErrors++;
    const header = parsed.value;
    if (this.crypto !== null && (header.protocol === IP_PROTO_ESP || header.protocol === IP_PROTO_AH)) {
      this.crypto.input(whole, ingress);
      return;
    }
    this.counters.delivered++;
    this.hooks.debug(
      "ip-packet",
      () =>
        `IP: s=${formatIpv4Address(header.src)} (${ingress?.name ?? "local"}), d=${formatIpv4Address(header.dst)}${ingress ? ` (${ingress.name})` : ""}, len ${whole.length}, rcvd 3`,
    );
    if (header.protocol === IP_PROTO_ICMP) this.icmpInput(header, whole, ingress);
    else if (header.protocol === IP_PROTO_UDP && !this.hasListenerFor(header)) {
      // Nothing listens on UDP here: port unreachable (this is what ends a traceroute).
      this.sendUnreachable(whole, UNREACH.PORT, ingress);
    }
    const d: LocalDatagram = { header, bytes: whole, ingress, atNs: now };
    for (const l of this.listeners) l(d);
  }

  private reassemblyTimerAt: TimeNs | null = null;

  /** Keeps one timer armed at the earliest reassembly expiry while fragments wait. */
  private armReassemblyTimer(): void {
    const at = this.reassembler.nextExpiryAt();
    if (at === null || (this.reassemblyTimerAt !== null && this.reassemblyTimerAt <= at)) return;
    this.reassemblyTimerAt = at;
    this.hooks.after(at - this.ctx.now(), "ip-reassembly", () => {
      this.reassemblyTimerAt = null;
      this.counters.reassemblyTimeouts += this.reassembler.expire(this.ctx.now());
      this.armReassemblyTimer();
    });
  }

  /** Control planes that claim UDP ports register here. */
  readonly udpPorts = new Set<number>();

  private hasListenerFor(h: Ipv4Packet): boolean {
    if (h.payload.length < 4) return false;
    return this.udpPorts.has((h.payload[2]! << 8) | h.payload[3]!);
  }

  private icmpInput(header: Ipv4Packet, _dgram: Uint8Array, ingress: RouterInterface | null): void {
    const parsed = parseIcmp(header.payload);
    if (!parsed.ok) return void this.counters.formatErrors++;
    const m = parsed.value;
    this.hooks.debug("ip-packet-detail", () => `ICMP type=${header.payload[0]}, code=${header.payload[1]}`);
    if (m.kind === "echoRequest") {
      this.counters.echoRequestsReceived++;
      if (header.dst === 0xffffffff || this.broadcastAddresses.has(header.dst)) return; // no smurf replies
      const reply = emitIcmp({ kind: "echoReply", id: m.id, seq: m.seq, data: m.data });
      const sent = this.send({
        dst: header.src,
        src: header.dst,
        protocol: IP_PROTO_ICMP,
        payload: reply,
        tos: header.dscp << 2,
      });
      if (sent.ok) {
        this.counters.echoRepliesSent++;
        this.hooks.debug(
          "ip-icmp",
          () =>
            `ICMP: echo reply sent, src ${formatIpv4Address(header.dst)}, dst ${formatIpv4Address(header.src)}, topology BASE, dscp 0 topoid 0`,
        );
      }
    } else if (m.kind === "echoReply") {
      this.hooks.debug(
        "ip-icmp",
        () =>
          `ICMP: echo reply rcvd, src ${formatIpv4Address(header.src)}, dst ${formatIpv4Address(header.dst)}, topology BASE, dscp 0 topoid 0`,
      );
    } else if (m.kind === "timeExceeded") {
      this.hooks.debug("ip-icmp", () => `ICMP: time exceeded rcvd from ${formatIpv4Address(header.src)}`);
    } else if (m.kind === "destUnreachable") {
      const quotedDst = m.original.length >= 20 ? formatIpv4Address(readIpv4(m.original, 16)) : "?";
      this.hooks.debug(
        "ip-icmp",
        () => `ICMP: dst (${quotedDst}) ${unreachableText(m.code)} rcv from ${formatIpv4Address(header.src)}`,
      );
    }
    void ingress;
  }

  // ---- ICMP errors ---------------------------------------------------------

  private sendUnreachable(dgram: Uint8Array, code: number, ingress: RouterInterface | null): void {
    if (ingress !== null && !ingress.config.unreachables) return;
    if (!this.unreachables.allow(code, this.ctx.now())) return;
    this.sendIcmpError(dgram, { kind: "destUnreachable", code, nextHopMtu: 0, original: icmpQuote(dgram) }, ingress);
  }

  /** Sends an ICMP error about `dgram` back to its source, from the address of the interface it came in on. */
  private sendIcmpError(dgram: Uint8Array, message: IcmpMessage, ingress: RouterInterface | null): void {
    // About a datagram NAT translated on its way out: report it to the inside host that sent it.
    const original = this.nat?.original(dgram, ingress) ?? null;
    if (original !== null) {
      dgram = original;
      if ("original" in message) message = { ...message, original: icmpQuote(original) };
    }
    if (!mayReportError(dgram, 0)) return;
    const offender = readIpv4(dgram, 12);
    const src = ingress?.config.address?.address;
    if (this.localAddresses.has(offender)) {
      // Our own datagram: report it to local listeners as if it came back.
      const from = src ?? offender;
      const bytes = emitIpv4({
        dscp: 0,
        ecn: 0,
        identification: this.nextId(),
        dontFragment: false,
        moreFragments: false,
        fragmentOffset: 0,
        ttl: 255,
        protocol: IP_PROTO_ICMP,
        src: from,
        dst: offender,
        options: new Uint8Array(0),
        payload: emitIcmp(message),
      });
      this.deliverLocal(bytes, null);
      return;
    }
    const result = this.send({ dst: offender, src, protocol: IP_PROTO_ICMP, payload: emitIcmp(message) });
    if (!result.ok) return;
    const dst = formatIpv4Address(readIpv4(dgram, 16));
    if (message.kind === "timeExceeded") {
      this.counters.timeExceededSent++;
      this.hooks.debug(
        "ip-icmp",
        () =>
          `ICMP: time exceeded (time to live) sent to ${formatIpv4Address(offender)} (dest was ${dst}), topology BASE, dscp 0 topoid 0`,
      );
    } else if (message.kind === "destUnreachable") {
      this.counters.unreachablesSent++;
      this.hooks.debug(
        "ip-icmp",
        () => `ICMP: dst (${dst}) ${unreachableText(message.code)} sent to ${formatIpv4Address(offender)}`,
      );
    }
  }

  // ---- local origination ----------------------------------------------------

  /** Next IP identification value. */
  nextId(): number {
    this.ipId = (this.ipId + 1) & 0xffff;
    return this.ipId;
  }

  /** Builds and sends a datagram from this device. */
  send(d: OutboundDatagram): SendResult {
    const pathList = this.lookupPathList(d.dst);
    if (this.localAddresses.has(d.dst)) {
      const src = d.src ?? d.dst;
      this.deliverLocal(this.build(d, src), null);
      return { ok: true };
    }
    if (pathList === undefined || pathList.kind !== "forward" || pathList.paths.length === 0) {
      this.counters.noRoute++;
      return { ok: false, failure: "noRoute" };
    }
    const src0 = d.src ?? d.sourceInterface?.config.address?.address;
    const path = this.choosePath(pathList, src0 ?? 0, d.dst);
    const egress = this.interfaces.get(path.interface);
    if (egress === undefined || !egress.lineProtocolUp) return { ok: false, failure: "interfaceDown" };
    const src = src0 ?? egress.config.address?.address;
    if (src === undefined) return { ok: false, failure: "noSourceAddress", egress };
    const bytes = this.build(d, src);
    this.hooks.debug(
      "ip-packet",
      () =>
        `IP: s=${formatIpv4Address(src)} (local), d=${formatIpv4Address(d.dst)} (${egress.name}), len ${bytes.length}, sending`,
    );
    if (d.protocol === IP_PROTO_ICMP)
      this.hooks.debug("ip-packet-detail", () => `ICMP type=${d.payload[0]}, code=${d.payload[1]}`);
    return this.output(egress, path.nextHop ?? d.dst, bytes, null, d.bypassCrypto ?? false);
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

  // ---- ACL --------------------------------------------------------------------

  private aclPermits(name: string, dgram: Uint8Array): boolean {
    const acl = this.hooks.acl(name);
    if (acl === undefined) return true; // IOS permits everything through a missing ACL
    return acl.evaluate(aclFields(dgram)).action === "permit";
  }
}

/** Header fields an ACL looks at. */
export function aclFields(dgram: Uint8Array): AclPacket {
  const hlen = (dgram[0]! & 0x0f) * 4;
  const protocol = dgram[9]!;
  const p: AclPacket = { src: readIpv4(dgram, 12), dst: readIpv4(dgram, 16), protocol, tos: dgram[1]! };
  const firstFragment = (((dgram[6]! & 0x1f) << 8) | dgram[7]!) === 0;
  if (firstFragment && dgram.length >= hlen + 4) {
    if (protocol === IP_PROTO_TCP || protocol === IP_PROTO_UDP) {
      p.srcPort = (dgram[hlen]! << 8) | dgram[hlen + 1]!;
      p.dstPort = (dgram[hlen + 2]! << 8) | dgram[hlen + 3]!;
      if (protocol === IP_PROTO_TCP && dgram.length >= hlen + 14) p.tcpFlags = dgram[hlen + 13]!;
    } else if (protocol === IP_PROTO_ICMP) {
      p.icmpType = dgram[hlen]!;
      p.icmpCode = dgram[hlen + 1]!;
    }
  }
  return p;
}

function unreachableText(code: number): string {
  switch (code) {
    case UNREACH.NET:
      return "net unreachable";
    case UNREACH.HOST:
      return "host unreachable";
    case UNREACH.PROTOCOL:
      return "protocol unreachable";
    case UNREACH.PORT:
      return "port unreachable";
    case UNREACH.FRAG_NEEDED:
      return "fragmentation needed and DF set";
    case UNREACH.ADMIN_PROHIBITED:
      return "administratively prohibited";
    default:
      return `unreachable code ${code}`;
  }
}

function countOutput(ifc: RouterInterface, length: number, now: TimeNs): void {
  ifc.counters.outputPackets++;
  ifc.counters.outputBytes += length;
  ifc.lastOutputAt = now;
}

/** A MAC address number as its six bytes. */
function macBytes(mac: number): Uint8Array {
  const b = new Uint8Array(6);
  writeMac(b, 0, mac);
  return b;
}

/** Frames up to this size are carved out of a shared slab. */
const SLAB_FRAME_MAX = 2048;
const SLAB_BYTES = 256 * 1024;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/**
 * A zeroed frame of `length` bytes for this device to fill and send. Small
 * frames are views into a shared slab rather than arrays of their own: in
 * Bun (JavaScriptCore) a small array of its own gets an ArrayBuffer only when
 * a view is taken of it, and that costs several times the allocation, while
 * the devices that receive a frame take views of it (the datagram, its
 * payload). Each frame is its own region of the slab: nothing writes past a
 * frame's ends (frameAround re-frames only within the frame received).
 */
function newFrame(length: number): Uint8Array {
  if (length > SLAB_FRAME_MAX) return new Uint8Array(length);
  const size = (length + 7) & ~7;
  if (slabUsed + size > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const frame = new Uint8Array(slab, slabUsed, length);
  slabUsed += size;
  return frame;
}
