import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  emitIsakmp,
  emitIsakmpMessage,
  emitIsakmpPayloads,
  emitPayloadBody,
  findPayload,
  IKE_ATTR,
  ISAKMP_EXCHANGE,
  ISAKMP_FLAG,
  ISAKMP_HEADER_LEN,
  ISAKMP_PAYLOAD,
  type IsakmpHeader,
  type IsakmpHeaderInput,
  type IsakmpParsed,
  type IsakmpPayload,
  type IsakmpPayloadInput,
  isakmpAttrNumber,
  isakmpNotifyName,
  isakmpPayloadName,
  isakmpPayloadType,
  NOTIFY,
  type Parsed,
  PROTO,
  parseIsakmp,
  parseIsakmpHeader,
  parseIsakmpMessage,
  parseIsakmpPayloads,
  parsePayloadBody,
  transformAttr,
  VID_CISCO_UNITY,
} from "../../src/wire/index.ts";
import { hex } from "./fixtures.ts";
import { isakmpHeader, isakmpPayload, isakmpPayloads, withoutBody } from "./isakmp-arbitraries.ts";
import { I_COOKIE, MM1, MM1_PAYLOADS, MM1_SA_BODY, quickMode1, R_COOKIE } from "./isakmp-fixtures.ts";

const MM1_HEADER: IsakmpHeaderInput = {
  initiatorCookie: I_COOKIE,
  responderCookie: new Uint8Array(8),
  exchangeType: ISAKMP_EXCHANGE.MAIN,
  flags: 0,
  messageId: 0,
};

/** Asserts a failed parse and returns its error. */
function failure<T>(r: IsakmpParsed<T>) {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error("parsed");
  return r.error;
}

/** Payload chain bytes of MM1 (after the header), to corrupt. */
const mm1Body = () => MM1.slice(ISAKMP_HEADER_LEN);

describe("isakmp header", () => {
  test("deconstructs main mode message 1", () => {
    const r = parseIsakmpHeader(MM1);
    expect(r).toEqual({
      ok: true,
      value: {
        initiatorCookie: I_COOKIE,
        responderCookie: new Uint8Array(8),
        nextPayload: ISAKMP_PAYLOAD.SA,
        version: 0x10,
        exchangeType: 2,
        flags: 0,
        messageId: 0,
        length: 164,
      },
    });
  });

  test("message id is unsigned and flags survive", () => {
    const b = emitIsakmp(
      {
        ...MM1_HEADER,
        exchangeType: ISAKMP_EXCHANGE.QUICK,
        flags: ISAKMP_FLAG.ENCRYPTION | ISAKMP_FLAG.COMMIT,
        messageId: 0xdeadbeef,
      },
      new Uint8Array(16),
      ISAKMP_PAYLOAD.HASH,
    );
    expect(parseIsakmpHeader(b)).toMatchObject({
      ok: true,
      value: { messageId: 0xdeadbeef, flags: 3, exchangeType: 32, nextPayload: 8, length: 44 },
    });
  });

  test("a parsed header can be passed back to emit; firstPayload wins over its nextPayload", () => {
    const h = parseIsakmpHeader(MM1);
    if (!h.ok) throw new Error("parse");
    const b = emitIsakmp(h.value, MM1.subarray(28), ISAKMP_PAYLOAD.SA);
    expect(b).toEqual(MM1);
    expect(emitIsakmp(h.value, new Uint8Array(0), ISAKMP_PAYLOAD.NONE)[16]).toBe(0);
  });

  test("results are the shared Parsed type with a notify added", () => {
    const r: Parsed<IsakmpHeader> = parseIsakmpHeader(MM1);
    const ps: Parsed<IsakmpPayload[]> = parseIsakmpPayloads(0, new Uint8Array(0));
    expect(r.ok && ps.ok).toBe(true);
  });

  test("truncated", () => {
    const e = failure(parseIsakmpHeader(MM1.subarray(0, 27)));
    expect(e).toMatchObject({ format: "isakmp", reason: "truncated", notify: NOTIFY.PAYLOAD_MALFORMED });
  });

  test("bad major version: an IKEv2 header is refused with INVALID-MAJOR-VERSION", () => {
    const b = MM1.slice();
    b[17] = 0x20;
    expect(failure(parseIsakmpHeader(b))).toMatchObject({
      reason: "badVersion",
      notify: NOTIFY.INVALID_MAJOR_VERSION,
      detail: "major version 2, expected 1",
    });
    b[17] = 0x11; // a minor version is the caller's to judge
    expect(parseIsakmpHeader(b)).toMatchObject({ ok: true, value: { version: 0x11 } });
  });

  test("length field that lies", () => {
    const longer = MM1.slice();
    longer[27] = 0xa5;
    expect(failure(parseIsakmpHeader(longer))).toMatchObject({
      reason: "truncated",
      notify: NOTIFY.UNEQUAL_PAYLOAD_LENGTHS,
      detail: "length 165, 164 bytes received",
    });
    const tiny = MM1.slice();
    tiny.set([0, 0, 0, 27], 24);
    expect(failure(parseIsakmpHeader(tiny))).toMatchObject({ reason: "badLength" });
    // Shorter than the buffer: the body ends at Length.
    const shorter = MM1.slice();
    shorter[27] = 0xa0;
    const r = parseIsakmp(shorter);
    expect(r.ok && r.value.body.length).toBe(0xa0 - 28);
  });

  test("emit refuses cookies that are not 8 bytes", () => {
    expect(() => emitIsakmp({ ...MM1_HEADER, initiatorCookie: new Uint8Array(7) }, new Uint8Array(0), 0)).toThrow(
      RangeError,
    );
  });

  test("header + opaque body round trip (property)", () => {
    fc.assert(
      fc.property(
        isakmpHeader,
        fc.uint8Array({ maxLength: 100 }),
        fc.integer({ min: 0, max: 255 }),
        (h, body, first) => {
          const b = emitIsakmp(h, body, first);
          expect(parseIsakmp(b)).toEqual({
            ok: true,
            value: { header: { ...h, nextPayload: first, version: 0x10, length: 28 + body.length }, body },
          });
        },
      ),
    );
  });
});

describe("isakmp payloads", () => {
  test("deconstructs main mode message 1", () => {
    const r = parseIsakmpMessage(MM1);
    if (!r.ok) throw new Error(r.error.detail);
    expect(r.value.payloads.map(withoutBody)).toEqual(MM1_PAYLOADS);
    const sa = findPayload(r.value.payloads, "sa")!;
    expect(transformAttr(sa.proposals[0]!.transforms[0]!, IKE_ATTR.LIFE_DURATION)).toBe(86400);
    expect(transformAttr(sa.proposals[0]!.transforms[1]!, IKE_ATTR.KEY_LENGTH)).toBeUndefined();
  });

  test("constructs main mode message 1 byte for byte", () => {
    expect(emitIsakmpMessage(MM1_HEADER, MM1_PAYLOADS)).toEqual(MM1);
  });

  test("body is the payload as received: SAi_b for HASH_I", () => {
    const r = parseIsakmpMessage(MM1);
    if (!r.ok) throw new Error(r.error.detail);
    const sa = r.value.payloads[0]!;
    expect(sa.body).toEqual(MM1.subarray(...MM1_SA_BODY));
    expect(emitPayloadBody(MM1_PAYLOADS[0]!)).toEqual(MM1.subarray(...MM1_SA_BODY));
    expect(r.value.payloads[1]!.body).toEqual(MM1.subarray(128, 144));
  });

  test("attributes: TV up to 65535, a 4-byte TLV above, bytes as TLV", () => {
    const t = (value: number | Uint8Array) =>
      emitPayloadBody({
        type: "sa",
        doi: 1,
        situation: 1,
        proposals: [
          {
            number: 1,
            protocolId: 1,
            spi: new Uint8Array(0),
            transforms: [{ number: 1, transformId: 1, attributes: [{ type: IKE_ATTR.LIFE_DURATION, value }] }],
          },
        ],
      }).subarray(24);
    expect(t(3600)).toEqual(hex("800c 0e10"));
    expect(t(65535)).toEqual(hex("800c ffff"));
    expect(t(65536)).toEqual(hex("000c 0004 00010000"));
    expect(t(hex("0102030405"))).toEqual(hex("000c 0005 0102030405"));
    expect(t(new Uint8Array(0))).toEqual(hex("000c 0000"));
    expect(() => t(2 ** 32)).toThrow(RangeError);
    expect(() => t(-1)).toThrow(RangeError);
    expect(() => t(1.5)).toThrow(RangeError);
  });

  test("attributes: a TLV of 1 to 4 bytes reads as a number, longer or empty stays bytes", () => {
    const transform = (attrs: string) => {
      const a = hex(attrs);
      const tf = new Uint8Array([0, 0, 0, 8 + a.length, 1, 1, 0, 0, ...a]);
      const pr = new Uint8Array([0, 0, 0, 8 + tf.length, 1, 1, 0, 1, ...tf]);
      const r = parsePayloadBody(ISAKMP_PAYLOAD.SA, new Uint8Array([0, 0, 0, 1, 0, 0, 0, 1, ...pr]));
      if (!r.ok || r.value.type !== "sa") throw new Error("parse");
      return r.value.proposals[0]!.transforms[0]!.attributes;
    };
    expect(transform("000c 0004 00000e10")).toEqual([{ type: 12, value: 3600 }]); // strongSwan-style 4-byte duration
    expect(transform("000c 0002 0e10 000c 0001 07")).toEqual([
      { type: 12, value: 3600 },
      { type: 12, value: 7 },
    ]);
    const eight = transform("000c 0008 0000000000015180");
    expect(eight).toEqual([{ type: 12, value: hex("0000000000015180") }]);
    expect(isakmpAttrNumber(eight[0]!)).toBe(86400);
    expect(isakmpAttrNumber({ type: 1, value: hex("01000000000000") })).toBeUndefined();
    expect(isakmpAttrNumber({ type: 1, value: new Uint8Array(0) })).toBeUndefined();
    // Re-emitting a 4-byte 3600 gives the TV form, which parses to the same value.
    const again = emitPayloadBody({
      type: "sa",
      doi: 1,
      situation: 1,
      proposals: [
        {
          number: 1,
          protocolId: 1,
          spi: new Uint8Array(0),
          transforms: [{ number: 1, transformId: 1, attributes: transform("000c 0004 00000e10") }],
        },
      ],
    });
    expect(again.subarray(24)).toEqual(hex("800c 0e10"));
  });

  test("quick mode: ESP proposal with SPI, phase 2 attributes, HASH/SA/NONCE/ID/ID", () => {
    const ps = quickMode1(hex("1a2b3c4d"), new Uint8Array(20).fill(7), new Uint8Array(20).fill(9));
    const b = emitIsakmpMessage(
      { ...MM1_HEADER, responderCookie: R_COOKIE, exchangeType: ISAKMP_EXCHANGE.QUICK, messageId: 0x7c1f2e3d },
      ps,
    );
    const r = parseIsakmpMessage(b);
    if (!r.ok) throw new Error(r.error.detail);
    expect(r.value.payloads.map((p) => p.type)).toEqual(["hash", "sa", "nonce", "id", "id"]);
    expect(r.value.payloads.map(withoutBody)).toEqual(ps);
    const sa = findPayload(r.value.payloads, "sa")!;
    expect(sa.proposals[0]).toMatchObject({ protocolId: PROTO.IPSEC_ESP, spi: hex("1a2b3c4d") });
    // The kilobyte lifetime goes out as a 4-byte TLV.
    expect(sa.body.subarray(28, 48)).toEqual(hex("80010001 80020e10 80010002 00020004 00465000"));
  });

  test("notify and delete", () => {
    const cookies = new Uint8Array([...I_COOKIE, ...R_COOKIE]);
    const ps: IsakmpPayloadInput[] = [
      {
        type: "notify",
        doi: 1,
        protocolId: PROTO.ISAKMP,
        spi: cookies,
        messageType: NOTIFY.R_U_THERE,
        data: hex("0000001f"),
      },
      { type: "delete", doi: 1, protocolId: PROTO.IPSEC_ESP, spiSize: 4, spis: [hex("1a2b3c4d"), hex("5e6f7081")] },
    ];
    const { firstPayload, bytes } = emitIsakmpPayloads(ps);
    expect(firstPayload).toBe(ISAKMP_PAYLOAD.NOTIFY);
    expect(bytes).toEqual(
      hex(`
      0c 00 0020 00000001 01 10 8d28 5f0ac3e1b2d49a07c4d1e2f30a1b2c3d 0000001f
      00 00 0014 00000001 03 04 0002 1a2b3c4d 5e6f7081
    `),
    );
    const r = parseIsakmpPayloads(firstPayload, bytes);
    expect(r.ok && r.value.map(withoutBody)).toEqual(ps);
  });

  test("natD, natOa, cert, certreq, sig, ke, unknown", () => {
    const ps: IsakmpPayloadInput[] = [
      { type: "ke", data: new Uint8Array(128).fill(0x42) },
      { type: "natD", data: new Uint8Array(20).fill(1) },
      { type: "natOa", idType: 1, data: hex("c0a80001") },
      { type: "cert", encoding: 4, data: hex("3082") },
      { type: "certreq", encoding: 4, data: new Uint8Array(0) },
      { type: "sig", data: hex("abcd") },
      { type: "unknown", payloadType: 130, data: hex("0102") },
    ];
    const { firstPayload, bytes } = emitIsakmpPayloads(ps);
    const r = parseIsakmpPayloads(firstPayload, bytes);
    expect(r.ok && r.value.map(withoutBody)).toEqual(ps);
    expect(bytes.subarray(4 + 128 + 4 + 20, 4 + 128 + 4 + 20 + 12)).toEqual(hex("06 00 000c 01 000000 c0a80001")); // next payload CERT
  });

  test("empty chain and padding after the last payload", () => {
    expect(parseIsakmpPayloads(ISAKMP_PAYLOAD.NONE, new Uint8Array(12))).toEqual({ ok: true, value: [] });
    const { firstPayload, bytes } = emitIsakmpPayloads([{ type: "hash", data: new Uint8Array(20) }]);
    expect(emitIsakmpPayloads([])).toEqual({ firstPayload: 0, bytes: new Uint8Array(0) });
    const padded = new Uint8Array([...bytes, 0, 0, 0, 0, 0, 0, 0, 7]); // 8 bytes of CBC padding, pad length last
    expect(parseIsakmpPayloads(firstPayload, padded)).toMatchObject({ ok: true, value: [{ type: "hash" }] });
  });

  test("an encrypted message: header and opaque body, the chain is the caller's after decryption", () => {
    const b = emitIsakmp(
      { ...MM1_HEADER, responderCookie: R_COOKIE, flags: ISAKMP_FLAG.ENCRYPTION },
      new Uint8Array(48).fill(0xa5),
      ISAKMP_PAYLOAD.ID,
    );
    expect(failure(parseIsakmpMessage(b))).toMatchObject({ reason: "unsupported" });
    expect(parseIsakmp(b)).toMatchObject({
      ok: true,
      value: { header: { flags: 1, nextPayload: 5 }, body: new Uint8Array(48).fill(0xa5) },
    });
  });

  test("names for debug output", () => {
    expect(isakmpPayloadName(ISAKMP_PAYLOAD.VENDOR_ID)).toBe("VENDOR");
    expect(isakmpPayloadName(99)).toBe("unknown (99)");
    expect(isakmpNotifyName(NOTIFY.NO_PROPOSAL_CHOSEN)).toBe("NO-PROPOSAL-CHOSEN");
    expect(isakmpNotifyName(36136)).toBe("R-U-THERE");
    expect(VID_CISCO_UNITY.length).toBe(16);
  });

  test("parse(emit(x)) == x for every payload kind (property)", () => {
    fc.assert(
      fc.property(isakmpPayloads, (ps) => {
        const { firstPayload, bytes } = emitIsakmpPayloads(ps);
        expect(firstPayload).toBe(ps.length ? isakmpPayloadType(ps[0]!) : 0);
        const r = parseIsakmpPayloads(firstPayload, bytes);
        if (!r.ok) throw new Error(r.error.detail);
        expect(r.value.map(withoutBody)).toEqual(ps);
        r.value.forEach((p, i) => expect(p.body).toEqual(emitPayloadBody(ps[i]!)));
      }),
      { numRuns: 500 },
    );
  });

  test("whole messages round trip (property)", () => {
    fc.assert(
      fc.property(
        isakmpHeader.map((h) => ({ ...h, flags: h.flags & ~1 })),
        isakmpPayloads,
        (h, ps) => {
          const b = emitIsakmpMessage(h, ps);
          const r = parseIsakmpMessage(b);
          if (!r.ok) throw new Error(r.error.detail);
          expect(r.value.header).toEqual({
            ...h,
            nextPayload: ps.length ? isakmpPayloadType(ps[0]!) : 0,
            version: 0x10,
            length: b.length,
          });
          expect(r.value.payloads.map(withoutBody)).toEqual(ps);
        },
      ),
      { numRuns: 200 },
    );
  });

  test("a TLV value of 1 to 4 bytes comes back as its number, and stays put after that (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 4 }), (v) => {
        const sa = (value: number | Uint8Array): IsakmpPayloadInput => ({
          type: "sa",
          doi: 1,
          situation: 1,
          proposals: [
            {
              number: 1,
              protocolId: 1,
              spi: new Uint8Array(0),
              transforms: [{ number: 1, transformId: 1, attributes: [{ type: 2, value }] }],
            },
          ],
        });
        const once = parsePayloadBody(ISAKMP_PAYLOAD.SA, emitPayloadBody(sa(v)));
        if (!once.ok || once.value.type !== "sa") throw new Error("parse");
        const attr = once.value.proposals[0]!.transforms[0]!.attributes[0]!;
        expect(attr.value).toBe(v.reduce((n, x) => n * 256 + x, 0));
        const twice = parsePayloadBody(ISAKMP_PAYLOAD.SA, emitPayloadBody(withoutBody(once.value)));
        expect(twice.ok && withoutBody(twice.value)).toEqual(withoutBody(once.value));
      }),
    );
  });

  test("emit refuses what no wire can carry", () => {
    expect(() => emitIsakmpPayloads([{ type: "unknown", payloadType: 0, data: new Uint8Array(0) }])).toThrow(
      RangeError,
    );
    expect(() => emitIsakmpPayloads([{ type: "unknown", payloadType: 256, data: new Uint8Array(0) }])).toThrow(
      RangeError,
    );
    expect(() => emitIsakmpPayloads([{ type: "ke", data: new Uint8Array(65532) }])).toThrow(RangeError);
    expect(emitIsakmpPayloads([{ type: "ke", data: new Uint8Array(65531) }]).bytes.length).toBe(65535);
    expect(() =>
      emitPayloadBody({ type: "delete", doi: 1, protocolId: 3, spiSize: 4, spis: [new Uint8Array(3)] }),
    ).toThrow(RangeError);
    expect(() =>
      emitPayloadBody({
        type: "notify",
        doi: 1,
        protocolId: 3,
        spi: new Uint8Array(256),
        messageType: 1,
        data: new Uint8Array(0),
      }),
    ).toThrow(RangeError);
    const attrs = (type: number) => [{ type, value: 1 }];
    const saWith = (type: number): IsakmpPayloadInput => ({
      type: "sa",
      doi: 1,
      situation: 1,
      proposals: [
        {
          number: 1,
          protocolId: 1,
          spi: new Uint8Array(0),
          transforms: [{ number: 1, transformId: 1, attributes: attrs(type) }],
        },
      ],
    });
    expect(() => emitPayloadBody(saWith(0x8000))).toThrow(RangeError);
    expect(() => emitPayloadBody(saWith(0x7fff))).not.toThrow();
    const manyTransforms = Array.from({ length: 256 }, (_, i) => ({ number: i, transformId: 1, attributes: [] }));
    expect(() =>
      emitPayloadBody({
        type: "sa",
        doi: 1,
        situation: 1,
        proposals: [{ number: 1, protocolId: 1, spi: new Uint8Array(0), transforms: manyTransforms }],
      }),
    ).toThrow(RangeError);
  });

  test("an unknown payload can carry raw bytes under a known type (to craft malformed input)", () => {
    const { firstPayload, bytes } = emitIsakmpPayloads([
      { type: "unknown", payloadType: ISAKMP_PAYLOAD.SA, data: hex("00000001 00000001") },
    ]);
    expect(failure(parseIsakmpPayloads(firstPayload, bytes))).toMatchObject({
      notify: NOTIFY.BAD_PROPOSAL_SYNTAX,
      detail: "SA payload: no proposal",
    });
  });
});

describe("isakmp malformed input: typed errors naming the problem", () => {
  // MM1 body offsets: SA payload at 0 (body 4..96), proposal at 12, transform 1 at 20, transform 2 at 60,
  // VID at 96 and 116.
  const chain = (b: Uint8Array) => parseIsakmpPayloads(ISAKMP_PAYLOAD.SA, b);

  test("generic header: reserved byte not zero (IOS: reserved not zero on ... payload)", () => {
    const b = mm1Body();
    b[97] = 1;
    expect(failure(chain(b))).toEqual({
      format: "isakmp",
      reason: "badValue",
      detail: "reserved not zero on VENDOR payload",
      notify: NOTIFY.PAYLOAD_MALFORMED,
      payloadType: ISAKMP_PAYLOAD.VENDOR_ID,
    });
    const { firstPayload, bytes } = emitIsakmpPayloads([
      { type: "id", idType: 1, protocolId: 17, port: 500, data: hex("0a000001") },
    ]);
    bytes[1] = 0x5a; // what decrypting MM5 with the wrong pre-shared key looks like
    expect(failure(parseIsakmpPayloads(firstPayload, bytes))).toMatchObject({
      detail: "reserved not zero on ID payload",
      payloadType: ISAKMP_PAYLOAD.ID,
    });
  });

  test("payload length below 4, past the end, header cut short", () => {
    const b = mm1Body();
    b.set([0, 3], 98);
    expect(failure(chain(b))).toMatchObject({
      reason: "badLength",
      detail: "VENDOR payload length 3 below 4",
      notify: NOTIFY.PAYLOAD_MALFORMED,
    });
    const c = mm1Body();
    c.set([0, 0x15], 118);
    expect(failure(chain(c))).toMatchObject({
      reason: "truncated",
      detail: "VENDOR payload length 21 runs past the end (20 bytes left)",
      payloadType: 13,
    });
    expect(failure(chain(mm1Body().subarray(0, 98)))).toMatchObject({
      reason: "truncated",
      detail: "VENDOR payload header at offset 96: 2 bytes left, needs 4",
    });
    expect(failure(chain(mm1Body().subarray(0, 130)))).toMatchObject({
      reason: "truncated",
      detail: "VENDOR payload length 20 runs past the end (14 bytes left)",
    });
  });

  test("SA: a proposal length that lies", () => {
    const longer = mm1Body();
    longer[15] = 0x55;
    expect(failure(chain(longer))).toEqual({
      format: "isakmp",
      reason: "truncated",
      detail: "SA payload: proposal 1 length 85 runs past the SA payload (84 bytes left)",
      notify: NOTIFY.BAD_PROPOSAL_SYNTAX,
      payloadType: ISAKMP_PAYLOAD.SA,
    });
    const shorter = mm1Body();
    shorter[15] = 0x50;
    expect(failure(chain(shorter))).toMatchObject({
      reason: "truncated",
      detail: "SA payload: proposal 1 transform 2 of 2 length 36 runs past the proposal (32 bytes left)",
    });
    const tiny = mm1Body();
    tiny[15] = 0x07;
    expect(failure(chain(tiny))).toMatchObject({
      reason: "badLength",
      detail: "SA payload: proposal 1 length 7 below 8",
    });
  });

  test("SA: a transform length that lies", () => {
    const longer = mm1Body();
    longer[23] = 0x2c; // transform 1 claims 44 bytes: swallows transform 2's header as attributes
    expect(failure(chain(longer))).toMatchObject({
      notify: NOTIFY.BAD_PROPOSAL_SYNTAX,
      detail: "SA payload: proposal 1 transform 1 of 2: attribute 0 length 36 runs past the transform (0 bytes left)",
    });
    const shorter = mm1Body();
    shorter[23] = 0x26; // 38: cuts the 8-byte life duration attribute in half
    expect(failure(chain(shorter))).toMatchObject({
      reason: "truncated",
      detail: "SA payload: proposal 1 transform 1 of 2: attribute 12 length 4 runs past the transform (2 bytes left)",
    });
    const odd = mm1Body();
    odd[23] = 0x2a; // 42: a 2-byte attribute stub, then transform 2 misaligned
    expect(failure(chain(odd))).toMatchObject({
      detail: "SA payload: proposal 1 transform 1 of 2: attribute at offset 32 has 2 bytes, needs 4",
    });
    const tiny = mm1Body();
    tiny[63] = 4;
    expect(failure(chain(tiny))).toMatchObject({
      reason: "badLength",
      detail: "SA payload: proposal 1 transform 2 of 2 length 4 below 8",
    });
  });

  test("SA: transform count and next payloads that disagree", () => {
    const three = mm1Body();
    three[19] = 3;
    expect(failure(chain(three))).toMatchObject({
      reason: "badValue",
      detail: "SA payload: proposal 1 transform 2 of 3 has next payload 0, expected 3",
    });
    const one = mm1Body();
    one[19] = 1;
    expect(failure(chain(one))).toMatchObject({
      detail: "SA payload: proposal 1 transform 1 of 1 has next payload 3, expected 0 (the proposal says 1 transforms)",
    });
    const none = mm1Body();
    none[19] = 0;
    expect(failure(chain(none))).toMatchObject({ detail: "SA payload: proposal 1 has no transforms" });
    const nextProposal = mm1Body();
    nextProposal[12] = 2; // says another proposal follows, but the SA payload ends
    expect(failure(chain(nextProposal))).toMatchObject({
      reason: "truncated",
      detail: "SA payload: proposal 2 header at offset 96 of the SA payload: 0 bytes left, needs 8",
    });
    const wrongNext = mm1Body();
    wrongNext[12] = 5;
    expect(failure(chain(wrongNext))).toMatchObject({
      detail: "SA payload: proposal 1 has next payload 5, expected 2 or 0",
    });
  });

  test("SA: reserved fields, trailing bytes, no proposal, SPI past the proposal, situation", () => {
    const r1 = mm1Body();
    r1[13] = 1;
    expect(failure(chain(r1))).toMatchObject({ detail: "SA payload: reserved not zero on proposal 1" });
    const r2 = mm1Body();
    r2[61] = 1;
    expect(failure(chain(r2))).toMatchObject({
      detail: "SA payload: reserved not zero on proposal 1 transform 2 of 2",
    });
    const r3 = mm1Body();
    r3[27] = 1;
    expect(failure(chain(r3))).toMatchObject({
      detail: "SA payload: reserved2 not zero on proposal 1 transform 1 of 2",
    });
    const sa = (tail: string) => parsePayloadBody(ISAKMP_PAYLOAD.SA, hex(`00000001 00000001 ${tail}`));
    const proposal = "00 00 0010 01 01 00 01  00 00 0008 01 01 0000";
    expect(sa(proposal).ok).toBe(true);
    expect(failure(sa(`${proposal} 00`))).toMatchObject({
      reason: "badLength",
      detail: "SA payload: 1 bytes after the last proposal",
    });
    expect(failure(sa(""))).toMatchObject({ detail: "SA payload: no proposal", notify: NOTIFY.BAD_PROPOSAL_SYNTAX });
    expect(failure(sa("00 00 0010 01 01 09 01  00 00 0008 01 01 0000"))).toMatchObject({
      detail: "SA payload: proposal 1: SPI of 9 bytes runs past its length 16",
    });
    expect(failure(sa("00 00 0014 01 01 00 01  00 00 0008 01 01 0000 00000000"))).toMatchObject({
      detail: "SA payload: 4 bytes after the last transform of proposal 1",
    });
    expect(failure(parsePayloadBody(ISAKMP_PAYLOAD.SA, hex("00000001 0000")))).toMatchObject({
      reason: "truncated",
      notify: NOTIFY.PAYLOAD_MALFORMED,
    });
    expect(failure(parsePayloadBody(ISAKMP_PAYLOAD.SA, hex(`00000001 00000002 ${proposal}`)))).toMatchObject({
      reason: "unsupported",
      notify: NOTIFY.SITUATION_NOT_SUPPORTED,
    });
    expect(parsePayloadBody(ISAKMP_PAYLOAD.SA, hex(`00000002 00000002 ${proposal}`)).ok).toBe(true); // another DOI's situation is its own
  });

  test("fixed parts of the other payloads", () => {
    const body = (type: number, h: string) => failure(parsePayloadBody(type, hex(h)));
    expect(body(ISAKMP_PAYLOAD.ID, "010000")).toMatchObject({
      reason: "truncated",
      detail: "ID payload: 3 bytes, ID type, protocol and port needs 4",
      payloadType: 5,
    });
    expect(body(ISAKMP_PAYLOAD.CERT, "")).toMatchObject({ detail: "CERT payload: 0 bytes, the encoding needs 1" });
    expect(body(ISAKMP_PAYLOAD.NOTIFY, "00000001 03 04 000e 1a2b3c")).toMatchObject({
      detail: "NOTIFY payload: 11 bytes, an SPI of 4 bytes needs 12",
      notify: NOTIFY.PAYLOAD_MALFORMED,
    });
    expect(body(ISAKMP_PAYLOAD.NOTIFY, "00000001 03 04 00")).toMatchObject({ reason: "truncated" });
    expect(body(ISAKMP_PAYLOAD.DELETE, "00000001 03 04 0002 1a2b3c4d")).toMatchObject({
      reason: "truncated",
      detail: "DELETE payload: 12 bytes, 2 SPIs of 4 bytes needs 16",
    });
    expect(body(ISAKMP_PAYLOAD.DELETE, "00000001 03 04 0001 1a2b3c4d 00")).toMatchObject({
      reason: "badLength",
      detail: "DELETE payload: 1 bytes after 1 SPIs of 4 bytes",
    });
    expect(body(ISAKMP_PAYLOAD.DELETE, "00000001 03 00 ffff")).toMatchObject({ reason: "badValue" });
    expect(body(ISAKMP_PAYLOAD.NAT_OA, "01 000100 c0a80001")).toMatchObject({
      detail: "reserved not zero on NAT-OA payload",
    });
    expect(body(ISAKMP_PAYLOAD.NAT_OA, "01 0000")).toMatchObject({ reason: "truncated" });
    expect(parsePayloadBody(ISAKMP_PAYLOAD.NOTIFY, hex("00000001 01 00 5b5b"))).toMatchObject({
      ok: true,
      value: { messageType: 0x5b5b, spi: new Uint8Array(0), data: new Uint8Array(0) },
    });
  });

  test("a fault deep in an encrypted message is reported against the payload chain, header intact", () => {
    const b = MM1.slice();
    b[28 + 23] = 0x2c;
    expect(parseIsakmpHeader(b).ok).toBe(true);
    expect(failure(parseIsakmpMessage(b))).toMatchObject({
      notify: NOTIFY.BAD_PROPOSAL_SYNTAX,
      payloadType: ISAKMP_PAYLOAD.SA,
    });
  });

  test("any single-byte corruption of MM1 either parses or fails with a notify type (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MM1.length - 1 }), fc.integer({ min: 0, max: 255 }), (at, v) => {
        const b = MM1.slice();
        b[at] = v;
        const r = parseIsakmpMessage(b);
        if (!r.ok) expect(r.error.notify).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  test("random payload kinds cut at every length fail cleanly (property)", () => {
    fc.assert(
      fc.property(isakmpPayload, fc.nat(), (p, cut) => {
        const { firstPayload, bytes } = emitIsakmpPayloads([p]);
        const n = cut % bytes.length;
        const r = parseIsakmpPayloads(firstPayload, bytes.subarray(0, n));
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.reason).toBe("truncated");
      }),
      { numRuns: 500 },
    );
  });
});
