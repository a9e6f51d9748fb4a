// EIGRP commands as IOS takes them: every `router eigrp N` line and the
// interface's per-AS lines print in the running config and load back the
// same, the running process reads them, no forms undo them, `no router eigrp
// N` stops the process, bad lines get the caret or IOS's refusal and the rest
// loads; EIGRP datagrams that do not parse are dropped and counted, never
// thrown, and a hello from another subnet is refused with %DUAL-6-NBRINFO.

import { describe, expect, test } from "bun:test";
import type { EigrpInstance } from "../../../src/protocols/eigrp/eigrp-instance.ts";
import { emitEigrp } from "../../../src/wire/eigrp.ts";
import { emitIpv4 } from "../../../src/wire/ipv4.ts";
import { cryptoRouter } from "../crypto/crypto-router.ts";
import { bringUp } from "../router/fake-context.ts";

const PORTS = [
  { name: "GigabitEthernet0/0", kind: "ethernet" as const },
  { name: "GigabitEthernet0/1", kind: "ethernet" as const },
  { name: "Serial0/0", kind: "serial" as const },
];

const CONFIG = `interface Loopback0
 ip address 172.16.1.1 255.255.255.0
interface GigabitEthernet0/0
 ip address 10.0.12.1 255.255.255.0
 ip hello-interval eigrp 100 2
 ip hold-time eigrp 100 6
 no ip next-hop-self eigrp 100
 no ip split-horizon eigrp 100
 ip summary-address eigrp 100 172.16.0.0 255.255.0.0
 no shutdown
interface GigabitEthernet0/1
 ip address 10.0.14.1 255.255.255.0
 ip summary-address eigrp 100 0.0.0.0 0.0.0.0 200
 no shutdown
interface Serial0/0
 ip address 192.168.23.1 255.255.255.0
 no shutdown
access-list 5 permit 172.16.0.0 0.0.255.255
route-map STATICS permit 10
router eigrp 100
 network 10.0.0.0
 network 172.16.1.0 0.0.0.255
 network 192.168.23.0
 passive-interface Serial0/0
 eigrp router-id 1.1.1.1
 variance 2
 maximum-paths 2
 offset-list 5 out 100 GigabitEthernet0/1
 offset-list 0 in 50
 redistribute static metric 1544 2000 255 1 1500 route-map STATICS
 redistribute connected
 default-metric 10000 100 255 1 1500
`;

const EIGRP_SECTION = [
  "router eigrp 100",
  " offset-list 5 out 100 GigabitEthernet0/1",
  " offset-list 0 in 50",
  " redistribute static metric 1544 2000 255 1 1500 route-map STATICS",
  " redistribute connected",
  " passive-interface Serial0/0",
  " network 10.0.0.0",
  " network 172.16.1.0 0.0.0.255",
  " network 192.168.23.0",
  " default-metric 10000 100 255 1 1500",
  " eigrp router-id 1.1.1.1",
  " maximum-paths 2",
  " variance 2",
  "!",
].join("\n");

function router(config = CONFIG) {
  const r = cryptoRouter("R1", PORTS);
  expect(r.load(config)).toEqual([]);
  // Carrier on every port, as a cabled lab has.
  for (const p of PORTS) bringUp(r.device, p.name);
  return r;
}
const eigrp = (r: ReturnType<typeof router>, as = 100) =>
  r.device.protocols.get(`eigrp ${as}`) as EigrpInstance | undefined;

describe("EIGRP configuration", () => {
  test("the running config prints the EIGRP lines as IOS does and loads back the same", () => {
    const r = router();
    const text = r.runningConfig();
    expect(text).toContain(
      [
        "interface GigabitEthernet0/0",
        " ip address 10.0.12.1 255.255.255.0",
        " ip hello-interval eigrp 100 2",
        " ip hold-time eigrp 100 6",
        " no ip next-hop-self eigrp 100",
        " no ip split-horizon eigrp 100",
        " ip summary-address eigrp 100 172.16.0.0 255.255.0.0",
        "!",
      ].join("\n"),
    );
    expect(text).toContain(" ip summary-address eigrp 100 0.0.0.0 0.0.0.0 200\n");
    expect(text).toContain(EIGRP_SECTION);
    const again = cryptoRouter("R1", PORTS);
    expect(again.load(text)).toEqual([]);
    expect(again.runningConfig()).toBe(text);
  });

  test("the process runs with what the lines say", () => {
    const r = router();
    const p = eigrp(r)!;
    expect(p.routerId).toBe(0x01010101);
    expect(p.config).toMatchObject({ variance: 2, maximumPaths: 2, autoSummary: false });
    expect(p.isPassive("Serial0/0")).toBe(true);
    expect(p.config.interfaceSettings("GigabitEthernet0/0")).toMatchObject({
      helloSeconds: 2,
      holdSeconds: 6,
      splitHorizon: false,
      nextHopSelf: false,
    });
    expect(p.config.interfaceSettings("GigabitEthernet0/1")).toMatchObject({
      helloSeconds: 5,
      holdSeconds: 15,
      splitHorizon: true,
      nextHopSelf: true,
    });
    expect(p.config.aclPermits("5", 0xac100100)).toBe(true);
    expect(p.config.aclPermits("5", 0x0a000000)).toBe(false);
    expect(p.config.aclPermits("0", 0x0a000000)).toBe(true);
    // EIGRP interfaces, in the router's order: the covered, non-passive ones (a loopback too, as on IOS).
    expect(p.eigrpInterfaces().map((s) => s.ifc.name)).toEqual([
      "GigabitEthernet0/0",
      "GigabitEthernet0/1",
      "Loopback0",
    ]);
    // Connected networks are in the topology table; the summaries with them, and their Null0 routes.
    const topo = r.run("show ip eigrp topology");
    expect(topo).toContain("EIGRP-IPv4 Topology Table for AS(100)/ID(1.1.1.1)");
    expect(topo).toContain("P 10.0.12.0/24, 1 successors, FD is 2816\n        via Connected, GigabitEthernet0/0");
    expect(topo).toContain("P 172.16.0.0/16, 1 successors, FD is 128256\n        via Summary (128256/0), Null0");
    const route = r.run("show ip route 172.16.0.0 255.255.0.0");
    expect(route).toContain('Known via "eigrp 100", distance 5, metric 128256, type internal');
    expect(r.run("show ip route 0.0.0.0")).toContain("distance 200");
  });

  test("no forms remove what they name; no router eigrp stops the process", () => {
    const r = router();
    for (const l of [
      "configure terminal",
      "router eigrp 100",
      "no offset-list 5 out 100 GigabitEthernet0/1",
      "no offset-list 0 in 50",
      "no redistribute static",
      "no redistribute connected",
      "no passive-interface Serial0/0",
      "no network 172.16.1.0 0.0.0.255",
      "no network 192.168.23.0",
      "no default-metric",
      "no eigrp router-id",
      "no maximum-paths",
      "no variance",
      "interface GigabitEthernet0/0",
      "no ip hello-interval eigrp 100",
      "no ip hold-time eigrp 100",
      "ip next-hop-self eigrp 100",
      "ip split-horizon eigrp 100",
      "no ip summary-address eigrp 100 172.16.0.0 255.255.0.0",
      "interface GigabitEthernet0/1",
      "no ip summary-address eigrp 100 0.0.0.0 0.0.0.0",
      "end",
    ])
      expect(r.run(l)).not.toContain("%");
    expect(r.runningConfig()).toContain("router eigrp 100\n network 10.0.0.0\n!");
    expect(r.runningConfig()).not.toContain("eigrp 100 ");
    expect(r.run("show ip route 0.0.0.0")).toContain("% Network not in table");
    for (const l of ["configure terminal", "no router eigrp 100", "end"]) expect(r.run(l)).not.toContain("%");
    expect(eigrp(r)).toBeUndefined();
    expect(r.runningConfig()).not.toContain("router eigrp");
  });

  test("bad lines are refused and the rest loads", () => {
    const r = cryptoRouter("R1", PORTS);
    const errors = r.load(
      [
        "router eigrp 100",
        " network 10.0.0.0",
        " redistribute isis",
        " variance 200",
        " eigrp router-id 0.0.0.0",
        " redistribute eigrp 100",
        "interface GigabitEthernet0/0",
        " ip summary-address eigrp 100 10.0.0.0 255.0.255.0",
        "router eigrp 0",
      ].join("\n"),
    );
    expect(errors.length).toBe(6);
    expect(errors.join("\n")).toContain("Invalid input detected");
    expect(errors.join("\n")).toContain("% Invalid router ID");
    expect(errors.join("\n")).toContain("% Cannot redistribute EIGRP into itself");
    expect(errors.join("\n")).toContain("% Invalid mask");
    expect(r.runningConfig()).toContain("router eigrp 100\n network 10.0.0.0\n!");
  });

  test("malformed EIGRP datagrams are dropped and counted; a hello from another subnet is refused", () => {
    const r = router();
    const p = eigrp(r)!;
    const ifc = r.device.stack.interface("GigabitEthernet0/0")!;
    const ip = (src: number, payload: Uint8Array) =>
      emitIpv4({
        dscp: 48,
        ecn: 0,
        identification: 1,
        dontFragment: false,
        moreFragments: false,
        fragmentOffset: 0,
        ttl: 2,
        protocol: 88,
        src,
        dst: 0xe000000a,
        options: new Uint8Array(0),
        payload,
      });
    const garbage = [
      new Uint8Array(3),
      new Uint8Array(40).fill(0xff),
      emitEigrp({ opcode: "hello", flags: 0, sequence: 0, ack: 0, as: 100, tlvs: [] }).map((b, i) =>
        i === 5 ? b ^ 1 : b,
      ),
    ];
    for (const g of garbage) expect(() => r.device.stack.deliverLocal(ip(0x0a000c02, g), ifc)).not.toThrow();
    expect(p.counters.badPackets).toBe(3);
    const hello = emitEigrp({
      opcode: "hello",
      flags: 0,
      sequence: 0,
      ack: 0,
      as: 100,
      tlvs: [{ type: "parameters", k: [1, 0, 1, 0, 0, 0], holdTime: 15 }],
    });
    r.device.stack.deliverLocal(ip(0x0a630063, hello), ifc);
    expect(p.neighbors.size).toBe(0);
    expect(r.run("show logging")).toContain(
      "%DUAL-6-NBRINFO: EIGRP-IPv4 100: Neighbor 10.99.0.99 (GigabitEthernet0/0) is blocked: not on common subnet (10.0.12.1/24)",
    );
    r.device.stack.deliverLocal(ip(0x0a000c02, hello), ifc);
    expect(p.neighbors.size).toBe(1);
    expect(r.run("show logging")).toContain(
      "%DUAL-5-NBRCHANGE: EIGRP-IPv4 100: Neighbor 10.0.12.2 (GigabitEthernet0/0) is up: new adjacency",
    );
    expect(r.run("show ip eigrp neighbors")).toMatch(
      /^0 {3}10\.0\.12\.2\s+Gi0\/0\s+15 00:00:00 {4}0 {2}5000 {2}1 {2}0$/m,
    );
  });
  test("auto-summary: each major network goes out of interfaces in another one as its classful summary", () => {
    const r = router(
      [
        "interface Loopback0",
        " ip address 172.16.1.1 255.255.255.0",
        "interface GigabitEthernet0/0",
        " ip address 10.0.12.1 255.255.255.0",
        " no shutdown",
        "router eigrp 1",
        " network 10.0.0.0",
        " network 172.16.0.0",
        " auto-summary",
      ].join("\n"),
    );
    const topo = r.run("show ip eigrp topology");
    expect(topo).toContain("P 172.16.0.0/16, 1 successors, FD is 128256\n        via Summary (128256/0), Null0");
    expect(topo).toContain("P 10.0.0.0/8, 1 successors, FD is 2816\n        via Summary (2816/0), Null0");
    expect(r.run("show ip route 172.16.0.0 255.255.0.0")).toContain('Known via "eigrp 1", distance 5, metric 128256');
    expect(r.runningConfig()).toContain("router eigrp 1\n network 10.0.0.0\n network 172.16.0.0\n auto-summary\n!");
    for (const l of ["configure terminal", "router eigrp 1", "no auto-summary", "end"])
      expect(r.run(l)).not.toContain("%");
    expect(r.run("show ip eigrp topology")).not.toContain("Summary");
    expect(r.run("show ip route 172.16.0.0 255.255.0.0")).toContain("% Subnet not in table");
  });
});
