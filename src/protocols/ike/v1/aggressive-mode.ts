// IKEv1 aggressive mode (RFC 2409 5.4, pre-shared keys): SA, KE, nonce and
// identity in the first message, the responder's choice, keys and HASH_R in
// the second, HASH_I (encrypted) in the third. IOS starts it for a peer with
// `set aggressive-mode password` and refuses it with
// `crypto isakmp aggressive-mode disable`.

import type { SaRequest } from "../../../dataplane/ipsec/ipsec-sa.ts";
import { equalConstantTime } from "../../../fastpath/crypto/hash-check.ts";
import {
  emitPayloadBody,
  findPayload,
  type IsakmpHeader,
  type IsakmpPayloadInput,
  parseIsakmpPayloads,
} from "../../../wire/isakmp.ts";
import {
  DOI_IPSEC,
  ISAKMP_EXCHANGE,
  ISAKMP_FLAG,
  NOTIFY,
  PROTO,
  SIT_IDENTITY_ONLY,
  VID_DPD,
} from "../../../wire/isakmp-constants.ts";
import type { DhGroup } from "../dh-groups.ts";
import { hashI, hashR } from "../v1-keys.ts";
import { concat, ip, NONCE_LENGTH, vid } from "./exchange-support.ts";
import type { IkeV1Engine } from "./ike-engine.ts";
import { IsakmpSa } from "./isakmp-sa.ts";
import { choosePolicy, decodeTransform, policyFromOffer, policyTransforms } from "./phase1-policy.ts";

/** Aggressive mode exchanges. */
export class AggressiveMode {
  constructor(private readonly core: IkeV1Engine) {}

  /** Aggressive mode (RFC 2409 5.4): SA, KE, nonce and identity in one message; one DH group for every offer. */
  start(req: SaRequest, password: string, clientEndpoint: number | undefined, queue = true): void {
    const host = this.core.host;
    const all = this.core.usablePolicies(true);
    if (all.length === 0) {
      host.debugIsakmp(() => "ISAKMP:(0): construct_initial_message: Can not start Aggressive mode");
      return;
    }
    const group = all[0]!.group;
    const policies = all.filter((p) => p.group === group);
    const sa = new IsakmpSa(
      this.core.allocateConnId(),
      "I",
      host.randomBytes(8),
      new Uint8Array(8),
      req.local,
      req.peer,
      host.now(),
    );
    sa.aggressive = true;
    sa.psk = password;
    if (queue) sa.waiting.push(req);
    this.core.addSa(sa);
    const saPayload: IsakmpPayloadInput = {
      type: "sa",
      doi: DOI_IPSEC,
      situation: SIT_IDENTITY_ONLY,
      proposals: [
        { number: 1, protocolId: PROTO.ISAKMP, spi: new Uint8Array(0), transforms: policyTransforms(policies) },
      ],
    };
    sa.saiB = emitPayloadBody(saPayload);
    sa.offered = policies;
    sa.gxi = this.core.newDh(sa, group as DhGroup);
    sa.niB = host.randomBytes(NONCE_LENGTH);
    const id = this.core.phase1Id(clientEndpoint ?? req.local);
    sa.idiiB = emitPayloadBody(id);
    host.debugIsakmp(() => `ISAKMP:(0):SA is doing pre-shared key authentication using id type ID_IPV4_ADDR`);
    host.debugIsakmp(() => `ISAKMP:(0):Input = IKE_MESG_FROM_IPSEC, IKE_SA_REQ_AM`);
    host.debugIsakmp(() => `ISAKMP:(0):Old State = IKE_READY  New State = IKE_I_AM1`);
    host.debugIsakmp(() => `ISAKMP:(0): beginning Aggressive Mode exchange`);
    sa.state = "AG_INIT_EXCH";
    this.core.sendPhase1(
      sa,
      ISAKMP_EXCHANGE.AGGRESSIVE,
      [
        saPayload,
        { type: "ke", data: sa.gxi },
        { type: "nonce", data: sa.niB },
        id,
        vid(VID_DPD),
        ...this.core.natT.vendorIds(),
      ],
      false,
      true,
    );
  }

  responderAm1(src: number, dst: number, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.core.host;
    host.debugIsakmp(() => `ISAKMP (0): received packet from ${ip(src)} dport 500 sport 500 Global (N) NEW SA`);
    if (host.crypto.aggressiveModeDisabled) {
      host.debugIsakmp(() => `ISAKMP:(0): Aggressive mode is disabled: ignoring the offer from ${ip(src)}`);
      return;
    }
    const payloads = parseIsakmpPayloads(header.nextPayload, body);
    if (!payloads.ok) return this.core.badMessage(src, payloads.error.detail);
    const saP = findPayload(payloads.value, "sa");
    const ke = findPayload(payloads.value, "ke");
    const nonce = findPayload(payloads.value, "nonce");
    const idP = findPayload(payloads.value, "id");
    if (saP === undefined || saP.proposals.length === 0 || ke === undefined || nonce === undefined || idP === undefined)
      return this.core.badMessage(src, "aggressive mode message 1 lacks SA, KE, NONCE or ID");
    const key = host.crypto.keyFor(src);
    const proposal = saP.proposals[0]!;
    host.debugIsakmp(() => "ISAKMP:(0):Input = IKE_MESG_FROM_PEER, IKE_AM_EXCH");
    host.debugIsakmp(() => "ISAKMP:(0): processing SA payload. message ID = 0");
    const choice = choosePolicy(this.core.usablePoliciesForResponder(), proposal.transforms, key !== undefined, "(0)");
    for (const line of choice.debug) host.debugIsakmp(() => line);
    const sa = new IsakmpSa(
      this.core.allocateConnId(),
      "R",
      header.initiatorCookie.slice(),
      host.randomBytes(8),
      dst,
      src,
      host.now(),
    );
    if (choice.accepted === null) {
      host.debugIsakmp(() => `ISAKMP:(0): phase 1 SA policy not acceptable! (local ${ip(dst)} remote ${ip(src)})`);
      this.core.sendPlainNotify(sa, NOTIFY.NO_PROPOSAL_CHOSEN);
      return;
    }
    sa.aggressive = true;
    sa.lastReceived = bytes.slice();
    sa.peerDpd = payloads.value.some((p) => p.type === "vendorId" && equalConstantTime(p.data, VID_DPD));
    this.core.natT.notePeerVendorIds(sa, payloads.value);
    this.core.setPolicy(sa, policyFromOffer(decodeTransform(choice.accepted.transform), choice.accepted.lifetimeSec)!);
    sa.saiB = saP.body.slice();
    sa.idiiB = idP.body.slice();
    sa.gxi = ke.data.slice();
    sa.gxr = this.core.newDh(sa, sa.policy!.group as DhGroup);
    sa.niB = nonce.data.slice();
    sa.nrB = host.randomBytes(NONCE_LENGTH);
    if (!this.core.deriveKeys(sa)) return this.core.badMessage(src, "invalid KE");
    this.core.addSa(sa);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing KE payload. message ID = 0`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing NONCE payload. message ID = 0`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing ID payload. message ID = 0`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SKEYID state generated`);
    const myId = this.core.phase1Id(sa.local);
    const hr = hashR(sa.hash!, sa.keys!.skeyid, sa.gxr, sa.gxi, sa.ckyR, sa.ckyI, sa.saiB, emitPayloadBody(myId));
    const reply: IsakmpPayloadInput = {
      type: "sa",
      doi: DOI_IPSEC,
      situation: SIT_IDENTITY_ONLY,
      proposals: [
        {
          number: proposal.number,
          protocolId: PROTO.ISAKMP,
          spi: new Uint8Array(0),
          transforms: [choice.accepted.transform],
        },
      ],
    };
    sa.state = "AG_INIT_EXCH";
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_R_AM1  New State = IKE_R_AM2`);
    this.core.sendPhase1(
      sa,
      ISAKMP_EXCHANGE.AGGRESSIVE,
      [
        reply,
        { type: "ke", data: sa.gxr },
        { type: "nonce", data: sa.nrB },
        myId,
        { type: "hash", data: hr },
        vid(VID_DPD),
        // NAT-T (RFC 3947 3.2): the vendor ID back, and NAT-D after the HASH in messages 2 and 3.
        ...(sa.natT.peerSupports ? this.core.natT.vendorIds() : []),
        ...this.core.natT.discoveryPayloads(sa),
      ],
      false,
      true,
    );
  }

  initiatorAm2(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.core.host;
    const payloads = parseIsakmpPayloads(header.nextPayload, body);
    if (!payloads.ok) return this.core.badMessage(sa.peer, payloads.error.detail);
    const p = payloads.value;
    const saP = findPayload(p, "sa");
    const ke = findPayload(p, "ke");
    const nonce = findPayload(p, "nonce");
    const idP = findPayload(p, "id");
    const hash = findPayload(p, "hash");
    const t = saP?.proposals[0]?.transforms[0];
    const chosen = t === undefined ? undefined : sa.offered[t.number - 1];
    if (chosen === undefined || ke === undefined || nonce === undefined || idP === undefined || hash === undefined)
      return this.core.badMessage(sa.peer, "aggressive mode message 2 malformed");
    this.core.stopRetransmit(sa);
    sa.ckyR = header.responderCookie.slice();
    sa.lastReceived = bytes.slice();
    sa.peerDpd = p.some((x) => x.type === "vendorId" && equalConstantTime(x.data, VID_DPD));
    this.core.natT.notePeerVendorIds(sa, p);
    const offer = decodeTransform(t!);
    this.core.setPolicy(sa, {
      ...chosen,
      lifetimeSec: Math.min(chosen.lifetimeSec, offer.lifetimeSec ?? chosen.lifetimeSec),
    });
    sa.gxr = ke.data.slice();
    sa.nrB = nonce.data.slice();
    if (!this.core.deriveKeys(sa)) return this.core.badMessage(sa.peer, "invalid KE");
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing SA payload. message ID = 0`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:atts are acceptable. Next payload is 0`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SKEYID state generated`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing HASH payload. message ID = 0`);
    const expected = hashR(sa.hash!, sa.keys!.skeyid, sa.gxr, sa.gxi!, sa.ckyR, sa.ckyI, sa.saiB!, idP.body);
    if (!equalConstantTime(expected, hash.data)) {
      host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tnot authenticated`);
      host.log(`%CRYPTO-4-IKMP_HASH_FAIL: IKE message from ${ip(sa.peer)} failed hash verification`);
      this.core.deleteSa(sa, "authentication-failed");
      return;
    }
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tauthenticated`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA has been authenticated with ${ip(sa.peer)}`);
    this.core.natT.detect(sa, p);
    // With a NAT on the way the third message already goes to UDP 4500.
    this.core.natT.floatIfNat(sa);
    const hi = hashI(sa.hash!, sa.keys!.skeyid, sa.gxi!, sa.gxr, sa.ckyI, sa.ckyR, sa.saiB!, sa.idiiB!);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_I_AM1  New State = IKE_P1_COMPLETE`);
    this.core.sendPhase1(
      sa,
      ISAKMP_EXCHANGE.AGGRESSIVE,
      [
        { type: "hash", data: hi },
        ...this.core.natT.discoveryPayloads(sa),
        {
          type: "notify",
          doi: DOI_IPSEC,
          protocolId: PROTO.ISAKMP,
          spi: concat(sa.ckyI, sa.ckyR),
          messageType: NOTIFY.INITIAL_CONTACT,
          data: new Uint8Array(0),
        },
      ],
      true,
      false,
    );
    this.core.phase1Complete(sa);
  }

  responderAm3(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.core.host;
    const saved = sa.iv;
    const plain = (header.flags & ISAKMP_FLAG.ENCRYPTION) === 0 ? body : sa.decryptMain(body);
    const payloads = plain === null ? null : parseIsakmpPayloads(header.nextPayload, plain);
    const hash = payloads?.ok ? findPayload(payloads.value, "hash") : undefined;
    if (payloads === null || !payloads.ok || hash === undefined) {
      sa.iv = saved;
      return this.core.badMessage(sa.peer, "aggressive mode message 3 does not decrypt to valid payloads");
    }
    const expected = hashI(sa.hash!, sa.keys!.skeyid, sa.gxi!, sa.gxr!, sa.ckyI, sa.ckyR, sa.saiB!, sa.idiiB!);
    if (!equalConstantTime(expected, hash.data)) {
      sa.iv = saved;
      host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tnot authenticated`);
      host.log(`%CRYPTO-4-IKMP_HASH_FAIL: IKE message from ${ip(sa.peer)} failed hash verification`);
      return;
    }
    this.core.stopRetransmit(sa);
    sa.lastReceived = bytes.slice();
    this.core.natT.detect(sa, payloads.value);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tauthenticated`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA has been authenticated with ${ip(sa.peer)}`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_R_AM2  New State = IKE_P1_COMPLETE`);
    this.core.phase1Complete(sa);
  }
}
