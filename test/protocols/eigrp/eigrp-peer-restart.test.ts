// A neighbour that restarts faster than our hold time (its port flapped for a
// few seconds; ours stayed up) comes back with a new INIT: IOS logs "peer
// restarted", brings the adjacency up again at once and both sides exchange
// their tables. R1 and R2 share a LAN segment, so R1's shutdown does not take
// R2's interface down; after R1's 3 s flap R1 must learn R2's loopback again
// and R2 R1's (before the fix, R2 dropped the INIT it had acknowledged and no
// route ever flowed again).

import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const SEC = 1e9;
const config = (n: number) =>
  [
    `hostname R${n}`,
    "interface Loopback0",
    ` ip address 172.16.${n}.1 255.255.255.0`,
    "interface GigabitEthernet0/0",
    ` ip address 10.0.0.${n} 255.255.255.0`,
    " no shutdown",
    "router eigrp 1",
    " network 10.0.0.0",
    " network 172.16.0.0",
    "end",
    "",
  ].join("\n");

describe("EIGRP peer restart", () => {
  test("a neighbour back from a flap shorter than the hold time relearns and re-advertises its routes", async () => {
    const spec = buildLabSpec(
      "eigrp-peer-restart",
      "inline",
      {
        devices: { R1: "router", R2: "router" },
        segments: [{ name: "LAN", ports: ["R1 GigabitEthernet0/0", "R2 GigabitEthernet0/0"], latencyMs: 1 }],
      },
      { R1: config(1), R2: config(2) },
      1,
    );
    const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories });
    const cmd = async (d: string, c: string) => (await lab.command(d, c)).output;
    const port = async (shut: boolean) => {
      for (const c of ["configure terminal", "interface GigabitEthernet0/0", shut ? "shutdown" : "no shutdown", "end"])
        await cmd("R1", c);
    };
    try {
      await lab.run(20 * SEC);
      expect(await cmd("R1", "show ip route eigrp")).toContain("172.16.2.0/24");
      await port(true);
      await lab.run(3 * SEC);
      await port(false);
      await lab.run(20 * SEC);
      const restarted = lab.syslog.filter((l) => l.text.includes("is down: peer restarted"));
      expect(restarted.length).toBeGreaterThan(0);
      expect(await cmd("R1", "show ip route eigrp")).toContain("D        172.16.2.0/24");
      expect(await cmd("R2", "show ip route eigrp")).toContain("D        172.16.1.0/24");
      expect((await cmd("R2", "show ip eigrp neighbors")).match(/Gi0\/0/g)?.length).toBe(1);
    } finally {
      await lab.close();
    }
  });
});
