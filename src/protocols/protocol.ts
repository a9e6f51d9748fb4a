// The contract between a router and its control-plane protocols (IKE today;
// OSPF, EIGRP, RIP, NHRP, GDOI, BGP next). The router starts and stops a
// protocol from its configuration; the protocol hears interface events,
// receives the datagrams of the keys it binds (an IP protocol number, a UDP
// or TCP port, a multicast group joined on an interface), arms timers on the
// device's virtual clock, sends through a small API (routed, out of one
// interface to a neighbour, link-local multicast), offers routes to the RIB
// as candidates, and reports what happens as typed events. It never writes
// IOS text: the router's IOS layer (src/config) gives each protocol a
// renderer for its events when it starts it, so the words live in one place.

import type { LinkDatagram } from "../dataplane/pipeline/ip-stack.ts";
import type { OutboundDatagram, SendResult } from "../dataplane/pipeline/ip-types.ts";
import type { DeliveryHandler, DeliveryKey } from "../dataplane/pipeline/local-delivery.ts";
import type { RouterInterface } from "../dataplane/pipeline/router-interface.ts";
import type { Rib } from "../dataplane/rib.ts";
import type { TimeNs } from "../runtime/device.ts";
import type { TimerHandle } from "../runtime/device-timers.ts";

/** Something that happened to an interface, as a protocol hears it. */
export type InterfaceEvent =
  | { kind: "created"; ifc: RouterInterface }
  | { kind: "addressChanged"; ifc: RouterInterface }
  | { kind: "lineProtocolChanged"; ifc: RouterInterface; up: boolean }
  /** MTU, IP MTU, bandwidth or delay changed (metrics and MTU checks follow). */
  | { kind: "parametersChanged"; ifc: RouterInterface }
  | { kind: "deleted"; ifc: RouterInterface };

/** What a running protocol gets from its router. `E` is the protocol's own event type. */
export interface ProtocolHost<E> {
  /** The router's hostname now (it may change while the protocol runs). */
  readonly hostname: string;
  now(): TimeNs;
  /** A virtual-clock timer; `name` shows in traces. */
  after(delayNs: TimeNs, name: string, fn: () => void): TimerHandle;
  /** Bytes from the device's seeded random source. */
  randomBytes(n: number): Uint8Array;
  /** Interfaces in the order IOS lists them. */
  interfaces(): RouterInterface[];
  /** Receives the datagrams of a key; returns the function that unbinds it (stop() unbinds everything left). */
  bind(key: DeliveryKey, handler: DeliveryHandler): () => void;
  /** Accepts a multicast group on an interface (224.0.0.5 for OSPF, .9 for RIP, .10 for EIGRP). */
  joinGroup(ifc: RouterInterface, group: number): void;
  leaveGroup(ifc: RouterInterface, group: number): void;
  /** Routed unicast (any IP protocol number: raw IP). */
  send(d: OutboundDatagram): SendResult;
  /** Unicast out of one interface to a next hop on it. */
  sendVia(ifc: RouterInterface, nextHop: number, d: OutboundDatagram): SendResult;
  /** Link-local multicast out of one interface (TTL 1, from the interface's address). */
  sendLinkLocal(ifc: RouterInterface, group: number, d: LinkDatagram): SendResult;
  /** The routing table: offer candidates with setCandidates/withdrawSource, then commit(). */
  readonly rib: Rib;
  /** Reports an event; the IOS layer renders it (syslog, debug). */
  emit(event: E): void;
}

/** A control-plane protocol instance running on a router. */
export interface RouterProtocol {
  /** An interface changed; called for every interface event while the protocol runs. */
  interfaceEvent?(event: InterfaceEvent): void;
  /** The protocol is being stopped (`no router ...`): withdraw routes, say goodbye. Bindings, groups and timers are released for it. */
  stop(): void;
}

/** How a protocol is made: a name and a constructor over its host. */
export interface ProtocolDefinition<P extends RouterProtocol, E> {
  /** Protocol name, as `show ip protocols` would name it ("ospf", "eigrp", "rip", "isakmp"). */
  readonly name: string;
  create(host: ProtocolHost<E>): P;
}
