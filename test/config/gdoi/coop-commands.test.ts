// COOP configuration (seed 003): `redundancy` under `server local` with
// `local priority` and `peer address ipv4` round-trips through the running
// config, starts COOP (show crypto gdoi ks coop prints the group, its
// priority and peer, secondary until the election), bad values get IOS's
// caret and the rest loads, and `no` forms undo.

import { describe, expect, test } from "bun:test";
import { gdoiConfig } from "../../../src/config/gdoi/gdoi-store.ts";
import { cryptoRouter } from "../crypto/crypto-router.ts";

const KS = `crypto isakmp policy 1
 encr aes
 authentication pre-share
 group 2
crypto isakmp key COOPKEY address 192.168.222.222
crypto ipsec transform-set aes128 esp-aes esp-sha-hmac
 mode tunnel
crypto ipsec profile profile1
 set transform-set aes128
crypto gdoi group GDOI-GROUP1
 identity number 1234
 server local
  rekey algorithm aes 128
  rekey transport unicast
  sa ipsec 1
   profile profile1
   match address ipv4 getvpn-acl
  address ipv4 192.168.111.111
  redundancy
   local priority 100
   peer address ipv4 192.168.222.222
   peer address ipv4 192.168.33.33
`;

describe("crypto gdoi group redundancy", () => {
  test("round-trips, and COOP starts with the configured peers", () => {
    const r = cryptoRouter("KS1");
    expect(r.load(KS)).toEqual([]);
    const run = r.runningConfig();
    expect(run).toContain(
      "  address ipv4 192.168.111.111\n  redundancy\n   local priority 100\n   peer address ipv4 192.168.222.222\n   peer address ipv4 192.168.33.33\n",
    );
    const again = cryptoRouter("KS1");
    expect(again.load(run)).toEqual([]);
    expect(again.runningConfig()).toBe(run);
    const show = r.run("show crypto gdoi ks coop");
    expect(show).toContain("Crypto Gdoi Group Name :GDOI-GROUP1");
    expect(show).toContain("        Local Address: 192.168.111.111\n        Local Priority: 100\n");
    expect(show).toContain("Local KS Role: Secondary , Local KS Status: Alive");
    expect(show).toContain("Session 2:");
    expect(show).toContain("Peer Address: 192.168.33.33");
    expect(show).toContain("IKE status: Not Established");
    // A phase 1 on UDP 848 to each peer with a pre-shared key (192.168.33.33 has none: no main mode starts).
    expect(
      r.device
        .ike!.isakmpSas()
        .filter((s) => s.gdoi)
        .map((s) => s.peer),
    ).toEqual([0xc0a8dede]);
  });

  test("bad values get the caret, the rest loads; no forms undo", () => {
    const r = cryptoRouter("KS1");
    const errors = r.load(`${KS}   local priority 0\n   peer address ipv4 300.1.1.1\nhostname AFTER\n`);
    expect(errors.length).toBe(2);
    for (const e of errors) expect(e).toContain("% Invalid input detected at '^' marker.");
    expect(r.device.hostname).toBe("AFTER");
    r.run("configure terminal");
    r.run("crypto gdoi group GDOI-GROUP1");
    r.run("server local");
    r.run("redundancy");
    r.run("no peer address ipv4 192.168.33.33");
    r.run("no local priority");
    const g = gdoiConfig(r.device).groups.get("GDOI-GROUP1")!;
    expect(g.server?.redundancy).toEqual({ peers: [0xc0a8dede] });
    r.run("end");
    expect(r.run("show crypto gdoi ks coop")).toContain("Local Priority: 1\n");
    r.run("configure terminal");
    r.run("crypto gdoi group GDOI-GROUP1");
    r.run("server local");
    r.run("no redundancy");
    r.run("end");
    expect(g.server?.redundancy).toBeUndefined();
    expect(r.runningConfig()).not.toContain("redundancy");
    expect(r.run("show crypto gdoi ks coop")).toBe("");
  });
});

describe("debug crypto gdoi, clear crypto gdoi", () => {
  test("debug crypto gdoi is a switch show debugging lists; no and undebug turn it off", () => {
    const r = cryptoRouter("KS1");
    expect(r.run("debug crypto gdoi")).toContain("Crypto GDOI debugging is on");
    expect(r.run("show debugging")).toContain("Cryptographic Subsystem:\n  Crypto GDOI debugging is on\n");
    expect(r.run("no debug crypto gdoi")).toContain("Crypto GDOI debugging is off");
    expect(r.run("show debugging")).not.toContain("GDOI");
    r.run("debug crypto gdoi");
    r.run("undebug all");
    expect(r.device.debug.cryptoGdoi).toBe(false);
  });

  test("clear crypto gdoi with nothing to clear says so; on a member it registers again", () => {
    const r = cryptoRouter("CE1");
    expect(r.run("clear crypto gdoi")).toContain("% No GDOI group is running");
    r.load(`crypto isakmp policy 1
 authentication pre-share
crypto isakmp key K address 192.168.111.111
crypto gdoi group G1
 identity number 1234
 server address ipv4 192.168.111.111
crypto map gdoimap 1 gdoi
 set group G1
interface GigabitEthernet1
 ip address 192.168.11.3 255.255.255.0
 crypto map gdoimap
`);
    expect(r.run("clear crypto gdoi group G2")).toContain("% GDOI group G2 is not running here");
    r.run("clear crypto gdoi group G1");
    const log = r.ctx.consoleLines.join("\n");
    expect(log).toContain("%GDOI-5-GM_CLEAR_REGISTER: Config: GM cleared gdoi configuration for the group G1.");
    expect(log.split("%CRYPTO-5-GM_REGSTER: Start registration to KS 192.168.111.111 for group G1").length).toBe(3);
  });
});

describe("sharing the key servers' RSA key (seed 003)", () => {
  test("KS1's export, pasted into KS2 with the seed's 'crypto key import rsa NAME terminal PASS', is the same pair", () => {
    const ks1 = cryptoRouter("KS1");
    ks1.run("configure terminal");
    expect(ks1.run("crypto key generate rsa label MYRSAKEY modulus 1024 exportable")).toContain("exportable");
    const exported = ks1.run("crypto key export rsa MYRSAKEY pem terminal 3des MYSECRETPASS");
    expect(exported).toContain("% Key name: MYRSAKEY\n   Usage: General Purpose Key\n   Key data:\n");
    expect(exported).toMatch(/Proc-Type: 4,ENCRYPTED\nDEK-Info: DES-EDE3-CBC,[0-9A-F]{16}\n/);
    const block = (begin: string, end: string) => {
      const all = exported.split("\n");
      return all.slice(all.indexOf(begin), all.indexOf(end) + 1);
    };
    const ks2 = cryptoRouter("KS2");
    ks2.run("configure terminal");
    const out = [
      "crypto key import rsa MYRSAKEY terminal MYSECRETPASS",
      ...block("-----BEGIN PUBLIC KEY-----", "-----END PUBLIC KEY-----"),
      "quit",
      ...block("-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----"),
      "quit",
    ].map((l) => ks2.run(l));
    expect(out.join("")).toContain("% Key pair import succeeded.");
    const one = ks1.device.crypto.pki.keys.signingPair("MYRSAKEY")!;
    const two = ks2.device.crypto.pki.keys.signingPair("MYRSAKEY")!;
    expect(two.publicDer).toEqual(one.publicDer);
    expect(two.key.d).toBe(one.key.d);
    // The wrong passphrase does not open it; the url forms are not there (refused with the caret).
    const ks3 = cryptoRouter("KS3");
    ks3.run("configure terminal");
    const bad = [
      "crypto key import rsa MYRSAKEY terminal WRONG",
      ...block("-----BEGIN PUBLIC KEY-----", "-----END PUBLIC KEY-----"),
      "quit",
      ...block("-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----"),
      "quit",
    ].map((l) => ks3.run(l));
    expect(bad.join("")).toContain("% Key import failed");
    expect(ks3.device.crypto.pki.keys.signingPair("MYRSAKEY")).toBeUndefined();
    expect(ks1.run("crypto key export rsa MYRSAKEY pem url nvram:ks.pem 3des MYSECRETPASS")).toContain(
      "% Invalid input detected at '^' marker.",
    );
  });
});
