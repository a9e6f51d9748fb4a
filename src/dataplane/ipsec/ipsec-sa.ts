// The IPsec SAs a router holds, grouped as `show crypto ipsec sa` groups them:
// a flow (one crypto-map ACL entry on one interface: local and remote ident,
// peer, packet counters) owns SA pairs, each an inbound and an outbound SA
// that one quick mode created. The objects doing per-packet work come from
// the fast path; this file is bookkeeping only.

import type { EspInboundSa, EspOpened, EspOutboundSa, EspSaKeys } from "../../fastpath/esp/types.ts";
import type { TransformSet } from "../../protocols/ipsec/crypto-config.ts";
import type { TimeNs } from "../../runtime/device.ts";
import type { TimerHandle } from "../../runtime/device-timers.ts";
import type { ProxyId } from "./proxy-id.ts";

/** What the data plane needs of an outbound AH SA (the fast path's AH SA satisfies it). */
export interface AhSealer {
  seal(ipv4Header: Uint8Array, payload: Uint8Array, nextHeader: number): Uint8Array;
}

/** What the data plane needs of an inbound AH SA. */
export interface AhOpener {
  open(datagram: Uint8Array): EspOpened;
}

/** An SA's per-packet engine: ESP or AH. */
export type OutboundEngine = { kind: "esp"; sa: EspOutboundSa } | { kind: "ah"; sa: AhSealer };
export type InboundEngine = { kind: "esp"; sa: EspInboundSa } | { kind: "ah"; sa: AhOpener };

/** What the data plane asks IKE for when interesting traffic has no SA. */
export interface SaRequest {
  interfaceName: string;
  mapName: string;
  sequence: number;
  /** Local crypto endpoint (interface or `local-address` address). */
  local: number;
  peer: number;
  localProxy: ProxyId;
  remoteProxy: ProxyId;
}

/** What a finished quick mode hands the data plane. */
export interface NegotiatedSa extends SaRequest {
  protocol: "esp" | "ah";
  transform: TransformSet;
  mode: "tunnel" | "transport";
  /** Keys of the SA we receive on (our SPI). */
  inbound: EspSaKeys;
  /** Keys of the SA we send on (the peer's SPI). */
  outbound: EspSaKeys;
  lifetimeSec: number;
  lifetimeKb: number;
  pfsGroup: number | null;
  /** Whether this side initiated the quick mode (the initiator rekeys). */
  initiator: boolean;
  /** ESP in UDP (NAT traversal, RFC 3948): our port (4500) and the port the peer's NAT shows; null for plain ESP. */
  udpEncap: { localPort: number; peerPort: number } | null;
  /** AH+ESP bundle: the AH SAs wrapped around the ESP ones (`protocol` is then "esp"). */
  ahBundle?: { inbound: EspSaKeys; outbound: EspSaKeys };
}

/** Per-flow counters, named as `show crypto ipsec sa` prints them. */
export interface IpsecFlowCounters {
  encaps: number;
  encrypt: number;
  digest: number;
  decaps: number;
  decrypt: number;
  verify: number;
  sendErrors: number;
  recvErrors: number;
  replayFailed: number;
  verifyFailed: number;
}

/** One inbound + outbound SA pair from one quick mode. */
export interface IpsecSaPair {
  negotiated: NegotiatedSa;
  inbound: InboundEngine;
  outbound: OutboundEngine;
  /** AH+ESP bundle: the AH engines outside the ESP ones. */
  ahBundle: { inbound: AhOpener; outbound: AhSealer } | null;
  inboundConnId: number;
  outboundConnId: number;
  createdAt: TimeNs;
  /** Kilobytes protected so far (both directions), for the volume lifetime. */
  bytes: number;
  timers: TimerHandle[];
  /** Set once a rekey has been asked for. */
  rekeying: boolean;
}

/** A crypto-map flow: one permit entry of a crypto ACL on one interface. */
export interface IpsecFlow {
  key: string;
  request: SaRequest;
  counters: IpsecFlowCounters;
  /** Newest first; an older pair stays usable for inbound until it expires (rekey overlap). */
  pairs: IpsecSaPair[];
  /** Created by a peer through a dynamic map rather than by our ACL. */
  dynamic: boolean;
  /** Packets counted before the last `clear crypto sa` reset the counters (DPD keeps watching). */
  sentBefore: number;
  receivedBefore: number;
}

/** Fresh zeroed counters. */
export function newFlowCounters(): IpsecFlowCounters {
  return {
    encaps: 0,
    encrypt: 0,
    digest: 0,
    decaps: 0,
    decrypt: 0,
    verify: 0,
    sendErrors: 0,
    recvErrors: 0,
    replayFailed: 0,
    verifyFailed: 0,
  };
}
