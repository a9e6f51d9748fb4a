// Named mode's configuration lines on one router: what is refused (with the
// rest of the config still loading), `?` in the new modes, and the no forms
// (no af-interface, no address-family, no router eigrp NAME stop and forget).

import { describe, expect, test } from "bun:test";
import { contextHelp } from "../../../src/config/cli/help.ts";
import { eigrpConfigs } from "../../../src/config/eigrp/eigrp-store.ts";
import { routerCommandTable } from "../../../src/config/router/router-commands.ts";
import { cryptoRouter } from "../crypto/crypto-router.ts";

const PORTS = [
  { name: "GigabitEthernet0/0", kind: "ethernet" as const },
  { name: "GigabitEthernet0/1", kind: "ethernet" as const },
];

const GOOD = [
  "router eigrp LAB",
  " address-family ipv4 unicast autonomous-system 7",
  "  network 10.0.0.0",
  "  af-interface GigabitEthernet0/1",
  "   passive-interface",
  "  exit-af-interface",
  "  topology base",
  "   metric rib-scale 100",
  "  exit-af-topology",
  " exit-address-family",
];

describe("EIGRP named mode configuration", () => {
  test("bad lines are refused and the rest loads", () => {
    const r = cryptoRouter("R1", PORTS);
    const errors = r.load(
      [
        ...GOOD,
        "router eigrp 0",
        "router eigrp LAB",
        " address-family ipv4 unicast autonomous-system 8",
        " address-family ipv4 unicast autonomous-system 7",
        "  af-interface GigabitEthernet9/9",
        "  topology base",
        "   metric rib-scale 300",
        "router eigrp 7",
      ].join("\n"),
    );
    expect(errors.length).toBe(5);
    const text = errors.join("\n");
    expect(text).toContain("Invalid input detected");
    expect(text).toContain("% Address-family ipv4 is already configured with autonomous-system 7");
    expect(text).toContain("% Invalid interface");
    expect(text).toContain("% AS 7 is already used by another EIGRP process");
    const c = eigrpConfigs(r.device).get(7);
    expect(c?.named).toEqual({ name: "LAB", ribScale: 100 });
    expect(c?.passiveExceptions.has("GigabitEthernet0/1")).toBe(true);
    expect(eigrpConfigs(r.device).has(8)).toBe(false);
    expect(r.runningConfig()).toContain("   metric rib-scale 100\n  exit-af-topology\n  network 10.0.0.0\n");
    expect(r.runningConfig()).not.toContain("router eigrp 7");
  });

  test("? lists the words of each new mode with IOS's texts", () => {
    const table = routerCommandTable();
    const help = (mode: string, line: string): string =>
      contextHelp(
        { table, mode, exec: false, specs: table.compiled(mode), execSpecs: table.compiled("exec"), promptLength: 20 },
        line,
      );
    const af = help("config-router-af", "");
    expect(af).toMatch(/^ {2}af-interface +Enter Address Family interface configuration\n/);
    expect(af).toMatch(/\n {2}topology +Topology configuration mode\n/);
    expect(af).toMatch(/\n {2}exit-address-family +Exit Address Family configuration mode\n/);
    expect(help("config-router-af-topology", "metric ")).toMatch(/rib-scale +Set scaling value for RIB installation/);
    expect(help("config-router-af-interface", "")).toMatch(/\n {2}hello-interval +Configures hello interval\n/);
    expect(help("config-router-eigrp-named", "address-family ipv4 ")).toMatch(
      /autonomous-system +Specify Address-Family Autonomous System Number/,
    );
  });

  test("no af-interface, no address-family and no router eigrp NAME undo what they name", () => {
    const r = cryptoRouter("R1", PORTS);
    expect(r.load(GOOD.join("\n"))).toEqual([]);
    for (const l of [
      "configure terminal",
      "router eigrp LAB",
      " address-family ipv4 unicast autonomous-system 7",
      "  no af-interface GigabitEthernet0/1",
      "end",
    ])
      expect(r.run(l)).not.toContain("%");
    expect(r.runningConfig()).not.toContain("af-interface");
    expect(eigrpConfigs(r.device).get(7)?.passiveExceptions.size).toBe(0);
    for (const l of [
      "configure terminal",
      "router eigrp LAB",
      " no address-family ipv4 unicast autonomous-system 7",
      "end",
    ])
      expect(r.run(l)).not.toContain("%");
    expect(eigrpConfigs(r.device).has(7)).toBe(false);
    expect(r.device.protocols.get("eigrp 7")).toBeUndefined();
    expect(r.runningConfig()).toContain("router eigrp LAB\n!");
    for (const l of ["configure terminal", "no router eigrp LAB", "end"]) expect(r.run(l)).not.toContain("%");
    expect(r.runningConfig()).not.toContain("router eigrp");
  });
});
