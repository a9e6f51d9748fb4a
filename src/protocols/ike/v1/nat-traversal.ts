// IKEv1 NAT traversal (RFC 3947) for one ISAKMP SA: both sides announce
// support with the RFC 3947 vendor ID in messages 1 and 2; messages 3 and 4
// carry two NAT-D payloads, hash(CKY-I | CKY-R | IP | port) of the
// receiver's and then the sender's address as the sender sees them. A hash
// that does not match the packet's addresses means a NAT changed them: the
// initiator then "floats" to UDP 4500 from message 5 on (IKE behind a
// non-ESP marker), quick mode asks for UDP-encapsulated tunnel mode, ESP
// rides in UDP 4500 (RFC 3948), and the side behind the NAT sends NAT
// keepalives (`crypto isakmp nat keepalive N`) so its mapping stays open.
// `no crypto ipsec nat-transparency udp-encapsulation` turns all of it off.

import { equalConstantTime } from "../../../fastpath/crypto/hash-check.ts";
import type { TimerHandle } from "../../../runtime/device-timers.ts";
import type { IsakmpPayload, IsakmpPayloadInput } from "../../../wire/isakmp.ts";
import { ISAKMP_NATT_PORT } from "../../../wire/isakmp.ts";
import { VID_NAT_T_RFC3947 } from "../../../wire/isakmp-constants.ts";
import { natDHash } from "../v1-keys.ts";
import { ip } from "./exchange-support.ts";
import type { IkeV1Engine } from "./ike-engine.ts";
import type { IsakmpSa } from "./isakmp-sa.ts";

/** IKE's own port before floating. */
export const ISAKMP_PORT = 500;

/** Addresses and ports of the last datagram received for an SA (what NAT-D is checked against). */
export interface ReceivedAddressing {
  src: number;
  dst: number;
  srcPort: number;
  dstPort: number;
}

/** NAT-T state of one ISAKMP SA. */
export interface NatTraversalState {
  /** The peer sent the RFC 3947 vendor ID. */
  peerSupports: boolean;
  /** NAT-D said our own address or port was changed on the way: we are behind a NAT. */
  localBehindNat: boolean;
  /** NAT-D said the peer's address or port was changed: the peer is behind a NAT. */
  peerBehindNat: boolean;
  /** Ports IKE uses now: 500, or 4500 once floated (the peer's is whatever its NAT maps 4500 to). */
  localPort: number;
  peerPort: number;
  /** The datagram being processed (set by the engine before the exchange sees it). */
  received: ReceivedAddressing | null;
  /** NAT keepalive timer, on the side behind the NAT. */
  keepalive: TimerHandle | null;
}

export function newNatTraversalState(): NatTraversalState {
  return {
    peerSupports: false,
    localBehindNat: false,
    peerBehindNat: false,
    localPort: ISAKMP_PORT,
    peerPort: ISAKMP_PORT,
    received: null,
    keepalive: null,
  };
}

/** Whether a NAT sits between the peers (either side). */
export function natDetected(s: NatTraversalState): boolean {
  return s.localBehindNat || s.peerBehindNat;
}

/** The NAT-T services main mode and quick mode call. */
export class NatTraversal {
  constructor(private readonly core: IkeV1Engine) {}

  /** NAT-T is on unless `no crypto ipsec nat-transparency udp-encapsulation`. */
  get enabled(): boolean {
    return this.core.host.crypto.natTransparency;
  }

  /** The vendor IDs messages 1 and 2 carry for NAT-T (none when it is off). */
  vendorIds(): IsakmpPayloadInput[] {
    return this.enabled ? [{ type: "vendorId", data: VID_NAT_T_RFC3947 }] : [];
  }

  /** Notes whether the peer's message 1 or 2 announced RFC 3947 support. */
  notePeerVendorIds(sa: IsakmpSa, payloads: readonly IsakmpPayload[]): void {
    const rfc3947 = payloads.some((p) => p.type === "vendorId" && equalConstantTime(p.data, VID_NAT_T_RFC3947));
    if (rfc3947) this.core.host.debugIsakmp(() => `ISAKMP (${sa.shownConnId}): vendor ID is NAT-T RFC 3947`);
    sa.natT.peerSupports = rfc3947 && this.enabled;
  }

  /** NAT-D payloads for message 3 or 4: the peer's address and port as we send to them, then ours. */
  discoveryPayloads(sa: IsakmpSa): IsakmpPayloadInput[] {
    if (!sa.natT.peerSupports) return [];
    const h = (address: number, port: number): IsakmpPayloadInput => ({
      type: "natD",
      data: natDHash(sa.hash!, sa.ckyI, sa.ckyR, address, port),
    });
    return [h(sa.peer, sa.natT.peerPort), h(sa.local, sa.natT.localPort)];
  }

  /**
   * Checks the peer's NAT-D payloads of message 3 or 4 against the datagram
   * they came in. The first describes us as the peer addressed us; the rest,
   * the peer as it sent. Without NAT-D (a peer that announced NAT-T but did
   * not follow through) NAT-T is off for the SA.
   */
  detect(sa: IsakmpSa, payloads: readonly IsakmpPayload[]): void {
    if (!sa.natT.peerSupports) return;
    const host = this.core.host;
    const rx = sa.natT.received;
    const hashes = payloads
      .filter((p): p is Extract<IsakmpPayload, { type: "natD" }> => p.type === "natD")
      .map((p) => p.data);
    if (rx === null || hashes.length < 2) {
      host.debugIsakmp(() => `ISAKMP:${sa.tag}: NAT-T agreed but NAT-D payloads missing`);
      sa.natT.peerSupports = false;
      return;
    }
    const mine = natDHash(sa.hash!, sa.ckyI, sa.ckyR, rx.dst, rx.dstPort);
    const theirs = natDHash(sa.hash!, sa.ckyI, sa.ckyR, rx.src, rx.srcPort);
    host.debugIsakmp(() => "ISAKMP:received payload type 20");
    sa.natT.localBehindNat = !equalConstantTime(hashes[0]!, mine);
    if (sa.natT.localBehindNat) host.debugIsakmp(() => `ISAKMP (${sa.shownConnId}): NAT found, the node inside NAT`);
    host.debugIsakmp(() => "ISAKMP:received payload type 20");
    sa.natT.peerBehindNat = !hashes.slice(1).some((h) => equalConstantTime(h, theirs));
    if (sa.natT.peerBehindNat)
      host.debugIsakmp(() => `ISAKMP (${sa.shownConnId}): His hash no match - this node outside NAT`);
    if (!natDetected(sa.natT)) host.debugIsakmp(() => `ISAKMP (${sa.shownConnId}): No NAT Found for self or peer`);
  }

  /** The initiator, before message 5: with a NAT on the way, IKE moves to UDP 4500 on both ends. */
  floatIfNat(sa: IsakmpSa): void {
    if (!natDetected(sa.natT) || sa.natT.localPort === ISAKMP_NATT_PORT) return;
    sa.natT.localPort = ISAKMP_NATT_PORT;
    sa.natT.peerPort = ISAKMP_NATT_PORT;
    this.core.host.debugIsakmp(
      () => `ISAKMP:${sa.tag}:NAT detected, floating to port ${ISAKMP_NATT_PORT} for ${ip(sa.peer)}`,
    );
  }

  /**
   * A message for an SA arrived: the responder follows the initiator to 4500
   * (message 5 is the first there), and either side follows the peer's NAT
   * if it maps the peer to another port.
   */
  followPeer(sa: IsakmpSa, rx: ReceivedAddressing): void {
    if (rx.dstPort === ISAKMP_NATT_PORT && sa.natT.localPort !== ISAKMP_NATT_PORT) {
      sa.natT.localPort = ISAKMP_NATT_PORT;
      this.core.host.debugIsakmp(() => `ISAKMP:${sa.tag}:Detected port floating to port = ${rx.srcPort}`);
    }
    if (sa.natT.localPort === ISAKMP_NATT_PORT && rx.dstPort === ISAKMP_NATT_PORT) sa.natT.peerPort = rx.srcPort;
  }

  /** Phase 1 done: the side behind a NAT starts NAT keepalives if configured. */
  startKeepalives(sa: IsakmpSa): void {
    const interval = this.core.host.crypto.natKeepaliveSec;
    if (interval === null || !sa.natT.localBehindNat) return;
    const host = this.core.host;
    let lastSent = host.dataplane.peerActivity(sa.peer, sa.natT.peerPort).sent;
    const tick = (): void => {
      sa.natT.keepalive = null;
      if (sa.deleted) return;
      // A keepalive only when nothing else kept the mapping warm (RFC 3948 2.3).
      const sent = host.dataplane.peerActivity(sa.peer, sa.natT.peerPort).sent;
      if (sent === lastSent) {
        host.debugIsakmp(() => `ISAKMP:${sa.tag}:NAT keepalive sent to ${ip(sa.peer)}:${sa.natT.peerPort}`);
        this.core.sendNatKeepalive(sa);
      }
      lastSent = sent;
      sa.natT.keepalive = host.after(interval * 1e9, "isakmp-nat-keepalive", tick);
    };
    sa.natT.keepalive = host.after(interval * 1e9, "isakmp-nat-keepalive", tick);
  }
}
