// RTTs that vary as a real network's do: a link's seeded `jitterMs` (uniform
// extra delay per frame, drawn per sending port, FIFO on the wire) and the
// control plane's processing delay for what a device answers itself. A ping
// over a jittery link shows min < max, the same seed gives the same RTTs, and
// the trace is the same inline and on two Workers; without jitter a host's
// microsecond RTTs still differ by the router's processing delay.

import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../actors/index.ts";
import { ROUTER_ANSWER_DELAY_NS } from "../../src/dataplane/pipeline/control-plane-delay.ts";
import { Lab } from "../../src/runtime/lab.ts";
import { PortModel } from "../../src/runtime/port-model.ts";
import type { WireSpec } from "../../src/runtime/topology.ts";
import { buildLabSpec, TopologyError, type TopologyFile } from "../../src/scenario/topology-file.ts";

const wire = (jitterNs: number): WireSpec => ({
  id: 0,
  name: "R1-R2",
  kind: "serial",
  segment: false,
  ends: [],
  latencyNs: 1_000_000,
  jitterNs,
  bitsPerSecond: 1_544_000,
  mtu: 1500,
  loss: 0,
});

const port = (w: WireSpec, seed = 1) =>
  new PortModel({ index: 0, name: "Serial0/0", kind: "serial", wireId: 0 }, w, seed, "R1");

/** Arrival times of `n` 100-byte frames sent every `gapNs`. */
function arrivals(p: PortModel, n: number, gapNs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const txEnd = p.enqueue(i * gapNs, new Uint8Array(104));
    out.push(p.arrival(txEnd));
  }
  return out;
}

describe("link jitter on the port model", () => {
  test("no jitter: arrival is the end of serialization plus the latency", () => {
    const p = port(wire(0));
    const txEnd = p.enqueue(0, new Uint8Array(104));
    expect(p.arrival(txEnd)).toBe(txEnd + 1_000_000);
  });

  test("frames arrive within [latency, latency + jitter] after they leave, in order, with varying delays", () => {
    const p = port(wire(5_000_000));
    const delays: number[] = [];
    let last = 0;
    for (let i = 0; i < 200; i++) {
      const txEnd = p.enqueue(i * 10_000_000, new Uint8Array(104));
      const at = p.arrival(txEnd);
      expect(at).toBeGreaterThanOrEqual(last);
      last = at;
      delays.push(at - txEnd);
    }
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1_000_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(6_000_000);
    expect(new Set(delays).size).toBeGreaterThan(100);
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(3_000_000);
  });

  test("back-to-back frames are never reordered: a frame waits for the one before it", () => {
    const at = arrivals(port(wire(5_000_000)), 500, 0);
    for (let i = 1; i < at.length; i++) expect(at[i]!).toBeGreaterThanOrEqual(at[i - 1]!);
    // Some frames were held behind an earlier, more delayed one.
    const held = at.filter((t, i) => i > 0 && t === at[i - 1]).length;
    expect(held).toBeGreaterThan(0);
  });

  test("the draws are the sending port's: the same seed gives the same arrivals, another seed others", () => {
    expect(arrivals(port(wire(5_000_000), 7), 50, 3_000_000)).toEqual(
      arrivals(port(wire(5_000_000), 7), 50, 3_000_000),
    );
    expect(arrivals(port(wire(5_000_000), 8), 50, 3_000_000)).not.toEqual(
      arrivals(port(wire(5_000_000), 7), 50, 3_000_000),
    );
  });

  test("topology.json: jitterMs reaches the wire; a negative one is refused", () => {
    const topo = (jitterMs?: number): TopologyFile => ({
      devices: { R1: "router", R2: "router" },
      links: [{ a: "R1 Serial0/0", b: "R2 Serial0/0", ...(jitterMs === undefined ? {} : { jitterMs }) }],
    });
    expect(buildLabSpec("t", "topology.json", topo(2.5), {}, 1).wires[0]!.jitterNs).toBe(2_500_000);
    expect(buildLabSpec("t", "topology.json", topo(), {}, 1).wires[0]!.jitterNs).toBe(0);
    expect(() => buildLabSpec("t", "topology.json", topo(-1), {}, 1)).toThrow(TopologyError);
  });
});

const R1 = `hostname R1
interface Serial0/0
 ip address 10.0.12.1 255.255.255.0
 no shutdown
`;
const R2 = `hostname R2
interface Serial0/0
 ip address 10.0.12.2 255.255.255.0
 no shutdown
interface GigabitEthernet0/0
 ip address 10.0.2.1 255.255.255.0
 no shutdown
`;
const H2 = `hostname H2
ip link set eth0 up
ip addr add 10.0.2.10/24 dev eth0
ip route add default via 10.0.2.1
`;

function labSpec(jitterMs: number | undefined, seed: number) {
  const topo: TopologyFile = {
    devices: { R1: "router", R2: "router", H2: "linux-host" },
    links: [
      { a: "R1 Serial0/0", b: "R2 Serial0/0", ...(jitterMs === undefined ? {} : { jitterMs }) },
      { a: "R2 GigabitEthernet0/0", b: "H2 eth0" },
    ],
  };
  return buildLabSpec("jitter", "topology.json", topo, { R1, R2, H2 }, seed);
}

/** Runs the lab, pings R2 from R1 and returns the ping's output and the trace. */
async function pingOverJitter(seed: number, workers: number): Promise<{ output: string; trace: string }> {
  const lines: string[] = [];
  const lab = await Lab.create(labSpec(8, seed), { workers, factories: deviceFactories, trace: (l) => lines.push(l) });
  try {
    await lab.run(2e9);
    const { output } = await lab.command("R1", "ping 10.0.12.2 repeat 50");
    return { output, trace: lines.join("\n") };
  } finally {
    lab.close();
  }
}

function minAvgMax(output: string): [number, number, number] {
  const m = /Success rate is 100 percent \(50\/50\), round-trip min\/avg\/max = (\d+)\/(\d+)\/(\d+) ms/.exec(output);
  expect(m).not.toBeNull();
  return [Number(m![1]), Number(m![2]), Number(m![3])];
}

describe("RTTs in a lab", () => {
  test("a ping over a jittery link shows min < max; the same seed gives the same RTTs", async () => {
    const a = await pingOverJitter(3, 0);
    const [min, avg, max] = minAvgMax(a.output);
    expect(min).toBeLessThan(max);
    expect(min).toBeLessThanOrEqual(avg);
    expect(avg).toBeLessThanOrEqual(max);
    // Two crossings of 1 ms plus up to 8 ms jitter each, serialization and the router's processing.
    expect(min).toBeGreaterThanOrEqual(2);
    expect(max).toBeLessThanOrEqual(2 + 16 + 2 + 1);
    expect(max - min).toBeGreaterThanOrEqual(3);
    const again = await pingOverJitter(3, 0);
    expect(again.output).toBe(a.output);
  }, 60_000);

  test("the trace of a jittery lab is the same inline and on two Workers", async () => {
    const inline = await pingOverJitter(5, 0);
    const two = await pingOverJitter(5, 2);
    expect(inline.trace.split("\n").length).toBeGreaterThan(100);
    expect(two.trace).toBe(inline.trace);
    expect(two.output).toBe(inline.output);
  }, 60_000);

  test("without jitter the router's processing delay still makes a host's RTTs differ, within its range", async () => {
    const lab = await Lab.create(labSpec(undefined, 1), { workers: 0, factories: deviceFactories });
    try {
      await lab.run(2e9);
      await lab.command("H2", "ping -c 2 10.0.2.1"); // ARP
      const { output } = await lab.command("H2", "ping -c 20 10.0.2.1");
      const times = [...output.matchAll(/icmp_seq=\d+ ttl=255 time=(\d+\.\d+) ms/g)].map((m) => Number(m[1]));
      expect(times.length).toBe(20);
      expect(new Set(times).size).toBeGreaterThan(10);
      // Ethernet's 0.1 ms each way plus the router's delay: no echo is answered faster or slower than its range.
      const [lo, hi] = ROUTER_ANSWER_DELAY_NS.map((ns) => ns / 1e6) as [number, number];
      expect(Math.min(...times)).toBeGreaterThanOrEqual(0.2 + lo - 0.001);
      expect(Math.max(...times)).toBeLessThanOrEqual(0.2 + hi + 0.01);
      expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan((hi - lo) / 3);
      const mdev = /rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/(\d+\.\d+) ms/.exec(output);
      expect(Number(mdev?.[1])).toBeGreaterThan(0);
    } finally {
      lab.close();
    }
  }, 60_000);
});
