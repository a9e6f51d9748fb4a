// The crypto commands one by one: the sub-mode prompts, IOS's defaults and
// `no` forms, key replacement and removal, the crypto map NOTE, entry and map
// removal, dynamic-map references, and the debug switches.

import { describe, expect, test } from "bun:test";
import { defaultIsakmpPolicy } from "../../../src/protocols/ipsec/crypto-config.ts";
import { cryptoRouter } from "./crypto-router.ts";

const NOTE =
  "% NOTE: This new crypto map will remain disabled until a peer\n        and a valid access list have been configured.\n";

describe("sub-modes", () => {
  test("prompts of config-isakmp, cfg-crypto-trans and config-crypto-map", () => {
    const r = cryptoRouter("R1");
    r.run("conf t");
    r.run("crypto isakmp policy 10");
    expect(r.session.prompt).toBe("R1(config-isakmp)#");
    r.run("crypto ipsec transform-set TS esp-aes esp-sha-hmac");
    expect(r.session.prompt).toBe("R1(cfg-crypto-trans)#");
    r.run("crypto dynamic-map DYN 10");
    expect(r.session.prompt).toBe("R1(config-crypto-map)#");
    r.run("exit");
    expect(r.session.prompt).toBe("R1(config)#");
    // A reference to a dynamic map is a one-line command: no sub-mode.
    r.run("crypto map M 20 ipsec-isakmp dynamic DYN");
    expect(r.session.prompt).toBe("R1(config)#");
  });

  test("a new static entry prints IOS's NOTE; entering it again does not", () => {
    const r = cryptoRouter("R1");
    r.run("configure terminal");
    expect(r.run("crypto map MAP1 10 ipsec-isakmp")).toBe(NOTE);
    expect(r.session.prompt).toBe("R1(config-crypto-map)#");
    expect(r.run("crypto map MAP1 10 ipsec-isakmp")).toBe("");
    expect(r.run("crypto map MAP1 10")).toBe("");
    expect(r.run("crypto map MAP1 5")).toBe(NOTE);
    expect(r.device.crypto.cryptoMaps.get("MAP1")?.entries.map((e) => e.sequence)).toEqual([5, 10]);
  });
});

describe("ISAKMP policy", () => {
  test("attributes, abbreviations and `no`/`default` back to IOS's defaults", () => {
    const r = cryptoRouter("R1");
    r.load("crypto isakmp policy 7\n encr aes 256\n hash sha512\n auth pre-share\n group 16\n lifetime 600\n");
    const p = () => r.device.crypto.isakmpPolicies.get(7);
    expect(p()).toEqual({
      priority: 7,
      encryption: "aes-256",
      hash: "sha512",
      authentication: "pre-share",
      group: 16,
      lifetimeSec: 600,
    });
    r.load("crypto isakmp policy 7\n no encryption\n default hash\n no authentication\n no group 16\n no lifetime\n");
    expect(p()).toEqual(defaultIsakmpPolicy(7));
    r.load("no crypto isakmp policy 7\n");
    expect(r.device.crypto.isakmpPolicies.size).toBe(0);
  });

  test("`enc` and `encr` both reach encryption", () => {
    const r = cryptoRouter("R1");
    expect(r.load("crypto isakmp policy 1\n enc 3des\n")).toEqual([]);
    expect(r.device.crypto.isakmpPolicies.get(1)?.encryption).toBe("3des");
  });
});

describe("pre-shared keys and keepalive", () => {
  test("host, wildcard and network keys; the same address replaces the key; `no` removes it", () => {
    const r = cryptoRouter("R1");
    r.load(
      "crypto isakmp key one address 10.0.0.1\ncrypto isakmp key 0 two address 10.0.0.1\ncrypto isakmp key any address 0.0.0.0 0.0.0.0\ncrypto isakmp key net address 10.0.0.0 255.0.0.0\n",
    );
    const c = r.device.crypto;
    expect(c.isakmpKeys).toEqual([
      { key: "two", address: 0x0a000001, mask: 0xffffffff },
      { key: "any", address: 0, mask: 0 },
      { key: "net", address: 0x0a000000, mask: 0xff000000 },
    ]);
    expect(c.keyFor(0x0a000001)?.key).toBe("two");
    expect(c.keyFor(0x0a000002)?.key).toBe("net");
    expect(c.keyFor(0xc0000201)?.key).toBe("any");
    r.load("no crypto isakmp key two address 10.0.0.1\nno crypto isakmp key any address 0.0.0.0\n");
    expect(c.isakmpKeys.map((k) => k.key)).toEqual(["net"]);
  });

  test("a type-6 key is kept as typed and printed back with its 6", () => {
    const r = cryptoRouter("R1");
    r.load("crypto isakmp key 6 FhHgYR]^BS`\\ address 10.0.0.1\n");
    expect(r.device.crypto.isakmpKeys).toEqual([
      { key: "FhHgYR]^BS`\\", address: 0x0a000001, mask: 0xffffffff, encrypted: true },
    ]);
    expect(r.run("show run | include isakmp key")).toBe("crypto isakmp key 6 FhHgYR]^BS`\\ address 10.0.0.1\n");
  });

  test("keepalive defaults to retry 2 on demand", () => {
    const r = cryptoRouter("R1");
    r.load("crypto isakmp keepalive 10\n");
    expect(r.device.crypto.keepalive).toEqual({ intervalSec: 10, retrySec: 2, mode: "on-demand" });
    r.load("crypto isakmp keepalive 30 5 periodic\n");
    expect(r.device.crypto.keepalive).toEqual({ intervalSec: 30, retrySec: 5, mode: "periodic" });
    r.load("no crypto isakmp keepalive\n");
    expect(r.device.crypto.keepalive).toBeNull();
  });
});

describe("transform sets", () => {
  test("transforms in any order; tunnel by default; redefinition keeps the mode; `no` deletes", () => {
    const r = cryptoRouter("R1");
    r.load(
      "crypto ipsec transform-set T esp-sha-hmac esp-aes 128\n mode transport\ncrypto ipsec transform-set T esp-sha256-hmac ah-sha384-hmac esp-null\n",
    );
    expect(r.device.crypto.transformSets.get("T")).toEqual({
      name: "T",
      ah: "ah-sha384-hmac",
      espEncryption: "esp-null",
      espIntegrity: "esp-sha256-hmac",
      mode: "transport",
    });
    r.load("crypto ipsec transform-set T esp-sha256-hmac\n no mode\n");
    expect(r.device.crypto.transformSets.get("T")).toEqual({
      name: "T",
      espIntegrity: "esp-sha256-hmac",
      mode: "tunnel",
    });
    r.load("no crypto ipsec transform-set T\n");
    expect(r.device.crypto.transformSets.size).toBe(0);
  });

  test("an entry without transform sets proposes IOS's defaults unless they are turned off", () => {
    const r = cryptoRouter("R1");
    r.load(
      "crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac\ncrypto map M 10 ipsec-isakmp\ncrypto map M 20 ipsec-isakmp\n set transform-set TS NOT_DEFINED\n",
    );
    const c = r.device.crypto;
    const [ten, twenty] = c.cryptoMaps.get("M")!.entries;
    expect(c.transformSetsFor(ten!).map((t) => t.name)).toEqual([
      "#$!default_transform_set_1",
      "#$!default_transform_set_0",
    ]);
    expect(c.transformSetsFor(twenty!).map((t) => t.name)).toEqual(["TS"]);
    r.load("no crypto ipsec default transform-set\n");
    expect(c.transformSetsFor(ten!)).toEqual([]);
  });

  test("global SA lifetime and its `no` forms", () => {
    const r = cryptoRouter("R1");
    r.load(
      "crypto ipsec security-association lifetime seconds 1800\ncrypto ipsec security-association lifetime kilobytes 100000\n",
    );
    expect([r.device.crypto.ipsecLifetimeSec, r.device.crypto.ipsecLifetimeKb]).toEqual([1800, 100000]);
    r.load(
      "no crypto ipsec security-association lifetime seconds\nno crypto ipsec security-association lifetime kilobytes 100000\n",
    );
    expect([r.device.crypto.ipsecLifetimeSec, r.device.crypto.ipsecLifetimeKb]).toEqual([3600, 4608000]);
  });
});

describe("crypto map entries", () => {
  test("set and no set", () => {
    const r = cryptoRouter("R1");
    r.load(`crypto map M 10 ipsec-isakmp
 description first line
 set peer 10.0.0.1
 set peer 10.0.0.2
 set peer 10.0.0.1
 set transform-set A B C D E F
 set pfs group14
 set security-association lifetime seconds 900
 set security-association lifetime kilobytes 5000
 match address 2000
`);
    const e = () => r.device.crypto.cryptoMaps.get("M")!.entries[0]!;
    expect(e()).toEqual({
      sequence: 10,
      description: "first line",
      peers: [0x0a000001, 0x0a000002],
      transformSets: ["A", "B", "C", "D", "E", "F"],
      pfsGroup: 14,
      lifetimeSec: 900,
      lifetimeKb: 5000,
      matchAddress: "2000",
    });
    r.load(`crypto map M 10
 no description
 no set peer 10.0.0.1
 no set transform-set
 no set pfs
 no set security-association lifetime seconds
 no set security-association lifetime kilobytes
 no match address
`);
    expect(e()).toEqual({ sequence: 10, peers: [0x0a000002], transformSets: [] });
    r.load("crypto map M 10\n set pfs\n no set peer\n");
    expect(e()).toEqual({ sequence: 10, peers: [], transformSets: [], pfsGroup: 1 });
  });

  test("removing an entry, the whole map, a local-address; a dynamic map entry replaces a static one", () => {
    const r = cryptoRouter("R1");
    const c = r.device.crypto;
    r.load(
      "crypto map M local-address Loopback0\ncrypto map M 10 ipsec-isakmp\n set peer 10.0.0.1\ncrypto map M 20 ipsec-isakmp\ncrypto map M 10 ipsec-isakmp dynamic DYN\n",
    );
    expect(c.cryptoMaps.get("M")).toEqual({
      name: "M",
      localAddressInterface: "Loopback0",
      entries: [
        { sequence: 10, peers: [], transformSets: [], dynamicMap: "DYN" },
        { sequence: 20, peers: [], transformSets: [] },
      ],
    });
    r.load("no crypto map M 10\nno crypto map M 20\n");
    expect(c.cryptoMaps.get("M")?.entries).toEqual([]);
    r.load("no crypto map M local-address\n");
    expect(c.cryptoMaps.has("M")).toBe(false);
    r.load(
      "crypto map N 10 ipsec-isakmp\ncrypto map N 20 ipsec-isakmp\nno crypto map N\ncrypto dynamic-map D 10\ncrypto dynamic-map D 20\nno crypto dynamic-map D 10\n",
    );
    expect(c.cryptoMaps.has("N")).toBe(false);
    expect(c.dynamicMaps.get("D")?.entries.map((e) => e.sequence)).toEqual([20]);
    r.load("no crypto dynamic-map D\n");
    expect(c.dynamicMaps.size).toBe(0);
  });

  test("a map applied before it has entries turns ISAKMP on when its first entry appears", () => {
    const r = cryptoRouter("R1");
    r.load("interface GigabitEthernet1\n crypto map LATER\n");
    expect(r.ctx.consoleLines).toEqual([]);
    r.load("crypto map LATER 10 ipsec-isakmp\n");
    expect(r.ctx.consoleLines).toEqual(["%CRYPTO-6-ISAKMP_ON_OFF: ISAKMP is ON"]);
  });
});

describe("debug crypto", () => {
  test("flags on and off; undebug all and no debug all clear them", () => {
    const r = cryptoRouter("R1");
    expect(r.run("debug crypto isakmp")).toBe("Crypto ISAKMP debugging is on\n");
    expect(r.run("debug crypto ipsec")).toBe("Crypto IPSEC debugging is on\n");
    expect(r.device.debug).toMatchObject({ cryptoIsakmp: true, cryptoIpsec: true });
    expect(r.run("no debug crypto ipsec")).toBe("Crypto IPSEC debugging is off\n");
    expect(r.run("undebug crypto isakmp")).toBe("Crypto ISAKMP debugging is off\n");
    expect(r.device.debug).toMatchObject({ cryptoIsakmp: false, cryptoIpsec: false });
    r.run("debug crypto isakmp");
    r.run("debug crypto ipsec");
    r.run("debug ip nat detailed");
    r.run("debug ip packet detail");
    expect(r.device.debug).toMatchObject({
      cryptoIsakmp: true,
      cryptoIpsec: true,
      ipNatDetailed: true,
      ipPacketDetail: true,
    });
    r.run("undebug all");
    // Every switch, whichever module added it.
    expect(Object.values(r.device.debug).every((on) => on === false)).toBe(true);
    r.run("debug crypto isakmp");
    r.run("no debug all");
    expect(r.device.debug.cryptoIsakmp).toBe(false);
  });
});
