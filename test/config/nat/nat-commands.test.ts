// NAT commands as IOS takes them: the running config round-trips (interface
// lines, timeouts, pools, list and static mappings), bad lines get IOS's
// caret or `%` message with the rest of the config still loading, mappings
// and pools in use refuse to go, and the show/clear/debug commands print
// IOS's text.

import { describe, expect, test } from "bun:test";
import { echo, tcp, udp, verify } from "../../dataplane/nat/nat-harness.ts";
import { cryptoRouter } from "../crypto/crypto-router.ts";
import { bringUp } from "../router/fake-context.ts";

const INVALID = "% Invalid input detected at '^' marker.";
const caret = (line: string, column: number): string => `${line}\n${" ".repeat(column)}^\n${INVALID}`;

const PORTS = [
  { name: "GigabitEthernet0/0", kind: "ethernet" as const },
  { name: "GigabitEthernet0/1", kind: "ethernet" as const },
];

const CONFIG = `interface GigabitEthernet0/0
 ip address 10.0.0.1 255.255.255.0
 ip nat inside
interface GigabitEthernet0/1
 ip address 203.0.113.1 255.255.255.0
 ip nat outside
ip nat translation timeout 3600
ip nat translation udp-timeout 60
ip nat translation icmp-timeout never
ip nat pool PUBLIC 203.0.113.100 203.0.113.103 netmask 255.255.255.0
ip nat pool SMALL 198.51.100.8 198.51.100.15 prefix-length 29
ip nat inside source list NAT interface GigabitEthernet0/1 overload
ip nat inside source list 10 pool PUBLIC
ip nat inside source static 10.0.0.10 203.0.113.10
ip nat inside source static tcp 10.0.0.5 80 203.0.113.1 8080 extendable
ip nat inside source static udp 10.0.0.6 500 203.0.113.11 500
ip access-list extended NAT
 deny ip 10.0.0.0 0.0.0.255 172.16.0.0 0.0.255.255
 permit ip 10.0.0.0 0.0.0.255 any
access-list 10 permit 10.0.1.0 0.0.0.255
`;

function natRouter(config = CONFIG) {
  const r = cryptoRouter("R1", PORTS);
  expect(r.load(config)).toEqual([]);
  return r;
}

/** Puts a datagram through the router's NAT from inside to outside (as forwarding would). */
function sendOut(r: ReturnType<typeof natRouter>, dgram: Uint8Array): boolean {
  const d = r.device;
  return d.nat!.output(d.findInterface("Gi0/1")!, d.findInterface("Gi0/0")!, dgram);
}

describe("NAT configuration", () => {
  test("the running config prints NAT as IOS does and loads back the same", () => {
    const r = natRouter();
    const text = r.runningConfig();
    expect(text).toContain("interface GigabitEthernet0/0\n ip address 10.0.0.1 255.255.255.0\n ip nat inside\n!");
    expect(text).toContain("interface GigabitEthernet0/1\n ip address 203.0.113.1 255.255.255.0\n ip nat outside\n!");
    expect(text).toContain(
      [
        "ip nat translation timeout 3600",
        "ip nat translation udp-timeout 60",
        "ip nat translation icmp-timeout never",
        "ip nat pool PUBLIC 203.0.113.100 203.0.113.103 netmask 255.255.255.0",
        "ip nat pool SMALL 198.51.100.8 198.51.100.15 prefix-length 29",
        "ip nat inside source list NAT interface GigabitEthernet0/1 overload",
        "ip nat inside source list 10 pool PUBLIC",
        "ip nat inside source static 10.0.0.10 203.0.113.10",
        "ip nat inside source static tcp 10.0.0.5 80 203.0.113.1 8080 extendable",
        "ip nat inside source static udp 10.0.0.6 500 203.0.113.11 500",
        "!",
      ].join("\n"),
    );
    const again = cryptoRouter("R1", PORTS);
    expect(again.load(text)).toEqual([]);
    expect(again.runningConfig()).toBe(text);
    expect(again.device.nat!.config).toEqual(r.device.nat!.config);
  });

  test("no forms remove what they name and restore defaults", () => {
    const r = natRouter();
    for (const line of [
      "configure terminal",
      "no ip nat translation udp-timeout",
      "no ip nat translation icmp-timeout 5",
      "no ip nat inside source static udp 10.0.0.6 500 203.0.113.11 500",
      "no ip nat inside source list 10",
      "no ip nat pool SMALL",
      "interface GigabitEthernet0/0",
      "no ip nat outside",
      "interface GigabitEthernet0/1",
      "no ip nat outside",
      "end",
    ])
      r.run(line);
    const nat = r.device.nat!.config;
    expect(nat.timeouts).toMatchObject({ timeout: 3600, udp: 300, icmp: 60 });
    expect(nat.statics.length).toBe(2);
    expect(nat.dynamic.map((m) => m.source)).toEqual([{ kind: "list", name: "NAT" }]);
    expect([...nat.pools.keys()]).toEqual(["PUBLIC"]);
    expect(r.device.findInterface("Gi0/0")!.config.nat).toBe("inside");
    expect(r.device.findInterface("Gi0/1")!.config.nat).toBeUndefined();
  });

  test("bad lines get IOS's caret or message, and the rest of the config loads", () => {
    const r = cryptoRouter("R1", PORTS);
    const errors = r.load(`ip nat pool P 10.0.0.1 10.0.0.300 netmask 255.255.255.0
ip nat pool P 10.0.0.9 10.0.0.1 netmask 255.255.255.0
ip nat pool Q 10.0.0.1 10.0.1.9 netmask 255.255.255.0
ip nat pool R 10.0.0.1 10.0.0.9 netmask 255.0.255.0
ip nat inside source static tcp 10.0.0.5 http 203.0.113.1 80
ip nat outside source static 1.1.1.1 2.2.2.300
ip nat translation udp-timeout forever
ip nat inside source list 1 pool
ip nat inside source static 10.0.0.10 203.0.113.10
ip nat inside source static 10.0.0.11 203.0.113.10
ip nat inside source static 10.0.0.10 203.0.113.12
interface GigabitEthernet0/0
 ip nat both
 ip nat inside
hostname AFTER
`);
    expect(errors).toEqual(
      [
        caret("ip nat pool P 10.0.0.1 10.0.0.300 netmask 255.255.255.0", 23),
        "%End address less than starting address",
        "%Start and end addresses on different subnets",
        "%Bad mask 255.0.255.0 for pool R",
        caret("ip nat inside source static tcp 10.0.0.5 http 203.0.113.1 80", 41),
        caret("ip nat outside source static 1.1.1.1 2.2.2.300", 37),
        caret("ip nat translation udp-timeout forever", 31),
        "ip nat inside source list 1 pool\n% Incomplete command.",
        "% 203.0.113.10 already mapped (10.0.0.10 -> 203.0.113.10)",
        "% similar static entry (10.0.0.10 -> 203.0.113.10) already exists",
        caret(" ip nat both", 8),
      ].map((e) => expect.stringContaining(e)),
    );
    expect(r.device.hostname).toBe("AFTER");
    expect(r.device.findInterface("Gi0/0")!.config.nat).toBe("inside");
    expect(r.device.nat!.config.statics.length).toBe(1);
    expect(r.device.nat!.config.pools.size).toBe(0);
  });

  test("a mapping or pool with translations refuses to go until they are cleared", () => {
    const r = natRouter();
    expect(sendOut(r, udp("10.0.1.5", 53, "198.51.100.2", 53))).toBe(true);
    r.run("configure terminal");
    expect(r.run("no ip nat inside source list 10")).toContain("%Dynamic mapping in use, cannot remove");
    expect(r.run("ip nat inside source list 10 pool SMALL")).toContain("%Dynamic mapping in use, cannot change");
    expect(r.run("no ip nat pool PUBLIC")).toContain("%Pool PUBLIC in use, cannot destroy");
    r.run("end");
    expect(r.run("clear ip nat translation *")).toBe("");
    r.run("configure terminal");
    expect(r.run("no ip nat inside source list 10")).toBe("");
    expect(r.run("no ip nat pool PUBLIC")).toBe("");
    expect(r.run("end")).toBe("");
    // Interactively the caret sits under the line as typed after the `R1#` prompt.
    expect(r.run("clear ip nat translation everything")).toBe(`${" ".repeat(3 + 25)}^\n${INVALID}\n`);
  });
});

describe("route-map mappings", () => {
  const SEED_002 = `interface GigabitEthernet0/0
 ip address 10.0.0.1 255.255.255.0
 ip nat inside
interface GigabitEthernet0/1
 ip address 203.0.113.1 255.255.255.0
 ip nat outside
ip access-list extended NAT
 permit ip 10.0.0.0 0.0.0.255 any
ip access-list extended VPN
 permit ip 10.0.0.0 0.0.0.255 172.16.1.0 0.0.0.255
route-map NAT deny 10
 match ip address VPN
route-map NAT permit 20
 match ip address NAT
ip nat inside source route-map NAT interface GigabitEthernet0/1 overload
`;

  test("seed 002's configuration: exemption by the deny entry, shows and running config", () => {
    const r = natRouter(SEED_002);
    const vpn = echo("10.0.0.5", "172.16.1.1", 1);
    const web = echo("10.0.0.5", "198.51.100.2", 1);
    sendOut(r, vpn);
    sendOut(r, web);
    expect(verify(vpn).src).toBe("10.0.0.5");
    expect(verify(web).src).toBe("203.0.113.1");
    expect(r.run("show ip nat translations")).toContain("Total number of translations: 1\n");
    expect(r.run("show ip nat statistics")).toContain(
      "-- Inside Source\n[Id: 1] route-map NAT interface GigabitEthernet0/1 refcount 1\n",
    );
    const text = r.runningConfig();
    expect(text).toContain("ip nat inside source route-map NAT interface GigabitEthernet0/1 overload\n");
    const again = cryptoRouter("R1", PORTS);
    expect(again.load(text)).toEqual([]);
    expect(again.runningConfig()).toBe(text);
  });

  test("a list and a route map of the same name are two mappings; no removes one; in use refuses", () => {
    const r = natRouter(`${SEED_002}ip nat pool P 203.0.113.100 203.0.113.101 prefix-length 24
ip nat inside source list NAT pool P
`);
    expect(r.device.nat!.config.dynamic.map((m) => `${m.source.kind} ${m.source.name} ${m.target.kind}`)).toEqual([
      "route-map NAT interface",
      "list NAT pool",
    ]);
    sendOut(r, echo("10.0.0.5", "198.51.100.2", 1));
    r.run("configure terminal");
    expect(r.run("no ip nat inside source route-map NAT")).toContain("%Dynamic mapping in use, cannot remove");
    expect(r.run("ip nat inside source route-map NAT pool P")).toContain("%Dynamic mapping in use, cannot change");
    expect(r.run("no ip nat inside source list NAT")).toBe("");
    r.run("end");
    r.run("clear ip nat translation *");
    r.run("configure terminal");
    expect(r.run("no ip nat inside source route-map NAT interface GigabitEthernet0/1 overload")).toBe("");
    expect(r.device.nat!.config.dynamic).toEqual([]);
    expect(r.run("ip nat inside source route-map")).toContain("% Incomplete command.");
    expect(r.run("ip nat inside source route-map NAT interface Foo0/9 overload")).toContain("^");
  });
});

describe("outside source static", () => {
  test("running config, show line, add-route's host route, no form and refusals", () => {
    const r = natRouter(`${CONFIG}ip nat outside source static 198.51.100.2 10.0.0.200 add-route
ip nat outside source static 198.51.100.3 10.0.0.201
ip route 0.0.0.0 0.0.0.0 203.0.113.2
`);
    bringUp(r.device, "GigabitEthernet0/0");
    bringUp(r.device, "GigabitEthernet0/1");
    const text = r.runningConfig();
    expect(text).toContain(
      "ip nat inside source static udp 10.0.0.6 500 203.0.113.11 500\nip nat outside source static 198.51.100.2 10.0.0.200 add-route\nip nat outside source static 198.51.100.3 10.0.0.201\n",
    );
    expect(text).not.toContain("ip route 10.0.0.200");
    const again = cryptoRouter("R1", PORTS);
    expect(again.load(text)).toEqual([]);
    expect(again.runningConfig()).toBe(text);
    expect(r.run("show ip nat translations")).toContain(
      "--- ---                ---                10.0.0.200         198.51.100.2\n",
    );
    expect(r.run("show ip nat statistics")).toContain("Total active translations: 5 (5 static, 0 dynamic; 2 extended)");
    expect(r.run("show ip route 10.0.0.200")).toContain('Known via "static"');
    expect(r.run("show ip route 10.0.0.201")).toContain('Known via "connected"');
    r.run("configure terminal");
    expect(r.run("ip nat outside source static 198.51.100.9 10.0.0.200")).toContain(
      "% 10.0.0.200 already mapped (198.51.100.2 -> 10.0.0.200)",
    );
    expect(r.run("ip nat outside source static 198.51.100.2 10.0.0.209")).toContain("% similar static entry");
    expect(r.run("no ip nat outside source static 198.51.100.2 10.0.0.200 add-route")).toBe("");
    expect(r.run("no ip nat outside source static 198.51.100.8 10.0.0.208")).toContain("% Translation not found");
    r.run("end");
    expect(r.run("show ip route 10.0.0.200")).toContain('Known via "connected"');
    expect(r.device.nat!.config.outsideStatics.length).toBe(1);
  });
});

describe("NAT show, clear and debug", () => {
  test("show ip nat translations lines up IOS's columns", () => {
    const r = natRouter();
    sendOut(r, echo("10.0.0.2", "198.51.100.2", 1));
    sendOut(r, udp("10.0.0.3", 500, "198.51.100.2", 500));
    sendOut(r, udp("10.0.0.4", 500, "198.51.100.2", 500));
    sendOut(r, tcp("10.0.0.10", 51776, "198.51.100.22", 22));
    sendOut(r, echo("10.0.0.222", "172.16.1.1", 9)); // exempt: the list denies it
    expect(r.run("show ip nat translations")).toBe(
      [
        "Pro Inside global      Inside local       Outside local      Outside global",
        "icmp 203.0.113.1:1     10.0.0.2:1         198.51.100.2:1     198.51.100.2:1",
        "tcp 203.0.113.1:8080   10.0.0.5:80        ---                ---",
        "udp 203.0.113.1:1      10.0.0.4:500       198.51.100.2:500   198.51.100.2:500",
        "udp 203.0.113.1:500    10.0.0.3:500       198.51.100.2:500   198.51.100.2:500",
        "tcp 203.0.113.10:51776 10.0.0.10:51776    198.51.100.22:22   198.51.100.22:22",
        "--- 203.0.113.10       10.0.0.10          ---                ---",
        "udp 203.0.113.11:500   10.0.0.6:500       ---                ---",
        "Total number of translations: 7",
        "",
      ].join("\n"),
    );
    expect(r.run("show ip nat translations tcp verbose")).toContain(
      "tcp 203.0.113.1:8080   10.0.0.5:80        ---                ---\n    create 00:00:00, use 00:00:00 timeout:0,\n    flags:\nstatic, extended, extendable, use_count: 0, entry-id: 2, lc_entries: 0\n",
    );
  });

  test("show ip nat statistics", () => {
    const r = natRouter();
    sendOut(r, udp("10.0.1.5", 53, "198.51.100.2", 53));
    sendOut(r, udp("10.0.1.5", 53, "198.51.100.2", 53));
    sendOut(r, echo("10.0.0.2", "198.51.100.2", 1));
    expect(r.run("show ip nat statistics")).toBe(
      [
        "Total active translations: 6 (3 static, 3 dynamic; 4 extended)",
        "Peak translations: 6, occurred 00:00:00 ago",
        "Outside interfaces:",
        "  GigabitEthernet0/1",
        "Inside interfaces:",
        "  GigabitEthernet0/0",
        "Hits: 1  Misses: 2",
        "CEF Translated packets: 1, CEF Punted packets: 2",
        "Expired translations: 0",
        "Dynamic mappings:",
        "-- Inside Source",
        "[Id: 1] access-list NAT interface GigabitEthernet0/1 refcount 1",
        "[Id: 2] access-list 10 pool PUBLIC refcount 2",
        " pool PUBLIC: netmask 255.255.255.0",
        "        start 203.0.113.100 end 203.0.113.103",
        "        type generic, total addresses 4, allocated 1 (25%), misses 0",
        "In-to-out drops: 0  Out-to-in drops: 0",
        "Pool stats drop: 0  Mapping stats drop: 0",
        "",
        "Total doors: 0",
        "Appl doors: 0",
        "Normal doors: 0",
        "Queued Packets: 0",
        "",
      ].join("\n"),
    );
    r.run("clear ip nat statistics");
    expect(r.run("show ip nat statistics")).toContain("Hits: 0  Misses: 0\n");
  });

  test("debug ip nat [detailed] and undebug", () => {
    const r = natRouter();
    expect(r.run("debug ip nat")).toBe("IP NAT debugging is on\n");
    expect(r.run("debug ip nat detailed")).toBe("IP NAT detailed debugging is on\n");
    sendOut(r, udp("10.0.0.3", 500, "198.51.100.2", 500, { id: 123 }));
    const log = r.device.logging.entries().join("\n");
    expect(log).toContain("NAT: i: udp (10.0.0.3, 500) -> (198.51.100.2, 500) [123]");
    expect(log).toContain("NAT: s=10.0.0.3->203.0.113.1, d=198.51.100.2 [123]");
    expect(r.run("undebug ip nat")).toBe("IP NAT debugging is off\n");
    expect(r.device.debug).toMatchObject({ ipNat: false, ipNatDetailed: false });
  });
});
