// NAT on a running lab: hosts behind R1 reach R2's loopback through PAT on
// R1's outside interface, an outside router reaches a host through a static
// mapping (R1 answers ARP for the global address), the fast-switched path
// steps aside for NAT interfaces, fragmentation-needed reaches the inside
// host, entries expire on the virtual clock, and the show/debug output is
// IOS's.

import { describe, expect, test } from "bun:test";
import { formatIpv4Address, readIpv4 } from "../../../src/wire/ipv4-address.ts";
import { formatMacCisco } from "../../../src/wire/mac-address.ts";
import { natLab } from "./nat-lab.ts";

const PAT = [
  "ip access-list standard INSIDE",
  " permit 10.0.0.0 0.0.0.255",
  "ip nat inside source list INSIDE interface GigabitEthernet0/1 overload",
].join("\n");

describe("NAT in a lab", () => {
  test("PAT: pings and UDP 500 from two hosts, IOS port choice, show and debug output", async () => {
    const l = await natLab({ r1: PAT });
    try {
      // The first echoes are lost to ARP on the LAN and on R1's uplink, as on IOS.
      expect(await l.cmd("H1", "ping -n 4 198.51.100.1")).toContain("Reply from 198.51.100.1: bytes=32");
      expect(await l.cmd("R1", "debug ip nat")).toBe("IP NAT debugging is on\n");
      expect(await l.cmd("H2", "ping -n 3 198.51.100.1")).toMatch(/Received = [23]/);
      expect(await l.cmd("H1", "traffic udp 198.51.100.1 sport 500 dport 500 count 3 rate 100")).toContain(
        "Sent 3 of 3 datagrams",
      );
      expect(await l.cmd("H2", "traffic udp 198.51.100.1 sport 500 dport 500 count 3 rate 100")).toContain(
        "Sent 3 of 3 datagrams",
      );
      expect(await l.cmd("H2", "traffic udp 198.51.100.1 sport 4500 dport 4500 count 1")).toContain("Sent 1 of 1");
      const show = await l.cmd("R1", "show ip nat translations");
      const lines = show.trimEnd().split("\n");
      expect(lines[0]).toBe("Pro Inside global      Inside local       Outside local      Outside global");
      expect(lines).toContain("udp 203.0.113.1:1      10.0.0.12:500      198.51.100.1:500   198.51.100.1:500");
      expect(lines).toContain("udp 203.0.113.1:500    10.0.0.11:500      198.51.100.1:500   198.51.100.1:500");
      expect(lines).toContain("udp 203.0.113.1:4500   10.0.0.12:4500     198.51.100.1:4500  198.51.100.1:4500");
      expect(lines.filter((x) => x.startsWith("icmp 203.0.113.1:")).length).toBe(2);
      expect(lines.at(-1)).toBe("Total number of translations: 5");
      const udpOnly = await l.cmd("R1", "show ip nat translations udp verbose");
      expect(udpOnly).toContain(
        "    create 00:00:00, use 00:00:00 timeout:300000, left 00:04:59, Map-Id(In): 1,\n    flags:\nextended, use_count: 0, entry-id:",
      );
      expect(udpOnly).toContain("Total number of translations: 3");
      const stats = await l.cmd("R1", "show ip nat statistics");
      expect(stats).toContain("Total active translations: 5 (0 static, 5 dynamic; 5 extended)");
      expect(stats).toContain("Outside interfaces:\n  GigabitEthernet0/1\nInside interfaces:\n  GigabitEthernet0/0\n");
      expect(stats).toMatch(/Hits: \d+ {2}Misses: 5\n/);
      expect(stats).toContain("-- Inside Source\n[Id: 1] access-list INSIDE interface GigabitEthernet0/1 refcount 5\n");
      expect(await l.cmd("R1", "show access-lists INSIDE")).toContain(
        "10 permit 10.0.0.0, wildcard bits 0.0.0.255 (5 matches)",
      );
      const log = await l.cmd("R1", "show logging");
      expect(log).toMatch(/NAT: s=10\.0\.0\.12->203\.0\.113\.1, d=198\.51\.100\.1 \[\d+\]/);
      expect(log).toMatch(/NAT: s=198\.51\.100\.1, d=203\.0\.113\.1->10\.0\.0\.12 \[\d+\]/);
      // Virtual time: ICMP entries go after 60 s, UDP after 300 s.
      await l.lab.run(61e9);
      expect(await l.cmd("R1", "show ip nat translations")).toContain("Total number of translations: 3");
      await l.lab.run(300e9);
      expect(await l.cmd("R1", "show ip nat translations")).toBe(
        "Pro Inside global      Inside local       Outside local      Outside global\nTotal number of translations: 0\n",
      );
      expect(await l.cmd("R1", "show ip nat statistics")).toContain("Expired translations: 5");
    } finally {
      l.close();
    }
  }, 60_000);

  test("static NAT: the outside reaches an inside host by its global address; R1 answers ARP for it", async () => {
    const l = await natLab({ r1: "ip nat inside source static 10.0.0.12 203.0.113.12" });
    try {
      await l.cmd("H2", "ping -n 2 10.0.0.1");
      expect(await l.cmd("R2", "ping 203.0.113.12 repeat 5")).toContain(".!!!!\nSuccess rate is 80 percent (4/5)");
      const r1Mac = formatMacCisco(l.device("R1").findInterface("Gi0/1")!.mac);
      expect(await l.cmd("R2", "show ip arp")).toMatch(
        new RegExp(`Internet +203\\.0\\.113\\.12 +\\d+ +${r1Mac.replace(/\./g, "\\.")} +ARPA +GigabitEthernet0/0`),
      );
      const show = await l.cmd("R1", "show ip nat translations");
      expect(show).toMatch(/icmp 203\.0\.113\.12:\d+ +10\.0\.0\.12:\d+ +203\.0\.113\.2:\d+ +203\.0\.113\.2:\d+/);
      expect(show).toContain("--- 203.0.113.12       10.0.0.12          ---                ---");
      expect(await l.cmd("R1", "show ip nat statistics")).toContain(
        "Total active translations: 2 (1 static, 1 dynamic; 1 extended)",
      );
    } finally {
      l.close();
    }
  }, 60_000);

  test("the fast-switched path steps aside: every frame R1 sends upstream carries the global address", async () => {
    const sources = new Set<string>(); // IPv4 sources on the R1-R2 wire, both ways
    const l = await natLab({
      r1: PAT,
      onWire: (bytes) => {
        if (bytes.length >= 34 && bytes[12] === 0x08 && bytes[13] === 0x00)
          sources.add(formatIpv4Address(readIpv4(bytes, 14 + 12)));
      },
    });
    try {
      await l.cmd("H1", "ping -n 3 198.51.100.1");
      // ARP is warm now: these would be fast-switched if NAT did not stop it.
      expect(await l.cmd("H1", "traffic udp 198.51.100.1 count 200 rate 10000 sport 7000")).toContain(
        "Sent 200 of 200",
      );
      expect(sources.has("203.0.113.1")).toBe(true);
      expect([...sources].filter((a) => a.startsWith("10."))).toEqual([]);
      expect(await l.cmd("R1", "show ip nat translations udp")).toContain("udp 203.0.113.1:7000   10.0.0.11:7000");
    } finally {
      l.close();
    }
  }, 60_000);

  test("fragmentation needed on the outside reaches the inside host that sent the datagram", async () => {
    const l = await natLab({ r1: `${PAT}\ninterface GigabitEthernet0/1\n ip mtu 1400` });
    try {
      await l.cmd("H1", "ping -n 3 198.51.100.1");
      const out = await l.cmd("H1", "ping -f -l 1472 -n 2 198.51.100.1");
      expect(out).toContain("Packet needs to be fragmented but DF set.");
      expect(await l.cmd("H1", "ping -f -l 1372 -n 1 198.51.100.1")).toContain("Reply from 198.51.100.1: bytes=1372");
    } finally {
      l.close();
    }
  }, 60_000);
});
