// The configuration-only crypto show commands against IOS 15's text: tabs,
// double spaces inside `{ ... }` and the default suites and transform sets
// IOS lists when nothing else is configured.

import { describe, expect, test } from "bun:test";
import { type CryptoRouter, cryptoRouter } from "./crypto-router.ts";

const lines = (...l: string[]): string => `${l.join("\n")}\n`;

function configured(): CryptoRouter {
  const r = cryptoRouter("R1");
  const errors = r.load(`interface GigabitEthernet1
 ip address 192.0.2.1 255.255.255.0
interface GigabitEthernet2
 ip address 198.51.100.1 255.255.255.0
crypto isakmp policy 20
 encr 3des
 hash md5
 group 2
 lifetime 3600
crypto isakmp policy 10
 encr aes 192
 hash sha384
 authentication pre-share
 group 5
crypto isakmp key cisco1234 address 10.0.0.8
crypto isakmp key wild address 0.0.0.0
crypto isakmp key net address 10.1.0.0 255.255.0.0
crypto ipsec transform-set ESP_AES_192_SHA1 esp-aes 192 esp-sha-hmac
crypto ipsec transform-set AH_ESP ah-sha-hmac esp-des
 mode transport
crypto ipsec transform-set STRONG esp-aes 256 esp-sha256-hmac
ip access-list extended VPN
 permit ip 10.0.9.0 0.0.0.255 10.0.10.0 0.0.0.255
 permit icmp host 10.0.9.1 any
crypto dynamic-map DYN 5
 set transform-set STRONG
 set pfs group14
crypto map CMAP 10 ipsec-isakmp
 description to HQ
 set peer 203.0.113.1
 set peer 203.0.113.2
 set transform-set ESP_AES_192_SHA1 AH_ESP
 set pfs group5
 set security-association lifetime seconds 1800
 match address VPN
crypto map CMAP 15 ipsec-isakmp
 set peer 203.0.113.9
crypto map CMAP 30 ipsec-isakmp dynamic DYN
crypto map OTHER 10 ipsec-isakmp
 set peer 203.0.113.7
 match address VPN
interface GigabitEthernet1
 crypto map CMAP
interface GigabitEthernet2
 crypto map OTHER
`);
  expect(errors).toEqual([]);
  return r;
}

const DEFAULT_SUITES = [
  ["65507", "AES - Advanced Encryption Standard (256 bit keys).", "Rivest-Shamir-Adleman Signature", "#5 (1536 bit)"],
  ["65508", "AES - Advanced Encryption Standard (256 bit keys).", "Pre-Shared Key", "#5 (1536 bit)"],
  ["65509", "AES - Advanced Encryption Standard (128 bit keys).", "Rivest-Shamir-Adleman Signature", "#5 (1536 bit)"],
  ["65510", "AES - Advanced Encryption Standard (128 bit keys).", "Pre-Shared Key", "#5 (1536 bit)"],
  ["65511", "Three key triple DES", "Rivest-Shamir-Adleman Signature", "#2 (1024 bit)"],
  ["65512", "Three key triple DES", "Pre-Shared Key", "#2 (1024 bit)"],
  ["65513", "DES - Data Encryption Standard (56 bit keys).", "Rivest-Shamir-Adleman Signature", "#1 (768 bit)"],
  ["65514", "DES - Data Encryption Standard (56 bit keys).", "Pre-Shared Key", "#1 (768 bit)"],
].flatMap(([priority, enc, auth, group]) => [
  `Default protection suite of priority ${priority}`,
  `\tencryption algorithm:\t${enc}`,
  "\thash algorithm:\t\tSecure Hash Standard",
  `\tauthentication method:\t${auth}`,
  `\tDiffie-Hellman group:\t${group}`,
  "\tlifetime:\t\t86400 seconds, no volume limit",
]);

describe("show crypto isakmp policy", () => {
  test("configured suites in priority order, IOS's wording", () => {
    expect(configured().run("show crypto isakmp policy")).toBe(
      lines(
        "",
        "Global IKE policy",
        "Protection suite of priority 10",
        "\tencryption algorithm:\tAES - Advanced Encryption Standard (192 bit keys).",
        "\thash algorithm:\t\tSecure Hash Standard 2 (384 bit)",
        "\tauthentication method:\tPre-Shared Key",
        "\tDiffie-Hellman group:\t#5 (1536 bit)",
        "\tlifetime:\t\t86400 seconds, no volume limit",
        "Protection suite of priority 20",
        "\tencryption algorithm:\tThree key triple DES",
        "\thash algorithm:\t\tMessage Digest 5",
        "\tauthentication method:\tRivest-Shamir-Adleman Signature",
        "\tDiffie-Hellman group:\t#2 (1024 bit)",
        "\tlifetime:\t\t3600 seconds, no volume limit",
        "Default protection suite",
        "\tencryption algorithm:\tDES - Data Encryption Standard (56 bit keys).",
        "\thash algorithm:\t\tSecure Hash Standard",
        "\tauthentication method:\tRivest-Shamir-Adleman Signature",
        "\tDiffie-Hellman group:\t#1 (768 bit)",
        "\tlifetime:\t\t86400 seconds, no volume limit",
      ),
    );
  });

  test("the default protection suite is what the responder checks after configured policies; no default policy drops it", () => {
    const r = configured();
    expect(r.device.crypto.responderPolicies().map((p) => p.priority)).toEqual([10, 20, 65535]);
    expect(r.device.crypto.effectivePolicies().map((p) => p.priority)).toEqual([10, 20]);
    r.load("no crypto isakmp default policy\n");
    expect(r.device.crypto.responderPolicies().map((p) => p.priority)).toEqual([10, 20]);
    const out = r.run("show crypto isakmp policy");
    expect(out).not.toContain("Default protection suite");
    expect(out).toEndWith("\tlifetime:\t\t3600 seconds, no volume limit\n");
  });

  test("a new policy shows IOS's defaults: DES, SHA, RSA signature, group 1", () => {
    const r = cryptoRouter("R1");
    r.load("crypto isakmp policy 1\n");
    expect(r.run("sh cry isa pol")).toContain(
      "Protection suite of priority 1\n\tencryption algorithm:\tDES - Data Encryption Standard (56 bit keys).\n\thash algorithm:\t\tSecure Hash Standard\n\tauthentication method:\tRivest-Shamir-Adleman Signature\n\tDiffie-Hellman group:\t#1 (768 bit)\n",
    );
  });

  test("with nothing configured the default suites are listed; `no crypto isakmp default policy` removes them", () => {
    const r = cryptoRouter("R1");
    expect(r.run("show crypto isakmp policy")).toBe(
      lines("", "Global IKE policy", "Default IKE policy", ...DEFAULT_SUITES),
    );
    r.load("no crypto isakmp default policy\n");
    expect(r.run("show crypto isakmp policy")).toBe(lines("", "Global IKE policy"));
    expect(r.device.crypto.effectivePolicies()).toEqual([]);
  });

  test("show crypto isakmp default policy", () => {
    expect(configured().run("show crypto isakmp default policy")).toBe(
      lines("", "Default IKE policy", ...DEFAULT_SUITES),
    );
  });

  test("sha256 and sha512, groups 14 to 16, AES 128", () => {
    const r = cryptoRouter("R1");
    r.load(
      "crypto isakmp policy 1\n encr aes\n hash sha256\n group 14\ncrypto isakmp policy 2\n hash sha512\n group 15\ncrypto isakmp policy 3\n group 16\n",
    );
    const out = r.run("show crypto isakmp policy");
    expect(out).toContain(
      "\tencryption algorithm:\tAES - Advanced Encryption Standard (128 bit keys).\n\thash algorithm:\t\tSecure Hash Standard 2 (256 bit)\n",
    );
    expect(out).toContain("\tDiffie-Hellman group:\t#14 (2048 bit)\n");
    expect(out).toContain("\thash algorithm:\t\tSecure Hash Standard 2 (512 bit)\n");
    expect(out).toContain("\tDiffie-Hellman group:\t#15 (3072 bit)\n");
    expect(out).toContain("\tDiffie-Hellman group:\t#16 (4096 bit)\n");
  });
});

describe("show crypto isakmp key", () => {
  test("keyring default; masks in brackets unless a host", () => {
    expect(configured().run("show crypto isakmp key")).toBe(
      lines(
        "Keyring      Hostname/Address                            Preshared Key",
        "",
        "default      10.0.0.8                                    cisco1234",
        "default      0.0.0.0        [0.0.0.0        ]            wild",
        "default      10.1.0.0       [255.255.0.0    ]            net",
      ),
    );
  });
});

describe("show crypto ipsec transform-set", () => {
  test("configured sets, then IOS's default sets in transport mode", () => {
    expect(configured().run("show crypto ipsec transform-set")).toBe(
      lines(
        "Transform set ESP_AES_192_SHA1: { esp-192-aes esp-sha-hmac  }",
        "   will negotiate = { Tunnel,  },",
        "",
        "Transform set AH_ESP: { ah-sha-hmac  }",
        "   will negotiate = { Transport,  },",
        "   { esp-des  }",
        "   will negotiate = { Transport,  },",
        "",
        "Transform set STRONG: { esp-256-aes esp-sha256-hmac  }",
        "   will negotiate = { Tunnel,  },",
        "",
        "Transform set #$!default_transform_set_1: { esp-aes esp-sha-hmac  }",
        "   will negotiate = { Transport,  },",
        "",
        "Transform set #$!default_transform_set_0: { esp-3des esp-sha-hmac  }",
        "   will negotiate = { Transport,  },",
        "",
      ),
    );
  });

  test("one set by name or by tag; defaults gone after `no crypto ipsec default transform-set`", () => {
    const r = configured();
    const one = lines(
      "Transform set ESP_AES_192_SHA1: { esp-192-aes esp-sha-hmac  }",
      "   will negotiate = { Tunnel,  },",
      "",
    );
    expect(r.run("show crypto ipsec transform-set ESP_AES_192_SHA1")).toBe(one);
    expect(r.run("show crypto ipsec transform-set tag ESP_AES_192_SHA1")).toBe(one);
    expect(r.run("show crypto ipsec transform-set NONE")).toBe("");
    r.load("no crypto ipsec default transform-set\n");
    expect(r.run("show crypto ipsec transform-set")).not.toContain("default_transform_set");
  });
});

const CMAP = [
  'Crypto Map IPv4 "CMAP" 10 ipsec-isakmp',
  "\tDescription: to HQ",
  "\tPeer = 203.0.113.1",
  "\tPeer = 203.0.113.2",
  "\tExtended IP access list VPN",
  "\t    access-list VPN permit ip 10.0.9.0 0.0.0.255 10.0.10.0 0.0.0.255",
  "\t    access-list VPN permit icmp host 10.0.9.1 any",
  "\tCurrent peer: 203.0.113.1",
  "\tSecurity association lifetime: 4608000 kilobytes/1800 seconds",
  "\tResponder-Only (Y/N): N",
  "\tPFS (Y/N): Y",
  "\tDH group:  group5",
  "\tMixed-mode : Disabled",
  "\tTransform sets={ ",
  "\t\tESP_AES_192_SHA1:  { esp-192-aes esp-sha-hmac  } , ",
  "\t\tAH_ESP:  { ah-sha-hmac  } { esp-des  } , ",
  "\t}",
  "",
  'Crypto Map IPv4 "CMAP" 15 ipsec-isakmp',
  "\tWARNING: This crypto map is in an incomplete state!",
  "\t\t(missing peer or access-list definitions)",
  "\tPeer = 203.0.113.9",
  "\tCurrent peer: 203.0.113.9",
  "\tSecurity association lifetime: 4608000 kilobytes/3600 seconds",
  "\tResponder-Only (Y/N): N",
  "\tPFS (Y/N): N",
  "\tMixed-mode : Disabled",
  "\tTransform sets={ ",
  "\t\t#$!default_transform_set_1:  { esp-aes esp-sha-hmac  } , ",
  "\t\t#$!default_transform_set_0:  { esp-3des esp-sha-hmac  } , ",
  "\t}",
  "",
  'Crypto Map IPv4 "CMAP" 30 ipsec-isakmp',
  "\tDynamic map template tag: DYN",
  "\tInterfaces using crypto map CMAP:",
  "\t\tGigabitEthernet1",
  "",
];

describe("show crypto map", () => {
  test("every map, entries in sequence order, interfaces after the last entry", () => {
    const out = configured().run("show crypto map");
    expect(out).toStartWith(lines(...CMAP));
    expect(out).toContain('\nCrypto Map IPv4 "OTHER" 10 ipsec-isakmp\n\tPeer = 203.0.113.7\n');
    expect(out).toEndWith("\tInterfaces using crypto map OTHER:\n\t\tGigabitEthernet2\n\n");
  });

  test("filtered by interface or by tag", () => {
    const r = configured();
    expect(r.run("show crypto map interface gi1")).toBe(lines(...CMAP));
    expect(r.run("show crypto map tag CMAP")).toBe(lines(...CMAP));
    expect(r.run("show crypto map interface GigabitEthernet2")).toStartWith(
      'Crypto Map IPv4 "OTHER" 10 ipsec-isakmp\n',
    );
    expect(r.run("show crypto map tag NOPE")).toBe("");
    r.run("configure terminal");
    r.run("interface gi2");
    r.run("no crypto map");
    r.run("end");
    expect(r.run("show crypto map interface gi2")).toBe("");
  });

  test("local-address line with the interface's address", () => {
    const r = configured();
    r.load("crypto map OTHER local-address GigabitEthernet2\n");
    expect(r.run("show crypto map tag OTHER")).toStartWith(
      'Crypto Map IPv4 "OTHER" idb: GigabitEthernet2 local address: 198.51.100.1\n\nCrypto Map IPv4 "OTHER" 10 ipsec-isakmp\n',
    );
  });

  test("global SA lifetime shows in entries that set none", () => {
    const r = configured();
    r.load("crypto ipsec security-association lifetime kilobytes 10000\n");
    expect(r.run("show crypto map tag OTHER")).toContain(
      "\tSecurity association lifetime: 10000 kilobytes/3600 seconds\n",
    );
  });
});

describe("show crypto dynamic-map", () => {
  test("template entries", () => {
    expect(configured().run("show crypto dynamic-map")).toBe(
      lines(
        'Crypto Map Template"DYN" 5',
        "\tSecurity association lifetime: 4608000 kilobytes/3600 seconds",
        "\tResponder-Only (Y/N): N",
        "\tPFS (Y/N): Y",
        "\tDH group:  group14",
        "\tMixed-mode : Disabled",
        "\tTransform sets={ ",
        "\t\tSTRONG:  { esp-256-aes esp-sha256-hmac  } , ",
        "\t}",
        "",
      ),
    );
    expect(configured().run("show crypto dynamic-map tag NONE")).toBe("");
  });
});
