// The dmvpn-1000 scenario's address plan at full size (--scale SPOKE=1000,PE=40),
// checked from the generated configurations without booting 1041 routers: every
// access link is one /30 with the PE at .1 and the spoke at .2, no address is
// used twice, the spoke's route to the provider points at its own PE's end, and
// tunnel and LAN addresses are unique too. (The generated-fleet plan,
// 172.(16+p).j.0/30, ran out after 15 PEs.)
import { describe, expect, test } from "bun:test";
import { loadScenario } from "../../src/scenario/load.ts";
import { parseIpv4Address as ipv4FromString, formatIpv4Address as ipv4ToString } from "../../src/wire/ipv4-address.ts";

interface Addressed {
  address: number;
  mask: number;
}

/** interface name -> its primary address, from a rendered configuration. */
function interfaceAddresses(config: string): Map<string, Addressed> {
  const out = new Map<string, Addressed>();
  let current: string | null = null;
  for (const line of config.split("\n")) {
    const ifc = /^interface (\S+)/.exec(line);
    if (ifc !== null) current = ifc[1]!;
    else if (!line.startsWith(" ")) current = null;
    const ip = /^ ip address (\S+) (\S+)$/.exec(line);
    if (ip !== null && current !== null)
      out.set(current, { address: ipv4FromString(ip[1]!)!, mask: ipv4FromString(ip[2]!)! });
  }
  return out;
}

describe("dmvpn-1000 at 1000 spokes", () => {
  test("1000 spokes behind 40 PEs: one /30 per access link (PE .1, spoke .2), no address twice, routes to the own PE", () => {
    const { lab } = loadScenario("dmvpn-1000", 1, undefined, undefined, { SPOKE: 1000, PE: 40 });
    expect(lab.devices.length).toBe(1041);
    const byId = new Map(lab.devices.map((d) => [d.id, d]));
    const addresses = new Map(lab.devices.map((d) => [d.name, interfaceAddresses(d.config)]));
    const used = new Map<number, string>();
    const twice: string[] = [];
    for (const [device, ifcs] of addresses)
      for (const [ifc, { address }] of ifcs) {
        const where = `${device} ${ifc}`;
        if (used.has(address)) twice.push(`${ipv4ToString(address)} on ${used.get(address)} and ${where}`);
        used.set(address, where);
      }
    expect(twice).toEqual([]);
    const access = lab.wires.filter((w) => !w.segment);
    expect(access.length).toBe(1000);
    const spokesSeen = new Set<string>();
    for (const wire of access) {
      const [a, b] = wire.ends.map((e) => {
        const d = byId.get(e.deviceId)!;
        return { device: d, port: d.ports.find((p) => p.index === e.port)!.name };
      });
      const [spoke, pe] = a!.device.name.startsWith("SPOKE") ? [a!, b!] : [b!, a!];
      expect(pe.device.name).toMatch(/^PE\d+$/);
      const i = Number(spoke.device.name.slice(5));
      spokesSeen.add(spoke.device.name);
      // Spoke i behind PE 1 + (i-1) div 25, port 1 + (i-1) mod 25.
      expect(pe.device.name).toBe(`PE${1 + Math.floor((i - 1) / 25)}`);
      const s = addresses.get(spoke.device.name)!.get(spoke.port)!;
      const p = addresses.get(pe.device.name)!.get(pe.port)!;
      expect(ipv4ToString(s.mask)).toBe("255.255.255.252");
      expect(ipv4ToString(p.mask)).toBe("255.255.255.252");
      const network = 0x64400000 + (i - 1) * 4; // 100.64.0.0 + the (i-1)th /30
      expect(ipv4ToString(p.address)).toBe(ipv4ToString(network + 1));
      expect(ipv4ToString(s.address)).toBe(ipv4ToString(network + 2));
      expect(spoke.device.config).toContain(`ip route 100.64.0.0 255.192.0.0 ${ipv4ToString(network + 1)}\n`);
    }
    expect(spokesSeen.size).toBe(1000);
    // The core LAN: the hub and every PE.
    const core = lab.wires.filter((w) => w.segment);
    expect(core.length).toBe(1);
    expect(core[0]!.ends.length).toBe(41);
    expect(addresses.get("SPOKE1000")!.get("Tunnel0")!.address).toBe(ipv4FromString("10.0.3.233")!);
    expect(addresses.get("SPOKE1000")!.get("Loopback0")!.address).toBe(ipv4FromString("172.19.232.1")!);
    expect(ipv4ToString(addresses.get("PE40")!.get("GigabitEthernet0/0")!.address)).toBe("100.127.0.41");
  });
});
