// IKEv1 informational exchanges (RFC 2408 4.8, RFC 2409 5.7): notifies
// (NO_PROPOSAL_CHOSEN ends a negotiation, DPD's R-U-THERE and its ACK) and
// deletes (of the ISAKMP SA or of IPsec SAs by SPI), protected by HASH(1)
// once phase 1 is up, in the clear before.

import { equalConstantTime } from "../../../fastpath/crypto/hash-check.ts";
import { readIpv4 } from "../../../wire/ipv4-address.ts";
import { type IsakmpHeader, type IsakmpPayload, parseIsakmpPayloads } from "../../../wire/isakmp.ts";
import { ISAKMP_FLAG, NOTIFY, PROTO } from "../../../wire/isakmp-constants.ts";
import { informationalHash } from "../v1-keys.ts";
import { ip, NOTIFY_NAME, restAfterHash } from "./exchange-support.ts";
import type { IkeV1Engine } from "./ike-engine.ts";
import type { IsakmpSa } from "./isakmp-sa.ts";

/** Informational exchanges. */
export class Informational {
  constructor(private readonly core: IkeV1Engine) {}

  handle(sa: IsakmpSa, header: IsakmpHeader, body: Uint8Array): void {
    const host = this.core.host;
    let payloads: IsakmpPayload[];
    if ((header.flags & ISAKMP_FLAG.ENCRYPTION) !== 0) {
      if (sa.keys === null || sa.lastPhase1Block === null) return;
      const opened = sa.decryptExchange(header.messageId, body);
      const parsed = opened === null ? null : parseIsakmpPayloads(header.nextPayload, opened.plain);
      if (opened === null || parsed === null || !parsed.ok || parsed.value[0]?.type !== "hash")
        return this.core.badMessage(sa.peer, "informational does not decrypt");
      const hashP = parsed.value[0] as Extract<IsakmpPayload, { type: "hash" }>;
      if (
        !equalConstantTime(
          informationalHash(sa.hash!, sa.keys.a, header.messageId, restAfterHash(opened.plain, parsed.value)),
          hashP.data,
        )
      )
        return;
      sa.endExchange(header.messageId);
      payloads = parsed.value.slice(1);
    } else {
      const parsed = parseIsakmpPayloads(header.nextPayload, body);
      if (!parsed.ok) return this.core.badMessage(sa.peer, parsed.error.detail);
      payloads = parsed.value;
    }
    for (const p of payloads) {
      if (p.type === "notify") {
        const name = NOTIFY_NAME[p.messageType] ?? `${p.messageType}`;
        const spi = p.spi.length === 4 ? readIpv4(p.spi, 0) : 0;
        host.debugIsakmp(
          () =>
            `ISAKMP:${sa.tag}: processing NOTIFY ${name} protocol ${p.protocolId}\n\tspi ${spi}, message ID = ${header.messageId}, sa = ${sa.connId}`,
        );
        if (p.messageType === NOTIFY.R_U_THERE && sa.state === "QM_IDLE" && p.data.length === 4) {
          const sequence = readIpv4(p.data, 0);
          host.debugIsakmp(
            () =>
              `ISAKMP:${sa.tag}:DPD/R_U_THERE received from peer ${ip(sa.peer)}, sequence 0x${sequence.toString(16)}`,
          );
          this.core.sendInformational(sa, [this.core.dpdNotify(sa, NOTIFY.R_U_THERE_ACK, sequence)]);
          host.debugIsakmp(
            () => `ISAKMP:${sa.tag}:DPD/R_U_THERE_ACK sent to peer ${ip(sa.peer)}, sequence 0x${sequence.toString(16)}`,
          );
        } else if (p.messageType === NOTIFY.R_U_THERE_ACK && p.data.length === 4) {
          const sequence = readIpv4(p.data, 0);
          if (sa.dpd?.acknowledged(sequence))
            host.debugIsakmp(
              () =>
                `ISAKMP:${sa.tag}:DPD/R_U_THERE_ACK received from peer ${ip(sa.peer)}, sequence 0x${sequence.toString(16)}`,
            );
        } else if (p.messageType === NOTIFY.NO_PROPOSAL_CHOSEN) {
          if (sa.state !== "QM_IDLE") {
            this.core.deleteSa(sa, "proposal-refused");
          } else {
            for (const qm of sa.quickModes.values()) {
              if (qm.role !== "I" || qm.spi !== spi) continue;
              this.core.stopQmRetransmit(qm);
              sa.quickModes.delete(qm.messageId);
              sa.endExchange(qm.messageId);
              host.debugIsakmp(() => `ISAKMP:${sa.tag}: deleting spi ${spi} message ID = ${qm.messageId}`);
              host.debugIsakmp(
                () => `ISAKMP:${sa.tag}:deleting node ${qm.messageId} error TRUE reason "Delete Larval"`,
              );
            }
          }
        }
      } else if (p.type === "delete") {
        if (p.protocolId === PROTO.ISAKMP) {
          host.debugIsakmp(() => `ISAKMP:${sa.tag}:received delete for ISAKMP SA from ${ip(sa.peer)}`);
          this.core.deleteSa(sa, "peer-deleted");
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
}
