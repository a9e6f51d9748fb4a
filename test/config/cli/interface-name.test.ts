import { describe, expect, test } from "bun:test";
import { canonicalInterfaceName, isSubinterface, shortInterfaceName } from "../../../src/config/cli/index.ts";

describe("canonicalInterfaceName", () => {
  const cases: [string, string][] = [
    ["gi0/0", "GigabitEthernet0/0"],
    ["Gi 0/0", "GigabitEthernet0/0"],
    ["g0/1", "GigabitEthernet0/1"],
    ["GigabitEthernet0/0", "GigabitEthernet0/0"],
    ["fa0/1", "FastEthernet0/1"],
    ["fa0/1.100", "FastEthernet0/1.100"],
    ["e0/0", "Ethernet0/0"],
    ["eth0/0", "Ethernet0/0"],
    ["s0/0/0", "Serial0/0/0"],
    ["ser0/0/0:1", "Serial0/0/0:1"],
    ["lo0", "Loopback0"],
    ["tu0", "Tunnel0"],
    ["tun 0", "Tunnel0"],
    ["gi1.100", "GigabitEthernet1.100"],
    ["vi1", "Virtual-Access1"],
    ["virtual-t1", "Virtual-Template1"],
    ["vl10", "Vlan10"],
    ["null0", "Null0"],
    ["po1", "Port-channel1"],
    ["te1/0/1", "TenGigabitEthernet1/0/1"],
  ];
  for (const [input, full] of cases)
    test(`${input} -> ${full}`, () => expect(canonicalInterfaceName(input)).toBe(full));

  test("rejects unknown types and malformed numbers", () => {
    for (const bad of ["xyz0", "gi", "gi0/", "gi0//0", "0/0", "", "gi0/0.", "gi 0 0", "ethernet"]) {
      expect(canonicalInterfaceName(bad)).toBeUndefined();
    }
  });
});

describe("shortInterfaceName", () => {
  test("IOS short forms", () => {
    expect(shortInterfaceName("GigabitEthernet0/0")).toBe("Gi0/0");
    expect(shortInterfaceName("gi1.124")).toBe("Gi1.124");
    expect(shortInterfaceName("fa0/1")).toBe("Fa0/1");
    expect(shortInterfaceName("e0/0")).toBe("Et0/0");
    expect(shortInterfaceName("Serial0/0/0")).toBe("Se0/0/0");
    expect(shortInterfaceName("Loopback0")).toBe("Lo0");
    expect(shortInterfaceName("Tunnel0")).toBe("Tu0");
    expect(shortInterfaceName("bogus0")).toBeUndefined();
  });
  test("subinterface", () => {
    expect(isSubinterface("GigabitEthernet1.100")).toBe(true);
    expect(isSubinterface("GigabitEthernet1")).toBe(false);
  });
});
