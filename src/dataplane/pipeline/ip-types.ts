// The types the IPv4 pipeline shares with the code around it: a datagram
// delivered locally, what a locally originated datagram asks for and what
// became of it, the hooks the crypto-map and NAT data planes plug in with,
// and the IP-level counters `show ip traffic` prints.

import type { TimeNs } from "../../runtime/device.ts";
import type { Ipv4Packet } from "../../wire/ipv4.ts";
import type { AccessList } from "../acl.ts";
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
  /**
   * Virtual fragment reassembly: a fragment received on an `ip nat`
   * interface, before the input ACL. True when NAT took it (a later fragment
   * held until its first fragment has gone through, then handed to `resume`
   * to go on from the input ACL; or dropped and counted).
   */
  virtualReassembly(ingress: RouterInterface, dgram: Uint8Array, resume: (dgram: Uint8Array) => void): boolean;
}

/** IP-level counters (show ip traffic). */
export interface IpCounters {
  received: number;
  delivered: number;
  forwarded: number;
  formatErrors: number;
  checksumErrors: number;
  badTtl: number;
  /** Delivered to us for an IP protocol nothing here speaks. */
  unknownProtocol: number;
  /** Received with IP options. */
  withOptions: number;
  noRoute: number;
  /** Discarded by a CEF drop entry (martian and multicast ranges). */
  forcedDrop: number;
  aclDeniedIn: number;
  aclDeniedOut: number;
  fragmented: number;
  fragmentsCreated: number;
  couldNotFragment: number;
  reassembled: number;
  reassemblyTimeouts: number;
  encapsulationFailed: number;
  broadcastsReceived: number;
  broadcastsSent: number;
  multicastReceived: number;
  multicastSent: number;
  unreachablesSent: number;
  timeExceededSent: number;
  redirectsSent: number;
  echoRepliesSent: number;
  echoRequestsSent: number;
  echoRequestsReceived: number;
  echoRepliesReceived: number;
  unreachablesReceived: number;
  timeExceededReceived: number;
  redirectsReceived: number;
  icmpFormatErrors: number;
  icmpChecksumErrors: number;
  /** ICMP messages of a type this counter set does not name. */
  icmpOtherReceived: number;
}

/** A zeroed counter set. */
export function newIpCounters(): IpCounters {
  return {
    received: 0,
    delivered: 0,
    forwarded: 0,
    formatErrors: 0,
    checksumErrors: 0,
    badTtl: 0,
    unknownProtocol: 0,
    withOptions: 0,
    noRoute: 0,
    forcedDrop: 0,
    aclDeniedIn: 0,
    aclDeniedOut: 0,
    fragmented: 0,
    fragmentsCreated: 0,
    couldNotFragment: 0,
    reassembled: 0,
    reassemblyTimeouts: 0,
    encapsulationFailed: 0,
    broadcastsReceived: 0,
    broadcastsSent: 0,
    multicastReceived: 0,
    multicastSent: 0,
    unreachablesSent: 0,
    timeExceededSent: 0,
    redirectsSent: 0,
    echoRepliesSent: 0,
    echoRequestsSent: 0,
    echoRequestsReceived: 0,
    echoRepliesReceived: 0,
    unreachablesReceived: 0,
    timeExceededReceived: 0,
    redirectsReceived: 0,
    icmpFormatErrors: 0,
    icmpChecksumErrors: 0,
    icmpOtherReceived: 0,
  };
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
