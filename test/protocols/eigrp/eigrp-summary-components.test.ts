// A summary's metric follows its best component as components come, go and
// change, without a pass over the topology table per update (a hub
// summarising a thousand spokes): R1 has two loopbacks inside 172.16.0.0/16
// with different delays, R2 summarises 172.16.0.0/16 towards R3. After each
// change the summary's feasible distance on R2 must be the best component's,
// and R3 must see the summary exactly while a component exists.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const SEC = 1e9;
const TOPOLOGY = {
  devices: { R1: "router", R2: "router", R3: "router" },
  links: [
    { name: "R1-R2", a: "R1 GigabitEthernet0/0", b: "R2 GigabitEthernet0/0", latencyMs: 1 },
    { name: "R2-R3", a: "R2 GigabitEthernet0/1", b: "R3 GigabitEthernet0/0", latencyMs: 1 },
  ],
};
const CONFIGS = {
  R1: [
    "hostname R1",
    "interface Loopback1",
    " ip address 172.16.1.1 255.255.255.0",
    " delay 10",
    "interface Loopback2",
    " ip address 172.16.2.1 255.255.255.0",
    "interface GigabitEthernet0/0",
    " ip address 10.0.12.1 255.255.255.0",
    " no shutdown",
    "router eigrp 1",
    " network 10.0.12.0 0.0.0.255",
    " network 172.16.0.0 0.0.255.255",
    "end",
    "",
  ].join("\n"),
  R2: [
    "hostname R2",
    "interface GigabitEthernet0/0",
    " ip address 10.0.12.2 255.255.255.0",
    " no shutdown",
    "interface GigabitEthernet0/1",
    " ip address 10.0.23.2 255.255.255.0",
    " ip summary-address eigrp 1 172.16.0.0 255.255.0.0",
    " no shutdown",
    "router eigrp 1",
    " network 10.0.0.0",
    "end",
    "",
  ].join("\n"),
  R3: [
    "hostname R3",
    "interface GigabitEthernet0/0",
    " ip address 10.0.23.3 255.255.255.0",
    " no shutdown",
    "router eigrp 1",
    " network 10.0.0.0",
    "end",
    "",
  ].join("\n"),
};

let lab: Lab;
const cmd = async (d: string, line: string) => (await lab.command(d, line)).output;
const config = async (d: string, lines: string[]) => {
  for (const l of ["configure terminal", ...lines, "end"]) await cmd(d, l);
  await lab.run(5 * SEC);
};

/** R2's feasible distances: the summary's and each component's. */
async function distances(): Promise<{ summary: number | null; components: number[] }> {
  const out = await cmd("R2", "show ip eigrp topology");
  const fd = (prefix: string) =>
    Number(new RegExp(`${prefix.replaceAll(".", "\\.")}, \\d+ successors, FD is (\\d+)`).exec(out)?.[1] ?? NaN);
  const summary = fd("172.16.0.0/16");
  const components = ["172.16.1.0/24", "172.16.2.0/24"].map(fd).filter((d) => !Number.isNaN(d));
  return { summary: Number.isNaN(summary) ? null : summary, components };
}

beforeAll(async () => {
  lab = await Lab.create(buildLabSpec("eigrp-sum-comp", "eigrp-sum-comp", TOPOLOGY, CONFIGS, 1), {
    workers: 0,
    factories: deviceFactories,
  });
  await lab.run(20 * SEC);
}, 60_000);
afterAll(() => lab.close());

describe("an EIGRP summary follows its best component", () => {
  test("both components: the summary has the lower one's distance; R3 sees only the summary", async () => {
    const d = await distances();
    expect(d.components.length).toBe(2);
    expect(d.components[0]).toBeLessThan(d.components[1]!);
    expect(d.summary).toBe(d.components[0]!);
    const r3 = await cmd("R3", "show ip route eigrp");
    expect(r3).toMatch(/D\s+172\.16\.0\.0\/16 \[90\/\d+\] via 10\.0\.23\.2/);
    expect(r3).not.toContain("172.16.1.0");
  });

  test("the best component goes: the summary takes the other's distance", async () => {
    await config("R1", ["interface Loopback1", "shutdown"]);
    const d = await distances();
    expect(d.components.length).toBe(1);
    expect(d.summary).toBe(d.components[0]!);
  });

  test("a better component comes back: the summary takes its distance again", async () => {
    await config("R1", ["interface Loopback1", "no shutdown"]);
    const d = await distances();
    expect(d.components.length).toBe(2);
    expect(d.summary).toBe(Math.min(...d.components));
  });

  test("the best component gets worse: the summary follows the new best", async () => {
    await config("R1", ["interface Loopback1", "delay 100000"]);
    const d = await distances();
    expect(d.components.length).toBe(2);
    expect(d.components[0]).toBeGreaterThan(d.components[1]!);
    expect(d.summary).toBe(d.components[1]!);
  });

  test("no component left: the summary and its route on R3 go", async () => {
    await config("R1", ["interface Loopback1", "shutdown", "interface Loopback2", "shutdown"]);
    const d = await distances();
    expect(d.components).toEqual([]);
    expect(d.summary).toBeNull();
    expect(await cmd("R3", "show ip route eigrp")).not.toContain("172.16.0.0");
  });
});
