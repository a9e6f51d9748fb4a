// NAT-OA (RFC 3947 5.2) on the wire and back: NAT-OAi then NAT-OAr as IPv4
// addresses (ID type 1, three reserved zero bytes), read back in order; other
// address types and short payloads are ignored, as is a message without them.

import { describe, expect, test } from "bun:test";
import { natOaPayloads, readNatOa } from "../../../../src/protocols/ike/v1/nat-oa.ts";
import { parseIpv4Address } from "../../../../src/wire/ipv4-address.ts";
import { emitIsakmpPayloads, type IsakmpPayloadInput, parseIsakmpPayloads } from "../../../../src/wire/isakmp.ts";
import { ISAKMP_PAYLOAD } from "../../../../src/wire/isakmp-constants.ts";

const A = parseIpv4Address("192.168.1.1")!;
const B = parseIpv4Address("169.254.105.5")!;

function roundTrip(payloads: IsakmpPayloadInput[]) {
  const emitted = emitIsakmpPayloads([{ type: "nonce", data: new Uint8Array(16) }, ...payloads]);
  const parsed = parseIsakmpPayloads(ISAKMP_PAYLOAD.NONCE, emitted.bytes);
  if (!parsed.ok) throw new Error("does not parse");
  return { bytes: emitted.bytes, payloads: parsed.value };
}

describe("NAT-OA", () => {
  test("NAT-OAi and NAT-OAr go out as ID_IPV4_ADDR payloads and read back in order", () => {
    const { bytes, payloads } = roundTrip(natOaPayloads(A, B));
    // nonce (4 + 16), then each NAT-OA: generic header (4), type 1, 3 reserved, the address.
    expect([...bytes.subarray(20)]).toEqual([
      ISAKMP_PAYLOAD.NAT_OA,
      0,
      0,
      12,
      1,
      0,
      0,
      0,
      192,
      168,
      1,
      1,
      0,
      0,
      0,
      12,
      1,
      0,
      0,
      0,
      169,
      254,
      105,
      5,
    ]);
    expect(readNatOa(payloads)).toEqual({ initiator: A >>> 0, responder: B >>> 0 });
  });

  test("nothing, another ID type or a short address reads as no original address", () => {
    expect(readNatOa(roundTrip([]).payloads)).toEqual({});
    const v6 = { type: "natOa" as const, idType: 5, data: new Uint8Array(16) };
    const short = { type: "natOa" as const, idType: 1, data: new Uint8Array(2) };
    expect(readNatOa(roundTrip([v6, short]).payloads)).toEqual({});
  });
});
