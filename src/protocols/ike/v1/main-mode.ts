// IKEv1 main mode (RFC 2409 5, pre-shared keys and RSA signatures): six
// messages, SA proposal and choice, then KE and nonces (SKEYID derived; with
// rsa-sig also CERTREQ), then identities and hashes (pre-shared keys) or
// certificates and signatures (rsa-sig, phase1-auth.ts) under encryption.
// States as IOS shows them: MM_NO_STATE, MM_SA_SETUP, MM_KEY_EXCH, then
// QM_IDLE; a wrong pre-shared key leaves both sides in MM_KEY_EXCH with
// message 5 failing its sanity check on the responder, as does a certificate
// or signature the responder refuses.

import type { SaRequest } from "../../../dataplane/ipsec/ipsec-sa.ts";
import { equalConstantTime } from "../../../fastpath/crypto/hash-check.ts";
import { GDOI_PORT } from "../../../wire/gdoi.ts";
import { readIpv4 } from "../../../wire/ipv4-address.ts";
import {
  emitPayloadBody,
  findPayload,
  ISAKMP_PORT,
  type IsakmpHeader,
  type IsakmpPayload,
  type IsakmpPayloadInput,
  parseIsakmpPayloads,
} from "../../../wire/isakmp.ts";
import { DOI_IPSEC, ISAKMP_FLAG, NOTIFY, PROTO, SIT_IDENTITY_ONLY, VID_DPD } from "../../../wire/isakmp-constants.ts";
import type { DhGroup } from "../dh-groups.ts";
import { hashI, hashR } from "../v1-keys.ts";
import { concat, ip, NONCE_LENGTH, vid } from "./exchange-support.ts";
import type { IkeV1Engine } from "./ike-engine.ts";
import { IsakmpSa } from "./isakmp-sa.ts";
import { Phase1Auth } from "./phase1-auth.ts";
import {
  choosePolicy,
  decodeTransform,
  offerablePolicies,
  policyFromOffer,
  policyTransforms,
} from "./phase1-policy.ts";

/** Main mode exchanges. */
export class MainMode {
  private readonly auth: Phase1Auth;

  constructor(private readonly core: IkeV1Engine) {
    this.auth = new Phase1Auth(core);
  }

  /** Starts phase 1 for `req`; `queue` false (DPD needing an SA) runs no quick mode once it is up. */
  start(req: SaRequest, queue = true): void {
    const peerConfig = this.core.host.crypto.isakmpPeers.get(req.peer);
    if (peerConfig?.aggressivePassword !== undefined)
      return this.core.aggressive.start(req, peerConfig.aggressivePassword, peerConfig.aggressiveClientEndpoint, queue);
    this.begin(req.local, req.peer, ISAKMP_PORT, (sa) => {
      if (queue) sa.waiting.push(req);
    });
  }

  /** Starts phase 1 with a GDOI key server on UDP 848 (a group member's registration); it ends in GDOI_IDLE. */
  startGdoi(local: number, keyServer: number): boolean {
    return this.begin(local, keyServer, GDOI_PORT, (sa) => {
      sa.gdoi = true;
      sa.natT.localPort = GDOI_PORT;
      sa.natT.peerPort = GDOI_PORT;
    });
  }

  /** Main mode message 1 to `peer` on `port`; false when no policy can be offered. */
  private begin(local: number, peer: number, port: number, prepare: (sa: IsakmpSa) => void): boolean {
    const host = this.core.host;
    const tag = "(0)";
    host.debugIsakmp(() => `ISAKMP:${tag}: SA request profile is (NULL)`);
    host.debugIsakmp(() => `ISAKMP: Created a peer struct for ${ip(peer)}, peer port ${port}`);
    const key = host.crypto.keyFor(peer);
    const policies = offerablePolicies(host.crypto.effectivePolicies(), key !== undefined, this.auth.canSign());
    if (key !== undefined) host.debugIsakmp(() => `ISAKMP:${tag}:found peer pre-shared key matching ${ip(peer)}`);
    if (policies.length === 0) {
      host.debugIsakmp(() => `ISAKMP:${tag}: No Cert or pre-shared address key.`);
      host.debugIsakmp(() => `ISAKMP:${tag}: construct_initial_message: Can not start Main mode`);
      return false;
    }
    const sa = new IsakmpSa(
      this.core.allocateConnId(),
      "I",
      host.randomBytes(8),
      new Uint8Array(8),
      local,
      peer,
      host.now(),
    );
    prepare(sa);
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
    host.debugIsakmp(() => `ISAKMP:${tag}:Input = IKE_MESG_FROM_IPSEC, IKE_SA_REQ_MM`);
    host.debugIsakmp(() => `ISAKMP:${tag}:Old State = IKE_READY  New State = IKE_I_MM1 `);
    host.debugIsakmp(() => `ISAKMP:${tag}: beginning Main Mode exchange`);
    this.core.sendMain(sa, [saPayload, vid(VID_DPD), ...this.core.natT.vendorIds()], false);
    return true;
  }

  handle(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    if (sa.role === "I" && sa.state === "MM_NO_STATE") return this.initiatorMm2(sa, header, body, bytes);
    if (sa.role === "R" && sa.state === "MM_SA_SETUP") return this.responderMm3(sa, header, body, bytes);
    if (sa.role === "I" && sa.state === "MM_SA_SETUP") return this.initiatorMm4(sa, header, body, bytes);
    if (sa.role === "R" && sa.state === "MM_KEY_EXCH") return this.responderMm5(sa, header, body, bytes);
    if (sa.role === "I" && sa.state === "MM_KEY_EXCH") return this.initiatorMm6(sa, header, body, bytes);
    this.core.host.debugIsakmp(() => `ISAKMP:${sa.tag}: main mode message in state ${sa.state} ignored`);
  }

  responderMm1(src: number, dst: number, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.core.host;
    const payloads = parseIsakmpPayloads(header.nextPayload, body);
    host.debugIsakmp(() => `ISAKMP (0): received packet from ${ip(src)} dport 500 sport 500 Global (N) NEW SA`);
    host.debugIsakmp(() => `ISAKMP: Created a peer struct for ${ip(src)}, peer port 500`);
    if (!payloads.ok) return this.core.badMessage(src, payloads.error.detail);
    const saP = findPayload(payloads.value, "sa");
    if (saP === undefined || saP.proposals.length === 0) return this.core.badMessage(src, "no SA payload");
    const sa = new IsakmpSa(
      this.core.allocateConnId(),
      "R",
      header.initiatorCookie.slice(),
      host.randomBytes(8),
      dst,
      src,
      host.now(),
    );
    sa.lastReceived = bytes.slice();
    const key = host.crypto.keyFor(src);
    if (key !== undefined) host.debugIsakmp(() => `ISAKMP:(0):found peer pre-shared key matching ${ip(src)}`);
    sa.peerDpd = payloads.value.some((p) => p.type === "vendorId" && equalConstantTime(p.data, VID_DPD));
    this.core.natT.notePeerVendorIds(sa, payloads.value);
    host.debugIsakmp(() => "ISAKMP:(0):Input = IKE_MESG_FROM_PEER, IKE_MM_EXCH");
    host.debugIsakmp(() => "ISAKMP:(0):Old State = IKE_READY  New State = IKE_R_MM1 ");
    host.debugIsakmp(() => "ISAKMP:(0): processing SA payload. message ID = 0");
    const proposal = saP.proposals[0]!;
    const choice = choosePolicy(this.core.usablePoliciesForResponder(), proposal.transforms, key !== undefined, "(0)", {
      certAvailable: this.auth.canSign(),
      peer: ip(src),
    });
    for (const line of choice.debug) host.debugIsakmp(() => line);
    if (choice.accepted === null) {
      host.debugIsakmp(() => `ISAKMP:(0): phase 1 SA policy not acceptable! (local ${ip(dst)} remote ${ip(src)})`);
      host.debugIsakmp(() => "ISAKMP:(0): incrementing error counter on sa, attempt 1 of 5: construct_fail_ag_init");
      this.core.sendPlainNotify(sa, NOTIFY.NO_PROPOSAL_CHOSEN);
      host.debugIsakmp(
        () =>
          `ISAKMP:(0):deleting SA reason "Phase1 SA policy proposal not accepted" state (R) MM_NO_STATE (peer ${ip(src)})`,
      );
      return;
    }
    const offer = decodeTransform(choice.accepted.transform);
    const policy = policyFromOffer(offer, choice.accepted.lifetimeSec)!;
    this.core.setPolicy(sa, policy);
    sa.saiB = saP.body.slice();
    this.core.addSa(sa);
    host.debugIsakmp(() => `ISAKMP:(0):Acceptable atts:actual life: 0`);
    host.debugIsakmp(() => `ISAKMP:(0):Acceptable atts:life: 0`);
    host.debugIsakmp(() => `ISAKMP:(0):Fill atts in sa vpi_length:4`);
    host.debugIsakmp(() => `ISAKMP:(0):Fill atts in sa life_in_seconds:${policy.lifetimeSec}`);
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
    this.core.setState(sa, "MM_SA_SETUP", "IKE_R_MM1", "IKE_R_MM2");
    this.core.sendMain(sa, [reply, vid(VID_DPD), ...(sa.natT.peerSupports ? this.core.natT.vendorIds() : [])], false);
  }

  initiatorMm2(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.core.host;
    const payloads = parseIsakmpPayloads(header.nextPayload, body);
    if (!payloads.ok) return this.core.badMessage(sa.peer, payloads.error.detail);
    const saP = findPayload(payloads.value, "sa");
    const t = saP?.proposals[0]?.transforms[0];
    const offered = sa.offered;
    const chosen = t === undefined ? undefined : offered[t.number - 1];
    if (chosen === undefined) return this.core.badMessage(sa.peer, "responder chose a transform we did not offer");
    sa.ckyR = header.responderCookie.slice();
    sa.lastReceived = bytes.slice();
    this.core.stopRetransmit(sa);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Input = IKE_MESG_FROM_PEER, IKE_MM_EXCH`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_I_MM1  New State = IKE_I_MM2 `);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing SA payload. message ID = 0`);
    host.debugIsakmp(
      () => `ISAKMP:${sa.tag}:Checking ISAKMP transform ${t!.number} against priority ${chosen.priority} policy`,
    );
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:atts are acceptable. Next payload is 0`);
    sa.peerDpd = payloads.value.some((p) => p.type === "vendorId" && equalConstantTime(p.data, VID_DPD));
    this.core.natT.notePeerVendorIds(sa, payloads.value);
    const offer = decodeTransform(t!);
    this.core.setPolicy(sa, {
      ...chosen,
      lifetimeSec: Math.min(chosen.lifetimeSec, offer.lifetimeSec ?? chosen.lifetimeSec),
    });
    sa.gxi = this.core.newDh(sa, sa.policy!.group as DhGroup);
    sa.niB = host.randomBytes(NONCE_LENGTH);
    this.core.setState(sa, "MM_SA_SETUP", "IKE_I_MM2", "IKE_I_MM3");
    this.sendKeyExchange(sa, sa.gxi, sa.niB);
  }

  /** Messages 3 and 4 as received: their payloads with KE and NONCE, or null (logged as malformed) without them. */
  private readKeyExchange(
    sa: IsakmpSa,
    header: IsakmpHeader,
    body: Uint8Array,
    bytes: Uint8Array,
  ): {
    payloads: IsakmpPayload[];
    ke: Extract<IsakmpPayload, { type: "ke" }>;
    nonce: Extract<IsakmpPayload, { type: "nonce" }>;
  } | null {
    const payloads = parseIsakmpPayloads(header.nextPayload, body);
    if (!payloads.ok) {
      this.core.badMessage(sa.peer, payloads.error.detail);
      return null;
    }
    const ke = findPayload(payloads.value, "ke");
    const nonce = findPayload(payloads.value, "nonce");
    if (ke === undefined || nonce === undefined) {
      this.core.badMessage(sa.peer, "KE or NONCE missing");
      return null;
    }
    this.core.stopRetransmit(sa);
    sa.lastReceived = bytes.slice();
    this.core.host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing KE payload. message ID = 0`);
    this.core.host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing NONCE payload. message ID = 0`);
    return { payloads: payloads.value, ke, nonce };
  }

  /** Messages 3 and 4: KE and NONCE, then CERTREQ with rsa-sig and NAT-D with NAT-T. */
  private sendKeyExchange(sa: IsakmpSa, ke: Uint8Array, nonce: Uint8Array): void {
    this.core.sendMain(
      sa,
      [
        { type: "ke", data: ke },
        { type: "nonce", data: nonce },
        ...this.auth.certificateRequests(sa),
        ...this.core.natT.discoveryPayloads(sa),
      ],
      false,
    );
  }

  responderMm3(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.core.host;
    const received = this.readKeyExchange(sa, header, body, bytes);
    if (received === null) return;
    const { payloads, ke, nonce } = received;
    sa.gxi = ke.data.slice();
    sa.gxr = this.core.newDh(sa, sa.policy!.group as DhGroup);
    sa.niB = nonce.data.slice();
    sa.nrB = host.randomBytes(NONCE_LENGTH);
    if (!this.core.deriveKeys(sa)) return this.core.badMessage(sa.peer, "invalid KE");
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SKEYID state generated`);
    this.core.natT.detect(sa, payloads);
    this.core.setState(sa, "MM_KEY_EXCH", "IKE_R_MM3", "IKE_R_MM4");
    this.sendKeyExchange(sa, sa.gxr, sa.nrB);
  }

  initiatorMm4(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.core.host;
    const received = this.readKeyExchange(sa, header, body, bytes);
    if (received === null) return;
    const { payloads, ke, nonce } = received;
    sa.gxr = ke.data.slice();
    sa.nrB = nonce.data.slice();
    if (!this.core.deriveKeys(sa)) return this.core.badMessage(sa.peer, "invalid KE");
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SKEYID state generated`);
    this.core.natT.detect(sa, payloads);
    this.core.natT.floatIfNat(sa);
    const id = this.core.phase1Id(sa.local);
    const idB = emitPayloadBody(id);
    const hash = hashI(sa.hash!, sa.keys!.skeyid, sa.gxi!, sa.gxr!, sa.ckyI, sa.ckyR, sa.saiB!, idB);
    const proof = this.auth.isRsaSig(sa) ? this.auth.proof(sa, hash) : [{ type: "hash", data: hash } as const];
    if (proof === null) return;
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_I_MM4  New State = IKE_I_MM5 `);
    sa.state = "MM_KEY_EXCH";
    this.core.sendMain(
      sa,
      [
        id,
        ...proof,
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
    );
  }

  responderMm5(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.core.host;
    if ((header.flags & ISAKMP_FLAG.ENCRYPTION) === 0) {
      host.log(`%CRYPTO-6-IKMP_NOT_ENCRYPTED: IKE packet from ${ip(sa.peer)} was not encrypted and it should've been.`);
      return;
    }
    const saved = sa.iv;
    const plain = sa.decryptMain(body);
    const payloads = plain === null ? null : parseIsakmpPayloads(header.nextPayload, plain);
    const id = payloads?.ok ? findPayload(payloads.value, "id") : undefined;
    const hash = payloads?.ok ? findPayload(payloads.value, "hash") : undefined;
    const rsaSig = this.auth.isRsaSig(sa);
    if (payloads === null || !payloads.ok || id === undefined || (hash === undefined && !rsaSig)) {
      // A wrong pre-shared key gives a wrong SKEYID_e: the message decrypts to garbage.
      sa.iv = saved;
      if (payloads !== null && !payloads.ok) host.debugIsakmp(() => `ISAKMP: ${payloads.error.detail}`);
      return this.core.badMessage(sa.peer, "phase 1 message 5 does not decrypt to valid payloads");
    }
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing ID payload. message ID = 0`);
    host.debugIsakmp(
      () =>
        `ISAKMP (${sa.shownConnId}): ID payload \n\tnext-payload : 8\n\ttype         : ${id.idType}\n\taddress      : ${ip(readIpv4(id.data, 0))}\n\tprotocol     : ${id.protocolId}\n\tport         : ${id.port}\n\tlength       : ${4 + id.body.length}`,
    );
    const expected = hashI(sa.hash!, sa.keys!.skeyid, sa.gxi!, sa.gxr!, sa.ckyI, sa.ckyR, sa.saiB!, id.body);
    if (rsaSig && !this.auth.verify(sa, payloads.value, id, expected)) {
      // Refused: a retransmission of the same message is checked (and refused) again.
      sa.iv = saved;
      return;
    }
    sa.lastReceived = bytes.slice();
    this.core.stopRetransmit(sa);
    if (!rsaSig) host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing HASH payload. message ID = 0`);
    if (!rsaSig && !equalConstantTime(expected, hash!.data)) {
      host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tnot authenticated`);
      host.log(`%CRYPTO-4-IKMP_HASH_FAIL: IKE message from ${ip(sa.peer)} failed hash verification`);
      return;
    }
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tauthenticated`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA has been authenticated with ${ip(sa.peer)}`);
    const myId = this.core.phase1Id(sa.local);
    const hr = hashR(sa.hash!, sa.keys!.skeyid, sa.gxr!, sa.gxi!, sa.ckyR, sa.ckyI, sa.saiB!, emitPayloadBody(myId));
    const proof = rsaSig ? this.auth.proof(sa, hr) : [{ type: "hash", data: hr } as const];
    if (proof === null) return;
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_R_MM5  New State = IKE_P1_COMPLETE`);
    this.core.sendMain(sa, [myId, ...proof], true, false);
    this.core.phase1Complete(sa);
  }

  initiatorMm6(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array, bytes: Uint8Array): void {
    const host = this.core.host;
    const saved = sa.iv;
    const plain = (header.flags & ISAKMP_FLAG.ENCRYPTION) === 0 ? null : sa.decryptMain(body);
    const payloads = plain === null ? null : parseIsakmpPayloads(header.nextPayload, plain);
    const id = payloads?.ok ? findPayload(payloads.value, "id") : undefined;
    const hash = payloads?.ok ? findPayload(payloads.value, "hash") : undefined;
    const rsaSig = this.auth.isRsaSig(sa);
    if (payloads === null || !payloads.ok || id === undefined || (hash === undefined && !rsaSig)) {
      sa.iv = saved;
      return this.core.badMessage(sa.peer, "phase 1 message 6 does not decrypt to valid payloads");
    }
    const expected = hashR(sa.hash!, sa.keys!.skeyid, sa.gxr!, sa.gxi!, sa.ckyR, sa.ckyI, sa.saiB!, id.body);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing ID payload. message ID = 0`);
    if (rsaSig && !this.auth.verify(sa, payloads.value, id, expected)) {
      sa.iv = saved;
      return;
    }
    if (!rsaSig) host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing HASH payload. message ID = 0`);
    if (!rsaSig && !equalConstantTime(expected, hash!.data)) {
      host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tnot authenticated`);
      return;
    }
    sa.lastReceived = bytes.slice();
    this.core.stopRetransmit(sa);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA authentication status:\n\tauthenticated`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:SA has been authenticated with ${ip(sa.peer)}`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Input = IKE_MESG_FROM_PEER, IKE_MM_EXCH`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_I_MM6  New State = IKE_P1_COMPLETE`);
    this.core.phase1Complete(sa);
  }
}
