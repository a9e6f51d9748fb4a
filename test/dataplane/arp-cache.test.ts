import { describe, expect, test } from "bun:test";
import { parseIpv4 } from "../../src/dataplane/addr.ts";
import { ArpCache, formatMac } from "../../src/dataplane/arp-cache.ts";

const ip = (s: string): number => parseIpv4(s)!;
const S = 1_000_000_000;
const mac = (last: number): Uint8Array => Uint8Array.from([0xaa, 0xbb, 0xcc, 0x00, last, 0x00]);

describe("arp-cache", () => {
  test("first packet dropped, one request per second, then hit", () => {
    const arp = new ArpCache();
    expect(arp.resolve(ip("10.1.1.2"), "Ethernet0/0", 0)).toEqual({ kind: "miss", sendRequest: true });
    expect(arp.resolve(ip("10.1.1.2"), "Ethernet0/0", S / 2)).toEqual({ kind: "miss", sendRequest: false });
    expect(arp.resolve(ip("10.1.1.2"), "Ethernet0/0", S)).toEqual({ kind: "miss", sendRequest: true });
    arp.learn(ip("10.1.1.2"), mac(2), "Ethernet0/0", S + 5);
    const r = arp.resolve(ip("10.1.1.2"), "Ethernet0/0", 2 * S);
    expect(r.kind === "hit" && formatMac(r.mac)).toBe("aabb.cc00.0200");
  });

  test("dynamic entries age out after arp timeout (default 4 h, per interface)", () => {
    const arp = new ArpCache();
    arp.setInterfaceTimeout("Ethernet0/1", 60);
    arp.learn(ip("10.1.1.2"), mac(2), "Ethernet0/0", 0);
    arp.learn(ip("10.2.2.2"), mac(3), "Ethernet0/1", 0);
    expect(arp.nextExpiryAt()).toBe(60 * S);
    // An aged entry is refreshed for 5 s before it goes (IOS keeps forwarding meanwhile).
    expect(arp.expire(60 * S)).toEqual([]);
    expect(arp.expire(65 * S).map((e) => e.address)).toEqual([ip("10.2.2.2")]);
    expect(arp.expire(14399 * S)).toEqual([]);
    expect(arp.resolve(ip("10.1.1.2"), "Ethernet0/0", 14400 * S)).toMatchObject({ kind: "hit", refresh: true });
    expect(arp.expire(14405 * S)).toHaveLength(1);
    expect(arp.resolve(ip("10.1.1.2"), "Ethernet0/0", 14405 * S).kind).toBe("miss");
  });

  test("an aged entry stays in use while it is refreshed: one request a second, a reply renews it", () => {
    const arp = new ArpCache();
    arp.learn(ip("10.1.1.2"), mac(2), "Ethernet0/0", 0);
    const at = 14400 * S;
    expect(arp.resolve(ip("10.1.1.2"), "Ethernet0/0", at)).toMatchObject({ kind: "hit", refresh: true });
    expect(arp.resolve(ip("10.1.1.2"), "Ethernet0/0", at + S / 2)).toMatchObject({ kind: "hit", refresh: false });
    expect(arp.resolve(ip("10.1.1.2"), "Ethernet0/0", at + S)).toMatchObject({ kind: "hit", refresh: true });
    arp.learn(ip("10.1.1.2"), mac(2), "Ethernet0/0", at + 2 * S);
    expect(arp.resolve(ip("10.1.1.2"), "Ethernet0/0", at + 3 * S)).toEqual({ kind: "hit", mac: mac(2) });
    expect(arp.get(ip("10.1.1.2"))!.expiresAt).toBe(at + 2 * S + 14400 * S);
  });

  test("own and static entries are never replaced by learning or aged", () => {
    const arp = new ArpCache();
    arp.addInterface(ip("10.1.1.1"), mac(1), "Ethernet0/0");
    arp.addStatic(ip("10.1.1.9"), mac(9), "Ethernet0/0");
    arp.learn(ip("10.1.1.1"), mac(7), "Ethernet0/0", 0);
    expect(formatMac(arp.get(ip("10.1.1.1"))!.mac!)).toBe("aabb.cc00.0100");
    expect(arp.expire(10 ** 15)).toEqual([]);
    arp.clearDynamic();
    expect(arp.has(ip("10.1.1.9"))).toBe(true);
  });

  test("show ip arp layout", () => {
    const arp = new ArpCache();
    arp.addInterface(ip("192.168.1.1"), Uint8Array.from([0x00, 0x11, 0x22, 0x33, 0x44, 0x55]), "FastEthernet0/0");
    arp.learn(ip("192.168.1.2"), mac(2), "FastEthernet0/0", 0);
    arp.resolve(ip("192.168.1.3"), "FastEthernet0/0", 0);
    expect(arp.render(125 * S)).toBe(
      [
        "Protocol  Address          Age (min)  Hardware Addr   Type   Interface",
        "Internet  192.168.1.1             -   0011.2233.4455  ARPA   FastEthernet0/0",
        "Internet  192.168.1.2             2   aabb.cc00.0200  ARPA   FastEthernet0/0",
        "Internet  192.168.1.3             2   Incomplete      ARPA",
      ].join("\n"),
    );
  });
});
