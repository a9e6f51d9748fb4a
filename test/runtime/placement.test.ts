// Devices are placed on partitions by the topology graph (few, slow wires
// between partitions), and the trace is the same for any placement and any
// number of Workers: the partitions exchange frames among themselves, and
// whatever links a placement cuts, events run in key order.
import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../actors/index.ts";
import { chainLab } from "../../src/bench/chain-lab.ts";
import { Lab } from "../../src/runtime/lab.ts";
import { crossPartitionLatency, cutWeight, placeDevices } from "../../src/runtime/placement.ts";
import type { LabSpec } from "../../src/runtime/topology.ts";
import { buildLabSpec, type TopologyFile } from "../../src/scenario/topology-file.ts";

/** Two triangles of routers joined by one slow serial link; names interleave so that name order would cut fast links. */
function triangles(): LabSpec {
  const topo: TopologyFile = {
    devices: { R1: "router", R2: "router", R3: "router", R4: "router", R5: "router", R6: "router" },
    links: [
      { name: "R1-R3", a: "R1 GigabitEthernet0/0", b: "R3 GigabitEthernet0/0" },
      { name: "R3-R5", a: "R3 GigabitEthernet0/1", b: "R5 GigabitEthernet0/0" },
      { name: "R5-R1", a: "R5 GigabitEthernet0/1", b: "R1 GigabitEthernet0/1" },
      { name: "R2-R4", a: "R2 GigabitEthernet0/0", b: "R4 GigabitEthernet0/0" },
      { name: "R4-R6", a: "R4 GigabitEthernet0/1", b: "R6 GigabitEthernet0/0" },
      { name: "R6-R2", a: "R6 GigabitEthernet0/1", b: "R2 GigabitEthernet0/1" },
      { name: "R5-R6", a: "R5 Serial0/0", b: "R6 Serial0/0", latencyMs: 5 },
    ],
  };
  return buildLabSpec("triangles", "<test>", topo, {}, 1);
}

describe("placement", () => {
  test("a chain is cut once, in the middle", () => {
    const { spec } = chainLab({ routers: 8 });
    const p = placeDevices(spec, 2);
    expect(p.filter((x) => x === 0).length).toBe(4);
    const cut = spec.wires.filter((w) => p[w.ends[0]!.deviceId] !== p[w.ends[1]!.deviceId]);
    expect(cut.map((w) => w.name)).toEqual(["R4-R5"]);
  });

  test("independent chains never share a partition boundary", () => {
    const { spec } = chainLab({ routers: 8, chains: 2 });
    const p = placeDevices(spec, 2);
    expect(crossPartitionLatency(spec, p)).toBe(Infinity);
    expect(cutWeight(spec, p)).toBe(0);
    expect(new Set(p).size).toBe(2);
  });

  test("the slow link is the one cut, whatever the names", () => {
    const spec = triangles();
    const p = placeDevices(spec, 2);
    const byName = (n: string) => p[spec.devices.find((d) => d.name === n)!.id];
    expect(new Set(["R1", "R3", "R5"].map(byName)).size).toBe(1);
    expect(new Set(["R2", "R4", "R6"].map(byName)).size).toBe(1);
    expect(byName("R1")).not.toBe(byName("R2"));
    expect(crossPartitionLatency(spec, p)).toBe(5_000_000);
    // Name order (R1-R3 | R4-R6) would cut fast links.
    expect(cutWeight(spec, p)).toBeLessThan(cutWeight(spec, [0, 0, 0, 1, 1, 1]));
    // Deterministic.
    expect(placeDevices(spec, 2)).toEqual(p);
  });

  test("every device gets a partition below the count, for any count", () => {
    const { spec } = chainLab({ routers: 7, chains: 3 });
    for (const k of [1, 2, 3, 4, 5]) {
      const p = placeDevices(spec, k);
      expect(p.length).toBe(21);
      expect(p.every((x) => x >= 0 && x < k)).toBe(true);
      expect(new Set(p).size).toBe(k);
    }
  });
});

describe("same trace for any placement", () => {
  /** Trace and outputs of pings and a UDP stream through a 6-router chain. */
  async function run(workers: number, placement?: number[]): Promise<string> {
    const c = chainLab({ routers: 6 });
    const lines: string[] = [];
    const lab = await Lab.create(c.spec, {
      workers,
      factories: deviceFactories,
      placement,
      trace: (l) => lines.push(l),
    });
    try {
      await lab.run(1e9);
      const out: string[] = [];
      out.push((await lab.command(c.names[0]!, `ping ${c.loopbacks[5]} repeat 20 timeout 1`)).output);
      out.push((await lab.command(c.names[0]!, `ping ${c.loopbacks[5]} size 4000 repeat 3`)).output);
      const both = await lab.commands([
        { device: c.names[0]!, line: `traffic udp ${c.loopbacks[5]} size 200 rate 100000 count 300` },
        { device: c.names[5]!, line: `ping ${c.loopbacks[0]} repeat 5` },
      ]);
      out.push(...both.map((o) => o.output));
      await lab.run(5e6);
      return `${out.join("")}\n${lines.join("\n")}`;
    } finally {
      lab.close();
    }
  }

  test("inline, by the graph, every link cut, and three Workers give one trace", async () => {
    const inline = await run(0);
    expect(inline.split("\n").length).toBeGreaterThan(2000);
    expect(inline).toContain("Success rate is 100 percent (5/5)");
    expect(await run(2)).toBe(inline);
    // Alternating routers: every link crosses between the two Workers.
    expect(await run(2, [0, 1, 0, 1, 0, 1])).toBe(inline);
    expect(await run(3, [2, 0, 1, 1, 0, 2])).toBe(inline);
  });
});
