// ISAKMP, UDP/4500 and ESP/AH parsers take bytes straight from the network
// (or from a decryption with the wrong key): random bytes and mutated
// messages must give a result, never an exception, and every failure must
// carry a notify type. Whatever parses must re-emit to something that parses
// the same (parse . emit . parse == parse).

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  classifyUdp4500,
  emitIsakmp,
  emitIsakmpMessage,
  emitIsakmpPayloads,
  ISAKMP_PAYLOAD,
  type IsakmpParsed,
  type IsakmpPayload,
  parseAhHeader,
  parseEspHeader,
  parseIsakmp,
  parseIsakmpMessage,
  parseIsakmpPayloads,
  parsePayloadBody,
} from "../../src/wire/index.ts";
import { isakmpHeader, isakmpPayloads, withoutBody } from "./isakmp-arbitraries.ts";
import { MM1, MM1_PAYLOADS, quickMode1 } from "./isakmp-fixtures.ts";

const TYPES = [...Object.values(ISAKMP_PAYLOAD), 14, 130, 255];

function typedFailure<T>(r: IsakmpParsed<T>): void {
  if (!r.ok) {
    expect(r.error.format).toBe("isakmp");
    expect(r.error.notify).toBeGreaterThan(0);
    expect(r.error.detail.length).toBeGreaterThan(0);
  }
}

/** If `ps` parsed, emitting it again and parsing gives the same payloads. */
function stable(ps: IsakmpPayload[]): void {
  const again = emitIsakmpPayloads(ps.map(withoutBody));
  const r = parseIsakmpPayloads(again.firstPayload, again.bytes);
  if (!r.ok) throw new Error(`re-emitted payloads failed to parse: ${r.error.detail}`);
  expect(r.value.map(withoutBody)).toEqual(ps.map(withoutBody));
}

describe("isakmp parsers never throw", () => {
  test("random bytes into every entry point", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 160 }), fc.constantFrom(...TYPES), (b, type) => {
        typedFailure(parseIsakmp(b));
        typedFailure(parseIsakmpMessage(b));
        typedFailure(parsePayloadBody(type, b));
        const ps = parseIsakmpPayloads(type, b);
        typedFailure(ps);
        if (ps.ok) stable(ps.value);
        expect(typeof classifyUdp4500(b).kind).toBe("string");
        expect(typeof parseEspHeader(b).ok).toBe("boolean");
        expect(typeof parseAhHeader(b).ok).toBe("boolean");
      }),
      { numRuns: 3000 },
    );
  });

  test("random bodies behind a valid header (the wrong-key decryption case)", () => {
    fc.assert(
      fc.property(isakmpHeader, fc.uint8Array({ maxLength: 200 }), fc.constantFrom(...TYPES), (h, body, first) => {
        const r = parseIsakmpMessage(emitIsakmp({ ...h, flags: h.flags & ~1 }, body, first));
        typedFailure(r);
        if (r.ok) stable(r.value.payloads);
      }),
      { numRuns: 2000 },
    );
  });

  test("emitted messages with byte flips and truncation", () => {
    const seeds = [
      MM1,
      emitIsakmpMessage(
        {
          initiatorCookie: new Uint8Array(8).fill(1),
          responderCookie: new Uint8Array(8).fill(2),
          exchangeType: 32,
          flags: 0,
          messageId: 5,
        },
        quickMode1(new Uint8Array([1, 2, 3, 4]), new Uint8Array(16), new Uint8Array(20)),
      ),
    ];
    const generated = fc
      .tuple(isakmpHeader, isakmpPayloads)
      .map(([h, ps]) => emitIsakmpMessage({ ...h, flags: h.flags & ~1 }, ps));
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...seeds), generated),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.nat(),
        (msg, flips, cut) => {
          const b = msg.slice();
          for (const [at, v] of flips) b[at % b.length] = v;
          const r = parseIsakmpMessage(b.subarray(0, cut % (b.length + 1)));
          typedFailure(r);
          if (r.ok) stable(r.value.payloads);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("the fixture's payloads re-emit to the fixture", () => {
    const r = parseIsakmpMessage(MM1);
    expect(r.ok && r.value.payloads.map(withoutBody)).toEqual(MM1_PAYLOADS);
  });
});
