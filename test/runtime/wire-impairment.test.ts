// Fault injection on a running lab (Lab.impairWire, the dashboard's loss and
// latency controls): a wire's loss and latency change from the moment they
// are set, for the frames sent after it. R1 pings R2 over a serial link: RTTs
// grow by twice the added latency; with 30 % loss some echoes go unanswered;
// back to no loss, all answer. The same run gives the same output inline and
// on two Workers, and a latency below the Workers' lookahead on the wire
// between them is refused.

import { describe, expect, test } from "bun:test";
import { deviceFactories } from "../../actors/index.ts";
import { Lab } from "../../src/runtime/lab.ts";
import { buildLabSpec } from "../../src/scenario/topology-file.ts";

const spec = () =>
  buildLabSpec(
    "wire-impairment",
    "inline",
    {
      devices: { R1: "router", R2: "router" },
      links: [{ name: "R1-R2", a: "R1 Serial0/0", b: "R2 Serial0/0", latencyMs: 2 }],
    },
    {
      R1: "hostname R1\ninterface Serial0/0\n ip address 10.0.12.1 255.255.255.0\n no shutdown\n",
      R2: "hostname R2\ninterface Serial0/0\n ip address 10.0.12.2 255.255.255.0\n no shutdown\n",
    },
    1,
  );

/** The success line and the average RTT of a ping from R1. */
async function ping(lab: Lab, count: number): Promise<{ received: number; avg: number; text: string }> {
  const text = (await lab.command("R1", `ping 10.0.12.2 repeat ${count} timeout 1`)).output;
  const m = /Success rate is \d+ percent \((\d+)\/\d+\)(?:, round-trip min\/avg\/max = \d+\/(\d+)\/\d+ ms)?/.exec(text);
  return { received: Number(m?.[1] ?? -1), avg: Number(m?.[2] ?? -1), text };
}

async function run(workers: number): Promise<string[]> {
  // On two Workers each router gets its own, so the impaired wire is the one between them.
  const lab = await Lab.create(spec(), {
    workers,
    factories: deviceFactories,
    ...(workers === 2 ? { placement: [0, 1] } : {}),
  });
  try {
    await lab.run(2e9);
    const before = await ping(lab, 5);
    await lab.impairWire("R1-R2", { latencyMs: 50 });
    const slow = await ping(lab, 5);
    await lab.impairWire("R1-R2", { loss: 0.3 });
    const lossy = await ping(lab, 50);
    await lab.impairWire("R1-R2", { loss: 0, latencyMs: 2 });
    const after = await ping(lab, 5);
    expect(before.received).toBe(5);
    expect(slow.received).toBe(5);
    // 48 ms more each way.
    expect(slow.avg).toBeGreaterThanOrEqual(before.avg + 96);
    expect(lossy.received).toBeGreaterThan(10);
    expect(lossy.received).toBeLessThan(45);
    expect(after.received).toBe(5);
    expect(after.avg).toBeLessThanOrEqual(before.avg + 1);
    return [before.text, slow.text, lossy.text, after.text];
  } finally {
    lab.close();
  }
}

describe("wire impairment on a running lab", () => {
  test("latency and loss take effect at once and come back; same output inline and on two Workers", async () => {
    const inline = await run(0);
    expect(await run(2)).toEqual(inline);
  });

  test("bad values and a latency below the Workers' lookahead are refused", async () => {
    const lab = await Lab.create(spec(), { workers: 2, factories: deviceFactories, placement: [0, 1] });
    try {
      await expect(lab.impairWire("R1-R2", { loss: 1 })).rejects.toThrow("loss must be in [0, 1)");
      await expect(lab.impairWire("R1-R2", { latencyMs: -1 })).rejects.toThrow("latency must be");
      await expect(lab.impairWire("nope", { loss: 0.1 })).rejects.toThrow("no wire named 'nope'");
      await expect(lab.impairWire("R1-R2", { latencyMs: 1 })).rejects.toThrow("lookahead (2 ms)");
      await lab.impairWire("R1-R2", { latencyMs: 3 });
    } finally {
      lab.close();
    }
  });
});
