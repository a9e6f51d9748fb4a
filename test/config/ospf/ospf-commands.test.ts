// OSPF commands as IOS takes them: the running config prints every OSPF line
// in IOS's order and loads back the same, `ip ospf N area A` starts the
// process, `no router ospf N` stops it (and its routes go), bad lines get the
// caret or IOS's `%` message with the rest of the file loading, and a router
// with no address anywhere logs %OSPF-4-NORTRID.

import { describe, expect, test } from "bun:test";
import type { OspfInstance } from "../../../src/protocols/ospf/ospf-instance.ts";
import { cryptoRouter } from "../crypto/crypto-router.ts";

const PORTS = [
  { name: "GigabitEthernet0/0", kind: "ethernet" as const },
  { name: "GigabitEthernet0/1", kind: "ethernet" as const },
  { name: "Serial0/0", kind: "serial" as const },
];

const CONFIG = `interface Loopback0
 ip address 1.1.1.1 255.255.255.255
interface GigabitEthernet0/0
 ip address 10.0.0.1 255.255.255.0
 ip ospf authentication message-digest
 ip ospf message-digest-key 1 md5 cisco
 ip ospf network non-broadcast
 ip ospf hello-interval 5
 ip ospf dead-interval 20
 ip ospf priority 200
 ip ospf cost 7
interface GigabitEthernet0/1
 ip address 10.0.1.1 255.255.255.0
 ip ospf 1 area 0.0.0.2
interface Serial0/0
 ip address 10.0.12.1 255.255.255.0
 ip ospf authentication-key secret
 ip ospf authentication
router ospf 1
 router-id 1.1.1.1
 log-adjacency-changes detail
 auto-cost reference-bandwidth 1000
 area 2 stub no-summary
 area 3 nssa no-summary default-information-originate
 area 3 range 172.16.0.0 255.255.0.0
 area 3 default-cost 10
 area 0 authentication message-digest
 summary-address 192.168.0.0 255.255.0.0
 redistribute static metric 50 metric-type 1 subnets
 redistribute connected
 passive-interface Loopback0
 network 10.0.0.0 0.0.0.255 area 0
 network 10.0.12.0 0.0.0.255 area 3
 network 1.1.1.1 0.0.0.0 area 0
 neighbor 10.0.0.2 priority 5
 default-information originate always metric 10 metric-type 1
 distribute-list 10 in
`;

const OSPF_SECTION = [
  "router ospf 1",
  " router-id 1.1.1.1",
  " log-adjacency-changes detail",
  " auto-cost reference-bandwidth 1000",
  " area 0 authentication message-digest",
  // Area 2 was first named 0.0.0.2 (by `ip ospf 1 area 0.0.0.2`): IOS keeps an area's form.
  " area 0.0.0.2 stub no-summary",
  " area 3 nssa default-information-originate no-summary",
  " area 3 default-cost 10",
  " area 3 range 172.16.0.0 255.255.0.0",
  " summary-address 192.168.0.0 255.255.0.0",
  " redistribute static metric 50 metric-type 1 subnets",
  " redistribute connected",
  " passive-interface Loopback0",
  " network 10.0.0.0 0.0.0.255 area 0",
  " network 10.0.12.0 0.0.0.255 area 3",
  " network 1.1.1.1 0.0.0.0 area 0",
  " neighbor 10.0.0.2 priority 5",
  " default-information originate always metric 10 metric-type 1",
  " distribute-list 10 in",
  "!",
].join("\n");

function router(config = CONFIG) {
  const r = cryptoRouter("R1", PORTS);
  expect(r.load(config)).toEqual([]);
  return r;
}
const ospf = (r: ReturnType<typeof router>, pid = 1) =>
  r.device.protocols.get(`ospf ${pid}`) as OspfInstance | undefined;

describe("OSPF configuration", () => {
  test("the running config prints the OSPF lines as IOS does and loads back the same", () => {
    const r = router();
    const text = r.runningConfig();
    expect(text).toContain(
      [
        "interface GigabitEthernet0/0",
        " ip address 10.0.0.1 255.255.255.0",
        " ip ospf authentication message-digest",
        " ip ospf message-digest-key 1 md5 cisco",
        " ip ospf network non-broadcast",
        " ip ospf hello-interval 5",
        " ip ospf dead-interval 20",
        " ip ospf priority 200",
        " ip ospf cost 7",
        "!",
      ].join("\n"),
    );
    expect(text).toContain(" ip address 10.0.1.1 255.255.255.0\n ip ospf 1 area 0.0.0.2\n!");
    expect(text).toContain(" ip ospf authentication\n ip ospf authentication-key secret\n!");
    expect(text).toContain(OSPF_SECTION);
    const again = cryptoRouter("R1", PORTS);
    expect(again.load(text)).toEqual([]);
    expect(again.runningConfig()).toBe(text);
  });

  test("the process runs with what the lines say", () => {
    const r = router();
    const o = ospf(r)!;
    expect(o.routerId).toBe(0x01010101);
    const gi0 = o.interfaces.get("GigabitEthernet0/0")!;
    expect(gi0).toMatchObject({
      networkType: "nonBroadcast",
      helloSec: 5,
      deadSec: 20,
      priority: 200,
      cost: 7,
      auth: "md5",
    });
    // Area 0's `authentication message-digest` is the default for its interfaces; Serial0/0 is in area 3.
    expect(o.interfaces.get("Serial0/0")).toMatchObject({ area: 3, auth: "simple", simpleKey: "secret" });
    expect(o.interfaces.get("GigabitEthernet0/1")).toMatchObject({ area: 2 });
    expect(o.interfaces.get("Loopback0")).toMatchObject({ area: 0, passive: true, networkType: "loopback" });
    // Reference bandwidth 1000 Mbps: a T1 costs 1000000/1544 = 647.
    expect(o.interfaces.get("Serial0/0")!.cost).toBe(647);
  });

  test("ip ospf N area A creates the process; no router ospf N stops it and withdraws its routes", () => {
    const r = cryptoRouter("R1", PORTS);
    for (const l of [
      "configure terminal",
      "interface GigabitEthernet0/0",
      "ip address 10.0.0.1 255.255.255.0",
      "ip ospf 7 area 0",
      "end",
    ])
      r.run(l);
    expect(ospf(r, 7)).toBeDefined();
    expect(r.runningConfig()).toContain("router ospf 7\n!");
    r.device.stack.rib.setCandidates(
      "ospf",
      0x0a090000,
      16,
      [{ distance: 110, metric: 2, interface: "Null0" }],
      "ospf 7",
    );
    r.device.stack.rib.commit();
    expect(r.device.stack.rib.routesOf("ospf").length).toBe(1);
    for (const l of ["configure terminal", "no router ospf 7", "end"]) r.run(l);
    expect(ospf(r, 7)).toBeUndefined();
    expect(r.runningConfig()).not.toContain("router ospf");
    expect(r.device.stack.rib.routesOf("ospf")).toEqual([]);
  });

  test("no forms remove what they name", () => {
    const r = router();
    for (const l of [
      "configure terminal",
      "router ospf 1",
      "no area 2 stub",
      "no area 3 nssa no-summary",
      "no redistribute connected",
      "no network 1.1.1.1 0.0.0.0 area 0",
      "no default-information originate",
      "no distribute-list 10 in",
      "no passive-interface Loopback0",
      "no log-adjacency-changes detail",
      "interface GigabitEthernet0/0",
      "no ip ospf priority",
      "no ip ospf network",
      "end",
    ])
      expect(r.run(l)).not.toContain("%");
    const text = r.runningConfig();
    expect(text).not.toContain("stub");
    expect(text).toContain(" area 3 nssa default-information-originate\n");
    expect(text).not.toContain("redistribute connected");
    expect(text).not.toContain("network 1.1.1.1");
    expect(text).not.toContain("default-information originate");
    expect(text).not.toContain("distribute-list");
    expect(text).not.toContain("passive-interface");
    expect(text).not.toContain("log-adjacency-changes");
    expect(text).not.toContain("ip ospf priority");
    expect(ospf(r)!.interfaces.get("GigabitEthernet0/0")).toMatchObject({ priority: 1, networkType: "broadcast" });
  });

  test("bad lines are refused with the caret or IOS's message; the rest loads", () => {
    const r = cryptoRouter("R1", PORTS);
    const errors = r.load(`interface GigabitEthernet0/0
 ip address 10.0.0.1 255.255.255.0
 ip ospf network point-to-point broadcast
 ip ospf priority 256
router ospf 1
 area 0 stub
 area 0 nssa
 network 10.0.0.0 0.0.0.255 area 0
 network 10.0.0.0 0.0.0.255 area 1
 area 5 virtual-link 2.2.2.2
 redistribute bgp 100
 network 10.0.0.0 area 0
`);
    expect(errors.length).toBe(8);
    expect(errors[0]).toContain("^");
    expect(errors[1]).toContain("^");
    expect(errors[2]).toContain("% OSPF: Backbone can not be configured as stub area");
    expect(errors[3]).toContain("% OSPF: Backbone can not be configured as NSSA area");
    expect(errors[4]).toContain('"network 10.0.0.0 0.0.0.255 area 0" is already configured');
    for (const e of errors.slice(5)) expect(e).toContain("^");
    expect(r.runningConfig()).toContain(" network 10.0.0.0 0.0.0.255 area 0\n!");
  });

  test("a router with no address anywhere cannot pick a router ID and says so", () => {
    const r = cryptoRouter("R1", PORTS);
    r.run("configure terminal");
    r.run("router ospf 1");
    expect(
      r.ctx.consoleLines.some((l) =>
        l.includes("%OSPF-4-NORTRID: OSPF process 1 failed to allocate unique router-id and cannot start"),
      ),
    ).toBe(true);
  });
});
