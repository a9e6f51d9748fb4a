import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  classifyUdp4500,
  emitIsakmpMessage,
  encapIsakmp4500,
  NAT_KEEPALIVE_BYTE,
  NON_ESP_MARKER,
  natKeepalive,
} from "../../src/wire/index.ts";
import { hex } from "./fixtures.ts";
import { MM1 } from "./isakmp-fixtures.ts";

describe("udp/4500 (RFC 3948)", () => {
  test("IKE behind the non-ESP marker", () => {
    const p = encapIsakmp4500(MM1);
    expect(p.subarray(0, 4)).toEqual(NON_ESP_MARKER);
    expect(p.length).toBe(MM1.length + 4);
    expect(classifyUdp4500(p)).toEqual({ kind: "isakmp", isakmp: MM1 });
  });

  test("ESP: a non-zero SPI starts the payload", () => {
    const esp = hex("c0ffee01 00000001 0011223344556677");
    expect(classifyUdp4500(esp)).toEqual({ kind: "esp", esp });
    expect(classifyUdp4500(hex("00000001 00000001"))).toMatchObject({ kind: "esp" });
  });

  test("NAT-keepalive is the single byte 0xff", () => {
    expect(natKeepalive()).toEqual(new Uint8Array([NAT_KEEPALIVE_BYTE]));
    expect(classifyUdp4500(natKeepalive())).toEqual({ kind: "keepalive" });
    expect(classifyUdp4500(hex("fe"))).toEqual({ kind: "malformed" });
  });

  test("too short for what the first bytes announce", () => {
    expect(classifyUdp4500(new Uint8Array(0))).toEqual({ kind: "malformed" });
    expect(classifyUdp4500(hex("ffff"))).toEqual({ kind: "malformed" });
    expect(classifyUdp4500(hex("c0ffee01 000000"))).toEqual({ kind: "malformed" });
    expect(classifyUdp4500(encapIsakmp4500(MM1.subarray(0, 27)))).toEqual({ kind: "malformed" });
    expect(classifyUdp4500(encapIsakmp4500(MM1.subarray(0, 28)))).toMatchObject({ kind: "isakmp" });
  });

  test("classification never throws and isakmp/esp are views of the payload (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const c = classifyUdp4500(b);
        if (c.kind === "isakmp") expect(c.isakmp.length).toBe(b.length - 4);
        if (c.kind === "esp") expect(c.esp).toBe(b);
      }),
    );
  });

  test("an emitted message survives encapsulation", () => {
    const m = emitIsakmpMessage(
      {
        initiatorCookie: new Uint8Array(8).fill(1),
        responderCookie: new Uint8Array(8).fill(2),
        exchangeType: 5,
        flags: 1,
        messageId: 9,
      },
      [{ type: "hash", data: new Uint8Array(20) }],
    );
    const c = classifyUdp4500(encapIsakmp4500(m));
    expect(c.kind === "isakmp" && c.isakmp).toEqual(m);
  });
});
