// The chain generator builds a lab whose routers reach each other end to end.
import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../actors/index.ts";
import { chainLab } from "../../src/bench/chain-lab.ts";
import { idleFleet } from "../../src/bench/idle-fleet.ts";
import { Lab } from "../../src/runtime/lab.ts";

describe("chainLab", () => {
  test("a ping from the first router reaches the last router's loopback across 3 routers", async () => {
    const chain = chainLab({ routers: 3 });
    expect(chain.names).toEqual(["R1", "R2", "R3"]);
    const lab = await Lab.create(chain.spec, { workers: 0, factories: deviceFactories });
    try {
      await lab.run(2_000_000_000);
      // The first echoes may be lost while each hop resolves ARP, as on real routers.
      const first = await lab.command("R1", `ping ${chain.loopbacks[2]} source Loopback0 repeat 10`);
      expect(first.output).toMatch(/!!!!!\nSuccess rate is \d+ percent/);
      const { output } = await lab.command("R1", `ping ${chain.loopbacks[2]} source Loopback0 repeat 10`);
      expect(output).toContain("Success rate is 100 percent (10/10)");
      const back = await lab.command("R3", `ping ${chain.loopbacks[0]} repeat 5`);
      expect(back.output).toContain("Success rate is 100 percent (5/5)");
    } finally {
      lab.close();
    }
  });

  test("names sort in chain order", () => {
    expect(
      chainLab({ routers: 12 })
        .spec.devices.map((d) => d.name)
        .slice(0, 3),
    ).toEqual(["R01", "R02", "R03"]);
  });
});

describe("idleFleet", () => {
  test("every router has four interfaces and a clean configuration", async () => {
    const fleet = idleFleet({ devices: 5 });
    const lab = await Lab.create(fleet.spec, { workers: 0, factories: deviceFactories });
    try {
      await lab.run(1_000_000_000);
      expect(lab.syslog.filter((l) => l.text.includes(" config line "))).toEqual([]);
      const { output } = await lab.command(fleet.names[0]!, "show ip interface brief");
      expect(output.split("\n").filter((l) => /\bup\s+up\s*$/.test(l))).toHaveLength(4);
      const ping = await lab.command(fleet.names[0]!, `ping ${fleet.loopbacks[1]} repeat 5`);
      expect(ping.output).toContain("Success rate is 100 percent");
    } finally {
      lab.close();
    }
  });
});
