// Equal-cost RIP paths (IOS's maximum-paths 4) on a triangle: R1 hears
// R2-R3's network from both R2 and R3 at one hop and installs both paths.
// When R3 falls silent towards R1 (passive-interface), only that path times
// out after 180 s: the route stays, through R2, and never goes possibly down.
// When R1's link to R2 goes down instead, the route keeps the path via R3.

import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const SEC = 1e9;

const TOPOLOGY = {
  devices: { R1: "router", R2: "router", R3: "router" },
  links: [
    { name: "R1-R2", a: "R1 GigabitEthernet0/0", b: "R2 GigabitEthernet0/0", latencyMs: 1 },
    { name: "R2-R3", a: "R2 Serial0/0", b: "R3 Serial0/0", latencyMs: 1 },
    { name: "R1-R3", a: "R1 Serial0/1", b: "R3 Serial0/1", latencyMs: 1 },
  ],
};

function router(name: string, interfaces: Array<[string, string]>): string {
  const lines = [`hostname ${name}`];
  for (const [ifc, address] of interfaces)
    lines.push(`interface ${ifc}`, ` ip address ${address} 255.255.255.0`, " no shutdown");
  lines.push("router rip", " version 2", " no auto-summary", " network 10.0.0.0");
  return `${lines.join("\n")}\nend\n`;
}

const CONFIGS = {
  R1: router("R1", [
    ["GigabitEthernet0/0", "10.0.12.1"],
    ["Serial0/1", "10.0.13.1"],
  ]),
  R2: router("R2", [
    ["GigabitEthernet0/0", "10.0.12.2"],
    ["Serial0/0", "10.0.23.2"],
  ]),
  R3: router("R3", [
    ["Serial0/0", "10.0.23.3"],
    ["Serial0/1", "10.0.13.3"],
  ]),
};

/** The lines of R1's route to 10.0.23.0/24 in `show ip route rip`. */
function route(show: string): string[] {
  const lines = show.split("\n");
  const i = lines.findIndex((l) => l.includes("10.0.23.0/24"));
  if (i < 0) return [];
  const out = [lines[i]!];
  for (let j = i + 1; j < lines.length && /^\s+\[/.test(lines[j]!); j++) out.push(lines[j]!);
  return out.map((l) => l.replace(/^R\s+10\.0\.23\.0\/24 /, "").trim());
}

async function lab(): Promise<{ lab: Lab; cmd: (d: string, l: string) => Promise<string> }> {
  const l = await Lab.create(buildLabSpec("rip-ecmp", "rip-ecmp", TOPOLOGY, CONFIGS, 1), {
    workers: 0,
    factories: deviceFactories,
  });
  return { lab: l, cmd: async (d, line) => (await l.command(d, line)).output };
}

describe("RIP equal-cost paths", () => {
  test("two paths; the silent one times out alone and the route never goes possibly down", async () => {
    const { lab: l, cmd } = await lab();
    try {
      await l.run(60 * SEC);
      expect(route(await cmd("R1", "show ip route rip")).sort()).toEqual([
        "[120/1] via 10.0.12.2, GigabitEthernet0/0",
        "[120/1] via 10.0.13.3, Serial0/1",
      ]);
      const db = await cmd("R1", "show ip rip database");
      expect(db).toMatch(/^10\.0\.23\.0\/24\n {4}\[1\] via 10\.0\.1[23]\.[23], 00:00:\d\d, \S+\n {4}\[1\] via /m);
      for (const line of ["configure terminal", "router rip", "passive-interface Serial0/1", "end"])
        await cmd("R3", line);
      await l.run(150 * SEC);
      expect(route(await cmd("R1", "show ip route rip")).length).toBe(2);
      await l.run(35 * SEC);
      expect(route(await cmd("R1", "show ip route rip"))).toEqual(["[120/1] via 10.0.12.2, GigabitEthernet0/0"]);
      expect(await cmd("R1", "show ip rip database")).not.toContain("possibly down");
    } finally {
      l.close();
    }
  }, 60_000);

  test("the link under one path goes down: the route keeps the other", async () => {
    const { lab: l, cmd } = await lab();
    try {
      await l.run(60 * SEC);
      expect(route(await cmd("R1", "show ip route rip")).length).toBe(2);
      await l.setWire("R1-R2", false);
      await l.run(1 * SEC);
      expect(route(await cmd("R1", "show ip route rip"))).toEqual(["[120/1] via 10.0.13.3, Serial0/1"]);
    } finally {
      l.close();
    }
  }, 60_000);
});
