// The crypto section of `show running-config` round-trips: loading it into a
// fresh router gives the same CryptoConfig and prints the same text. Checked
// on a configuration using every crypto command, and as a property over
// random crypto configurations (fast-check).

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { renderCryptoConfig } from "../../../src/config/crypto/crypto-running-config.ts";
import type {
  CryptoConfig,
  CryptoMapEntry,
  IsakmpPolicy,
  TransformSet,
} from "../../../src/protocols/ipsec/crypto-config.ts";
import { cryptoRouter } from "./crypto-router.ts";

const EVERYTHING = `interface Loopback0
 ip address 10.0.0.7 255.255.255.255
interface GigabitEthernet1
 ip address 192.0.2.1 255.255.255.0
 crypto map MAP1
interface GigabitEthernet2
 ip address 198.51.100.1 255.255.255.0
 crypto map MAP2
crypto isakmp policy 30
 encr des
 hash md5
 group 1
crypto isakmp policy 10
 encr aes 192
 hash sha384
 authentication pre-share
 group 5
crypto isakmp policy 20
 encryption aes
 hash sha256
 authentication rsa-sig
 group 14
 lifetime 3600
no crypto isakmp default policy
crypto isakmp key cisco1234 address 10.0.0.8
crypto isakmp key 0 wild address 0.0.0.0 0.0.0.0
crypto isakmp key 6 ENCRYPTED address 10.2.0.0 255.255.0.0
crypto isakmp keepalive 10 3 periodic
crypto isakmp nat keepalive 20
no crypto ipsec nat-transparency udp-encapsulation
crypto ipsec security-association lifetime seconds 1800
crypto ipsec security-association lifetime kilobytes 100000
crypto ipsec transform-set ESP_AES_192_SHA1 esp-aes 192 esp-sha-hmac
 mode tunnel
crypto ipsec transform-set TRANSPORT esp-3des esp-md5-hmac
 mode transport
crypto ipsec transform-set AH ah-sha512-hmac esp-aes 256 esp-sha384-hmac
crypto ipsec transform-set NULL esp-null esp-sha512-hmac
no crypto ipsec default transform-set
ip access-list extended R9_TO_R10
 permit ip 10.0.9.0 0.0.0.255 10.0.10.0 0.0.0.255
access-list 150 permit ip any any
crypto dynamic-map DYN 10
 set transform-set ESP_AES_192_SHA1 AH
 set pfs group15
 match address 150
crypto dynamic-map DYN 5
 set security-association lifetime seconds 120
crypto map MAP1 local-address Loopback0
crypto map MAP1 10 ipsec-isakmp
 description to R8 (primary and backup)
 set peer 10.0.0.8
 set peer 10.0.0.9
 set transform-set ESP_AES_192_SHA1 TRANSPORT AH NULL A5 A6
 set pfs group16
 set security-association lifetime seconds 7200
 set security-association lifetime kilobytes 2560
 match address R9_TO_R10
crypto map MAP1 65535 ipsec-isakmp dynamic DYN
crypto map MAP2 1 ipsec-isakmp
 set peer 203.0.113.1
 set pfs
 match address 2600
`;

const PORTS = [
  { name: "GigabitEthernet1", kind: "ethernet" as const },
  { name: "GigabitEthernet2", kind: "ethernet" as const },
];

/** The crypto model as plain data, for comparing two routers. */
function dump(c: CryptoConfig): unknown {
  return {
    policies: [...c.isakmpPolicies.entries()].sort((a, b) => a[0] - b[0]),
    defaultPolicy: c.defaultPolicyEnabled,
    keys: c.isakmpKeys,
    keepalive: c.keepalive,
    nat: [c.natKeepaliveSec, c.natTransparency],
    sets: [...c.transformSets.entries()],
    maps: [...c.cryptoMaps.entries()],
    dynamic: [...c.dynamicMaps.entries()],
    lifetime: [c.ipsecLifetimeSec, c.ipsecLifetimeKb],
    defaultSets: c.defaultTransformSetsEnabled,
  };
}

describe("crypto running-config", () => {
  test("a configuration with every crypto command loads, prints in IOS order and round-trips", () => {
    const a = cryptoRouter("R7", PORTS);
    expect(a.load(EVERYTHING)).toEqual([]);
    expect(a.run("show running-config | section crypto")).toBe(`crypto isakmp policy 10
 encr aes 192
 hash sha384
 authentication pre-share
 group 5
crypto isakmp policy 20
 encr aes
 hash sha256
 group 14
 lifetime 3600
crypto isakmp policy 30
 hash md5
no crypto isakmp default policy
crypto isakmp key cisco1234 address 10.0.0.8
crypto isakmp key wild address 0.0.0.0
crypto isakmp key 6 ENCRYPTED address 10.2.0.0 255.255.0.0
crypto isakmp keepalive 10 3 periodic
crypto isakmp nat keepalive 20
crypto ipsec security-association lifetime seconds 1800
crypto ipsec security-association lifetime kilobytes 100000
no crypto ipsec nat-transparency udp-encapsulation
crypto ipsec transform-set ESP_AES_192_SHA1 esp-aes 192 esp-sha-hmac
 mode tunnel
crypto ipsec transform-set TRANSPORT esp-3des esp-md5-hmac
 mode transport
crypto ipsec transform-set AH ah-sha512-hmac esp-aes 256 esp-sha384-hmac
 mode tunnel
crypto ipsec transform-set NULL esp-null esp-sha512-hmac
 mode tunnel
no crypto ipsec default transform-set
crypto dynamic-map DYN 5
 set security-association lifetime seconds 120
crypto dynamic-map DYN 10
 set transform-set ESP_AES_192_SHA1 AH
 set pfs group15
 match address 150
crypto map MAP1 local-address Loopback0
crypto map MAP1 10 ipsec-isakmp
 description to R8 (primary and backup)
 set peer 10.0.0.8
 set peer 10.0.0.9
 set security-association lifetime seconds 7200
 set security-association lifetime kilobytes 2560
 set transform-set ESP_AES_192_SHA1 TRANSPORT AH NULL A5 A6
 set pfs group16
 match address R9_TO_R10
crypto map MAP1 65535 ipsec-isakmp dynamic DYN
crypto map MAP2 1 ipsec-isakmp
 set peer 203.0.113.1
 set pfs group1
 match address 2600
 crypto map MAP1
 crypto map MAP2
`);
    const first = a.runningConfig();
    const b = cryptoRouter("R7", PORTS);
    expect(b.load(first)).toEqual([]);
    expect(b.runningConfig()).toBe(first);
    expect(dump(b.device.crypto)).toEqual(dump(a.device.crypto));
    expect(b.device.findInterface("Gi2")?.config.cryptoMap).toBe("MAP2");
  });

  test("nothing configured prints no crypto lines", () => {
    const r = cryptoRouter("R1", PORTS);
    expect(renderCryptoConfig(r.device.crypto)).toEqual([]);
    expect(r.run("show running-config | include crypto")).toBe("");
  });
});

// ---- property: random crypto configurations round-trip ------------------------------------

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,9}$/);
const address = fc.integer({ min: 1, max: 0xfffffffe });

const policy = (priority: number): fc.Arbitrary<IsakmpPolicy> =>
  fc.record({
    priority: fc.constant(priority),
    encryption: fc.constantFrom("des", "3des", "aes-128", "aes-192", "aes-256"),
    hash: fc.constantFrom("md5", "sha", "sha256", "sha384", "sha512"),
    authentication: fc.constantFrom("pre-share", "rsa-sig"),
    group: fc.constantFrom(1, 2, 5, 14, 15, 16),
    lifetimeSec: fc.integer({ min: 60, max: 86400 }),
  });

const transformSet = (tsName: string): fc.Arbitrary<TransformSet> =>
  fc
    .record(
      {
        ah: fc.constantFrom("ah-md5-hmac", "ah-sha-hmac", "ah-sha256-hmac", "ah-sha384-hmac", "ah-sha512-hmac"),
        espEncryption: fc.constantFrom("esp-des", "esp-3des", "esp-aes", "esp-aes-192", "esp-aes-256", "esp-null"),
        espIntegrity: fc.constantFrom(
          "esp-md5-hmac",
          "esp-sha-hmac",
          "esp-sha256-hmac",
          "esp-sha384-hmac",
          "esp-sha512-hmac",
        ),
      },
      { requiredKeys: [] },
    )
    .filter((t) => Object.keys(t).length > 0)
    .chain((t) =>
      fc.constantFrom("tunnel" as const, "transport" as const).map((mode) => ({ name: tsName, ...t, mode })),
    );

const staticEntry = (sequence: number): fc.Arbitrary<CryptoMapEntry> =>
  fc
    .record(
      {
        description: fc.array(name, { minLength: 1, maxLength: 4 }).map((w) => w.join(" ")),
        peers: fc.uniqueArray(address, { maxLength: 3 }),
        transformSets: fc.uniqueArray(name, { maxLength: 6 }),
        matchAddress: fc.oneof(name, fc.integer({ min: 100, max: 199 }).map(String)),
        pfsGroup: fc.constantFrom(1, 2, 5, 14, 15, 16),
        lifetimeSec: fc.integer({ min: 120, max: 86400 }),
        lifetimeKb: fc.integer({ min: 2560, max: 4294967295 }),
      },
      { requiredKeys: [] },
    )
    .map((e) => ({ sequence, peers: [], transformSets: [], ...e }));

const entries = (dynamicRefs: boolean): fc.Arbitrary<CryptoMapEntry[]> =>
  fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 3 }).chain((seqs) =>
    fc.tuple(
      ...seqs
        .sort((x, y) => x - y)
        .map((s) =>
          dynamicRefs
            ? fc.oneof(
                staticEntry(s),
                name.map((d) => ({ sequence: s, peers: [], transformSets: [], dynamicMap: d })),
              )
            : staticEntry(s),
        ),
    ),
  );

const config = fc.record({
  policies: fc
    .uniqueArray(fc.integer({ min: 1, max: 10000 }), { maxLength: 3 })
    .chain((ps) => fc.tuple(...ps.map(policy))),
  defaultPolicy: fc.boolean(),
  keys: fc
    .uniqueArray(
      fc.oneof(
        fc.record({ address, mask: fc.constant(0xffffffff) }),
        fc.record({ address, mask: fc.integer({ min: 1, max: 31 }).map((l) => (0xffffffff << (32 - l)) >>> 0) }),
        fc.constant({ address: 0, mask: 0 }),
      ),
      { maxLength: 3, selector: (k) => `${k.address}/${k.mask}` },
    )
    .chain((ks) =>
      fc.tuple(
        ...ks.map((k) =>
          fc
            .record({ key: name.filter((n) => n !== "0" && n !== "6"), encrypted: fc.boolean() })
            .map(({ key, encrypted }) => ({ key, ...k, ...(encrypted ? { encrypted: true } : {}) })),
        ),
      ),
    ),
  keepalive: fc.option(
    fc.record({
      intervalSec: fc.integer({ min: 10, max: 3600 }),
      retrySec: fc.integer({ min: 2, max: 60 }),
      mode: fc.constantFrom("periodic" as const, "on-demand" as const),
    }),
  ),
  natKeepalive: fc.option(fc.integer({ min: 5, max: 3600 })),
  natTransparency: fc.boolean(),
  sets: fc.uniqueArray(name, { maxLength: 3 }).chain((ns) => fc.tuple(...ns.map(transformSet))),
  defaultSets: fc.boolean(),
  lifetime: fc.tuple(fc.integer({ min: 120, max: 86400 }), fc.integer({ min: 2560, max: 4294967295 })),
  maps: fc.uniqueArray(name, { maxLength: 2 }).chain((ns) =>
    fc.tuple(
      ...ns.map((n) =>
        fc
          .record({
            entries: entries(true),
            local: fc.option(fc.constantFrom("Loopback0", "GigabitEthernet1", "Tunnel5")),
          })
          .map((m) => ({ name: n, ...m })),
      ),
    ),
  ),
  dynamic: fc
    .uniqueArray(name, { maxLength: 2 })
    .chain((ns) => fc.tuple(...ns.map((n) => entries(false).map((es) => ({ name: n, entries: es }))))),
});

describe("crypto running-config property", () => {
  test("render, load into a fresh router, render again: same text, same model", () => {
    fc.assert(
      fc.property(config, (g) => {
        const a = cryptoRouter("A", PORTS);
        const c = a.device.crypto;
        for (const p of g.policies) c.isakmpPolicies.set(p.priority, p as IsakmpPolicy);
        c.defaultPolicyEnabled = g.defaultPolicy;
        c.isakmpKeys.push(...g.keys);
        c.keepalive = g.keepalive;
        c.natKeepaliveSec = g.natKeepalive;
        c.natTransparency = g.natTransparency;
        for (const t of g.sets) c.transformSets.set(t.name, t as TransformSet);
        c.defaultTransformSetsEnabled = g.defaultSets;
        [c.ipsecLifetimeSec, c.ipsecLifetimeKb] = g.lifetime;
        for (const m of g.maps)
          c.cryptoMaps.set(m.name, {
            name: m.name,
            entries: m.entries,
            ...(m.local === null ? {} : { localAddressInterface: m.local }),
          });
        for (const d of g.dynamic) c.dynamicMaps.set(d.name, d);
        const text = `${renderCryptoConfig(c).join("\n")}\n`;
        const b = cryptoRouter("A", PORTS);
        expect(b.load(text)).toEqual([]);
        expect(`${renderCryptoConfig(b.device.crypto).join("\n")}\n`).toBe(text);
        expect(dump(b.device.crypto)).toEqual(dump(c));
      }),
      { numRuns: 300 },
    );
  });
});
