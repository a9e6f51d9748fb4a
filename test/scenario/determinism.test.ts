// Same scenario, same seed: the same event trace whatever the number of workers
// (inline, one Bun Worker, two Bun Workers), byte for byte.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runScenario } from "../../src/scenario/run-scenario.ts";

const dir = mkdtempSync(join(tmpdir(), "wanlab-trace-"));

async function trace(name: string, workers: number, seed = 1): Promise<string> {
  const path = join(dir, `${name}-${workers}-${seed}.trace`);
  const result = await runScenario(name, { workers, seed, tracePath: path });
  expect(result.ok).toBe(true);
  return readFileSync(path, "utf8");
}

describe("determinism", () => {
  for (const name of ["ecmp", "bad-input", "ipsec-crypto-map", "ipsec-nat-t", "ipsec-rsa-sig"]) {
    test(`${name}: identical trace for --workers 0, 1 and 2`, async () => {
      const inline = await trace(name, 0);
      const one = await trace(name, 1);
      const two = await trace(name, 2);
      expect(inline.split("\n").length).toBeGreaterThan(40);
      expect(one).toBe(inline);
      expect(two).toBe(inline);
    });
  }
  test("ipsec-transport-ah: every ESP/AH implementation (--crypto wasm, native, auto) puts the same bytes on the wire", async () => {
    const before = process.env.WANLAB_CRYPTO;
    const traces: string[] = [];
    try {
      for (const backend of ["wasm", "native", "auto"]) {
        process.env.WANLAB_CRYPTO = backend;
        traces.push(await trace("ipsec-transport-ah", backend === "wasm" ? 0 : 1));
      }
    } finally {
      if (before === undefined) delete process.env.WANLAB_CRYPTO;
      else process.env.WANLAB_CRYPTO = before;
    }
    expect(traces[0]!.split("\n").length).toBeGreaterThan(40);
    expect(traces[1]).toBe(traces[0]!);
    expect(traces[2]).toBe(traces[0]!);
  });
  test("the trace records frames and timers with virtual times", async () => {
    const lines = (await trace("basic-ping", 2)).trim().split("\n");
    expect(lines.some((l) => / R2 rx Serial0\/0 len=\d+ h=[0-9a-f]{8}$/.test(l))).toBe(true);
    expect(lines.some((l) => / R1 timer ping-timeout#\d+$/.test(l))).toBe(true);
    const times = lines.map((l) => Number(l.split(" ")[0]));
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
  });
});

describe("step timing", () => {
  test("a command that finishes off the grid ends at the same virtual time on any worker count", async () => {
    const { chainLab } = await import("../../src/bench/chain-lab.ts");
    const { Lab } = await import("../../src/runtime/lab.ts");
    const { deviceFactories } = await import("../../actors/index.ts");
    const ends: number[] = [];
    const outputs: string[] = [];
    for (const workers of [0, 2]) {
      const c = chainLab({ routers: 6 });
      const lab = await Lab.create(c.spec, { workers, factories: deviceFactories });
      await lab.run(1e9);
      // Echoes dropped while ARP resolves, then fragmented jumbo echoes: completions fall off the 1 ms grid.
      const out = await lab.command(c.names[0]!, `ping ${c.loopbacks[5]} size 18024 repeat 4`);
      const after = await lab.command(c.names[0]!, "show clock");
      ends.push(lab.now);
      outputs.push(out.output + after.output);
      lab.close();
    }
    expect(ends[1]).toBe(ends[0]!);
    expect(outputs[1]).toBe(outputs[0]!);
  });
});
