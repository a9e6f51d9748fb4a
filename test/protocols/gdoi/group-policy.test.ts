// A key server's policy through GROUPKEY-PULL's payloads and back: the ACL's
// entries ride as SA TEKs in order (a deny with SPI 0, a permit with the TEK's
// SPI, `eq` ports kept), the transform and lifetime come back from the IPsec
// attributes, TBAR's window from its private attribute, the KEK's cipher,
// lifetime and unicast transport from the SA KEK; a member refuses what it
// cannot use; and the downloaded ACL decides encrypt or clear first-match.

import { describe, expect, test } from "bun:test";
import type { AclEntry } from "../../../src/dataplane/acl.ts";
import { matchGroupAcl } from "../../../src/dataplane/ipsec/group-sa-dataplane.ts";
import {
  type GroupPolicy,
  groupAceFrom,
  keysFromPayload,
  keysPayload,
  policyFromPayload,
  policyPayload,
} from "../../../src/protocols/gdoi/group-policy.ts";
import {
  emitGdoiPayloads,
  GDOI_IPSEC_ATTR,
  type GdoiKdPayload,
  type GdoiSaPayload,
  parseGdoiPayloads,
  SA_DIRECTION,
} from "../../../src/wire/gdoi.ts";

const ANY = { address: 0, wildcard: 0xffffffff };
const ace = (over: Partial<AclEntry>): AclEntry => ({
  sequence: 10,
  matches: 0,
  action: "permit",
  protocol: null,
  source: ANY,
  destination: ANY,
  ...over,
});

// Seed 003's getvpn-acl.
const ACL: AclEntry[] = [
  ace({ action: "deny", protocol: 17, sourcePort: { op: "eq", ports: [848] } }),
  ace({ action: "deny", protocol: 17, destinationPort: { op: "eq", ports: [848] } }),
  ace({ action: "deny", protocol: 6, sourcePort: { op: "eq", ports: [179] } }),
  ace({ action: "deny", protocol: 6, destinationPort: { op: "eq", ports: [179] } }),
  ace({ source: { address: 0x0a000000, wildcard: 0x00ffffff } }),
];
const SPI = 0x6bafd3ab;

const POLICY: GroupPolicy = {
  kek: {
    spi: Uint8Array.from({ length: 16 }, (_, i) => i + 1),
    cipher: "aes 128",
    lifetimeSec: 86400,
    unicast: true,
    source: 0xc0a86f6f,
    sigKeyBytes: 162,
  },
  teks: [
    {
      spi: SPI,
      transform: { name: "", espEncryption: "esp-aes", espIntegrity: "esp-sha-hmac", mode: "tunnel" },
      lifetimeSec: 3600,
      replay: { kind: "time", window: 5 },
    },
  ],
  acl: ACL.map((e) => groupAceFrom(e, SPI)),
  receiveOnly: false,
};

function through<T>(p: Parameters<typeof emitGdoiPayloads>[0][number]): T {
  const { firstPayload, bytes } = emitGdoiPayloads([p]);
  const r = parseGdoiPayloads(firstPayload, bytes);
  if (!r.ok) throw new Error(r.error.detail);
  return r.value[0] as T;
}

describe("group policy on the wire", () => {
  test("the policy comes back as the member reads it", () => {
    const back = policyFromPayload(through<GdoiSaPayload>(policyPayload(POLICY)));
    expect(back).toEqual(POLICY);
  });

  test("sa receive-only travels as the TEKs' SA_DIRECTION RECEIVER_ONLY (2), else SYMMETRIC (3)", () => {
    const direction = (p: GroupPolicy) =>
      through<GdoiSaPayload>(policyPayload(p)).teks.map(
        (t) => t.attributes.find((a) => a.type === GDOI_IPSEC_ATTR.SA_DIRECTION)?.value,
      );
    expect(new Set(direction(POLICY))).toEqual(new Set([SA_DIRECTION.SYMMETRIC]));
    const receiveOnly = { ...POLICY, receiveOnly: true };
    expect(new Set(direction(receiveOnly))).toEqual(new Set([SA_DIRECTION.RECEIVER_ONLY]));
    expect(policyFromPayload(through<GdoiSaPayload>(policyPayload(receiveOnly)))).toEqual(receiveOnly);
  });

  test("deny entries carry SPI 0, ports travel, a standard entry's missing destination is any", () => {
    const acl = POLICY.acl;
    expect(acl.map((a) => [a.action, a.protocol, a.src.port, a.dst.port, a.spi])).toEqual([
      ["deny", 17, 848, 0, 0],
      ["deny", 17, 0, 848, 0],
      ["deny", 6, 179, 0, 0],
      ["deny", 6, 0, 179, 0],
      ["permit", 0, 0, 0, SPI],
    ]);
    expect(acl[4]!.src).toEqual({ address: 0x0a000000, mask: 0xff000000, port: 0 });
    expect(groupAceFrom(ace({ destination: undefined }), SPI).dst).toEqual({ address: 0, mask: 0, port: 0 });
  });

  test("keys come back by SPI, the KEK's key and the rekey signing key with them", () => {
    const keys = {
      teks: new Map([[SPI, { encryptionKey: new Uint8Array(16).fill(1), integrityKey: new Uint8Array(20).fill(2) }]]),
      kek: new Uint8Array(16).fill(3),
      sigKey: new Uint8Array(162).fill(4),
    };
    expect(keysFromPayload(through<GdoiKdPayload>(keysPayload(POLICY, keys)))).toEqual(keys);
  });

  test("a member refuses what it cannot use", () => {
    const sa = through<GdoiSaPayload>(policyPayload(POLICY));
    expect(policyFromPayload({ ...sa, teks: sa.teks.map((t) => ({ ...t, protocolId: 2 })) })).toBe("TEK is not ESP");
    expect(policyFromPayload({ ...sa, teks: sa.teks.map((t) => ({ ...t, transformId: 99 })) })).toMatch(/transform/);
    expect(policyFromPayload({ ...sa, kek: { ...sa.kek!, attributes: [] } })).toBe("KEK cipher not supported");
  });

  test("the downloaded ACL decides first-match: GDOI and BGP clear, the sites' traffic encrypted, others clear", () => {
    const acl = POLICY.acl;
    const p = (protocol: number, src: number, dst: number, srcPort?: number, dstPort?: number) => ({
      protocol,
      src,
      dst,
      srcPort,
      dstPort,
      tos: 0,
    });
    expect(matchGroupAcl(acl, p(17, 0x0a000001, 0x0a000002, 848, 848))?.action).toBe("deny");
    expect(matchGroupAcl(acl, p(6, 0x0a000001, 0x0a000002, 40000, 179))?.action).toBe("deny");
    expect(matchGroupAcl(acl, p(1, 0x0a000001, 0xc0a80101))?.spi).toBe(SPI);
    expect(matchGroupAcl(acl, p(1, 0xc0a80101, 0x0a000001))).toBeNull();
  });
});
