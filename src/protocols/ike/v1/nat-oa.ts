// NAT original addresses (RFC 3947 5.2): in quick mode, a side that
// proposes (or selects) UDP-encapsulated transport mode through a NAT sends
// NAT-OAi and NAT-OAr, the initiator's and the responder's addresses as it
// knows them. The receiver learns what the other side calls the two ends, so
// it can accept transport-mode identities that are an address on the far side
// of the NAT (IPsec over DMVPN with spokes behind NAT; a TCP/UDP checksum
// fix-up would use them too, GRE has none).

import { readIpv4 } from "../../../wire/ipv4-address.ts";
import type { IsakmpPayload, IsakmpPayloadInput } from "../../../wire/isakmp.ts";

/** ID_IPV4_ADDR (RFC 2407 4.6.2.1), the identification type of an IPv4 NAT-OA. */
const ID_IPV4_ADDR = 1;

/** The two original addresses a quick mode message carried (absent when it had none). */
export interface NatOriginalAddresses {
  initiator?: number;
  responder?: number;
}

/** NAT-OAi then NAT-OAr, as the sender knows the two ends. */
export function natOaPayloads(initiator: number, responder: number): IsakmpPayloadInput[] {
  const address = (a: number): Uint8Array => new Uint8Array([a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255]);
  return [
    { type: "natOa", idType: ID_IPV4_ADDR, data: address(initiator) },
    { type: "natOa", idType: ID_IPV4_ADDR, data: address(responder) },
  ];
}

/** The NAT-OA payloads of a message, in order (the first is NAT-OAi); other address types are ignored. */
export function readNatOa(payloads: readonly IsakmpPayload[]): NatOriginalAddresses {
  const found = payloads.filter(
    (p): p is Extract<IsakmpPayload, { type: "natOa" }> =>
      p.type === "natOa" && p.idType === ID_IPV4_ADDR && p.data.length === 4,
  );
  const out: NatOriginalAddresses = {};
  if (found[0] !== undefined) out.initiator = readIpv4(found[0].data, 0) >>> 0;
  if (found[1] !== undefined) out.responder = readIpv4(found[1].data, 0) >>> 0;
  return out;
}
