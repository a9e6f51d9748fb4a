// The IKEv1 daemon of one router: ISAKMP on UDP 500 and the services its
// exchanges share (main-mode.ts, aggressive-mode.ts, quick-mode.ts,
// informational.ts): the phase-1 SA table, SA requests from the crypto-map
// data plane, dispatch of packets from peers, key derivation, sending with
// retransmission (retransmit-schedule.ts: 10 s, then doubling), SA lifetimes, DPD,
// deletion (phase1-lifecycle.ts: reasons, DELETE notifies, renegotiation) and
// `clear crypto`. Debug lines follow IOS's `debug crypto isakmp`
// and `debug crypto ipsec` wording. The methods without `private` are the
// exchanges' toolkit, not an API for the rest of the router.

import type { CryptoKeyRecord } from "../../../capture/crypto-keys.ts";
import type { AccessList } from "../../../dataplane/acl.ts";
import type { CryptoMapDataplane } from "../../../dataplane/ipsec/crypto-map-dataplane.ts";
import { flowOnPort } from "../../../dataplane/ipsec/crypto-map-dataplane.ts";
import type { SaRequest } from "../../../dataplane/ipsec/ipsec-sa.ts";
import type { LocalDatagram } from "../../../dataplane/pipeline/ip-stack.ts";
import { equalConstantTime } from "../../../fastpath/crypto/hash-check.ts";
import type { TimeNs } from "../../../runtime/device.ts";
import type { TimerHandle } from "../../../runtime/device-timers.ts";
import { GDOI_EXCHANGE, GDOI_PORT } from "../../../wire/gdoi.ts";
import { COOP_EXCHANGE } from "../../../wire/gdoi-coop.ts";
import { IP_PROTO_UDP } from "../../../wire/ipv4.ts";
import {
  emitIsakmp,
  emitIsakmpPayloads,
  ISAKMP_NATT_PORT,
  type IsakmpHeader,
  type IsakmpPayloadInput,
  parseIsakmp,
} from "../../../wire/isakmp.ts";
import { DOI_IPSEC, ID_TYPE, ISAKMP_EXCHANGE, ISAKMP_FLAG, NOTIFY, PROTO } from "../../../wire/isakmp-constants.ts";
import { emitUdp, parseUdp } from "../../../wire/udp.ts";
import { classifyUdp4500, encapIsakmp4500, natKeepalive } from "../../../wire/udp-encap.ts";
import { type CryptoConfig, hashAlgorithmOf, type IsakmpPolicy } from "../../ipsec/crypto-config.ts";
import type { ProtocolHost, RouterProtocol } from "../../protocol.ts";
import { dhKeyPair, dhSharedSecret } from "../dh.ts";
import type { DhGroup } from "../dh-groups.ts";
import { ikeCipherBlockSize, ikeCipherKeyBytes } from "../v1-cipher.ts";
import {
  deriveSkeyids,
  type IkeHash,
  informationalHash,
  phase1EncryptionKey,
  phase1Iv,
  skeyidPsk,
  skeyidSig,
} from "../v1-keys.ts";
import { AggressiveMode } from "./aggressive-mode.ts";
import { DeadPeerDetection } from "./dpd.ts";
import { concat, ikeCipherOf, ip, isZero, keyHex, NOTIFY_NAME, sameFlow } from "./exchange-support.ts";
import { Informational } from "./informational.ts";
import type { IsakmpSa, QuickModeExchange } from "./isakmp-sa.ts";
import { MainMode } from "./main-mode.ts";
import { NatTraversal, natDetected, type ReceivedAddressing } from "./nat-traversal.ts";
import { lookupPhase1, PHASE1_END, type Phase1EndReason } from "./phase1-lifecycle.ts";
import { u32Bytes } from "./phase1-policy.ts";
import { QuickMode } from "./quick-mode.ts";
import { MAX_RETRANSMITS, retransmitWaitNs } from "./retransmit-schedule.ts";

/** What the IKE daemon needs from its router. */
export interface IkeHost {
  readonly hostname: string;
  readonly crypto: CryptoConfig;
  /** The router's protocol API: UDP 500/4500 bindings, sending, interfaces. */
  readonly net: Pick<ProtocolHost<never>, "bind" | "send" | "interfaces">;
  readonly dataplane: CryptoMapDataplane;
  acl(name: string): AccessList | undefined;
  now(): TimeNs;
  randomBytes(n: number): Uint8Array;
  after(delayNs: TimeNs, name: string, fn: () => void): TimerHandle;
  log(text: string): void;
  debugIsakmp(line: () => string): void;
  debugIpsec(line: () => string): void;
  /** Key material for capture decryption. */
  exportKeys(record: CryptoKeyRecord): void;
}

/**
 * What GDOI (src/protocols/gdoi) takes from ISAKMP: a registration's phase 1
 * runs on UDP 848 and, once established, sits in GDOI_IDLE carrying the
 * GROUPKEY-PULL exchange (RFC 6407 3) instead of quick modes.
 */
export interface GdoiIsakmpHooks {
  /** A phase 1 on UDP 848 completed (either role). */
  phase1Complete(sa: IsakmpSa): void;
  /** A GROUPKEY-PULL message arrived under an established GDOI SA (body still encrypted). */
  groupkeyPull(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array): void;
  /** A COOP message between key servers (src/wire/gdoi-coop.ts) under an established GDOI SA. */
  coopMessage(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array): void;
  /** A GROUPKEY-PUSH message (a rekey, or a member's acknowledgement): it belongs to no ISAKMP SA, its cookies are a KEK's SPI. */
  groupkeyPush(src: number, dst: number, header: IsakmpHeader, body: Uint8Array): void;
}

const SEC = 1_000_000_000;
/** A deleted SA stays in `show crypto isakmp sa` as `ACTIVE (deleted)` for this long. */
const DELETED_PURGE_NS = 30 * SEC;

/** The IKEv1 daemon. */
export class IkeV1Engine implements RouterProtocol {
  /** Every phase-1 SA, oldest first, with the same SAs by peer and by peer and initiator cookie (lookups by key). */
  private readonly sas = new Set<IsakmpSa>();
  private readonly sasByPeer = new Map<number, IsakmpSa[]>();
  private readonly sasByCookie = new Map<string, IsakmpSa[]>();
  /** Addressing of the datagram being processed (null outside onDatagram). */
  private receiving: ReceivedAddressing | null = null;
  private nextConnId = 1001;
  readonly main = new MainMode(this);
  readonly aggressive = new AggressiveMode(this);
  readonly quick = new QuickMode(this);
  readonly info = new Informational(this);
  readonly natT = new NatTraversal(this);

  /** Per peer: when periodic DPD needs a new phase 1 after the last ISAKMP SA ended (phase1-lifecycle.ts). */
  private readonly keepaliveRenegotiation = new Map<number, TimerHandle>();

  /** ISAKMP listens on UDP 500 and 4500 only while it is ON (a crypto map with entries on an interface). */
  private listening = false;
  /** Unbinds UDP 500 and 4500 while listening. */
  private unbind: Array<() => void> = [];
  /** GDOI's hooks while it runs; UDP 848 is bound while `unbindGdoi` is set. */
  gdoi: GdoiIsakmpHooks | null = null;
  private unbindGdoi: (() => void) | null = null;

  constructor(readonly host: IkeHost) {}

  /** Stopped as a router protocol: ISAKMP closes its ports. */
  stop(): void {
    this.setListening(false);
  }

  /** Opens or closes UDP 500/4500: a closed port answers port-unreachable, as on a router with ISAKMP off. */
  setListening(on: boolean): void {
    if (on === this.listening) return;
    this.listening = on;
    if (on) {
      const receive = (d: LocalDatagram): void => this.onDatagram(d);
      this.unbind = [500, ISAKMP_NATT_PORT].map((udpPort) => this.host.net.bind({ udpPort }, receive));
    } else {
      for (const unbind of this.unbind) unbind();
      this.unbind = [];
    }
  }

  /** Opens or closes UDP 848 for GDOI registrations (a key server's group, a group member's crypto map). */
  setGdoiListening(on: boolean): void {
    if (on === (this.unbindGdoi !== null)) return;
    if (on) this.unbindGdoi = this.host.net.bind({ udpPort: GDOI_PORT }, (d) => this.onDatagram(d));
    else {
      this.unbindGdoi?.();
      this.unbindGdoi = null;
    }
  }

  /** Starts a group member's registration phase 1 with a key server; false when no ISAKMP policy can be offered. */
  startGdoi(local: number, keyServer: number): boolean {
    return this.main.startGdoi(local, keyServer);
  }

  /** A conn-id for a new phase-1 SA (IOS numbers them from 1001). */
  allocateConnId(): number {
    return this.nextConnId++;
  }

  /** Registers a phase-1 SA (shown, and found by its cookies); a responder answers the port the offer came from. */
  addSa(sa: IsakmpSa): void {
    const rx = this.receiving;
    if (sa.role === "R" && rx !== null) {
      sa.natT.received = rx;
      sa.natT.peerPort = rx.srcPort;
      sa.natT.localPort = rx.dstPort;
      sa.gdoi = rx.dstPort === GDOI_PORT;
    }
    this.sas.add(sa);
    pushTo(this.sasByPeer, sa.peer, sa);
    pushTo(this.sasByCookie, cookieKey(sa.peer, sa.ckyI), sa);
  }

  /** Forgets a phase-1 SA (purged after deletion, or cleared). */
  private forgetSa(sa: IsakmpSa): void {
    if (!this.sas.delete(sa)) return;
    removeFrom(this.sasByPeer, sa.peer, sa);
    removeFrom(this.sasByCookie, cookieKey(sa.peer, sa.ckyI), sa);
  }

  /** Phase-1 SAs for show commands (oldest first). */
  isakmpSas(): readonly IsakmpSa[] {
    return [...this.sas];
  }

  /** Phase-1 SAs with one peer, oldest first (by key: `show dmvpn` asks per peer on a hub of many). */
  sasWith(peer: number): readonly IsakmpSa[] {
    return this.sasByPeer.get(peer) ?? [];
  }

  // ---- requests from the data plane -----------------------------------------------

  /** Interesting traffic without an SA: start (or join) a negotiation for its flow. */
  requestSa(req: SaRequest): void {
    const withPeer = this.sasWith(req.peer);
    for (const sa of withPeer) {
      if (sa.deleted) continue;
      if ([...sa.quickModes.values()].some((q) => q.role === "I" && sameFlow(q.request, req))) return;
      if (sa.waiting.some((w) => sameFlow(w, req))) return;
    }
    const ready = withPeer.find((s) => !s.deleted && s.state === "QM_IDLE");
    if (ready !== undefined) return this.quick.start(ready, req);
    // A phase 1 still budding with this peer (ours, or one the peer started) takes the request along.
    const pending = withPeer.find((s) => !s.deleted);
    if (pending !== undefined) {
      this.host.debugIsakmp(() => `ISAKMP:${pending.tag}:SA is still budding. Attached new ipsec request to it.`);
      pending.waiting.push(req);
      return;
    }
    this.main.start(req);
  }

  // ---- main mode, initiator -------------------------------------------------------

  /** Pre-share policies when a key exists (aggressive mode; main mode also offers rsa-sig, phase1-policy.ts offerablePolicies). */
  usablePolicies(haveKey: boolean): IsakmpPolicy[] {
    return this.host.crypto.effectivePolicies().filter((p) => p.authentication === "pre-share" && haveKey);
  }

  // ---- packets from peers ---------------------------------------------------------

  private onDatagram(d: LocalDatagram): void {
    if ((!this.listening && this.unbindGdoi === null) || d.header.protocol !== IP_PROTO_UDP) return;
    try {
      this.dispatch(d);
    } finally {
      this.receiving = null;
    }
  }

  private dispatch(d: LocalDatagram): void {
    const udp = parseUdp(d.header.payload);
    if (!udp.ok) return;
    const port = udp.value.dstPort;
    if (port !== GDOI_PORT ? !this.listening || (port !== 500 && port !== ISAKMP_NATT_PORT) : this.unbindGdoi === null)
      return;
    const src = d.header.src;
    const dst = d.header.dst;
    let bytes = udp.value.payload;
    if (udp.value.dstPort === ISAKMP_NATT_PORT) {
      // UDP 4500 carries IKE behind a non-ESP marker, ESP, or NAT keepalives (RFC 3948).
      const inner = classifyUdp4500(bytes);
      if (inner.kind === "esp")
        return this.host.dataplane.inputUdpEncap(d.bytes, d.bytes.length - inner.esp.length, d.ingress);
      if (inner.kind === "keepalive") return;
      if (inner.kind === "malformed") {
        this.host.log(
          `%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from ${ip(src)} failed its sanity check or is malformed`,
        );
        return;
      }
      bytes = inner.isakmp;
    }
    const rx: ReceivedAddressing = { src, dst, srcPort: udp.value.srcPort, dstPort: udp.value.dstPort };
    this.receiving = rx;
    const parsed = parseIsakmp(bytes);
    if (!parsed.ok) {
      this.host.log(`%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from ${ip(src)} failed its sanity check or is malformed`);
      return;
    }
    const { header, body } = parsed.value;
    if (rx.dstPort === GDOI_PORT && header.exchangeType === GDOI_EXCHANGE.GROUPKEY_PUSH)
      return this.gdoi?.groupkeyPush(src, dst, header, body);
    const found = lookupPhase1(this.sasByCookie.get(cookieKey(src, header.initiatorCookie)) ?? [], (s) =>
      equalConstantTime(s.ckyI, header.initiatorCookie),
    );
    if (found.kind === "deleted") {
      // An SA we deleted but have not purged (our DELETE and the peer's crossed, a last R-U-THERE): IOS drops it quietly.
      const gone = found.sa;
      this.host.debugIsakmp(
        () =>
          `ISAKMP (${gone.shownConnId}): received packet from ${ip(src)} dport ${rx.dstPort} sport ${rx.srcPort} Global (${gone.role}) ${gone.state}`,
      );
      return;
    }
    const sa = found.kind === "live" ? found.sa : undefined;
    if (sa === undefined) {
      if (header.exchangeType === ISAKMP_EXCHANGE.MAIN && isZero(header.responderCookie)) {
        this.main.responderMm1(src, dst, header, body, bytes);
        return;
      }
      if (header.exchangeType === ISAKMP_EXCHANGE.AGGRESSIVE && isZero(header.responderCookie)) {
        this.aggressive.responderAm1(src, dst, header, body, bytes);
        return;
      }
      if (header.exchangeType === ISAKMP_EXCHANGE.INFORMATIONAL && (header.flags & ISAKMP_FLAG.ENCRYPTION) === 0) {
        // An unprotected notify about an SA we no longer hold: nothing to do.
        return;
      }
      this.host.log(`%CRYPTO-4-IKMP_NO_SA: IKE message from ${ip(src)} has no SA and is not an initialization offer`);
      return;
    }
    this.host.debugIsakmp(
      () =>
        `ISAKMP (${sa!.shownConnId}): received packet from ${ip(src)} dport ${rx.dstPort} sport ${rx.srcPort} Global (${sa!.role}) ${sa!.state}`,
    );
    sa.natT.received = rx;
    this.natT.followPeer(sa, rx);
    if (
      sa.lastReceived !== null &&
      equalConstantTime(sa.lastReceived, bytes) &&
      (header.exchangeType === ISAKMP_EXCHANGE.MAIN || header.exchangeType === ISAKMP_EXCHANGE.AGGRESSIVE)
    ) {
      this.host.debugIsakmp(() => `ISAKMP:${sa!.tag}: phase 1 packet is a duplicate of a previous packet.`);
      if (sa.lastSent !== null && sa.role === "R") {
        this.host.debugIsakmp(() => `ISAKMP:${sa!.tag}: retransmitting due to retransmit phase 1`);
        this.transmit(sa, sa.lastSent);
      }
      return;
    }
    if (sa.gdoi && sa.state === "GDOI_IDLE") {
      // Under a GDOI SA, exchange 32 is GROUPKEY-PULL (RFC 6407), not quick mode.
      if (header.exchangeType === ISAKMP_EXCHANGE.QUICK) return this.gdoi?.groupkeyPull(sa, header, body);
      if (header.exchangeType === COOP_EXCHANGE) return this.gdoi?.coopMessage(sa, header, body);
      if (header.exchangeType === ISAKMP_EXCHANGE.INFORMATIONAL) return this.info.handle(sa, header, body);
      return;
    }
    switch (header.exchangeType) {
      case ISAKMP_EXCHANGE.MAIN:
        return this.main.handle(sa, header, body, bytes);
      case ISAKMP_EXCHANGE.AGGRESSIVE:
        if (sa.role === "I" && sa.state === "AG_INIT_EXCH")
          return this.aggressive.initiatorAm2(sa, header, body, bytes);
        if (sa.role === "R" && sa.state === "AG_INIT_EXCH")
          return this.aggressive.responderAm3(sa, header, body, bytes);
        return;
      case ISAKMP_EXCHANGE.QUICK:
        return this.quick.handle(sa, header, body);
      case ISAKMP_EXCHANGE.INFORMATIONAL:
        return this.info.handle(sa, header, body);
      default:
        this.host.debugIsakmp(() => `ISAKMP:${sa!.tag}: unknown exchange type ${header.exchangeType}`);
    }
  }

  // ---- main mode, message by message --------------------------------------------

  usablePoliciesForResponder(): IsakmpPolicy[] {
    // The responder checks every policy (and IOS's default suite after configured ones); pre-share ones
    // are skipped later when the peer has no key.
    return this.host.crypto.responderPolicies();
  }

  phase1Complete(sa: IsakmpSa): void {
    sa.state = sa.gdoi ? "GDOI_IDLE" : "QM_IDLE";
    sa.lastPhase1Block = sa.iv!.slice();
    sa.establishedAt = this.host.now();
    sa.lifetimeTimer = this.host.after(sa.lifetimeSec * SEC, "isakmp-lifetime", () => {
      sa.lifetimeTimer = null;
      this.deleteSa(sa, "lifetime-expired");
    });
    this.keepaliveRenegotiation.get(sa.peer)?.cancel();
    this.keepaliveRenegotiation.delete(sa.peer);
    this.host.debugIsakmp(() => `ISAKMP:${sa.tag}:Input = IKE_MESG_INTERNAL, IKE_PROCESS_COMPLETE`);
    this.host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_P1_COMPLETE  New State = IKE_P1_COMPLETE`);
    if (sa.gdoi) return this.gdoi?.phase1Complete(sa);
    this.startDpd(sa);
    this.natT.startKeepalives(sa);
    const waiting = sa.waiting.splice(0);
    for (const req of waiting) this.quick.start(sa, req);
  }

  /** DPD when `crypto isakmp keepalive` is set and the peer sent the DPD vendor ID. */
  private startDpd(sa: IsakmpSa): void {
    const keepalive = this.host.crypto.keepalive;
    if (keepalive === null || !sa.peerDpd) return;
    const host = this.host;
    sa.dpd = new DeadPeerDetection(
      keepalive,
      {
        after: (delayNs, name, fn) => host.after(delayNs, name, fn),
        sendRuThere: (sequence) => {
          host.debugIsakmp(
            () => `ISAKMP:${sa.tag}:DPD/R_U_THERE sequence 0x${sequence.toString(16)} sent to ${ip(sa.peer)}`,
          );
          this.sendInformational(sa, [this.dpdNotify(sa, NOTIFY.R_U_THERE, sequence)]);
        },
        activity: () => host.dataplane.peerActivity(sa.peer, this.natPort(sa)),
        peerDead: () => {
          host.debugIsakmp(() => `ISAKMP:${sa.tag}:peer ${ip(sa.peer)} is dead`);
          this.deleteSa(sa, "peer-dead");
          host.dataplane.clearPeer(sa.peer, (flow) => flowOnPort(flow, this.natPort(sa)));
        },
        debug: (line) => host.debugIsakmp(() => `ISAKMP:${sa.tag}:${line()}`),
      },
      host.randomBytes(4).reduce((a, b) => (a * 256 + b) >>> 0, 0) & 0x7fffffff,
    );
  }

  /** The peer's NAT-T port when NAT-T is in use (what tells peers behind one PAT address apart), else undefined. */
  natPort(sa: IsakmpSa): number | undefined {
    return natDetected(sa.natT) ? sa.natT.peerPort : undefined;
  }

  dpdNotify(sa: IsakmpSa, type: number, sequence: number): IsakmpPayloadInput {
    return {
      type: "notify",
      doi: DOI_IPSEC,
      protocolId: PROTO.ISAKMP,
      spi: concat(sa.ckyI, sa.ckyR),
      messageType: type,
      data: u32Bytes(sequence),
    };
  }

  setPolicy(sa: IsakmpSa, policy: IsakmpPolicy): void {
    sa.policy = policy;
    sa.lifetimeSec = policy.lifetimeSec;
    sa.hash = hashAlgorithmOf(policy.hash) as IkeHash;
    sa.cipher = ikeCipherOf(policy);
  }

  /** Our phase-1 Diffie-Hellman pair in `group` (private exponent from the seeded source); returns g^x. */
  newDh(sa: IsakmpSa, group: DhGroup): Uint8Array {
    const dh = dhKeyPair(group, (n) => this.host.randomBytes(n));
    sa.dh = { group, privateKey: dh.privateKey, publicKey: dh.publicKey };
    return dh.publicKey;
  }

  /** SKEYID (pre-shared key, or rsa-sig's prf(Ni_b | Nr_b, g^xy)) and SKEYID_d/a/e; false when the peer's KE is invalid. */
  deriveKeys(sa: IsakmpSa): boolean {
    const peerPublic = sa.role === "I" ? sa.gxr! : sa.gxi!;
    const gxy = dhSharedSecret(sa.dh!.group, sa.dh!.privateKey, peerPublic);
    if (gxy === null) return false;
    sa.gxy = gxy;
    const psk = new TextEncoder().encode(sa.psk ?? this.host.crypto.keyFor(sa.peer)?.key ?? "");
    const skeyid =
      sa.policy!.authentication === "rsa-sig"
        ? skeyidSig(sa.hash!, sa.niB!, sa.nrB!, gxy)
        : skeyidPsk(sa.hash!, psk, sa.niB!, sa.nrB!);
    const ids = deriveSkeyids(sa.hash!, skeyid, gxy, sa.ckyI, sa.ckyR);
    const cipherKey = phase1EncryptionKey(sa.hash!, ids.e, ikeCipherKeyBytes(sa.cipher!));
    sa.keys = { skeyid, d: ids.d, a: ids.a, e: ids.e, cipherKey };
    sa.iv = phase1Iv(sa.hash!, sa.gxi!, sa.gxr!, ikeCipherBlockSize(sa.cipher!));
    if (sa.role === "I")
      this.host.exportKeys({ kind: "ikev1", initiatorCookie: keyHex(sa.ckyI), encryptionKey: keyHex(cipherKey) });
    return true;
  }

  phase1Id(local: number): IsakmpPayloadInput {
    return { type: "id", idType: ID_TYPE.IPV4_ADDR, protocolId: IP_PROTO_UDP, port: 500, data: u32Bytes(local) };
  }

  // ---- aggressive mode ---------------------------------------------------------------

  // ---- quick mode ----------------------------------------------------------------

  // ---- informational ---------------------------------------------------------------

  /** An informational exchange under an established SA (encrypted, with HASH(1)). */
  sendNotify(sa: IsakmpSa, type: number, protocolId: number, spi: Uint8Array): void {
    const notify: IsakmpPayloadInput = {
      type: "notify",
      doi: DOI_IPSEC,
      protocolId,
      spi,
      messageType: type,
      data: new Uint8Array(0),
    };
    this.sendInformational(sa, [notify]);
    this.host.debugIsakmp(() => `ISAKMP:${sa.tag}:Sending NOTIFY ${NOTIFY_NAME[type] ?? type} protocol ${protocolId}`);
  }

  sendInformational(sa: IsakmpSa, payloads: IsakmpPayloadInput[]): void {
    if (sa.keys === null || sa.lastPhase1Block === null) return;
    const messageId = this.newMessageId(sa);
    const rest = emitIsakmpPayloads(payloads).bytes;
    const hash = informationalHash(sa.hash!, sa.keys.a, messageId, rest);
    this.sendExchange(sa, ISAKMP_EXCHANGE.INFORMATIONAL, messageId, [{ type: "hash", data: hash }, ...payloads], null);
    sa.endExchange(messageId);
  }

  /** A notify in the clear (before keys exist), as the responder sends `no proposal chosen`. */
  sendPlainNotify(sa: IsakmpSa, type: number): void {
    const notify: IsakmpPayloadInput = {
      type: "notify",
      doi: DOI_IPSEC,
      protocolId: PROTO.ISAKMP,
      spi: new Uint8Array(0),
      messageType: type,
      data: new Uint8Array(0),
    };
    const { firstPayload, bytes } = emitIsakmpPayloads([notify]);
    const msg = emitIsakmp(
      {
        initiatorCookie: sa.ckyI,
        responderCookie: sa.ckyR,
        exchangeType: ISAKMP_EXCHANGE.INFORMATIONAL,
        flags: 0,
        messageId: this.host.randomBytes(4).reduce((a, b) => (a * 256 + b) >>> 0, 0),
      },
      bytes,
      firstPayload,
    );
    this.host.debugIsakmp(
      () => `ISAKMP:(0): sending packet to ${ip(sa.peer)} my_port 500 peer_port 500 (R) MM_NO_STATE`,
    );
    this.transmit(sa, msg);
  }

  // ---- deletion and clearing ----------------------------------------------------------

  /**
   * Deletes a phase-1 SA for `reason` (phase1-lifecycle.ts): an established SA
   * tells the peer with a DELETE when the reason says so; IPsec SAs it made
   * stay up, as on IOS. When the peer is alive, quick modes in flight and
   * waiting requests go on under a new phase 1, and periodic DPD asks for one
   * at its next keepalive.
   */
  deleteSa(sa: IsakmpSa, reason: Phase1EndReason): void {
    if (sa.deleted) return;
    const end = PHASE1_END[reason];
    const established = sa.state === "QM_IDLE";
    if (end.notifyPeer && established) {
      this.sendInformational(sa, [
        { type: "delete", doi: DOI_IPSEC, protocolId: PROTO.ISAKMP, spiSize: 16, spis: [concat(sa.ckyI, sa.ckyR)] },
      ]);
    }
    this.host.debugIsakmp(
      () => `ISAKMP:${sa.tag}:deleting SA reason "${end.ios}" state (${sa.role}) ${sa.state} (peer ${ip(sa.peer)})`,
    );
    if (established) {
      this.host.debugIsakmp(() => `ISAKMP:${sa.tag}:Input = IKE_MESG_INTERNAL, IKE_PHASE1_DEL`);
      this.host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_P1_COMPLETE  New State = IKE_DEST_SA`);
    }
    const pending = end.renegotiate
      ? [...sa.waiting, ...[...sa.quickModes.values()].filter((q) => q.role === "I").map((q) => q.request)]
      : [];
    sa.deleted = true;
    sa.deleteReason = end.ios;
    sa.stopTimers();
    sa.quickModes.clear();
    sa.waiting.length = 0;
    // IOS shows a deleted established SA as MM_NO_STATE; a budding one keeps the state it died in.
    if (established) sa.state = "MM_NO_STATE";
    this.host.after(DELETED_PURGE_NS, "isakmp-purge", () => this.forgetSa(sa));
    if (!end.renegotiate) return;
    for (const req of pending) this.requestSa(req);
    if (established) this.armKeepaliveRenegotiation(sa.peer);
  }

  /**
   * Periodic DPD runs under an ISAKMP SA: once the last one with a peer has
   * ended while IPsec SAs remain, the next keepalive negotiates a new main
   * mode (unless a quick mode or the peer started one first); the new SA runs
   * DPD from then on. The side that initiated the IPsec SAs (the one that
   * rekeys them) does it; the other waits for the peer's main mode, so the
   * two do not start crossing negotiations 10 s after every expiry.
   */
  private armKeepaliveRenegotiation(peer: number): void {
    const keepalive = this.host.crypto.keepalive;
    if (keepalive === null || keepalive.mode !== "periodic" || this.keepaliveRenegotiation.has(peer)) return;
    const timer = this.host.after(keepalive.intervalSec * SEC, "isakmp-dpd-phase1", () => {
      this.keepaliveRenegotiation.delete(peer);
      if (this.sasWith(peer).some((s) => !s.deleted)) return;
      const flow = [...this.host.dataplane.flowsOfPeer(peer)].find((f) => f.pairs.some((p) => p.negotiated.initiator));
      if (flow === undefined) return;
      this.host.debugIsakmp(() => `ISAKMP: DPD for ${ip(peer)} needs an ISAKMP SA: beginning Main Mode exchange`);
      this.main.start(flow.request, false);
    });
    this.keepaliveRenegotiation.set(peer, timer);
  }

  /** `clear crypto isakmp [conn-id]`. */
  clearIsakmp(connId?: number): void {
    for (const sa of [...this.sas]) {
      if (connId !== undefined && sa.connId !== connId) continue;
      this.deleteSa(sa, "manually-deleted");
      this.forgetSa(sa);
    }
  }

  /** `clear crypto sa [...]`: removes IPsec SAs and tells the peers (DELETE for our inbound SPIs). */
  clearIpsec(which?: Parameters<CryptoMapDataplane["clear"]>[0]): void {
    const removed = this.host.dataplane.clear(which);
    for (const { pair } of removed) {
      const n = pair.negotiated;
      // Peers behind one PAT address share it: the NAT-T port says which ISAKMP SA is this pair's.
      const sa = this.sasWith(n.peer).find(
        (s) =>
          !s.deleted &&
          s.state === "QM_IDLE" &&
          (n.udpEncap === null || this.natPort(s) === undefined || s.natT.peerPort === n.udpEncap.peerPort),
      );
      if (sa === undefined) continue;
      const deletes: IsakmpPayloadInput[] = [
        {
          type: "delete",
          doi: DOI_IPSEC,
          protocolId: n.protocol === "esp" ? PROTO.IPSEC_ESP : PROTO.IPSEC_AH,
          spiSize: 4,
          spis: [u32Bytes(n.inbound.spi)],
        },
      ];
      if (n.ahBundle !== undefined)
        deletes.push({
          type: "delete",
          doi: DOI_IPSEC,
          protocolId: PROTO.IPSEC_AH,
          spiSize: 4,
          spis: [u32Bytes(n.ahBundle.inbound.spi)],
        });
      this.sendInformational(sa, deletes);
    }
  }

  // ---- sending and retransmission -------------------------------------------------

  /** Sends a main-mode message (encrypted from message 5 on) and arms retransmission unless it is the last one. */
  sendMain(sa: IsakmpSa, payloads: IsakmpPayloadInput[], encrypt: boolean, expectReply = true): void {
    this.sendPhase1(sa, ISAKMP_EXCHANGE.MAIN, payloads, encrypt, expectReply);
  }

  /** Sends a main- or aggressive-mode message. */
  sendPhase1(
    sa: IsakmpSa,
    exchangeType: number,
    payloads: IsakmpPayloadInput[],
    encrypt: boolean,
    expectReply: boolean,
  ): void {
    const { firstPayload, bytes } = emitIsakmpPayloads(payloads);
    const body = encrypt ? sa.encryptMain(bytes) : bytes;
    const msg = emitIsakmp(
      {
        initiatorCookie: sa.ckyI,
        responderCookie: sa.ckyR,
        exchangeType,
        flags: encrypt ? ISAKMP_FLAG.ENCRYPTION : 0,
        messageId: 0,
      },
      body,
      firstPayload,
    );
    sa.lastSent = msg;
    sa.retransmits = 0;
    this.host.debugIsakmp(
      () =>
        `ISAKMP:${sa.tag}: sending packet to ${ip(sa.peer)} my_port ${sa.natT.localPort} peer_port ${sa.natT.peerPort} (${sa.role}) ${sa.state}`,
    );
    this.host.debugIsakmp(() => `ISAKMP:${sa.tag}:Sending an IKE IPv4 Packet.`);
    this.transmit(sa, msg);
    this.stopRetransmit(sa);
    if (expectReply) this.armRetransmit(sa);
  }

  private armRetransmit(sa: IsakmpSa): void {
    sa.retransmitTimer = this.host.after(retransmitWaitNs(sa.retransmits), "isakmp-retransmit", () => {
      sa.retransmitTimer = null;
      if (sa.deleted || sa.lastSent === null) return;
      if (sa.retransmits >= MAX_RETRANSMITS) {
        this.deleteSa(sa, "retransmissions-exhausted");
        return;
      }
      sa.retransmits++;
      this.host.debugIsakmp(() => `ISAKMP:${sa.tag}: retransmitting phase 1 ${sa.state}...`);
      this.host.debugIsakmp(
        () =>
          `ISAKMP (${sa.shownConnId}): incrementing error counter on sa, attempt ${sa.retransmits} of ${MAX_RETRANSMITS}: retransmit phase 1`,
      );
      this.host.debugIsakmp(() => `ISAKMP:${sa.tag}: retransmitting phase 1 ${sa.state}`);
      this.transmit(sa, sa.lastSent);
      this.armRetransmit(sa);
    });
  }

  stopRetransmit(sa: IsakmpSa): void {
    sa.retransmitTimer?.cancel();
    sa.retransmitTimer = null;
  }

  /** Sends an encrypted message of an exchange after phase 1; `qm` set arms its retransmission. */
  sendExchange(
    sa: IsakmpSa,
    exchangeType: number,
    messageId: number,
    payloads: IsakmpPayloadInput[],
    qm: QuickModeExchange | null,
  ): void {
    const { firstPayload, bytes } = emitIsakmpPayloads(payloads);
    const body = sa.encryptExchange(messageId, bytes);
    const msg = emitIsakmp(
      { initiatorCookie: sa.ckyI, responderCookie: sa.ckyR, exchangeType, flags: ISAKMP_FLAG.ENCRYPTION, messageId },
      body,
      firstPayload,
    );
    this.host.debugIsakmp(
      () =>
        `ISAKMP:${sa.tag}: sending packet to ${ip(sa.peer)} my_port ${sa.natT.localPort} peer_port ${sa.natT.peerPort} (${sa.role}) ${sa.state}`,
    );
    this.transmit(sa, msg);
    if (qm !== null) {
      qm.lastSent = msg;
      qm.retransmits = 0;
      this.armQmRetransmit(sa, qm);
    }
  }

  private armQmRetransmit(sa: IsakmpSa, qm: QuickModeExchange): void {
    this.stopQmRetransmit(qm);
    qm.timer = this.host.after(retransmitWaitNs(qm.retransmits), "isakmp-qm-retransmit", () => {
      qm.timer = undefined;
      if (sa.deleted || !sa.quickModes.has(qm.messageId) || qm.lastSent === undefined) return;
      if (qm.retransmits >= MAX_RETRANSMITS) {
        this.host.debugIsakmp(
          () => `ISAKMP:${sa.tag}:deleting node ${qm.messageId} error TRUE reason "Death by retransmission P2"`,
        );
        sa.quickModes.delete(qm.messageId);
        sa.endExchange(qm.messageId);
        return;
      }
      qm.retransmits++;
      this.host.debugIsakmp(() => `ISAKMP:${sa.tag}: retransmitting phase 2 QM_IDLE       ${qm.messageId} ...`);
      this.transmit(sa, qm.lastSent);
      this.armQmRetransmit(sa, qm);
    });
  }

  stopQmRetransmit(qm: QuickModeExchange): void {
    qm.timer?.cancel();
    qm.timer = undefined;
  }

  /** Sends an encrypted message of an exchange after phase 1 whose payloads the caller chained (GROUPKEY-PULL). */
  sendEncrypted(
    sa: IsakmpSa,
    exchangeType: number,
    messageId: number,
    firstPayload: number,
    plain: Uint8Array,
  ): Uint8Array {
    const body = sa.encryptExchange(messageId, plain);
    const msg = emitIsakmp(
      { initiatorCookie: sa.ckyI, responderCookie: sa.ckyR, exchangeType, flags: ISAKMP_FLAG.ENCRYPTION, messageId },
      body,
      firstPayload,
    );
    this.transmit(sa, msg);
    return msg;
  }

  /** Sends a GDOI message outside any ISAKMP SA (GROUPKEY-PUSH), UDP 848 to 848. */
  sendGdoiDatagram(src: number, dst: number, isakmp: Uint8Array): void {
    const payload = emitUdp({ srcPort: GDOI_PORT, dstPort: GDOI_PORT, payload: isakmp }, { src, dst });
    this.host.net.send({ dst, src, protocol: IP_PROTO_UDP, payload, bypassCrypto: true });
  }

  /** Sends a message again as it was (a retransmission). */
  retransmit(sa: IsakmpSa, msg: Uint8Array): void {
    this.transmit(sa, msg);
  }

  private transmit(sa: IsakmpSa, isakmp: Uint8Array): void {
    const { localPort, peerPort } = sa.natT;
    // Once floated to 4500, IKE goes behind the non-ESP marker so the peer tells it from ESP.
    this.sendUdp(sa, localPort === ISAKMP_NATT_PORT ? encapIsakmp4500(isakmp) : isakmp, localPort, peerPort);
  }

  /** A NAT keepalive (one byte 0xff) to the peer's NAT-T port. */
  sendNatKeepalive(sa: IsakmpSa): void {
    this.sendUdp(sa, natKeepalive(), ISAKMP_NATT_PORT, sa.natT.peerPort);
  }

  private sendUdp(sa: IsakmpSa, data: Uint8Array, srcPort: number, dstPort: number): void {
    const payload = emitUdp({ srcPort, dstPort, payload: data }, { src: sa.local, dst: sa.peer });
    this.host.net.send({ dst: sa.peer, src: sa.local, protocol: IP_PROTO_UDP, payload, bypassCrypto: true });
  }

  badMessage(peer: number, detail: string): void {
    this.host.debugIsakmp(() => `ISAKMP: ${detail}`);
    this.host.log(`%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from ${ip(peer)} failed its sanity check or is malformed`);
  }

  setState(sa: IsakmpSa, state: IsakmpSa["state"], from: string, to: string): void {
    sa.state = state;
    this.host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = ${from}  New State = ${to} `);
  }

  newMessageId(sa: IsakmpSa): number {
    for (;;) {
      const id = this.host.randomBytes(4).reduce((a, b) => (a * 256 + b) >>> 0, 0);
      if (id !== 0 && !sa.quickModes.has(id)) return id;
    }
  }

  /** A fresh SPI (never below 256, which RFC 4303 reserves). */
  newSpi(): number {
    for (;;) {
      const spi = this.host.randomBytes(4).reduce((a, b) => (a * 256 + b) >>> 0, 0);
      if (spi >= 256 && this.host.dataplane.findSpi(spi) === undefined) return spi;
    }
  }
}

/** The key of a phase-1 SA in the cookie index: the peer and the initiator cookie. */
function cookieKey(peer: number, ckyI: Uint8Array): string {
  return `${peer}/${keyHex(ckyI)}`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function removeFrom<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) return;
  const i = list.indexOf(value);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) map.delete(key);
}
