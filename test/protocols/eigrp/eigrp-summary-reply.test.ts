// A summary configured while the adjacency is up (classic mode): R4's
// `ip summary-address eigrp 1 4.4.4.0 255.255.255.0` withdraws 4.4.4.4/32
// from R1, R1 goes active and queries R4, and R4 must answer the suppressed
// component as unreachable. Were the reply to carry the metric, R1 would
// reinstall the /32, R4's update would withdraw it again and R1 would stay
// active (what happened before replies honoured summaries).

import { beforeAll, describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const SEC = 1e9;
const TOPOLOGY = {
  devices: { R1: "router", R4: "router" },
  links: [{ name: "R1-R4", a: "R1 GigabitEthernet0/0", b: "R4 GigabitEthernet0/0", latencyMs: 1 }],
};

const router = (n: number): string =>
  [
    `hostname R${n}`,
    "interface Loopback0",
    ` ip address ${n}.${n}.${n}.${n} 255.255.255.255`,
    "interface GigabitEthernet0/0",
    ` ip address 10.0.14.${n} 255.255.255.0`,
    " no shutdown",
    "router eigrp 1",
    " network 10.0.14.0 0.0.0.255",
    ` network ${n}.${n}.${n}.${n} 0.0.0.0`,
    "end",
    "",
  ].join("\n");

const snap: Record<string, string> = {};
beforeAll(async () => {
  const lab = await Lab.create(buildLabSpec("eigrp-sum", "eigrp-sum", TOPOLOGY, { R1: router(1), R4: router(4) }, 1), {
    workers: 0,
    factories: deviceFactories,
  });
  const cmd = async (d: string, line: string) => (await lab.command(d, line)).output;
  try {
    await lab.run(20 * SEC);
    snap.before = await cmd("R1", "show ip route eigrp");
    for (const l of [
      "configure terminal",
      "interface GigabitEthernet0/0",
      " ip summary-address eigrp 1 4.4.4.0 255.255.255.0",
      "end",
    ])
      await cmd("R4", l);
    await lab.run(5 * SEC);
    snap.after = await cmd("R1", "show ip route eigrp");
    snap.topology = await cmd("R1", "show ip eigrp topology");
  } finally {
    lab.close();
  }
}, 60_000);

describe("eigrp summary configured on a running adjacency", () => {
  test("the neighbour ends with the summary only, every destination passive", () => {
    expect(snap.before).toMatch(/D\s+4\.4\.4\.4 \[90\/130816\]/);
    expect(snap.after).toMatch(/D\s+4\.4\.4\.0 \[90\/130816\] via 10\.0\.14\.4/);
    expect(snap.after).not.toContain("4.4.4.4");
    expect(snap.topology).not.toMatch(/^A /m);
    expect(snap.topology).not.toContain("4.4.4.4/32");
  });
});
