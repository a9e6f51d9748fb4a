// IKEv1 quick mode (RFC 2409 5.5): three messages under the ISAKMP SA that
// agree on proxy identities, a transform set, lifetimes and optional PFS, and
// derive KEYMAT for two unidirectional IPsec SAs that the crypto-map data
// plane installs. The responder looks for a crypto map entry whose ACL,
// mirrored, contains the offered identities (static entries, then dynamic).

import type { CryptoKeyRecord } from "../../../capture/crypto-keys.ts";
import { hexSpi } from "../../../dataplane/ipsec/crypto-map-dataplane.ts";
import type { NegotiatedSa, SaRequest } from "../../../dataplane/ipsec/ipsec-sa.ts";
import { type ProxyId, proxiesFromAce, proxyWithin } from "../../../dataplane/ipsec/proxy-id.ts";
import type { RouterInterface } from "../../../dataplane/pipeline/router-interface.ts";
import { equalConstantTime } from "../../../fastpath/crypto/hash-check.ts";
import {
  emitIsakmpPayloads,
  findPayload,
  type IsakmpHeader,
  type IsakmpPayload,
  type IsakmpPayloadInput,
  type IsakmpProposal,
  parseIsakmpPayloads,
} from "../../../wire/isakmp.ts";
import {
  DOI_IPSEC,
  ISAKMP_EXCHANGE,
  ISAKMP_FLAG,
  NOTIFY,
  PROTO,
  SIT_IDENTITY_ONLY,
} from "../../../wire/isakmp-constants.ts";
import { type CryptoMapEntry, cbcAlgorithmOf, hashAlgorithmOf, type TransformSet } from "../../ipsec/crypto-config.ts";
import { dhKeyPair, dhSharedSecret } from "../dh.ts";
import type { DhGroup } from "../dh-groups.ts";
import { keymat, quickModeHash1, quickModeHash2, quickModeHash3, splitKeymat } from "../v1-keys.ts";
import {
  cap,
  hex,
  hostProxy,
  ip,
  keyHex,
  NONCE_LENGTH,
  offerText,
  proxyFromId,
  proxyIdPayload,
  proxyText,
  restAfterHash,
} from "./exchange-support.ts";
import type { IkeV1Engine } from "./ike-engine.ts";
import type { IsakmpSa, QuickModeExchange } from "./isakmp-sa.ts";
import { type NatOriginalAddresses, natOaPayloads, readNatOa } from "./nat-oa.ts";
import { natDetected } from "./nat-traversal.ts";
import { u32Bytes } from "./phase1-policy.ts";
import {
  bundleMatches,
  decodeBundles,
  decodeProposal,
  describeProposal,
  isAhEspBundle,
  keyLengths,
  type Phase2Bundle,
  transformSetProposals,
  transformSetProtocol,
  transformText,
} from "./phase2-proposal.ts";

/** Quick mode exchanges. */
export class QuickMode {
  constructor(private readonly core: IkeV1Engine) {}

  start(sa: IsakmpSa, req: SaRequest): void {
    const host = this.core.host;
    const entry = this.mapEntry(req.mapName, req.sequence);
    const sets = (entry?.transformSets ?? [])
      .map((n) => host.crypto.transformSets.get(n))
      .filter((t): t is TransformSet => t !== undefined);
    if (entry === undefined || sets.length === 0) {
      host.debugIpsec(() => `IPSEC(sa_request): no transform set for map ${req.mapName} ${req.sequence}`);
      return;
    }
    const messageId = this.core.newMessageId(sa);
    const spi = this.core.newSpi();
    const terms = this.phase2Terms(entry, req);
    const qm: QuickModeExchange = {
      messageId,
      role: "I",
      request: req,
      spi,
      niB: host.randomBytes(NONCE_LENGTH),
      offered: sets.map((s) => s.name),
      retransmits: 0,
    };
    if (sets.some(isAhEspBundle)) qm.ahSpi = this.core.newSpi();
    if (terms.pfsGroup !== null) {
      const kp = dhKeyPair(terms.pfsGroup as DhGroup, (n) => host.randomBytes(n));
      qm.pfs = { group: terms.pfsGroup as DhGroup, privateKey: kp.privateKey, publicKey: kp.publicKey };
    }
    sa.quickModes.set(messageId, qm);
    host.debugIpsec(
      () =>
        `IPSEC(sa_request): ,\n  (key eng. msg.) OUTBOUND local= ${ip(req.local)}:0, remote= ${ip(req.peer)}:0,\n    local_proxy= ${proxyText(req.localProxy)},\n    remote_proxy= ${proxyText(req.remoteProxy)},\n    protocol= ${sets[0]!.ah !== undefined && sets[0]!.espEncryption === undefined ? "AH" : "ESP"}, transform= ${transformText(sets[0]!)}  (${cap(terms.mode)}), \n    lifedur= ${terms.lifetimeSec}s and ${terms.lifetimeKb}kb, \n    spi= 0x0(0), conn_id= 0, keysize= 0, flags= 0x0`,
    );
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:beginning Quick Mode exchange, M-ID of ${messageId}`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:QM Initiator gets spi`);
    const payloads: IsakmpPayloadInput[] = [
      {
        type: "sa",
        doi: DOI_IPSEC,
        situation: SIT_IDENTITY_ONLY,
        proposals: sets.flatMap((s, i) =>
          transformSetProposals(
            s,
            i + 1,
            { spi, ahSpi: qm.ahSpi },
            {
              ...terms,
              mode: this.modeFor(s, req, sa),
              udpEncap: natDetected(sa.natT) && transformSetProtocol(s) === "esp",
            },
          ),
        ),
      },
      { type: "nonce", data: qm.niB },
    ];
    if (qm.pfs !== undefined) payloads.push({ type: "ke", data: qm.pfs.publicKey });
    payloads.push(proxyIdPayload(req.localProxy), proxyIdPayload(req.remoteProxy));
    // UDP-encapsulated transport mode on offer: our NAT original addresses go with it (RFC 3947 5.2).
    if (natDetected(sa.natT) && sets.some((s) => this.modeFor(s, req, sa) === "transport"))
      payloads.push(...natOaPayloads(req.local, req.peer));
    const rest = emitIsakmpPayloads(payloads).bytes;
    const hash = quickModeHash1(sa.hash!, sa.keys!.a, messageId, rest);
    this.core.sendExchange(sa, ISAKMP_EXCHANGE.QUICK, messageId, [{ type: "hash", data: hash }, ...payloads], qm);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Node ${messageId}, Input = IKE_MESG_INTERNAL, IKE_INIT_QM`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_QM_READY  New State = IKE_QM_I_QM1`);
  }

  /**
   * Transport only when the proxies are the two peers themselves; tunnel
   * otherwise (IOS's fallback). Through a NAT the two sides name the ends
   * differently: an identity may also be the address the other side's NAT-OA
   * payloads give for that end (UDP-encapsulated transport, RFC 3947).
   */
  modeFor(ts: TransformSet, req: SaRequest, sa: IsakmpSa, natOa: NatOriginalAddresses = {}): "tunnel" | "transport" {
    if (ts.mode !== "transport") return "tunnel";
    const hostTo = (p: ProxyId, a: number | undefined): boolean =>
      a !== undefined && p.mask >>> 0 === 0xffffffff && p.address >>> 0 === a >>> 0;
    const nat = natDetected(sa.natT);
    // natOa as the sender wrote it: for the responder, the initiator's end is the remote one.
    const local = hostTo(req.localProxy, req.local) || (nat && hostTo(req.localProxy, natOa.responder));
    const remote = hostTo(req.remoteProxy, req.peer) || (nat && hostTo(req.remoteProxy, natOa.initiator));
    return local && remote ? "transport" : "tunnel";
  }

  phase2Terms(
    entry: CryptoMapEntry,
    _req: SaRequest,
  ): { mode: "tunnel" | "transport"; lifetimeSec: number; lifetimeKb: number; pfsGroup: number | null } {
    const c = this.core.host.crypto;
    return {
      mode: "tunnel",
      lifetimeSec: entry.lifetimeSec ?? c.ipsecLifetimeSec,
      lifetimeKb: entry.lifetimeKb ?? c.ipsecLifetimeKb,
      pfsGroup: entry.pfsGroup ?? null,
    };
  }

  handle(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array): void {
    if (sa.state !== "QM_IDLE" || (header.flags & ISAKMP_FLAG.ENCRYPTION) === 0) return;
    const qm = sa.quickModes.get(header.messageId);
    const opened = sa.decryptExchange(header.messageId, body);
    const payloads = opened === null ? null : parseIsakmpPayloads(header.nextPayload, opened.plain);
    if (opened === null || payloads === null || !payloads.ok || payloads.value[0]?.type !== "hash") {
      return this.core.badMessage(sa.peer, "quick mode message does not decrypt to valid payloads");
    }
    const hashP = payloads.value[0] as Extract<IsakmpPayload, { type: "hash" }>;
    const rest = restAfterHash(opened.plain, payloads.value);
    if (qm === undefined)
      return this.responderQm1(sa, header.messageId, payloads.value, hashP.data, rest, opened.commit);
    if (qm.role === "I") return this.initiatorQm2(sa, qm, payloads.value, hashP.data, rest, opened.commit);
    return this.responderQm3(sa, qm, hashP.data, opened.commit);
  }

  responderQm1(
    sa: IsakmpSa,
    messageId: number,
    payloads: IsakmpPayload[],
    hash: Uint8Array,
    rest: Uint8Array,
    commit: () => void,
  ): void {
    const host = this.core.host;
    const tag = sa.tag;
    if (!equalConstantTime(quickModeHash1(sa.hash!, sa.keys!.a, messageId, rest), hash)) {
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
    if (saP === undefined || nonce === undefined)
      return this.core.badMessage(sa.peer, "quick mode message 1 lacks SA or NONCE");
    // Without identities the proxies are the two peers (RFC 2409 5.5).
    const remoteProxy = ids[0] !== undefined ? proxyFromId(ids[0]) : hostProxy(sa.peer);
    const localProxy = ids[1] !== undefined ? proxyFromId(ids[1]) : hostProxy(sa.local);
    if (remoteProxy === null || localProxy === null)
      return this.rejectQm(sa, messageId, saP.proposals[0], "unsupported identity type", 18);
    const match = this.findResponderEntry(sa, localProxy, remoteProxy);
    const natOa = readNatOa(payloads);
    let accepted: { bundle: Phase2Bundle; ts: TransformSet } | null = null;
    let error = 32;
    if (match !== null) {
      for (const p of saP.proposals) for (const line of describeProposal(p, tag)) host.debugIsakmp(() => line);
      for (const bundle of decodeBundles(saP.proposals)) {
        const pfsOk = match.entry.pfsGroup === undefined || match.entry.pfsGroup === bundle.primary.group;
        for (const name of match.entry.transformSets) {
          const ts = host.crypto.transformSets.get(name);
          if (ts !== undefined && pfsOk && bundleMatches(ts, this.modeFor(ts, match.request, sa, natOa), bundle)) {
            accepted = { bundle, ts };
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
    host.debugIpsec(
      () =>
        `IPSEC(validate_proposal_request): proposal part #1,\n  (key eng. msg.) INBOUND local= ${ip(sa.local)}:0, remote= ${ip(sa.peer)}:0,\n    local_proxy= ${proxyText(localProxy)},\n    remote_proxy= ${proxyText(remoteProxy)},\n    protocol= ${firstOffer?.protocol === "ah" ? "AH" : "ESP"}, transform= NONE  (${cap(firstOffer?.mode ?? "tunnel")}), \n    lifedur= 0s and 0kb, \n    spi= 0x0(0), conn_id= 0, keysize= 0, flags= 0x0 `,
    );
    if (match === null) {
      host.debugIpsec(() => "IPSEC(validate_transform_proposal): proxy identities not supported");
      return this.rejectQm(sa, messageId, first, "proxy identities not supported", error);
    }
    if (accepted === null) {
      host.debugIpsec(
        () =>
          `IPSEC(ipsec_process_proposal): transform proposal not supported for identity: \n    {${firstOffer === null ? "" : offerText(firstOffer)}}`,
      );
      return this.rejectQm(sa, messageId, first, "transform proposal not supported", error);
    }
    const { bundle, ts } = accepted;
    const offer = bundle.primary;
    let gxyQm: Uint8Array | undefined;
    let myKe: Uint8Array | undefined;
    if (offer.group !== null) {
      if (ke === undefined) return this.rejectQm(sa, messageId, first, "PFS requested without KE", error);
      const kp = dhKeyPair(offer.group as DhGroup, (n) => host.randomBytes(n));
      const secret = dhSharedSecret(offer.group as DhGroup, kp.privateKey, ke.data);
      if (secret === null) return this.core.badMessage(sa.peer, "invalid PFS KE");
      gxyQm = secret;
      myKe = kp.publicKey;
    }
    const spi = this.core.newSpi();
    const request: SaRequest = { ...match.request, localProxy, remoteProxy };
    const mode = offer.mode;
    const c = host.crypto;
    const lifetimeSec = Math.min(offer.lifetimeSec ?? Infinity, match.entry.lifetimeSec ?? c.ipsecLifetimeSec);
    const lifetimeKb = Math.min(offer.lifetimeKb ?? Infinity, match.entry.lifetimeKb ?? c.ipsecLifetimeKb);
    const qm: QuickModeExchange = {
      messageId,
      role: "R",
      request,
      spi,
      niB: nonce.data.slice(),
      nrB: host.randomBytes(NONCE_LENGTH),
      offered: [ts.name],
      retransmits: 0,
      accepted: { transformSet: ts.name, peerSpi: offer.spi, peerAhSpi: bundle.ah?.spi, mode, lifetimeSec, lifetimeKb },
    };
    if (bundle.ah !== null) qm.ahSpi = this.core.newSpi();
    if (gxyQm !== undefined) {
      qm.pfs = { group: offer.group as DhGroup, privateKey: new Uint8Array(0), publicKey: myKe! };
      qm.gxyQm = gxyQm;
    }
    sa.quickModes.set(messageId, qm);
    const reply: IsakmpPayloadInput[] = [
      {
        type: "sa",
        doi: DOI_IPSEC,
        situation: SIT_IDENTITY_ONLY,
        proposals: transformSetProposals(
          ts,
          offer.number,
          { spi, ahSpi: qm.ahSpi },
          { mode, lifetimeSec, lifetimeKb, pfsGroup: offer.group, udpEncap: offer.udpEncap },
        ),
      },
      { type: "nonce", data: qm.nrB! },
    ];
    if (myKe !== undefined) reply.push({ type: "ke", data: myKe });
    for (const id of ids)
      reply.push({ type: "id", idType: id.idType, protocolId: id.protocolId, port: id.port, data: id.data });
    // Selected UDP-encapsulated transport: our NAT original addresses back (the initiator as we see it, us).
    if (mode === "transport" && offer.udpEncap) reply.push(...natOaPayloads(sa.peer, sa.local));
    const replyRest = emitIsakmpPayloads(reply).bytes;
    const h2 = quickModeHash2(sa.hash!, sa.keys!.a, messageId, qm.niB, replyRest);
    host.debugIsakmp(() => `ISAKMP:${tag}: processing NONCE payload. message ID = ${messageId}`);
    host.debugIsakmp(() => `ISAKMP:${tag}: processing ID payload. message ID = ${messageId}`);
    host.debugIsakmp(() => `ISAKMP:${tag}:QM Responder gets spi`);
    host.debugIsakmp(() => `ISAKMP:${tag}:Node ${messageId}, Input = IKE_MESG_FROM_PEER, IKE_QM_EXCH`);
    host.debugIsakmp(() => `ISAKMP:${tag}:Old State = IKE_QM_READY  New State = IKE_QM_SPI_STARVE`);
    this.core.sendExchange(sa, ISAKMP_EXCHANGE.QUICK, messageId, [{ type: "hash", data: h2 }, ...reply], qm);
    host.debugIsakmp(() => `ISAKMP:${tag}:Old State = IKE_QM_SPI_STARVE  New State = IKE_QM_R_QM2`);
  }

  initiatorQm2(
    sa: IsakmpSa,
    qm: QuickModeExchange,
    payloads: IsakmpPayload[],
    hash: Uint8Array,
    rest: Uint8Array,
    commit: () => void,
  ): void {
    const host = this.core.host;
    if (!equalConstantTime(quickModeHash2(sa.hash!, sa.keys!.a, qm.messageId, qm.niB, rest), hash)) {
      host.debugIsakmp(() => `ISAKMP:${sa.tag}: hash in quick mode message 2 does not verify`);
      return;
    }
    commit();
    const saP = findPayload(payloads, "sa");
    const nonce = findPayload(payloads, "nonce");
    const ke = findPayload(payloads, "ke");
    const bundle = saP === undefined ? undefined : decodeBundles(saP.proposals)[0];
    const offer = bundle?.primary ?? null;
    const ts = offer === null ? undefined : host.crypto.transformSets.get(qm.offered[offer.number - 1] ?? "");
    if (
      saP === undefined ||
      nonce === undefined ||
      offer === null ||
      ts === undefined ||
      isAhEspBundle(ts) !== (bundle!.ah !== null)
    ) {
      return this.core.badMessage(sa.peer, "quick mode message 2 malformed");
    }
    qm.peerAhSpi = bundle!.ah?.spi;
    this.core.stopQmRetransmit(qm);
    qm.nrB = nonce.data.slice();
    let gxyQm: Uint8Array | undefined;
    if (qm.pfs !== undefined) {
      if (ke === undefined) return this.core.badMessage(sa.peer, "PFS KE missing");
      const secret = dhSharedSecret(qm.pfs.group, qm.pfs.privateKey, ke.data);
      if (secret === null) return this.core.badMessage(sa.peer, "invalid PFS KE");
      gxyQm = secret;
    }
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing HASH payload. message ID = ${qm.messageId}`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: processing SA payload. message ID = ${qm.messageId}`);
    for (const p of saP.proposals) for (const line of describeProposal(p, sa.tag)) host.debugIsakmp(() => line);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:atts are acceptable.`);
    const h3 = quickModeHash3(sa.hash!, sa.keys!.a, qm.messageId, qm.niB, qm.nrB);
    this.core.sendExchange(sa, ISAKMP_EXCHANGE.QUICK, qm.messageId, [{ type: "hash", data: h3 }], null);
    const mode = offer.mode;
    const entry = this.mapEntry(qm.request.mapName, qm.request.sequence);
    const terms = entry === undefined ? null : this.phase2Terms(entry, qm.request);
    this.installSas(
      sa,
      qm,
      ts,
      offer.spi,
      mode,
      offer.lifetimeSec ?? terms?.lifetimeSec ?? host.crypto.ipsecLifetimeSec,
      offer.lifetimeKb ?? terms?.lifetimeKb ?? host.crypto.ipsecLifetimeKb,
      offer.group,
      gxyQm,
      true,
    );
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Node ${qm.messageId}, Input = IKE_MESG_FROM_PEER, IKE_QM_EXCH`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_QM_I_QM1  New State = IKE_QM_PHASE2_COMPLETE`);
    sa.quickModes.delete(qm.messageId);
    sa.endExchange(qm.messageId);
  }

  responderQm3(sa: IsakmpSa, qm: QuickModeExchange, hash: Uint8Array, commit: () => void): void {
    const host = this.core.host;
    if (!equalConstantTime(quickModeHash3(sa.hash!, sa.keys!.a, qm.messageId, qm.niB, qm.nrB!), hash)) {
      host.debugIsakmp(() => `ISAKMP:${sa.tag}: hash in quick mode message 3 does not verify`);
      return;
    }
    commit();
    this.core.stopQmRetransmit(qm);
    const a = qm.accepted!;
    const ts = host.crypto.transformSets.get(a.transformSet);
    if (ts === undefined) return;
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Node ${qm.messageId}, Input = IKE_MESG_FROM_PEER, IKE_QM_EXCH`);
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:Old State = IKE_QM_R_QM2  New State = IKE_QM_PHASE2_COMPLETE`);
    qm.peerAhSpi = a.peerAhSpi;
    this.installSas(sa, qm, ts, a.peerSpi, a.mode, a.lifetimeSec, a.lifetimeKb, qm.pfs?.group ?? null, qm.gxyQm, false);
    sa.quickModes.delete(qm.messageId);
    sa.endExchange(qm.messageId);
  }

  rejectQm(sa: IsakmpSa, messageId: number, proposal: IsakmpProposal | undefined, _why: string, error: number): void {
    const host = this.core.host;
    host.debugIsakmp(() => `ISAKMP:${sa.tag}: IPSec policy invalidated proposal with error ${error}`);
    host.debugIsakmp(
      () => `ISAKMP:${sa.tag}: phase 2 SA policy not acceptable! (local ${ip(sa.local)} remote ${ip(sa.peer)})`,
    );
    host.log(`%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at ${ip(sa.peer)}`);
    sa.endExchange(messageId);
    this.core.sendNotify(sa, NOTIFY.NO_PROPOSAL_CHOSEN, PROTO.IPSEC_ESP, proposal?.spi ?? new Uint8Array(4));
    host.debugIsakmp(() => `ISAKMP:${sa.tag}:deleting node ${messageId} error TRUE reason "QM rejected"`);
  }

  /** KEYMAT for both directions (each keyed by the SPI its receiver chose) and the data-plane install. */
  installSas(
    sa: IsakmpSa,
    qm: QuickModeExchange,
    ts: TransformSet,
    peerSpi: number,
    mode: "tunnel" | "transport",
    lifetimeSec: number,
    lifetimeKb: number,
    pfsGroup: number | null,
    gxyQm: Uint8Array | undefined,
    initiator: boolean,
  ): void {
    const host = this.core.host;
    const protocol = transformSetProtocol(ts);
    const [niB, nrB] = [qm.niB, qm.nrB!];
    // KEYMAT per protocol and SPI (RFC 2409 5.5): each SA's keys come from the SPI its receiver chose.
    const material = (proto: "esp" | "ah", spi: number): { encryptionKey: Uint8Array; integrityKey: Uint8Array } => {
      const lengths = keyLengths(ts, proto);
      const protoId = proto === "esp" ? PROTO.IPSEC_ESP : PROTO.IPSEC_AH;
      return splitKeymat(
        keymat(sa.hash!, sa.keys!.d, protoId, u32Bytes(spi), niB, nrB, lengths.encryption + lengths.integrity, gxyQm),
        lengths.encryption,
        lengths.integrity,
      );
    };
    const mine = material(protocol, qm.spi);
    const theirs = material(protocol, peerSpi);
    const encryption = protocol === "esp" && ts.espEncryption !== undefined ? cbcAlgorithmOf(ts.espEncryption) : null;
    const integrityName = protocol === "esp" ? ts.espIntegrity : ts.ah;
    const integrity = integrityName === undefined ? null : hashAlgorithmOf(integrityName);
    const n: NegotiatedSa = {
      ...qm.request,
      protocol,
      transform: ts,
      mode,
      lifetimeSec,
      lifetimeKb,
      pfsGroup,
      initiator,
      // ESP rides in UDP once NAT-T found a NAT (AH cannot cross one: it signs the addresses).
      udpEncap:
        protocol === "esp" && natDetected(sa.natT)
          ? { localPort: sa.natT.localPort, peerPort: sa.natT.peerPort }
          : null,
      inbound: {
        spi: qm.spi,
        encryption,
        encryptionKey: mine.encryptionKey,
        integrity,
        integrityKey: mine.integrityKey,
      },
      outbound: {
        spi: peerSpi,
        encryption,
        encryptionKey: theirs.encryptionKey,
        integrity,
        integrityKey: theirs.integrityKey,
      },
    };
    if (isAhEspBundle(ts) && qm.ahSpi !== undefined && qm.peerAhSpi !== undefined) {
      const ah = hashAlgorithmOf(ts.ah!);
      const [inAh, outAh] = [material("ah", qm.ahSpi), material("ah", qm.peerAhSpi)];
      n.ahBundle = {
        inbound: {
          spi: qm.ahSpi,
          encryption: null,
          encryptionKey: new Uint8Array(0),
          integrity: ah,
          integrityKey: inAh.integrityKey,
        },
        outbound: {
          spi: qm.peerAhSpi,
          encryption: null,
          encryptionKey: new Uint8Array(0),
          integrity: ah,
          integrityKey: outAh.integrityKey,
        },
      };
    }
    const r = qm.request;
    host.debugIsakmp(
      () =>
        `ISAKMP:${sa.tag}: Creating IPSec SAs\n        inbound SA from ${ip(sa.peer)} to ${ip(sa.local)} (f/i)  0/ 0\n        (proxy ${ip(r.remoteProxy.address)} to ${ip(r.localProxy.address)})\n        has spi 0x${hex(qm.spi)} and conn_id 0\n        lifetime of ${lifetimeSec} seconds\n        lifetime of ${lifetimeKb} kilobytes\n        outbound SA from ${ip(sa.local)} to ${ip(sa.peer)} (f/i) 0/0\n        (proxy ${ip(r.localProxy.address)} to ${ip(r.remoteProxy.address)})\n        has spi  0x${hex(peerSpi)} and conn_id 0\n        lifetime of ${lifetimeSec} seconds\n        lifetime of ${lifetimeKb} kilobytes`,
    );
    // Through a NAT the outer addresses differ on its two sides: only the SPI names the SA on every hop.
    const natted = n.udpEncap !== null;
    const record = (src: number, dst: number, keys: NegotiatedSa["inbound"]): CryptoKeyRecord => ({
      kind: "esp",
      protocol,
      src: natted ? null : src,
      dst: natted ? null : dst,
      spi: keys.spi,
      encryption: keys.encryption,
      encryptionKey: keyHex(keys.encryptionKey),
      integrity: keys.integrity,
      integrityKey: keyHex(keys.integrityKey),
    });
    host.exportKeys(record(sa.peer, sa.local, n.inbound));
    host.exportKeys(record(sa.local, sa.peer, n.outbound));
    if (!initiator) host.dataplane.markDynamic(n);
    const pair = host.dataplane.install(n);
    host.debugIpsec(
      () =>
        `IPSEC(create_sa): sa created,\n  (sa) sa_dest= ${ip(sa.local)}, sa_proto= ${protocol === "esp" ? 50 : 51}, \n    sa_spi= ${hexSpi(qm.spi)}, \n    sa_trans= ${transformText(ts)} , sa_conn_id= ${pair.inboundConnId}\n    sa_lifetime(k/sec)= (${lifetimeKb}/${lifetimeSec})`,
    );
    host.debugIpsec(
      () =>
        `IPSEC(create_sa): sa created,\n  (sa) sa_dest= ${ip(sa.peer)}, sa_proto= ${protocol === "esp" ? 50 : 51}, \n    sa_spi= ${hexSpi(peerSpi)}, \n    sa_trans= ${transformText(ts)} , sa_conn_id= ${pair.outboundConnId}\n    sa_lifetime(k/sec)= (${lifetimeKb}/${lifetimeSec})`,
    );
    host.debugIpsec(
      () => `IPSEC(update_current_outbound_sa): updated peer ${ip(sa.peer)} current outbound sa to SPI ${hex(peerSpi)}`,
    );
  }

  /** The responder's crypto map entry whose ACL, mirrored, contains the offered identities (static entries first, then dynamic). */
  findResponderEntry(
    sa: IsakmpSa,
    localProxy: ProxyId,
    remoteProxy: ProxyId,
  ): { entry: CryptoMapEntry; request: SaRequest } | null {
    const host = this.core.host;
    const candidates: { ifc: RouterInterface; map: string }[] = [];
    for (const ifc of host.net.interfaces()) {
      if (ifc.config.cryptoMap !== undefined) candidates.push({ ifc, map: ifc.config.cryptoMap });
      const protection = ifc.config.tunnel?.protection;
      if (protection !== undefined) candidates.push({ ifc, map: protection.map });
    }
    for (const dynamicPass of [false, true]) {
      for (const { ifc, map: mapName } of candidates) {
        const map = host.crypto.cryptoMaps.get(mapName);
        if (map === undefined || host.dataplane.localAddress(map, ifc) !== sa.local) continue;
        for (const entry of map.entries) {
          const entries =
            entry.dynamicMap === undefined
              ? dynamicPass
                ? []
                : [entry]
              : dynamicPass
                ? (host.crypto.dynamicMaps.get(entry.dynamicMap)?.entries ?? [])
                : [];
          for (const e of entries) {
            if (e.peers.length > 0 && !e.peers.includes(sa.peer)) continue;
            const request: SaRequest = {
              interfaceName: ifc.name,
              mapName,
              sequence: entry.sequence,
              local: sa.local,
              peer: sa.peer,
              localProxy,
              remoteProxy,
            };
            if (e.matchAddress === undefined && e.matchAcl === undefined) {
              if (entry.dynamicMap !== undefined) return { entry: e, request };
              continue;
            }
            const acl = e.matchAcl ?? (e.matchAddress === undefined ? undefined : host.acl(e.matchAddress));
            if (acl === undefined) continue;
            for (const ace of acl.entries) {
              if (ace.action !== "permit") continue;
              const proxies = proxiesFromAce(ace);
              if (
                proxies !== null &&
                proxyWithin(localProxy, proxies.local) &&
                proxyWithin(remoteProxy, proxies.remote)
              )
                return { entry: e, request };
            }
          }
        }
      }
    }
    return null;
  }

  mapEntry(mapName: string, sequence: number): CryptoMapEntry | undefined {
    return this.core.host.crypto.cryptoMaps.get(mapName)?.entries.find((e) => e.sequence === sequence);
  }
}
