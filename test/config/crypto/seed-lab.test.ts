// Seed 001's crypto map lab: R7's and R8's configurations load as typed in
// the seed, `show run | section crypto` prints them back in IOS's form, and
// `show crypto map` on R7 shows the map with its ACL, transform set and the
// two subinterfaces carrying it.

import { describe, expect, test } from "bun:test";
import { cryptoRouter } from "./crypto-router.ts";
import { R7_CONFIG, R8_CONFIG, SEED_PORTS } from "./seed-lab.ts";

describe("seed 001 crypto map lab", () => {
  test("R7 loads without errors and `show run | section crypto` prints its crypto configuration", () => {
    const r7 = cryptoRouter("R7", SEED_PORTS);
    expect(r7.load(R7_CONFIG)).toEqual([]);
    expect(r7.run("show run | section crypto")).toBe(
      [
        "crypto isakmp policy 10",
        " encr aes 192",
        " hash sha384",
        " authentication pre-share",
        " group 5",
        "crypto isakmp key cisco1234 address 10.0.0.8",
        "crypto ipsec transform-set ESP_AES_192_SHA1 esp-aes 192 esp-sha-hmac",
        " mode tunnel",
        "crypto map MAP1 local-address Loopback0",
        "crypto map MAP1 10 ipsec-isakmp",
        " set peer 10.0.0.8",
        " set transform-set ESP_AES_192_SHA1",
        " match address R9_TO_R10",
        " crypto map MAP1",
        " crypto map MAP1",
        "",
      ].join("\n"),
    );
  });

  test("R8 loads without errors; its wildcard key prints as `address 0.0.0.0`", () => {
    const r8 = cryptoRouter("R8", SEED_PORTS);
    expect(r8.load(R8_CONFIG)).toEqual([]);
    const section = r8.run("sh run | s crypto");
    expect(section).toContain("\ncrypto isakmp key cisco1234 address 0.0.0.0\n");
    expect(section).toContain(
      "crypto map MAP1 10 ipsec-isakmp\n set peer 10.0.0.7\n set transform-set ESP_AES_192_SHA1\n match address R10_TO_R9\n",
    );
    expect(r8.device.crypto.isakmpKeys).toEqual([{ key: "cisco1234", address: 0, mask: 0 }]);
    expect(r8.device.crypto.keyFor(0x0a000007)?.key).toBe("cisco1234");
  });

  test("the crypto block sits after the global lines and before the interfaces; the interface line follows the ip lines", () => {
    const r7 = cryptoRouter("R7", SEED_PORTS);
    r7.load(R7_CONFIG);
    const run = r7.run("show running-config");
    const at = (s: string): number => run.indexOf(s);
    expect(at("ip cef\n!\ncrypto isakmp policy 10\n")).toBeGreaterThan(0);
    expect(at(" match address R9_TO_R10\n!\ninterface GigabitEthernet1\n")).toBeGreaterThan(at("crypto map MAP1 10"));
    expect(run).toContain(
      "interface GigabitEthernet1.67\n encapsulation dot1Q 67\n ip address 10.0.67.7 255.255.255.0\n crypto map MAP1\n!",
    );
  });

  test("show crypto map on R7", () => {
    const r7 = cryptoRouter("R7", SEED_PORTS);
    r7.load(R7_CONFIG);
    expect(r7.run("show crypto map")).toBe(
      [
        'Crypto Map IPv4 "MAP1" idb: Loopback0 local address: 10.0.0.7',
        "",
        'Crypto Map IPv4 "MAP1" 10 ipsec-isakmp',
        "\tPeer = 10.0.0.8",
        "\tExtended IP access list R9_TO_R10",
        "\t    access-list R9_TO_R10 permit ip 10.0.9.0 0.0.0.255 10.0.10.0 0.0.0.255",
        "\tCurrent peer: 10.0.0.8",
        "\tSecurity association lifetime: 4608000 kilobytes/3600 seconds",
        "\tResponder-Only (Y/N): N",
        "\tPFS (Y/N): N",
        "\tMixed-mode : Disabled",
        "\tTransform sets={ ",
        "\t\tESP_AES_192_SHA1:  { esp-192-aes esp-sha-hmac  } , ",
        "\t}",
        "\tInterfaces using crypto map MAP1:",
        "\t\tGigabitEthernet1.37",
        "\t\tGigabitEthernet1.67",
        "",
        "",
      ].join("\n"),
    );
  });

  test("ISAKMP turns on once when the map reaches its first interface, off when it leaves the last", () => {
    const r7 = cryptoRouter("R7", SEED_PORTS);
    r7.load(R7_CONFIG);
    expect(r7.ctx.consoleLines).toEqual(["%CRYPTO-6-ISAKMP_ON_OFF: ISAKMP is ON"]);
    r7.run("configure terminal");
    r7.run("interface gig1.37");
    r7.run("no crypto map MAP1");
    expect(r7.ctx.consoleLines).toHaveLength(1);
    r7.run("interface gig1.67");
    r7.run("no crypto map");
    expect(r7.ctx.consoleLines).toEqual([
      "%CRYPTO-6-ISAKMP_ON_OFF: ISAKMP is ON",
      "%CRYPTO-6-ISAKMP_ON_OFF: ISAKMP is OFF",
    ]);
    r7.run("crypto map MAP1");
    expect(r7.ctx.consoleLines.at(-1)).toBe("%CRYPTO-6-ISAKMP_ON_OFF: ISAKMP is ON");
    expect(r7.device.logging.entries().some((l) => l.endsWith(": %CRYPTO-6-ISAKMP_ON_OFF: ISAKMP is OFF"))).toBe(true);
    // Removing the map's only entry turns ISAKMP off too: an empty map encrypts nothing.
    r7.run("exit");
    r7.run("no crypto map MAP1 10");
    expect(r7.ctx.consoleLines.at(-1)).toBe("%CRYPTO-6-ISAKMP_ON_OFF: ISAKMP is OFF");
  });
});
