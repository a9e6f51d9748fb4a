// Crypto lines IOS refuses, refused the same way: the line echoed with a
// caret under the first token the grammar cannot take and `% Invalid input
// detected`, or `% Incomplete command.`; the rest of the configuration still
// loads, and interactively the session stays in its mode.

import { describe, expect, test } from "bun:test";
import { cryptoRouter } from "./crypto-router.ts";

const INVALID = "% Invalid input detected at '^' marker.";

/** What the loader reports for `line`, with the caret under column `column`. */
const caret = (line: string, column: number): string => `${line}\n${" ".repeat(column)}^\n${INVALID}`;

describe("bad crypto input", () => {
  test("each bad line gets IOS's caret; the good lines around it load", () => {
    const r = cryptoRouter("R1");
    const errors = r.load(`crypto isakmp policy 10
 encryption blowfish
 group 3
 lifetime 10
 hash sha
 encr aes 256
 group 14
 lifetime 3600
crypto ipsec transform-set TWO_CIPHERS esp-aes esp-3des
crypto ipsec transform-set TWO_AH ah-md5-hmac ah-sha-hmac esp-aes
crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac
crypto map M 10 ipsec-isakmp
 set peer 300.1.1.1
 set transform-set A B C D E F G
 set peer 10.0.0.2
 set transform-set TS
 match address 5
 match address 101
crypto isakmp keepalive 5
crypto ipsec security-association lifetime seconds 60
crypto map M 70000 ipsec-isakmp
hostname AFTER
`);
    expect(errors).toEqual([
      caret(" encryption blowfish", 12),
      caret(" group 3", 7),
      caret(" lifetime 10", 10),
      // Past `esp-`, no ESP cipher is left to take `3des`; a second AH transform matches nothing at all.
      caret("crypto ipsec transform-set TWO_CIPHERS esp-aes esp-3des", 51),
      caret("crypto ipsec transform-set TWO_AH ah-md5-hmac ah-sha-hmac esp-aes", 46),
      caret(" set peer 300.1.1.1", 10),
      caret(" set transform-set A B C D E F G", 31),
      caret(" match address 5", 15),
      caret("crypto isakmp keepalive 5", 24),
      caret("crypto ipsec security-association lifetime seconds 60", 51),
      caret("crypto map M 70000 ipsec-isakmp", 13),
    ]);
    const c = r.device.crypto;
    expect(c.isakmpPolicies.get(10)).toEqual({
      priority: 10,
      encryption: "aes-256",
      hash: "sha",
      authentication: "rsa-sig",
      group: 14,
      lifetimeSec: 3600,
    });
    expect([...c.transformSets.keys()]).toEqual(["TS"]);
    expect(c.cryptoMaps.get("M")?.entries).toEqual([
      { sequence: 10, peers: [0x0a000002], transformSets: ["TS"], matchAddress: "101" },
    ]);
    expect(c.keepalive).toBeNull();
    expect(c.ipsecLifetimeSec).toBe(3600);
    expect(r.device.hostname).toBe("AFTER");
  });

  test("interactively: the caret sits under the prompt's line and the mode is kept", () => {
    const r = cryptoRouter("R1");
    r.run("configure terminal");
    r.run("crypto isakmp policy 10");
    expect(r.run("group 3")).toBe(`${" ".repeat("R1(config-isakmp)#group ".length)}^\n${INVALID}\n`);
    expect(r.session.prompt).toBe("R1(config-isakmp)#");
    r.run("exit");
    expect(r.run("crypto ipsec transform-set X esp-des esp-3des")).toBe(
      `${" ".repeat("R1(config)#crypto ipsec transform-set X esp-des esp-".length)}^\n${INVALID}\n`,
    );
    expect(r.session.prompt).toBe("R1(config)#");
    expect(r.device.crypto.transformSets.size).toBe(0);
  });

  test("a transform set with no transform, a crypto map without a sequence: incomplete", () => {
    const r = cryptoRouter("R1");
    expect(r.load("crypto ipsec transform-set EMPTY\ncrypto map M\n")).toEqual([
      "crypto ipsec transform-set EMPTY\n% Incomplete command.",
      "crypto map M\n% Incomplete command.",
    ]);
    expect(r.device.crypto.transformSets.size).toBe(0);
  });

  test("a bare `crypto map` on an interface is incomplete and applies nothing", () => {
    const r = cryptoRouter("R1");
    expect(r.load("interface GigabitEthernet1\n crypto map\n")).toEqual([" crypto map\n% Incomplete command."]);
    expect(r.device.findInterface("Gi1")?.config.cryptoMap).toBeUndefined();
  });
});
