// RIP commands as IOS takes them: every `router rip` line and the interface's
// `no ip split-horizon` print in the running config and load back the same,
// the running process reads them, no forms undo them, `no router rip` stops
// the process and withdraws its routes, bad lines get the caret and the rest
// loads, and `debug ip rip` is a switch `undebug all` turns off.

import { describe, expect, test } from "bun:test";
import type { RipInstance } from "../../../src/protocols/rip/rip-instance.ts";
import { cryptoRouter } from "../crypto/crypto-router.ts";

const PORTS = [
  { name: "GigabitEthernet0/0", kind: "ethernet" as const },
  { name: "GigabitEthernet0/1", kind: "ethernet" as const },
  { name: "Serial0/0", kind: "serial" as const },
];

const CONFIG = `interface Loopback0
 ip address 172.16.1.1 255.255.255.0
interface GigabitEthernet0/0
 ip address 10.0.12.1 255.255.255.0
 no ip split-horizon
interface GigabitEthernet0/1
 ip address 10.0.14.1 255.255.255.0
interface Serial0/0
 ip address 192.168.23.1 255.255.255.0
ip prefix-list ONLY-DEFAULT seq 5 permit 0.0.0.0/0
route-map DEF permit 10
 match interface Serial0/0
router rip
 version 2
 no auto-summary
 network 10.1.2.3
 network 172.16.0.0
 passive-interface GigabitEthernet0/1
 default-information originate route-map DEF
 distribute-list prefix ONLY-DEFAULT out GigabitEthernet0/0
 redistribute static metric 3
 default-metric 5
 timers basic 10 60 60 80
`;

const RIP_SECTION = [
  "router rip",
  " version 2",
  " timers basic 10 60 60 80",
  " redistribute static metric 3",
  " passive-interface GigabitEthernet0/1",
  " network 10.0.0.0",
  " network 172.16.0.0",
  " default-information originate route-map DEF",
  " distribute-list prefix ONLY-DEFAULT out GigabitEthernet0/0",
  " default-metric 5",
  " no auto-summary",
  "!",
].join("\n");

function router(config = CONFIG) {
  const r = cryptoRouter("R1", PORTS);
  expect(r.load(config)).toEqual([]);
  return r;
}
const rip = (r: ReturnType<typeof router>) => r.device.protocols.get("rip") as RipInstance | undefined;

describe("RIP configuration", () => {
  test("the running config prints the RIP lines as IOS does and loads back the same", () => {
    const r = router();
    const text = r.runningConfig();
    expect(text).toContain(
      "interface GigabitEthernet0/0\n ip address 10.0.12.1 255.255.255.0\n no ip split-horizon\n!",
    );
    expect(text).toContain("interface GigabitEthernet0/1\n ip address 10.0.14.1 255.255.255.0\n!");
    expect(text).toContain(RIP_SECTION);
    const again = cryptoRouter("R1", PORTS);
    expect(again.load(text)).toEqual([]);
    expect(again.runningConfig()).toBe(text);
  });

  test("the process runs with what the lines say", () => {
    const r = router();
    const p = rip(r)!;
    expect(p.sendVersion).toBe(2);
    expect(p.accepts(1)).toBe(false);
    expect(p.config).toMatchObject({
      autoSummary: false,
      networks: [0x0a000000, 0xac100000],
      defaultOriginate: { routeMap: "DEF" },
      defaultMetric: 5,
      timers: { update: 10, invalid: 60, holddown: 60, flush: 80 },
    });
    expect(p.isPassive("GigabitEthernet0/1")).toBe(true);
    expect(p.isPassive("GigabitEthernet0/0")).toBe(false);
    expect(p.config.splitHorizon("GigabitEthernet0/0")).toBe(false);
    expect(p.config.splitHorizon("GigabitEthernet0/1")).toBe(true);
    expect(p.config.prefixListPermits("ONLY-DEFAULT", 0, 0)).toBe(true);
    expect(p.config.prefixListPermits("ONLY-DEFAULT", 0x0a000000, 8)).toBe(false);
  });

  test("version: IOS sends 1 and receives 1 and 2 until it is set", () => {
    const r = router("router rip\n network 10.0.0.0\n");
    expect(rip(r)!.sendVersion).toBe(1);
    expect([rip(r)!.accepts(1), rip(r)!.accepts(2)]).toEqual([true, true]);
    expect(r.runningConfig()).toContain("router rip\n network 10.0.0.0\n!");
  });

  test("no forms remove what they name", () => {
    const r = router();
    for (const l of [
      "configure terminal",
      "router rip",
      "no version",
      "auto-summary",
      "no network 172.16.0.0",
      "no passive-interface GigabitEthernet0/1",
      "no default-information originate",
      "no distribute-list prefix ONLY-DEFAULT out GigabitEthernet0/0",
      "no redistribute static",
      "no default-metric",
      "no timers basic",
      "interface GigabitEthernet0/0",
      "ip split-horizon",
      "end",
    ])
      expect(r.run(l)).not.toContain("%");
    expect(r.runningConfig()).toContain("router rip\n network 10.0.0.0\n!");
    expect(r.runningConfig()).not.toContain("split-horizon");
    const p = rip(r)!;
    expect(p.config.timers).toEqual({ update: 30, invalid: 180, holddown: 180, flush: 240 });
    expect(p.config.splitHorizon("GigabitEthernet0/0")).toBe(true);
  });

  test("show ip interface says whether split horizon is on, following no ip split-horizon", () => {
    const r = router();
    expect(r.run("show ip interface GigabitEthernet0/0")).toContain("  Split horizon is disabled\n");
    expect(r.run("show ip interface GigabitEthernet0/1")).toContain("  Split horizon is enabled\n");
    for (const l of ["configure terminal", "interface GigabitEthernet0/0", "ip split-horizon", "end"]) r.run(l);
    expect(r.run("show ip interface GigabitEthernet0/0")).toContain("  Split horizon is enabled\n");
  });

  test("timers basic takes effect at once: the next update follows the new period", () => {
    const r = router("router rip\n network 10.0.0.0\n");
    const p = rip(r)!;
    expect(p.nextUpdateAt() - r.device.now()).toBeGreaterThan(25e9);
    for (const l of ["configure terminal", "router rip", "timers basic 5 15 15 20", "end"]) r.run(l);
    expect(p.nextUpdateAt() - r.device.now()).toBeLessThanOrEqual(5e9);
    expect(p.nextUpdateAt() - r.device.now()).toBeGreaterThan(4e9);
  });

  test("passive-interface default with exceptions", () => {
    const r = router("router rip\n network 10.0.0.0\n passive-interface default\n no passive-interface Serial0/0\n");
    expect(rip(r)!.isPassive("GigabitEthernet0/0")).toBe(true);
    expect(rip(r)!.isPassive("Serial0/0")).toBe(false);
    expect(r.runningConfig()).toContain(
      "router rip\n passive-interface default\n no passive-interface Serial0/0\n network 10.0.0.0\n!",
    );
  });

  test("no router rip stops the process and withdraws its routes", () => {
    const r = router();
    r.device.stack.rib.setCandidates("rip", 0x0a090000, 16, [{ metric: 2, interface: "Null0" }], "rip");
    r.device.stack.rib.commit();
    expect(r.device.stack.rib.routesOf("rip").length).toBe(1);
    for (const l of ["configure terminal", "no router rip", "end"]) r.run(l);
    expect(rip(r)).toBeUndefined();
    expect(r.runningConfig()).not.toContain("router rip");
    expect(r.device.stack.rib.routesOf("rip")).toEqual([]);
    expect(r.run("show ip rip database")).toBe("");
  });

  test("bad lines are refused with the caret; the rest loads", () => {
    const r = cryptoRouter("R1", PORTS);
    const errors = r.load(`router rip
 default-metric 17
 timers basic 4 180 180 240
 distribute-list prefix X sideways
 network 10.0.0.0
`);
    expect(errors.length).toBe(3);
    for (const e of errors) expect(e).toContain("% Invalid input detected at '^' marker.");
    expect(rip(r)!.config.networks).toEqual([0x0a000000]);
    // Interface words belong to interface mode.
    r.run("configure terminal");
    expect(r.run("ip split-horizon")).toContain("% Invalid input detected at '^' marker.");
  });

  test("debug ip rip is a switch: no debug and undebug all turn it off", () => {
    const r = router();
    expect(r.run("debug ip rip")).toContain("RIP protocol debugging is on");
    expect(r.device.debug.ipRip).toBe(true);
    expect(r.run("no debug ip rip")).toContain("RIP protocol debugging is off");
    expect(r.device.debug.ipRip).toBe(false);
    r.run("debug ip rip");
    r.run("undebug all");
    expect(r.device.debug.ipRip).toBe(false);
    r.run("debug ip rip");
    expect(r.run("undebug ip rip")).toContain("RIP protocol debugging is off");
    expect(r.device.debug.ipRip).toBe(false);
  });
});
