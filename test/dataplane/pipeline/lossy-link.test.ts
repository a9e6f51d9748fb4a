// A lossy link (seeded loss) loses some fragments of large pings: the far
// router's reassembly buffers time out and are counted; the same seed loses
// the same frames every run.
import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../../actors/index.ts";
import { Lab } from "../../../src/runtime/lab.ts";
import { buildLabSpec } from "../../../src/scenario/topology-file.ts";

const R1 = "hostname R1\ninterface Serial0/0\n ip address 10.0.12.1 255.255.255.0\n";
const R2 = "hostname R2\ninterface Serial0/0\n ip address 10.0.12.2 255.255.255.0\n";

async function run(seed: number): Promise<{ ping: string; traffic: string }> {
  const spec = buildLabSpec(
    "lossy",
    "inline",
    {
      devices: { R1: "router", R2: "router" },
      links: [{ a: "R1 Serial0/0", b: "R2 Serial0/0", loss: 0.2, mtu: 1500 }],
    },
    { R1, R2 },
    seed,
  );
  const lab = await Lab.create(spec, { workers: 0, factories: deviceFactories });
  await lab.run(1e9);
  const ping = (await lab.command("R1", "ping 10.0.12.2 size 4000 repeat 20")).output;
  await lab.run(20e9);
  const traffic = (await lab.command("R2", "show ip traffic")).output;
  lab.close();
  return { ping, traffic };
}

describe("lossy serial link", () => {
  test("lost fragments time out in reassembly; the same seed gives the same run", async () => {
    const a = await run(7);
    const rate = Number(a.ping.match(/Success rate is (\d+) percent/)![1]);
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThan(100);
    const timeouts = Number(a.traffic.match(/(\d+) reassembled, (\d+) timeouts/)![2]);
    expect(timeouts).toBeGreaterThan(0);
    const b = await run(7);
    expect(b.ping).toBe(a.ping);
    expect(b.traffic).toBe(a.traffic);
    const c = await run(8);
    expect(c.ping).not.toBe(a.ping);
  });
});
