// The IKEv1 daemon of one router: ISAKMP on UDP 500, main mode (six
// messages, pre-shared keys), quick mode (three messages, optional PFS) and
// informational exchanges (notify, delete), driven by SA requests from the
// crypto-map data plane and by packets from peers, on the virtual clock
// (retransmission every 10 s, five times, as IOS does; SA lifetimes). Debug
// lines follow IOS's `debug crypto isakmp` / `debug crypto ipsec` wording.

import type { TimeNs } from "../../../runtime/device.ts";
import { toHex, type CryptoKeyRecord } from "../../../capture/crypto-keys.ts";
import type { TimerHandle } from "../../../runtime/device-timers.ts";
import type { AccessList } from "../../../dataplane/acl.ts";
import type { IpStack, LocalDatagram } from "../../../dataplane/pipeline/ip-stack.ts";
import type { RouterInterface } from "../../../dataplane/pipeline/router-interface.ts";
import { CryptoMapDataplane, hexSpi } from "../../../dataplane/ipsec/crypto-map-dataplane.ts";
import type { NegotiatedSa, SaRequest } from "../../../dataplane/ipsec/ipsec-sa.ts";
import { formatProxyId, proxiesFromAce, proxyWithin, type ProxyId } from "../../../dataplane/ipsec/proxy-id.ts";
import { IP_PROTO_UDP } from "../../../wire/ipv4.ts";
import { formatIpv4Address, readIpv4 } from "../../../wire/ipv4-address.ts";
import { emitUdp, parseUdp } from "../../../wire/udp.ts";
import {
  emitIsakmp, emitIsakmpPayloads, emitPayloadBody, findPayload, parseIsakmp, parseIsakmpPayloads,
  type IsakmpHeader, type IsakmpPayload, type IsakmpPayloadInput, type IsakmpProposal,
} from "../../../wire/isakmp.ts";
import {
  DOI_IPSEC, ID_TYPE, ISAKMP_EXCHANGE, ISAKMP_FLAG, ISAKMP_PAYLOAD, NOTIFY, PROTO, SIT_IDENTITY_ONLY, VID_DPD, VID_NAT_T_RFC3947,
} from "../../../wire/isakmp-constants.ts";
import { cbcAlgorithmOf, hashAlgorithmOf, type CryptoConfig, type CryptoMapEntry, type IsakmpPolicy, type TransformSet } from "../../ipsec/crypto-config.ts";
import { dhKeyPair, dhSharedSecret } from "../dh.ts";
import type { DhGroup } from "../dh-groups.ts";
import {
  deriveSkeyids, hashI, hashR, informationalHash, keymat, phase1EncryptionKey, phase1Iv, quickModeHash1, quickModeHash2,
  quickModeHash3, skeyidPsk, splitKeymat, type IkeHash,
} from "../v1-keys.ts";
import { ikeCipherBlockSize, ikeCipherKeyBytes, type IkeCipher } from "../v1-cipher.ts";
import { choosePolicy, decodeTransform, policyFromOffer, policyTransforms, u32Bytes } from "./phase1-policy.ts";
import { decodeProposal, describeProposal, keyLengths, offerMatches, transformSetProposal, transformText, type Phase2Offer } from "./phase2-proposal.ts";
import { IsakmpSa, type QuickModeExchange } from "./isakmp-sa.ts";
import { DeadPeerDetection } from "./dpd.ts";

/** What the IKE daemon needs from its router. */
export interface IkeHost {
  readonly hostname: string;
  readonly crypto: CryptoConfig;
  readonly stack: IpStack;
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

const SEC = 1_000_000_000;
/** IOS retransmits an unanswered IKE message every 10 s... */
const RETRANSMIT_NS = 10 * SEC;
/** ...five times before it gives up ("Death by retransmission"). */
const MAX_RETRANSMITS = 5;
/** A deleted SA stays in `show crypto isakmp sa` as `ACTIVE (deleted)` for this long. */
const DELETED_PURGE_NS = 30 * SEC;
const NONCE_LENGTH = 20;
const ZERO_COOKIE = new Uint8Array(8);

/** The IKEv1 daemon. */
export class IkeV1Engine {
  private readonly sas: IsakmpSa[] = [];
  private nextConnId = 1001;

  constructor(private readonly host: IkeHost) {
    host.stack.udpPorts.add(500);
    host.stack.onLocalDelivery((d) => this.onDatagram(d));
  }

  /** Phase-1 SAs for show commands (oldest first). */
  isakmpSas(): readonly IsakmpSa[] {
    return this.sas;
  }

  // ---- requests from the data plane -----------------------------------------------

  /** Interesting traffic without an SA: start (or join) a negotiation for its flow. */
  requestSa(req: SaRequest): void {
    for (const sa of this.sas) {
      if (sa.deleted || sa.peer !== req.peer) continue;
      if ([...sa.quickModes.values()].some((q) => q.role === "I" && sameFlow(q.request, req))) return;
      if (sa.waiting.some((w) => sameFlow(w, req))) return;
    }
    const ready = this.sas.find((s) => !s.deleted && s.peer === req.peer && s.state === "QM_IDLE");
    if (ready !== undefined) return this.startQuickMode(ready, req);
    const pending = this.sas.find((s) => !s.deleted && s.peer === req.peer && s.role === "I");
    if (pending !== undefined) {
      pending.waiting.push(req);
      return;
    }
    this.startMainMode(req);
  }

  // ---- main mode, initiator -------------------------------------------------------

  private startMainMode(req: SaRequest): void {
    const host = this.host;
    const tag = "(0)";
    const peerConfig = host.crypto.isakmpPeers.get(req.peer);
    if (peerConfig?.aggressivePassword !== undefined) return this.startAggressiveMode(req, peerConfig.aggressivePassword, peerConfig.aggressiveClientEndpoint);
    host.debugIsakmp(() => `ISAKMP:${tag}: SA request profile is (NULL)`);
    host.debugIsakmp(() => `ISAKMP: Created a peer struct for ${ip(req.peer)}, peer port 500`);
    const key = host.crypto.keyFor(req.peer);
    const policies = this.usablePolicies(key !== undefined);
    if (key !== undefined) host.debugIsakmp(() => `ISAKMP:${tag}:found peer pre-shared key matching ${ip(req.peer)}`);
    if (policies.length === 0) {
      host.debugIsakmp(() => `ISAKMP:${tag}: No Cert or pre-shared address key.`);
      host.debugIsakmp(() => `ISAKMP:${tag}: construct_initial_message: Can not start Main mode`);
      return;
    }
    const sa = new IsakmpSa(this.nextConnId++, "I", host.randomBytes(8), new Uint8Array(8), req.local, req.peer, host.now());
    sa.waiting.push(req);
    this.sas.push(sa);
    const saPayload: IsakmpPayloadInput = {
      type: "sa", doi: DOI_IPSEC, situation: SIT_IDENTITY_ONLY,
      proposals: [{ number: 1, protocolId: PROTO.ISAKMP, spi: new Uint8Array(0), transforms: policyTransforms(policies) }],
    };
    sa.saiB = emitPayloadBody(saPayload);
    (sa as IsakmpSaWithOffer).offered = policies;
    host.debugIsakmp(() => `ISAKMP:${tag}:Input = IKE_MESG_FROM_IPSEC, IKE_SA_REQ_MM`);
    host.debugIsakmp(() => `ISAKMP:${tag}:Old State = IKE_READY  New State = IKE_I_MM1 `);
    host.debugIsakmp(() => `ISAKMP:${tag}: beginning Main Mode exchange`);
    this.sendMain(sa, [saPayload, vid(VID_DPD), vid(VID_NAT_T_RFC3947)], false);
  }

  /** Policies this router can negotiate: pre-share ones when a key exists (RSA signatures are not built yet). */
  private usablePolicies(haveKey: boolean): IsakmpPolicy[] {
    return this.host.crypto.effectivePolicies().filter((p) => p.authentication === "pre-share" && haveKey);
  }

  // ---- packets from peers ---------------------------------------------------------

  private onDatagram(d: LocalDatagram): void {
    if (d.header.protocol !== IP_PROTO_UDP) return;
    const udp = parseUdp(d.header.payload);
    if (!udp.ok || udp.value.dstPort !== 500) return;
    const parsed = parseIsakmp(udp.value.payload);
    const src = d.header.src;
    const dst = d.header.dst;
    if (!parsed.ok) {
      this.host.log(`%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from ${ip(src)} failed its sanity check or is malformed`);
      return;
    }
    const { header, body } = parsed.value;
    const bytes = udp.value.payload;
    let sa = this.sas.find((s) => s.peer === src && equalBytes(s.ckyI, header.initiatorCookie) && !s.deleted);
    if (sa === undefined) {
      if (header.exchangeType === ISAKMP_EXCHANGE.MAIN && isZero(header.responderCookie)) {
        this.responderMm1(src, dst, header, body, bytes);
        return;
      }
      if (header.exchangeType === ISAKMP_EXCHANGE.AGGRESSIVE && isZero(header.responderCookie)) {
        this.responderAm1(src, dst, header, body, bytes);
        return;
      }
      if (header.exchangeType === ISAKMP_EXCHANGE.INFORMATIONAL && (header.flags & ISAKMP_FLAG.ENCRYPTION) === 0) {
        // An unprotected notify about an SA we no longer hold: nothing to do.
        return;
      }
      this.host.log(`%CRYPTO-4-IKMP_NO_SA: IKE message from ${ip(src)} has no SA and is not an initialization offer`);
      return;
    }
    this.host.debugIsakmp(() => `ISAKMP (${sa!.shownConnId}): received packet from ${ip(src)} dport 500 sport 500 Global (${sa!.role}) ${sa!.state}`);
    if (sa.lastReceived !== null && equalBytes(sa.lastReceived, bytes) && (header.exchangeType === ISAKMP_EXCHANGE.MAIN || header.exchangeType === ISAKMP_EXCHANGE.AGGRESSIVE)) {
      this.host.debugIsakmp(() => `ISAKMP:${sa!.tag}: phase 1 packet is a duplicate of a previous packet.`);
      if (sa.lastSent !== null && sa.role === "R") {
        this.host.debugIsakmp(() => `ISAKMP:${sa!.tag}: retransmitting due to retransmit phase 1`);
        this.transmit(sa, sa.lastSent);
      }
      return;
    }
    switch (header.exchangeType) {
      case ISAKMP_EXCHANGE.MAIN: return this.mainMode(sa, header, body, bytes);
      case ISAKMP_EXCHANGE.AGGRESSIVE:
        if (sa.role === "I" && sa.state === "AG_INIT_EXCH") return this.initiatorAm2(sa, header, body, bytes);
        if (sa.role === "R" && sa.state === "AG_INIT_EXCH") return this.responderAm3(sa, header, body, bytes);
        return;
      case ISAKMP_EXCHANGE.QUICK: return this.quickMode(sa, header, body);
      case ISAKMP_EXCHANGE.INFORMATIONAL: return this.informational(sa, header, body);
      default:
        this.host.debugIsakmp(() => `ISAKMP:${sa!.tag}: unknown exchange type ${header.exchangeType}`);
    }
  }

  private mainMode(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    if (sa.role === "I" && sa.state === "MM_NO_STATE") return this.initiatorMm2(sa, header, body, bytes);
    if (sa.role === "R" && sa.state === "MM_SA_SETUP") return this.responderMm3(sa, header, body, bytes);
    if (sa.role === "I" && sa.state === "MM_SA_SETUP") return this.initiatorMm4(sa, header, body, bytes);
    if (sa.role === "R" && sa.state === "MM_KEY_EXCH") return this.responderMm5(sa, header, body, bytes);
    if (sa.role === "I" && sa.state === "MM_KEY_EXCH") return this.initiatorMm6(sa, header, body, bytes);
    this.host.debugIsakmp(() => `ISAKMP:${sa.tag}: main mode message in state ${sa.state} ignored`);
  }

  // ---- main mode, message by message --------------------------------------------

  private responderMm1(src: number, dst: number, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.host;
    const payloads = parseIsakmpPayloads(header.nextPayload, body);
    host.debugIsakmp(() => `ISAKMP (0): received packet from ${ip(src)} dport 500 sport 500 Global (N) NEW SA`);
    host.debugIsakmp(() => `ISAKMP: Created a peer struct for ${ip(src)}, peer port 500`);
    if (!payloads.ok) return this.badMessage(src, payloads.error.detail);
    const saP = findPayload(payloads.value, "sa");
    if (saP === undefined || saP.proposals.length === 0) return this.badMessage(src, "no SA payload");
    const sa = new IsakmpSa(this.nextConnId++, "R", header.initiatorCookie.slice(), host.randomBytes(8), dst, src, host.now());
    sa.lastReceived = bytes.slice();
    const key = host.crypto.keyFor(src);
    if (key !== undefined) host.debugIsakmp(() => `ISAKMP:(0):found peer pre-shared key matching ${ip(src)}`);
    sa.peerDpd = payloads.value.some((p) => p.type === "vendorId" && equalBytes(p.data, VID_DPD));
    host.debugIsakmp(() => "ISAKMP:(0):Input = IKE_MESG_FROM_PEER, IKE_MM_EXCH");
    host.debugIsakmp(() => "ISAKMP:(0):Old State = IKE_READY  New State = IKE_R_MM1 ");
    host.debugIsakmp(() => "ISAKMP:(0): processing SA payload. message ID = 0");
    const proposal = saP.proposals[0]!;
    const choice = choosePolicy(this.usablePoliciesForResponder(), proposal.transforms, key !== undefined, "(0)");
    for (const line of choice.debug) host.debugIsakmp(() => line);
    if (choice.accepted === null) {
      host.debugIsakmp(() => `ISAKMP:(0): phase 1 SA policy not acceptable! (local ${ip(dst)} remote ${ip(src)})`);
      host.debugIsakmp(() => "ISAKMP:(0): incrementing error counter on sa, attempt 1 of 5: construct_fail_ag_init");
      this.sendPlainNotify(sa, NOTIFY.NO_PROPOSAL_CHOSEN);
      host.debugIsakmp(() => `ISAKMP:(0):deleting SA reason "Phase1 SA policy proposal not accepted" state (R) MM_NO_STATE (peer ${ip(src)})`);
      return;
    }
    const offer = decodeTransform(choice.accepted.transform);
    const policy = policyFromOffer(offer, choice.accepted.lifetimeSec)!;
    this.setPolicy(sa, policy);
    sa.saiB = saP.body.slice();
    this.sas.push(sa);
    host.debugIsakmp(() => `ISAKMP:(0):Acceptable atts:actual life: 0`);
    host.debugIsakmp(() => `ISAKMP:(0):Acceptable atts:life: 0`);
    host.debugIsakmp(() => `ISAKMP:(0):Fill atts in sa vpi_length:4`);
    host.debugIsakmp(() => `ISAKMP:(0):Fill atts in sa life_in_seconds:${policy.lifetimeSec}`);
    const reply: IsakmpPayloadInput = {
      type: "sa", doi: DOI_IPSEC, situation: SIT_IDENTITY_ONLY,
      proposals: [{ number: proposal.number, protocolId: PROTO.ISAKMP, spi: new Uint8Array(0), transforms: [choice.accepted.transform] }],
    };
    this.setState(sa, "MM_SA_SETUP", "IKE_R_MM1", "IKE_R_MM2");
    this.sendMain(sa, [reply, vid(VID_DPD), vid(VID_NAT_T_RFC3947)], false);
  }

  private usablePoliciesForResponder(): IsakmpPolicy[] {
    // The responder checks every policy; pre-share ones are skipped later when the peer has no key.
    return this.host.crypto.effectivePolicies();
  }

  private initiatorMm2(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.host;
    const payloads = parseIsakmpPayloads(header.nextPayload, body);
    if (!payloads.ok) return this.badMessage(sa.peer, payloads.error.detail);
    const saP = findPayload(payloads.value, "sa");
    const t = saP?.proposals[0]?.transforms[0];
    const offered = (sa as IsakmpSaWithOffer).offered ?? [];
    const chosen = t === undefined ? undefined : offered[t.number - 1];
    if (chosen === undefined) return this.badMessage(sa.peer, "responder chose a transform we did not offer");
    sa.ckyR = header.responderCookie.slice();
    sa.lastReceived = bytes.slice();
    this.stopRetransmit(sa);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Input = IKE_MESG_FROM_PEER, IKE_MM_EXCH`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_I_MM1  New State = IKE_I_MM2 `);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing SA payload. message ID = 0`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Checking ISAKMP transform ${t!.number} against priority ${chosen.priority} policy`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:atts are acceptable. Next payload is 0`);
    sa.peerDpd = payloads.value.some((p) => p.type === "vendorId" && equalBytes(p.data, VID_DPD));
    const offer = decodeTransform(t!);
    this.setPolicy(sa, { ...chosen, lifetimeSec: Math.min(chosen.lifetimeSec, offer.lifetimeSec ?? chosen.lifetimeSec) });
    const dh = dhKeyPair(sa.policy!.group as DhGroup, (n) => host.randomBytes(n));
    sa.dh = { group: sa.policy!.group as DhGroup, privateKey: dh.privateKey, publicKey: dh.publicKey };
    sa.gxi = dh.publicKey;
    sa.niB = host.randomBytes(NONCE_LENGTH);
    this.setState(sa, "MM_SA_SETUP", "IKE_I_MM2", "IKE_I_MM3");
    this.sendMain(sa, [{ type: "ke", data: sa.gxi }, { type: "nonce", data: sa.niB }], false);
  }

  private responderMm3(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.host;
    const payloads = parseIsakmpPayloads(header.nextPayload, body);
    if (!payloads.ok) return this.badMessage(sa.peer, payloads.error.detail);
    const ke = findPayload(payloads.value, "ke");
    const nonce = findPayload(payloads.value, "nonce");
    if (ke === undefined || nonce === undefined) return this.badMessage(sa.peer, "KE or NONCE missing");
    this.stopRetransmit(sa);
    sa.lastReceived = bytes.slice();
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing KE payload. message ID = 0`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing NONCE payload. message ID = 0`);
    const dh = dhKeyPair(sa.policy!.group as DhGroup, (n) => host.randomBytes(n));
    sa.dh = { group: sa.policy!.group as DhGroup, privateKey: dh.privateKey, publicKey: dh.publicKey };
    sa.gxi = ke.data.slice();
    sa.gxr = dh.publicKey;
    sa.niB = nonce.data.slice();
    sa.nrB = host.randomBytes(NONCE_LENGTH);
    if (!this.deriveKeys(sa)) return this.badMessage(sa.peer, "invalid KE");
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SKEYID state generated`);
    this.setState(sa, "MM_KEY_EXCH", "IKE_R_MM3", "IKE_R_MM4");
    this.sendMain(sa, [{ type: "ke", data: sa.gxr }, { type: "nonce", data: sa.nrB }], false);
  }

  private initiatorMm4(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.host;
    const payloads = parseIsakmpPayloads(header.nextPayload, body);
    if (!payloads.ok) return this.badMessage(sa.peer, payloads.error.detail);
    const ke = findPayload(payloads.value, "ke");
    const nonce = findPayload(payloads.value, "nonce");
    if (ke === undefined || nonce === undefined) return this.badMessage(sa.peer, "KE or NONCE missing");
    this.stopRetransmit(sa);
    sa.lastReceived = bytes.slice();
    sa.gxr = ke.data.slice();
    sa.nrB = nonce.data.slice();
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing KE payload. message ID = 0`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing NONCE payload. message ID = 0`);
    if (!this.deriveKeys(sa)) return this.badMessage(sa.peer, "invalid KE");
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SKEYID state generated`);
    const id = this.phase1Id(sa.local);
    const idB = emitPayloadBody(id);
    const hash = hashI(sa.hash!, sa.keys!.skeyid, sa.gxi!, sa.gxr!, sa.ckyI, sa.ckyR, sa.saiB!, idB);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_I_MM4  New State = IKE_I_MM5 `);
    sa.state = "MM_KEY_EXCH";
    this.sendMain(sa, [id, { type: "hash", data: hash }, {
      type: "notify", doi: DOI_IPSEC, protocolId: PROTO.ISAKMP, spi: concat(sa.ckyI, sa.ckyR), messageType: NOTIFY.INITIAL_CONTACT, data: new Uint8Array(0),
    }], true);
  }

  private responderMm5(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.host;
    if ((header.flags & ISAKMP_FLAG.ENCRYPTION) === 0) {
      host.log(`%CRYPTO-6-IKMP_NOT_ENCRYPTED: IKE packet from ${ip(sa.peer)} was not encrypted and it should've been.`);
      return;
    }
    const saved = sa.iv;
    const plain = sa.decryptMain(body);
    const payloads = plain === null ? null : parseIsakmpPayloads(header.nextPayload, plain);
    const id = payloads?.ok ? findPayload(payloads.value, "id") : undefined;
    const hash = payloads?.ok ? findPayload(payloads.value, "hash") : undefined;
    if (payloads === null || !payloads.ok || id === undefined || hash === undefined) {
      // A wrong pre-shared key gives a wrong SKEYID_e: the message decrypts to garbage.
      sa.iv = saved;
      if (payloads !== null && !payloads.ok) host.debugIsakmp(() => `ISAKMP: ${payloads.error.detail}`);
      return this.badMessage(sa.peer, "phase 1 message 5 does not decrypt to valid payloads");
    }
    sa.lastReceived = bytes.slice();
    this.stopRetransmit(sa);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing ID payload. message ID = 0`);
    host.debugIsakmp(() => `ISAKMP (${sa.shownConnId}): ID payload \n\tnext-payload : 8\n\ttype         : ${id.idType}\n\taddress      : ${ip(readIpv4(id.data, 0))}\n\tprotocol     : ${id.protocolId}\n\tport         : ${id.port}\n\tlength       : ${4 + id.body.length}`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing HASH payload. message ID = 0`);
    const expected = hashI(sa.hash!, sa.keys!.skeyid, sa.gxi!, sa.gxr!, sa.ckyI, sa.ckyR, sa.saiB!, id.body);
    if (!equalBytes(expected, hash.data)) {
      host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tnot authenticated`);
      host.log(`%CRYPTO-4-IKMP_HASH_FAIL: IKE message from ${ip(sa.peer)} failed hash verification`);
      return;
    }
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tauthenticated`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA has been authenticated with ${ip(sa.peer)}`);
    const myId = this.phase1Id(sa.local);
    const hr = hashR(sa.hash!, sa.keys!.skeyid, sa.gxr!, sa.gxi!, sa.ckyR, sa.ckyI, sa.saiB!, emitPayloadBody(myId));
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_R_MM5  New State = IKE_P1_COMPLETE`);
    this.sendMain(sa, [myId, { type: "hash", data: hr }], true, false);
    this.phase1Complete(sa);
  }

  private initiatorMm6(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.host;
    const saved = sa.iv;
    const plain = (header.flags & ISAKMP_FLAG.ENCRYPTION) === 0 ? null : sa.decryptMain(body);
    const payloads = plain === null ? null : parseIsakmpPayloads(header.nextPayload, plain);
    const id = payloads?.ok ? findPayload(payloads.value, "id") : undefined;
    const hash = payloads?.ok ? findPayload(payloads.value, "hash") : undefined;
    if (payloads === null || !payloads.ok || id === undefined || hash === undefined) {
      sa.iv = saved;
      return this.badMessage(sa.peer, "phase 1 message 6 does not decrypt to valid payloads");
    }
    const expected = hashR(sa.hash!, sa.keys!.skeyid, sa.gxr!, sa.gxi!, sa.ckyR, sa.ckyI, sa.saiB!, id.body);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing ID payload. message ID = 0`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing HASH payload. message ID = 0`);
    if (!equalBytes(expected, hash.data)) {
      host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tnot authenticated`);
      return;
    }
    sa.lastReceived = bytes.slice();
    this.stopRetransmit(sa);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tauthenticated`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA has been authenticated with ${ip(sa.peer)}`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Input = IKE_MESG_FROM_PEER, IKE_MM_EXCH`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_I_MM6  New State = IKE_P1_COMPLETE`);
    this.phase1Complete(sa);
  }

  private phase1Complete(sa: IsakmpSa): void {
    sa.state = "QM_IDLE";
    sa.lastPhase1Block = sa.iv!.slice();
    sa.establishedAt = this.host.now();
    sa.lifetimeTimer = this.host.after(sa.lifetimeSec * SEC, "isakmp-lifetime", () => this.deleteSa(sa, "Lifetime expired", true));
    this.host.debugIsakmp(() => `ISAKMP:${sa.tag}:Input = IKE_MESG_INTERNAL, IKE_PROCESS_COMPLETE`);
    this.host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_P1_COMPLETE  New State = IKE_P1_COMPLETE`);
    this.startDpd(sa);
    const waiting = sa.waiting.splice(0);
    for (const req of waiting) this.startQuickMode(sa, req);
  }

  /** DPD when `crypto isakmp keepalive` is set and the peer sent the DPD vendor ID. */
  private startDpd(sa: IsakmpSa): void {
    const keepalive = this.host.crypto.keepalive;
    if (keepalive === null || !sa.peerDpd) return;
    const host = this.host;
    sa.dpd = new DeadPeerDetection(keepalive, {
      after: (delayNs, name, fn) => host.after(delayNs, name, fn),
      sendRuThere: (sequence) => {
        host.debugIsakmp(() => `ISAKMP:${sa.tag}:DPD/R_U_THERE sequence 0x${sequence.toString(16)} sent to ${ip(sa.peer)}`);
        this.sendInformational(sa, [this.dpdNotify(sa, NOTIFY.R_U_THERE, sequence)]);
      },
      activity: () => host.dataplane.peerActivity(sa.peer),
      peerDead: () => {
        host.debugIsakmp(() => `ISAKMP:${sa.tag}:peer ${ip(sa.peer)} is dead`);
        this.deleteSa(sa, "Peer dead", false);
        host.dataplane.clear((flow) => flow.request.peer === sa.peer);
      },
      debug: (line) => host.debugIsakmp(() => `ISAKMP:${sa.tag}:${line()}`),
    }, host.randomBytes(4).reduce((a, b) => (a * 256 + b) >>> 0, 0) & 0x7fffffff);
  }

  private dpdNotify(sa: IsakmpSa, type: number, sequence: number): IsakmpPayloadInput {
    return { type: "notify", doi: DOI_IPSEC, protocolId: PROTO.ISAKMP, spi: concat(sa.ckyI, sa.ckyR), messageType: type, data: u32Bytes(sequence) };
  }

  private setPolicy(sa: IsakmpSa, policy: IsakmpPolicy): void {
    sa.policy = policy;
    sa.lifetimeSec = policy.lifetimeSec;
    sa.hash = hashAlgorithmOf(policy.hash) as IkeHash;
    sa.cipher = ikeCipherOf(policy);
  }

  /** SKEYID and friends from the pre-shared key, the nonces and g^xy; false when the peer's KE is invalid. */
  private deriveKeys(sa: IsakmpSa): boolean {
    const peerPublic = sa.role === "I" ? sa.gxr! : sa.gxi!;
    const gxy = dhSharedSecret(sa.dh!.group, sa.dh!.privateKey, peerPublic);
    if (gxy === null) return false;
    sa.gxy = gxy;
    const psk = new TextEncoder().encode(sa.psk ?? this.host.crypto.keyFor(sa.peer)?.key ?? "");
    const skeyid = skeyidPsk(sa.hash!, psk, sa.niB!, sa.nrB!);
    const ids = deriveSkeyids(sa.hash!, skeyid, gxy, sa.ckyI, sa.ckyR);
    const cipherKey = phase1EncryptionKey(sa.hash!, ids.e, ikeCipherKeyBytes(sa.cipher!));
    sa.keys = { skeyid, d: ids.d, a: ids.a, e: ids.e, cipherKey };
    sa.iv = phase1Iv(sa.hash!, sa.gxi!, sa.gxr!, ikeCipherBlockSize(sa.cipher!));
    if (sa.role === "I") this.host.exportKeys({ kind: "ikev1", initiatorCookie: toHex(sa.ckyI), encryptionKey: toHex(cipherKey) });
    return true;
  }

  private phase1Id(local: number): IsakmpPayloadInput {
    return { type: "id", idType: ID_TYPE.IPV4_ADDR, protocolId: IP_PROTO_UDP, port: 500, data: u32Bytes(local) };
  }

  // ---- aggressive mode ---------------------------------------------------------------

  /** Aggressive mode (RFC 2409 5.4): SA, KE, nonce and identity in one message; one DH group for every offer. */
  private startAggressiveMode(req: SaRequest, password: string, clientEndpoint: number | undefined): void {
    const host = this.host;
    const all = this.usablePolicies(true);
    if (all.length === 0) {
      host.debugIsakmp(() => "ISAKMP:(0): construct_initial_message: Can not start Aggressive mode");
      return;
    }
    const group = all[0]!.group;
    const policies = all.filter((p) => p.group === group);
    const sa = new IsakmpSa(this.nextConnId++, "I", host.randomBytes(8), new Uint8Array(8), req.local, req.peer, host.now());
    sa.aggressive = true;
    sa.psk = password;
    sa.waiting.push(req);
    this.sas.push(sa);
    const saPayload: IsakmpPayloadInput = {
      type: "sa", doi: DOI_IPSEC, situation: SIT_IDENTITY_ONLY,
      proposals: [{ number: 1, protocolId: PROTO.ISAKMP, spi: new Uint8Array(0), transforms: policyTransforms(policies) }],
    };
    sa.saiB = emitPayloadBody(saPayload);
    (sa as IsakmpSaWithOffer).offered = policies;
    const dh = dhKeyPair(group as DhGroup, (n) => host.randomBytes(n));
    sa.dh = { group: group as DhGroup, privateKey: dh.privateKey, publicKey: dh.publicKey };
    sa.gxi = dh.publicKey;
    sa.niB = host.randomBytes(NONCE_LENGTH);
    const id = this.phase1Id(clientEndpoint ?? req.local);
    sa.idiiB = emitPayloadBody(id);
    host.debugIsakmp(() => `ISAKMP:(0):SA is doing pre-shared key authentication using id type ID_IPV4_ADDR`);
    host.debugIsakmp(() => `ISAKMP:(0):Input = IKE_MESG_FROM_IPSEC, IKE_SA_REQ_AM`);
    host.debugIsakmp(() => `ISAKMP:(0):Old State = IKE_READY  New State = IKE_I_AM1`);
    host.debugIsakmp(() => `ISAKMP:(0): beginning Aggressive Mode exchange`);
    sa.state = "AG_INIT_EXCH";
    this.sendPhase1(sa, ISAKMP_EXCHANGE.AGGRESSIVE, [saPayload, { type: "ke", data: sa.gxi }, { type: "nonce", data: sa.niB }, id, vid(VID_DPD), vid(VID_NAT_T_RFC3947)], false, true);
  }

  private responderAm1(src: number, dst: number, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.host;
    host.debugIsakmp(() => `ISAKMP (0): received packet from ${ip(src)} dport 500 sport 500 Global (N) NEW SA`);
    if (host.crypto.aggressiveModeDisabled) {
      host.debugIsakmp(() => `ISAKMP:(0): Aggressive mode is disabled: ignoring the offer from ${ip(src)}`);
      return;
    }
    const payloads = parseIsakmpPayloads(header.nextPayload, body);
    if (!payloads.ok) return this.badMessage(src, payloads.error.detail);
    const saP = findPayload(payloads.value, "sa");
    const ke = findPayload(payloads.value, "ke");
    const nonce = findPayload(payloads.value, "nonce");
    const idP = findPayload(payloads.value, "id");
    if (saP === undefined || saP.proposals.length === 0 || ke === undefined || nonce === undefined || idP === undefined) return this.badMessage(src, "aggressive mode message 1 lacks SA, KE, NONCE or ID");
    const key = host.crypto.keyFor(src);
    const proposal = saP.proposals[0]!;
    host.debugIsakmp(() => "ISAKMP:(0):Input = IKE_MESG_FROM_PEER, IKE_AM_EXCH");
    host.debugIsakmp(() => "ISAKMP:(0): processing SA payload. message ID = 0");
    const choice = choosePolicy(this.usablePoliciesForResponder(), proposal.transforms, key !== undefined, "(0)");
    for (const line of choice.debug) host.debugIsakmp(() => line);
    const sa = new IsakmpSa(this.nextConnId++, "R", header.initiatorCookie.slice(), host.randomBytes(8), dst, src, host.now());
    if (choice.accepted === null) {
      host.debugIsakmp(() => `ISAKMP:(0): phase 1 SA policy not acceptable! (local ${ip(dst)} remote ${ip(src)})`);
      this.sendPlainNotify(sa, NOTIFY.NO_PROPOSAL_CHOSEN);
      return;
    }
    sa.aggressive = true;
    sa.lastReceived = bytes.slice();
    sa.peerDpd = payloads.value.some((p) => p.type === "vendorId" && equalBytes(p.data, VID_DPD));
    this.setPolicy(sa, policyFromOffer(decodeTransform(choice.accepted.transform), choice.accepted.lifetimeSec)!);
    sa.saiB = saP.body.slice();
    sa.idiiB = idP.body.slice();
    const dh = dhKeyPair(sa.policy!.group as DhGroup, (n) => host.randomBytes(n));
    sa.dh = { group: sa.policy!.group as DhGroup, privateKey: dh.privateKey, publicKey: dh.publicKey };
    sa.gxi = ke.data.slice();
    sa.gxr = dh.publicKey;
    sa.niB = nonce.data.slice();
    sa.nrB = host.randomBytes(NONCE_LENGTH);
    if (!this.deriveKeys(sa)) return this.badMessage(src, "invalid KE");
    this.sas.push(sa);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing KE payload. message ID = 0`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing NONCE payload. message ID = 0`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing ID payload. message ID = 0`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SKEYID state generated`);
    const myId = this.phase1Id(sa.local);
    const hr = hashR(sa.hash!, sa.keys!.skeyid, sa.gxr, sa.gxi, sa.ckyR, sa.ckyI, sa.saiB, emitPayloadBody(myId));
    const reply: IsakmpPayloadInput = {
      type: "sa", doi: DOI_IPSEC, situation: SIT_IDENTITY_ONLY,
      proposals: [{ number: proposal.number, protocolId: PROTO.ISAKMP, spi: new Uint8Array(0), transforms: [choice.accepted.transform] }],
    };
    sa.state = "AG_INIT_EXCH";
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_R_AM1  New State = IKE_R_AM2`);
    this.sendPhase1(sa, ISAKMP_EXCHANGE.AGGRESSIVE, [reply, { type: "ke", data: sa.gxr }, { type: "nonce", data: sa.nrB }, myId, { type: "hash", data: hr }, vid(VID_DPD), vid(VID_NAT_T_RFC3947)], false, true);
  }

  private initiatorAm2(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.host;
    const payloads = parseIsakmpPayloads(header.nextPayload, body);
    if (!payloads.ok) return this.badMessage(sa.peer, payloads.error.detail);
    const p = payloads.value;
    const saP = findPayload(p, "sa");
    const ke = findPayload(p, "ke");
    const nonce = findPayload(p, "nonce");
    const idP = findPayload(p, "id");
    const hash = findPayload(p, "hash");
    const t = saP?.proposals[0]?.transforms[0];
    const chosen = t === undefined ? undefined : ((sa as IsakmpSaWithOffer).offered ?? [])[t.number - 1];
    if (chosen === undefined || ke === undefined || nonce === undefined || idP === undefined || hash === undefined) return this.badMessage(sa.peer, "aggressive mode message 2 malformed");
    this.stopRetransmit(sa);
    sa.ckyR = header.responderCookie.slice();
    sa.lastReceived = bytes.slice();
    sa.peerDpd = p.some((x) => x.type === "vendorId" && equalBytes(x.data, VID_DPD));
    const offer = decodeTransform(t!);
    this.setPolicy(sa, { ...chosen, lifetimeSec: Math.min(chosen.lifetimeSec, offer.lifetimeSec ?? chosen.lifetimeSec) });
    sa.gxr = ke.data.slice();
    sa.nrB = nonce.data.slice();
    if (!this.deriveKeys(sa)) return this.badMessage(sa.peer, "invalid KE");
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing SA payload. message ID = 0`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:atts are acceptable. Next payload is 0`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SKEYID state generated`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing HASH payload. message ID = 0`);
    const expected = hashR(sa.hash!, sa.keys!.skeyid, sa.gxr, sa.gxi!, sa.ckyR, sa.ckyI, sa.saiB!, idP.body);
    if (!equalBytes(expected, hash.data)) {
      host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tnot authenticated`);
      host.log(`%CRYPTO-4-IKMP_HASH_FAIL: IKE message from ${ip(sa.peer)} failed hash verification`);
      this.deleteSa(sa, "Authentication failed", false);
      return;
    }
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tauthenticated`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA has been authenticated with ${ip(sa.peer)}`);
    const hi = hashI(sa.hash!, sa.keys!.skeyid, sa.gxi!, sa.gxr, sa.ckyI, sa.ckyR, sa.saiB!, sa.idiiB!);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_I_AM1  New State = IKE_P1_COMPLETE`);
    this.sendPhase1(sa, ISAKMP_EXCHANGE.AGGRESSIVE, [{ type: "hash", data: hi }, {
      type: "notify", doi: DOI_IPSEC, protocolId: PROTO.ISAKMP, spi: concat(sa.ckyI, sa.ckyR), messageType: NOTIFY.INITIAL_CONTACT, data: new Uint8Array(0),
    }], true, false);
    this.phase1Complete(sa);
  }

  private responderAm3(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.host;
    const saved = sa.iv;
    const plain = (header.flags & ISAKMP_FLAG.ENCRYPTION) === 0 ? body : sa.decryptMain(body);
    const payloads = plain === null ? null : parseIsakmpPayloads(header.nextPayload, plain);
    const hash = payloads?.ok ? findPayload(payloads.value, "hash") : undefined;
    if (payloads === null || !payloads.ok || hash === undefined) {
      sa.iv = saved;
      return this.badMessage(sa.peer, "aggressive mode message 3 does not decrypt to valid payloads");
    }
    const expected = hashI(sa.hash!, sa.keys!.skeyid, sa.gxi!, sa.gxr!, sa.ckyI, sa.ckyR, sa.saiB!, sa.idiiB!);
    if (!equalBytes(expected, hash.data)) {
      sa.iv = saved;
      host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tnot authenticated`);
      host.log(`%CRYPTO-4-IKMP_HASH_FAIL: IKE message from ${ip(sa.peer)} failed hash verification`);
      return;
    }
    this.stopRetransmit(sa);
    sa.lastReceived = bytes.slice();
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tauthenticated`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA has been authenticated with ${ip(sa.peer)}`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_R_AM2  New State = IKE_P1_COMPLETE`);
    this.phase1Complete(sa);
  }

  // ---- quick mode ----------------------------------------------------------------

  private startQuickMode(sa: IsakmpSa, req: SaRequest): void {
    const host = this.host;
    const entry = this.mapEntry(req.mapName, req.sequence);
    const sets = (entry?.transformSets ?? []).map((n) => host.crypto.transformSets.get(n)).filter((t): t is TransformSet => t !== undefined);
    if (entry === undefined || sets.length === 0) {
      host.debugIpsec(() => `IPSEC(sa_request): no transform set for map ${req.mapName} ${req.sequence}`);
      return;
    }
    const messageId = this.newMessageId(sa);
    const spi = this.newSpi();
    const terms = this.phase2Terms(entry, req);
    const qm: QuickModeExchange = {
      messageId, role: "I", request: req, spi, niB: host.randomBytes(NONCE_LENGTH), offered: sets.map((s) => s.name), retransmits: 0,
    };
    if (terms.pfsGroup !== null) {
      const kp = dhKeyPair(terms.pfsGroup as DhGroup, (n) => host.randomBytes(n));
      qm.pfs = { group: terms.pfsGroup as DhGroup, privateKey: kp.privateKey, publicKey: kp.publicKey };
    }
    sa.quickModes.set(messageId, qm);
    host.debugIpsec(() => `IPSEC(sa_request): ,\n  (key eng. msg.) OUTBOUND local= ${ip(req.local)}:0, remote= ${ip(req.peer)}:0,\n    local_proxy= ${proxyText(req.localProxy)},\n    remote_proxy= ${proxyText(req.remoteProxy)},\n    protocol= ${sets[0]!.ah !== undefined && sets[0]!.espEncryption === undefined ? "AH" : "ESP"}, transform= ${transformText(sets[0]!)}  (${cap(terms.mode)}), \n    lifedur= ${terms.lifetimeSec}s and ${terms.lifetimeKb}kb, \n    spi= 0x0(0), conn_id= 0, keysize= 0, flags= 0x0`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:beginning Quick Mode exchange, M-ID of ${messageId}`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:QM Initiator gets spi`);
    const payloads: IsakmpPayloadInput[] = [
      { type: "sa", doi: DOI_IPSEC, situation: SIT_IDENTITY_ONLY, proposals: sets.map((s, i) => transformSetProposal(s, i + 1, spi, { ...terms, mode: this.modeFor(s, req) })) },
      { type: "nonce", data: qm.niB },
    ];
    if (qm.pfs !== undefined) payloads.push({ type: "ke", data: qm.pfs.publicKey });
    payloads.push(proxyIdPayload(req.localProxy), proxyIdPayload(req.remoteProxy));
    const rest = emitIsakmpPayloads(payloads).bytes;
    const hash = quickModeHash1(sa.hash!, sa.keys!.a, messageId, rest);
    this.sendExchange(sa, ISAKMP_EXCHANGE.QUICK, messageId, [{ type: "hash", data: hash }, ...payloads], qm);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Node ${messageId}, Input = IKE_MESG_INTERNAL, IKE_INIT_QM`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_QM_READY  New State = IKE_QM_I_QM1`);
  }

  /** Transport only when the proxies are the two peers themselves; tunnel otherwise (IOS's fallback). */
  private modeFor(ts: TransformSet, req: SaRequest): "tunnel" | "transport" {
    if (ts.mode !== "transport") return "tunnel";
    const hostTo = (p: ProxyId, a: number): boolean => p.mask >>> 0 === 0xffffffff && p.address === a;
    return hostTo(req.localProxy, req.local) && hostTo(req.remoteProxy, req.peer) ? "transport" : "tunnel";
  }

  private phase2Terms(entry: CryptoMapEntry, _req: SaRequest): { mode: "tunnel" | "transport"; lifetimeSec: number; lifetimeKb: number; pfsGroup: number | null } {
    const c = this.host.crypto;
    return { mode: "tunnel", lifetimeSec: entry.lifetimeSec ?? c.ipsecLifetimeSec, lifetimeKb: entry.lifetimeKb ?? c.ipsecLifetimeKb, pfsGroup: entry.pfsGroup ?? null };
  }

  private quickMode(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array): void {
    if (sa.state !== "QM_IDLE" || (header.flags & ISAKMP_FLAG.ENCRYPTION) === 0) return;
    const qm = sa.quickModes.get(header.messageId);
    const opened = sa.decryptExchange(header.messageId, body);
    const payloads = opened === null ? null : parseIsakmpPayloads(header.nextPayload, opened.plain);
    if (opened === null || payloads === null || !payloads.ok || payloads.value[0]?.type !== "hash") {
      return this.badMessage(sa.peer, "quick mode message does not decrypt to valid payloads");
    }
    const hashP = payloads.value[0] as Extract<IsakmpPayload, { type: "hash" }>;
    const rest = restAfterHash(opened.plain, payloads.value);
    if (qm === undefined) return this.responderQm1(sa, header.messageId, payloads.value, hashP.data, rest, opened.commit);
    if (qm.role === "I") return this.initiatorQm2(sa, qm, payloads.value, hashP.data, rest, opened.commit);
    return this.responderQm3(sa, qm, hashP.data, opened.commit);
  }

  private responderQm1(sa: IsakmpSa, messageId: number, payloads: IsakmpPayload[], hash: Uint8Array, rest: Uint8Array, commit: () => void): void {
    const host = this.host;
    const tag = sa.tag;
    if (!equalBytes(quickModeHash1(sa.hash!, sa.keys!.a, messageId, rest), hash)) {
      host.debugIsakmp(() => `ISAKMP:${tag}: hash in quick mode message 1 does not verify`);
      return;
    }
    commit();
    host.debugIsakmp(() => `ISAKMP:${tag}: processing HASH payload. message ID = ${messageId}`);
    host.debugIsakmp(() => `ISAKMP:${tag}: processing SA payload. message ID = ${messageId}`);
    const saP = findPayload(payloads, "sa");
    const nonce = findPayload(payloads, "nonce");
    const ke = findPayload(payloads, "ke");
    const ids = payloads.filter((p): p is Extract<IsakmpPayload, { type: "id" }> => p.type === "id");
    if (saP === undefined || nonce === undefined) return this.badMessage(sa.peer, "quick mode message 1 lacks SA or NONCE");
    // Without identities the proxies are the two peers (RFC 2409 5.5).
    const remoteProxy = ids[0] !== undefined ? proxyFromId(ids[0]) : hostProxy(sa.peer);
    const localProxy = ids[1] !== undefined ? proxyFromId(ids[1]) : hostProxy(sa.local);
    if (remoteProxy === null || localProxy === null) return this.rejectQm(sa, messageId, saP.proposals[0], "unsupported identity type", 18);
    const match = this.findResponderEntry(sa, localProxy, remoteProxy);
    let accepted: { offer: Phase2Offer; ts: TransformSet } | null = null;
    let error = 32;
    if (match !== null) {
      for (const p of saP.proposals) {
        for (const line of describeProposal(p, tag)) host.debugIsakmp(() => line);
        const offer = decodeProposal(p);
        if (offer === null) continue;
        const pfsOk = match.entry.pfsGroup === undefined || match.entry.pfsGroup === offer.group;
        for (const name of match.entry.transformSets) {
          const ts = host.crypto.transformSets.get(name);
          if (ts !== undefined && pfsOk && offerMatches(ts, this.modeFor(ts, match.request), offer)) {
            accepted = { offer, ts };
            break;
          }
        }
        if (accepted !== null) break;
      }
      if (accepted === null) error = 256;
      else host.debugIsakmp(() => `ISAKMP:${tag}:atts are acceptable.`);
    }
    const first = saP.proposals[0];
    const firstOffer = first === undefined ? null : decodeProposal(first);
    host.debugIpsec(() => `IPSEC(validate_proposal_request): proposal part #1,\n  (key eng. msg.) INBOUND local= ${ip(sa.local)}:0, remote= ${ip(sa.peer)}:0,\n    local_proxy= ${proxyText(localProxy)},\n    remote_proxy= ${proxyText(remoteProxy)},\n    protocol= ${firstOffer?.protocol === "ah" ? "AH" : "ESP"}, transform= NONE  (${cap(firstOffer?.mode ?? "tunnel")}), \n    lifedur= 0s and 0kb, \n    spi= 0x0(0), conn_id= 0, keysize= 0, flags= 0x0 `);
    if (match === null) {
      host.debugIpsec(() => "IPSEC(validate_transform_proposal): proxy identities not supported");
      return this.rejectQm(sa, messageId, first, "proxy identities not supported", error);
    }
    if (accepted === null) {
      host.debugIpsec(() => `IPSEC(ipsec_process_proposal): transform proposal not supported for identity: \n    {${firstOffer === null ? "" : offerText(firstOffer)}}`);
      return this.rejectQm(sa, messageId, first, "transform proposal not supported", error);
    }
    const { offer, ts } = accepted;
    let gxyQm: Uint8Array | undefined;
    let myKe: Uint8Array | undefined;
    if (offer.group !== null) {
      if (ke === undefined) return this.rejectQm(sa, messageId, first, "PFS requested without KE", error);
      const kp = dhKeyPair(offer.group as DhGroup, (n) => host.randomBytes(n));
      const secret = dhSharedSecret(offer.group as DhGroup, kp.privateKey, ke.data);
      if (secret === null) return this.badMessage(sa.peer, "invalid PFS KE");
      gxyQm = secret;
      myKe = kp.publicKey;
    }
    const spi = this.newSpi();
    const request: SaRequest = { ...match.request, localProxy, remoteProxy };
    const mode = offer.mode;
    const c = host.crypto;
    const lifetimeSec = Math.min(offer.lifetimeSec ?? Infinity, match.entry.lifetimeSec ?? c.ipsecLifetimeSec);
    const lifetimeKb = Math.min(offer.lifetimeKb ?? Infinity, match.entry.lifetimeKb ?? c.ipsecLifetimeKb);
    const qm: QuickModeExchange = {
      messageId, role: "R", request, spi, niB: nonce.data.slice(), nrB: host.randomBytes(NONCE_LENGTH), offered: [ts.name], retransmits: 0,
      accepted: { transformSet: ts.name, peerSpi: offer.spi, mode, lifetimeSec, lifetimeKb },
    };
    if (gxyQm !== undefined) {
      qm.pfs = { group: offer.group as DhGroup, privateKey: new Uint8Array(0), publicKey: myKe! };
      qm.gxyQm = gxyQm;
    }
    sa.quickModes.set(messageId, qm);
    const reply: IsakmpPayloadInput[] = [
      { type: "sa", doi: DOI_IPSEC, situation: SIT_IDENTITY_ONLY, proposals: [transformSetProposal(ts, offer.number, spi, { mode, lifetimeSec, lifetimeKb, pfsGroup: offer.group })] },
      { type: "nonce", data: qm.nrB! },
    ];
    if (myKe !== undefined) reply.push({ type: "ke", data: myKe });
    for (const id of ids) reply.push({ type: "id", idType: id.idType, protocolId: id.protocolId, port: id.port, data: id.data });
    const replyRest = emitIsakmpPayloads(reply).bytes;
    const h2 = quickModeHash2(sa.hash!, sa.keys!.a, messageId, qm.niB, replyRest);
    host.debugIsakmp(() => `ISAKMP:${tag}: processing NONCE payload. message ID = ${messageId}`);
    host.debugIsakmp(() => `ISAKMP:${tag}: processing ID payload. message ID = ${messageId}`);
    host.debugIsakmp(() => `ISAKMP:${tag}:QM Responder gets spi`);
    host.debugIsakmp(() => `ISAKMP:${tag}:Node ${messageId}, Input = IKE_MESG_FROM_PEER, IKE_QM_EXCH`);
    host.debugIsakmp(() => `ISAKMP:${tag}:Old State = IKE_QM_READY  New State = IKE_QM_SPI_STARVE`);
    this.sendExchange(sa, ISAKMP_EXCHANGE.QUICK, messageId, [{ type: "hash", data: h2 }, ...reply], qm);
    host.debugIsakmp(() => `ISAKMP:${tag}:Old State = IKE_QM_SPI_STARVE  New State = IKE_QM_R_QM2`);
  }

  private initiatorQm2(sa: IsakmpSa, qm: QuickModeExchange, payloads: IsakmpPayload[], hash: Uint8Array, rest: Uint8Array, commit: () => void): void {
    const host = this.host;
    if (!equalBytes(quickModeHash2(sa.hash!, sa.keys!.a, qm.messageId, qm.niB, rest), hash)) {
      host.debugIsakmp(() => `ISAKMP:${sa.tag}: hash in quick mode message 2 does not verify`);
      return;
    }
    commit();
    const saP = findPayload(payloads, "sa");
    const nonce = findPayload(payloads, "nonce");
    const ke = findPayload(payloads, "ke");
    const offer = saP?.proposals[0] === undefined ? null : decodeProposal(saP.proposals[0]);
    const ts = offer === null ? undefined : host.crypto.transformSets.get(qm.offered[offer.number - 1] ?? "");
    if (saP === undefined || nonce === undefined || offer === null || ts === undefined) return this.badMessage(sa.peer, "quick mode message 2 malformed");
    this.stopQmRetransmit(qm);
    qm.nrB = nonce.data.slice();
    let gxyQm: Uint8Array | undefined;
    if (qm.pfs !== undefined) {
      if (ke === undefined) return this.badMessage(sa.peer, "PFS KE missing");
      const secret = dhSharedSecret(qm.pfs.group, qm.pfs.privateKey, ke.data);
      if (secret === null) return this.badMessage(sa.peer, "invalid PFS KE");
      gxyQm = secret;
    }
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing HASH payload. message ID = ${qm.messageId}`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing SA payload. message ID = ${qm.messageId}`);
    for (const line of describeProposal(saP.proposals[0]!, sa.tag)) host.debugIsakmp(() => line);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:atts are acceptable.`);
    const h3 = quickModeHash3(sa.hash!, sa.keys!.a, qm.messageId, qm.niB, qm.nrB);
    this.sendExchange(sa, ISAKMP_EXCHANGE.QUICK, qm.messageId, [{ type: "hash", data: h3 }], null);
    const mode = offer.mode;
    const entry = this.mapEntry(qm.request.mapName, qm.request.sequence);
    const terms = entry === undefined ? null : this.phase2Terms(entry, qm.request);
    this.installSas(sa, qm, ts, offer.spi, mode, offer.lifetimeSec ?? terms?.lifetimeSec ?? host.crypto.ipsecLifetimeSec,
      offer.lifetimeKb ?? terms?.lifetimeKb ?? host.crypto.ipsecLifetimeKb, offer.group, gxyQm, true);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Node ${qm.messageId}, Input = IKE_MESG_FROM_PEER, IKE_QM_EXCH`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_QM_I_QM1  New State = IKE_QM_PHASE2_COMPLETE`);
    sa.quickModes.delete(qm.messageId);
    sa.endExchange(qm.messageId);
  }

  private responderQm3(sa: IsakmpSa, qm: QuickModeExchange, hash: Uint8Array, commit: () => void): void {
    const host = this.host;
    if (!equalBytes(quickModeHash3(sa.hash!, sa.keys!.a, qm.messageId, qm.niB, qm.nrB!), hash)) {
      host.debugIsakmp(() => `ISAKMP:${sa.tag}: hash in quick mode message 3 does not verify`);
      return;
    }
    commit();
    this.stopQmRetransmit(qm);
    const a = qm.accepted!;
    const ts = host.crypto.transformSets.get(a.transformSet);
    if (ts === undefined) return;
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Node ${qm.messageId}, Input = IKE_MESG_FROM_PEER, IKE_QM_EXCH`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_QM_R_QM2  New State = IKE_QM_PHASE2_COMPLETE`);
    this.installSas(sa, qm, ts, a.peerSpi, a.mode, a.lifetimeSec, a.lifetimeKb, qm.pfs?.group ?? null, qm.gxyQm, false);
    sa.quickModes.delete(qm.messageId);
    sa.endExchange(qm.messageId);
  }

  private rejectQm(sa: IsakmpSa, messageId: number, proposal: IsakmpProposal | undefined, _why: string, error: number): void {
    const host = this.host;
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: IPSec policy invalidated proposal with error ${error}`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: phase 2 SA policy not acceptable! (local ${ip(sa.local)} remote ${ip(sa.peer)})`);
    host.log(`%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at ${ip(sa.peer)}`);
    sa.endExchange(messageId);
    this.sendNotify(sa, NOTIFY.NO_PROPOSAL_CHOSEN, PROTO.IPSEC_ESP, proposal?.spi ?? new Uint8Array(4));
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:deleting node ${messageId} error TRUE reason "QM rejected"`);
  }

  /** KEYMAT for both directions (each keyed by the SPI its receiver chose) and the data-plane install. */
  private installSas(sa: IsakmpSa, qm: QuickModeExchange, ts: TransformSet, peerSpi: number, mode: "tunnel" | "transport", lifetimeSec: number, lifetimeKb: number, pfsGroup: number | null, gxyQm: Uint8Array | undefined, initiator: boolean): void {
    const host = this.host;
    const protocol = ts.espEncryption !== undefined || ts.espIntegrity !== undefined ? "esp" : "ah";
    const protoId = protocol === "esp" ? PROTO.IPSEC_ESP : PROTO.IPSEC_AH;
    const lengths = keyLengths(ts);
    const [niB, nrB] = [qm.niB, qm.nrB!];
    const material = (spi: number): { encryptionKey: Uint8Array; integrityKey: Uint8Array } =>
      splitKeymat(keymat(sa.hash!, sa.keys!.d, protoId, u32Bytes(spi), niB, nrB, lengths.encryption + lengths.integrity, gxyQm), lengths.encryption, lengths.integrity);
    const mine = material(qm.spi);
    const theirs = material(peerSpi);
    const encryption = protocol === "esp" && ts.espEncryption !== undefined ? cbcAlgorithmOf(ts.espEncryption) : null;
    const integrityName = protocol === "esp" ? ts.espIntegrity : ts.ah;
    const integrity = integrityName === undefined ? null : hashAlgorithmOf(integrityName);
    const n: NegotiatedSa = {
      ...qm.request,
      protocol, transform: ts, mode, lifetimeSec, lifetimeKb, pfsGroup, initiator,
      inbound: { spi: qm.spi, encryption, encryptionKey: mine.encryptionKey, integrity, integrityKey: mine.integrityKey },
      outbound: { spi: peerSpi, encryption, encryptionKey: theirs.encryptionKey, integrity, integrityKey: theirs.integrityKey },
    };
    const r = qm.request;
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: Creating IPSec SAs\n        inbound SA from ${ip(sa.peer)} to ${ip(sa.local)} (f/i)  0/ 0\n        (proxy ${ip(r.remoteProxy.address)} to ${ip(r.localProxy.address)})\n        has spi 0x${hex(qm.spi)} and conn_id 0\n        lifetime of ${lifetimeSec} seconds\n        lifetime of ${lifetimeKb} kilobytes\n        outbound SA from ${ip(sa.local)} to ${ip(sa.peer)} (f/i) 0/0\n        (proxy ${ip(r.localProxy.address)} to ${ip(r.remoteProxy.address)})\n        has spi  0x${hex(peerSpi)} and conn_id 0\n        lifetime of ${lifetimeSec} seconds\n        lifetime of ${lifetimeKb} kilobytes`);
    const record = (src: number, dst: number, keys: NegotiatedSa["inbound"]): CryptoKeyRecord => ({
      kind: "esp", protocol, src, dst, spi: keys.spi, encryption: keys.encryption, encryptionKey: toHex(keys.encryptionKey), integrity: keys.integrity, integrityKey: toHex(keys.integrityKey),
    });
    host.exportKeys(record(sa.peer, sa.local, n.inbound));
    host.exportKeys(record(sa.local, sa.peer, n.outbound));
    if (!initiator) host.dataplane.markDynamic(n);
    const pair = host.dataplane.install(n);
    host.debugIpsec(() => `IPSEC(create_sa): sa created,\n  (sa) sa_dest= ${ip(sa.local)}, sa_proto= ${protocol === "esp" ? 50 : 51}, \n    sa_spi= ${hexSpi(qm.spi)}, \n    sa_trans= ${transformText(ts)} , sa_conn_id= ${pair.inboundConnId}\n    sa_lifetime(k/sec)= (${lifetimeKb}/${lifetimeSec})`);
    host.debugIpsec(() => `IPSEC(create_sa): sa created,\n  (sa) sa_dest= ${ip(sa.peer)}, sa_proto= ${protocol === "esp" ? 50 : 51}, \n    sa_spi= ${hexSpi(peerSpi)}, \n    sa_trans= ${transformText(ts)} , sa_conn_id= ${pair.outboundConnId}\n    sa_lifetime(k/sec)= (${lifetimeKb}/${lifetimeSec})`);
    host.debugIpsec(() => `IPSEC(update_current_outbound_sa): updated peer ${ip(sa.peer)} current outbound sa to SPI ${hex(peerSpi)}`);
  }

  /** The responder's crypto map entry whose ACL, mirrored, contains the offered identities (static entries first, then dynamic). */
  private findResponderEntry(sa: IsakmpSa, localProxy: ProxyId, remoteProxy: ProxyId): { entry: CryptoMapEntry; request: SaRequest } | null {
    const host = this.host;
    const candidates: { ifc: RouterInterface; map: string }[] = [];
    for (const ifc of host.stack.allInterfaces()) if (ifc.config.cryptoMap !== undefined) candidates.push({ ifc, map: ifc.config.cryptoMap });
    for (const dynamicPass of [false, true]) {
      for (const { ifc, map: mapName } of candidates) {
        const map = host.crypto.cryptoMaps.get(mapName);
        if (map === undefined || host.dataplane.localAddress(map, ifc) !== sa.local) continue;
        for (const entry of [...map.entries].sort((a, b) => a.sequence - b.sequence)) {
          const entries = entry.dynamicMap === undefined ? (dynamicPass ? [] : [entry]) : dynamicPass ? host.crypto.dynamicMaps.get(entry.dynamicMap)?.entries ?? [] : [];
          for (const e of entries) {
            if (e.peers.length > 0 && !e.peers.includes(sa.peer)) continue;
            const request: SaRequest = { interfaceName: ifc.name, mapName, sequence: entry.sequence, local: sa.local, peer: sa.peer, localProxy, remoteProxy };
            if (e.matchAddress === undefined) {
              if (entry.dynamicMap !== undefined) return { entry: e, request };
              continue;
            }
            const acl = host.acl(e.matchAddress);
            if (acl === undefined) continue;
            for (const ace of acl.entries) {
              if (ace.action !== "permit") continue;
              const proxies = proxiesFromAce(ace);
              if (proxies !== null && proxyWithin(localProxy, proxies.local) && proxyWithin(remoteProxy, proxies.remote)) return { entry: e, request };
            }
          }
        }
      }
    }
    return null;
  }

  private mapEntry(mapName: string, sequence: number): CryptoMapEntry | undefined {
    return this.host.crypto.cryptoMaps.get(mapName)?.entries.find((e) => e.sequence === sequence);
  }

  // ---- informational ---------------------------------------------------------------

  private informational(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array): void {
    const host = this.host;
    let payloads: IsakmpPayload[];
    if ((header.flags & ISAKMP_FLAG.ENCRYPTION) !== 0) {
      if (sa.keys === null || sa.lastPhase1Block === null) return;
      const opened = sa.decryptExchange(header.messageId, body);
      const parsed = opened === null ? null : parseIsakmpPayloads(header.nextPayload, opened.plain);
      if (opened === null || parsed === null || !parsed.ok || parsed.value[0]?.type !== "hash") return this.badMessage(sa.peer, "informational does not decrypt");
      const hashP = parsed.value[0] as Extract<IsakmpPayload, { type: "hash" }>;
      if (!equalBytes(informationalHash(sa.hash!, sa.keys.a, header.messageId, restAfterHash(opened.plain, parsed.value)), hashP.data)) return;
      sa.endExchange(header.messageId);
      payloads = parsed.value.slice(1);
    } else {
      const parsed = parseIsakmpPayloads(header.nextPayload, body);
      if (!parsed.ok) return this.badMessage(sa.peer, parsed.error.detail);
      payloads = parsed.value;
    }
    for (const p of payloads) {
      if (p.type === "notify") {
        const name = NOTIFY_NAME[p.messageType] ?? `${p.messageType}`;
        const spi = p.spi.length === 4 ? readIpv4(p.spi, 0) : 0;
        host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing NOTIFY ${name} protocol ${p.protocolId}\n\tspi ${spi}, message ID = ${header.messageId}, sa = ${sa.connId}`);
        if (p.messageType === NOTIFY.R_U_THERE && sa.state === "QM_IDLE" && p.data.length === 4) {
          const sequence = readIpv4(p.data, 0);
          host.debugIsakmp(() => `ISAKMP:${sa.tag}:DPD/R_U_THERE received from peer ${ip(sa.peer)}, sequence 0x${sequence.toString(16)}`);
          this.sendInformational(sa, [this.dpdNotify(sa, NOTIFY.R_U_THERE_ACK, sequence)]);
          host.debugIsakmp(() => `ISAKMP:${sa.tag}:DPD/R_U_THERE_ACK sent to peer ${ip(sa.peer)}, sequence 0x${sequence.toString(16)}`);
        } else if (p.messageType === NOTIFY.R_U_THERE_ACK && p.data.length === 4) {
          const sequence = readIpv4(p.data, 0);
          if (sa.dpd?.acknowledged(sequence)) host.debugIsakmp(() => `ISAKMP:${sa.tag}:DPD/R_U_THERE_ACK received from peer ${ip(sa.peer)}, sequence 0x${sequence.toString(16)}`);
        } else if (p.messageType === NOTIFY.NO_PROPOSAL_CHOSEN) {
          if (sa.state !== "QM_IDLE") {
            this.deleteSa(sa, "Informational in main mode: no proposal chosen", false);
          } else {
            for (const qm of sa.quickModes.values()) {
              if (qm.role !== "I" || qm.spi !== spi) continue;
              this.stopQmRetransmit(qm);
              sa.quickModes.delete(qm.messageId);
              sa.endExchange(qm.messageId);
              host.debugIsakmp(() => `ISAKMP:${sa.tag}: deleting spi ${spi} message ID = ${qm.messageId}`);
              host.debugIsakmp(() => `ISAKMP:${sa.tag}:deleting node ${qm.messageId} error TRUE reason "Delete Larval"`);
            }
          }
        }
      } else if (p.type === "delete") {
        if (p.protocolId === PROTO.ISAKMP) {
          host.debugIsakmp(() => `ISAKMP:${sa.tag}:received delete for ISAKMP SA from ${ip(sa.peer)}`);
          this.deleteSa(sa, "No reason", false);
        } else {
          for (const s of p.spis) {
            const spi = s.length === 4 ? readIpv4(s, 0) : 0;
            host.debugIsakmp(() => `ISAKMP:${sa.tag}:processing DELETE payload. message ID = ${header.messageId}`);
            host.debugIpsec(() => `IPSEC(key_engine_delete_sas): rec'd delete notify from ISAKMP`);
            host.dataplane.removeBySpi(sa.peer, spi);
          }
        }
      }
    }
  }

  /** An informational exchange under an established SA (encrypted, with HASH(1)). */
  private sendNotify(sa: IsakmpSa, type: number, protocolId: number, spi: Uint8Array): void {
    const notify: IsakmpPayloadInput = { type: "notify", doi: DOI_IPSEC, protocolId, spi, messageType: type, data: new Uint8Array(0) };
    this.sendInformational(sa, [notify]);
    this.host.debugIsakmp(() => `ISAKMP:${sa.tag}:Sending NOTIFY ${NOTIFY_NAME[type] ?? type} protocol ${protocolId}`);
  }

  private sendInformational(sa: IsakmpSa, payloads: IsakmpPayloadInput[]): void {
    if (sa.keys === null || sa.lastPhase1Block === null) return;
    const messageId = this.newMessageId(sa);
    const rest = emitIsakmpPayloads(payloads).bytes;
    const hash = informationalHash(sa.hash!, sa.keys.a, messageId, rest);
    this.sendExchange(sa, ISAKMP_EXCHANGE.INFORMATIONAL, messageId, [{ type: "hash", data: hash }, ...payloads], null);
    sa.endExchange(messageId);
  }

  /** A notify in the clear (before keys exist), as the responder sends `no proposal chosen`. */
  private sendPlainNotify(sa: IsakmpSa, type: number): void {
    const notify: IsakmpPayloadInput = { type: "notify", doi: DOI_IPSEC, protocolId: PROTO.ISAKMP, spi: new Uint8Array(0), messageType: type, data: new Uint8Array(0) };
    const { firstPayload, bytes } = emitIsakmpPayloads([notify]);
    const msg = emitIsakmp({ initiatorCookie: sa.ckyI, responderCookie: sa.ckyR, exchangeType: ISAKMP_EXCHANGE.INFORMATIONAL, flags: 0, messageId: this.host.randomBytes(4).reduce((a, b) => (a * 256 + b) >>> 0, 0) }, bytes, firstPayload);
    this.host.debugIsakmp(() => `ISAKMP:(0): sending packet to ${ip(sa.peer)} my_port 500 peer_port 500 (R) MM_NO_STATE`);
    this.transmit(sa, msg);
  }

  // ---- deletion and clearing ----------------------------------------------------------

  /** Deletes a phase-1 SA; `notify` sends the peer a DELETE first. IPsec SAs it made stay up, as on IOS. */
  deleteSa(sa: IsakmpSa, reason: string, notify: boolean): void {
    if (sa.deleted) return;
    if (notify && sa.state === "QM_IDLE") {
      this.sendInformational(sa, [{ type: "delete", doi: DOI_IPSEC, protocolId: PROTO.ISAKMP, spiSize: 16, spis: [concat(sa.ckyI, sa.ckyR)] }]);
    }
    this.host.debugIsakmp(() => `ISAKMP:${sa.tag}:deleting SA reason "${reason}" state (${sa.role}) ${sa.state} (peer ${ip(sa.peer)})`);
    sa.deleted = true;
    sa.deleteReason = reason;
    sa.stopTimers();
    sa.quickModes.clear();
    sa.waiting.length = 0;
    if (sa.state === "QM_IDLE") sa.state = "MM_NO_STATE";
    this.host.after(DELETED_PURGE_NS, "isakmp-purge", () => {
      const i = this.sas.indexOf(sa);
      if (i >= 0) this.sas.splice(i, 1);
    });
  }

  /** `clear crypto isakmp [conn-id]`. */
  clearIsakmp(connId?: number): void {
    for (const sa of [...this.sas]) {
      if (connId !== undefined && sa.connId !== connId) continue;
      this.deleteSa(sa, "Manually deleted", true);
      const i = this.sas.indexOf(sa);
      if (i >= 0) this.sas.splice(i, 1);
    }
  }

  /** `clear crypto sa [...]`: removes IPsec SAs and tells the peers (DELETE for our inbound SPIs). */
  clearIpsec(which?: Parameters<CryptoMapDataplane["clear"]>[0]): void {
    const removed = this.host.dataplane.clear(which);
    for (const { pair } of removed) {
      const n = pair.negotiated;
      const sa = this.sas.find((s) => !s.deleted && s.state === "QM_IDLE" && s.peer === n.peer);
      if (sa === undefined) continue;
      this.sendInformational(sa, [{ type: "delete", doi: DOI_IPSEC, protocolId: n.protocol === "esp" ? PROTO.IPSEC_ESP : PROTO.IPSEC_AH, spiSize: 4, spis: [u32Bytes(n.inbound.spi)] }]);
    }
  }

  // ---- sending and retransmission -------------------------------------------------

  /** Sends a main-mode message (encrypted from message 5 on) and arms retransmission unless it is the last one. */
  private sendMain(sa: IsakmpSa, payloads: IsakmpPayloadInput[], encrypt: boolean, expectReply = true): void {
    this.sendPhase1(sa, ISAKMP_EXCHANGE.MAIN, payloads, encrypt, expectReply);
  }

  /** Sends a main- or aggressive-mode message. */
  private sendPhase1(sa: IsakmpSa, exchangeType: number, payloads: IsakmpPayloadInput[], encrypt: boolean, expectReply: boolean): void {
    const { firstPayload, bytes } = emitIsakmpPayloads(payloads);
    const body = encrypt ? sa.encryptMain(bytes) : bytes;
    const msg = emitIsakmp({ initiatorCookie: sa.ckyI, responderCookie: sa.ckyR, exchangeType, flags: encrypt ? ISAKMP_FLAG.ENCRYPTION : 0, messageId: 0 }, body, firstPayload);
    sa.lastSent = msg;
    sa.retransmits = 0;
    this.host.debugIsakmp(() => `ISAKMP:${sa.tag}: sending packet to ${ip(sa.peer)} my_port 500 peer_port 500 (${sa.role}) ${sa.state}`);
    this.host.debugIsakmp(() => `ISAKMP:${sa.tag}:Sending an IKE IPv4 Packet.`);
    this.transmit(sa, msg);
    this.stopRetransmit(sa);
    if (expectReply) this.armRetransmit(sa);
  }

  private armRetransmit(sa: IsakmpSa): void {
    sa.retransmitTimer = this.host.after(RETRANSMIT_NS, "isakmp-retransmit", () => {
      sa.retransmitTimer = null;
      if (sa.deleted || sa.lastSent === null) return;
      if (sa.retransmits >= MAX_RETRANSMITS) {
        this.deleteSa(sa, "Death by retransmission P1", false);
        return;
      }
      sa.retransmits++;
      this.host.debugIsakmp(() => `ISAKMP:${sa.tag}: retransmitting phase 1 ${sa.state}...`);
      this.host.debugIsakmp(() => `ISAKMP (${sa.shownConnId}): incrementing error counter on sa, attempt ${sa.retransmits} of ${MAX_RETRANSMITS}: retransmit phase 1`);
      this.host.debugIsakmp(() => `ISAKMP:${sa.tag}: retransmitting phase 1 ${sa.state}`);
      this.transmit(sa, sa.lastSent);
      this.armRetransmit(sa);
    });
  }

  private stopRetransmit(sa: IsakmpSa): void {
    sa.retransmitTimer?.cancel();
    sa.retransmitTimer = null;
  }

  /** Sends an encrypted message of an exchange after phase 1; `qm` set arms its retransmission. */
  private sendExchange(sa: IsakmpSa, exchangeType: number, messageId: number, payloads: IsakmpPayloadInput[], qm: QuickModeExchange | null): void {
    const { firstPayload, bytes } = emitIsakmpPayloads(payloads);
    const body = sa.encryptExchange(messageId, bytes);
    const msg = emitIsakmp({ initiatorCookie: sa.ckyI, responderCookie: sa.ckyR, exchangeType, flags: ISAKMP_FLAG.ENCRYPTION, messageId }, body, firstPayload);
    this.host.debugIsakmp(() => `ISAKMP:${sa.tag}: sending packet to ${ip(sa.peer)} my_port 500 peer_port 500 (${sa.role}) ${sa.state}`);
    this.transmit(sa, msg);
    if (qm !== null) {
      qm.lastSent = msg;
      qm.retransmits = 0;
      this.armQmRetransmit(sa, qm);
    }
  }

  private armQmRetransmit(sa: IsakmpSa, qm: QuickModeExchange): void {
    this.stopQmRetransmit(qm);
    qm.timer = this.host.after(RETRANSMIT_NS, "isakmp-qm-retransmit", () => {
      qm.timer = undefined;
      if (sa.deleted || !sa.quickModes.has(qm.messageId) || qm.lastSent === undefined) return;
      if (qm.retransmits >= MAX_RETRANSMITS) {
        this.host.debugIsakmp(() => `ISAKMP:${sa.tag}:deleting node ${qm.messageId} error TRUE reason "Death by retransmission P2"`);
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

  private stopQmRetransmit(qm: QuickModeExchange): void {
    qm.timer?.cancel();
    qm.timer = undefined;
  }

  private transmit(sa: IsakmpSa, isakmp: Uint8Array): void {
    const payload = emitUdp({ srcPort: 500, dstPort: 500, payload: isakmp }, { src: sa.local, dst: sa.peer });
    this.host.stack.send({ dst: sa.peer, src: sa.local, protocol: IP_PROTO_UDP, payload, bypassCrypto: true });
  }

  private badMessage(peer: number, detail: string): void {
    this.host.debugIsakmp(() => `ISAKMP: ${detail}`);
    this.host.log(`%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from ${ip(peer)} failed its sanity check or is malformed`);
  }

  private setState(sa: IsakmpSa, state: IsakmpSa["state"], from: string, to: string): void {
    sa.state = state;
    this.host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = ${from}  New State = ${to} `);
  }

  private newMessageId(sa: IsakmpSa): number {
    for (;;) {
      const id = this.host.randomBytes(4).reduce((a, b) => (a * 256 + b) >>> 0, 0);
      if (id !== 0 && !sa.quickModes.has(id)) return id;
    }
  }

  /** A fresh SPI (never below 256, which RFC 4303 reserves). */
  private newSpi(): number {
    for (;;) {
      const spi = this.host.randomBytes(4).reduce((a, b) => (a * 256 + b) >>> 0, 0);
      if (spi >= 256 && this.host.dataplane.findSpi(spi) === undefined) return spi;
    }
  }
}

/** The initiator remembers which policies it offered (transform i = policy i). */
type IsakmpSaWithOffer = IsakmpSa & { offered?: IsakmpPolicy[] };

const NOTIFY_NAME: Record<number, string> = {
  [NOTIFY.NO_PROPOSAL_CHOSEN]: "PROPOSAL_NOT_CHOSEN", [NOTIFY.PAYLOAD_MALFORMED]: "PAYLOAD_MALFORMED", [NOTIFY.INVALID_ID_INFORMATION]: "INVALID_ID_INFO",
  [NOTIFY.AUTHENTICATION_FAILED]: "AUTHENTICATION_FAILED", [NOTIFY.INITIAL_CONTACT]: "INITIAL_CONTACT", [NOTIFY.INVALID_SPI]: "INVALID_SPI",
  [NOTIFY.R_U_THERE]: "R_U_THERE", [NOTIFY.R_U_THERE_ACK]: "R_U_THERE_ACK",
};

function ikeCipherOf(p: IsakmpPolicy): IkeCipher {
  switch (p.encryption) {
    case "des": return { algorithm: "des", keyBits: 64 };
    case "3des": return { algorithm: "3des", keyBits: 192 };
    case "aes-128": return { algorithm: "aes", keyBits: 128 };
    case "aes-192": return { algorithm: "aes", keyBits: 192 };
    case "aes-256": return { algorithm: "aes", keyBits: 256 };
  }
}

function vid(data: Uint8Array): IsakmpPayloadInput {
  return { type: "vendorId", data };
}

/** An identity payload for a proxy: a host as IPV4_ADDR, a subnet as IPV4_ADDR_SUBNET. */
function proxyIdPayload(p: ProxyId): IsakmpPayloadInput {
  if (p.mask >>> 0 === 0xffffffff) return { type: "id", idType: ID_TYPE.IPV4_ADDR, protocolId: p.protocol, port: p.port, data: u32Bytes(p.address) };
  return { type: "id", idType: ID_TYPE.IPV4_ADDR_SUBNET, protocolId: p.protocol, port: p.port, data: concat(u32Bytes(p.address), u32Bytes(p.mask)) };
}

function proxyFromId(id: Extract<IsakmpPayload, { type: "id" }>): ProxyId | null {
  if (id.idType === ID_TYPE.IPV4_ADDR && id.data.length === 4) return { address: readIpv4(id.data, 0), mask: 0xffffffff, protocol: id.protocolId, port: id.port };
  if (id.idType === ID_TYPE.IPV4_ADDR_SUBNET && id.data.length === 8) {
    const mask = readIpv4(id.data, 4);
    return { address: (readIpv4(id.data, 0) & mask) >>> 0, mask, protocol: id.protocolId, port: id.port };
  }
  return null;
}

function hostProxy(address: number): ProxyId {
  return { address, mask: 0xffffffff, protocol: 0, port: 0 };
}

/** The bytes after the HASH payload, up to the end of the last payload (an encrypted body's padding excluded). */
function restAfterHash(plain: Uint8Array, payloads: readonly IsakmpPayload[]): Uint8Array {
  let end = 0;
  for (const p of payloads) end += 4 + p.body.length;
  return plain.subarray(4 + payloads[0]!.body.length, end);
}

function sameFlow(a: SaRequest, b: SaRequest): boolean {
  return a.interfaceName === b.interfaceName && a.mapName === b.mapName && a.sequence === b.sequence &&
    formatProxyId(a.localProxy) === formatProxyId(b.localProxy) && formatProxyId(a.remoteProxy) === formatProxyId(b.remoteProxy);
}

function proxyText(p: ProxyId): string {
  return `${ip(p.address)}/${ip(p.mask)}/${p.protocol}/${p.port} (type=${p.mask >>> 0 === 0xffffffff ? 1 : 4})`;
}

function offerText(o: Phase2Offer): string {
  const enc = o.encryption === null ? "" : o.encryption === "esp-aes-192" ? "esp-aes 192 " : o.encryption === "esp-aes-256" ? "esp-aes 256 " : `${o.encryption} `;
  const mac = o.integrity === null ? "" : `${o.protocol}-${o.integrity === "sha1" ? "sha" : o.integrity}-hmac `;
  return `${enc}${mac}`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function ip(a: number): string {
  return formatIpv4Address(a);
}

function hex(n: number): string {
  return (n >>> 0).toString(16).toUpperCase();
}

function isZero(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export { ZERO_COOKIE };
