// Phase-1 policy and phase-2 proposal encoding and matching: what IOS sends
// for a policy or transform set decodes back to it, and the responder's walk
// picks the first acceptable policy by priority with IOS's reasons for the rest.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  choosePolicy,
  decodeTransform,
  policyFromOffer,
  policyTransforms,
} from "../../../../src/protocols/ike/v1/phase1-policy.ts";
import {
  bundleMatches,
  decodeBundles,
  keyLengths,
  transformSetProposals,
  transformText,
} from "../../../../src/protocols/ike/v1/phase2-proposal.ts";
import type { IsakmpPolicy, TransformSet } from "../../../../src/protocols/ipsec/crypto-config.ts";
import { emitPayloadBody, parsePayloadBody } from "../../../../src/wire/isakmp.ts";
import { ISAKMP_PAYLOAD } from "../../../../src/wire/isakmp-constants.ts";

const policyArb: fc.Arbitrary<IsakmpPolicy> = fc.record({
  priority: fc.integer({ min: 1, max: 10000 }),
  encryption: fc.constantFrom("des", "3des", "aes-128", "aes-192", "aes-256"),
  hash: fc.constantFrom("md5", "sha", "sha256", "sha384", "sha512"),
  authentication: fc.constantFrom("pre-share", "rsa-sig"),
  group: fc.constantFrom(1, 2, 5, 14, 15, 16),
  lifetimeSec: fc.integer({ min: 60, max: 86400 }),
}) as fc.Arbitrary<IsakmpPolicy>;

/** Sends transforms through the wire format and back, as the responder sees them. */
function overTheWire(policies: IsakmpPolicy[]) {
  const body = emitPayloadBody({
    type: "sa",
    doi: 1,
    situation: 1,
    proposals: [{ number: 1, protocolId: 1, spi: new Uint8Array(0), transforms: policyTransforms(policies) }],
  });
  const parsed = parsePayloadBody(ISAKMP_PAYLOAD.SA, body);
  if (!parsed.ok || parsed.value.type !== "sa") throw new Error("SA payload did not parse");
  return parsed.value.proposals[0]!.transforms;
}

describe("phase 1 policies", () => {
  test("every policy survives the wire: decoding its transform gives the policy back", () => {
    fc.assert(
      fc.property(policyArb, (p) => {
        const [t] = overTheWire([p]);
        const back = policyFromOffer(decodeTransform(t!), p.lifetimeSec);
        expect(back).toEqual({ ...p, priority: 0 });
      }),
      { numRuns: 300 },
    );
  });

  test("the responder takes its lowest-numbered matching policy and the lower lifetime", () => {
    const offered: IsakmpPolicy[] = [
      { priority: 1, encryption: "aes-256", hash: "sha", authentication: "pre-share", group: 14, lifetimeSec: 3600 },
      { priority: 2, encryption: "3des", hash: "md5", authentication: "pre-share", group: 2, lifetimeSec: 86400 },
    ];
    const mine: IsakmpPolicy[] = [
      { priority: 5, encryption: "3des", hash: "md5", authentication: "pre-share", group: 2, lifetimeSec: 1200 },
      { priority: 10, encryption: "aes-256", hash: "sha", authentication: "pre-share", group: 14, lifetimeSec: 86400 },
    ];
    const choice = choosePolicy(mine, overTheWire(offered), true, "(0)");
    expect(choice.accepted?.policy.priority).toBe(5);
    expect(choice.accepted?.transform.number).toBe(2);
    expect(choice.accepted?.lifetimeSec).toBe(1200);
    expect(choice.debug).toContain("ISAKMP:(0):Checking ISAKMP transform 1 against priority 5 policy");
    expect(choice.debug).toContain("ISAKMP:(0):Encryption algorithm offered does not match policy!");
  });

  test("each mismatching attribute gets IOS's reason, and nothing matching ends in 'no offers accepted!'", () => {
    const base: IsakmpPolicy = {
      priority: 10,
      encryption: "aes-192",
      hash: "sha384",
      authentication: "pre-share",
      group: 5,
      lifetimeSec: 86400,
    };
    const cases: [Partial<IsakmpPolicy>, string][] = [
      [{ encryption: "3des" }, "Encryption algorithm offered does not match policy!"],
      [{ encryption: "aes-256" }, "Proposed key length does not match policy"],
      [{ hash: "sha256" }, "Hash algorithm offered does not match policy!"],
      [{ group: 14 }, "Diffie-Hellman group offered does not match policy!"],
      [{ authentication: "rsa-sig" }, "Preshared authentication offered but does not match policy!"],
    ];
    for (const [change, reason] of cases) {
      const choice = choosePolicy([{ ...base, ...change }], overTheWire([base]), true, "(0)");
      expect(choice.accepted).toBeNull();
      expect(choice.debug).toContain(`ISAKMP:(0):${reason}`);
      expect(choice.debug.at(-1)).toBe("ISAKMP:(0):no offers accepted!");
    }
    // A pre-share policy is useless without a key for the peer.
    expect(choosePolicy([base], overTheWire([base]), false, "(0)").accepted).toBeNull();
  });
});

const transformSets: TransformSet[] = [
  { name: "A", espEncryption: "esp-aes", espIntegrity: "esp-sha-hmac", mode: "tunnel" },
  { name: "B", espEncryption: "esp-aes-192", espIntegrity: "esp-sha-hmac", mode: "tunnel" },
  { name: "C", espEncryption: "esp-aes-256", espIntegrity: "esp-sha256-hmac", mode: "transport" },
  { name: "D", espEncryption: "esp-3des", espIntegrity: "esp-md5-hmac", mode: "tunnel" },
  { name: "E", espEncryption: "esp-des", espIntegrity: "esp-sha512-hmac", mode: "tunnel" },
  { name: "F", espEncryption: "esp-null", espIntegrity: "esp-sha384-hmac", mode: "tunnel" },
  { name: "G", ah: "ah-sha-hmac", mode: "tunnel" },
  { name: "H", ah: "ah-md5-hmac", mode: "transport" },
  { name: "I", ah: "ah-sha-hmac", espEncryption: "esp-aes", espIntegrity: "esp-sha-hmac", mode: "tunnel" },
  { name: "J", ah: "ah-sha256-hmac", espEncryption: "esp-aes-256", mode: "tunnel" },
];

describe("phase 2 proposals", () => {
  test("each transform set's proposals decode to what the set says and match only sets that say the same", () => {
    for (const ts of transformSets) {
      const proposals = transformSetProposals(
        ts,
        3,
        { spi: 0x1234abcd, ahSpi: 0x0badcafe },
        { mode: ts.mode, lifetimeSec: 3600, lifetimeKb: 4608000, pfsGroup: 14 },
      );
      const body = emitPayloadBody({ type: "sa", doi: 1, situation: 1, proposals });
      const parsed = parsePayloadBody(ISAKMP_PAYLOAD.SA, body);
      if (!parsed.ok || parsed.value.type !== "sa") throw new Error("no SA");
      const bundles = decodeBundles(parsed.value.proposals);
      expect(bundles.length).toBe(1);
      const bundle = bundles[0]!;
      expect(bundle.primary).toMatchObject({
        number: 3,
        spi: 0x1234abcd,
        mode: ts.mode,
        lifetimeSec: 3600,
        lifetimeKb: 4608000,
        group: 14,
      });
      // An AH+ESP set is two proposals with one number, AH first, each with its own SPI.
      if (ts.ah !== undefined && ts.espEncryption !== undefined) {
        expect(parsed.value.proposals.map((p) => [p.number, p.protocolId])).toEqual([
          [3, 2],
          [3, 3],
        ]);
        expect(bundle.ah).toMatchObject({ protocol: "ah", spi: 0x0badcafe });
      } else {
        expect(bundle.ah).toBeNull();
      }
      for (const other of transformSets) expect(bundleMatches(other, other.mode, bundle)).toBe(other === ts);
    }
  });

  test("proposal numbers group into bundles; a lone pair of ESP proposals under one number is no bundle", () => {
    const [a, g] = [transformSets[0]!, transformSets[6]!];
    const terms = { mode: "tunnel" as const, lifetimeSec: 3600, lifetimeKb: 4608000, pfsGroup: null };
    const proposals = [
      ...transformSetProposals(a, 1, { spi: 300 }, terms),
      ...transformSetProposals(g, 2, { spi: 301 }, terms),
      ...transformSetProposals(a, 2, { spi: 302 }, terms),
    ];
    const bundles = decodeBundles(proposals);
    expect(bundles.map((b) => [b.number, b.primary.protocol, b.ah?.protocol ?? null])).toEqual([
      [1, "esp", null],
      [2, "esp", "ah"],
    ]);
    const twoEsp = [
      ...transformSetProposals(a, 4, { spi: 400 }, terms),
      ...transformSetProposals(a, 4, { spi: 401 }, terms),
    ];
    expect(decodeBundles(twoEsp)).toEqual([]);
  });

  test("KEYMAT lengths and IOS names per transform", () => {
    expect(keyLengths(transformSets[1]!)).toEqual({ encryption: 24, integrity: 20 });
    expect(keyLengths(transformSets[3]!)).toEqual({ encryption: 24, integrity: 16 });
    expect(keyLengths(transformSets[6]!)).toEqual({ encryption: 0, integrity: 20 });
    expect(transformText(transformSets[1]!)).toBe("esp-192-aes esp-sha-hmac");
    expect(transformText(transformSets[6]!)).toBe("ah-sha-hmac");
    expect(keyLengths(transformSets[8]!)).toEqual({ encryption: 16, integrity: 20 });
    expect(keyLengths(transformSets[8]!, "ah")).toEqual({ encryption: 0, integrity: 20 });
    expect(keyLengths(transformSets[9]!, "esp")).toEqual({ encryption: 32, integrity: 0 });
    expect(transformText(transformSets[8]!)).toBe("ah-sha-hmac esp-aes esp-sha-hmac");
  });
});
